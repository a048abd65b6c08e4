"""Acceptation : le script `iag` installé, lancé en sous-processus sur un dépôt de propositions."""

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import RACINE

IAG = Path(sys.executable).parent / "iag"
EXEMPLES = RACINE / "exemples"


@pytest.fixture(scope="module")
def depot(tmp_path_factory):
    d = tmp_path_factory.mktemp("depot")
    (d / "propositions" / "2026").mkdir(parents=True)
    shutil.copy(EXEMPLES / "traduction-site-web.yaml", d / "propositions" / "traduction.yaml")
    shutil.copy(EXEMPLES / "synthese-comptes-rendus.yaml", d / "propositions" / "2026" / "synthese.yml")
    shutil.copy(EXEMPLES / "chatbot-usagers-hors-ue.yaml", d / "propositions" / "2026" / "chatbot.yaml")
    (d / "propositions" / "casse.yaml").write_text("titre: [non fermé\n", encoding="utf-8")
    (d / "propositions" / ".brouillons").mkdir()
    (d / "propositions" / ".brouillons" / "ignore.yaml").write_text("n'importe: quoi\n", encoding="utf-8")
    return d


def lancer(depot, *args, env=None):
    assert IAG.exists(), f"script iag introuvable : {IAG}"
    environnement = {k: v for k, v in os.environ.items() if not k.startswith(("IAG_", "GITHUB_"))}
    environnement.update(env or {})
    return subprocess.run([str(IAG), *args], cwd=depot, capture_output=True, text=True, env=environnement)


def test_codes_de_sortie(depot):
    assert lancer(depot, "evaluer", "propositions/traduction.yaml").returncode == 0
    assert lancer(depot, "evaluer", "propositions/2026/chatbot.yaml").returncode == 1  # critique >= élevé
    assert lancer(depot, "evaluer", "propositions/2026/chatbot.yaml", "--seuil", "jamais").returncode == 0
    assert lancer(depot, "evaluer", "propositions/casse.yaml", "--seuil", "jamais").returncode == 3  # fichier de cas invalide : son propre code
    assert lancer(depot, "evaluer", "propositions/absent.yaml").returncode == 2
    assert lancer(depot, "evaluer", "propositions/", "--referentiel", "nulle-part").returncode == 2


def test_tous_les_formats_d_un_coup(depot, tmp_path):
    sorties = {f: tmp_path / f"iag.{f}" for f in ("json", "sarif", "gitlab", "junit", "markdown", "github")}
    args = [a for f, p in sorties.items() for a in ("-o", f"{f}:{p}")]
    r = lancer(depot, "evaluer", "propositions/", *args, env={"NO_COLOR": "1"})
    assert r.returncode == 3  # un cas critique et un invalide : 3 l’emporte sur 1
    assert "Traceback" not in r.stdout + r.stderr
    assert "\x1b[" not in r.stdout  # pas de couleur hors terminal
    assert "Bilan : 4 fichiers · 1 faible · 1 modéré · 1 critique · 1 invalide" in r.stdout
    assert r.stderr.startswith("propositions/casse.yaml:2:1: ")

    rapport = json.loads(sorties["json"].read_text(encoding="utf-8"))
    schema = json.loads((RACINE / "schemas" / "rapport.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(rapport)
    assert {c["fichier"]: c.get("verdict") for c in rapport["cas"]} == {
        "propositions/2026/chatbot.yaml": "critique",
        "propositions/2026/synthese.yml": "modéré",
        "propositions/casse.yaml": None,
        "propositions/traduction.yaml": "faible",
    }
    assert rapport["bilan"]["au_dessus_du_seuil"] == 1 and rapport["bilan"]["invalides"] == 1

    sarif = json.loads(sorties["sarif"].read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    resultats = sarif["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in resultats} >= {
        "propositions/2026/chatbot.yaml", "propositions/casse.yaml"}
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in resultats)

    gitlab = json.loads(sorties["gitlab"].read_text(encoding="utf-8"))
    assert gitlab and all(set(g) >= {"description", "check_name", "fingerprint", "severity", "location"} for g in gitlab)
    assert {g["severity"] for g in gitlab} <= {"info", "minor", "major", "critical", "blocker"}
    assert len({g["fingerprint"] for g in gitlab}) == len(gitlab)

    junit = ET.parse(sorties["junit"]).getroot()
    cas = junit.iter("testcase")
    assert len(list(cas)) == 5  # dont le dossier caché .brouillons, listé comme ignoré (sauté)
    assert [s.get("message") for s in junit.iter("skipped")] == ["ignoré : caché (nom commençant par « . »)"]
    assert len(list(junit.iter("failure"))) == 1 and len(list(junit.iter("error"))) == 1

    assert sorties["markdown"].read_text(encoding="utf-8").startswith("## ")
    annotations = sorties["github"].read_text(encoding="utf-8").splitlines()
    assert annotations and all(lg.startswith(("::error ", "::warning ", "::notice ")) for lg in annotations)


def test_entree_standard_et_format_json_sur_la_sortie(depot):
    texte = (EXEMPLES / "tri-candidatures-rh.yaml").read_text(encoding="utf-8")
    r = subprocess.run([str(IAG), "evaluer", "-", "--nom-stdin", "propositions/rh.yaml", "-f", "json", "--seuil", "critique"],
                       input=texte, cwd=depot, capture_output=True, text=True)
    assert r.returncode == 0
    rapport = json.loads(r.stdout)
    assert rapport["cas"][0]["fichier"] == "propositions/rh.yaml"
    assert rapport["cas"][0]["verdict"] == "élevé"


def test_resume_github(depot, tmp_path):
    resume = tmp_path / "resume.md"
    resume.write_text("# avant\n", encoding="utf-8")
    r = lancer(depot, "evaluer", "propositions/", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(resume)})
    assert r.returncode == 3  # le lot contient un fichier invalide
    assert resume.read_text(encoding="utf-8").startswith("# avant\n")
    assert "Agent conversationnel pour les demandes des usagers" in resume.read_text(encoding="utf-8")
