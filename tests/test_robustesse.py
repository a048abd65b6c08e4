"""Robustesse : entrées hostiles ou cassées, chemins piégés, référentiel fautif, sorties inertes.

Chaque cas passe par le vrai CLI (`evaluer` et `valider` par CliRunner), certains aussi par
l'interpréteur (`python -m iagcli`, comme en CI). Pour chacun : code de sortie exact, message
français exact avec `fichier:ligne:colonne` quand une position existe, aucune trace Python.
Les petits fichiers sont dans `tests/corpus/hostile/` ; les gros (50 Mo, 10 Mo, 10 000 niveaux)
sont fabriqués ici, dans `tmp_path`, jamais versionnés.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.echappement import echapper
from iagcli.erreurs import ErreurFichier, ErreurReferentiel
from iagcli.es import chargeur
from iagcli.es.chargeur import NOEUDS_MAX, PROFONDEUR_MAX, TAILLE_MAX
from iagcli.moteur.referentiel import charger
from iagcli.rendus.evaluation import FORMATS

from conftest import DONNEES, MINI, RACINE

CORPUS = Path(__file__).parent / "corpus" / "hostile"
CAS_BASE = DONNEES / "cas-base.yaml"
BASE = CAS_BASE.read_text(encoding="utf-8")
EXEMPLES = RACINE / "exemples"
VARIABLES = ("IAG_REFERENTIEL", "IAG_SEUIL", "IAG_FORMAT", "IAG_RAPPORTS", "IAG_CONFIG",
             "GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS", "FORCE_COLOR", "COLUMNS")
ANCRE = "ancre YAML « &{} » refusée : les ancres et alias ne sont pas acceptés"
VIDE = "1:1: fichier vide : une table de réponses (clé: valeur) est attendue"
IMBRICATION = f"imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux)"


@pytest.fixture(autouse=True)
def environnement_neutre(monkeypatch, tmp_path):
    """Ni configuration découverte, ni variable IAG_*, ni couleur : seul le cas testé compte."""
    for v in VARIABLES:
        monkeypatch.delenv(v, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)


def iag(*args, entree=None):
    r = CliRunner().invoke(app, [str(a) for a in args], input=entree, catch_exceptions=False)
    assert "Traceback" not in r.stdout + r.stderr
    return r


def iag_processus(*args, timeout=60, cwd=None, **kw):
    """La commande installée, dans un autre processus (sans /work/venv/bin/iag : pas portable)."""
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env["NO_COLOR"] = "1"
    r = subprocess.run(
        [sys.executable, "-m", "iagcli", *map(str, args)], capture_output=True, encoding="utf-8",
        errors="replace", timeout=timeout, env=env, cwd=cwd or os.getcwd(), **kw,
    )
    assert "Traceback" not in r.stdout + r.stderr
    assert "erreur interne" not in r.stderr
    return r


# --- Le corpus versionné ----------------------------------------------------------------------------

# fichier -> diagnostics attendus (sans le préfixe « chemin: »), code 1 pour evaluer comme valider
INVALIDES = {
    "bombe-alias.yaml": ["2:4: " + ANCRE.format("a")],
    "cles-fusion.yaml": ["16:3: clé de fusion YAML « << » refusée : écrivez les clés en entier"],
    "cle-double-profonde.yaml": ["12:3: clé « nom » en double (déjà définie ligne 9)"],
    "cle-double-liste.yaml": ["27:30: clé « documents_publics » en double (déjà définie ligne 27)"],
    "etiquette-python.yaml": ["1:8: étiquette YAML « tag:yaml.org,2002:python/object/apply:os.system » refusée"],
    "etiquette-python-name.yaml": ["4:10: étiquette YAML « tag:yaml.org,2002:python/name:os.system » refusée"],
    "etiquette-inconnue.yaml": ["10:16: étiquette YAML « !fournisseur » refusée"],
    "plusieurs-documents.yaml": ["27:1: plusieurs documents YAML dans un même fichier : un seul est attendu"],
    "vide.yaml": [VIDE],
    "commentaire-seul.yaml": [VIDE],
    "null.yaml": [VIDE],
    "liste.yaml": ["1:1: le document est une liste : une table (clé: valeur) est attendue"],
    "scalaire.yaml": ["1:1: le document est une valeur seule : une table (clé: valeur) est attendue"],
    "non-utf8.yaml": ["3:25: octet 0xe9 invalide : le fichier doit être en UTF-8"],
    "utf32-bom.yaml": ["1:1: encodage UTF-32 non pris en charge : enregistrez le fichier en UTF-8"],
    "nul.yaml": ["4:14: caractère NUL interdit dans un fichier YAML"],
    "caractere-controle.yaml": ["3:15: caractère U+001B interdit dans un fichier YAML (caractère de contrôle ou non imprimable)"],
    "tabulations.yaml": ["9:1: syntaxe YAML : tabulation interdite : indentez avec des espaces"],
    "pieges-yaml11-enum.yaml": [
        "5:9: valeur « 2024-01-01 » invalide ; valeurs permises : idée, expérimentation, production",
        "13:14: valeur « off » invalide ; valeurs permises : collectivité, organisme_public, ue, hors_ue, inconnu",
        "17:11: valeur « 1.10 » invalide ; valeurs permises : limité, important, grande_échelle, inconnu",
        "22:16: valeur « NO » invalide ; valeurs permises : systématique, ponctuelle, aucune",
        "26:22: valeur « 0755 » invalide ; valeurs permises : moins_de_10, 10_à_100, 100_à_1000, plus_de_1000, inconnu",
    ],
    "cles-inconnues.yaml": [
        "1:1: clé obligatoire manquante : « hebergement » (hébergement des données)",
        "9:3: clé obligatoire manquante : « type_modele » (type de modèle)",
        "11:3: clé inconnue « type_modle » ; vouliez-vous dire « type_modele » ?",
        "13:1: clé inconnue « hebergment » ; vouliez-vous dire « hebergement » ?",
        "19:1: clé inconnue « commentaire »",
    ],
    "valeurs-enum.yaml": [
        "5:9: valeur « brouillon » invalide ; valeurs permises : idée, expérimentation, production ; vouliez-vous dire « production » ?",
        "16:16: valeur « publique » invalide ; valeurs permises : publiques, internes, confidentielles, contacts_professionnels_agents, personnelles, hautement_personnelles, sensibles, "
        "personnes_vulnérables ; vouliez-vous dire « publiques » ?",
        "16:26: valeur « secrètes » invalide ; valeurs permises : publiques, internes, confidentielles, contacts_professionnels_agents, personnelles, hautement_personnelles, sensibles, "
        "personnes_vulnérables",
        "21:9: valeur « totale » invalide ; valeurs permises : aucune, étape_administrative, aide_à_la_décision, décision_automatisée",
    ],
    "mauvais-types.yaml": [
        "1:8: attendu du texte",
        "6:18: date invalide : attendu AAAA-MM-JJ",
        "7:9: attendu une liste (éléments précédés de « - »)",
        "8:8: attendu une table (clé: valeur)",
        "14:11: attendu une des valeurs : limité, important, grande_échelle, inconnu",
    ],
    "reponses-manquantes.yaml": [
        "1:1: clé obligatoire manquante : « hebergement » (hébergement des données)",
        "1:1: clé obligatoire manquante : « revue_humaine » (relecture humaine)",
        "15:3: clé obligatoire manquante : « volume » (volume de données)",
        "19:3: clé obligatoire manquante : « type » (rôle dans les décisions)",
    ],
    "mesures-inconnues.yaml": [
        "27:25: mesure « M99 » absente du référentiel ; vouliez-vous dire « M19 » ?",
        "27:30: mesure « m02 » absente du référentiel ; vouliez-vous dire « M02 » ?",
    ],
}
VALIDES = ["utf16-bom.yaml", "pieges-yaml11-texte.yaml", "injection-texte.yaml", "hors-latin1.yaml"]
# valides mais incomplets (issue 20) : une question sans réponse compte au pire cas, la porte échoue
INCOMPLETS = {"decision-sans-domaine.yaml": "decision_individuelle.domaine"}


def test_corpus_entierement_attendu():
    # configurations/ : les .iag.yaml hostiles, vérifiés par test_securite.py
    assert sorted(p.name for p in CORPUS.iterdir() if p.is_file()) == sorted([*INVALIDES, *VALIDES, *INCOMPLETS])


@pytest.mark.parametrize("nom", sorted(INCOMPLETS))
def test_corpus_incomplet(nom):
    f = str(CORPUS / nom)
    assert iag("valider", f).exit_code == 0  # le schéma l'accepte…
    r = iag("evaluer", f)
    assert r.exit_code == 1 and "INCOMPLET" in r.stdout  # … mais le cas est incomplet : la porte échoue
    assert f"{INCOMPLETS[nom]} (" in r.stdout


@pytest.mark.parametrize("commande", ["evaluer", "valider"])
@pytest.mark.parametrize("nom", sorted(INVALIDES))
def test_corpus_invalide(nom, commande, tmp_path):
    f = str(CORPUS / nom)
    r = iag(commande, f)
    assert r.exit_code == 3
    assert r.stderr.splitlines() == [f"{f}:{d}" for d in INVALIDES[nom]]
    assert r.stdout == ""
    assert not (tmp_path / "iag-pwned").exists()  # etiquette-python.yaml : rien n'est exécuté


@pytest.mark.parametrize("nom", VALIDES)
def test_corpus_valide(nom):
    f = str(CORPUS / nom)
    r = iag("valider", f)
    assert (r.exit_code, r.stdout, r.stderr) == (0, f"{f}: valide\n", "")
    r = iag("evaluer", f)
    assert (r.exit_code, r.stderr) == (0, "")
    assert "Verdict : FAIBLE" in r.stdout


def test_utf16_avec_bom_accepte_et_decode():
    r = iag("evaluer", CORPUS / "utf16-bom.yaml")
    assert "Cas en UTF-16 ; élève, « guillemets »" in r.stdout


def test_pieges_yaml_11_restent_du_texte(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    f = CORPUS / "pieges-yaml11-texte.yaml"
    r = iag("evaluer", f)
    assert r.exit_code == 0
    lignes = [ligne.strip("│ ") for ligne in r.stdout.splitlines()]
    assert "NO" in lignes  # le titre, pas « False »
    assert f"{f} · off · expérimentation" in lignes  # le service, pas « False »
    if "json" in FORMATS:
        cas = json.loads(iag("evaluer", f, "-f", "json").stdout)
        assert "NO" in _chaines(cas) and "off" in _chaines(cas)


def _chaines(x) -> list[str]:
    """Toutes les chaînes d'un document JSON."""
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return [s for v in x.values() for s in _chaines(v)]
    if isinstance(x, list):
        return [s for v in x for s in _chaines(v)]
    return []


