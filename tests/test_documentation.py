"""La documentation ne promet rien qui n'existe pas (issue 23) : chaque commande `iag …` et chaque
option citées dans le README et docs/ existent, pour la commande qui les cite."""

from __future__ import annotations

import re

import pytest
import typer._click as click
from typer.main import get_command

from iagcli.cli.racine import app

from conftest import RACINE

DOCUMENTS = [RACINE / "README.md", *sorted((RACINE / "docs").glob("*.md"))]


def _arbre():
    """{chemin de commande: options} ; () pour la racine."""
    racine = get_command(app)
    ctx = click.Context(racine)
    arbre: dict[tuple[str, ...], set[str]] = {}

    def options(cmd, c):
        return {o for p in cmd.get_params(c) for o in (*getattr(p, "opts", ()), *getattr(p, "secondary_opts", ())) if o.startswith("-")}

    arbre[()] = options(racine, ctx)
    for nom in racine.list_commands(ctx):
        sous = racine.get_command(ctx, nom)
        c2 = click.Context(sous, parent=ctx)
        arbre[(nom,)] = options(sous, c2)
        if hasattr(sous, "list_commands"):
            for n2 in sous.list_commands(c2):
                arbre[(nom, n2)] = options(sous.get_command(c2, n2), c2)
    return arbre


ARBRE = _arbre()
GROUPES = {c[:1] for c in ARBRE if len(c) == 2}
TOUTES = set().union(*ARBRE.values())
# Code : blocs ``` … ``` et segments `…` (la prose ne compte pas : « iag évalue » n'est pas une commande).
BLOC = re.compile(r"```[^\n]*\n(.*?)```", re.S)
SEGMENT = re.compile(r"`([^`\n]+)`")
APPEL = re.compile(r"(?:^|[\s/(|;&$])iag((?:[ \t]+[^\s;|&>#)]+)*)")


def _code(texte: str):
    for m in BLOC.finditer(texte):
        yield from m.group(1).splitlines()
    sans_blocs = BLOC.sub("", texte)
    yield from (m.group(1) for m in SEGMENT.finditer(sans_blocs))


def _appels():
    for doc in DOCUMENTS:
        for ligne in _code(doc.read_text(encoding="utf-8")):
            ligne = ligne.split(" # ")[0]
            for m in APPEL.finditer(ligne):
                mots = []
                for mot in m.group(1).split():
                    if mot == "iag":
                        break
                    mots.append(mot.rstrip(",:;."))
                    if mot[-1] in ",:;":  # fin d'une énumération en prose (« iag synthese, iag registre : … »)
                        break
                yield doc.name, mots


def _commande(mots: list[str]) -> tuple[tuple[str, ...], list[str]]:
    chemin: tuple[str, ...] = ()
    reste = list(mots)
    while reste and not reste[0].startswith("-") and chemin + (reste[0],) in ARBRE:
        chemin += (reste.pop(0),)
    return chemin, reste


def test_la_documentation_cite_des_commandes():
    assert len(list(_appels())) > 30  # le lecteur trouve bien les appels
    assert _commande(["referentiel", "publier", "x"]) == (("referentiel",), ["publier", "x"])
    assert ("referentiel",) in GROUPES and _commande(["evaluer", "-f", "json"]) == (("evaluer",), ["-f", "json"])


@pytest.mark.parametrize("doc,mots", list(_appels()), ids=lambda x: x if isinstance(x, str) else " ".join(x)[:60])
def test_commande_et_options_citees_existent(doc, mots):
    chemin, reste = _commande(mots)
    if not chemin:
        # `iag` seul, `iag --version` : options de la racine ; sinon le premier mot doit être une commande
        assert not reste or reste[0].startswith("-") or reste[0] in ("…", "..."), f"{doc} : commande inconnue « iag {reste[0]} »"
    if chemin in GROUPES and reste and not reste[0].startswith("-"):
        raise AssertionError(f"{doc} : « iag {' '.join(chemin)} » n'a pas de sous-commande « {reste[0]} »")
    for mot in reste:
        if re.fullmatch(r"--?[a-zA-Z][\w-]*", mot.split("=")[0]):
            option = mot.split("=")[0]
            assert option in ARBRE[chemin] | ARBRE[()] | {"--help"}, f"{doc} : « iag {' '.join(chemin)} » n'a pas l'option {option}"


# Options d'autres outils, citées seules dans la documentation.
AUTRES_OUTILS = {"--remote-debugging-pipe"}  # Chromium (tests des rapports HTML)


def test_options_citees_seules_existent():
    inconnues = set()
    for doc in DOCUMENTS:
        for segment in _code(doc.read_text(encoding="utf-8")):
            if re.fullmatch(r"--[a-z][\w-]*(?:[ =].*)?", segment.strip()):
                option = re.split(r"[ =]", segment.strip())[0]
                if option not in TOUTES | {"--help"} | AUTRES_OUTILS:
                    inconnues.add((doc.name, option))
    assert inconnues == set()


def test_readme_court_pour_qui_commence():
    """Le README est le chemin du DPO et du chef de projet ; le reste vit dans docs/ (issue 23)."""
    mots = len((RACINE / "README.md").read_text(encoding="utf-8").split())
    assert mots < 2500, mots
    for lien in re.findall(r"\]\((docs/[^)#]+)\)", (RACINE / "README.md").read_text(encoding="utf-8")):
        assert (RACINE / lien).is_file(), lien
