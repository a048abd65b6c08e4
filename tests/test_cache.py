"""Cache du référentiel validé (issue 11) : clé, confiance, entrées ignorées, résultats identiques."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
import typer
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.erreurs import ErreurReferentiel
from iagcli.es import cache as K
from iagcli.moteur import referentiel as R

from conftest import DONNEES, MINI, RACINE

CAS = RACINE / "exemples" / "synthese-comptes-rendus.yaml"


@pytest.fixture
def dossier_cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("IAG_CACHE_DIR", str(d))
    monkeypatch.delenv("IAG_CACHE", raising=False)
    return d


@pytest.fixture
def ref_copie(tmp_path):
    """Copie du référentiel minimal, avec une source jamais citée (un avertissement de `verifier`)."""
    d = tmp_path / "ref"
    shutil.copytree(MINI, d)
    r = d / "risques.yaml"
    texte = r.read_text(encoding="utf-8")
    assert texte.count("    editeur: iag\n") == 1
    r.write_text(texte.replace("    editeur: iag\n", "    editeur: iag\n  - id: inutile\n    titre: Jamais citée\n    editeur: iag\n"),
                 encoding="utf-8")
    return d


def entrees(d):
    return sorted(p.name for p in d.iterdir() if p.name.startswith(K.PREFIXE)) if d.is_dir() else []


def sans_controles(monkeypatch, analyse=False):
    """Un chargement qui passerait par les contrôles croisés (ou par l'analyse du YAML, sauf
    `analyse`) échoue : preuve d'un succès du cache."""
    def interdit(*_a, **_k):
        raise AssertionError("le cache n'a pas servi")
    monkeypatch.setattr(R, "verifier_coherence", interdit)
    if not analyse:
        monkeypatch.setattr(R, "document_de", interdit)


def test_absent_puis_servi(dossier_cache, ref_copie, monkeypatch):
    frais = R.charger(ref_copie)
    assert len(entrees(dossier_cache)) == 1
    sans_controles(monkeypatch)
    servi = R.charger(ref_copie)
    assert servi.risques_yaml == frais.risques_yaml and servi.recommandations_yaml == frais.recommandations_yaml
    assert servi.empreintes == frais.empreintes and servi.empreinte == frais.empreinte
    assert servi.dossier == frais.dossier and servi.seuil_defaut == frais.seuil_defaut


def test_droits_du_dossier_et_des_entrees(dossier_cache, ref_copie):
    R.charger(ref_copie)
    assert dossier_cache.stat().st_mode & 0o777 == 0o700
    (nom,) = entrees(dossier_cache)
    assert (dossier_cache / nom).stat().st_mode & 0o777 == 0o600
    assert not [p for p in dossier_cache.iterdir() if p.name.endswith(".tmp")]


def test_contenu_json_cle_et_format(dossier_cache, ref_copie):
    R.charger(ref_copie)
    (nom,) = entrees(dossier_cache)
    contenu = json.loads((dossier_cache / nom).read_text(encoding="utf-8"))
    assert contenu["format"] == K.FORMAT and nom == f"{K.PREFIXE}{contenu['cle']}.json"
    assert set(contenu) == {"format", "cle", "risques", "recommandations"}


@pytest.mark.parametrize("contenu", [b"", b"{pas du json", b'{"format": 1}', b"\xff\xfe", b"[]"])
def test_entree_corrompue_ignoree_et_reecrite(dossier_cache, ref_copie, contenu):
    frais = R.charger(ref_copie)
    (nom,) = entrees(dossier_cache)
    (dossier_cache / nom).write_bytes(contenu)
    raisons = []
    ref = R.charger(ref_copie, signaler=raisons.append)
    assert ref.risques_yaml == frais.risques_yaml
    assert len(raisons) == 1 and raisons[0].startswith("entrée du cache du référentiel ignorée : contenu invalide")
    assert json.loads((dossier_cache / nom).read_bytes())["format"] == K.FORMAT  # réécrite


def test_entree_d_une_autre_cle_ignoree(dossier_cache, ref_copie, monkeypatch):
    R.charger(ref_copie)
    (nom,) = entrees(dossier_cache)
    # Le contenu d'une entrée valide placé sous le nom d'une autre clé : refusé, la clé interne diffère.
    autre = "0" * 64
    (dossier_cache / f"{K.PREFIXE}{autre}.json").write_bytes((dossier_cache / nom).read_bytes())
    raisons: list[str] = []
    assert K.lire(autre, raisons.append) is None
    assert raisons == ["entrée du cache du référentiel ignorée : clé différente"]


