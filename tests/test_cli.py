"""Le CLI `iag` par CliRunner : codes de sortie, messages positionnés, configuration."""

import os

import pytest
from typer.testing import CliRunner

from iagcli.cli import app

from conftest import DONNEES, MINI

BASE = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")
CRITIQUE = BASE.replace("categories: [publiques]", "categories: [personnelles, sensibles]").replace(
    "volume: limité", "volume: important").replace("hebergement: ue", "hebergement: hors_ue")
ELEVE = BASE.replace("revue_humaine: systématique", "revue_humaine: aucune").replace("destinataires: agent_seul", "destinataires: usagers")


@pytest.fixture
def runner():
    return CliRunner()


def ecrire(dossier, nom, texte):
    p = dossier / nom
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(texte, encoding="utf-8")
    return str(p)


def iag(runner, *args, **kw):
    return runner.invoke(app, list(args), catch_exceptions=False, **kw)


def test_evaluer_cas_faible(runner):
    r = iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"), "-r", str(MINI))
    assert r.exit_code == 0, r.output
    assert "Verdict : FAIBLE" in r.stdout
    assert "Cas de base" in r.stdout
    assert r.stderr == ""


def test_seuil_par_defaut_eleve_et_jamais(runner, tmp_path):
    f = ecrire(tmp_path, "c.yaml", CRITIQUE)
    assert iag(runner, "evaluer", f, "-r", str(MINI)).exit_code == 1
    assert iag(runner, "evaluer", f, "-r", str(MINI), "--seuil", "jamais").exit_code == 0
    g = ecrire(tmp_path, "e.yaml", ELEVE)
    assert iag(runner, "evaluer", g, "-r", str(MINI)).exit_code == 1
    assert iag(runner, "evaluer", g, "-r", str(MINI), "--seuil", "critique").exit_code == 0
    assert iag(runner, "evaluer", g, "-r", str(MINI), "--seuil", "eleve").exit_code == 1  # sans accent


def _mini_renomme(tmp_path, seuil_defaut):
    """Le référentiel mini dont le niveau « élevé » s'appelle « important » ; `seuil_defaut` remplace
    le sien (None : absent). Rend le dossier et les lignes de risques.yaml."""
    import shutil

    d = tmp_path / "ref"
    shutil.copytree(MINI, d)
    risques = d / "risques.yaml"
    texte = risques.read_text(encoding="utf-8").replace("élevé", "important").replace("Élevé", "Important")
    assert "seuil_defaut: important," in texte
    texte = texte.replace("seuil_defaut: important,", "" if seuil_defaut is None else f"seuil_defaut: {seuil_defaut},")
    risques.write_text(texte, encoding="utf-8")
    return str(d), texte.splitlines()


def test_seuil_par_defaut_du_referentiel_qui_renomme_eleve(runner, tmp_path):
    # Avant : « élevé » en dur, un référentiel sans ce niveau faisait échouer `iag evaluer` (code 2).
    ref, _ = _mini_renomme(tmp_path, "important")
    g = ecrire(tmp_path, "e.yaml", ELEVE)
    r = iag(runner, "evaluer", g, "-r", ref)
    assert (r.exit_code, r.stderr) == (1, "")
    assert iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"), "-r", ref).exit_code == 0
    # Sans seuil_defaut : le plus haut des niveaux (critique), qu'un cas élevé n'atteint pas.
    ref, _ = _mini_renomme(tmp_path / "sans", None)
    assert iag(runner, "evaluer", g, "-r", ref).exit_code == 0
    assert iag(runner, "evaluer", ecrire(tmp_path, "c.yaml", CRITIQUE), "-r", ref).exit_code == 1


