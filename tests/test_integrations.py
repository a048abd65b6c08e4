"""Intégrations livrées : crochet pre-commit (vrai pre-commit), modèle GitLab CI, action GitHub."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import RACINE

EXEMPLES = RACINE / "exemples"
BIN = str(Path(sys.executable).parent)


def _git(depot, *args):
    subprocess.run(["git", *args], cwd=depot, check=True, capture_output=True)


def _env(tmp_path):
    return {
        **os.environ,
        "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "cache-pre-commit"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "NO_COLOR": "1",
    }


def _depot_propositions(tmp_path, *noms):
    depot = tmp_path / "depot"
    (depot / "propositions").mkdir(parents=True)
    for nom in noms:
        shutil.copy(EXEMPLES / nom, depot / "propositions" / nom)
    (depot / ".gitlab-ci.yml").write_text("pas: un cas d'usage\n", encoding="utf-8")
    _git(depot, "init", "-q")
    return depot


def test_crochet_pre_commit_reel(tmp_path):
    pytest.importorskip("pre_commit")
    manifeste = yaml.safe_load((RACINE / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    crochet = next(h for h in manifeste if h["id"] == "iag")
    # Configuration locale reprenant la définition du manifeste ; `system` utilise l'iag installé.
    local = {**crochet, "language": "system", "files": "^propositions/"}
    depot = _depot_propositions(tmp_path, "traduction-site-web.yaml", "chatbot-usagers-hors-ue.yaml")
    (depot / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}), encoding="utf-8")
    _git(depot, "add", "-A")
    env = _env(tmp_path)
    commande = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    r = subprocess.run(commande, cwd=depot, env=env, capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Agent conversationnel pour les demandes des usagers" in r.stdout  # le cas critique est rapporté
    assert "Failed" in r.stdout
    _git(depot, "rm", "-q", "-f", "propositions/chatbot-usagers-hors-ue.yaml")
    r = subprocess.run(commande, cwd=depot, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout


def _job_gitlab():
    modele = yaml.safe_load((RACINE / "ci" / "iag.gitlab-ci.yml").read_text(encoding="utf-8"))
    return modele[".iag"]


def _executer_gitlab(job, depot, tmp_path):
    """Tout le `script` du travail, sauf l'installation, par bash, avec les variables du travail :
    comme l'exécuteur le ferait dans le dépôt cloné."""
    lignes = [lg for lg in job["script"] if not lg.startswith("pip ")]
    env = {**_env(tmp_path), **{k: str(v) for k, v in job["variables"].items()}, "CI_PROJECT_DIR": str(depot)}
    return subprocess.run(["bash", "-ec", "\n".join(lignes)], cwd=depot, env=env, capture_output=True, text=True)


def _artefacts_gitlab(job):
    return [job["artifacts"]["reports"]["codequality"], job["artifacts"]["reports"]["junit"], *job["artifacts"]["paths"]]


def test_modele_gitlab_produit_ses_artefacts(tmp_path):
    job = _job_gitlab()
    assert set(job["artifacts"]["reports"]) == {"codequality", "junit"}
    depot = _depot_propositions(tmp_path, "traduction-site-web.yaml", "synthese-comptes-rendus.yaml")
    r = _executer_gitlab(job, depot, tmp_path)
    assert r.returncode == 0, r.stderr
    for nom in _artefacts_gitlab(job):
        assert (depot / nom).stat().st_size > 0, nom


NOMS_RAPPORTS = ("iag.json", "iag.md", "iag-junit.xml", "gl-code-quality-report.json", "iag.sarif")


def _victimes(tmp_path):
    victime = tmp_path / "victime"
    victime.mkdir()
    for nom in NOMS_RAPPORTS:
        (victime / nom).write_text("secret\n", encoding="utf-8")
    return victime


def _intactes(victime):
    return sorted(p.name for p in victime.iterdir()) == sorted(NOMS_RAPPORTS) and all(
        (victime / n).read_text(encoding="utf-8") == "secret\n" for n in NOMS_RAPPORTS)