def test_fichier_modifie_nouvelle_cle(dossier_cache, ref_copie):
    avant = R.charger(ref_copie)
    r = ref_copie / "risques.yaml"
    r.write_text(r.read_text(encoding="utf-8").replace("titre: Jamais citée", "titre: Toujours pas citée"), encoding="utf-8")
    apres = R.charger(ref_copie)
    assert [s.titre for s in apres.risques_yaml.sources if s.id == "inutile"] == ["Toujours pas citée"]
    assert apres.empreinte != avant.empreinte
    assert len(entrees(dossier_cache)) == 2


def test_fichier_devenu_invalide_jamais_servi(dossier_cache, ref_copie):
    R.charger(ref_copie)
    r = ref_copie / "risques.yaml"
    r.write_text(r.read_text(encoding="utf-8").replace("categorie: fiabilite", "categorie: inconnue", 1), encoding="utf-8")
    with pytest.raises(ErreurReferentiel) as e:
        R.charger(ref_copie)
    assert "catégorie « inconnue » inconnue" in str(e.value.diagnostics[0])


def test_code_modifie_nouvelle_cle(dossier_cache, ref_copie, monkeypatch):
    R.charger(ref_copie)
    monkeypatch.setattr(K, "empreinte_code", lambda: "f" * 64)  # comme un modèle modifié dans une installation éditable
    R.charger(ref_copie)
    assert len(entrees(dossier_cache)) == 2


def test_desactive_par_la_variable(dossier_cache, ref_copie, monkeypatch):
    for valeur in ("0", "non", "off", "False"):
        monkeypatch.setenv("IAG_CACHE", valeur)
        R.charger(ref_copie)
        assert not dossier_cache.exists()
    monkeypatch.setenv("IAG_CACHE", "1")
    R.charger(ref_copie)
    assert len(entrees(dossier_cache)) == 1


def test_desactive_par_l_appelant(dossier_cache, ref_copie):
    R.charger(ref_copie, cache=False)
    assert not dossier_cache.exists()


def test_dossier_impossible_a_creer(tmp_path, ref_copie, monkeypatch):
    fichier = tmp_path / "un-fichier"
    fichier.write_text("x")
    monkeypatch.setenv("IAG_CACHE_DIR", str(fichier / "iag"))  # sous un fichier : ENOTDIR, même pour root
    raisons: list[str] = []
    ref = R.charger(ref_copie, signaler=raisons.append)
    assert ref.version and raisons == ["cache du référentiel ignoré (un élément du chemin n'est pas un dossier)",
                                       "cache du référentiel non écrit (un élément du chemin n'est pas un dossier)"]


