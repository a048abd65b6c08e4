"""Textes de Typer/Click en français : aide, usage, erreurs d'usage.

Click (embarqué par Typer) écrit ses textes en anglais sans catalogue de traduction. On remplace
ici, à un seul endroit, les quelques points d'accroche publics ou stables ; si une version future
de Typer les déplace, on retombe sans erreur sur l'anglais (un test le signale).
"""

from __future__ import annotations

TEXTES = {
    "Arguments": "Arguments",
    "Options": "Options",
    "Commands": "Commandes",
    "required": "obligatoire",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable : {var}",
    "Aborted!": "Abandon.",
    "Missing command.": "commande manquante.",
    "No such command {name!r}.": "commande inconnue : {name!r}.",
}
_GENRES = {"argument": "argument", "option": "option", "parameter": "paramètre"}


def installer() -> None:
    try:
        import typer.core as tcore
        from typer._click import core, exceptions, formatting
        from typer._click.utils import echo
    except ImportError:  # structure de Typer inattendue : textes anglais d'origine
        return

    tcore._ = lambda texte: TEXTES.get(texte, texte)

    ecrire_usage = formatting.HelpFormatter.write_usage

    def write_usage(self, prog, args="", prefix=None):
        return ecrire_usage(self, prog, args, "Utilisation : " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage

    option_aide = core.Command.get_help_option

    def get_help_option(self, ctx):
        option = option_aide(self, ctx)
        if option is not None:
            option.help = "Affiche cette aide et quitte."
        return option

    core.Command.get_help_option = get_help_option

    def indice(e) -> str:
        if e.param_hint:
            h = e.param_hint
        elif e.param is not None:
            try:
                h = e.param.get_error_hint(e.ctx)
            except TypeError:  # selon la version : sans contexte
                h = e.param.get_error_hint()
        else:
            h = ""
        return " / ".join(h) if isinstance(h, (list, tuple)) else str(h)

    def message(e) -> str:
        if isinstance(e, exceptions.MissingParameter):
            genre = e.param_type or (e.param.param_type_name if e.param is not None else "parameter")
            return f"{_GENRES.get(genre, genre)} manquant : {indice(e)}".rstrip(" :")
        if isinstance(e, exceptions.NoSuchOption):
            texte = f"option inconnue : {e.option_name}"
            if e.possibilities:
                texte += f" ; vouliez-vous dire {', '.join(sorted(e.possibilities))} ?"
            return texte
        if isinstance(e, exceptions.BadParameter):
            h = indice(e)
            return f"valeur invalide pour {h} : {e.message}" if h else f"valeur invalide : {e.message}"
        return e.format_message()

    def show(self, file=None):
        import sys

        file = file or sys.stderr
        if getattr(self, "ctx", None) is not None:
            aide = self.ctx.help_option_names[0] if self.ctx.help_option_names else "--help"
            echo(f"{self.ctx.get_usage()}\nAide : {self.ctx.command_path} {aide}\n", file=file)
        from .echappement import echapper

        # Le message cite l'argument fautif tel que tapé (ou passé par la CI) : échappé.
        echo(f"Erreur : {echapper(message(self))}", file=file)

    exceptions.ClickException.show = show
    exceptions.UsageError.show = show
