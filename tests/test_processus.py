"""Le script `iag` installé face à un environnement hostile : sortie standard fermée ou pleine,
tube rompu, encodage réduit, largeur de terminal absurde, messages de Click et du système en
français. Chaque test lance le vrai processus (codes de sortie et octets réellement écrits)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DONNEES, MINI, RACINE

IAG = Path(sys.executable).parent / "iag"
EXEMPLES = RACINE / "exemples"
CAS = str(EXEMPLES / "traduction-site-web.yaml")
INTERDIT = str(EXEMPLES / "reconnaissance-emotions-accueil.yaml")


def environnement(**env) -> dict:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("IAG_", "GITHUB_", "PYTHON"))}
    e.pop("COLUMNS", None)
    e.update(NO_COLOR="1", PYTHONIOENCODING="utf-8")
    e.update(env)
    return {k: v for k, v in e.items() if v is not None}


def lancer(*args, env=None, entree=None, cwd=None, **kw):
    assert IAG.exists(), f"script iag introuvable : {IAG}"
    r = subprocess.run([str(IAG), *map(str, args)], capture_output=True, env=environnement(**(env or {})),
                       input=entree, cwd=cwd, **kw)
    sortie, erreurs = r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in sortie + erreurs
    assert "Exception ignored" not in erreurs
    assert "erreur interne" not in erreurs
    return r.returncode, sortie, erreurs


# --- 16. GITHUB_STEP_SUMMARY inutilisable : un avertissement, jamais un échec ------------------------

@pytest.mark.parametrize("resume, texte", [
    ("/dev/full", "plus de place sur le périphérique"),
    ("DOSSIER", "c'est un dossier"),
])
def test_resume_github_impossible_n_est_qu_un_avertissement(tmp_path, resume, texte):
    resume = str(tmp_path) if resume == "DOSSIER" else resume
    code, sortie, erreurs = lancer("evaluer", CAS, "-f", "github", env={"GITHUB_STEP_SUMMARY": resume})
    assert code == 0
    assert erreurs.splitlines() == [f"iag : résumé GitHub impossible ({resume} : {texte})"]


# --- 12. COLUMNS absurde : largeur bornée (40 à 200) --------------------------------------------------

@pytest.mark.parametrize("commande", [("evaluer", CAS), ("matrice",), ("risques", "R01")])
@pytest.mark.parametrize("colonnes", ["0", "100000"])
def test_largeur_bornee(commande, colonnes):
    code, sortie, erreurs = lancer(*commande, env={"COLUMNS": colonnes})
    assert code == 0 and erreurs == ""
    lignes = sortie.splitlines()
    assert len(lignes) > 5
    assert max(len(x) for x in lignes) <= 200
    assert max(len(x) for x in lignes) >= 30  # jamais une colonne de caractères isolés