@pytest.mark.parametrize("nom, code, attendu", [
    ("bombe-alias.yaml", 3, ["2:4: " + ANCRE.format("a")]),
    ("non-utf8.yaml", 3, ["3:25: octet 0xe9 invalide : le fichier doit être en UTF-8"]),
    ("etiquette-python.yaml", 3, INVALIDES["etiquette-python.yaml"]),
    ("utf16-bom.yaml", 0, []),
])
def test_corpus_par_l_interpreteur(nom, code, attendu, tmp_path):
    f = CORPUS / nom
    r = iag_processus("evaluer", f, cwd=tmp_path)
    assert r.returncode == code
    assert r.stderr.splitlines() == [f"{f}:{d}" for d in attendu]
    assert not (tmp_path / "iag-pwned").exists()


# --- Les gros fichiers, fabriqués à la volée -------------------------------------------------------


@pytest.mark.parametrize("commande", ["evaluer", "valider"])
def test_fichier_de_50_mo_refuse_sans_etre_lu(commande, tmp_path):
    p = tmp_path / "gros.yaml"
    with open(p, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # creux : aucun octet écrit ni lu
    r = iag(commande, p)
    assert r.exit_code == 3
    # la taille réelle dans le message : refus sur fstat, avant toute lecture (sinon ce serait TAILLE_MAX + 1)
    assert r.stderr == f"{p}:1:1: fichier trop volumineux ({50 * 1024 * 1024} octets ou plus ; maximum {TAILLE_MAX})\n"


def test_fichier_de_50_mo_par_l_interpreteur(tmp_path):
    p = tmp_path / "gros.yaml"
    with open(p, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    r = iag_processus("evaluer", p)
    assert r.returncode == 3
    assert r.stderr == f"{p}:1:1: fichier trop volumineux ({50 * 1024 * 1024} octets ou plus ; maximum {TAILLE_MAX})\n"


def test_chaine_de_10_mo_refusee_par_le_plafond(tmp_path):
    p = tmp_path / "chaine.yaml"
    contenu = b"titre: " + b"x" * (10 * 1024 * 1024) + b"\n"
    p.write_bytes(contenu)
    for commande in ("evaluer", "valider"):
        r = iag(commande, p)
        assert r.exit_code == 3
        assert r.stderr == f"{p}:1:1: fichier trop volumineux ({len(contenu)} octets ou plus ; maximum {TAILLE_MAX})\n"
    # par l'entrée standard, la taille n'est pas connue d'avance : lecture bornée à TAILLE_MAX + 1
    r = iag("evaluer", "-", "--nom-stdin", "chaine.yaml", entree=contenu)
    assert r.exit_code == 3
    assert r.stderr == f"chaine.yaml:1:1: fichier trop volumineux ({TAILLE_MAX + 1} octets ou plus ; maximum {TAILLE_MAX})\n"


IMBRIQUES = {
    # nom -> (texte, diagnostics possibles) ; 10 000 niveaux, refusés sans récursion
    "blocs": ("- " * 10_000 + "x\n", {f"1:{2 * PROFONDEUR_MAX + 1}: {IMBRICATION}"}),
    "tables": ("titre: " + "{a: " * 10_000 + "x" + "}" * 10_000 + "\n", {f"1:{7 + 4 * (PROFONDEUR_MAX - 1) + 1}: {IMBRICATION}"}),
    # listes en flux : libyaml lit en avance et son propre plafond (1 000 niveaux) peut passer avant le nôtre
    "listes": ("titre: " + "[" * 10_000 + "]" * 10_000 + "\n",
               {f"1:{7 + PROFONDEUR_MAX}: {IMBRICATION}", f"1:{7 + 1000}: syntaxe YAML : {IMBRICATION}"}),
}


@pytest.mark.parametrize("commande", ["evaluer", "valider"])
@pytest.mark.parametrize("nom", sorted(IMBRIQUES))
def test_dix_mille_niveaux_d_imbrication(nom, commande, tmp_path):
    texte, possibles = IMBRIQUES[nom]
    p = tmp_path / f"{nom}.yaml"
    p.write_text(texte, encoding="utf-8")
    r = iag(commande, p)
    assert r.exit_code == 3
    assert r.stderr.rstrip("\n") in {f"{p}:{d}" for d in possibles}


def test_dix_mille_niveaux_par_l_interpreteur(tmp_path):
    texte, possibles = IMBRIQUES["tables"]
    p = tmp_path / "tables.yaml"
    p.write_text(texte, encoding="utf-8")
    r = iag_processus("valider", p)
    assert r.returncode == 3
    assert r.stderr.rstrip("\n") in {f"{p}:{d}" for d in possibles}


def test_trop_d_elements_refuse_avant_la_validation(tmp_path):
    # 20 000 éléments en 60 Ko : sans plafond, des centaines de Mo de positions et des secondes de validation
    p = tmp_path / "elements.yaml"
    p.write_text("a: [" + ", ".join(["x"] * 20_000) + "]\n", encoding="utf-8")
    r = iag("valider", p)
    assert r.exit_code == 3
    # nœuds : la table racine, la clé « a », la liste, puis les « x » ; le premier en trop est le n° NOEUDS_MAX - 2
    colonne = len("a: [") + len("x, ") * (NOEUDS_MAX - 3) + 1
    assert r.stderr == f"{p}:1:{colonne}: fichier trop complexe : plus de {NOEUDS_MAX} éléments YAML\n"


def test_milliers_d_erreurs_rapportees_bornees(tmp_path):
    p = tmp_path / "erreurs.yaml"
    p.write_text(BASE.replace("taches: [traduction]", "taches:\n" + "".join(f"  - t{i}\n" for i in range(3000))), encoding="utf-8")
    r = iag("valider", p)
    assert r.exit_code == 3
    lignes = r.stderr.splitlines()
    assert len(lignes) == 51
    assert lignes[0] == f"{p}:8:5: valeur « t0 » invalide ; valeurs permises : rédaction, synthèse, traduction, recherche, code, " \
        "images_son_vidéo, agent_conversationnel, analyse_classement, aide_à_la_décision, actions_automatiques"
    assert lignes[-1] == f"{p}:58:5: … et 2950 autres erreurs"


# --- Chargeur : les corrections, au plus près ------------------------------------------------------


def test_echapper_rend_visibles_les_caracteres_de_controle():
    assert echapper("a\x1b[31mb\n::add-mask::c\rd\te\u202ef\x85g\u2028h") == \
        "a\\x1b[31mb\\n::add-mask::c\\rd\\te\\u202ef\\x85g\\u2028h"
    assert echapper("ligne 1\n\tligne 2", garder="\n\t") == "ligne 1\n\tligne 2"
    assert echapper("« é » [x] <b>") == "« é » [x] <b>"  # rien d'autre ne change
    assert echapper(echapper("\x1b")) == "\\x1b"  # idempotent


def test_lecteur_yaml_sans_libyaml(monkeypatch):
    """Sans libyaml, le lecteur Python vérifie les caractères dès sa création : hors du `try`, c'était
    une « erreur interne »."""
    monkeypatch.setattr(chargeur, "_Chargeur", yaml.SafeLoader)
    for texte, attendu in [
        ("a: b\x01c\n", "f.yaml:1:5: caractère U+0001 interdit dans un fichier YAML (caractère de contrôle ou non imprimable)"),
        ("é: ééé\n\x7f", "f.yaml:2:1: caractère U+007F interdit dans un fichier YAML (caractère de contrôle ou non imprimable)"),
        ("a: 1\na: 2\n", "f.yaml:2:1: clé « a » en double (déjà définie ligne 1)"),
    ]:
        with pytest.raises(ErreurFichier) as e:
            chargeur.analyser(texte, "f.yaml")
        assert str(e.value) == attendu


def test_caractere_interdit_positionne_en_caracteres_avec_libyaml():
    # libyaml compte la position en octets UTF-8 : la colonne doit compter des caractères
    with pytest.raises(ErreurFichier) as e:
        chargeur.analyser("é: ééé\x01\n", "f.yaml")
    assert str(e.value) == "f.yaml:1:7: caractère U+0001 interdit dans un fichier YAML (caractère de contrôle ou non imprimable)"


@pytest.mark.parametrize("texte, attendu", [
    ('a: "\\xZZ"\n', "1:7: syntaxe YAML : séquence d'échappement invalide : chiffres hexadécimaux attendus après « \\x », « \\u » ou « \\U »"),
    ("a: 1\n...\nb\n", "3:1: syntaxe YAML : début de document « --- » attendu (texte après la fin du document ?)"),
    ("%YAML 2.0\n---\na: 1\n", "1:1: syntaxe YAML : version YAML non prise en charge (%YAML 1.x attendu)"),
    ("a: |0\n x\n", "1:5: syntaxe YAML : indicateur d'indentation 0 invalide dans un bloc de texte"),
])
def test_erreurs_libyaml_traduites(texte, attendu):
    # messages trouvés en anglais par tests/test_proprietes.py
    with pytest.raises(ErreurFichier) as e:
        chargeur.analyser(texte, "f.yaml")
    assert str(e.value) == f"f.yaml:{attendu}"


# --- Chemins piégés ------------------------------------------------------------------------------


@pytest.mark.parametrize("commande", ["evaluer", "valider"])
def test_dossier_sans_yaml(commande, tmp_path):
    d = tmp_path / "propositions"
    d.mkdir()
    (d / "notes.txt").write_text("pas du YAML", encoding="utf-8")
    r = iag(commande, d)
    assert r.exit_code == 2
    assert r.stderr == f"{d}: aucun fichier YAML (*.yaml, *.yml) dans ce dossier\n"


@pytest.mark.parametrize("commande", ["evaluer", "valider"])
def test_fichier_absent(commande, tmp_path):
    r = iag(commande, tmp_path / "absent.yaml")
    assert r.exit_code == 2
    assert r.stderr == f"{tmp_path / 'absent.yaml'}: fichier introuvable\n"


@pytest.mark.parametrize("commande", ["evaluer", "valider"])
def test_fichier_sans_droit_de_lecture_simule(commande, tmp_path, monkeypatch):
    """Sous root, chmod 000 n'empêche pas de lire : on simule donc l'appel système refusé.

    `os.open` lève pour ce seul chemin exactement ce que le noyau lève pour un utilisateur sans
    droit (EACCES) ; tout le reste du chemin de lecture (ouverture, traduction de l'erreur, code 2)
    est le vrai. Le test suivant fait l'essai réel quand on n'est pas root.
    """
    p = tmp_path / "secret.yaml"
    p.write_text(BASE, encoding="utf-8")
    ouvrir = os.open

    def refuser(chemin, *args, **kw):
        if os.fspath(chemin) == str(p):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(p))
        return ouvrir(chemin, *args, **kw)

    monkeypatch.setattr(os, "open", refuser)
    r = iag(commande, p)
    assert r.exit_code == 2
    assert r.stderr == f"{p}: lecture refusée (droits insuffisants)\n"


def test_fichier_sans_droit_de_lecture_reel(tmp_path):
    p = tmp_path / "secret.yaml"
    p.write_text(BASE, encoding="utf-8")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("exécuté en root : chmod 000 n'empêche pas la lecture (voir le test simulé)")
        r = iag_processus("valider", p)
        assert r.returncode == 2
        assert r.stderr == f"{p}: lecture refusée (droits insuffisants)\n"
    finally:
        p.chmod(0o644)


@pytest.mark.parametrize("commande", ["evaluer", "valider"])
def test_lien_symbolique_vers_lui_meme(commande, tmp_path):
    p = tmp_path / "boucle.yaml"
    p.symlink_to(p.name)
    r = iag(commande, p)
    assert r.exit_code == 2
    assert r.stderr == f"{p}: boucle de liens symboliques\n"


def _dossier_a_boucles(tmp_path) -> Path:
    d = tmp_path / "propositions"
    d.mkdir()
    (d / "a.yaml").write_text(BASE, encoding="utf-8")
    (d / "ici").symlink_to(".")  # dossier qui se contient lui-même
    (d / "parent").symlink_to("..")
    (d / "soi.yaml").symlink_to("soi.yaml")  # fichier qui pointe sur lui-même
    return d


def test_dossier_contenant_des_boucles_ne_bloque_pas(tmp_path):
    d = _dossier_a_boucles(tmp_path)
    r = iag("valider", d)
    assert r.exit_code == 2
    assert r.stdout == f"{d / 'a.yaml'}: valide\n"
    assert r.stderr == f"{d / 'soi.yaml'}: boucle de liens symboliques\n"
    r = iag("evaluer", d)
    assert r.exit_code == 2
    assert r.stderr == f"{d / 'soi.yaml'}: boucle de liens symboliques\n"
    assert "Bilan : 2 fichiers · 1 faible · 1 illisible" in r.stdout


def test_dossier_contenant_des_boucles_par_l_interpreteur(tmp_path):
    d = _dossier_a_boucles(tmp_path)
    r = iag_processus("evaluer", d, timeout=60)  # une boucle suivie dépasserait le délai
    assert r.returncode == 2
    assert r.stderr == f"{d / 'soi.yaml'}: boucle de liens symboliques\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes nommés POSIX")
