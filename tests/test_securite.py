"""Propositions non fiables en CI (issue 10, partie A), par le script `iag` installé.

Rien dans un dépôt de propositions ne peut abaisser la barre ni écrire hors du dépôt : configuration
découverte (`tests/corpus/hostile/configurations/`), chemins de rapports, périphériques et liens,
caractères de contrôle venus de la configuration, de l'environnement ou des arguments, noms de
fichiers non UTF-8 ou bidirectionnels, signaux, cibles en double, dossiers illisibles.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.moteur.referentiel import charger

from conftest import MINI, RACINE

IAG = Path(sys.executable).parent / "iag"
EXEMPLES = RACINE / "exemples"
CONFIGS = Path(__file__).parent / "corpus" / "hostile" / "configurations"
INTERDIT = EXEMPLES / "reconnaissance-emotions-accueil.yaml"  # interdit (critique avec le référentiel mini)
FAIBLE = EXEMPLES / "traduction-site-web.yaml"
CRITIQUE = EXEMPLES / "chatbot-usagers-hors-ue.yaml"
PERMISES = "faible, modéré, élevé, critique, interdit, jamais"


def lancer(cwd, *args, env=None, **kw):
    """Le script installé, sans variable IAG_* ni GITHUB_* héritée ; aucune trace Python."""
    assert IAG.exists(), f"script iag introuvable : {IAG}"
    environnement = {k: v for k, v in os.environ.items() if not k.startswith(("IAG_", "GITHUB_"))}
    environnement["NO_COLOR"] = "1"
    environnement.update(env or {})
    kw.setdefault("stdout", subprocess.PIPE)
    r = subprocess.run([str(IAG), *map(str, args)], cwd=cwd, stderr=subprocess.PIPE, env=environnement, **kw)
    sortie = (r.stdout or b"").decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in sortie and "erreur interne" not in sortie, sortie
    return r


def erreurs(r) -> list[str]:
    return r.stderr.decode("utf-8").splitlines()


def depot(tmp_path: Path, config: str | None = None, *cas: Path) -> Path:
    """Un dépôt de propositions (racine marquée par .git), sa configuration hostile, ses cas."""
    d = tmp_path / "depot"
    (d / ".git").mkdir(parents=True)
    (d / "propositions").mkdir()
    for c in cas or (INTERDIT,):
        shutil.copy(c, d / "propositions" / c.name)
    if config is not None:
        shutil.copy(CONFIGS / config, d / ".iag.yaml")
    if config == "referentiel-laxiste.iag.yaml":
        shutil.copytree(MINI, d / "laxiste")
    return d


def position(fichier: Path, valeur: str) -> str:
    """« ligne:colonne » de la première occurrence de `valeur` dans le fichier."""
    for n, ligne in enumerate(fichier.read_text(encoding="utf-8").splitlines(), 1):
        if valeur in ligne:
            return f"{n}:{ligne.index(valeur) + 1}"
    raise AssertionError(valeur)


def test_corpus_des_configurations_entierement_utilise():
    assert sorted(p.name for p in CONFIGS.iterdir()) == sorted([
        "format-controle.iag.yaml", "rapport-evasion.iag.yaml", "rapport-lien.iag.yaml",
        "referentiel-laxiste.iag.yaml", "seuil-controle.iag.yaml", "seuil-jamais.iag.yaml",
    ])


# --- 1. Une configuration du dépôt ne fait pas passer un cas interdit en CI -------------------------


@pytest.mark.parametrize("config", ["seuil-jamais.iag.yaml", "referentiel-laxiste.iag.yaml"])
def test_configuration_decouverte_ignoree_par_sans_config(config, tmp_path):
    d = depot(tmp_path, config)
    # Sans --sans-config, la configuration du dépôt s'applique (c'est son rôle hors CI)…
    assert lancer(d, "evaluer", "propositions/", "-q").returncode == 0
    # … avec, seuls comptent les options et les variables : le cas interdit fait échouer.
    r = lancer(d, "evaluer", "--sans-config", "propositions/", "-f", "json")
    assert r.returncode == 1
    rapport = json.loads(r.stdout)
    assert rapport["cas"][0]["verdict"] == "interdit" and rapport["seuil"] == "élevé"
    assert rapport["referentiel"]["sha256"] == {Path(n).name: s for n, s in charger().empreintes.items()}
    assert lancer(d, "evaluer", "propositions/", "-q", env={"IAG_SANS_CONFIG": "1"}).returncode == 1
    assert lancer(d, "valider", "--sans-config", "propositions/").returncode == 0


def test_sans_config_exclut_une_configuration_explicite(tmp_path):
    d = depot(tmp_path, "seuil-jamais.iag.yaml")
    attendu = ["iag : --sans-config (ou IAG_SANS_CONFIG) ignore toute configuration : il exclut --config et IAG_CONFIG"]
    r = lancer(d, "evaluer", "--sans-config", "--config", ".iag.yaml", "propositions/")
    assert (r.returncode, erreurs(r), r.stdout) == (2, attendu, b"")
    r = lancer(d, "evaluer", "propositions/", env={"IAG_SANS_CONFIG": "1", "IAG_CONFIG": ".iag.yaml"})
    assert (r.returncode, erreurs(r)) == (2, attendu)


def test_modele_gitlab_ignore_la_configuration_du_depot(tmp_path):
    job = yaml.safe_load((RACINE / "ci" / "iag.gitlab-ci.yml").read_text(encoding="utf-8"))[".iag"]
    script = "\n".join(lg for lg in job["script"] if not lg.startswith("pip "))  # tout le travail, sans l'installation
    d = depot(tmp_path, "referentiel-laxiste.iag.yaml")
    env = {k: str(v) for k, v in job["variables"].items()}
    assert env["IAG_CACHE"] == "0"  # rien du cache d'un autre travail du même exécuteur
    env["PATH"] = str(IAG.parent) + os.pathsep + os.environ.get("PATH", "")
    environnement = {k: v for k, v in os.environ.items() if not k.startswith(("IAG_", "GITHUB_"))}
    r = subprocess.run(["bash", "-ec", script], cwd=d, env={**environnement, **env}, capture_output=True, text=True)
    assert r.returncode == 1, r.stderr
    rapport = d / job["artifacts"]["paths"][0]
    assert rapport.name == "iag.json"
    assert json.loads(rapport.read_text(encoding="utf-8"))["cas"][0]["verdict"] == "interdit"


def test_action_github_ignore_la_configuration_du_depot(tmp_path):
    action = yaml.safe_load((RACINE / "action.yml").read_text(encoding="utf-8"))
    etape = action["runs"]["steps"][-1]
    d = depot(tmp_path, "seuil-jamais.iag.yaml")
    valeurs = {"inputs.chemins": "propositions/", "inputs.seuil": "élevé", "inputs.referentiel": "",
               "inputs.referentiel-sha256": "", "inputs.sarif": "iag.sarif", "inputs.signataires": ""}
    env = {k: valeurs.get(v.strip("${} "), v) for k, v in etape["env"].items()}  # valeurs littérales gardées
    assert env["IAG_CACHE"] == "0"
    env["PATH"] = str(IAG.parent) + os.pathsep + os.environ.get("PATH", "")
    (tmp_path / "runner").mkdir()
    env.update(RUNNER_TEMP=str(tmp_path / "runner"), GITHUB_OUTPUT=str(tmp_path / "sorties"), GITHUB_RUN_ID="1", GITHUB_JOB="iag")
    environnement = {k: v for k, v in os.environ.items() if not k.startswith(("IAG_", "GITHUB_"))}
    r = subprocess.run(["bash", "-c", etape["run"]], cwd=d, env={**environnement, **env}, capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "::error file=propositions/reconnaissance-emotions-accueil.yaml" in r.stdout
    # l'épinglage par l'entrée referentiel-sha256 : un autre référentiel fait échouer l'étape (code 2)
    shutil.copytree(MINI, d / "laxiste")
    env.update(IAG_REFERENTIEL="laxiste", IAG_REFERENTIEL_SHA256=charger().empreinte)
    r = subprocess.run(["bash", "-c", etape["run"]], cwd=d, env={**environnement, **env}, capture_output=True, text=True)
    assert r.returncode == 2 and "référentiel refusé" in r.stderr


def test_crochet_pre_commit_ignore_la_configuration_du_depot(tmp_path):
    manifeste = yaml.safe_load((RACINE / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    d = depot(tmp_path, "seuil-jamais.iag.yaml")
    for crochet in manifeste:
        entree = shlex.split(crochet["entry"])
        assert entree[0] == "iag" and "--sans-config" in entree
    evaluer = shlex.split(next(h for h in manifeste if h["id"] == "iag")["entry"])
    # pre-commit ajoute les fichiers modifiés après l'entrée
    assert lancer(d, *evaluer[1:], "propositions/reconnaissance-emotions-accueil.yaml").returncode == 1


def test_decouverte_s_arrete_a_la_racine_du_depot(tmp_path):
    (tmp_path / ".iag.yaml").write_text("seuil: jamais\n", encoding="utf-8")  # au-dessus du dépôt
    d = depot(tmp_path)
    (d / "propositions" / "sous").mkdir()
    assert lancer(d / "propositions" / "sous", "evaluer", "../reconnaissance-emotions-accueil.yaml", "-q").returncode == 1
    # la racine du dépôt elle-même est lue (ici un .git fichier, comme dans un sous-module)
    (d / ".git").rmdir()
    (d / ".git").write_text("gitdir: ailleurs\n", encoding="utf-8")
    shutil.copy(CONFIGS / "seuil-jamais.iag.yaml", d / ".iag.yaml")
    assert lancer(d / "propositions", "evaluer", "reconnaissance-emotions-accueil.yaml", "-q").returncode == 0


def test_decouverte_s_arrete_au_dossier_personnel(tmp_path):
    (tmp_path / ".iag.yaml").write_text("seuil: jamais\n", encoding="utf-8")  # au-dessus de $HOME
    maison = tmp_path / "maison"
    (maison / "projet").mkdir(parents=True)
    shutil.copy(INTERDIT, maison / "projet" / "cas.yaml")
    env = {"HOME": str(maison)}
    assert lancer(maison / "projet", "evaluer", "cas.yaml", "-q", env=env).returncode == 1
    (maison / ".iag.yaml").write_text("seuil: jamais\n", encoding="utf-8")  # $HOME lui-même est lu
    assert lancer(maison / "projet", "evaluer", "cas.yaml", "-q", env=env).returncode == 0


def test_referentiel_epingle_par_sha256(tmp_path):
    d = depot(tmp_path, None, FAIBLE)
    attendue = charger().empreinte
    # l'empreinte se recalcule avec les outils du système, dans le dossier du référentiel
    calculee = subprocess.run("sha256sum risques.yaml recommandations.yaml | sha256sum", shell=True, cwd=RACINE / "data",
                              capture_output=True, text=True).stdout.split()[0]
    assert calculee == attendue
    assert lancer(d, "evaluer", "propositions/", "--referentiel-sha256", attendue.upper()).returncode == 0
    assert lancer(d, "evaluer", "propositions/", env={"IAG_REFERENTIEL_SHA256": attendue}).returncode == 0
    mini = charger(MINI).empreinte
    r = lancer(d, "evaluer", "propositions/", "-r", MINI, "--referentiel-sha256", attendue)
    assert (r.returncode, r.stdout) == (2, b"")
    assert erreurs(r) == [f"iag : référentiel refusé : son sha256 est {mini} ({MINI}), --referentiel-sha256 attend {attendue}"]
    r = lancer(d, "valider", "propositions/", "-r", MINI, env={"IAG_REFERENTIEL_SHA256": attendue})
    assert r.returncode == 2 and "référentiel refusé" in r.stderr.decode()
    r = lancer(d, "evaluer", "propositions/", "--referentiel-sha256", "abc")
    assert (r.returncode, erreurs(r)) == (2, ["iag : --referentiel-sha256 « abc » invalide : 64 chiffres hexadécimaux attendus"])


def test_epinglage_refuse_le_referentiel_d_une_configuration(tmp_path):
    d = depot(tmp_path, "referentiel-laxiste.iag.yaml")
    r = lancer(d, "evaluer", "propositions/", env={"IAG_REFERENTIEL_SHA256": charger().empreinte})
    assert r.returncode == 2 and f"son sha256 est {charger(MINI).empreinte}" in r.stderr.decode()


def test_documents_epingles_par_documents_sha256(tmp_path):
    """documents.yaml (iag dossier) a son propre épinglage : celui du référentiel garde sa valeur."""
    d = depot(tmp_path, None, FAIBLE)
    attendue = hashlib.sha256((RACINE / "data" / "documents.yaml").read_bytes()).hexdigest()
    calculee = subprocess.run("sha256sum documents.yaml", shell=True, cwd=RACINE / "data",
                              capture_output=True, text=True).stdout.split()[0]
    assert calculee == attendue
    cas = f"propositions/{FAIBLE.name}"
    assert lancer(d, "dossier", cas, "-o", "a", "--documents-sha256", attendue.upper()).returncode == 0
    assert lancer(d, "dossier", cas, "-o", "b", env={"IAG_DOCUMENTS_SHA256": attendue}).returncode == 0
    # Un documents.yaml modifié à côté d'un référentiel intact : l'empreinte du référentiel ne change pas…
    copie = tmp_path / "ref"
    shutil.copytree(RACINE / "data", copie)
    with open(copie / "documents.yaml", "a", encoding="utf-8") as f:
        f.write("# modifié par la proposition\n")
    modifiee = hashlib.sha256((copie / "documents.yaml").read_bytes()).hexdigest()
    epingle = ["-r", copie, "--referentiel-sha256", charger().empreinte]
    assert lancer(d, "evaluer", cas, "-q", *epingle).returncode == 0
    assert lancer(d, "dossier", cas, "-o", "c", *epingle).returncode == 0
    # … celle de documents.yaml, si : refusé, rien n'est écrit.
    r = lancer(d, "dossier", cas, "-o", "e", *epingle, "--documents-sha256", attendue)
    assert (r.returncode, r.stdout, (d / "e").exists()) == (2, b"", False)
    assert erreurs(r) == [f"iag : documents.yaml refusé : son sha256 est {modifiee} ({copie / 'documents.yaml'}), "
                          f"--documents-sha256 attend {attendue}"]
    r = lancer(d, "dossier", cas, "-o", "e", "--documents-sha256", "abc")
    assert (r.returncode, erreurs(r), (d / "e").exists()) == (
        2, ["iag : --documents-sha256 « abc » invalide : 64 chiffres hexadécimaux attendus"], False)


def test_commandes_referentiel_epinglees(tmp_path):
    """iag referentiel verifier|exporter|comparer : même --referentiel-sha256 (et même variable) qu'evaluer."""
    defaut, mini = charger().empreinte, charger(MINI).empreinte
    refus = [f"iag : référentiel refusé : son sha256 est {mini} ({MINI}), --referentiel-sha256 attend {defaut}"]
    for commande in (["verifier", MINI], ["exporter", MINI, "-f", "csv"], ["comparer", MINI, RACINE / "data"]):
        r = lancer(tmp_path, "referentiel", *commande, "--referentiel-sha256", defaut)
        assert (r.returncode, r.stdout, erreurs(r)) == (2, b"", refus), commande
        r = lancer(tmp_path, "referentiel", *commande, env={"IAG_REFERENTIEL_SHA256": defaut})
        assert (r.returncode, erreurs(r)) == (2, refus), commande
    assert lancer(tmp_path, "referentiel", "verifier", RACINE / "data", "--referentiel-sha256", defaut).returncode == 0
    assert lancer(tmp_path, "referentiel", "exporter", RACINE / "data", "-f", "csv", "--referentiel-sha256", defaut).returncode == 0
    # comparer épingle ANCIEN (le référentiel en service) ; NOUVEAU est la proposition, qui change.
    r = lancer(tmp_path, "referentiel", "comparer", RACINE / "data", MINI, "--referentiel-sha256", defaut)
    assert r.returncode in (0, 1) and "refusé" not in r.stderr.decode()
    r = lancer(tmp_path, "referentiel", "exporter", RACINE / "data", "-f", "csv", "--referentiel-sha256", "abc")
    assert (r.returncode, erreurs(r)) == (2, ["iag : --referentiel-sha256 « abc » invalide : 64 chiffres hexadécimaux attendus"])


