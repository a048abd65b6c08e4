"""iag dossier : documents exigés (lesquels, pourquoi), valeurs préremplies, échappement, écriture protégée."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
import yaml
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.controleur import lire_cas
from iagcli.moteur.dossier import charger_modeles, composer
from iagcli.moteur.evaluation import evaluer

from conftest import RACINE

DATE = "2026-11-30"
runner = CliRunner()


def _iag(*args: str):
    return runner.invoke(app, ["dossier", *args, "--date", DATE, "--sans-config"])


# Documents exigés par exemple au 30 novembre 2026 : (document, motifs) ; « toujours » pour la fiche.
ATTENDUS = {
    "assistant-documentaire-rag": {"fiche_validation": ["toujours"], "consultations": ["J23"]},
    "chatbot-usagers-hors-ue": {
        "fiche_validation": ["toujours"], "aipd": ["J16"], "transparence": ["J14"],
        "consultations": ["J16", "J23", "niveau"],
    },
    # interdit : l'AIDF de l'art. 27 (J33) est sans objet (issue 21, point 7)
    "reconnaissance-emotions-accueil": {
        "fiche_validation": ["toujours"], "aipd": ["J16"], "transparence": ["J21"],
        "consultations": ["J16", "J23", "niveau"],
    },
    "relances-recouvrement": {"fiche_validation": ["toujours"]},
    "score-risque-fraude-aides": {
        "fiche_validation": ["toujours"], "aipd": ["J16", "J38"], "fria": ["J33"], "transparence": ["J21"],
        "consultations": ["J16", "J38", "niveau"],
    },
    "synthese-comptes-rendus": {"fiche_validation": ["toujours"], "consultations": ["J23"]},
    "traduction-site-web": {"fiche_validation": ["toujours"]},
    "tri-candidatures-rh": {
        "fiche_validation": ["toujours"], "aipd": ["J16"], "fria": ["J33"], "transparence": ["J21"],
        "consultations": ["J16", "niveau"],
    },
    "visuels-campagne-communication": {"fiche_validation": ["toujours"], "transparence": ["J35"]},
}


def _motif(raison) -> str:
    if raison.reference is not None:
        return raison.texte.split(" ")[0]
    return "niveau" if raison.texte.startswith("niveau") else "toujours"


@pytest.mark.parametrize("exemple", sorted(ATTENDUS))
def test_documents_exiges_par_exemple(ref_defaut, exemple):
    modeles = charger_modeles(ref_defaut).fichier
    _, cas = lire_cas(str(RACINE / "exemples" / f"{exemple}.yaml"), ref_defaut)
    dossier = composer(cas, evaluer(cas, ref_defaut, dt.date(2026, 11, 30)), ref_defaut, modeles)
    assert {d.id: [_motif(r) for r in d.raisons] for d in dossier.documents} == ATTENDUS[exemple]


def test_raison_d_une_regle_a_venir_avec_sa_reference_et_sa_date(ref_defaut):
    modeles = charger_modeles(ref_defaut).fichier
    _, cas = lire_cas(str(RACINE / "exemples" / "tri-candidatures-rh.yaml"), ref_defaut)
    dossier = composer(cas, evaluer(cas, ref_defaut, dt.date(2026, 11, 30)), ref_defaut, modeles)
    fria = next(d for d in dossier.documents if d.id == "fria")
    (r,) = fria.raisons
    assert (r.reference, r.depuis, r.statut) == ("Règlement (UE) 2024/1689 modifié, art. 27", dt.date(2027, 12, 2), "à_venir")


def _cas_complet(tmp_path, **modifs):
    """Le tri des candidatures, avec un agent conversationnel qui répond aux candidats : AIPD, FRIA et art. 50."""
    donnees = yaml.safe_load((RACINE / "exemples" / "tri-candidatures-rh.yaml").read_text(encoding="utf-8"))
    donnees.update({"interaction_directe_usagers": "oui", "destinataires": "usagers"}, **modifs)
    chemin = tmp_path / "candidatures.yaml"
    chemin.write_text(yaml.safe_dump(donnees, allow_unicode=True), encoding="utf-8")
    return chemin


def _lignes(chemin) -> list[str]:
    return chemin.read_text(encoding="utf-8").splitlines()


def test_aipd_fria_art50_valeurs_preremplies(tmp_path):
    cas = _cas_complet(tmp_path)
    sortie = tmp_path / "dossier"
    r = _iag(str(cas), "-o", str(sortie))
    assert r.exit_code == 1, r.stderr  # élevé, au seuil par défaut : documents écrits, code 1 comme evaluer
    assert sorted(p.name for p in sortie.iterdir()) == [
        ".iag-dossier.json", "aipd.md", "analyse-droits-fondamentaux.md", "consultations.md",
        "fiche-validation.md", "index.md", "transparence.md",
    ]
    aipd = _lignes(sortie / "aipd.md")
    assert "| Traitement | Pré-tri des candidatures aux offres d'emploi |" in aipd
    assert "| Service | Direction des ressources humaines |" in aipd
    assert "| Responsable du traitement | **« à compléter »** |" in aipd
    assert "| Sous-traitant (fournisseur de l'outil) | Éditeur du logiciel RH |" in aipd
    assert "| Catégories de données | données personnelles |" in aipd
    assert "| Destinataires des productions | usagers |" in aipd
    assert "| Hébergement | prestataire dans l'Union européenne |" in aipd
    assert "| Durées de conservation | **« à compléter »** |" in aipd
    assert "| Réutilisation pour l'entraînement | non |" in aipd
    assert any(ligne.startswith("- Accès illégitime à des données : ") for ligne in aipd)
    fria = _lignes(sortie / "analyse-droits-fondamentaux.md")
    assert "| Domaine des décisions | ressources humaines et recrutement |" in fria
    assert "| Rôle dans les décisions | aide à la décision |" in fria
    assert "| Revue humaine | systématique |" in fria
    assert "| Période d'utilisation | **« à compléter »** |" in fria
    assert "- J33 : Analyse d'impact sur les droits fondamentaux — Règlement (UE) 2024/1689 modifié, art. 27 — applicable le 2027-12-02 (à venir)" in fria
    transparence = (sortie / "transparence.md").read_text(encoding="utf-8")
    assert "## Mention : vous échangez avec une IA (AI Act, art. 50, § 1)" in transparence
    assert "## Mention explicite sur la décision (CRPA, art. L311-3-1)" in transparence
    assert "art. 50, § 4" not in transparence  # aucun contenu publié ni hypertrucage
    # entrée du registre : les colonnes d'iag registre, jamais le contact
    assert "| Niveau de risque évalué | Élevé |" in transparence
    assert "| Date d'évaluation | 2026-11-30 |" in transparence
    assert "| Information sur les contenus générés (AI Act art. 50) | requise |" in transparence  # J14
    assert "| Mention sur les décisions (CRPA L311-3-1) | requise |" in transparence
    assert "drh-recrutement" not in transparence
    fiche = _lignes(sortie / "fiche-validation.md")
    assert "- Verdict : Élevé" in fiche
    assert "| Validé par (nom, fonction) | **« à compléter »** |" in fiche
    # la fiche montre le plan d'iag plan (cible : juste sous le seuil)
    assert any(ligne.startswith("- Cible : Modéré ; verdict après le plan : ") for ligne in fiche)
    index = (sortie / "index.md").read_text(encoding="utf-8")
    assert "[aipd.md](aipd.md)" in index and "J16 : Analyse d'impact relative à la protection des données (AIPD)" in index


def test_seul_la_fiche_pour_un_cas_faible(tmp_path):
    sortie = tmp_path / "d"
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-o", str(sortie))
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in sortie.iterdir()) == [".iag-dossier.json", "fiche-validation.md", "index.md"]
    fiche = _lignes(sortie / "fiche-validation.md")
    assert "- aucun plan : le verdict est sous le seuil, ou aucun seuil n'est fixé" in fiche
    assert r.stdout.strip().endswith("faible ; 1 document dans " + str(sortie) + " (fiche-validation.md)")


def test_cas_hostile_aucun_balisage(tmp_path):
    hostile = {
        "titre": "<script>alert(1)</script> [clic](javascript:alert(1)) **gras**",
        "service": "RH | colonne\n# titre injecté",
        "contact": "@tout-le-monde <img src=x onerror=alert(1)>",
        "description": "ligne 1\n\n## section injectée\n<!-- commentaire -->`code`",
    }
    cas = _cas_complet(tmp_path, **hostile)
    sortie = tmp_path / "d"
    r = _iag(str(cas), "-o", str(sortie))
    assert r.exit_code == 1, r.stderr
    for fichier in sortie.glob("*.md"):
        texte = fichier.read_text(encoding="utf-8")
        assert "<script" not in texte and "<img" not in texte and "<!--" not in texte
        assert "[clic](javascript" not in texte and "**gras**" not in texte and "`code`" not in texte
        assert "\\[clic\\](javascript" in texte  # le texte reste lisible, échappé
        assert "\n# titre injecté" not in texte and "\n## section injectée" not in texte
        assert "@tout" not in texte  # aucune mention qui notifierait quelqu'un
        for ligne in texte.splitlines():
            if ligne.startswith("| Service |"):
                assert ligne == "| Service | RH \\| colonne \\# titre injecté |"


def test_document_modifie_jamais_ecrase_sans_force(tmp_path):
    cas = _cas_complet(tmp_path)
    sortie = tmp_path / "d"
    assert _iag(str(cas), "-o", str(sortie)).exit_code == 1
    aipd = sortie / "aipd.md"
    aipd.write_text(aipd.read_text(encoding="utf-8") + "Base légale : mission d'intérêt public.\n", encoding="utf-8")
    modifie = aipd.read_bytes()
    fiche_avant = (sortie / "fiche-validation.md").read_bytes()
    r = _iag(str(cas), "-o", str(sortie), "--seuil", "critique")
    assert r.exit_code == 2
    assert "aipd.md" in r.stderr and "--force" in r.stderr
    assert aipd.read_bytes() == modifie and (sortie / "fiche-validation.md").read_bytes() == fiche_avant
    # --force remplace ; relancé ensuite sans changement : rien à refuser
    r = _iag(str(cas), "-o", str(sortie), "--force")
    assert r.exit_code == 1 and "mission d'intérêt public" not in aipd.read_text(encoding="utf-8")
    assert _iag(str(cas), "-o", str(sortie)).exit_code == 1


def test_fichier_existant_non_ecrit_par_iag_refuse(tmp_path):
    sortie = tmp_path / "d"
    sortie.mkdir()
    (sortie / "index.md").write_text("mes notes\n", encoding="utf-8")
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-o", str(sortie))
    assert r.exit_code == 2 and "index.md" in r.stderr
    assert (sortie / "index.md").read_text(encoding="utf-8") == "mes notes\n"
    assert not (sortie / "fiche-validation.md").exists()


def test_document_qui_ne_s_applique_plus(tmp_path):
    sortie = tmp_path / "d"
    cas = _cas_complet(tmp_path)
    assert _iag(str(cas), "-o", str(sortie)).exit_code == 1
    (sortie / "consultations.md").write_text("notes du CST\n", encoding="utf-8")
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-o", str(sortie), "--force")
    assert r.exit_code == 0, r.stderr
    # intacts : retirés ; modifié : gardé et signalé
    assert sorted(p.name for p in sortie.iterdir()) == [".iag-dossier.json", "consultations.md", "fiche-validation.md", "index.md"]
    assert "consultations.md ne s'applique plus mais a été modifié : gardé" in r.stderr
    manifeste = json.loads((sortie / ".iag-dossier.json").read_text(encoding="utf-8"))
    assert sorted(manifeste["fichiers"]) == ["consultations.md", "fiche-validation.md", "index.md"]


def test_lot_un_dossier_par_cas(tmp_path):
    entrees = tmp_path / "propositions"
    entrees.mkdir()
    for nom in ("traduction-site-web", "tri-candidatures-rh"):
        shutil.copy(RACINE / "exemples" / f"{nom}.yaml", entrees / f"{nom}.yaml")
    (entrees / "casse.yaml").write_text("titre: incomplet\n", encoding="utf-8")
    r = _iag(str(entrees), "-o", str(tmp_path / "lot"))
    assert r.exit_code == 3  # le lot contient un fichier invalide
    assert sorted(p.name for p in (tmp_path / "lot").iterdir()) == ["traduction-site-web", "tri-candidatures-rh"]
    assert "casse.yaml:1:1: clé obligatoire manquante" in r.stderr
    assert sorted(p.name for p in (tmp_path / "lot" / "tri-candidatures-rh").glob("*.md")) == [
        "aipd.md", "analyse-droits-fondamentaux.md", "consultations.md", "fiche-validation.md", "index.md", "transparence.md",
    ]


def _referentiel(tmp_path, remplacer=None):
    dossier = tmp_path / "ref"
    shutil.copytree(RACINE / "data", dossier)
    if remplacer:
        chemin = dossier / "documents.yaml"
        chemin.write_text(chemin.read_text(encoding="utf-8").replace(*remplacer), encoding="utf-8")
    return dossier


def test_referentiel_personnalise_adapte_les_documents(tmp_path):
    ref = _referentiel(tmp_path, ('a_completer: "« à compléter »"', 'a_completer: "[À RENSEIGNER]"'))
    sortie = tmp_path / "d"
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-o", str(sortie), "-r", str(ref))
    assert r.exit_code == 0, r.stderr
    assert "| Validé par (nom, fonction) | **\\[À RENSEIGNER\\]** |" in _lignes(sortie / "fiche-validation.md")


@pytest.mark.parametrize(("remplacer", "colonne", "attendu"), [
    (("regles: [J33]", "regles: [J99]"), 16, "règle juridique « J99 » inconnue du référentiel"),
    (("source: cas.contact}", "source: cas.courriel}"), 40, "source « cas.courriel » inconnue"),
    (("{champ: donnees.categories, contient_un_de", "{champ: donnees.categorie, contient_un_de"), 32,
     "champ « donnees.categorie » inconnu du cas d'usage"),
    (("niveau_minimum: élevé\n    sections", "niveau_minimum: eleve\n    sections"), 23, "niveau « eleve » inconnu"),
])
def test_documents_invalides_code_2_avec_position(tmp_path, remplacer, colonne, attendu):
    original = (RACINE / "data" / "documents.yaml").read_text(encoding="utf-8")
    ligne = original[: original.index(remplacer[0])].count("\n") + 1  # première occurrence, celle remplacée
    ref = _referentiel(tmp_path, remplacer)
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-o", str(tmp_path / "d"), "-r", str(ref))
    assert r.exit_code == 2
    assert f"documents.yaml:{ligne}:{colonne}: {attendu}" in r.stderr, r.stderr
    assert not (tmp_path / "d").exists()


def test_referentiel_sans_documents(tmp_path):
    ref = _referentiel(tmp_path)
    (ref / "documents.yaml").unlink()
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-o", str(tmp_path / "d"), "-r", str(ref))
    assert r.exit_code == 2 and "documents.yaml" in r.stderr and "Traceback" not in r.output


def test_format_inconnu(tmp_path):
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-o", str(tmp_path / "d"), "-f", "pdf")
    assert r.exit_code == 2 and "format « pdf » inconnu pour iag dossier" in r.stderr


def test_criteres_lus_une_liste_vide_se_lit_aucune(ref_defaut):
    modeles = charger_modeles(ref_defaut).fichier
    _, cas = lire_cas(str(RACINE / "exemples" / "tri-candidatures-rh.yaml"), ref_defaut)
    dossier = composer(cas, evaluer(cas, ref_defaut, dt.date(2026, 11, 30)), ref_defaut, modeles)
    fria = next(d for d in dossier.documents if d.id == "fria")
    (ligne,) = fria.sections[0].elements
    assert "fonctionnalités sensibles : aucune ; personnes concernées : grand public" in ligne


def test_transparence_seules_les_mentions_declenchees(tmp_path):
    sortie = tmp_path / "d"
    r = _iag(str(RACINE / "exemples" / "visuels-campagne-communication.yaml"), "-o", str(sortie))
    assert r.exit_code == 0, r.stderr
    titres = [ligne for ligne in _lignes(sortie / "transparence.md") if ligne.startswith("## ")]
    assert titres == [
        "## Mention : image, son ou vidéo générés ou manipulés (AI Act, art. 50, § 4, al. 1)",
        "## Entrée du registre des usages",
    ]


def test_entree_du_registre_identique_a_iag_registre(tmp_path):
    from iagcli.moteur.observatoire import COLONNES

    # Un usage en expérimentation (publié au registre ; un projet au stade de l'idée ne l'est pas).
    cas = RACINE / "exemples" / "visuels-campagne-communication.yaml"
    r = runner.invoke(app, ["registre", str(cas), "-f", "json", "--date", DATE, "--sans-config"])
    assert r.exit_code == 0, r.stderr
    donnees = json.loads(r.stdout)
    (ligne,) = donnees["usages"]
    sortie = tmp_path / "d"
    assert _iag(str(cas), "-o", str(sortie)).exit_code == 0
    transparence = _lignes(sortie / "transparence.md")
    debut = transparence.index("## Entrée du registre des usages")
    tableau = [x for x in transparence[debut:] if x.startswith("| ") and not x.startswith(("| champ", "| ---"))]
    from iagcli.rendus.evaluation.markdown import echapper

    assert tableau == [f"| {echapper(c.titre)} | {echapper(ligne[c.cle])} |" for c in COLONNES]


def test_format_html_pages_autonomes_et_echappees(tmp_path):
    import html5lib

    hostile = {"titre": "<script>alert(1)</script>", "service": "\"><img src=x onerror=alert(1)>"}
    cas = _cas_complet(tmp_path, **hostile)
    sortie = tmp_path / "h"
    r = _iag(str(cas), "-o", str(sortie), "-f", "html")
    assert r.exit_code == 1, r.stderr
    assert sorted(p.name for p in sortie.glob("*.html")) == [
        "aipd.html", "analyse-droits-fondamentaux.html", "consultations.html", "fiche-validation.html",
        "index.html", "transparence.html",
    ]
    for page in sortie.glob("*.html"):
        texte = page.read_text(encoding="utf-8")
        arbre = html5lib.parse(texte, namespaceHTMLElements=False)
        assert not arbre.findall(".//script") and not arbre.findall(".//img")
        assert "Content-Security-Policy" in texte and '<html lang="fr">' in texte
    aipd = html5lib.parse((sortie / "aipd.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)
    cellules = {tr.find("th").text: "".join(tr.find("td").itertext()) for tr in aipd.iter("tr") if tr.find("td") is not None}
    assert cellules["Service"] == "\"><img src=x onerror=alert(1)>"
    assert cellules["Responsable du traitement"] == "« à compléter »"
    index = html5lib.parse((sortie / "index.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)
    assert [a.get("href") for a in index.iter("a")] == [
        "fiche-validation.html", "aipd.html", "analyse-droits-fondamentaux.html", "transparence.html", "consultations.html",
    ]


def test_lien_a_la_place_d_un_document_jamais_suivi_meme_avec_force(tmp_path):
    ailleurs = tmp_path / "ailleurs.txt"
    ailleurs.write_text("à garder\n", encoding="utf-8")
    sortie = tmp_path / "d"
    sortie.mkdir()
    (sortie / "fiche-validation.md").symlink_to(ailleurs)
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-o", str(sortie), "--force")
    assert r.exit_code == 2 and "pas un fichier ordinaire" in r.stderr and "fiche-validation.md" in r.stderr
    assert ailleurs.read_text(encoding="utf-8") == "à garder\n"
    assert sorted(p.name for p in sortie.iterdir()) == ["fiche-validation.md"]


def test_sous_dossier_lie_hors_de_la_sortie_refuse(tmp_path, monkeypatch):
    """Un lien committé à la place de `dossiers/<cas>` envoyait index.md, les documents et le
    manifeste hors du dépôt ; refusé (code 2, le dossier nommé), rien n'est écrit dehors."""
    depot, dehors = tmp_path / "depot", tmp_path / "v3"
    (depot / "propositions").mkdir(parents=True)
    (depot / "dossiers").mkdir()
    dehors.mkdir()
    for nom in ("traduction-site-web", "assistant-documentaire-rag"):
        shutil.copy(RACINE / "exemples" / f"{nom}.yaml", depot / "propositions" / f"{nom}.yaml")
    (depot / "dossiers" / "traduction-site-web").symlink_to(dehors)
    monkeypatch.chdir(depot)
    r = _iag("propositions", "-o", "dossiers")
    assert r.exit_code == 2, r.output
    assert (f"iag : propositions/traduction-site-web.yaml: écriture dans « dossiers/traduction-site-web » impossible : "
            f"écriture refusée : un lien symbolique mène « dossiers/traduction-site-web » hors de {depot}") in r.stderr
    assert list(dehors.iterdir()) == []
    assert (depot / "dossiers" / "assistant-documentaire-rag" / "index.md").is_file()  # les autres cas sont écrits
    # Un cas invalide en plus : 2 (écriture refusée) l'emporte sur 3.
    (depot / "propositions" / "casse.yaml").write_text("titre: incomplet\n", encoding="utf-8")
    assert _iag("propositions", "-o", "dossiers").exit_code == 2
    assert list(dehors.iterdir()) == []


def test_dossier_nomme_hors_du_dossier_courant_par_un_lien_accepte(tmp_path, monkeypatch):
    """Le DOSSIER nommé en absolu hors du dossier courant est l'arbre demandé : s'il est un lien,
    c'est sa cible qui est remplie (l'utilisateur l'a nommé)."""
    cible, ailleurs = tmp_path / "cible", tmp_path / "ailleurs"
    cible.mkdir()
    ailleurs.mkdir()
    (tmp_path / "lien").symlink_to(cible)
    monkeypatch.chdir(ailleurs)
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-o", str(tmp_path / "lien"))
    assert r.exit_code == 0, r.output
    assert (cible / "index.md").is_file()
