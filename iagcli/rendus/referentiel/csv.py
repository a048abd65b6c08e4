"""Format CSV du référentiel publié, pour les tableurs français : séparateur « ; », UTF-8 avec
BOM (sans lui, Excel lit les accents en Windows-1252), fins de ligne CRLF (RFC 4180).

Une cellule qui commence par =, +, - ou @ serait lue comme une formule : elle est précédée d'une
apostrophe (injection de formules)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

from ...moteur.maintenance.publication import ENTETES_CSV
from ..evaluation.constats import une_ligne

BOM = "\ufeff"


def _cellule(v: str) -> str:
    v = une_ligne(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@") else v


def publication(flux: TextIO, lignes: Iterable[Sequence[str]]) -> None:
    flux.write(BOM)
    ecrivain = csv.writer(flux, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(ENTETES_CSV)
    for ligne in lignes:
        ecrivain.writerow([_cellule(c) for c in ligne])