@pytest.mark.parametrize("commande", [["risques"], ["recommandations"], ["matrice"], ["nouveau", "-r", "laxiste"]])
def test_consultations_sans_config_et_epinglees(commande, tmp_path):
    """Les consultations lisent la configuration découverte comme evaluer, et l'ignorent de même."""
    d = depot(tmp_path, "referentiel-laxiste.iag.yaml")
    defaut = charger().empreinte
    if commande[0] == "nouveau":  # -r : le référentiel du dépôt, refusé par l'épinglage
        r = lancer(d, *commande, "--referentiel-sha256", defaut)
        assert r.returncode == 2 and f"son sha256 est {charger(MINI).empreinte}" in r.stderr.decode()
        commande = ["nouveau"]
    else:
        # La configuration du dépôt choisit le référentiel laxiste : l'épinglage le refuse…
        r = lancer(d, *commande, "--referentiel-sha256", defaut)
        assert (r.returncode, r.stdout) == (2, b"")
        assert erreurs(r) == [f"iag : référentiel refusé : son sha256 est {charger(MINI).empreinte} "
                              f"({d / 'laxiste'}), --referentiel-sha256 attend {defaut}"]
    # … --sans-config (ou IAG_SANS_CONFIG) l'ignore : le référentiel fourni, accepté.
    assert lancer(d, *commande, "--sans-config", "--referentiel-sha256", defaut).returncode == 0
    assert lancer(d, *commande, env={"IAG_SANS_CONFIG": "1", "IAG_REFERENTIEL_SHA256": defaut}).returncode == 0
    r = lancer(d, *commande, env={"IAG_SANS_CONFIG": "1", "IAG_CONFIG": ".iag.yaml"})
    assert (r.returncode, erreurs(r)) == (
        2, ["iag : --sans-config (ou IAG_SANS_CONFIG) ignore toute configuration : il exclut --config et IAG_CONFIG"])