def test_seuil_par_defaut_inconnu_refuse_au_chargement(runner, tmp_path):
    ref, lignes = _mini_renomme(tmp_path, "élevé")
    n, ligne = next((i + 1, ligne) for i, ligne in enumerate(lignes) if "seuil_defaut:" in ligne)
    colonne = ligne.index("seuil_defaut: ") + len("seuil_defaut: ") + 1  # colonnes comptées à partir de 1
    r = iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"), "-r", ref)
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["Référentiel invalide :", f"{ref}/risques.yaml:{n}:{colonne}: niveau « élevé » inconnu ; "
                                     "niveaux : faible, modéré, important, critique, interdit"]


def test_fichier_invalide_code_3_et_position(runner, tmp_path):
    f = ecrire(tmp_path, "cas.yaml", BASE.replace("hebergement: ue", "hebergement: lune"))
    r = iag(runner, "evaluer", f, "-r", str(MINI))
    assert r.exit_code == 3
    assert r.stderr.strip() == f"{f}:14:14: valeur « lune » invalide ; valeurs permises : collectivité, organisme_public, ue, hors_ue, inconnu ; vouliez-vous dire « ue » ?"
    assert "Traceback" not in r.output


def test_lot_continue_apres_un_fichier_invalide(runner, tmp_path):
    ecrire(tmp_path, "a.yaml", "titre: [\n")
    ecrire(tmp_path, "b.yaml", BASE)
    ecrire(tmp_path, ".cache/c.yaml", "pas: lu\n")  # dossier caché ignoré
    ecrire(tmp_path, "notes.txt", "ignoré")
    r = iag(runner, "evaluer", str(tmp_path), "-r", str(MINI))
    assert r.exit_code == 3
    assert r.stderr.startswith(f"{tmp_path / 'a.yaml'}:2:1: ")
    assert "Bilan : 2 fichiers · 1 faible · 1 invalide" in r.stdout


def test_lot_en_texte_une_ligne_par_cas_sous_le_seuil(runner, tmp_path):
    ecrire(tmp_path, "a-faible.yaml", BASE)
    ecrire(tmp_path, "b-eleve.yaml", ELEVE)
    r = iag(runner, "evaluer", str(tmp_path), "-r", str(MINI), env={"COLUMNS": "200"})
    assert r.exit_code == 1
    lignes = r.stdout.splitlines()
    # Le cas sous le seuil : une ligne (niveau, fichier, titre) ; le cas au seuil : tout son détail.
    assert lignes[0] == f"FAIBLE    {tmp_path / 'a-faible.yaml'}  Cas de base"
    assert r.stdout.count("Verdict : ") == 1 and "Verdict : ÉLEVÉ" in r.stdout
    assert lignes[-1] == "1 cas sous le seuil résumé en une ligne ; leur détail : --details"
    # --details : chaque cas en entier ; un seul fichier nommé : son détail, même sous le seuil.
    r = iag(runner, "evaluer", str(tmp_path), "-r", str(MINI), "--details")
    assert r.stdout.count("Verdict : ") == 2 and "résumé(s) en une ligne" not in r.stdout
    r = iag(runner, "evaluer", str(tmp_path / "a-faible.yaml"), "-r", str(MINI))
    assert (r.exit_code, r.stdout.count("Verdict : FAIBLE")) == (0, 1)


def test_chemins_illisibles_code_2(runner, tmp_path):
    r = iag(runner, "evaluer", str(tmp_path / "absent.yaml"), "-r", str(MINI))
    assert r.exit_code == 2
    assert r.stderr.strip() == f"{tmp_path / 'absent.yaml'}: fichier introuvable"
    vide = tmp_path / "vide"
    vide.mkdir()
    r = iag(runner, "evaluer", str(vide), "-r", str(MINI))
    assert r.exit_code == 2
    assert "aucun fichier YAML" in r.stderr


def test_entree_standard_nommee(runner):
    r = iag(runner, "evaluer", "-", "--nom-stdin", "propositions/x.yaml", "-r", str(MINI), input=BASE.replace("hebergement: ue", "hebergement: x"))
    assert r.exit_code == 3
    assert r.stderr.startswith("propositions/x.yaml:14:14: ")


