"""Les exemples fournis : verdict attendu de chacun avec le référentiel par défaut, schéma JSON à jour."""

import datetime as dt
import json

import jsonschema
import pytest

from iagcli.es.chargeur import lire_document, valider
from iagcli.modeles.cas_usage import CasUsage
from iagcli.moteur.evaluation import evaluer
from iagcli.moteur.schema import schema_cas_usage_json

from conftest import RACINE

EXEMPLES = RACINE / "exemples"
ATTENDUS = {
    "traduction-site-web.yaml": "faible",
    "synthese-comptes-rendus.yaml": "modéré",
    "assistant-documentaire-rag.yaml": "modéré",
    "visuels-campagne-communication.yaml": "modéré",
    "tri-candidatures-rh.yaml": "élevé",
    "chatbot-usagers-hors-ue.yaml": "critique",
    "reconnaissance-emotions-accueil.yaml": "interdit",
    "relances-recouvrement.yaml": "modéré",  # étape de procédure, pas une décision
    "score-risque-fraude-aides.yaml": "élevé",  # licite : annexe III 5 a), pas l'art. 5
}
# Règles de l'annexe III déclenchées, à venir au 30 novembre 2026, en vigueur à partir du 2 décembre 2027.
ANNEXE_III = {
    "score-risque-fraude-aides.yaml": ["J10", "J32", "J33", "J34"],
    "tri-candidatures-rh.yaml": ["J09", "J30", "J32", "J33", "J34"],
}


def test_chaque_exemple_a_un_attendu():
    assert sorted(p.name for p in EXEMPLES.glob("*.yaml")) == sorted(ATTENDUS)


@pytest.mark.parametrize("nom, verdict", sorted(ATTENDUS.items()))
@pytest.mark.parametrize("date", [dt.date(2026, 11, 30), dt.date(2027, 12, 1), dt.date(2027, 12, 2), None])
def test_verdict_des_exemples(nom, verdict, date, ref_defaut):
    cas = valider(lire_document(str(EXEMPLES / nom)), CasUsage, {"mesures": ref_defaut.mesures})
    ev = evaluer(cas, ref_defaut, date)
    assert ev.verdict == verdict
    a_venir = sorted(r.id for r in ev.regles if r.statut == "à_venir")
    attendues = ANNEXE_III.get(nom, []) if date is not None and date < dt.date(2027, 12, 2) else []
    assert a_venir == attendues
    # Issue 21, point 7 : une pratique prohibée en vigueur n'a pas d'obligations de haut risque à
    # préparer ; elles sont listées « sans objet », à toute date.
    sans_objet = sorted(r.id for r in ev.regles if r.statut == "sans_objet")
    assert sans_objet == (["J09", "J30", "J32", "J33", "J34"] if nom == "reconnaissance-emotions-accueil.yaml" else [])


def test_schema_commite_a_jour():
    assert (RACINE / "schemas" / "cas-usage.schema.json").read_text(encoding="utf-8") == schema_cas_usage_json(), (
        "schéma périmé : lancer `iag schema > schemas/cas-usage.schema.json`"
    )


@pytest.mark.parametrize("nom", sorted(ATTENDUS))
def test_exemples_valides_selon_le_schema_json(nom):
    schema = json.loads((RACINE / "schemas" / "cas-usage.schema.json").read_text(encoding="utf-8"))
    texte = (EXEMPLES / nom).read_text(encoding="utf-8")
    assert texte.startswith("# yaml-language-server: $schema=../schemas/cas-usage.schema.json\n")
    jsonschema.Draft7Validator(schema).validate(lire_document(str(EXEMPLES / nom)).donnees)