# --- 2. Les rapports d'une configuration restent dans son dossier -----------------------------------


def test_rapport_de_configuration_hors_du_depot_refuse(tmp_path):
    d = depot(tmp_path, "rapport-evasion.iag.yaml", FAIBLE)
    r = lancer(d / "propositions", "evaluer", ".")
    config = d / ".iag.yaml"
    assert (r.returncode, r.stdout) == (2, b"")
    assert erreurs(r) == ["Configuration invalide :", f"{config}:{position(config, '../../evasion.sh')}: chemin de rapport "
                          f"« ../../evasion.sh » refusé : il sort du dossier de la configuration ({d})"]
    assert not (tmp_path.parent / "evasion.sh").exists() and not (d / "iag.json").exists()


def test_rapport_de_configuration_absolu_refuse(tmp_path):
    d = depot(tmp_path, None, FAIBLE)
    dehors = tmp_path / "profil.sh"
    (d / ".iag.yaml").write_text(f"rapports:\n  - format: markdown\n    fichier: {dehors}\n", encoding="utf-8")
    r = lancer(d, "evaluer", "propositions/")
    assert r.returncode == 2
    assert erreurs(r) == ["Configuration invalide :", f"{d / '.iag.yaml'}:3:14: chemin de rapport « {dehors} » refusé : "
                          "un chemin relatif au dossier de la configuration est attendu"]
    assert not dehors.exists()


