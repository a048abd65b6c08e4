"""Console Rich à largeur bornée.

Rich prend `COLUMNS` au pied de la lettre : 0 donnait une sortie vide, 100 000 un mégaoctet
d'espaces par cas. La largeur, qu'elle vienne du terminal ou de l'environnement, est ramenée
entre `LARGEUR_MIN` et `LARGEUR_MAX`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

LARGEUR_MIN = 40
LARGEUR_MAX = 200


def console(fichier: TextIO, largeur_max: int = LARGEUR_MAX, **options: Any) -> "Console":
    from rich.console import Console

    c = Console(file=fichier, highlight=False, emoji=False, **options)
    c.width = max(LARGEUR_MIN, min(largeur_max, c.width))
    return c