def test_tube_nomme_sans_ecrivain_ne_bloque_pas(tmp_path):
    """Avant correction, `open()` d'un tube sans écrivain bloquait iag pour toujours."""
    d = tmp_path / "propositions"
    d.mkdir()
    os.mkfifo(d / "tube.yaml")
    (d / "a.yaml").write_text(BASE, encoding="utf-8")
    r = iag_processus("valider", d, timeout=60)
    assert r.returncode == 3
    assert r.stdout == f"{d / 'a.yaml'}: valide\n"
    assert r.stderr == f"{d / 'tube.yaml'}:{VIDE}\n"


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="/dev/fd absent")
def test_tube_anonyme_comme_substitution_de_processus(tmp_path):
    """`iag evaluer <(git show HEAD:cas.yaml)` : un tube dont l'écrivain existe est lu en entier."""
    lecture, ecriture = os.pipe()
    try:
        os.write(ecriture, BASE.encode())
        os.close(ecriture)
        r = iag_processus("evaluer", f"/dev/fd/{lecture}", pass_fds=(lecture,))
    finally:
        os.close(lecture)
    assert (r.returncode, r.stderr) == (0, "")
    assert "Verdict : FAIBLE" in r.stdout


def test_chemin_a_travers_un_fichier(tmp_path):
    (tmp_path / "cas.yaml").write_text(BASE, encoding="utf-8")
    r = iag("valider", tmp_path / "cas.yaml" / "x.yaml")
    assert r.exit_code == 2
    assert r.stderr == f"{tmp_path / 'cas.yaml' / 'x.yaml'}: chemin invalide : un élément du chemin n'est pas un dossier\n"