def test_rapport_de_configuration_par_un_lien_refuse(tmp_path):
    d = depot(tmp_path, "rapport-lien.iag.yaml", FAIBLE)
    dehors = tmp_path / "dehors"
    dehors.mkdir()
    (d / "sortie").symlink_to(dehors)
    r = lancer(d, "evaluer", "propositions/")
    assert r.returncode == 2
    assert erreurs(r)[1] == (f"{d / '.iag.yaml'}:4:14: chemin de rapport « sortie/iag.json » refusé : "
                             f"il sort du dossier de la configuration ({d})")
    assert list(dehors.iterdir()) == []
    # un lien de fichier qui mène dehors aussi
    (d / "sortie").unlink()
    (d / "sortie").mkdir()
    (d / "sortie" / "iag.json").symlink_to(dehors / "vole.json")
    assert lancer(d, "evaluer", "propositions/").returncode == 2
    assert list(dehors.iterdir()) == []


def test_rapport_de_configuration_dans_le_depot_et_o_libre(tmp_path):
    d = depot(tmp_path, None, FAIBLE)
    (d / "rapports").mkdir()
    (d / ".iag.yaml").write_text("rapports:\n  - {format: json, fichier: rapports/iag.json}\n", encoding="utf-8")
    # lancé d'un sous-dossier : le chemin est relatif au fichier de configuration
    assert lancer(d / "propositions", "evaluer", ".").returncode == 0
    assert json.loads((d / "rapports" / "iag.json").read_text(encoding="utf-8"))["bilan"]["total"] == 1
    # -o sur la ligne de commande garde toute liberté (c'est l'appelant qui choisit)
    assert lancer(d, "evaluer", "propositions/", "-o", f"json:{tmp_path / 'dehors.json'}").returncode == 0
    assert (tmp_path / "dehors.json").exists()


# --- 3. -o sur un périphérique, un tube ou un lien ne les remplace pas --------------------------------