def test_modele_gitlab_depot_hostile(tmp_path):
    """Liens committés sous le nom de chaque rapport, et sous celui du dossier des rapports, vers des
    fichiers hors du dépôt (un profil de shell d'un exécuteur persistant) : rien n'est écrit dehors."""
    job = _job_gitlab()
    depot = _depot_propositions(tmp_path, "traduction-site-web.yaml", "chatbot-usagers-hors-ue.yaml")
    victime = _victimes(tmp_path)
    for nom in NOMS_RAPPORTS:
        (depot / nom).symlink_to(victime / nom)
    (depot / "iag-rapports").symlink_to(victime)
    _git(depot, "add", "-A")
    r = _executer_gitlab(job, depot, tmp_path)
    assert r.returncode == 1, r.stderr  # le cas critique fait échouer, les rapports sont écrits
    assert _intactes(victime)
    assert not (depot / "iag-rapports").is_symlink()
    for nom in _artefacts_gitlab(job):
        assert (depot / nom).stat().st_size > 0 and not (depot / nom).is_symlink(), nom


def _etape_github():
    action = yaml.safe_load((RACINE / "action.yml").read_text(encoding="utf-8"))
    return action, action["runs"]["steps"][-1]


def _executer_github(etape, depot, tmp_path, entrees):
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    sorties = tmp_path / "github-output"
    sorties.write_text("", encoding="utf-8")
    env = {**_env(tmp_path), "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(sorties),
           "GITHUB_STEP_SUMMARY": str(tmp_path / "resume.md"), "GITHUB_RUN_ID": "42", "GITHUB_JOB": "iag"}
    for cle, valeur in etape["env"].items():  # `${{ inputs.x }}` résolu comme le ferait le runner
        env[cle] = entrees.get(valeur.removeprefix("${{ inputs.").removesuffix(" }}"), valeur) if valeur.startswith("${{") else valeur
    r = subprocess.run(["bash", "-ec", etape["run"]], cwd=depot, env=env, capture_output=True, text=True)
    return r, dict(lg.split("=", 1) for lg in sorties.read_text(encoding="utf-8").splitlines() if "=" in lg), runner_temp


def test_action_github_depot_hostile(tmp_path):
    """Un lien `iag.sarif` committé vers un fichier hors du dépôt : le SARIF est écrit sous
    $RUNNER_TEMP, hors du dépôt, et son chemin est la sortie `sarif` de l'étape."""
    action, etape = _etape_github()
    assert action["outputs"]["sarif"]["value"] == "${{ steps.iag.outputs.sarif }}" and etape["id"] == "iag"
    entrees = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    depot = _depot_propositions(tmp_path, "traduction-site-web.yaml")
    victime = _victimes(tmp_path)
    for nom in NOMS_RAPPORTS:
        (depot / nom).symlink_to(victime / nom)
    r, sorties, runner_temp = _executer_github(etape, depot, tmp_path, entrees)
    assert r.returncode == 0, r.stderr
    assert _intactes(victime)
    sarif = Path(sorties["sarif"])
    assert sarif == runner_temp / "iag-42-iag" / "iag.sarif"
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    # Sans SARIF : sortie vide, rien d'écrit.
    r, sorties, _ = _executer_github(etape, depot, tmp_path, {**entrees, "sarif": ""})
    assert (r.returncode, sorties["sarif"]) == (0, "")
    assert _intactes(victime)


def test_action_github_composite_sans_injection():
    action = yaml.safe_load((RACINE / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    for etape in action["runs"]["steps"]:
        # aucune entrée interpolée dans un script shell : elles passent par `env`
        assert "${{ inputs." not in etape.get("run", "")
    etape = action["runs"]["steps"][-1]
    assert "--format github" in etape["run"]
    assert "iag evaluer --sans-config " in etape["run"]  # un .iag.yaml de la pull request est ignoré
    assert set(etape["env"]) == {"IAG_CHEMINS", "IAG_SEUIL", "IAG_REFERENTIEL", "IAG_REFERENTIEL_SHA256", "IAG_SARIF", "IAG_CACHE",
                                 "IAG_SIGNATAIRES_CONTENU"}
    assert etape["env"]["IAG_SIGNATAIRES_CONTENU"] == "${{ inputs.signataires }}"
    assert etape["env"]["IAG_CACHE"] == "0"  # machine neuve : pas de cache du référentiel
    assert etape["env"]["IAG_REFERENTIEL_SHA256"] == "${{ inputs.referentiel-sha256 }}"