@pytest.mark.skipif(os.name != "posix", reason="fermeture du descripteur 0 avant exec")
def test_entree_standard_fermee(tmp_path):
    """`iag evaluer - <&-` : avant correction, « erreur interne (AttributeError) »."""
    r = iag_processus("evaluer", "-", "--nom-stdin", "cas.yaml", preexec_fn=lambda: os.close(0))
    assert r.returncode == 2
    assert r.stderr == "cas.yaml: entrée standard fermée\n"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="sockets Unix")
def test_socket_unix(tmp_path):
    p = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(p))
        r = iag("valider", p)
    assert r.exit_code == 2
    assert r.stderr == f"{p}: ce n'est pas un fichier ordinaire (socket ou périphérique absent)\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="/dev/zero absent")
def test_peripherique_infini_lu_de_facon_bornee():
    r = iag("valider", "/dev/zero")
    assert r.exit_code == 3
    assert r.stderr == f"/dev/zero:1:1: fichier trop volumineux ({TAILLE_MAX + 1} octets ou plus ; maximum {TAILLE_MAX})\n"


# --- Référentiel personnalisé fautif : chaque contrôle croisé, avec sa position --------------------

# (identifiant, fichier modifié, texte d'origine, remplacement, diagnostics « fichier:ligne:colonne: message »)
CAS_REFERENTIEL = [
    ("id_en_double", "risques.yaml", "  - {id: confidentialite, titre: Confidentialité}", "  - {id: fiabilite, titre: Confidentialité}",
     ["risques.yaml:38:10: identifiant « fiabilite » en double dans « categories »",
      "risques.yaml:61:16: catégorie « confidentialite » inconnue"]),
    ("id_deja_utilise", "risques.yaml", "  - id: MA\n", "  - id: T1\n",
     ["risques.yaml:81:9: identifiant « T1 » déjà utilisé dans « risques »"]),
    ("id_deja_utilise_entre_fichiers", "recommandations.yaml", "  - id: C2\n", "  - id: MB\n",
     ["recommandations.yaml:15:9: identifiant « MB » déjà utilisé dans « mesures »"]),
    ("interdit_parmi_les_niveaux", "risques.yaml", "interdit: {id: interdit,", "interdit: {id: critique,",
     ["risques.yaml:27:16: le niveau « critique » ne peut être à la fois un niveau de la grille et le verdict d'interdiction"]),
    ("paliers_desordonnes", "risques.yaml", "    - {valeur: 3, libelle: G3, description: g3}", "    - {valeur: 5, libelle: G3, description: g3}",
     ["risques.yaml:20:16: valeur 5 inattendue : les paliers vont de 1 à 4, dans l'ordre"]),
    ("source_inconnue_echelles", "risques.yaml", "echelles:\n  sources: [test]", "echelles:\n  sources: [tets]",
     ["risques.yaml:11:13: source « tets » introuvable dans le référentiel ; vouliez-vous dire « test » ?"]),
    ("source_inconnue_risque", "risques.yaml", "        raison: l'agent seul voit le résultat\n    sources: [test]",
     "        raison: l'agent seul voit le résultat\n    sources: [test, cnil]",
     ["risques.yaml:58:21: source « cnil » introuvable dans le référentiel"]),
    ("source_inconnue_mesure", "risques.yaml", "    preuves: [procédure]\n    effets:\n      - {risque: T1, probabilite: -1}\n    sources: [test]",
     "    preuves: [procédure]\n    effets:\n      - {risque: T1, probabilite: -1}\n    sources: [anssi]",
     ["risques.yaml:88:15: source « anssi » introuvable dans le référentiel"]),
    ("source_inconnue_regle", "risques.yaml", "    consequence: Arrêt.\n    sources: [test]", "    consequence: Arrêt.\n    sources: [ai_act]",
     ["risques.yaml:106:15: source « ai_act » introuvable dans le référentiel"]),
    ("source_inconnue_recommandation", "recommandations.yaml", "    risques: [T2]\n    sources: [test]", "    risques: [T2]\n    sources: [rennes]",
     ["recommandations.yaml:22:15: source « rennes » introuvable dans le référentiel"]),
    ("grille_hors_echelle", "risques.yaml", "  - {probabilite: 4, niveaux: [modéré, élevé, critique, critique]}",
     "  - {probabilite: 4, niveaux: [modéré, élevé, critique, critique]}\n  - {probabilite: 5, niveaux: [modéré, élevé, critique, critique]}",
     ["risques.yaml:33:19: probabilité 5 hors de l'échelle (1 à 4)"]),
    ("grille_ligne_en_double", "risques.yaml", "  - {probabilite: 3, niveaux: [modéré, élevé, élevé, critique]}",
     "  - {probabilite: 2, niveaux: [modéré, élevé, élevé, critique]}",
     ["risques.yaml:29:3: la grille n'a pas de ligne pour la probabilité 3", "risques.yaml:31:19: ligne de probabilité 2 en double"]),
    ("grille_ligne_manquante", "risques.yaml", "  - {probabilite: 3, niveaux: [modéré, élevé, élevé, critique]}\n", "",
     ["risques.yaml:29:3: la grille n'a pas de ligne pour la probabilité 3"]),
    ("grille_ligne_trop_courte", "risques.yaml", "  - {probabilite: 2, niveaux: [faible, modéré, élevé, critique]}",
     "  - {probabilite: 2, niveaux: [faible, modéré, élevé]}",
     ["risques.yaml:30:31: 3 niveaux pour 4 paliers de gravité"]),
    ("grille_niveau_inconnu", "risques.yaml", "  - {probabilite: 2, niveaux: [faible, modéré, élevé, critique]}",
     "  - {probabilite: 2, niveaux: [faible, modere, élevé, critique]}",
     ["risques.yaml:30:40: niveau « modere » introuvable dans le référentiel ; vouliez-vous dire « modéré » ?"]),
    ("grille_baisse_avec_la_gravite", "risques.yaml", "  - {probabilite: 2, niveaux: [faible, modéré, élevé, critique]}",
     "  - {probabilite: 2, niveaux: [faible, élevé, modéré, critique]}",
     ["risques.yaml:30:47: niveau en baisse quand la gravité passe de 2 à 3 (probabilité 2)"]),
    ("grille_baisse_avec_la_probabilite", "risques.yaml", "  - {probabilite: 4, niveaux: [modéré, élevé, critique, critique]}",
     "  - {probabilite: 4, niveaux: [faible, élevé, critique, critique]}",
     ["risques.yaml:32:32: niveau en baisse quand la probabilité passe de 3 à 4 (gravité 1)"]),
    ("parametres_niveau_inconnu", "risques.yaml", "  {niveau_suggestion_mesures: modéré,", "  {niveau_suggestion_mesures: moyen,",
     ["risques.yaml:34:31: niveau « moyen » inconnu ; niveaux : faible, modéré, élevé, critique"]),
    ("categorie_inconnue", "risques.yaml", "    categorie: fiabilite\n", "    categorie: fiabilité_\n",
     ["risques.yaml:42:16: catégorie « fiabilité_ » inconnue ; vouliez-vous dire « fiabilite » ?"]),
    ("probabilite_hors_echelle", "risques.yaml", "    probabilite: 2\n    gravite: 1\n", "    probabilite: 7\n    gravite: 1\n",
     ["risques.yaml:45:18: probabilité 7 hors de l'échelle (1 à 4)"]),
    ("gravite_hors_echelle", "risques.yaml", "    probabilite: 2\n    gravite: 1\n", "    probabilite: 2\n    gravite: 0\n",
     ["risques.yaml:46:14: gravité 0 hors de l'échelle (1 à 4)"]),
    ("condition_champ_inconnu", "risques.yaml", "      - si: {champ: hebergement, egal: hors_ue}", "      - si: {champ: hébergement, egal: hors_ue}",
     ["risques.yaml:70:21: champ « hébergement » inconnu du cas d'usage ; vouliez-vous dire « hebergement » ?"]),
    ("condition_valeur_impossible", "risques.yaml", "            - {champ: donnees.volume, au_moins: important}",
     "            - {champ: donnees.volume, au_moins: énorme}",
     ["risques.yaml:76:49: valeur « énorme » impossible pour « donnees.volume » ; valeurs permises : limité, important, grande_échelle"]),
    ("condition_operateur_sur_liste", "risques.yaml", "            - {champ: donnees.categories, contient: sensibles}",
     "            - {champ: donnees.categories, egal: sensibles}",
     ["risques.yaml:75:49: opérateur « egal » impossible sur « donnees.categories », qui est une liste ; opérateurs permis : contient, contient_un_de"]),
    ("condition_ordre_sur_non_ordonne", "risques.yaml", "    si: {champ: fonctionnalites_sensibles, contient: notation_sociale}",
     "    si: {champ: acces, au_moins: api}",
     ["risques.yaml:104:34: opérateur « au_moins » impossible sur « acces », qui est une réponse non ordonnée ; opérateurs permis : egal, dans"]),
    ("condition_inconnu", "risques.yaml", "      - si: {champ: hebergement, egal: hors_ue}", "      - si: {champ: hebergement, dans: [hors_ue, inconnu]}",
     ["risques.yaml:70:50: « inconnu » ne peut figurer dans une condition : une réponse inconnue compte déjà comme le pire cas"]),
    ("condition_minimum_trop_grand", "risques.yaml", "      minimum: 2\n", "      minimum: 4\n",
     ["risques.yaml:125:16: minimum 4 supérieur au nombre de conditions (3)"]),
    ("ponderation_sans_effet", "risques.yaml", "        gravite: -1\n        raison: l'agent seul voit le résultat",
     "        gravite: 0\n        raison: l'agent seul voit le résultat",
     ["risques.yaml:55:9: pondération sans effet : indiquez « probabilite » ou « gravite »"]),
    ("effet_sur_risque_inconnu", "risques.yaml", "      - {risque: T2, probabilite: -2, gravite: -1}", "      - {risque: T3, probabilite: -2, gravite: -1}",
     ["risques.yaml:95:18: risque « T3 » inconnu"]),
    ("effet_nul", "risques.yaml", "      - {risque: T1, probabilite: -1}\n    sources: [test]\n  - id: MB",
     "      - {risque: T1}\n    sources: [test]\n  - id: MB",
     ["risques.yaml:87:9: effet nul : indiquez une baisse de « probabilite » ou de « gravite »"]),
    ("niveau_minimum_inconnu", "risques.yaml", "    niveau_minimum: élevé", "    niveau_minimum: haut",
     ["risques.yaml:112:21: niveau « haut » inconnu ; niveaux : faible, modéré, élevé, critique"]),
    ("fin_d_application_avant_le_debut", "risques.yaml", "  - id: JO\n    applicable_depuis: 2025-02-02\n",
     "  - id: JO\n    applicable_depuis: 2025-02-02\n    applicable_jusqu_au: 2024-12-31\n",
     ["risques.yaml:109:26: fin d'application (2024-12-31) avant ou le jour de son début (2025-02-02)"]),
    ("mesure_detective_sur_la_gravite", "risques.yaml", "    titre: Hébergement maîtrisé\n    nature: préventive",
     "    titre: Hébergement maîtrisé\n    nature: détective",
     ["risques.yaml:95:48: une mesure détective ne baisse jamais la gravité (parametres.credit_mesures.par_nature) : retirez cet effet ou changez la nature de la mesure"]),
    ("nature_de_mesure_inconnue", "risques.yaml", "    titre: Relecture\n    nature: préventive", "    titre: Relecture\n    nature: curative",
     ["risques.yaml:83:13: valeur « curative » invalide ; valeurs permises : 'préventive', 'détective', 'corrective'"]),
    ("ponderations_qui_se_recouvrent", "risques.yaml", "      - si: {champ: revue_humaine, egal: ponctuelle}",
     "      - si: {champ: revue_humaine, au_moins: ponctuelle}",
     ["risques.yaml:51:13: pondération qui recouvre la pondération n° 1 (ligne 48) du risque T1 sur « revue_humaine » (probabilité) :"
      " les deux s'appliquent pour « revue_humaine : aucune » ; une même réponse ne doit relever le risque qu'une fois :"
      " rendez les conditions disjointes"]),
    ("plancher_hors_echelle", "risques.yaml", "        raison: données sensibles en nombre\n    sources: [test]",
     "        raison: données sensibles en nombre\n    plancher: {gravite: 5}\n    sources: [test]",
     ["risques.yaml:79:25: plancher de gravité 5 hors de l'échelle (1 à 4)"]),
    ("veille_juridique_sans_date", "risques.yaml", "  verifiee_le: 2026-11-30\n", "  verifiee_le: bientôt\n",
     ["risques.yaml:133:16: date invalide : attendu AAAA-MM-JJ"]),
    ("recommandation_theme_inconnu", "recommandations.yaml", "    theme: bon_usage\n    publics: [agents]\n    mots_cles: [relecture]",
     "    theme: bons_usages\n    publics: [agents]\n    mots_cles: [relecture]",
     ["recommandations.yaml:10:12: thème « bons_usages » inconnu ; vouliez-vous dire « bon_usage » ?"]),
    ("recommandation_public_inconnu", "recommandations.yaml", "    publics: [agents]\n    mots_cles: [relecture]",
     "    publics: [agents, elus]\n    mots_cles: [relecture]",
     ["recommandations.yaml:11:23: public « elus » introuvable dans le référentiel"]),
    ("recommandation_risque_inconnu", "recommandations.yaml", "    risques: [T1]", "    risques: [T1, T9]",
     ["recommandations.yaml:13:19: risque « T9 » introuvable dans le référentiel"]),
    # pas d'exécution de code depuis les données : les étiquettes Python sont refusées à leur position
    ("etiquette_python_name", "risques.yaml", "titre: Référentiel de test", "titre: !!python/name:os.system",
     ["risques.yaml:3:8: étiquette YAML « tag:yaml.org,2002:python/name:os.system » refusée"]),
    ("etiquette_python_apply", "recommandations.yaml", "    texte: Relire chaque production.",
     "    texte: !!python/object/apply:os.system ['touch iag-pwned']",
     ["recommandations.yaml:9:12: étiquette YAML « tag:yaml.org,2002:python/object/apply:os.system » refusée"]),
]


