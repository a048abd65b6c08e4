"""Textes de Typer/Click en français : aide, usage, erreurs d'usage — par des mécanismes publics.

La Click que Typer embarque (`typer._click`, depuis Typer 0.26) écrit ses textes en anglais, en
dur, sans passer par `gettext` ; Typer n'y passe que quelques titres d'aide, par le domaine global
de `gettext`, sans crochet pour un catalogue sans fichier `.mo`. Plutôt que de remplacer des
fonctions privées de Typer (ce qui cassait d'une version à l'autre), on :

- décrit les textes dans un catalogue (`Catalogue`, un `gettext.NullTranslations` servi par un
  dictionnaire et quelques motifs pour les messages composés) ;
- rend l'aide par des classes de commande et de groupe passées avec `cls=` (`CommandeFr`,
  `GroupeFr`), qui n'utilisent que l'API publique de Click (`format_usage`, `format_options`,
  `get_help_option`, `HelpFormatter`) ;
- lance l'application avec `standalone_mode=False` (voir `__main__`) : les erreurs d'usage
  remontent comme exceptions (`typer.TyperException`) et `afficher_erreur` les écrit en français.

Un message que le catalogue ne connaît pas reste en anglais plutôt que d'être perdu ; les tests
passent par le script installé et vérifient les messages attendus.
"""

from __future__ import annotations

import gettext
import re
import sys
from typing import IO, TYPE_CHECKING, Any, Callable, Optional, cast

from typer.core import TyperCommand, TyperGroup

from ..echappement import echapper

if TYPE_CHECKING:
    # Types de la Click embarquée par Typer, pour le vérificateur seulement (module privé de Typer :
    # jamais importé à l'exécution, où les exceptions sont reconnues par leur nom).
    from typer import TyperException
    from typer._click.core import Context
    from typer._click.exceptions import MissingParameter, NoSuchOption
    from typer._click.formatting import HelpFormatter
    from typer.core import TyperOption

AIDE = "Affiche cette aide et quitte."

TEXTES = {
    "Arguments": "Arguments",
    "Options": "Options",
    "Commands": "Commandes",
    "required": "obligatoire",
    "Aborted!": "Abandon.",
    "Missing command.": "commande manquante.",
    "Show this message and exit.": AIDE,
    "Install completion for the current shell.": "Installe la complétion pour le shell courant.",
    "Show completion for the current shell, to copy it or customize the installation.":
        "Affiche le script de complétion du shell courant, pour le copier ou l'adapter.",
}


def _suggestions(texte: Optional[str]) -> str:
    return f" ; vouliez-vous dire {texte} ?" if texte else ""


# Messages composés (f-strings de Click) : motif anglais -> texte français.
MOTIFS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<a>.*)\)", re.S),
     lambda m: f"{'argument' if len(m['a'].split()) < 2 else 'arguments'} en trop : {m['a']}"),
    (re.compile(r"Option (?P<o>.+?) requires an argument\.", re.S),
     lambda m: f"l'option {m['o']} demande une valeur"),
    (re.compile(r"Option (?P<o>.+?) requires (?P<n>\d+) arguments\.", re.S),
     lambda m: f"l'option {m['o']} demande {m['n']} valeurs"),
    (re.compile(r"Option (?P<o>.+?) does not take a value\.", re.S),
     lambda m: f"l'option {m['o']} ne prend pas de valeur"),
    (re.compile(r"No such command (?P<c>.+?)\.(?: Did you mean (?P<s>.+)\?)?", re.S),
     lambda m: f"commande inconnue : {m['c']}{_suggestions(m['s'])}"),
    (re.compile(r"No such option: (?P<o>\S+)(?: Did you mean (?P<s>.+)\?)?", re.S),
     lambda m: f"option inconnue : {m['o']}{_suggestions(m['s'])}"),
    (re.compile(r"(?P<v>.+?) is not a valid (?P<t>integer|float|boolean)\.?", re.S),
     lambda m: f"{m['v']} n'est pas {dict(integer='un nombre entier', float='un nombre', boolean='un booléen (oui/non)')[m['t']]}"),
    (re.compile(r"default: (?P<d>.*)", re.S), lambda m: f"défaut : {m['d']}"),
    (re.compile(r"env var: (?P<v>.*)", re.S), lambda m: f"variable : {m['v']}"),
]


class Catalogue(gettext.NullTranslations):
    """Catalogue français des textes de Typer et Click, sans fichier `.mo`."""

    def gettext(self, message: str) -> str:
        if message in TEXTES:
            return TEXTES[message]
        for motif, traduction in MOTIFS:
            m = motif.fullmatch(message)
            if m:
                return traduction(m)
        return message


traduire = Catalogue().gettext

_GENRES = {"argument": "argument", "option": "option", "parameter": "paramètre"}
_MENTIONS = re.compile(r"(\s*)\[([^\[\]]*)\]$")
# Type Python que Typer ajoute au nom d'un argument (« CHEMIN <list[str]> ») : retiré de l'aide,
# le métavariable et le texte disent déjà ce qu'on attend.
_TYPE_PYTHON = re.compile(r"\s+<[^<>]*>$")
# Métavariable des sous-commandes d'un groupe (« COMMAND [ARGS]... » chez Click) : en français.
SOUS_COMMANDE = "COMMANDE [ARGUMENTS]..."


