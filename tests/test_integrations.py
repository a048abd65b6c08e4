"""Intégrations livrées : crochet pre-commit (vrai pre-commit), modèle GitLab CI, action GitHub."""

import os
import shlex
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


def _commande_gitlab():
    modele = yaml.safe_load((RACINE / "ci" / "iag.gitlab-ci.yml").read_text(encoding="utf-8"))
    job = modele[".iag"]
    commande = next(lg for lg in job["script"] if lg.startswith("iag "))
    return job, commande


def test_modele_gitlab_produit_ses_artefacts(tmp_path):
    job, commande = _commande_gitlab()
    assert set(job["artifacts"]["reports"]) == {"codequality", "junit"}
    depot = _depot_propositions(tmp_path, "traduction-site-web.yaml", "synthese-comptes-rendus.yaml")
    env = {**_env(tmp_path), **{k: str(v) for k, v in job["variables"].items()}}
    argv = [a.replace("$IAG_CHEMINS", env["IAG_CHEMINS"]) for a in shlex.split(commande)]
    r = subprocess.run([sys.executable, "-m", "iagcli", *argv[1:]], cwd=depot, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    attendus = [job["artifacts"]["reports"]["codequality"], job["artifacts"]["reports"]["junit"], *job["artifacts"]["paths"]]
    for nom in attendus:
        assert (depot / nom).stat().st_size > 0, nom


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
