"""`iag recommandations`, `risques`, `matrice`, `nouveau` à travers CliRunner, et la complétion."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from rich.console import Console
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.erreurs import ErreurReferentiel
from iagcli.es.chargeur import analyser, lire_document, valider
from iagcli.modeles.cas_usage import CasUsage
from iagcli.moteur.consultation import identifiants as KI
from iagcli.moteur.consultation import questionnaire as KQ
from iagcli.moteur.consultation import recherche as KR
from iagcli.moteur.evaluation import evaluer
from iagcli.moteur.referentiel import charger
from iagcli.rendus import consultation as A

from conftest import DONNEES, MINI

BASE = DONNEES / "cas-base.yaml"
LARGEUR = 80


def lancer(*args, input=None, env=None):
    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": str(LARGEUR), **(env or {})}, prog_name="iag")


def lignes_trop_longues(texte: str) -> list[str]:
    return [lg for lg in texte.splitlines() if len(lg) > LARGEUR]


@pytest.fixture
def mini(ref_mini):  # référentiel de conftest, chargé une fois par session
    return ref_mini


# --- Tous les identifiants du référentiel par défaut s'affichent ------------------------------


def _ids_du_referentiel_par_defaut():
    try:
        ref = charger()
    except ErreurReferentiel as e:  # un référentiel fourni invalide doit faire échouer, pas sauter
        return [pytest.param("referentiel-invalide", None, str(e), id="referentiel-invalide")]
    return [pytest.param(genre, ident, titre, id=ident) for genre, ident, titre in KI.identifiants(ref)]


@pytest.mark.parametrize("genre, ident, titre", _ids_du_referentiel_par_defaut())
def test_chaque_id_du_referentiel_par_defaut_s_affiche(genre, ident, titre):
    if ident is None:
        pytest.fail(f"référentiel par défaut invalide :\n{titre}")
    commande = "recommandations" if genre == "recommandation" else "risques"
    r = lancer(commande, ident)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"{ident} · ")
    assert " ".join(titre.split()[:2]) in " ".join(r.stdout.split())
    assert not lignes_trop_longues(r.stdout)


@pytest.mark.parametrize("commande, saisie, attendu", [
    ("risques", "r01", "R01"), ("risques", "m01", "M01"), ("risques", "j01", "J01"), ("recommandations", "rec05", "REC05"),
])
def test_identifiant_sans_casse(commande, saisie, attendu):
    r = lancer(commande, saisie)
    assert r.exit_code == 0 and r.stdout.startswith(f"{attendu} · ")


# --- iag recommandations -----------------------------------------------------------------------


def ids_affiches(sortie: str) -> list[str]:
    return re.findall(r"^\s*(REC\d+|C\d)\s", sortie, flags=re.M)


def test_recherche_sans_accents():
    r = lancer("recommandations", "donnees", "personnelles")
    assert r.exit_code == 0
    assert re.match(r"\d+ recommandations pour « donnees personnelles »\n", r.stdout)
    assert ids_affiches(r.stdout)[0] == "REC03"
    assert "Protéger les données personnelles" in r.stdout
    assert not lignes_trop_longues(r.stdout)


def test_recherche_avec_faute_de_frappe():
    r = lancer("recommandations", "halucination")
    assert r.exit_code == 0
    assert "REC01" in ids_affiches(r.stdout)
    assert "mots-clés : hallucination" in r.stdout


def test_recherche_mini_resultat_exact():
    r = lancer("recommandations", "-r", str(MINI), "DONNÉES personnelles")
    assert r.exit_code == 0
    assert ids_affiches(r.stdout) == ["C2"]


def test_mots_trouves_surlignes(mini):
    fiche = KR.fiche_recommandation(mini.recommandations["C2"], mini.themes)
    (trouvaille,), _ = KR.chercher([fiche], KR.termes_requete(["donnees personnelles"]))
    texte = A.texte_trouvaille(mini, fiche, trouvaille)
    surlignes = sorted({texte.plain[s.start:s.end] for s in texte.spans if s.style == A.SURLIGNAGE})
    assert surlignes == ["données", "personnelles"]
    # le titre, le texte et le mot-clé sont surlignés : trois fois chaque mot
    assert sum(1 for s in texte.spans if s.style == A.SURLIGNAGE) == 6


def test_sans_terme_toutes_par_theme(mini):
    r = lancer("recommandations", "-r", str(MINI))
    assert r.exit_code == 0
    assert "Bon usage (bon_usage)" in r.stdout
    assert ids_affiches(r.stdout) == ["C1", "C2"]
    assert "2 recommandations" in r.stdout


def test_sans_terme_par_defaut_liste_tout():
    ref = charger()
    r = lancer("recommandations")
    assert r.exit_code == 0
    assert sorted(ids_affiches(r.stdout)) == sorted(ref.recommandations)
    for theme in ref.themes.values():
        if any(x.theme == theme.id for x in ref.recommandations.values()):
            assert f"{theme.titre} ({theme.id})" in r.stdout
    assert not lignes_trop_longues(r.stdout)


def test_filtres_theme_et_public():
    ref = charger()
    r = lancer("recommandations", "--theme", "Sécurité des systèmes")
    assert r.exit_code == 0
    attendu = [x.id for x in ref.recommandations.values() if x.theme == "securite"]
    assert ids_affiches(r.stdout) == attendu
    r = lancer("recommandations", "-p", "dpo", "donnees")
    assert r.exit_code == 0
    assert all("dpo" in ref.recommandations[i].publics for i in ids_affiches(r.stdout))


def test_theme_inconnu_code_2():
    r = lancer("recommandations", "--theme", "securitee")
    assert r.exit_code == 2
    assert "thème « securitee » inconnu" in r.stderr and "« securite »" in r.stderr


def test_recherche_sans_resultat_code_0_et_suggestions():
    r = lancer("recommandations", "-r", str(MINI), "rlctr")
    assert r.exit_code == 0
    assert "Aucune recommandation ne correspond à « rlctr »." in r.stdout
    assert "Termes proches : relecture" in r.stdout
    assert "Thèmes : bon_usage (Bon usage)" in r.stdout


def test_recherche_filtree_sans_resultat_le_dit():
    r = lancer("recommandations", "--theme", "environnement", "hallucination")
    assert r.exit_code == 0
    assert "Aucune recommandation" in r.stdout
    assert "correspondent hors des filtres" in r.stdout


def test_id_inconnu_code_1_avec_suggestion():
    r = lancer("recommandations", "REC99")
    assert r.exit_code == 1
    assert "« REC99 »" in r.stderr and "« REC09 »" in r.stderr
    assert r.stdout == ""


def test_id_de_risque_liste_ses_recommandations():
    ref = charger()
    r = lancer("recommandations", "R01")
    assert r.exit_code == 0
    assert ids_affiches(r.stdout) == ref.recommandations_par_risque["R01"]


def test_detail_complet_recommandation(mini):
    r = lancer("recommandations", "-r", str(MINI), "c2")
    assert r.exit_code == 0
    for attendu in ("C2 · Protéger les données personnelles", "Thème", "Bon usage (bon_usage)", "Publics", "Agents",
                    "Ne pas saisir de données personnelles.", "Risques traités", "T2  Données personnelles",
                    "Sources", "test  Source de test (iag)"):
        assert attendu in r.stdout


def test_crochets_du_yaml_affiches_tels_quels(tmp_path):
    dossier = tmp_path / "ref"
    shutil.copytree(MINI, dossier)
    fichier = dossier / "recommandations.yaml"
    fichier.write_text(fichier.read_text(encoding="utf-8").replace("titre: Relire", "titre: Relire [critique] [bold]"), encoding="utf-8")
    r = lancer("recommandations", "-r", str(dossier), "relire")
    assert r.exit_code == 0 and "Relire [critique] [bold]" in r.stdout
    r = lancer("recommandations", "-r", str(dossier), "C1")
    assert "Relire [critique] [bold]" in r.stdout


# --- iag risques -----------------------------------------------------------------------------


def test_liste_des_risques_par_categorie():
    r = lancer("risques", "-r", str(MINI))
    assert r.exit_code == 0
    sortie = r.stdout
    assert sortie.index("Fiabilité") < sortie.index("T1") < sortie.index("Confidentialité") < sortie.index("T2")
    assert re.search(r"T1\s+Toujours présent\s+2\s+1\s+Faible", sortie)
    assert re.search(r"T2\s+Données personnelles\s+2\s+3\s+Élevé", sortie)


def test_liste_des_risques_par_defaut_tient_en_80_colonnes():
    ref = charger()
    r = lancer("risques")
    assert r.exit_code == 0
    assert all(i in r.stdout for i in ref.risques)
    assert not lignes_trop_longues(r.stdout)


def test_listes_des_mesures_et_des_regles():
    r = lancer("risques", "-r", str(MINI), "--mesures")
    assert r.exit_code == 0
    assert re.search(r"MB\s+Hébergement maîtrisé\s+T2, T1", r.stdout) and "Toujours présent" not in r.stdout  # pas la liste des risques
    r = lancer("risques", "-r", str(MINI), "--regles")
    assert re.search(r"JI\s+Notation sociale\s+interdiction", r.stdout) and re.search(r"JO\s+Haut risque\s+obligation", r.stdout)
    r = lancer("risques", "--mesures", "--regles")
    assert r.exit_code == 0 and "M22" in r.stdout and "J24" in r.stdout and not lignes_trop_longues(r.stdout)


def test_detail_risque_phrases_et_mesures():
    r = lancer("risques", "-r", str(MINI), "T2")
    assert r.exit_code == 0
    sortie = " ".join(r.stdout.split())  # indifférent au repli des lignes
    for attendu in (
        "T2 · Données personnelles (risque)",
        "Cotation de base : probabilité 2 (P2), gravité 3 (G3) → Élevé",
        "Seulement avec des données personnelles.",
        "Exemples • un • deux",
        "Si catégories de données : dont « personnelles » ou « sensibles ».",
        "Probabilité +2 si hébergement des données : « hors_ue » hébergement hors UE",
        "Gravité +1 si catégories de données : dont « sensibles » et volume de données : « important » ou au-delà",
        "MB Hébergement maîtrisé : probabilité −2, gravité −1",
        "Recommandations liées • C2 Protéger les données personnelles",
        "Sources • test Source de test (iag)",
    ):
        assert attendu in sortie, attendu


def test_detail_risque_sans_condition():
    r = lancer("risques", "-r", str(MINI), "t1")
    sortie = " ".join(r.stdout.split())
    assert "Quand s'applique-t-il ? À tout cas d'usage." in sortie
    assert "Gravité −1 si destinataires des productions : « agent_seul »" in sortie
    assert "MA Relecture : probabilité −1" in sortie and "MB Hébergement maîtrisé : probabilité −1" in sortie


def test_detail_mesure_et_regle():
    r = lancer("risques", "-r", str(MINI), "MB")
    sortie = " ".join(r.stdout.split())
    assert r.exit_code == 0
    assert "Effets sur les risques • T2 Données personnelles : probabilité −2, gravité −1 • T1 Toujours présent : probabilité −1" in sortie
    assert "Preuves attendues • contrat" in sortie
    assert "Nature : préventive" in sortie
    r = lancer("risques", "-r", str(MINI), "JO")
    sortie = " ".join(r.stdout.split())
    assert "Nature : obligation" in sortie and "Niveau minimum : Élevé" in sortie
    assert "Applicable depuis : 2 février 2025 (2025-02-02)" in sortie
    assert "Si rôle dans les décisions : « aide_à_la_décision » ou au-delà et domaine des décisions" in sortie
    assert "Conséquence Obligations du déployeur." in sortie


def test_risque_inconnu_code_1_avec_suggestion():
    r = lancer("risques", "-r", str(MINI), "T3")
    assert r.exit_code == 1
    assert "aucun risque, mesure ni règle « T3 »" in r.stderr
    assert "« T1 »" in r.stderr or "« T2 »" in r.stderr
    r = lancer("risques", "halucinations")
    assert r.exit_code == 1 and "« R01 »" in r.stderr


# --- iag matrice -------------------------------------------------------------------------------


def test_matrice_mini_libelles_et_ordre():
    r = lancer("matrice", "-r", str(MINI))
    assert r.exit_code == 0
    sortie = r.stdout
    for libelle in ("Faible", "Modéré", "Élevé", "Critique", "Interdit", "P1", "P4", "G1", "G4"):
        assert libelle in sortie
    lignes = sortie.splitlines()
    rang = {p: next(i for i, lg in enumerate(lignes) if f"│ {p} P{p}" in lg) for p in (1, 2, 3, 4)}
    assert rang[4] < rang[3] < rang[2] < rang[1]  # probabilité 4 en haut
    # la ligne de probabilité 2 suit la grille : faible, modéré, élevé, critique
    assert re.search(r"2 P2\s+│\s+Faible\s+│\s+Modéré\s+│\s+Élevé\s+│\s+Critique", lignes[rang[2]])
    assert "refonte" in sortie  # exigences des niveaux en légende


def test_matrice_par_defaut_en_80_colonnes():
    ref = charger()
    r = lancer("matrice")
    assert r.exit_code == 0
    for n in [*ref.niveaux, ref.risques_yaml.interdit]:
        assert n.libelle in r.stdout
    for p in ref.risques_yaml.echelles.probabilite:
        assert p.libelle in r.stdout
    assert not lignes_trop_longues(r.stdout)


def test_matrice_couleurs_du_yaml(mini):
    assert str(A.fond_niveau(mini, "faible")) == "bold black on green"
    assert str(A.fond_niveau(mini, "critique")) == "bold white on red"
    assert str(A.fond_niveau(mini, "interdit")) == "bold white on red"  # déjà un fond : tel quel


def _cas(**modifs):
    donnees = lire_document(str(BASE)).donnees
    donnees.update(modifs)
    return CasUsage.model_validate(donnees)


def _rendu(ref, ev, largeur=80):
    flux = io.StringIO()
    A.placer_matrice(Console(file=flux, width=largeur, highlight=False), ref, ev)
    return flux.getvalue()


def test_placer_matrice_avant_apres(mini):
    ev = evaluer(_cas(donnees={"categories": ["personnelles"], "volume": "limité"}, mesures_en_place=["MB"]), mini)
    sortie = _rendu(mini, ev)
    assert "Avant les mesures (risque inhérent)" in sortie and "Après les mesures en place (risque résiduel)" in sortie
    avant, apres = sortie.split("Après les mesures")
    lignes_avant = avant.splitlines()
    assert any(lg.startswith("│ 2 P2") and "T1" in lg and "T2" in lg for lg in lignes_avant)
    assert any(lg.startswith("│ 1 P1") and "T1" in lg and "T2" in lg for lg in apres.splitlines())
    assert not lignes_trop_longues(sortie)


def test_placer_matrice_sans_mesure_une_seule_grille(mini):
    sortie = _rendu(mini, evaluer(_cas(), mini))
    assert "aucune mesure en place ne change leur cotation" in sortie and "Avant" not in sortie
    assert any(lg.startswith("│ 2 P2") and "T1" in lg for lg in sortie.splitlines())


def test_placer_matrice_large_cote_a_cote(mini):
    ev = evaluer(_cas(mesures_en_place=["MA"]), mini)
    sortie = _rendu(mini, ev, largeur=200)
    assert any("Avant les mesures" in lg and "Après les mesures" in lg for lg in sortie.splitlines())


# --- iag nouveau -------------------------------------------------------------------------------


def test_nouveau_sur_la_sortie_standard_valide():
    ref = charger()
    r = lancer("nouveau")
    assert r.exit_code == 0
    cas = valider(analyser(r.stdout, "modele.yaml"), CasUsage, {"mesures": ref.mesures})
    assert cas.titre == KQ.A_COMPLETER
    assert all(m in r.stdout for m in ref.mesures)


def test_nouveau_ecrit_puis_refuse_de_remplacer(tmp_path):
    cible = tmp_path / "cas.yaml"
    r = lancer("nouveau", str(cible))
    assert r.exit_code == 0 and cible.exists()
    valider(lire_document(str(cible)), CasUsage)
    cible.write_text("mon travail", encoding="utf-8")
    r = lancer("nouveau", str(cible))
    assert r.exit_code == 1
    assert f"le fichier « {cible} » existe déjà ; ajoutez --force pour le remplacer" in r.stderr
    assert cible.read_text(encoding="utf-8") == "mon travail"
    r = lancer("nouveau", "--interactif", str(cible), input="x\n" * 40)
    assert r.exit_code == 1 and cible.read_text(encoding="utf-8") == "mon travail"
    r = lancer("nouveau", "--force", str(cible))
    assert r.exit_code == 0 and cible.read_text(encoding="utf-8").startswith("# Cas d'usage")


def test_nouveau_interactif_sans_fichier_code_2():
    r = lancer("nouveau", "--interactif")
    assert r.exit_code == 2 and "--interactif demande le FICHIER" in r.stderr


REPONSES = [
    "Traduction du site",  # titre
    "Traduire les pages publiques",  # description
    "Communication",  # service
    "test@example.org",  # contact
    "9", "2",  # statut : numéro hors liste, redemandé, puis expérimentation
    "",  # prochaine revue : Entrée seule ne répond pas (aucune valeur proposée), redemandée
    "2027-01-15",  # prochaine revue
    "traduction",  # tâches
    "Outil",  # outil.nom
    "Éditeur",  # outil.fournisseur
    "propriétaire",  # outil.type_modele
    "non",  # outil.usage_general
    "compte_professionnel",  # accès
    "ue",  # hébergement
    "non",  # réutilisation
    "publiques",  # catégories
    "limité",  # volume
    "non",  # données de santé
    "agent_seul",  # destinataires
    "non",  # dialogue direct
    "aucun",  # public atteint
    "non",  # lecture de contenus extérieurs
    "aide",  # décision : début sans ambiguïté de « aide_à_la_décision »
    "aides_sociales",  # domaine (posé : il y a une décision)
    "systématique",  # relecture
    "non",  # actions sur les systèmes
    "non",  # corpus : le contenu du corpus, sans objet, n'est pas demandé
    "moins_de_10",  # utilisateurs
    "-",  # personnes concernées : aucune
    "-",  # fonctionnalités sensibles : aucune
    "non", "non", "non", "non", "non",  # identification en temps réel, dans l'espace public, finalité répressive, référendum, période électorale
    "ma",  # mesures en place
]


def test_nouveau_interactif_ecrit_et_evalue(tmp_path):
    cible = tmp_path / "cas.yaml"
    r = lancer("nouveau", "-i", "-r", str(MINI), str(cible), input="\n".join(REPONSES) + "\n")
    assert r.exit_code == 0, r.output
    assert "numéro 9 hors de la liste (1 à 3)" in r.stdout
    assert "1 idée" in r.stdout and "3 inconnu" in r.stdout  # choix affichés, « inconnu » proposé
    assert "Contenu du corpus" not in r.stdout  # sans objet (pas de corpus) : sauté
    assert "Domaine des décisions" in r.stdout
    cas = valider(lire_document(str(cible)), CasUsage, {"mesures": charger(MINI).mesures})
    assert cas.titre == "Traduction du site" and cas.statut.value == "expérimentation"
    assert cas.decision_individuelle.type.value == "aide_à_la_décision"
    assert cas.decision_individuelle.domaine.value == "aides_sociales"
    assert [c.value for c in cas.donnees.categories] == ["publiques"]
    assert cas.sources_connaissances.contenu is None  # clé absente : sans objet
    assert cas.mesures_en_place == ["MA"]
    texte = cible.read_text(encoding="utf-8")
    assert texte.startswith("# Cas d'usage d'IA générative rédigé avec « iag nouveau --interactif »")
    assert "À compléter" not in texte.split("\n#")[-1] or "INCOMPLET" not in r.stdout
    # évaluation affichée : T1 (2/1 -> MA -> 1/1) faible, mais la règle JO impose « élevé »
    assert "Verdict : ÉLEVÉ" in r.stdout
    assert "niveau minimum imposé par la règle JO" in r.stdout
    assert "INCOMPLET" not in r.stdout


def test_nouveau_interactif_chaque_question_tient_dans_40_lignes(tmp_path):
    """Du titre de la question à l'invite : au plus 40 lignes (terminal de 40 × 80), la question reste visible."""
    r = CliRunner().invoke(app, ["nouveau", "-i", "-r", str(MINI), str(tmp_path / "cas.yaml")],
                           input="\n".join(REPONSES) + "\n", env={"COLUMNS": "80", "LINES": "40"}, prog_name="iag")
    assert r.exit_code == 0, r.output
    lignes, debut, hauteurs = r.stdout.splitlines(), None, {}
    for i, ligne in enumerate(lignes):
        if " — " in ligne and not ligne.startswith(" "):
            debut = i
        elif ligne.startswith("Réponse") and debut is not None:
            hauteurs[lignes[debut].split(" — ")[0]] = i - debut + 1
            debut = None
    assert "Fonctionnalités sensibles" in hauteurs and max(hauteurs.values()) <= 40, hauteurs


