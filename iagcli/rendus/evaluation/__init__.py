"""Rapporteurs : un module par format, derrière une petite interface commune.

Un rapporteur reçoit les résultats un par un (`resultat`), puis le bilan (`fin`). Il ne garde
en mémoire que ce dont son format a besoin. Il est construit par `creer(format, flux, référentiel,
options)` : `format` est un `Format` (le nom du module qui définit `Rapporteur`), `options` un
`OptionsRapport` — une option nouvelle s'ajoute à cette classe, pas en argument libre.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, TextIO

from ...modeles.formats import FORMATS, Format, format_inconnu, verifier_format

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ResultatFichier


# Format et FORMATS vivent dans la couche basse (la configuration les valide au chargement).
__all__ = ["FORMATS", "Base", "Format", "OptionsRapport", "creer", "format_inconnu", "verifier_format"]


@dataclass(frozen=True)
class OptionsRapport:
    """Options communes des rapporteurs ; chacun lit celles qui le concernent."""

    seuil: Optional[str] = None  # identifiant du niveau seuil ; None : jamais d'échec
    date: Optional[dt.date] = None  # date d'évaluation (règles à venir, péremption du référentiel)
    erreurs: Optional[TextIO] = None  # flux des diagnostics (texte, github) ; None : erreur standard
    silencieux: bool = False  # texte : seulement les cas au seuil ou au-dessus
    matrice: bool = False  # texte : grille des risques du cas
    # texte : détail de chaque cas ; False (lot de `iag evaluer` sans --details) : une ligne par cas
    # sous le seuil, le détail des seuls cas au seuil ou au-dessus.
    details: bool = True
    # texte, Markdown, HTML : les raisons de chaque risque (--details) ; sinon des seuls risques à traiter
    toutes_raisons: bool = False
    vers_fichier: bool = False  # rapport -o (github : pas de résumé d'étape)
    taille_max: Optional[int] = None  # markdown : borne en octets


class Base:
    def __init__(self, flux: TextIO, referentiel: "Referentiel", options: OptionsRapport):
        self.flux = flux
        self.ref = referentiel
        self.options = options
        self.seuil = options.seuil
        self.date = options.date

    def resultat(self, resultat: "ResultatFichier") -> None:
        raise NotImplementedError

    def fin(self, bilan: "Bilan") -> None:
        pass


def creer(format: Format | str, flux: TextIO, referentiel: "Referentiel", options: Optional[OptionsRapport] = None,
          **champs: Any) -> Base:
    """Rapporteur du format ; `champs` : raccourci pour `OptionsRapport(**champs)` (tests, scripts)."""
    if options is None:
        options = OptionsRapport(**champs)
    module = importlib.import_module(f"{__name__}.{Format(format).value}")
    rapporteur: Base = module.Rapporteur(flux, referentiel, options)
    return rapporteur
