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


# --- 6. Sortie standard rompue ou pleine : les rapports -o restent complets --------------------------

def _tube_rompu():
    """Un tube dont le lecteur est déjà parti : toute écriture échoue (EPIPE), sans course."""
    lecture, ecriture = os.pipe()
    os.close(lecture)
    return ecriture


def _rapports_complets(dossier: Path, nombre: int) -> None:
    rapport = json.loads((dossier / "r.json").read_text(encoding="utf-8"))
    assert len(rapport["cas"]) == nombre
    sarif = json.loads((dossier / "r.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert not list(dossier.glob(".iag-*.tmp"))


@pytest.mark.parametrize("format", ["json", "texte", "sarif"])
def test_tube_rompu_sortie_silencieuse_141_et_rapports_complets(tmp_path, format):
    ecriture = _tube_rompu()
    try:
        r = subprocess.run([str(IAG), "evaluer", EXEMPLES, "-f", format, "-o", "json:r.json", "-o", "sarif:r.sarif"],
                           stdout=ecriture, stderr=subprocess.PIPE, env=environnement(), cwd=tmp_path)
    finally:
        os.close(ecriture)
    assert r.returncode == 141
    assert r.stderr == b""  # ni trace, ni « Exception ignored », ni message : comme `head` l'attend
    _rapports_complets(tmp_path, len(list(EXEMPLES.glob("*.yaml"))))


@pytest.mark.parametrize("args", [["--version"], ["risques"], ["schema"], ["--help"]])
def test_tube_rompu_hors_evaluer(args):
    ecriture = _tube_rompu()
    try:
        r = subprocess.run([str(IAG), *args], stdout=ecriture, stderr=subprocess.PIPE,
                           env=environnement(PYTHONUNBUFFERED="1"))
    finally:
        os.close(ecriture)
    assert (r.returncode, r.stderr) == (141, b"")


def test_sortie_standard_pleine_code_2_et_rapports_complets(tmp_path):
    with open("/dev/full", "w") as plein:
        r = subprocess.run([str(IAG), "evaluer", EXEMPLES, "-f", "json", "-o", "json:r.json", "-o", "sarif:r.sarif"],
                           stdout=plein, stderr=subprocess.PIPE, env=environnement(), cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.decode() == "iag : écriture sur la sortie standard impossible : plus de place sur le périphérique\n"
    _rapports_complets(tmp_path, len(list(EXEMPLES.glob("*.yaml"))))


def test_rapport_impossible_nomme_le_chemin_demande(tmp_path):
    (tmp_path / "r.json").mkdir()
    code, sortie, erreurs = lancer("evaluer", CAS, "-o", "sarif:r.sarif", "-o", "json:r.json", cwd=tmp_path)
    assert code == 2
    assert erreurs == "iag : écriture du rapport « r.json » impossible : c'est un dossier\n"
    assert ".iag-" not in erreurs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]  # aucun temporaire laissé


# --- 7. Flux fermés, dossier courant supprimé --------------------------------------------------------

def _shell(script: str, *args, cwd=None, env=None):
    r = subprocess.run(["sh", "-c", script, str(IAG), *map(str, args)], capture_output=True,
                       env=environnement(**(env or {})), cwd=cwd)
    sortie, erreurs = r.stdout.decode(), r.stderr.decode()
    assert "Traceback" not in sortie + erreurs and "erreur interne" not in sortie + erreurs
    return r.returncode, sortie, erreurs


def test_sortie_standard_fermee(tmp_path):
    code, sortie, erreurs = _shell('"$0" "$@" >&-', "evaluer", CAS, "-o", "json:r.json", cwd=tmp_path)
    assert (code, sortie) == (2, "")
    assert erreurs == "iag : la sortie standard est fermée ; redirigez-la vers un fichier ou /dev/null plutôt que de la fermer (>&-)\n"
    assert list(tmp_path.iterdir()) == []  # aucun rapport n'a pris le descripteur 1


def test_erreur_standard_fermee_message_sur_la_sortie():
    code, sortie, erreurs = _shell('"$0" "$@" 2>&-', "evaluer", CAS)
    assert (code, erreurs) == (2, "")
    assert sortie == "iag : l'erreur standard est fermée ; redirigez-la vers un fichier ou /dev/null plutôt que de la fermer (>&-)\n"


def test_dossier_courant_supprime(tmp_path):
    code, sortie, erreurs = _shell('mkdir parti && cd parti && rmdir ../parti && exec "$0" "$@"', "evaluer", CAS, cwd=tmp_path)
    assert (code, sortie) == (2, "")
    assert erreurs == "iag : le dossier courant n'existe plus (supprimé ?) ; placez-vous dans un dossier existant\n"


def test_nouveau_interactif_entree_fermee(tmp_path):
    code, sortie, erreurs = _shell('"$0" "$@" <&-', "nouveau", "-i", "cas.yaml", cwd=tmp_path)
    assert code == 2
    assert erreurs == "iag : entrée standard fermée : --interactif lit les réponses au clavier ; rien n'a été écrit\n"
    assert list(tmp_path.iterdir()) == []


# --- 8. Encodage réduit : la sortie se dégrade, les rapports -o restent en UTF-8 ----------------------

@pytest.mark.parametrize("encodage", ["ascii", "latin-1"])
@pytest.mark.parametrize("commande", [("evaluer", CAS, "-o", "json:r.json"), ("risques", "R01"), ("matrice",),
                                      ("recommandations", "donnees")])
def test_encodage_reduit_le_texte_se_degrade(tmp_path, encodage, commande):
    r = subprocess.run([str(IAG), *commande], capture_output=True, cwd=tmp_path, env=environnement(PYTHONIOENCODING=encodage))
    assert r.returncode == 0, r.stderr
    sortie = r.stdout.decode(encodage)  # jamais d'octet hors de l'encodage demandé
    assert "Traceback" not in sortie + r.stderr.decode(encodage)
    if encodage == "ascii" and commande[0] != "evaluer" or "-o" in commande:
        assert "\\xe9" in sortie or "\\u" in sortie  # « é » échappé plutôt qu'un arrêt
    if "-o" in commande:
        rapport = json.loads((tmp_path / "r.json").read_bytes().decode("utf-8"))
        assert rapport["cas"][0]["titre"] == "Traduction des pages publiques du site de la ville"
        assert "é" in (tmp_path / "r.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("encodage", ["ascii", "latin-1"])
@pytest.mark.parametrize("commande, lire", [
    (("evaluer", CAS, "-f", "json"), json.loads),
    (("evaluer", CAS, "-f", "sarif"), json.loads),
    (("evaluer", CAS, "-f", "markdown"), str),
    (("schema",), json.loads),
    (("nouveau",), str),
])
def test_encodage_reduit_les_documents_restent_en_utf8(encodage, commande, lire):
    """JSON, SARIF, Markdown, schéma et modèle YAML sont faits pour des outils ou des fichiers : UTF-8
    valide (un « \\xe9 » rendrait le JSON invalide)."""
    r = subprocess.run([str(IAG), *commande], capture_output=True, env=environnement(PYTHONIOENCODING=encodage))
    assert r.returncode == 0, r.stderr
    texte = r.stdout.decode("utf-8")
    lire(texte)
    assert "é" in texte and "\\xe9" not in texte


@pytest.mark.parametrize("encodage", ["ascii", "latin-1"])
def test_encodage_reduit_aide_et_erreurs_d_usage(encodage):
    # L'aide passe par Click, qui choisit lui-même (UTF-8 sur un flux ASCII) : elle ne doit pas casser.
    assert lancer("evaluer", "-h", env={"PYTHONIOENCODING": encodage})[0] == 0
    code, _, erreurs = lancer("evaluer", "--sueil", "élevé", env={"PYTHONIOENCODING": encodage})
    assert code == 2 and "Erreur : option inconnue : --sueil" in erreurs


HORS_LATIN1 = Path(__file__).parent / "corpus" / "hostile" / "hors-latin1.yaml"
TITRE_HORS_LATIN1 = "Résumé 日本語 — robot 🤖, 20 € ≥ 10 → œuvre ’apostrophe’ ﬁn Ω"


@pytest.mark.parametrize("encodage", ["ascii", "latin-1"])
def test_corpus_hors_latin1_sous_encodage_reduit(tmp_path, encodage):
    env = environnement(PYTHONIOENCODING=encodage)
    r = subprocess.run([str(IAG), "evaluer", HORS_LATIN1, "-o", "json:r.json"], capture_output=True, cwd=tmp_path, env=env)
    assert (r.returncode, r.stderr) == (0, b"")
    assert "\\U0001f916" in r.stdout.decode(encodage)  # le robot, échappé
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["cas"][0]["titre"] == TITRE_HORS_LATIN1
    r = subprocess.run([str(IAG), "evaluer", HORS_LATIN1, "-f", "json"], capture_output=True, env=env)
    assert json.loads(r.stdout.decode("utf-8"))["cas"][0]["titre"] == TITRE_HORS_LATIN1


def test_erreur_standard_pleine_n_arrete_rien(tmp_path):
    with open("/dev/full", "w") as plein:
        r = subprocess.run([str(IAG), "evaluer", CAS, str(tmp_path / "absent.yaml"), "-f", "json"],
                           stdout=subprocess.PIPE, stderr=plein, env=environnement())
    assert r.returncode == 2  # le chemin absent, pas une erreur interne
    assert json.loads(r.stdout)["bilan"]


# --- 13. Messages de Click et du système en français ---------------------------------------------------

@pytest.mark.parametrize("args, usage, message", [
    (["schema", "x", "y"], "iag schema [OPTIONS]", "arguments en trop : x y"),
    (["schema", "x"], "iag schema [OPTIONS]", "argument en trop : x"),
    (["evaluer", CAS, "--seuil"], None, "l'option '--seuil' demande une valeur"),
    (["evaluer", CAS, "--sueil", "élevé"], "iag evaluer [OPTIONS] {CHEMIN}...", "option inconnue : --sueil ; vouliez-vous dire --details, --help, --seuil ?"),
    (["evalue", CAS], "iag [OPTIONS] COMMANDE [ARGUMENTS]...", "commande inconnue : 'evalue' ; vouliez-vous dire 'evaluer', 'valider' ?"),
    (["evaluer"], "iag evaluer [OPTIONS] {CHEMIN}...", "argument manquant : 'CHEMIN'"),
    (["risques", "--mesures=oui"], None, "l'option '--mesures' ne prend pas de valeur"),
])
def test_erreurs_d_usage_en_francais(args, usage, message):
    code, sortie, erreurs = lancer(*args)
    assert (code, sortie) == (2, "")
    attendu = f"Utilisation : {usage}\nAide : {usage.split(' [')[0]} -h\n\n" if usage else ""
    assert erreurs == f"{attendu}Erreur : {message}\n"
    for anglais in ("Got unexpected", "requires", "Did you mean", "No such", "Missing", "Usage:", "Try '"):
        assert anglais not in erreurs


def test_aide_sans_anglais():
    for args in (["--help"], ["evaluer", "-h"], ["nouveau", "-h"]):
        code, sortie, erreurs = lancer(*args)
        assert code == 0 and sortie.startswith("Utilisation : iag")
        for anglais in ("Usage:", "Show this message", "Install completion", "Show completion", "[default:", "env var", "[required]", "Commands:"):
            assert anglais not in sortie


# --- Issue 11 : la plage de Typer déclarée est celle que la suite fait tourner --------------------------

def test_plage_typer_honnete():
    import re
    import tomllib
    from importlib.metadata import version

    dependances = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    (typer,) = [d for d in dependances if d.startswith("typer")]
    m = re.fullmatch(r"typer>=(\d+)\.(\d+)\.(\d+),<(\d+)\.(\d+)", typer)
    assert m, typer
    bas, haut = tuple(map(int, m.group(1, 2, 3))), tuple(map(int, m.group(4, 5)))
    # Une seule version mineure : celle installée par .ci/run, donc celle que ces tests exercent.
    assert haut == (bas[0], bas[1] + 1)
    installee = tuple(int(x) for x in version("typer").split(".")[:3])
    assert bas <= installee and installee[:2] < haut


# --- 14. Contrôles du référentiel : identifiants trompeurs, mot réservé, couleur ------------------------

def _referentiel(tmp_path, *remplacements) -> Path:
    d = tmp_path / "ref"
    d.mkdir()
    for nom in ("risques.yaml", "recommandations.yaml"):
        (d / nom).write_text((MINI / nom).read_text(encoding="utf-8"), encoding="utf-8")
    for nom, avant, apres in remplacements:
        texte = (d / nom).read_text(encoding="utf-8")
        assert avant in texte, avant
        (d / nom).write_text(texte.replace(avant, apres, 1), encoding="utf-8")
    return d


def _position(d: Path, nom: str, fragment: str, dans_la_ligne: str) -> str:
    for i, ligne in enumerate((d / nom).read_text(encoding="utf-8").splitlines(), 1):
        if fragment in ligne:
            return f"{d / nom}:{i}:{ligne.index(dans_la_ligne) + 1}"
    raise AssertionError(fragment)


IDENTIFIANT = "identifiant invalide : lettres latines (accents permis), chiffres 0-9, « _ », « . » ou « - », en commençant par une lettre"


@pytest.mark.parametrize("commande", [("matrice",), ("evaluer", str(DONNEES / "cas-base.yaml"))])
@pytest.mark.parametrize("remplacement, fragment, colonne, message", [
    # « Т » cyrillique : imite « T1 »
    (("risques.yaml", "  - id: T2\n", "  - id: \u04221\n"), "id: \u04221", "\u04221", IDENTIFIANT),
    # chiffre pleine chasse
    (("risques.yaml", "  - id: T2\n", "  - id: T\uff12\n"), "id: T\uff12", "T\uff12", IDENTIFIANT),
    (("risques.yaml", "interdit: {id: interdit,", "interdit: {id: Jamais,"), "interdit: {id: Jamais", "Jamais",
     "« Jamais » est réservé au seuil (--seuil jamais) : choisissez un autre identifiant de niveau"),
    (("risques.yaml", "couleur: bold white on red", "couleur: link https://exemple.invalid"), "couleur: link", "link",
     "lien refusé dans une couleur : seulement des couleurs et des attributs (gras, italique…)"),
    (("risques.yaml", "couleur: yellow", "couleur: jaune-canari"), "couleur: jaune-canari", "jaune-canari",
     "couleur « jaune-canari » invalide : un nom de couleur Rich, #rrggbb, « bold », « on red »…"),
    (("risques.yaml", "  - {id: confidentialite, titre: Confidentialité}", "  - {id: confidentialite, titre: Confidentialité}\n  - {id: Fiabilité, titre: Bis}"),
     "id: Fiabilité", "Fiabilité",
     "identifiant « Fiabilité » trop proche de « fiabilite » (dans « categories ») : ils ne diffèrent que par la casse ou les accents"),
])
def test_referentiel_trompeur_refuse(tmp_path, commande, remplacement, fragment, colonne, message):
    d = _referentiel(tmp_path, remplacement)
    code, sortie, erreurs = lancer(*commande, "-r", d)
    assert (code, sortie) == (2, "")
    assert erreurs.splitlines() == ["Référentiel invalide :", f"{_position(d, remplacement[0], fragment, colonne)}: {message}"]


def test_mot_reserve_jamais_aligne_sur_le_cli():
    from iagcli.cli import JAMAIS
    from iagcli.modeles.referentiel import SEUIL_JAMAIS

    assert JAMAIS == SEUIL_JAMAIS


# --- 13. Messages de taille et de bornes de pydantic en français -----------------------------------------

@pytest.mark.parametrize("erreur, attendu", [
    ({"type": "greater_than", "ctx": {"gt": 0}, "msg": "Input should be greater than 0"}, "attendu une valeur supérieure à 0"),
    ({"type": "less_than", "ctx": {"lt": 5}, "msg": "Input should be less than 5"}, "attendu une valeur inférieure à 5"),
    ({"type": "bool_parsing", "msg": "Input should be a valid boolean"}, "attendu oui ou non"),
    ({"type": "float_parsing", "msg": "Input should be a valid number"}, "attendu un nombre"),
    ({"type": "string_too_long", "ctx": {"max_length": 200}, "msg": "String should have at most 200 characters"},
     "texte trop long (maximum 200 caractères)"),
    ({"type": "too_long", "ctx": {"max_length": 3}, "msg": "List should have at most 3 items"}, "au plus 3 éléments attendus"),
])
def test_messages_pydantic_en_francais(erreur, attendu):
    from iagcli.es.chargeur import _message
    from iagcli.modeles.cas_usage import CasUsage

    assert _message(erreur, CasUsage, ("titre",)) == attendu


# --- 15. Recherche : requête bornée, coût linéaire ------------------------------------------------------

def test_requete_trop_longue_refusee():
    mots = [f"mot{i}" for i in range(3000)]
    code, sortie, erreurs = lancer("recommandations", *mots)
    assert (code, sortie) == (2, "")
    longueur = len(" ".join(mots))
    assert erreurs == (f"iag : recherche trop longue (3000 mots, {longueur} caractères) : au plus 32 mots et 1000 "
                       "caractères ; gardez les mots qui comptent\n")


def test_identifiant_demesure_message_court():
    code, sortie, erreurs = lancer("risques", " ".join(f"mot{i}" for i in range(3000)))
    assert code == 1
    assert erreurs.splitlines()[0].startswith("iag : aucun risque, mesure ni règle « mot0 mot1")
    assert len(erreurs) < 400


def test_cout_par_terme_independant_du_nombre_de_termes(monkeypatch, ref_defaut):
    from iagcli.moteur.consultation import recherche as KR

    fiches = [KR.fiche_recommandation(r, ref_defaut.themes) for r in ref_defaut.recommandations.values()]
    appels = []
    vraie = KR.qualite
    monkeypatch.setattr(KR, "qualite", lambda t, m: appels.append(t) or vraie(t, m))

    def cout(termes):
        appels.clear()
        index = KR.Index(fiches)
        KR.chercher(fiches, termes, index)
        KR.chercher(fiches[:3], termes, index)  # seconde recherche de la commande : rien de recalculé
        return len(appels), len(index.formes)

    un, formes = cout(["donnees"])
    assert un == formes  # une comparaison par mot distinct du référentiel, pas par occurrence
    termes = ["donnees", "personnelles", "agents", "securite", "hallucination", "fournisseur", "modele", "ecrit", "usager", "juridique"]
    assert cout(termes) == (len(termes) * formes, formes)


def test_erreurs_systeme_en_francais():
    import errno

    from iagcli.messages import erreur_systeme

    assert erreur_systeme(BrokenPipeError(errno.EPIPE, "Broken pipe")) == "tube fermé par le lecteur"
    assert erreur_systeme(IsADirectoryError(errno.EISDIR, "Is a directory")) == "c'est un dossier"
    assert erreur_systeme(PermissionError(errno.EACCES, "Permission denied")) == "permission refusée"
    # errno inconnu de la table : nommé, jamais perdu
    assert erreur_systeme(OSError(errno.ECONNRESET, "Connection reset by peer")) == "erreur système ECONNRESET (Connection reset by peer)"


def test_nouveau_sur_un_dossier_message_francais(tmp_path):
    (tmp_path / "d").mkdir()
    code, sortie, erreurs = lancer("nouveau", "--force", "d", cwd=tmp_path)
    assert code == 2
    assert erreurs == "iag : écriture de « d » impossible : c'est un dossier\n"


def test_sortie_et_erreur_fermees(tmp_path):
    code, sortie, erreurs = _shell('"$0" "$@" >&- 2>&-', "evaluer", CAS, "-o", "json:r.json", cwd=tmp_path)
    assert (code, sortie, erreurs) == (2, "", "")
    assert list(tmp_path.iterdir()) == []