def test_nouveau_interactif_point_d_interrogation_laisse_a_completer(tmp_path):
    cible = tmp_path / "cas.yaml"
    reponses = ["?" if r == "ue" else r for r in REPONSES]
    r = lancer("nouveau", "-i", "-r", str(MINI), str(cible), input="\n".join(reponses) + "\n")
    assert r.exit_code == 0, r.output
    assert 'hebergement: "À compléter"' in cible.read_text(encoding="utf-8")
    assert "INCOMPLET : 1 question à compléter" in r.stdout
    assert "hebergement (ligne " in r.stdout


def test_nouveau_interactif_ctrl_c_garde_un_brouillon_repris(tmp_path, monkeypatch):
    import typer

    cible = tmp_path / "cas.yaml"
    vraie = typer.prompt
    appels = {"n": 0}

    def prompt(*a, **k):
        appels["n"] += 1
        if appels["n"] == 5:  # au statut : Ctrl-C
            raise KeyboardInterrupt
        return vraie(*a, **k)

    monkeypatch.setattr(typer, "prompt", prompt)
    r = lancer("nouveau", "-i", "-r", str(MINI), str(cible), input="\n".join(REPONSES[:4]) + "\n")
    assert r.exit_code == 130
    assert f"brouillon écrit dans {cible}" in r.stderr
    brouillon = cible.read_text(encoding="utf-8")
    assert brouillon.startswith("# Brouillon d'un cas d'usage interrompu")
    assert 'titre: "Traduction du site"' in brouillon and 'statut: "À compléter"' in brouillon
    monkeypatch.setattr(typer, "prompt", vraie)
    # Reprise : seules les questions à compléter sont posées (le titre ne l'est plus).
    r = lancer("nouveau", "-i", "--reprendre", "-r", str(MINI), str(cible), input="\n".join(REPONSES[4:]) + "\n")
    assert r.exit_code == 0, r.output
    assert "Titre — " not in r.stdout
    cas = valider(lire_document(str(cible)), CasUsage, {"mesures": charger(MINI).mesures})
    assert cas.titre == "Traduction du site" and cas.statut.value == "expérimentation"
    assert "INCOMPLET" not in r.stdout