def referentiel_modifie(dossier: Path, fichier: str, avant: str, apres: str) -> Path:
    dossier.mkdir(exist_ok=True)
    for nom in ("risques.yaml", "recommandations.yaml"):
        shutil.copy(MINI / nom, dossier / nom)
    texte = (dossier / fichier).read_text(encoding="utf-8")
    assert texte.count(avant) == 1, f"texte à remplacer introuvable ou ambigu dans {fichier}"
    (dossier / fichier).write_text(texte.replace(avant, apres), encoding="utf-8")
    return dossier


@pytest.mark.parametrize("commande", ["evaluer", "valider"])
@pytest.mark.parametrize("ident, fichier, avant, apres, attendus", CAS_REFERENTIEL, ids=[c[0] for c in CAS_REFERENTIEL])
def test_referentiel_fautif(ident, fichier, avant, apres, attendus, commande, tmp_path):
    d = referentiel_modifie(tmp_path / "ref", fichier, avant, apres)
    r = iag(commande, CAS_BASE, "-r", d)
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["Référentiel invalide :", *(f"{d}/{a}" for a in attendus)]
    assert r.stdout == ""
    assert not (tmp_path / "iag-pwned").exists()


def test_le_chargeur_du_referentiel_refuse_python_name(tmp_path):
    d = referentiel_modifie(tmp_path / "ref", "risques.yaml", "titre: Référentiel de test", "titre: !!python/name:os.system")
    with pytest.raises(ErreurReferentiel) as e:
        charger(d)
    assert [str(x) for x in e.value.diagnostics] == [f"{d}/risques.yaml:3:8: étiquette YAML « tag:yaml.org,2002:python/name:os.system » refusée"]