def test_sans_home_ni_variable(tmp_path, ref_copie, monkeypatch):
    for v in ("IAG_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(v, raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda chemin: chemin)  # ni HOME, ni compte
    assert K.lieu() is None
    assert R.charger(ref_copie).version


def test_lieux_par_defaut(tmp_path, monkeypatch):
    monkeypatch.delenv("IAG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert K.lieu() == str(tmp_path / "xdg" / "iag")
    monkeypatch.setenv("XDG_CACHE_HOME", "relatif")  # ignoré, comme le veut la spécification XDG
    monkeypatch.setenv("HOME", str(tmp_path / "maison"))
    assert K.lieu() == str(tmp_path / "maison" / ".cache" / "iag")
    monkeypatch.setenv("IAG_CACHE_DIR", "choisi")
    assert K.lieu() == os.path.abspath("choisi")


def test_lien_plante_dans_le_dossier(dossier_cache, ref_copie, tmp_path, monkeypatch):
    R.charger(ref_copie)
    (nom,) = entrees(dossier_cache)
    valide = (dossier_cache / nom).read_bytes()
    victime = tmp_path / "victime.json"
    victime.write_bytes(valide)  # même une cible au contenu valide n'est pas lue à travers un lien
    (dossier_cache / nom).unlink()
    (dossier_cache / nom).symlink_to(victime)
    raisons: list[str] = []
    R.charger(ref_copie, signaler=raisons.append)
    assert raisons == ["cache du référentiel ignoré (lien symbolique refusé dans le dossier du cache)"]
    # réécrite : le lien est remplacé par un fichier, sa cible n'est jamais touchée
    assert not (dossier_cache / nom).is_symlink() and (dossier_cache / nom).read_bytes() == valide
    assert victime.read_bytes() == valide
    sans_controles(monkeypatch)
    R.charger(ref_copie)


def test_dossier_lien_ou_ouvert_a_tous_ignore(tmp_path, ref_copie, monkeypatch):
    vrai = tmp_path / "vrai"
    vrai.mkdir(mode=0o700)
    lien = tmp_path / "lien"
    lien.symlink_to(vrai)
    monkeypatch.setenv("IAG_CACHE_DIR", str(lien))
    R.charger(ref_copie)
    assert entrees(vrai) == []
    partage = tmp_path / "partage"
    partage.mkdir()
    partage.chmod(0o777)
    monkeypatch.setenv("IAG_CACHE_DIR", str(partage))
    raisons: list[str] = []
    R.charger(ref_copie, signaler=raisons.append)
    assert entrees(partage) == []
    assert raisons and "modifiable par d'autres" in raisons[0]


def test_elagage(dossier_cache, ref_copie, monkeypatch):
    for i in range(K.ENTREES_MAX + 3):
        monkeypatch.setattr(K, "empreinte_code", lambda i=i: f"{i:064x}")
        R.charger(ref_copie)
    assert len(entrees(dossier_cache)) == K.ENTREES_MAX
    dernier = K.cle(list(R.charger(ref_copie).empreintes.values()))
    assert f"{K.PREFIXE}{dernier}.json" in entrees(dossier_cache)


def test_temporaires_abandonnes_supprimes(dossier_cache, ref_copie, monkeypatch):
    """Un temporaire laissé par un processus tué il y a plus d'une heure disparaît à l'écriture
    suivante ; un temporaire récent (une autre commande en cours) et les autres fichiers restent."""
    R.charger(ref_copie)
    vieux, recent, autre = (dossier_cache / n for n in (f".{K.PREFIXE}vieux.tmp", f".{K.PREFIXE}recent.tmp", "a-moi.tmp"))
    for f in (vieux, recent, autre):
        f.write_bytes(b"{")
    passe = time.time() - K.TEMPORAIRE_ABANDONNE - 60
    os.utime(vieux, (passe, passe))
    os.utime(autre, (passe, passe))
    monkeypatch.setattr(K, "empreinte_code", lambda: "1" * 64)  # une nouvelle clé : une écriture
    R.charger(ref_copie)
    assert not vieux.exists() and recent.exists() and autre.exists()


def test_positions_de_verifier_apres_un_chargement_servi(dossier_cache, ref_copie, monkeypatch):
    def verifier():
        r = CliRunner().invoke(app, ["referentiel", "verifier", str(ref_copie), "--date", "2026-11-30"], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r.stdout

    premier = verifier()
    assert len(entrees(dossier_cache)) == 1
    monkeypatch.setattr(R, "verifier_coherence", lambda *a: pytest.fail("le cache n'a pas servi"))
    second = verifier()
    texte = (ref_copie / "risques.yaml").read_text(encoding="utf-8")
    i = texte.index("inutile")
    ligne, colonne = texte.count("\n", 0, i) + 1, i - texte.rfind("\n", 0, i)
    attendu = f"risques.yaml:{ligne}:{colonne}: avertissement : source « inutile » déclarée mais jamais citée [iag-ref/source-non-citee]"
    assert attendu in second and second == premier


def _rapport_json(monkeypatch, *options):
    r = CliRunner().invoke(app, ["evaluer", str(CAS), "-f", "json", "--date", "2026-11-30", "--sans-config", "--seuil", "jamais", *options],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout_bytes


def test_rapport_json_identique_avec_et_sans_cache(dossier_cache, monkeypatch):
    monkeypatch.setenv("IAG_CACHE", "0")
    sans = _rapport_json(monkeypatch)
    monkeypatch.delenv("IAG_CACHE")
    ecrit = _rapport_json(monkeypatch)
    assert len(entrees(dossier_cache)) == 1
    sans_controles(monkeypatch)
    servi = _rapport_json(monkeypatch)
    assert servi == sans and ecrit == sans


def test_rapport_gitlab_position_de_la_veille_apres_un_chargement_servi(dossier_cache, monkeypatch):
    def rapport():
        r = CliRunner().invoke(app, ["evaluer", str(CAS), "-f", "gitlab", "--date", "2099-01-01", "--sans-config", "--seuil", "jamais"],
                               catch_exceptions=False)
        return [c for c in json.loads(r.stdout) if c["check_name"] == "iag/referentiel-perime"]

    premier = rapport()
    sans_controles(monkeypatch, analyse=True)  # les positions viennent d'une analyse à la demande
    second = rapport()
    texte = (R.dossier_defaut() / "risques.yaml").read_text(encoding="utf-8")
    ligne = texte[:texte.index("verifiee_le:", texte.index("veille_juridique:"))].count("\n") + 1
    assert second == premier and second[0]["location"]["lines"]["begin"] == ligne


def test_epingle_jamais_servi_par_le_cache(dossier_cache, ref_copie):
    """Une entrée empoisonnée (même clé, autre contenu, comme l'écrirait un autre travail du même
    compte sur un exécuteur partagé) : servie sans épinglage, jamais avec `--referentiel-sha256`."""
    from iagcli.cli.commun import charger_referentiel

    frais = R.charger(ref_copie)
    (nom,) = entrees(dossier_cache)
    entree = json.loads((dossier_cache / nom).read_bytes())
    entree["risques"]["risques"][0]["titre"] = "Titre empoisonné"
    (dossier_cache / nom).write_text(json.dumps(entree), encoding="utf-8")
    assert charger_referentiel(str(ref_copie)).risques_yaml.risques[0].titre == "Titre empoisonné"  # le cache sert
    epingle = charger_referentiel(str(ref_copie), frais.empreinte)
    assert epingle.risques_yaml == frais.risques_yaml
    assert json.loads((dossier_cache / nom).read_bytes()) == entree  # ni lue, ni réécrite
    with pytest.raises(typer.Exit):  # l'empreinte reste vérifiée
        charger_referentiel(str(ref_copie), "0" * 64)


def test_empreinte_du_code_couvre_tout_le_chargement():
    """Tout module d'iag que charge `referentiel.charger` (import et validation) entre dans la clé :
    sinon une installation éditable pourrait relire une entrée écrite par un autre code."""
    code = ("import sys, iagcli.moteur.referentiel as R; R.charger(sys.argv[1], cache=False); "
            "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('iagcli'))))")
    sortie = subprocess.run([sys.executable, "-c", code, str(MINI)], capture_output=True, text=True, check=True).stdout
    modules = {m.removeprefix("iagcli").lstrip(".").replace(".", "/") or "__init__" for m in sortie.split()}
    couverts = {m.removesuffix(".py").removesuffix("/__init__") or "__init__" for m in K.MODULES}
    couverts |= {"modeles"}  # paquet : modeles/__init__.py
    assert modules - couverts == set()


def test_cas_de_base_identique(ref_mini):
    # le référentiel minimal chargé par la session (cache du conftest) évalue comme un chargement sans cache
    from iagcli.es.chargeur import lire_document
    from iagcli.modeles.cas_usage import CasUsage
    from iagcli.moteur.evaluation import evaluer

    cas = CasUsage.model_validate(lire_document(str(DONNEES / "cas-base.yaml")).donnees)
    assert evaluer(cas, R.charger(MINI, cache=False)) == evaluer(cas, ref_mini)


# --- Démarrage : greffons pydantic -----------------------------------------------------------

_SONDE = """
import os, sys
sys.argv = ["iag", "evaluer", sys.argv[1], "--sans-config", "--seuil", "jamais", "-f", "json", "--date", "2026-11-30"]
from iagcli.__main__ import main
code = main()
import pydantic.plugin._schema_validator as s
print(code, "importlib.metadata" in sys.modules, os.environ["PYDANTIC_DISABLE_PLUGINS"], file=sys.stderr)
"""


def _sonde(env):
    environnement = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    environnement.update(env)
    r = subprocess.run([sys.executable, "-c", _SONDE, str(CAS)], capture_output=True, text=True, env=environnement)
    assert json.loads(r.stdout)["bilan"]["total"] == 1
    return r.stderr.split()


def test_greffons_pydantic_sans_importlib_metadata():
    # iag désactive les greffons pydantic ; le module qui les chercherait n'importe plus importlib.metadata
    assert _sonde({}) == ["0", "False", "__all__"]


def test_greffons_pydantic_choix_de_l_utilisateur_respecte():
    # qui règle lui-même PYDANTIC_DISABLE_PLUGINS garde le vrai chargeur de greffons de pydantic
    assert _sonde({"PYDANTIC_DISABLE_PLUGINS": "un_greffon"}) == ["0", "True", "un_greffon"]


def test_chargeur_de_greffons_remplace_rend_les_autres_noms():
    code = ("import sys; from iagcli.__main__ import _sans_greffons_pydantic as f; f(); "
            "import pydantic.plugin._schema_validator; from pydantic.plugin import _loader as l; "
            "print(list(l.get_plugins()), l.PYDANTIC_ENTRY_POINT_GROUP)")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert r.stdout.split() == ["[]", "pydantic"]


def test_entree_ignoree_dite_en_mode_bavard(dossier_cache, ref_copie, capsys):
    from iagcli.cli.commun import charger_referentiel

    R.charger(ref_copie)
    (nom,) = entrees(dossier_cache)
    (dossier_cache / nom).write_bytes(b"{corrompu")
    charger_referentiel(str(ref_copie))  # silencieux par défaut
    assert capsys.readouterr().err == ""
    (dossier_cache / nom).write_bytes(b"{corrompu")
    charger_referentiel(str(ref_copie), verbeux=True)
    assert capsys.readouterr().err == "iag : entrée du cache du référentiel ignorée : contenu invalide (1 erreur)\n"


def test_evaluer_verbeux_dit_l_entree_ignoree(dossier_cache, ref_copie):
    """Par le script installé : `-v` branché jusqu'au cache ; sans `-v`, rien sur l'erreur standard."""
    iag = os.path.join(os.path.dirname(sys.executable), "iag")
    cas = RACINE / "exemples" / "synthese-comptes-rendus.yaml"
    env = {**os.environ, "IAG_CACHE_DIR": str(dossier_cache), "NO_COLOR": "1"}
    commande = [iag, "evaluer", str(cas), "-r", str(ref_copie), "--sans-config", "--seuil", "jamais", "-f", "json"]
    assert subprocess.run(commande, capture_output=True, text=True, env=env).returncode == 0
    (nom,) = entrees(dossier_cache)
    for options, attendu in (([], ""), (["-v"], "iag : entrée du cache du référentiel ignorée : contenu invalide (1 erreur)\n"
                                                   "iag : 0 chemin ignoré : 0 caché, 0 sans extension .yaml ou .yml, 0 lien vers un dossier\n")):
        (dossier_cache / nom).write_bytes(b"{corrompu")
        r = subprocess.run(commande + options, capture_output=True, text=True, env=env)
        assert (r.returncode, r.stderr) == (0, attendu)
        json.loads(r.stdout)


# --- Jamais de cache dans ce qu'évalue iag (issue 24, point 2) -------------------------------------

IAG = os.path.join(os.path.dirname(sys.executable), "iag")
INTERDIT = RACINE / "exemples" / "reconnaissance-emotions-accueil.yaml"


def _iag(cwd, *args, **env):
    environnement = {k: v for k, v in os.environ.items() if not k.startswith(("IAG_", "XDG_", "GITHUB_"))}
    environnement.update(NO_COLOR="1", **env)
    return subprocess.run([IAG, *map(str, args)], cwd=cwd, capture_output=True, text=True, env=environnement)


def _forger(dossier):
    """Aplatit l'entrée du cache : toute la grille à « faible », les interdictions en simple information."""
    (f,) = [p for p in dossier.iterdir() if p.name.startswith(K.PREFIXE)]
    d = json.loads(f.read_text(encoding="utf-8"))
    for ligne in d["risques"]["grille"]:
        ligne["niveaux"] = ["faible"] * len(ligne["niveaux"])
    for regle in d["risques"]["regles_juridiques"]:
        if regle.get("nature") == "interdiction":
            regle["nature"] = "information"
    f.write_text(json.dumps(d), encoding="utf-8")
    return f, f.read_bytes()


def _verdict(r):
    return json.loads(r.stdout)["cas"][0]["verdict"]


def test_entree_forgee_dans_le_depot_ne_change_pas_le_verdict(tmp_path):
    """La reproduction : `XDG_CACHE_HOME=$CI_PROJECT_DIR/.cache` (ce qu'exige le `cache:` de GitLab),
    référentiel non épinglé, une entrée committée avec la bonne clé et une grille aplatie. Elle
    transformait « interdit » en « faible », code 0 ; le cache du dossier courant est ignoré."""
    depot = tmp_path / "depot"
    (depot / "propositions").mkdir(parents=True)
    shutil.copy(INTERDIT, depot / "propositions" / "cas.yaml")
    # L'entrée est produite hors du dépôt (même clé), puis committée dans le dépôt, forgée.
    propre = tmp_path / "propre"
    ailleurs = tmp_path / "ailleurs"
    ailleurs.mkdir()
    r = _iag(ailleurs, "evaluer", "--sans-config", "-f", "json", depot / "propositions", XDG_CACHE_HOME=str(propre))
    assert (r.returncode, _verdict(r)) == (1, "interdit")
    shutil.copytree(propre, depot / ".cache")
    entree, forgee = _forger(depot / ".cache" / "iag")
    r = _iag(depot, "evaluer", "--sans-config", "-f", "json", "-v", "propositions/", XDG_CACHE_HOME=str(depot / ".cache"))
    assert (r.returncode, _verdict(r)) == (1, "interdit")
    assert (f"iag : cache du référentiel ignoré : son dossier ({depot / '.cache' / 'iag'}) est dans le dossier courant, "
            "modifiable par qui propose") in r.stderr.splitlines()
    assert entree.read_bytes() == forgee  # ni relue, ni réécrite
    assert len(list((depot / ".cache" / "iag").iterdir())) == 1


def test_cache_dans_un_depot_git_ignore(tmp_path):
    depot = tmp_path / "depot"
    (depot / ".git").mkdir(parents=True)
    ailleurs = tmp_path / "ailleurs"
    ailleurs.mkdir()
    r = _iag(ailleurs, "valider", "-v", INTERDIT, IAG_CACHE_DIR=str(depot / ".cache" / "iag"))
    assert r.returncode == 0
    assert (f"iag : cache du référentiel ignoré : son dossier ({depot / '.cache' / 'iag'}) est dans le dépôt git {depot}, "
            "modifiable par qui propose") in r.stderr.splitlines()
    assert not (depot / ".cache").exists()


def test_cache_sous_un_chemin_evalue_ignore(tmp_path):
    propositions = tmp_path / "propositions"
    propositions.mkdir()
    shutil.copy(INTERDIT, propositions / "cas.yaml")
    ailleurs = tmp_path / "ailleurs"
    ailleurs.mkdir()
    r = _iag(ailleurs, "evaluer", "-q", "-v", propositions, IAG_CACHE_DIR=str(propositions / ".cache"))
    assert r.returncode == 1
    assert (f"iag : cache du référentiel ignoré : son dossier ({propositions / '.cache'}) est sous le chemin évalué "
            f"{propositions}, modifiable par qui propose") in r.stderr.splitlines()
    assert not (propositions / ".cache").exists()


def test_home_versionne_garde_son_cache(tmp_path):
    """Un `$HOME` versionné (fichiers de configuration personnels) n'est pas un dépôt évalué."""
    maison = tmp_path / "maison"
    (maison / ".git").mkdir(parents=True)
    ailleurs = tmp_path / "ailleurs"
    ailleurs.mkdir()
    r = _iag(ailleurs, "valider", "-v", INTERDIT, HOME=str(maison))
    assert r.returncode == 0 and "cache du référentiel" not in r.stderr
    assert len(entrees(maison / ".cache" / "iag")) == 1


@pytest.mark.parametrize("valeur, actif", [("non", False), ("Non", False), ("faux", False), ("0", False),
                                           ("oui", True), ("1", True), ("", True)])
def test_iag_cache_oui_non(dossier_cache, ref_copie, monkeypatch, valeur, actif):
    monkeypatch.setenv("IAG_CACHE", valeur)
    R.charger(ref_copie)
    assert len(entrees(dossier_cache)) == (1 if actif else 0)
