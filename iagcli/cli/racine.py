"""Racine du CLI `iag` : l'application Typer racine (`app`, `--version`) et le registre paresseux
des familles de commandes.

Une famille de commandes est un module de `iagcli/cli/` qui crée `app = famille()` et y déclare ses
commandes (`@app.command("nom", cls=CommandeFr)`) ; elle s'enregistre par une ligne dans
`cli/__init__.py` : `enregistrer("module", "commande", …)`. Le module n'est importé, et ses
paramètres convertis par Typer, que lorsqu'une de ses commandes est appelée (ou pour l'aide
générale) : `iag evaluer` ne paie pas la conversion des options de `iag recommandations`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from .. import __version__
from .cli_fr import GroupeFr

# --- Registre paresseux des commandes --------------------------------------------------------

# nom de la commande -> module de sa famille dans iagcli/cli/, dans l'ordre de l'aide.
_REGISTRE: dict[str, str] = {}


def enregistrer(module: str, *commandes: str) -> None:
    """Déclare les commandes d'une famille, définies dans `iagcli/cli/<module>.py`."""
    for nom in commandes:
        _REGISTRE[nom] = module


def famille() -> typer.Typer:
    """Application Typer d'une famille de commandes (jamais lancée seule : le groupe racine y puise)."""
    return typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


def sous_groupe(famille_: typer.Typer, nom: str, aide: str) -> typer.Typer:
    """Sous-groupe `iag NOM …` d'une famille (`iag referentiel`, `iag avis`), avec les réglages du groupe
    racine (aide en français, pas de complétion propre), ajouté à la famille."""
    groupe = typer.Typer(
        name=nom,
        cls=GroupeFr,
        help=aide,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    famille_.add_typer(groupe, name=nom)
    return groupe


def _construire(nom: str) -> TyperCommand | TyperGroup:
    """Importe la famille de `nom` et convertit cette seule commande en commande Click (API publique
    `typer.main.get_command` sur une application d'une commande)."""
    module = importlib.import_module(f"{__package__}.{_REGISTRE[nom]}")
    source: typer.Typer = module.app
    for info in source.registered_commands:
        if info.name == nom:
            seule = famille()
            seule.registered_commands.append(info)
            commande = typer.main.get_command(seule)
            assert isinstance(commande, TyperCommand)
            return commande
    for groupe in source.registered_groups:
        if groupe.name == nom and groupe.typer_instance is not None:
            # Sous-groupe (`iag referentiel …`) : ses commandes sont converties ensemble, à la demande.
            commande_groupe = typer.main.get_command(groupe.typer_instance)
            assert isinstance(commande_groupe, TyperGroup)
            return commande_groupe
    raise LookupError(f"commande {nom} enregistrée mais absente de iagcli.cli.{_REGISTRE[nom]}")


class _Commandes(MutableMapping[str, Any]):
    """Commandes du groupe racine : les noms viennent du registre, chaque commande est construite à
    la première demande. Typer et Click ne lisent que ce dictionnaire (`get_command`,
    `list_commands`, suggestions d'une commande mal tapée)."""

    def __init__(self) -> None:
        self._faites: dict[str, Any] = {}

    def __getitem__(self, nom: str) -> Any:
        if nom not in self._faites:
            if nom not in _REGISTRE:
                raise KeyError(nom)
            self._faites[nom] = _construire(nom)
        return self._faites[nom]

    def __setitem__(self, nom: str, commande: Any) -> None:
        self._faites[nom] = commande

    def __delitem__(self, nom: str) -> None:
        del self._faites[nom]

    def __iter__(self) -> Iterator[str]:
        return iter(list(_REGISTRE) + [n for n in self._faites if n not in _REGISTRE])

    def __len__(self) -> int:
        return len(set(_REGISTRE) | set(self._faites))


class GroupeIag(GroupeFr):
    """Groupe racine : aide en français (GroupeFr) et commandes construites à la demande."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commandes()


app = typer.Typer(
    name="iag",
    cls=GroupeIag,  # aide et usage en français (voir cli_fr), commandes paresseuses
    help="Évaluer un usage d'IA générative face au référentiel de risques d'une collectivité.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # pas de trace ni de variables locales dans les journaux de CI
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(valeur: bool) -> None:
    if valeur:
        print(f"iag {__version__}")
        raise typer.Exit()


@app.callback()
def principal(
    version: bool = typer.Option(False, "--version", "-V", help="Affiche la version et quitte.", callback=_version, is_eager=True),
) -> None:
    """Évaluer un usage d'IA générative face au référentiel de risques d'une collectivité.

    Exemple : iag evaluer exemples/
    """