def test_o_vers_un_peripherique_ne_le_remplace_pas(tmp_path):
    nul = tmp_path / "nul"
    try:
        os.mknod(nul, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # comme /dev/null, sans toucher au vrai
    except (PermissionError, OSError):
        pytest.skip("création d'un périphérique impossible ici (pas root, ou conteneur sans mknod)")
    r = lancer(tmp_path, "evaluer", FAIBLE, "-o", "json:nul", "-o", "sarif:nul")
    assert r.returncode == 0, r.stderr
    assert stat.S_ISCHR(os.lstat(nul).st_mode)
    assert not list(tmp_path.glob(".iag-*"))


def test_o_vers_un_tube_nomme_ecrit_directement(tmp_path):
    tube = tmp_path / "tube"
    os.mkfifo(tube)
    lecteur = os.open(tube, os.O_RDONLY | os.O_NONBLOCK)  # un lecteur, pour que l'écrivain ne bloque pas
    try:
        r = lancer(tmp_path, "evaluer", FAIBLE, "-o", "json:tube")
        assert r.returncode == 0, r.stderr
        morceaux = []
        while True:
            try:
                morceau = os.read(lecteur, 1 << 16)
            except BlockingIOError:
                break
            if not morceau:
                break
            morceaux.append(morceau)
    finally:
        os.close(lecteur)
    assert json.loads(b"".join(morceaux))["bilan"]["total"] == 1
    assert stat.S_ISFIFO(os.lstat(tube).st_mode)


def test_o_vers_un_lien_ecrit_sa_cible(tmp_path):
    (tmp_path / "cible.json").write_text("ancien\n", encoding="utf-8")
    os.chmod(tmp_path / "cible.json", 0o640)
    (tmp_path / "lien.json").symlink_to("cible.json")
    (tmp_path / "pendant.json").symlink_to("nouvelle.json")
    r = lancer(tmp_path, "evaluer", FAIBLE, "-o", "json:lien.json", "-o", "sarif:pendant.json")
    assert r.returncode == 0, r.stderr
    assert os.readlink(tmp_path / "lien.json") == "cible.json"
    assert os.readlink(tmp_path / "pendant.json") == "nouvelle.json"
    assert json.loads((tmp_path / "cible.json").read_text(encoding="utf-8"))["bilan"]["total"] == 1
    assert stat.S_IMODE(os.stat(tmp_path / "cible.json").st_mode) == 0o640  # droits du fichier remplacé gardés
    assert json.loads((tmp_path / "nouvelle.json").read_text(encoding="utf-8"))["version"] == "2.1.0"


def _depot_hostile(tmp_path):
    """Un dépôt de propositions et, à côté, la victime : un fichier que l'auteur voudrait écraser."""
    depot, victime = tmp_path / "depot", tmp_path / "victime"
    (depot / "propositions").mkdir(parents=True)
    victime.mkdir()
    shutil.copy(FAIBLE, depot / "propositions" / "cas.yaml")
    (victime / "profil").write_text("secret\n", encoding="utf-8")
    return depot, victime


def _temporaires(*dossiers):
    return [p for d in dossiers for p in d.rglob(".iag-*.tmp")]


def test_o_par_un_lien_qui_sort_refuse(tmp_path):
    """Un lien committé sous le nom d'un rapport (`iag.json -> ../victime/profil`) faisait écrire le
    rapport dans la victime ; refusé avant toute évaluation (code 2), la victime intacte."""
    depot, victime = _depot_hostile(tmp_path)
    (depot / "iag.json").symlink_to("../victime/profil")
    (depot / "sortie").symlink_to("../victime")
    for demande in ("iag.json", "sortie/iag.json", str(depot / "iag.json"), str(depot / "sortie" / "iag.json")):
        r = lancer(depot, "evaluer", "--sans-config", "propositions/", "-o", f"json:{demande}")
        assert r.returncode == 2, (demande, r.stderr)
        assert r.stderr.decode("utf-8") == (f"iag : rapport « json:{demande} » refusé : un lien symbolique mène "
                                            f"« {demande} » hors de {depot}\n")
        assert (victime / "profil").read_text(encoding="utf-8") == "secret\n"
        assert sorted(p.name for p in victime.iterdir()) == ["profil"]
        assert _temporaires(depot, victime) == []


def test_rapport_de_configuration_par_un_lien_qui_sort_refuse(tmp_path):
    depot, victime = _depot_hostile(tmp_path)
    (depot / "iag.json").symlink_to("../victime/profil")
    (depot / ".iag.yaml").write_text("rapports:\n  - {format: json, fichier: iag.json}\n", encoding="utf-8")
    r = lancer(depot, "evaluer", "propositions/")
    assert r.returncode == 2
    assert "iag.json" in r.stderr.decode("utf-8")
    assert (victime / "profil").read_text(encoding="utf-8") == "secret\n"


def test_o_par_un_lien_vers_un_peripherique_refuse(tmp_path):
    """Un lien relatif posé dans l'arbre vers /dev/null (ou /dev/kmsg…) n'est pas suivi ; /dev/null
    nommé en absolu reste permis."""
    depot, _ = _depot_hostile(tmp_path)
    (depot / "nul").symlink_to("/dev/null")
    assert lancer(depot, "evaluer", "--sans-config", "propositions/", "-q", "-o", "json:nul").returncode == 2
    assert lancer(depot, "evaluer", "--sans-config", "propositions/", "-q", "-o", "json:/dev/null").returncode == 0


def test_lien_qui_reste_dans_l_arbre_permis(tmp_path):
    depot, _ = _depot_hostile(tmp_path)
    (depot / "rapports").mkdir()
    (depot / "iag.json").symlink_to("rapports/vrai.json")
    r = lancer(depot, "evaluer", "--sans-config", "propositions/", "-q", "-o", "json:iag.json")
    assert r.returncode == 0, r.stderr
    assert json.loads((depot / "rapports" / "vrai.json").read_text(encoding="utf-8"))["bilan"]["total"] == 1


def test_plan_ecrire_par_un_lien_qui_sort_refuse(tmp_path):
    """`plan --ecrire` sur un cas qui est un lien vers un fichier hors de l'arbre : rien n'est réécrit dehors."""
    depot, victime = _depot_hostile(tmp_path)
    dehors = victime / "cas.yaml"
    shutil.copy(EXEMPLES / "assistant-documentaire-rag.yaml", dehors)
    avant = dehors.read_bytes()
    (depot / "lie.yaml").symlink_to(dehors)
    r = lancer(depot, "plan", "--sans-config", "lie.yaml", "--cible", "faible", "--date", "2026-11-30", "--ecrire")
    assert r.returncode == 2, r.stderr
    assert "écriture refusée : un lien symbolique mène « lie.yaml »" in r.stderr.decode("utf-8")
    assert dehors.read_bytes() == avant


def test_o_vers_un_descripteur_ecrit_directement(tmp_path):
    # /dev/fd/1 (comme /dev/stdout) : la sortie standard redirigée vers un fichier reçoit le rapport
    with open(tmp_path / "sortie.json", "wb") as sortie:
        r = lancer(tmp_path, "evaluer", FAIBLE, "-q", "-o", "json:/dev/fd/1", stdout=sortie)
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "sortie.json").read_text(encoding="utf-8"))["bilan"]["total"] == 1


# --- 4. Aucun caractère de contrôle venu de la configuration, de l'environnement ou d'un argument -----


def _inerte(r) -> None:
    texte = r.stderr.decode("utf-8") + r.stdout.decode("utf-8")
    assert "\x1b" not in texte and "\x07" not in texte
    assert not any(lg.startswith("::") for lg in texte.splitlines())


def test_valeurs_de_configuration_echappees(tmp_path):
    d = depot(tmp_path, "seuil-controle.iag.yaml", FAIBLE)
    # Le format est validé au chargement de la configuration : refusé même quand -f le remplace.
    for options in ((), ("-s", "élevé", "-f", "json")):
        r = lancer(d, "evaluer", "propositions/", *options)
        _inerte(r)
        assert (r.returncode, erreurs(r)) == (2, ["Configuration invalide :", f"{d / '.iag.yaml'}:3:9: format "
                                                  "« json\\n::error::faux » inconnu ; formats : texte, json, sarif, gitlab, github, markdown, junit, html"])
    # Sans le format fautif, le seuil fautif est cité échappé, à sa position.
    config = d / ".iag.yaml"
    config.write_text("".join(config.read_text(encoding="utf-8").splitlines(keepends=True)[:2]), encoding="utf-8")
    r = lancer(d, "evaluer", "propositions/")
    _inerte(r)
    assert (r.returncode, erreurs(r)) == (2, ["Configuration invalide :", f"{d / '.iag.yaml'}:2:8: seuil "
                                              f"« \\x1b[2J\\n::add-mask::secret » inconnu ; valeurs permises : {PERMISES}"])
    d = depot(tmp_path / "b", "format-controle.iag.yaml", FAIBLE)
    r = lancer(d, "evaluer", "propositions/")
    _inerte(r)
    assert r.returncode == 2
    assert erreurs(r)[1].startswith(f"{d / '.iag.yaml'}:3:14: format « \\x1b]8;;https://example.org\\x07\\n::error::x » inconnu")


