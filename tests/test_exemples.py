"""Les exemples fournis : verdict attendu de chacun avec le référentiel par défaut, schéma JSON à jour."""

import json

import jsonschema
import pytest

from iagcli.chargeur import lire_document, valider
from iagcli.evaluation import evaluer
from iagcli.modeles.cas_usage import CasUsage
from iagcli.schema import schema_cas_usage_json

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
}


def test_chaque_exemple_a_un_attendu():
    assert sorted(p.name for p in EXEMPLES.glob("*.yaml")) == sorted(ATTENDUS)


@pytest.mark.parametrize("nom, verdict", sorted(ATTENDUS.items()))
def test_verdict_des_exemples(nom, verdict, ref_defaut):
    cas = valider(lire_document(str(EXEMPLES / nom)), CasUsage, {"mesures": ref_defaut.mesures})
    assert evaluer(cas, ref_defaut).verdict == verdict


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
