"""Rapporteurs : un module par format, derrière une petite interface commune.

Un rapporteur reçoit les résultats un par un (`resultat`), puis le bilan (`fin`). Il ne garde
en mémoire que ce dont son format a besoin.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..controleur import Bilan, ResultatFichier
    from ..referentiel import Referentiel

# nom du format -> module qui définit `Rapporteur` ; importé seulement s'il sert.
FORMATS = {
    "texte": "texte",
    "json": "json",
    "sarif": "sarif",
    "gitlab": "gitlab",
    "github": "github",
    "markdown": "markdown",
    "junit": "junit",
    "html": "html",
}


class Base:
    def __init__(self, flux: TextIO, referentiel: "Referentiel", **options):
        self.flux = flux
        self.ref = referentiel
        self.options = options

    def resultat(self, resultat: "ResultatFichier") -> None:
        raise NotImplementedError

    def fin(self, bilan: "Bilan") -> None:
        pass


def creer(format: str, flux: TextIO, referentiel: "Referentiel", **options) -> Base:
    module = importlib.import_module(f"{__name__}.{FORMATS[format]}")
    return module.Rapporteur(flux, referentiel, **options)