@pytest.mark.parametrize("variable", ["IAG_SEUIL", "IAG_FORMAT", "IAG_RAPPORTS", "IAG_REFERENTIEL", "IAG_CONFIG",
                                      "IAG_REFERENTIEL_SHA256"])
def test_variables_d_environnement_echappees(variable, tmp_path):
    r = lancer(tmp_path, "evaluer", FAIBLE, env={variable: "\x1b[2J\n::add-mask::x:y"})
    assert r.returncode == 2
    _inerte(r)
    assert "\\x1b[2J" in r.stderr.decode("utf-8")  # (IAG_RAPPORTS coupe aux blancs : pas de « \\n » cité)


@pytest.mark.parametrize("args, code", [
    (["evaluer", FAIBLE, "--seuil", "\x1b[2J\n::error::x"], 2),
    (["evaluer", FAIBLE, "-f", "\x1b[2J\n::error::x"], 2),
    (["evaluer", FAIBLE, "-o", "\x1b[2J\n::error::x"], 2),
    (["evaluer", FAIBLE, "--referentiel-sha256", "\x1b[2J\n::error::x"], 2),
    (["nouveau", FAIBLE.name + "\x1b[2J\n::error::x"], 1),  # existe déjà (créé ci-dessous)
    (["evaluer", "--x\x1b[2J\n::error::x", FAIBLE], 2),  # erreur d'usage de Click
    (["ev\x1b[2J\n::error::x"], 2),
])
def test_arguments_echappes(args, code, tmp_path):
    (tmp_path / (FAIBLE.name + "\x1b[2J\n::error::x")).write_text("titre: x\n", encoding="utf-8")
    r = lancer(tmp_path, *args)
    assert r.returncode == code
    _inerte(r)
    assert "\\x1b[2J\\n" in r.stderr.decode("utf-8")


# --- 5. Les noms de fichiers sont des données -------------------------------------------------------

NOMS = {
    b"a\xff.yaml": "a\\xff.yaml",  # octet non UTF-8 : échappé comme l'octet d'origine
    "b\u202eLMX.yaml".encode(): "b\\u202eLMX.yaml",  # contrôle bidirectionnel
    "c\u2028::error::x.yaml".encode(): "c\\u2028::error::x.yaml",  # séparateur de ligne Unicode
}
FORMATS = ["texte", "json", "sarif", "gitlab", "github", "junit", "markdown"]


@pytest.fixture
def noms_hostiles(tmp_path):
    d = tmp_path / "noms"
    d.mkdir()
    for nom in NOMS:
        shutil.copy(CRITIQUE, os.path.join(os.fsencode(d), nom))
    return d


def _chaines(x) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return [c for v in x.values() for c in _chaines(v)]
    if isinstance(x, list):
        return [c for v in x for c in _chaines(v)]
    return []


def _valide(fmt: str, octets: bytes) -> None:
    """Sortie en UTF-8 valide, bien formée, inerte, où chaque nom figure sous sa forme échappée."""
    texte = octets.decode("utf-8")
    assert "\u202e" not in texte and "\u2028" not in texte and "\x1b" not in texte
    assert not any(lg.startswith("::") and not lg.startswith(("::error ", "::warning ", "::notice ")) for lg in texte.splitlines())
    if fmt in ("json", "gitlab"):
        lisible = "\n".join(_chaines(json.loads(texte)))
    elif fmt == "sarif":
        lisible = "\n".join(unquote(c) for c in _chaines(json.loads(texte)))
    elif fmt == "junit":
        lisible = "\n".join(v for e in ET.fromstring(octets).iter() for v in e.attrib.values())
    elif fmt == "github":
        lisible = texte.replace("%3A", ":")
    elif fmt == "markdown":
        lisible = texte.replace("\\\\", "\\")  # barre oblique inverse échappée en Markdown
    else:
        lisible = texte
    for echappe in NOMS.values():
        assert echappe in lisible, (fmt, echappe)


@pytest.mark.parametrize("fmt", FORMATS)
def test_noms_non_utf8_et_bidi_dans_chaque_format(fmt, noms_hostiles, tmp_path):
    r = lancer(noms_hostiles, "evaluer", ".", "-f", fmt, "-o", f"{fmt}:{tmp_path / ('rapport.' + fmt)}")
    assert r.returncode == 1, r.stderr  # les trois cas critiques, aucun perdu
    _valide(fmt, r.stdout)
    _valide(fmt, (tmp_path / f"rapport.{fmt}").read_bytes())
    if fmt == "json":
        cas = json.loads(r.stdout)["cas"]
        assert [c["fichier"] for c in cas] == [f"./{n}" for n in NOMS.values()]
        assert [c["verdict"] for c in cas] == ["critique"] * 3
    if fmt == "texte":
        for echappe in NOMS.values():
            assert echappe in r.stdout.decode("utf-8")


def test_noms_hostiles_dans_tous_les_rapports_d_un_coup(noms_hostiles, tmp_path):
    args = [a for f in FORMATS for a in ("-o", f"{f}:{tmp_path / ('r.' + f)}")]
    r = lancer(noms_hostiles, "evaluer", ".", *args)
    assert r.returncode == 1
    for f in FORMATS:
        _valide(f, (tmp_path / f"r.{f}").read_bytes())


def test_noms_hostiles_dans_valider(noms_hostiles):
    r = lancer(noms_hostiles, "valider", ".")
    assert r.returncode == 0
    assert r.stdout.decode("utf-8").splitlines() == [f"./{n}: valide" for n in NOMS.values()]


# --- 9. SIGTERM et SIGHUP nettoient les temporaires -----------------------------------------------


