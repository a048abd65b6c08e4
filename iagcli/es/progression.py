"""Barre de progression d'un lot, sur l'erreur standard.

Seulement pour une personne qui attend : l'erreur standard est un terminal, on n'est pas en CI
(variable `CI`, posée par GitLab, GitHub et la plupart des runners), `-q` n'est pas donné, et le lot
compte plus de `SEUIL_FICHIERS` fichiers. Sinon le lot est parcouru tel quel, sans rien afficher
(un journal de CI n'a que faire de cent lignes de barre redessinée).
"""

from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator, Optional, TextIO, TypeVar

SEUIL_FICHIERS = 40

T = TypeVar("T")  # (chemin, état) du parcours des dossiers, ou tout autre élément


def souhaitee(silencieux: bool, flux: Optional[TextIO] = None) -> bool:
    flux = flux or sys.stderr
    if silencieux or os.environ.get("CI"):
        return False
    try:
        return bool(flux.isatty())
    except (AttributeError, ValueError):
        return False


def suivre(elements: Iterable[T], silencieux: bool, libelle: str = "Évaluation", flux: Optional[TextIO] = None) -> Iterator[T]:
    if not souhaitee(silencieux, flux):
        yield from elements
        return
    liste = list(elements)  # les chemins seulement (le parcours des dossiers), pas les évaluations
    if len(liste) <= SEUIL_FICHIERS:
        yield from liste
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .terminal import console

    colonnes = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*colonnes, console=console(flux or sys.stderr), transient=True) as barre:
        tache = barre.add_task(libelle, total=len(liste))
        for e in liste:
            yield e
            barre.advance(tache)