def test_referentiel_fautif_par_l_interpreteur(tmp_path):
    ident, fichier, avant, apres, attendus = CAS_REFERENTIEL[-2]
    d = referentiel_modifie(tmp_path / "ref", fichier, avant, apres)
    r = iag_processus("evaluer", CAS_BASE, "-r", d)
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["Référentiel invalide :", *(f"{d}/{a}" for a in attendus)]


# --- Sorties inertes -------------------------------------------------------------------------------

INJECTION = CORPUS / "injection-texte.yaml"
COMMANDE_GITHUB = re.compile(r"^::(error|warning|notice) file=([^,:]*),line=\d+,col=\d+,title=[^:]*::")


def _lignes_de_commande(sortie: str) -> list[str]:
    return [ligne for ligne in sortie.splitlines() if ligne.startswith("::")]


def test_texte_affiche_le_texte_hostile_litteralement_et_inerte(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # pas de repli : on cherche les morceaux tels quels
    avant = INJECTION.read_bytes()
    r = iag("evaluer", INJECTION, "--format", "texte")
    assert r.exit_code == 0
    sortie = r.stdout
    assert "\x1b" not in sortie + r.stderr  # aucune séquence ANSI venue du titre (NO_COLOR, pas de terminal)
    assert "\r" not in sortie and "\u202e" not in sortie
    assert _lignes_de_commande(sortie) == []  # aucun « ::add-mask:: » en début de ligne
    for morceau in [
        "[bold red]Alerte[/] [critique]",  # balisage Rich non interprété
        "\\x1b[31mrouge\\x1b[0m",  # ANSI rendu visible
        "\\x1b]8;;https://exemple.invalid/\\x1b\\lien",  # lien OSC 8 rendu visible
        "<script>alert(1)</script> <b>gras</b> **gras** |a|b| # titre",
        "::error::x\\n::add-mask::secret\\r::warning::y \\u202eevil",
        "Com | <img src=x onerror=alert(1)> `code` [lien](javascript:alert(1)) @equipe ::notice::z",
    ]:
        assert morceau in sortie, morceau
    assert INJECTION.read_bytes() == avant


def test_texte_inerte_par_l_interpreteur(tmp_path):
    r = iag_processus("evaluer", INJECTION, "--format", "texte")
    assert r.returncode == 0
    assert "\x1b" not in r.stdout + r.stderr
    assert _lignes_de_commande(r.stdout) == []
    assert "\\x1b[31mrouge" in r.stdout


def _propositions_hostiles(dossier: Path) -> Path:
    """Un cas hostile faible, le même en « élevé » (pour produire des annotations), une clé hostile."""
    dossier.mkdir()
    texte = INJECTION.read_text(encoding="utf-8")
    (dossier / "faible.yaml").write_text(texte, encoding="utf-8")
    (dossier / "eleve.yaml").write_text(
        texte.replace("hebergement: ue", "hebergement: hors_ue").replace("categories: [publiques]", "categories: [personnelles, sensibles]"),
        encoding="utf-8",
    )
    (dossier / "invalide.yaml").write_text(
        BASE.replace("hebergement: ue", 'hebergement: "\\e]8;;x\\e\\\\\\n::add-mask::v"') + '"\\e[31m\\n::add-mask::cle": 1\n', encoding="utf-8"
    )
    return dossier


def test_diagnostics_hostiles_inertes(tmp_path):
    d = _propositions_hostiles(tmp_path / "p")
    for commande in ("evaluer", "valider"):
        r = iag(commande, d / "invalide.yaml")
        assert r.exit_code == 3
        assert r.stderr.splitlines() == [
            f"{d / 'invalide.yaml'}:14:14: valeur « \\x1b]8;;x\\x1b\\\\n::add-mask::v » invalide ; "
            "valeurs permises : collectivité, organisme_public, ue, hors_ue, inconnu",
            f"{d / 'invalide.yaml'}:32:1: clé inconnue « \\x1b[31m\\n::add-mask::cle »",
        ]


@pytest.mark.parametrize("format", ["texte", "json", "sarif", "gitlab", "github", "markdown", "junit"])
def test_chaque_format_reste_inerte_et_valide(format, tmp_path):
    if format not in FORMATS:
        pytest.skip(f"format {format} pas encore enregistré dans iagcli.rendus.evaluation.FORMATS")
    d = _propositions_hostiles(tmp_path / "p")
    avant = {p.name: p.read_bytes() for p in d.iterdir()}
    r = iag("evaluer", d, "--format", format)
    assert r.exit_code == 3  # un cas élevé et un fichier invalide : 3 l’emporte
    sortie = r.stdout
    assert "\x1b" not in sortie + r.stderr
    assert "\r" not in sortie
    commandes = _lignes_de_commande(sortie)
    if format == "github":
        chemins = {str(d / n) for n in avant}
        for ligne in commandes:
            m = COMMANDE_GITHUB.match(ligne)
            assert m and m.group(2) in chemins, f"commande de workflow injectée : {ligne!r}"
    else:
        assert commandes == [], commandes
    if format in ("json", "sarif", "gitlab"):
        donnees = json.loads(sortie)
        if format == "json":
            assert any("<script>alert(1)</script>" in s for s in _chaines(donnees))  # la donnée, telle quelle
        if format == "sarif":
            assert donnees["version"] == "2.1.0"
        if format == "gitlab":
            assert isinstance(donnees, list)
    if format == "junit":
        ET.fromstring(sortie.encode("utf-8"))  # XML bien formé malgré ESC, « ]]> » et « </testcase> »
    if format == "markdown":
        for balise in ("<script", "<b>", "<img", "</testcase>"):
            assert balise not in sortie, balise
    assert {p.name: p.read_bytes() for p in d.iterdir()} == avant  # entrées jamais modifiées


def test_nom_de_fichier_hostile_inerte_dans_evaluer(tmp_path):
    d = tmp_path / "p"
    d.mkdir()
    (d / "a\n::error::pwned.yaml").write_text("titre: [\n", encoding="utf-8")
    (d / "b\n::add-mask::x.yaml").write_text(BASE, encoding="utf-8")
    r = iag("evaluer", d)
    assert r.exit_code == 3
    assert _lignes_de_commande(r.stdout) == [] and _lignes_de_commande(r.stderr) == []
    assert r.stderr.startswith(f"{d}/a\\n::error::pwned.yaml:2:1: ")


def test_nom_de_fichier_hostile_inerte_dans_valider(tmp_path):
    d = tmp_path / "p"
    d.mkdir()
    (d / "a\n::error::pwned.yaml").write_text("titre: [\n", encoding="utf-8")
    (d / "b\n::add-mask::x.yaml").write_text(BASE, encoding="utf-8")
    r = iag("valider", d)
    assert r.exit_code == 3
    assert _lignes_de_commande(r.stdout) == [] and _lignes_de_commande(r.stderr) == []


# --- Ni réseau, ni exécution de code venue des données ------------------------------------------------


def test_aucun_acces_reseau(monkeypatch):
    def interdit(*args, **kw):
        raise AssertionError("accès réseau tenté")

    for nom in ("socket", "create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, nom, interdit)
    for format in FORMATS:
        r = iag("evaluer", EXEMPLES, "--format", format, "--seuil", "jamais")
        assert r.exit_code == 0, (format, r.stderr)
        assert r.stdout


AUDIT = """
import sys
INTERDITS = ("socket.", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "pty.spawn", "ctypes.dlopen")
def surveiller(evenement, arguments):
    if evenement.startswith(INTERDITS):
        sys.stderr.write(f"AUDIT {evenement}\\n")
        raise RuntimeError(evenement)
sys.addaudithook(surveiller)
from iagcli.__main__ import main
sys.argv[0] = "iag"
sys.exit(main())
"""


@pytest.mark.parametrize("args, code", [
    (["evaluer", EXEMPLES, CORPUS], 3),
    (["valider", EXEMPLES, CORPUS], 3),
])
def test_ni_reseau_ni_processus_sous_audit(args, code, tmp_path):
    """Crochet d'audit de Python : toute ouverture de socket ou de processus, même par une
    dépendance, apparaîtrait (et échouerait). Le corpus contient des étiquettes `os.system`."""
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env["NO_COLOR"] = "1"
    r = subprocess.run([sys.executable, "-c", AUDIT, *map(str, args)], capture_output=True, encoding="utf-8",
                       errors="replace", timeout=120, env=env, cwd=tmp_path)
    assert "AUDIT" not in r.stderr, r.stderr
    assert "Traceback" not in r.stdout + r.stderr and "erreur interne" not in r.stderr
    assert r.returncode == code
    assert not (tmp_path / "iag-pwned").exists()