def _signaux_par_defaut() -> None:
    """Dans l'enfant seulement : SIGHUP et SIGTERM à leur disposition par défaut, quel que soit le
    lanceur de la suite (`nohup`, certains exécuteurs de CI ignorent SIGHUP, et un signal ignoré
    est hérité par exec). Le parent garde la sienne."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _sighup_ignore() -> None:
    """Dans l'enfant seulement : ce que fait `nohup iag …`."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


@pytest.fixture
def parent_nohup():
    """La suite lancée sous `nohup` : SIGHUP ignoré par le processus de test (et hérité par ses
    enfants, sauf disposition rétablie). Restauré ensuite."""
    ancien = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    yield
    signal.signal(signal.SIGHUP, ancien)


def _attendre_temporaires_puis(p, tmp_path, *signaux):
    try:
        while len(list(tmp_path.glob(".iag-*.tmp"))) < 2:  # attente d'un état, pas d'une durée
            assert p.poll() is None, p.stderr.read()
            time.sleep(0.01)  # sondage d'un état ; aucune assertion ne porte sur une durée
        for numero in signaux:
            p.send_signal(numero)
        _, err = p.communicate(timeout=60)
    finally:
        p.kill()
        p.wait()
    return err


def _evaluer_en_attente(tmp_path, preexec_fn):
    environnement = {k: v for k, v in os.environ.items() if not k.startswith(("IAG_", "GITHUB_"))}
    # l'entrée standard n'est jamais fermée : iag attend, ses rapports temporaires déjà ouverts
    return subprocess.Popen([str(IAG), "evaluer", FAIBLE, "-", "-o", "json:r.json", "-o", "sarif:r.sarif"],
                            cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=environnement, preexec_fn=preexec_fn)