def test_referentiel_invalide_code_2(runner, tmp_path):
    for nom in ("risques.yaml", "recommandations.yaml"):
        ecrire(tmp_path, nom, (MINI / nom).read_text(encoding="utf-8"))
    ecrire(tmp_path, "risques.yaml", (MINI / "risques.yaml").read_text(encoding="utf-8").replace("{champ: hebergement, egal: hors_ue}", "{champ: hebergement, egal: mars}"))
    r = iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"), "-r", str(tmp_path))
    assert r.exit_code == 2
    lignes = r.stderr.strip().splitlines()
    assert lignes[0] == "Référentiel invalide :"
    assert lignes[1] == (
        f"{tmp_path / 'risques.yaml'}:70:40: valeur « mars » impossible pour « hebergement » ; "
        "valeurs permises : collectivité, organisme_public, ue, hors_ue"
    )


def test_erreurs_d_usage_code_2(runner):
    cas = str(DONNEES / "cas-base.yaml")
    assert iag(runner, "evaluer", cas, "-r", str(MINI), "--format", "pdf").exit_code == 2
    assert iag(runner, "evaluer", cas, "-r", str(MINI), "--seuil", "terrible").exit_code == 2
    assert iag(runner, "evaluer", cas, "-r", str(MINI), "-o", "json").exit_code == 2
    assert iag(runner, "evaluer").exit_code == 2


def test_texte_utilisateur_affiche_litteralement(runner, tmp_path):
    f = ecrire(tmp_path, "c.yaml", BASE.replace("titre: Cas de base", "titre: '[critique] [bold]x[/bold]'"))
    r = iag(runner, "evaluer", f, "-r", str(MINI))
    assert "[critique] [bold]x[/bold]" in r.stdout


def test_silencieux_n_affiche_que_ce_qui_echoue(runner, tmp_path):
    ecrire(tmp_path, "faible.yaml", BASE)
    ecrire(tmp_path, "eleve.yaml", ELEVE.replace("titre: Cas de base", "titre: Cas élevé"))
    r = iag(runner, "evaluer", str(tmp_path), "-r", str(MINI), "-q")
    assert r.exit_code == 1
    assert "Cas élevé" in r.stdout and "Cas de base" not in r.stdout


def test_configuration_decouverte_et_priorites(runner, tmp_path, monkeypatch):
    f = ecrire(tmp_path, "propositions/e.yaml", ELEVE)
    ecrire(tmp_path, ".iag.yaml", f"referentiel: {MINI}\nseuil: critique\n")
    sous = tmp_path / "propositions"
    monkeypatch.chdir(sous)
    monkeypatch.delenv("IAG_SEUIL", raising=False)
    assert iag(runner, "evaluer", f).exit_code == 0  # seuil du fichier : critique
    monkeypatch.setenv("IAG_SEUIL", "modéré")
    assert iag(runner, "evaluer", f).exit_code == 1  # l'environnement l'emporte sur le fichier
    assert iag(runner, "evaluer", f, "--seuil", "jamais").exit_code == 0  # l'option l'emporte sur tout


def test_configuration_invalide_code_2(runner, tmp_path, monkeypatch):
    ecrire(tmp_path, ".iag.yaml", "seuil: critique\nformats: [json]\n")
    monkeypatch.chdir(tmp_path)
    r = iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"))
    assert r.exit_code == 2
    assert r.stderr.splitlines()[1] == f"{tmp_path / '.iag.yaml'}:2:1: clé inconnue « formats » ; vouliez-vous dire « format » ?"


def test_rapport_fichier_ecrit_sans_toucher_l_entree(runner, tmp_path):
    f = ecrire(tmp_path, "c.yaml", BASE)
    avant = os.stat(f).st_mtime_ns, open(f, "rb").read()
    sortie = tmp_path / "rapport.txt"
    r = iag(runner, "evaluer", f, "-r", str(MINI), "-o", f"texte:{sortie}")
    assert r.exit_code == 0
    assert "Verdict : FAIBLE" in sortie.read_text(encoding="utf-8")
    assert (os.stat(f).st_mtime_ns, open(f, "rb").read()) == avant
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".iag-")] == []


