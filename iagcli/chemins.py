"""Développe les chemins donnés en fichiers de cas d'usage, au fil de l'eau."""

from __future__ import annotations

import os
from typing import Iterable, Iterator

EXTENSIONS = (".yaml", ".yml")


def developper(chemins: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Rend (chemin, trouve) : les fichiers des dossiers (récursivement, sans dossiers cachés,
    triés), les fichiers et `-` tels quels. Un dossier sans YAML rend (dossier, False)."""
    for chemin in chemins:
        if chemin != "-" and os.path.isdir(chemin):
            trouve = False
            for racine, dossiers, fichiers in os.walk(chemin):  # ne suit pas les liens : pas de boucle
                dossiers[:] = sorted(d for d in dossiers if not d.startswith("."))
                for f in sorted(fichiers):
                    if f.endswith(EXTENSIONS) and not f.startswith("."):
                        trouve = True
                        yield os.path.join(racine, f), True
            if not trouve:
                yield chemin, False
        else:
            yield chemin, True