@pytest.mark.parametrize("numero, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_signal_nettoie_les_temporaires(numero, code, tmp_path, parent_nohup):
    """Même lancée sous `nohup` (fixture parent_nohup), la suite rétablit dans l'enfant la
    disposition de signal sur laquelle le test repose."""
    p = _evaluer_en_attente(tmp_path, _signaux_par_defaut)
    err = _attendre_temporaires_puis(p, tmp_path, numero)
    assert p.returncode == code, err
    assert err.decode("utf-8") == f"interrompu ({signal.Signals(numero).name})\n"
    assert list(tmp_path.iterdir()) == []


def test_nohup_garde_sighup_ignore(tmp_path):
    """`nohup iag …` : le SIGHUP ignoré par le parent le reste ; le SIGTERM qui suit interrompt
    toujours, temporaires supprimés."""
    p = _evaluer_en_attente(tmp_path, _sighup_ignore)
    err = _attendre_temporaires_puis(p, tmp_path, signal.SIGHUP, signal.SIGTERM)
    assert p.returncode == 143
    assert err.decode("utf-8") == "interrompu (SIGTERM)\n"
    assert list(tmp_path.iterdir()) == []


def test_signal_juste_apres_la_creation_du_temporaire(tmp_path, monkeypatch):
    """La fenêtre entre la création du temporaire et le `try` qui le supprime : un SIGTERM reçu là
    (simulé en s'envoyant le signal dès le retour de mkstemp) ne laisse plus de `.iag-*.tmp`."""
    import tempfile

    from iagcli.es import sorties

    class Arret(BaseException):
        pass

    def lever(_numero, _cadre):
        raise Arret()

    vrai_mkstemp = tempfile.mkstemp

    def mkstemp_puis_signal(*a, **k):
        resultat = vrai_mkstemp(*a, **k)
        os.kill(os.getpid(), signal.SIGTERM)  # bloqué : traité seulement une fois le temporaire protégé
        return resultat

    ancien = signal.signal(signal.SIGTERM, lever)
    try:
        monkeypatch.setattr(sorties.tempfile, "mkstemp", mkstemp_puis_signal)
        with pytest.raises(Arret):
            with sorties.ecriture_atomique(str(tmp_path / "r.json")) as flux:
                flux.write("{}")
    finally:
        signal.signal(signal.SIGTERM, ancien)
    assert list(tmp_path.iterdir()) == []


# --- 10. Cibles en double, entrée écrasée, virgule dans un nom ------------------------------------------


def test_deux_rapports_vers_le_meme_fichier_refuses(tmp_path):
    (tmp_path / "sous").mkdir()
    for autre in ("s.json", "sous/../s.json", str(tmp_path / "s.json")):
        r = lancer(tmp_path, "evaluer", FAIBLE, "-o", "json:s.json", "-o", f"sarif:{autre}")
        assert (r.returncode, r.stdout) == (2, b"")
        assert erreurs(r) == [f"iag : les rapports « json:s.json » et « sarif:{autre} » désignent le même fichier : l'un effacerait l'autre"]
        assert not (tmp_path / "s.json").exists()


def test_rapport_sur_un_fichier_evalue_refuse(tmp_path):
    shutil.copy(FAIBLE, tmp_path / "entree.yaml")
    avant = (tmp_path / "entree.yaml").read_bytes()
    r = lancer(tmp_path, "evaluer", "entree.yaml", "-o", "json:entree.yaml")
    assert (r.returncode, erreurs(r)) == (2, ["iag : le rapport « json:entree.yaml » écraserait un fichier évalué (entree.yaml) : choisissez un autre nom"])
    (tmp_path / "d").mkdir()
    shutil.copy(FAIBLE, tmp_path / "d" / "cas.yml")
    r = lancer(tmp_path, "evaluer", "d", "-o", "json:d/cas.yml")
    assert (r.returncode, erreurs(r)) == (2, ["iag : le rapport « json:d/cas.yml » écraserait un fichier évalué (d) : choisissez un autre nom"])
    assert (tmp_path / "entree.yaml").read_bytes() == avant == (tmp_path / "d" / "cas.yml").read_bytes()


def test_virgule_et_deux_points_dans_un_nom_de_rapport(tmp_path):
    r = lancer(tmp_path, "evaluer", FAIBLE, "-o", "json:a,b.json", "-o", "sarif:c:d.sarif")
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "a,b.json").read_text(encoding="utf-8"))["bilan"]["total"] == 1
    assert json.loads((tmp_path / "c:d.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    # IAG_RAPPORTS garde sa forme séparée par des virgules
    r = lancer(tmp_path, "evaluer", FAIBLE, env={"IAG_RAPPORTS": "json:x.json, junit:y.xml markdown:z.md"})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "x.json").exists() and (tmp_path / "y.xml").exists() and (tmp_path / "z.md").exists()


# --- 11. Dossiers illisibles et fichiers ignorés ----------------------------------------------------


def test_dossier_au_dela_de_path_max(tmp_path):
    racine = tmp_path / "p"
    racine.mkdir()
    shutil.copy(FAIBLE, racine / "a.yaml")
    fd = os.open(racine, os.O_RDONLY)
    chemin = str(racine)
    try:
        while len(chemin) <= os.pathconf(racine, "PC_PATH_MAX") + 10:  # par descripteurs : le chemin est trop long
            os.mkdir("d" * 200, dir_fd=fd)
            suivant = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = suivant
            chemin += "/" + "d" * 200
        with open(os.open("profond.yaml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "wb") as f:
            f.write(FAIBLE.read_bytes())
    finally:
        os.close(fd)
    r = lancer(tmp_path, "evaluer", "p", "-f", "json")
    assert r.returncode == 2
    cas = json.loads(r.stdout)["cas"]
    assert cas[0]["fichier"] == "p/a.yaml" and cas[0]["verdict"] == "faible"
    assert cas[1]["illisible"] and cas[1]["diagnostics"][0]["message"] == "dossier illisible : nom de fichier trop long"
    r = lancer(tmp_path, "valider", "p")
    assert r.returncode == 2 and erreurs(r)[0].endswith(": dossier illisible : nom de fichier trop long")


@pytest.mark.parametrize("commande", ["evaluer", "valider"])
def test_sous_dossier_illisible_simule(commande, tmp_path, monkeypatch):
    (tmp_path / "p" / "ferme").mkdir(parents=True)
    shutil.copy(FAIBLE, tmp_path / "p" / "a.yaml")
    shutil.copy(FAIBLE, tmp_path / "p" / "ferme" / "b.yaml")
    vrai = os.scandir

    def scandir(chemin="."):
        if os.fspath(chemin).endswith("ferme"):
            raise PermissionError(errno.EACCES, "Permission denied", chemin)
        return vrai(chemin)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(tmp_path)
    for v in ("IAG_CONFIG", "IAG_SEUIL", "IAG_FORMAT", "IAG_RAPPORTS", "IAG_REFERENTIEL"):
        monkeypatch.delenv(v, raising=False)
    r = CliRunner().invoke(app, [commande, "p"], catch_exceptions=False)
    assert r.exit_code == 2
    assert "p/ferme: dossier illisible : lecture refusée (droits insuffisants)" in r.stderr.splitlines()


@pytest.mark.skipif(os.geteuid() == 0, reason="exécuté en root : chmod 000 n'empêche pas la lecture (voir le test simulé)")
def test_sous_dossier_illisible_reel(tmp_path):
    (tmp_path / "p" / "ferme").mkdir(parents=True)
    shutil.copy(FAIBLE, tmp_path / "p" / "a.yaml")
    os.chmod(tmp_path / "p" / "ferme", 0)
    try:
        r = lancer(tmp_path, "evaluer", "p")
    finally:
        os.chmod(tmp_path / "p" / "ferme", 0o755)
    assert r.returncode == 2
    assert "p/ferme: dossier illisible : lecture refusée (droits insuffisants)" in erreurs(r)


def test_verbeux_dit_ce_qui_est_ignore(tmp_path):
    p = tmp_path / "p"
    (p / ".cache").mkdir(parents=True)
    shutil.copy(FAIBLE, p / "a.yaml")
    shutil.copy(FAIBLE, p / ".cache" / "b.yaml")
    shutil.copy(FAIBLE, p / ".c.yaml")
    (p / "notes.txt").write_text("x\n", encoding="utf-8")
    (p / "lien").symlink_to(tmp_path)
    r = lancer(tmp_path, "valider", "p", "-v")
    assert r.returncode == 0
    assert erreurs(r) == [
        "p/.cache: ignoré (caché)", "p/.c.yaml: ignoré (caché)", "p/notes.txt: ignoré (sans extension .yaml ou .yml)",
        "p/lien: ignoré (lien vers un dossier, non suivi)",
        "iag : 4 chemins ignorés : 2 cachés, 1 sans extension .yaml ou .yml, 1 lien vers un dossier",
    ]
    r = lancer(tmp_path, "evaluer", "p", "--verbeux")
    assert r.returncode == 0 and erreurs(r)[-1].startswith("iag : 4 chemins ignorés")
    assert lancer(tmp_path, "evaluer", "p").stderr == b""  # sans -v : rien


def test_echapper_les_octets_non_utf8_et_idempotent():
    from iagcli.echappement import echapper

    nom = os.fsdecode(b"a\xff\x1b.yaml") + "\u202e\u2028"
    assert echapper(nom) == "a\\xff\\x1b.yaml\\u202e\\u2028"
    assert echapper(echapper(nom)) == echapper(nom)
    echapper(nom).encode("utf-8")  # plus aucun surrogate isolé


def test_signal_enveloppe_par_une_bibliotheque_reste_un_arret(tmp_path):
    """Un SIGTERM reçu pendant du code qui attrape toute exception et en lève une autre (pydantic-core
    le fait pendant la construction d'un schéma : « SchemaError … Signal: SIGTERM ») sort en 143,
    « interrompu (SIGTERM) », et non en « erreur interne » code 2 (course vue dans la suite)."""
    script = (
        "import os, signal, sys\n"
        "import iagcli.__main__ as m\n"
        "import iagcli.cli as c\n"
        "def app(**_):\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "    except BaseException as e:\n"
        "        raise RuntimeError(f'enveloppe : {e!r}')\n"
        "c.app = app\n"
        "sys.argv = ['iag', 'evaluer']\n"
        "sys.exit(m.main())\n"
    )
    r = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, preexec_fn=_signaux_par_defaut)
    assert (r.returncode, r.stderr.decode("utf-8")) == (143, "interrompu (SIGTERM)\n")