def test_rapport_dans_un_dossier_absent_code_2(runner, tmp_path):
    r = iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"), "-r", str(MINI), "-o", f"texte:{tmp_path / 'non' / 'r.txt'}")
    assert r.exit_code == 2
    # le chemin demandé, pas le fichier temporaire ; l'erreur du système en français
    assert r.stderr == f"iag : écriture du rapport « {tmp_path / 'non' / 'r.txt'} » impossible : fichier ou dossier introuvable\n"


def test_valider(runner, tmp_path):
    ok = ecrire(tmp_path, "ok.yaml", BASE)
    assert iag(runner, "valider", ok, "-r", str(MINI)).exit_code == 0
    ko = ecrire(tmp_path, "ko.yaml", BASE + "mesures_en_place: [MZ]\n")
    r = iag(runner, "valider", ko, "-r", str(MINI))
    assert r.exit_code == 3
    assert r.stderr.strip() == f"{ko}:32:20: mesure « MZ » absente du référentiel"


def test_version(runner):
    r = iag(runner, "--version")
    assert r.exit_code == 0 and r.stdout.startswith("iag ")


def test_aide_en_francais(runner):
    r = runner.invoke(app, ["evaluer", "--help"])
    assert r.exit_code == 0
    assert r.stdout.startswith("Utilisation : iag evaluer")
    assert "Affiche cette aide et quitte." in r.stdout and "Show this message" not in r.stdout
    assert "[obligatoire]" in r.stdout and "[variable : IAG_SEUIL]" in " ".join(r.stdout.split())
    # les erreurs d'usage : par le script installé (tests/test_processus.py)


def test_reference_hors_nomenclature(runner, tmp_path):
    ecrire(tmp_path, "recommandations.yaml", (MINI / "recommandations.yaml").read_text(encoding="utf-8"))
    texte = (MINI / "risques.yaml").read_text(encoding="utf-8")
    texte = texte.replace("categories:\n", "nomenclatures:\n  owasp_llm: [LLM01, LLM09]\ncategories:\n", 1)
    texte = texte.replace("    sources: [test]\n  - id: T2", "    references:\n      owasp_llm: [LLM9]\n    sources: [test]\n  - id: T2", 1)
    ecrire(tmp_path, "risques.yaml", texte)
    r = iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"), "-r", str(tmp_path))
    assert r.exit_code == 2
    assert r.stderr.splitlines()[1] == (
        f"{tmp_path / 'risques.yaml'}:61:19: référence owasp_llm « LLM9 » introuvable dans « nomenclatures » ; vouliez-vous dire « LLM09 » ?"
    )


def test_autre_yaml_du_depot_un_seul_message(runner, tmp_path):
    f = ecrire(tmp_path, ".gitlab-ci.yml", "stages: [test]\niag:\n  script: [iag evaluer propositions/]\n")
    for commande in ("evaluer", "valider"):
        r = iag(runner, commande, f, "-r", str(MINI))
        assert r.exit_code == 3
        assert r.stderr.strip() == (
            f"{f}:1:1: ce fichier ne ressemble pas à un cas d'usage (aucune clé connue, comme « titre » ou "
            "« taches ») ; gabarit : iag nouveau"
        )


