"""Issue 20, §3 : le titre et la description lus contre les réponses (lexiques du référentiel)."""

import json
import shutil
import sys

import pytest
from typer.testing import CliRunner

from iagcli.cli import app

from conftest import DONNEES, RACINE

BASE = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")
DATE = "2026-09-01"
ISSUE = ("Analyser en temps réel la reconnaissance faciale des visiteurs, détecter les émotions des usagers et "
         "refuser automatiquement les prestations aux bénéficiaires signalés.")


def iag(*args, **kw):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)


def cas(tmp_path, description, nom="cas.yaml"):
    p = tmp_path / nom
    p.write_text(BASE.replace("description: Traduction de pages publiques.", f"description: {description}"), encoding="utf-8")
    return p


def test_mesure_aucune_fausse_alerte_et_tout_detecte():
    """Le chiffre de la note de clôture : 0 fausse alerte sur les descriptions bénignes et les exemples,
    toutes les contradictions du corpus trouvées (bench/lexiques.py l'imprime)."""
    sys.path.insert(0, str(RACINE / "bench"))
    from lexiques import mesurer

    m = mesurer()
    assert m["benignes"] >= 40 and m["contradictoires"] >= 15
    assert (m["fausses"], m["fausses_exemples"], m["manquees"]) == ([], [], [])


def test_cas_de_l_issue_avertit_dans_chaque_format_sans_echouer_par_defaut(tmp_path):
    f = cas(tmp_path, ISSUE)
    r = iag("evaluer", f, "-r", DONNEES / "referentiel-mini", "-f", "json")
    assert r.exit_code == 0  # un avertissement, pas un échec : le référentiel mini n'a pas de lexique
    r = iag("evaluer", f, "-f", "json", "--date", DATE)
    doc = json.loads(r.stdout)
    alertes = {(a["champ"], a["valeur"]): a for a in doc["cas"][0]["alertes_description"]}
    assert set(alertes) == {("fonctionnalites_sensibles", "identification_biométrique"),
                            ("fonctionnalites_sensibles", "reconnaissance_émotions"),
                            ("decision_individuelle.type", "décision_automatisée")}
    assert alertes[("fonctionnalites_sensibles", "reconnaissance_émotions")]["mots"] == ["détecter les émotions", "émotions des usagers"]
    assert alertes[("decision_individuelle.type", "décision_automatisée")]["ligne"] == 22  # la clé « type »
    assert doc["bilan"]["alertes_description"] == 1
    for format_, attendu in (("texte", "Avertissement (description)"), ("markdown", "Avertissement (description)"),
                             ("html", "Avertissement (description)"), ("sarif", "iag/description-contredit"),
                             ("gitlab", "iag/description-contredit"), ("github", "iag/description-contredit"),
                             ("junit", "avertissement (description)")):
        sortie = iag("evaluer", f, "-f", format_, "--date", DATE, env={"COLUMNS": "200"}).stdout
        assert attendu in sortie, format_
        assert "reconnaissance faciale" in sortie, format_


def test_option_et_configuration_font_echouer(tmp_path):
    f = cas(tmp_path, ISSUE)
    assert iag("evaluer", f, "--date", DATE, "--seuil", "jamais").exit_code == 0
    assert iag("evaluer", f, "--date", DATE, "--seuil", "jamais", "--alertes-description-echec").exit_code == 1
    (tmp_path / ".iag.yaml").write_text("alertes_description_echec: true\nseuil: jamais\n", encoding="utf-8")
    assert iag("evaluer", f, "--date", DATE, "--config", tmp_path / ".iag.yaml").exit_code == 1
    sain = cas(tmp_path, "Traduire les pages du site.", "sain.yaml")
    assert iag("evaluer", sain, "--date", DATE, "--config", tmp_path / ".iag.yaml").exit_code == 0


@pytest.mark.parametrize("texte", ["RECONNAISSANCE FACIALE des visiteurs", "reconnaissances faciales à l'entrée",
                                   "reconnaissance faciale", "Reconnaissance   faciale"])
def test_casse_accents_flexions_indifferents(tmp_path, texte):
    r = iag("evaluer", cas(tmp_path, texte), "-f", "json", "--date", DATE)
    assert [a["valeur"] for a in json.loads(r.stdout)["cas"][0]["alertes_description"]] == ["identification_biométrique"]


@pytest.mark.parametrize("texte", ["Sans reconnaissance faciale ni analyse des émotions.",
                                   "L'outil ne fait aucune reconnaissance faciale.",
                                   "L'outil ne détecte pas les émotions."])
def test_negation_annule(tmp_path, texte):
    r = iag("evaluer", cas(tmp_path, texte), "-f", "json", "--date", DATE)
    assert json.loads(r.stdout)["cas"][0]["alertes_description"] == []


def test_reponse_qui_declare_la_valeur_n_alerte_pas(tmp_path):
    f = cas(tmp_path, "Reconnaissance faciale des visiteurs.")
    f.write_text(f.read_text(encoding="utf-8").replace("fonctionnalites_sensibles: []", "fonctionnalites_sensibles: [identification_biométrique]"),
                 encoding="utf-8")
    r = iag("evaluer", f, "-f", "json", "--date", DATE)
    assert json.loads(r.stdout)["cas"][0]["alertes_description"] == []


def test_lexique_verifie_au_chargement(tmp_path):
    dossier = tmp_path / "ref"
    shutil.copytree(RACINE / "data", dossier)
    risques = dossier / "risques.yaml"
    texte = risques.read_text(encoding="utf-8")
    ancien = "      valeur: reconnaissance_émotions\n      expressions: [reconnaissance des émotions"
    assert ancien in texte
    ligne = texte[: texte.index(ancien)].count("\n") + 1
    risques.write_text(texte.replace(ancien, ancien.replace("reconnaissance_émotions\n", "reconnaissance_émotion\n")), encoding="utf-8")
    r = iag("evaluer", RACINE / "exemples" / "traduction-site-web.yaml", "-r", dossier)
    assert r.exit_code == 2
    assert f"{risques}:{ligne}:15: valeur « reconnaissance_émotion » impossible pour « fonctionnalites_sensibles »" in r.stderr