def _traduire_enregistrement(enregistrement: tuple[str, str]) -> tuple[str, str]:
    """Traduit la mention finale d'une ligne d'aide : « [env var: X; default: Y; required] »."""
    terme, texte = enregistrement
    terme = _TYPE_PYTHON.sub("", terme)

    def mentions(m: re.Match[str]) -> str:
        return f"{m[1]}[{'; '.join(traduire(x) for x in m[2].split('; '))}]"

    return terme, _MENTIONS.sub(mentions, texte)


if TYPE_CHECKING:
    # Pour le vérificateur de types seulement : le mélange s'applique à une commande de Typer.
    _BaseAide = TyperCommand
else:
    _BaseAide = object


class _AideFr(_BaseAide):
    """Aide en français, par l'API publique de Click ; mélangée aux classes de commande de Typer."""

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), "Utilisation : ")

    def get_help_option(self, ctx: Context) -> Optional[TyperOption]:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = AIDE
        return option

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            aide = getattr(param, "help", None)
            if aide:
                # Click ne déclare `help` que sur Option ; les arguments de Typer en ont une aussi.
                param.help = traduire(aide)  # type: ignore[attr-defined]
            enregistrement = param.get_help_record(ctx)
            if enregistrement is None:
                continue
            (arguments if param.param_type_name == "argument" else options).append(_traduire_enregistrement(enregistrement))
        for titre, lignes in (("Arguments", arguments), ("Options", options)):
            if lignes:
                with formatter.section(traduire(titre)):
                    formatter.write_dl(lignes)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        pass


class _ConversionDifferee:
    """Paramètres convertis sans TypeAdapter quand il ne sert pas (voir `coercion`)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        from .coercion import poser

        commande = cast(Any, self)  # mixin : get_params et parse_args sont ceux de la commande Click
        poser(commande.get_params(ctx))
        return cast("list[str]", super().parse_args(ctx, args))  # type: ignore[misc]


class CommandeFr(_ConversionDifferee, _AideFr, TyperCommand):
    """Sous-commande d'iag (passée avec `cls=`)."""


class GroupeFr(_ConversionDifferee, _AideFr, TyperGroup):
    """Groupe d'iag, la racine ou un sous-groupe (passé avec `cls=` à `typer.Typer`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # « COMMANDE [ARGUMENTS]... » pour tout groupe, sans que chacun ait à le dire (l'anglais sinon).
        kwargs["subcommand_metavar"] = kwargs.get("subcommand_metavar") or SOUS_COMMANDE
        super().__init__(*args, **kwargs)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        commandes = [(nom, c) for nom in self.list_commands(ctx)
                     if (c := self.get_command(ctx, nom)) is not None and not c.hidden]
        if commandes:
            limite = formatter.width - 6 - max(len(nom) for nom, _ in commandes)
            with formatter.section(traduire("Commands")):
                formatter.write_dl([(nom, c.get_short_help_str(limite)) for nom, c in commandes])


# --- Erreurs -------------------------------------------------------------------------------------


def _indice(e: TyperException) -> str:
    # Lu par getattr : toutes les erreurs n'ont pas de paramètre, et les paramètres de Typer
    # n'ont pas la signature de ceux de Click.
    h = getattr(e, "param_hint", None)
    param = getattr(e, "param", None)
    if not h and param is not None:
        try:
            h = param.get_error_hint(getattr(e, "ctx", None))
        except TypeError:  # les paramètres de Typer ne prennent pas le contexte
            h = param.get_error_hint()
    return " / ".join(h) if isinstance(h, (list, tuple)) else str(h or "")


def message_erreur(e: TyperException) -> str:
    """Le message français d'une exception de Click (`typer.TyperException`)."""
    genre = type(e).__name__
    if genre == "MissingParameter":
        manquant = cast("MissingParameter", e)
        nature = manquant.param_type or (manquant.param.param_type_name if manquant.param is not None else "parameter")
        return f"{_GENRES.get(nature, nature)} manquant : {_indice(e)}".rstrip(" :")
    if genre == "NoSuchOption":
        inconnue = cast("NoSuchOption", e)
        suggestions = ", ".join(sorted(inconnue.possibilities or ()))
        return f"option inconnue : {inconnue.option_name}{_suggestions(suggestions)}"
    if genre == "BadParameter":
        indice = _indice(e)
        return f"valeur invalide pour {indice} : {traduire(e.message)}" if indice else f"valeur invalide : {traduire(e.message)}"
    return traduire(e.format_message())


def afficher_erreur(e: TyperException, fichier: Optional[IO[str]] = None) -> int:
    """Écrit une erreur de Click en français (usage, aide, message) ; rend son code de sortie."""
    fichier = fichier or sys.stderr
    ctx: Optional[Context] = getattr(e, "ctx", None)
    if type(e).__name__ == "NoArgsIsHelpError" and ctx is not None:  # `iag` seul : l'aide, comme Click
        print(ctx.get_help(), file=fichier)
        return e.exit_code
    if ctx is not None:
        aide = ctx.help_option_names[0] if ctx.help_option_names else "--help"
        print(f"{ctx.get_usage()}\nAide : {ctx.command_path} {aide}\n", file=fichier)
    # Les arguments viennent de l'utilisateur (ou d'un script de CI) : rendus inertes.
    print(f"Erreur : {echapper(message_erreur(e))}", file=fichier)
    return e.exit_code
