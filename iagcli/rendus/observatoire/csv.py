"""Registre public en CSV, lisible tel quel par un tableur réglé en français : UTF-8 avec BOM (sans
lui, Excel lit de l'ANSI et abîme les accents), séparateur point-virgule (la virgule est le
séparateur décimal français, Excel attend « ; »), fin de ligne CRLF, tout champ entre guillemets.

Une cellule qui commence par `= + - @`, une tabulation ou un retour chariot est préfixée d'une
apostrophe : un tableur l'exécuterait sinon comme une formule (injection CSV).
"""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from ...echappement import echapper
from ...moteur.observatoire import COLONNES

if TYPE_CHECKING:
    from ...moteur.observatoire import CollecteurRegistre
    from ...moteur.referentiel import Referentiel

_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _cellule(valeur: str) -> str:
    valeur = echapper(valeur)
    return "'" + valeur if valeur.startswith(_FORMULE) else valeur


def registre(c: "CollecteurRegistre", ref: "Referentiel", flux: TextIO) -> None:
    flux.write("\ufeff")
    ecrivain = csv.writer(flux, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    ecrivain.writerow([col.titre for col in COLONNES])
    for ligne in c.lignes:
        ecrivain.writerow([_cellule(ligne[col.cle]) for col in COLONNES])
