"""Règles datées (évaluation à une date, règles à venir ou échues, veille juridique périmée) et
crédit des mesures borné (plafond par dimension, plancher, mesures contredites, nature détective,
pondérations qui se recouvrent). Référentiel : une copie du mini où seuls dates, plancher et
contradictions changent, pour que chaque attendu se calcule à la main."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.controleur import executer
from iagcli.erreurs import ErreurReferentiel
from iagcli.es.chemins import developper
from iagcli.moteur.evaluation import evaluer
from iagcli.moteur.referentiel import charger
from iagcli.rendus.evaluation import creer

from conftest import DONNEES, MINI, RACINE

# JI (interdiction) à partir du 2 décembre 2026, JO (niveau minimum élevé) à partir du 2 décembre
# 2027, JP (AIPD) échue après le 31 décembre 2026 ; T2 : plancher de probabilité 3 ; MA démentie
# quand rien n'est relu.
REMPLACEMENTS = [
    ("  - id: JI\n    applicable_depuis: 2025-02-02", "  - id: JI\n    applicable_depuis: 2026-12-02"),
    ("  - id: JO\n    applicable_depuis: 2025-02-02", "  - id: JO\n    applicable_depuis: 2027-12-02"),
    ("  - id: JP\n    applicable_depuis: 2025-02-02", "  - id: JP\n    applicable_depuis: 2018-05-25\n    applicable_jusqu_au: 2026-12-31"),
    ("        raison: données sensibles en nombre\n    sources: [test]",
     "        raison: données sensibles en nombre\n    plancher: {probabilite: 3}\n    sources: [test]"),
    ("      - {risque: T1, probabilite: -1}\n    sources: [test]\n  - id: MB",
     "      - {risque: T1, probabilite: -1}\n    contredite_si:\n      - si: {champ: revue_humaine, egal: aucune}\n"
     "        raison: rien n'est relu\n    sources: [test]\n  - id: MB"),
]

AVANT, APRES = dt.date(2027, 12, 1), dt.date(2027, 12, 2)


def copie_modifiee(dossier, remplacements):
    dossier.mkdir(exist_ok=True)
    shutil.copy(MINI / "recommandations.yaml", dossier / "recommandations.yaml")
    texte = (MINI / "risques.yaml").read_text(encoding="utf-8")
    for avant, apres in remplacements:
        assert texte.count(avant) == 1, avant
        texte = texte.replace(avant, apres)
    (dossier / "risques.yaml").write_text(texte, encoding="utf-8")
    return dossier


@pytest.fixture(scope="module")
def dossier_date(tmp_path_factory):
    return copie_modifiee(tmp_path_factory.mktemp("ref") / "dates", REMPLACEMENTS)


@pytest.fixture(scope="module")
def ref(dossier_date):
    return charger(dossier_date)


def regles(ev):
    return {r.id: r for r in ev.regles}


# --- Évaluation à une date ---------------------------------------------------------------------


def test_haut_risque_a_venir_la_veille_puis_applicable_le_2_decembre_2027(ref, cas):
    c = cas(decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"})
    avant, apres = evaluer(c, ref, AVANT), evaluer(c, ref, APRES)
    # Le 1er décembre 2027, JO est listée « à venir » et ne relève pas le verdict (T1 faible).
    assert regles(avant)["JO"].statut == "à_venir"
    assert (avant.verdict, avant.motif) == ("faible", "niveau résiduel le plus haut : T1")
    assert (apres.verdict, apres.motif) == ("élevé", "niveau minimum imposé par la règle JO")
    assert regles(apres)["JO"].statut == "applicable"
    # Les deux évaluations ne diffèrent que par la règle datée : mêmes risques, mêmes règles listées.
    assert avant.risques == apres.risques
    assert [r.id for r in avant.regles] == [r.id for r in apres.regles] == ["JO"]
    assert regles(avant)["JO"].applicable_depuis == dt.date(2027, 12, 2)
    assert avant.mesures_suggerees == apres.mesures_suggerees and avant.recommandations == apres.recommandations


def test_interdiction_a_venir_ne_rend_pas_interdit_avant_sa_date(ref, cas):
    c = cas(fonctionnalites_sensibles=["notation_sociale"])
    avant = evaluer(c, ref, dt.date(2026, 12, 1))
    assert avant.verdict == "faible" and regles(avant)["JI"].statut == "à_venir"
    apres = evaluer(c, ref, dt.date(2026, 12, 2))
    assert (apres.verdict, apres.motif) == ("interdit", "pratique interdite : JI")


def test_regle_echue_listee_sans_effet(ref, cas):
    c = cas(donnees={"categories": ["sensibles"], "volume": "grande_échelle"})
    assert regles(evaluer(c, ref, dt.date(2026, 12, 31)))["JP"].statut == "applicable"
    echue = regles(evaluer(c, ref, dt.date(2027, 1, 1)))["JP"]
    assert (echue.statut, echue.applicable_jusqu_au) == ("échue", dt.date(2026, 12, 31))


def test_regle_a_venir_avant_la_prochaine_revue(ref, cas):
    decision = {"type": "aide_à_la_décision", "domaine": "rh_recrutement"}
    # prochaine revue le 15 janvier 2027 (cas de base) : JO (2 décembre 2027) viendra après
    assert regles(evaluer(cas(decision_individuelle=decision), ref, AVANT))["JO"].avant_revue is False
    tardive = evaluer(cas(decision_individuelle=decision, prochaine_revue="2027-12-02"), ref, AVANT)
    assert regles(tardive)["JO"].avant_revue is True


# --- Référentiel : dates et veille -----------------------------------------------------------------


def _diagnostics(tmp_path, remplacements):
    with pytest.raises(ErreurReferentiel) as e:
        charger(copie_modifiee(tmp_path / "ref", remplacements))
    return [str(d).split("/ref/", 1)[1] for d in e.value.diagnostics]


def test_fin_d_application_avant_le_debut_refusee(tmp_path):
    assert _diagnostics(tmp_path, [("  - id: JO\n    applicable_depuis: 2025-02-02",
                                    "  - id: JO\n    applicable_depuis: 2025-02-02\n    applicable_jusqu_au: 2025-02-02")]) == [
        "risques.yaml:109:26: fin d'application (2025-02-02) avant ou le jour de son début (2025-02-02)"
    ]


def test_date_d_application_facultative_et_valide(tmp_path, cas):
    # Issue 21, point 8 : une date qu'aucun texte primaire n'établit sort des données ; la règle est
    # alors tenue pour en vigueur à toute date, jamais « à venir ».
    modifs = [("  - id: JI\n    applicable_depuis: 2025-02-02\n", "  - id: JI\n")]
    sans_date = charger(copie_modifiee(tmp_path / "sans-date", modifs), cache=False)
    assert sans_date.regles["JI"].applicable_depuis is None
    c = cas(fonctionnalites_sensibles=["notation_sociale"])
    ev = evaluer(c, sans_date, dt.date(2000, 1, 1))
    assert (ev.verdict, [(r.id, r.statut, r.applicable_depuis) for r in ev.regles if r.id == "JI"]) == ("interdit", [("JI", "applicable", None)])
    assert _diagnostics(tmp_path, [("  - id: JI\n    applicable_depuis: 2025-02-02\n", "  - id: JI\n    applicable_depuis: 2025-02-30\n")]) == [
        "risques.yaml:100:24: date invalide : attendu AAAA-MM-JJ"
    ]


def test_peremption_de_la_veille(ref):
    # vérifiée le 30 novembre 2026, valable 12 mois
    assert ref.peremption() == dt.date(2027, 11, 30)
    assert not ref.perime_le(dt.date(2027, 11, 30)) and ref.perime_le(dt.date(2027, 12, 1))


# --- Ligne de commande : --date, IAG_DATE, .iag.yaml, avertissement ------------------------------

runner = CliRunner()


@pytest.fixture(scope="module")
def CAS_JO(tmp_path_factory):
    """Le cas de base (T1 faible), avec une aide à la décision sur les aides sociales : JO."""
    texte = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")
    assert texte.count("decision_individuelle:\n  type: aucune\n") == 1
    texte = texte.replace("decision_individuelle:\n  type: aucune\n", "decision_individuelle:\n  type: aide_à_la_décision\n  domaine: aides_sociales\n")
    chemin = tmp_path_factory.mktemp("cas") / "haut-risque.yaml"
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def iag(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def _json(r):
    return json.loads(r.stdout)


def test_option_date_variable_et_configuration(dossier_date, tmp_path, CAS_JO):
    base = ["evaluer", CAS_JO, "-r", dossier_date, "-f", "json"]
    r = iag(*base, "--date", "2027-06-01")
    assert r.exit_code == 0, r.output  # JO à venir : verdict sous le seuil élevé
    doc = _json(r)
    assert doc["date_evaluation"] == "2027-06-01"
    jo = doc["cas"][0]["regles"][0]
    assert (jo["id"], jo["statut"], jo["applicable_depuis"], jo["applicable_jusqu_au"]) == ("JO", "à_venir", "2027-12-02", None)
    r = iag(*base, env={"IAG_DATE": "2027-12-02"})
    assert r.exit_code == 1 and _json(r)["cas"][0]["verdict"] == "élevé"
    conf = tmp_path / ".iag.yaml"
    conf.write_text("date: 2027-06-01\n", encoding="utf-8")
    r = iag(*base, "--config", conf)
    assert r.exit_code == 0 and _json(r)["date_evaluation"] == "2027-06-01"
    # l'option l'emporte sur le fichier
    assert _json(iag(*base, "--config", conf, "--date", "2027-12-02"))["date_evaluation"] == "2027-12-02"


@pytest.mark.parametrize("date", ["2027-13-01", "02/12/2027", "demain", "20271202"])
def test_date_invalide_code_2(dossier_date, date, CAS_JO):
    r = iag("evaluer", CAS_JO, "-r", dossier_date, "--date", date)
    assert r.exit_code == 2
    assert r.stderr == f"iag : date « {date} » invalide : attendu AAAA-MM-JJ (ex. 2027-12-02)\n"
    assert r.stdout == ""


def test_date_invalide_dans_la_configuration(dossier_date, tmp_path, CAS_JO):
    conf = tmp_path / ".iag.yaml"
    conf.write_text("seuil: élevé\ndate: 2027-02-30\n", encoding="utf-8")
    r = iag("evaluer", CAS_JO, "-r", dossier_date, "--config", conf)
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["Configuration invalide :", f"{conf}:2:7: date invalide : attendu AAAA-MM-JJ"]


def test_referentiel_perime_une_ligne_sur_stderr(dossier_date, CAS_JO):
    r = iag("evaluer", CAS_JO, "-r", dossier_date, "--date", "2027-12-01")
    assert r.stderr.splitlines() == [
        "iag : avertissement : la vérification juridique du référentiel date du 30 novembre 2026 (2026-11-30), "
        "plus de 12 mois avant la date d'évaluation (2027-12-01) : le droit a pu changer, faites vérifier ou mettez à jour le référentiel"
    ]
    assert iag("evaluer", CAS_JO, "-r", dossier_date, "--date", "2027-11-30").stderr == ""


def produire(fmt, ref, date, CAS_JO):
    flux = io.StringIO()
    executer(developper([str(CAS_JO)]), ref, [creer(fmt, flux, ref, seuil="élevé", date=date)], "élevé", None, date)
    return flux.getvalue()


def test_regle_a_venir_et_peremption_dans_chaque_format(ref, CAS_JO):
    date = dt.date(2027, 12, 1)  # JO à venir le lendemain ; veille périmée depuis la veille
    texte_ref = (Path(ref.dossier) / "risques.yaml").read_text(encoding="utf-8").splitlines()
    ligne_veille = next(i for i, t in enumerate(texte_ref, 1) if t.startswith("  verifiee_le:"))
    doc = json.loads(produire("json", ref, date, CAS_JO))
    assert doc["cas"][0]["regles"][0]["statut"] == "à_venir"
    assert doc["referentiel"]["veille_juridique"] == {
        "verifiee_le": "2026-11-30", "base": "Textes de test", "peremption_mois": 12, "valable_jusqu_au": "2027-11-30", "perimee": True,
    }
    assert doc["avertissements"][0].startswith("référentiel périmé : la vérification juridique du référentiel date du 30 novembre 2026")
    schema = json.loads((RACINE / "schemas" / "rapport.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)

    sarif = json.loads(produire("sarif", ref, date, CAS_JO))
    run = sarif["runs"][0]
    jo = [x for x in run["results"] if x["ruleId"] == "JO"]
    assert len(jo) == 1 and jo[0]["level"] == "note" and "à venir (applicable le 2 décembre 2027)" in jo[0]["message"]["text"]
    assert run["properties"]["date_evaluation"] == "2027-12-01"
    assert run["invocations"][0]["toolExecutionNotifications"][0]["level"] == "warning"

    gitlab = json.loads(produire("gitlab", ref, date, CAS_JO))
    assert gitlab[0]["check_name"] == "iag/referentiel-perime" and gitlab[0]["severity"] == "info"
    assert gitlab[0]["location"]["lines"]["begin"] == ligne_veille
    assert [x["severity"] for x in gitlab if x["check_name"] == "JO"] == ["info"]

    github = produire("github", ref, date, CAS_JO).splitlines()
    assert github[0].startswith("::warning title=iag %3A référentiel périmé::la vérification juridique")
    assert [ligne.split(" ", 1)[0] for ligne in github if "title=iag JO" in ligne] == ["::notice"]

    markdown = produire("markdown", ref, date, CAS_JO)
    assert "> **Avertissement** : la vérification juridique du référentiel date du 30 novembre 2026" in markdown
    assert "- **À VENIR** JO Haut risque (AI Act annexe III), obligation à venir (applicable le 2 décembre 2027) : " in markdown

    junit = produire("junit", ref, date, CAS_JO)
    assert 'name="referentiel.perime"' in junit and 'name="date_evaluation" value="2027-12-01"' in junit
    assert "JO obligation : Haut risque (AI Act annexe III), à venir (applicable le 2 décembre 2027)" in junit

    texte = " ".join(produire("texte", ref, date, CAS_JO).split())
    assert "Règles juridiques applicables au 1er décembre 2027" in texte
    assert "À VENIR JO Haut risque (AI Act annexe III) — obligation, à venir (applicable le 2 décembre 2027)" in texte


# --- Crédit des mesures ----------------------------------------------------------------------------


def par_id(ev):
    return {e.id: e for e in ev.risques}


def test_mesure_dementie_par_les_reponses_non_creditee(ref, cas):
    sans = evaluer(cas(revue_humaine="aucune", destinataires="usagers"), ref)
    avec = evaluer(cas(revue_humaine="aucune", destinataires="usagers", mesures_en_place=["MA"]), ref)
    t1 = par_id(avec)["T1"]
    # T1 : P2 +2 (aucune relecture) = 4, G1 +1 = 2 ; MA démentie : rien n'est crédité
    assert t1.residuel == par_id(sans)["T1"].residuel == t1.initial
    assert t1.mesures_appliquees == ()
    etape = [e for e in t1.trace if e.genre == "mesure_contredite"]
    assert [(e.mesure, e.texte, e.champs) for e in etape] == [("MA", "rien n'est relu", (("revue_humaine", "aucune"),))]
    assert [(m.id, m.raison) for m in avec.mesures_contredites] == [("MA", "rien n'est relu")]
    assert avec.verdict == sans.verdict == "élevé"
    # avec une relecture ponctuelle, MA est créditée : P2 +1 = 3, -1 = 2
    credite = par_id(evaluer(cas(revue_humaine="ponctuelle", mesures_en_place=["MA"]), ref))["T1"]
    assert credite.mesures_appliquees == ("MA",) and credite.residuel.probabilite == 2


def test_plancher_du_risque(ref, cas):
    c = cas(donnees={"categories": ["personnelles"], "volume": "limité"}, hebergement="hors_ue", mesures_en_place=["MB"])
    t2 = par_id(evaluer(c, ref))["T2"]
    # T2 : P2 +2 (hors UE) = 4, G3 ; MB : P-2 G-1 -> P2 G2, relevé au plancher P3 -> P3 G2 élevé
    assert (t2.initial.probabilite, t2.initial.gravite) == (4, 3)
    assert (t2.residuel.probabilite, t2.residuel.gravite, t2.residuel.niveau) == (3, 2, "élevé")
    assert [(e.genre, e.probabilite, e.gravite) for e in t2.trace][-1] == ("plancher", 1, 0)
    # jamais au-dessus de l'inhérent : sans hébergement hors UE, P2 reste P2 malgré le plancher 3
    t2 = par_id(evaluer(cas(donnees={"categories": ["personnelles"], "volume": "limité"}, mesures_en_place=["MB"]), ref))["T2"]
    assert (t2.initial.probabilite, t2.residuel.probabilite) == (2, 2)


def test_plafond_du_credit_par_dimension(tmp_path, cas):
    ref = charger(copie_modifiee(tmp_path / "ref", [("credit_mesures: {max_par_dimension: 2,", "credit_mesures: {max_par_dimension: 1,")]))
    t1 = par_id(evaluer(cas(revue_humaine="aucune", destinataires="usagers", mesures_en_place=["MA", "MB"]), ref))["T1"]
    # P4 G2 ; MA et MB : P-2, plafonné à P-1 -> P3 G2 élevé
    assert (t1.residuel.probabilite, t1.residuel.gravite, t1.residuel.niveau) == (3, 2, "élevé")
    assert [(e.genre, e.probabilite) for e in t1.trace if e.genre == "plafond_credit"] == [("plafond_credit", 1)]


def test_mesure_detective_sans_effet_sur_la_gravite(tmp_path):
    assert _diagnostics(tmp_path, [("    titre: Hébergement maîtrisé\n    nature: préventive", "    titre: Hébergement maîtrisé\n    nature: détective")]) == [
        "risques.yaml:95:48: une mesure détective ne baisse jamais la gravité (parametres.credit_mesures.par_nature) : retirez cet effet ou changez la nature de la mesure"
    ]


def test_ponderations_qui_se_recouvrent_refusees(tmp_path):
    assert _diagnostics(tmp_path, [("      - si: {champ: revue_humaine, egal: ponctuelle}", "      - si: {champ: revue_humaine, au_moins: ponctuelle}")]) == [
        "risques.yaml:51:13: pondération qui recouvre la pondération n° 1 (ligne 48) du risque T1 sur « revue_humaine » (probabilité) :"
        " les deux s'appliquent pour « revue_humaine : aucune » ; une même réponse ne doit relever le risque qu'une fois :"
        " rendez les conditions disjointes"
    ]


def test_recouvrement_par_une_reponse_inconnue(tmp_path):
    # « egal: ue » et « egal: hors_ue » sont disjointes pour une réponse connue, mais une réponse
    # « inconnu » déclenche les deux hausses : la même réponse relèverait deux fois le risque.
    diagnostics = _diagnostics(tmp_path, [(
        "      - si: {champ: hebergement, egal: hors_ue}\n        probabilite: 2\n",
        "      - si: {champ: hebergement, egal: hors_ue}\n        probabilite: 2\n        raison: hébergement hors UE\n"
        "      - si: {champ: hebergement, egal: ue}\n        probabilite: 1\n",
    )])
    assert len(diagnostics) == 1 and "les deux s'appliquent pour « hebergement : inconnu »" in diagnostics[0]


def test_ponderations_disjointes_ou_sur_d_autres_dimensions_acceptees(ref_defaut, ref_mini):
    # Le référentiel fourni et le mini passent le contrôle (ils se chargent) ; R16 : « plus de 1000 »
    # relève la probabilité, « 100 à 1000 et plus » la gravité : pas de recouvrement.
    r16 = ref_defaut.risques["R16"]
    assert [(p.probabilite, p.gravite) for p in r16.ponderations if "nombre_utilisateurs" in str(p.si)] == [(0, 1), (1, 0)]


def test_mesure_contredite_dans_les_rapports(ref, tmp_path):
    texte = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8").replace("revue_humaine: systématique\n", "revue_humaine: aucune\n")
    fichier = tmp_path / "contredite.yaml"
    fichier.write_text(texte + "mesures_en_place: [MA]\n", encoding="utf-8")
    ligne_revue = texte.splitlines().index("revue_humaine: aucune") + 1
    date = dt.date(2027, 1, 1)
    doc = json.loads(produire("json", ref, date, fichier))
    schema = json.loads((RACINE / "schemas" / "rapport.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["cas"][0]["mesures_contredites"] == [{
        "id": "MA", "raison": "rien n'est relu", "incertaine": False,
        "champs": [{"champ": "revue_humaine", "reponse": "aucune", "ligne": ligne_revue, "colonne": 1}],
    }]
    trace = [t for t in doc["cas"][0]["risques"][0]["trace"] if t["genre"] == "mesure_contredite"]
    assert [(t["mesure"], t["texte"]) for t in trace] == [("MA", "rien n'est relu")]
    sarif = json.loads(produire("sarif", ref, date, fichier))
    resultats = [x for x in sarif["runs"][0]["results"] if x["ruleId"] == "iag/mesure-contredite"]
    assert len(resultats) == 1 and resultats[0]["level"] == "warning"
    assert resultats[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": ligne_revue, "startColumn": 1}
    assert "mesure MA « Relecture » déclarée en place mais non créditée : rien n'est relu" in resultats[0]["message"]["text"]
    assert "Mesure MA déclarée mais non créditée : rien n'est relu" in produire("markdown", ref, date, fichier)
    assert "Mesure MA déclarée mais non créditée : rien n'est relu" in " ".join(produire("texte", ref, date, fichier).split())
    assert "MA déclarée mais non créditée : rien n'est relu" in produire("junit", ref, date, fichier)
    assert [x["severity"] for x in json.loads(produire("gitlab", ref, date, fichier)) if x["check_name"] == "iag/mesure-contredite"] == ["minor"]


def test_regle_a_venir_avant_la_revue_dans_les_rapports(ref, tmp_path):
    texte = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")
    texte = texte.replace("prochaine_revue: 2027-01-15", "prochaine_revue: 2027-12-15").replace(
        "decision_individuelle:\n  type: aucune\n", "decision_individuelle:\n  type: aide_à_la_décision\n  domaine: aides_sociales\n")
    fichier = tmp_path / "revue.yaml"
    fichier.write_text(texte, encoding="utf-8")
    note = "Elle s'appliquera avant la prochaine revue du cas (15 décembre 2027) : à préparer dès maintenant."
    date = dt.date(2027, 6, 1)
    assert json.loads(produire("json", ref, date, fichier))["cas"][0]["regles"][0]["avant_revue"] is True
    for fmt in ("sarif", "junit", "texte", "markdown", "github", "gitlab"):
        assert note in " ".join(produire(fmt, ref, date, fichier).split()).replace("\\", ""), fmt