def test_disque_plein_sur_un_rapport_nomme_ce_rapport(runner, tmp_path, monkeypatch):
    """Trois rapports ouverts ; le premier tombe sur un disque plein en cours d'écriture : le message
    nomme celui-là (et non le dernier ouvert), aucun fichier ni temporaire ne reste."""
    import errno
    from contextlib import contextmanager

    from iagcli.es import sorties

    vraie = sorties.ecriture_atomique

    class Plein:
        def write(self, texte):
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self):
            pass

    @contextmanager
    def ecriture(chemin):
        with vraie(chemin) as flux:
            yield Plein() if chemin.endswith("plein.json") else flux

    monkeypatch.setattr(sorties, "ecriture_atomique", ecriture)
    monkeypatch.chdir(tmp_path)
    r = iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"), "-r", str(MINI),
            "-o", "json:plein.json", "-o", "sarif:a.sarif", "-o", "junit:b.xml")
    assert r.exit_code == 2
    assert r.stderr == "iag : écriture du rapport « plein.json » impossible : plus de place sur le périphérique\n"
    assert list(tmp_path.iterdir()) == []


def test_lot_resume_renvoie_a_iag_plan_et_detail_identique(runner, tmp_path):
    """Lot sans --details : le plan sous le seuil (une recherche coûteuse par cas) devient un renvoi
    à `iag plan` ; un fichier seul garde le plan. Deux cas identiques ont le même détail (lignes
    gardées d'un cas à l'autre), chaque ligne tient dans la largeur."""
    a = ecrire(tmp_path, "a.yaml", ELEVE)
    ecrire(tmp_path, "b.yaml", ELEVE)
    r = iag(runner, "evaluer", str(tmp_path), "-r", str(MINI), env={"COLUMNS": "60"})
    assert r.exit_code == 1
    colle = "".join(r.stdout.split())  # lignes repliées, chemin coupé : sans blancs
    assert "".join(f"Sous le seuil : le plan le plus court par iag plan {a}".split()) in colle
    assert "plan le plus court vers" not in r.stdout
    assert all(len(ligne) <= 60 for ligne in r.stdout.splitlines())
    detail_a, detail_b = r.stdout.split("─" * 60 + "\n")
    assert detail_b.split("Bilan : ")[0].strip() == detail_a.replace("a.yaml", "b.yaml").strip()
    seul = iag(runner, "evaluer", a, "-r", str(MINI), env={"COLUMNS": "60"})
    assert "Sousleseuil:planlepluscourtvers" in "".join(seul.stdout.split())
    assert "par iag plan" not in seul.stdout


def test_tableau_des_risques_replie_a_la_largeur(runner, tmp_path):
    r = iag(runner, "evaluer", ecrire(tmp_path, "a.yaml", ELEVE), "-r", str(MINI), env={"COLUMNS": "40"})
    lignes = r.stdout.splitlines()
    tableau = lignes[lignes.index(next(x for x in lignes if x.startswith("┏"))):]
    tableau = tableau[: next(i for i, x in enumerate(tableau) if x.startswith("└")) + 1]
    assert all(len(x) == len(tableau[0]) <= 40 for x in tableau)
    assert tableau[1].split("┃")[1].strip() == "ID" and any(x.startswith("│ T1 │") for x in tableau)


# --- Codes de sortie : un fichier de cas invalide a son code (3), distinct du seuil (1) et de l'usage (2) ---

MAUVAIS = "titre: x\ntaches: [inconnue]\n"


@pytest.mark.parametrize("commande", [
    ["evaluer"], ["valider"], ["plan"], ["dossier", "-o", "{tmp}/d"], ["synthese"], ["registre", "-f", "json"],
    ["referentiel", "comparer", "{defaut}", "{defaut}"],
])
def test_code_3_pour_un_cas_invalide(runner, tmp_path, commande):
    """Chaque commande qui lit des cas sort 3 sur un fichier de cas invalide (avant : 1, et 0 pour
    `referentiel comparer`, qui le disait « inchangé »). Référentiel par défaut."""
    from conftest import RACINE

    f = ecrire(tmp_path, "mauvais.yaml", MAUVAIS)
    args = [a.format(tmp=tmp_path, defaut=RACINE / "data") for a in commande]
    r = iag(runner, *args, f, "--sans-config")
    assert r.exit_code == 3, r.output
    assert "mauvais.yaml" in r.stderr + r.stdout


