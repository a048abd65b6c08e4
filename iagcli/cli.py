"""Interface en ligne de commande `iag` : lit les options, appelle le cœur, rend un code de sortie.

Les imports lourds (pydantic, rich, référentiel) sont faits dans les commandes, pas au chargement.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__

app = typer.Typer(
    name="iag",
    help="Évaluer un usage d'IA générative face au référentiel de risques d'une collectivité.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # pas de trace ni de variables locales dans les journaux de CI
    add_completion=False,
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
    """Évaluer un usage d'IA générative face au référentiel de risques d'une collectivité."""


def _erreurs(diagnostics, code: int):
    for d in diagnostics:
        print(str(d), file=sys.stderr)
    raise typer.Exit(code)


def _charger_referentiel(dossier: Optional[Path]):
    from .erreurs import ErreurReferentiel
    from .referentiel import charger

    try:
        return charger(dossier)
    except ErreurReferentiel as e:
        print("Référentiel invalide :", file=sys.stderr)
        _erreurs(e.diagnostics, 2)


OPTION_REFERENTIEL = typer.Option(
    None, "--referentiel", "-r", help="Dossier du référentiel (risques.yaml, recommandations.yaml). Par défaut : celui fourni avec iag.",
    file_okay=False,
)


@app.command("evaluer")
def evaluer(
    fichiers: list[str] = typer.Argument(..., metavar="FICHIER...", help="Fichiers de cas d'usage YAML."),
    referentiel: Optional[Path] = OPTION_REFERENTIEL,
) -> None:
    """Évalue un ou plusieurs cas d'usage et affiche risques, obligations, mesures et recommandations.

    Exemple : iag evaluer exemples/traduction-site-web.yaml

    Codes de sortie : 0 évalué ; 1 fichier de cas d'usage invalide ; 2 erreur d'usage ou référentiel invalide.
    """
    from .controleur import executer
    from .rapports import creer

    ref = _charger_referentiel(referentiel)
    rapporteur = creer("texte", sys.stdout, ref, erreurs=sys.stderr)
    bilan = executer(fichiers, ref, [rapporteur])
    raise typer.Exit(bilan.code_sortie())
