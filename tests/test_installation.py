"""La roue embarque le référentiel : `pip install .` puis `iag` depuis un autre dossier le trouve."""

import os
import subprocess
import sys

from conftest import RACINE


def test_roue_installee_trouve_le_referentiel(tmp_path):
    cible = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir", "--target", str(cible), str(RACINE)],
        check=True, capture_output=True, text=True,
    )
    assert (cible / "iagcli" / "data" / "risques.yaml").is_file()
    assert (cible / "iagcli" / "data" / "recommandations.yaml").is_file()
    ailleurs = tmp_path / "ailleurs"
    ailleurs.mkdir()
    env = {**os.environ, "PYTHONPATH": str(cible)}
    env.pop("IAG_REFERENTIEL", None)
    code = "import iagcli, iagcli.moteur.referentiel as r; print(iagcli.__file__); print(r.dossier_defaut())"
    sortie = subprocess.run([sys.executable, "-c", code], cwd=ailleurs, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert sortie[0].startswith(str(cible)) and sortie[1] == str(cible / "iagcli" / "data")
    cas = RACINE / "exemples" / "traduction-site-web.yaml"
    r = subprocess.run([sys.executable, "-m", "iagcli", "evaluer", str(cas)], cwd=ailleurs, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "Verdict : FAIBLE" in r.stdout