def test_code_2_pour_un_chemin_absent_ou_un_dossier_sans_yaml(runner, tmp_path):
    (tmp_path / "vide").mkdir()
    for chemin in (str(tmp_path / "absent.yaml"), str(tmp_path / "vide")):
        for commande in ("evaluer", "valider", "synthese"):
            assert iag(runner, commande, chemin, "-r", str(MINI), "--sans-config").exit_code == 2


def test_priorite_des_codes(runner, tmp_path):
    """Dans un lot, le plus grave l'emporte : 2 (usage, système) > 3 (cas invalide) > 1 (au seuil) > 0."""
    from iagcli.codes import pire

    assert (pire(1, 3, 0), pire(3, 2), pire(0, 1), pire(), pire(2, 143)) == (3, 2, 1, 0, 143)
    lot = tmp_path / "lot"
    ecrire(lot, "critique.yaml", CRITIQUE)
    assert iag(runner, "evaluer", str(lot), "-r", str(MINI), "--sans-config").exit_code == 1
    ecrire(lot, "mauvais.yaml", MAUVAIS)
    assert iag(runner, "evaluer", str(lot), "-r", str(MINI), "--sans-config").exit_code == 3
    assert iag(runner, "evaluer", str(lot), str(tmp_path / "absent.yaml"), "-r", str(MINI), "--sans-config").exit_code == 2


def test_rapport_json_code_3_conforme_au_schema(runner, tmp_path):
    import json

    import jsonschema

    from conftest import RACINE

    f = ecrire(tmp_path, "mauvais.yaml", MAUVAIS)
    r = iag(runner, "evaluer", f, "-r", str(MINI), "--sans-config", "-f", "json")
    assert r.exit_code == 3
    doc = json.loads(r.stdout)
    assert (doc["format_version"], doc["bilan"]["code_sortie"]) == ("1.2", 3)
    jsonschema.validate(doc, json.loads((RACINE / "schemas" / "rapport.schema.json").read_text(encoding="utf-8")))


# --- Variables booléennes : le vocabulaire oui/non des cas d'usage, refus en français -------------

@pytest.mark.parametrize("valeur, vrai", [("oui", True), ("Oui", True), ("vrai", True), ("1", True), ("yes", True),
                                          ("non", False), ("NON", False), ("faux", False), ("0", False), ("", False)])
def test_variables_booleennes_en_francais(runner, tmp_path, monkeypatch, valeur, vrai):
    monkeypatch.chdir(tmp_path)
    ecrire(tmp_path, ".iag.yaml", "seuil: jamais\n")
    f = ecrire(tmp_path, "c.yaml", CRITIQUE)
    # IAG_SANS_CONFIG vrai : le `seuil: jamais` du dépôt est ignoré, le cas critique fait échouer.
    r = iag(runner, "evaluer", f, "-r", str(MINI), "-q", env={"IAG_SANS_CONFIG": valeur})
    assert r.exit_code == (1 if vrai else 0), r.output
    # IAG_ECHEANCES vrai : une mesure prévue en retard fait échouer.
    g = ecrire(tmp_path, "g.yaml", BASE + "mesures_prevues:\n  - {id: MA, echeance: 2020-01-01}\n")
    r = iag(runner, "evaluer", g, "-r", str(MINI), "-q", "--sans-config", "--date", "2026-01-01", env={"IAG_ECHEANCES": valeur})
    assert r.exit_code == (1 if vrai else 0), r.output


@pytest.mark.parametrize("nom", ["IAG_SANS_CONFIG", "IAG_ECHEANCES"])
def test_variable_booleenne_invalide_refusee_en_francais(runner, tmp_path, nom):
    r = iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"), "-r", str(MINI), env={nom: "peut-être"})
    assert r.exit_code == 2
    assert r.stderr == f"iag : {nom}=« peut-être » invalide : oui ou non attendu (aussi 1/0, vrai/faux)\n"
