"""L'aide de chaque commande et sous-commande (issue 23, point 5), découverte depuis le registre des
familles (`cli/racine._REGISTRE`) et les groupes Click : aucune liste en dur, une commande ajoutée est
parcourue d'office.

Défauts cherchés : un type Python (`<list[str]>`, `<str>`), un usage anglais (`COMMAND [ARGS]`,
`Usage:`), une commande annoncée qui n'existe pas (« iag X » ou « iag X Y » dans un texte ; un verbe du
résumé d'un groupe qui n'est pas une de ses sous-commandes), une option d'un exemple qui n'existe pas,
un exemple `-o FORMAT:FICHIER` qui nomme le fichier d'une autre commande.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
import typer.main
from typer.testing import CliRunner

import iagcli.cli  # noqa: F401  (enregistre les familles)
from iagcli.cli import app
from iagcli.cli.racine import _REGISTRE


def _commandes() -> dict[tuple[str, ...], object]:
    """(chemin de la commande) -> commande Click, pour la racine, chaque commande du registre et
    chaque sous-commande de ses groupes."""
    racine = typer.main.get_command(app)
    trouvees: dict[tuple[str, ...], object] = {(): racine}
    a_voir = [((nom,), racine.commands[nom]) for nom in _REGISTRE]  # type: ignore[attr-defined]
    while a_voir:
        chemin, commande = a_voir.pop(0)
        trouvees[chemin] = commande
        for nom, sous in sorted(getattr(commande, "commands", {}).items()):
            a_voir.append((chemin + (nom,), sous))
    return trouvees


COMMANDES = _commandes()
AIDES = {chemin: CliRunner().invoke(app, [*chemin, "--help"]) for chemin in COMMANDES}


def _sans_accents(texte: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c)).lower()


def test_decouverte_de_toutes_les_commandes():
    # Le registre des familles et les sous-commandes des groupes : au moins celles d'aujourd'hui.
    noms = {" ".join(c) for c in COMMANDES}
    assert {"evaluer", "registre", "dossier", "referentiel", "referentiel verifier", "referentiel exporter",
            "referentiel comparer"} <= noms
    assert {"avis", "avis signer", "avis verifier"} <= noms
    # chaque commande du registre, la racine, et les sous-commandes des groupes (referentiel : 3, avis : 2)
    assert len(noms) == len(_REGISTRE) + 1 + 3 + 2


@pytest.mark.parametrize("chemin", sorted(COMMANDES), ids=lambda c: "iag " + " ".join(c))
def test_aide_sans_type_python_ni_usage_anglais(chemin):
    r = AIDES[chemin]
    assert r.exit_code == 0, r.output
    texte = r.stdout
    assert texte.startswith("Utilisation : iag")
    for defaut in (r"<[^<>\s]*>", r"\bCOMMAND\b", r"\[ARGS\]", r"\bUsage\b", r"\bTEXT\b", r"\bINTEGER\b", r"\bPATH\b",
                   r"\bShow\b", r"\bdefault:", r"\brequired\b", r"\blist\[", r"\bstr\b"):
        assert not re.search(defaut, texte), f"iag {' '.join(chemin)} --help : « {re.search(defaut, texte)[0]} »"  # type: ignore[index]
    if getattr(COMMANDES[chemin], "commands", None):
        assert "COMMANDE [ARGUMENTS]..." in texte


@pytest.mark.parametrize("chemin", sorted(COMMANDES), ids=lambda c: "iag " + " ".join(c))
def test_aide_n_annonce_que_des_commandes_qui_existent(chemin):
    texte = " ".join(AIDES[chemin].stdout.split())
    noms = {c[0] for c in COMMANDES if c}
    for m in re.finditer(r"(?:^|(?<=\s))iag ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", texte):
        commande, suite = m[1], m[2]
        assert commande in noms, f"iag {' '.join(chemin)} --help annonce « iag {commande} », qui n'existe pas"
        sous = getattr(COMMANDES[(commande,)], "commands", None)
        if sous and suite and not suite.startswith("-"):
            assert suite in sous, f"iag {' '.join(chemin)} --help annonce « iag {commande} {suite} », qui n'existe pas"
    sous = getattr(COMMANDES[chemin], "commands", None)
    if sous:
        # Le résumé d'un groupe ne nomme, en verbes, que ses sous-commandes (« publier » : aucune).
        resume = _sans_accents(COMMANDES[chemin].help or "")  # type: ignore[attr-defined]
        verbes = set(re.findall(r"\b([a-z]+er)\b", resume)) - {"leur", "premier", "dernier"}
        assert verbes <= set(sous), f"iag {' '.join(chemin)} annonce {sorted(verbes - set(sous))}"


@pytest.mark.parametrize("chemin", sorted(c for c in COMMANDES if c), ids=lambda c: "iag " + " ".join(c))
def test_exemples_de_l_aide_valides(chemin):
    """Chaque exemple « iag <cette commande> … » n'emploie que des options de la commande, et un exemple
    `-o FORMAT:FICHIER` (aide de --rapport) ne nomme pas le fichier d'une autre commande."""
    commande = COMMANDES[chemin]
    options = {"-h", "--help"} | {o for p in commande.params for o in (*p.opts, *p.secondary_opts)}  # type: ignore[attr-defined]
    texte = " ".join(AIDES[chemin].stdout.split())
    prefixe = "iag " + " ".join(chemin)
    # Les exemples : dans le texte de la commande, chaque « iag <commande> … » jusqu'au « ; » ou à la fin de ligne.
    for ligne in (commande.help or "").splitlines():  # type: ignore[attr-defined]
        for exemple in re.findall(re.escape(prefixe) + r"( [^;]*)", ligne):
            for option in re.findall(r"(?<![\w-])(--?[a-z][a-z0-9-]*)", exemple):
                assert option in options, f"{prefixe} : l'exemple « {prefixe}{exemple} » emploie {option}, inconnue"
    for format_fichier in re.findall(r"-o ([a-z]+):([\w.-]+)", texte):
        fichier = format_fichier[1]
        autres = {c[0] for c in COMMANDES if c and c[0] != chemin[0]}
        assert not any(fichier.startswith(a) for a in autres), f"{prefixe} : exemple -o {':'.join(format_fichier)}"


def test_aide_du_registre_corrigee():
    texte = " ".join(AIDES[("registre",)].stdout.split())
    assert "ex. -o xlsx:registre.xlsx" in texte and "synthese" not in texte
    assert "Vérifier, exporter et comparer des référentiels" in " ".join(AIDES[("referentiel",)].stdout.split())