def test_nouveau_interactif_interrompu(tmp_path):
    cible = tmp_path / "cas.yaml"
    r = lancer("nouveau", "-i", "-r", str(MINI), str(cible), input="Titre\n")
    # fin de l'entrée avant la fin des questions : erreur d'usage (2), rien d'écrit
    assert r.exit_code == 2 and not cible.exists()
    assert r.stderr.endswith("iag : entrée standard terminée avant la fin des questions ; rien n'a été écrit\n")


# --- Aide, complétion ---------------------------------------------------------------------------


@pytest.mark.parametrize("commande", ["recommandations", "risques", "matrice", "nouveau"])
def test_aide_en_francais_avec_exemple(commande):
    r = lancer(commande, "--help")
    assert r.exit_code == 0
    assert "Exemple" in r.stdout and f"iag {commande}" in r.stdout
    if commande != "matrice":
        assert "Codes de sortie" in r.stdout
    assert not lignes_trop_longues(r.stdout)


def _completer(*mots: str) -> list[str]:
    ligne = " ".join(("iag", *mots))
    r = lancer(env={"_IAG_COMPLETE": "complete_bash", "COMP_WORDS": ligne, "COMP_CWORD": str(len(mots))})
    assert r.exit_code == 0
    return r.stdout.split()


def test_completion_des_identifiants():
    assert _completer("risques", "-r", str(MINI), "") == ["T1", "T2", "MA", "MB", "JI", "JO", "JP"]
    assert _completer("risques", "-r", str(MINI), "M") == ["MA", "MB"]
    assert _completer("risques", "-r", str(MINI), "m") == ["ma", "mb"]  # accepté sans casse
    assert _completer("recommandations", "-r", str(MINI), "C") == ["C1", "C2"]
    assert _completer("recommandations", "-r", str(MINI), "--theme", "b") == ["bon_usage"]
    ref = charger()
    assert _completer("risques", "M0") == [m for m in ref.mesures if m.startswith("M0")]
    assert _completer("recommandations", "REC0") == [x for x in ref.recommandations if x.startswith("REC0")]


def test_completion_silencieuse_si_referentiel_illisible(tmp_path):
    assert _completer("risques", "-r", str(tmp_path), "") == []


def test_completion_suit_la_configuration_et_sans_config(tmp_path, monkeypatch):
    """La complétion choisit le référentiel comme la commande : .iag.yaml, sauf --sans-config ou IAG_SANS_CONFIG."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".iag.yaml").write_text(f"referentiel: {MINI}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IAG_SANS_CONFIG", raising=False)
    assert _completer("risques", "T") == ["T1", "T2"]
    ref = charger()
    defaut = [r for r in ref.risques if r.startswith("R0")]
    assert _completer("risques", "--sans-config", "R0") == defaut
    monkeypatch.setenv("IAG_SANS_CONFIG", "1")
    assert _completer("risques", "R0") == defaut


def test_dates_de_fin_et_contradictions_affichees(tmp_path):
    texte = (MINI / "risques.yaml").read_text(encoding="utf-8")
    texte = texte.replace("  - id: JP\n    applicable_depuis: 2025-02-02\n", "  - id: JP\n    applicable_depuis: 2025-02-02\n    applicable_jusqu_au: 2027-12-01\n")
    texte = texte.replace("      - {risque: T1, probabilite: -1}\n    sources: [test]\n  - id: MB",
                          "      - {risque: T1, probabilite: -1}\n    contredite_si:\n      - si: {champ: revue_humaine, egal: aucune}\n"
                          "        raison: Rien n'est relu.\n    sources: [test]\n  - id: MB")
    (tmp_path / "risques.yaml").write_text(texte, encoding="utf-8")
    (tmp_path / "recommandations.yaml").write_text((MINI / "recommandations.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    sortie = " ".join(lancer("risques", "-r", str(tmp_path), "JP").stdout.split())
    assert "Applicable depuis : 2 février 2025 (2025-02-02) Applicable jusqu'au : 1er décembre 2027 (2027-12-01)" in sortie
    sortie = " ".join(lancer("risques", "-r", str(tmp_path), "MA").stdout.split())
    assert "Non créditée quand les réponses la démentent • Si relecture humaine : « aucune » : Rien n'est relu." in sortie
    sortie = " ".join(lancer("risques", "-r", str(tmp_path), "--regles").stdout.split())
    assert "JP AIPD obligation dès le 2025-02-02 jusqu'au 2027-12-01" in sortie
