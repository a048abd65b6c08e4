"""Résultat d'une évaluation : des données simples, sans texte mis en forme.

Chaque nombre s'explique par la trace : règle déclenchée (avec les champs et valeurs lus),
mesure créditée, bornage à l'échelle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional


@dataclass(frozen=True)
class Cotation:
    probabilite: int
    gravite: int
    niveau: str


@dataclass(frozen=True)
class Etape:
    """Une ligne de la trace d'un risque."""

    genre: Literal["base", "applicabilite", "ponderation", "bornage", "mesure"]
    texte: str  # la raison (YAML) ou une explication
    probabilite: int = 0  # variation appliquée
    gravite: int = 0
    champs: tuple[tuple[str, object], ...] = ()  # (chemin, réponse) lus par la condition
    incertain: bool = False  # déclenchée parce qu'une réponse est « inconnu »
    mesure: Optional[str] = None


@dataclass(frozen=True)
class RisqueEvalue:
    id: str
    initial: Cotation  # risque inhérent, après pondérations
    residuel: Cotation  # après les mesures en place
    trace: tuple[Etape, ...]
    mesures_appliquees: tuple[str, ...]
    champs_determinants: tuple[str, ...]  # réponses qui ont fait naître ou monter ce risque

    @property
    def incertain(self) -> bool:
        return any(e.incertain for e in self.trace)


@dataclass(frozen=True)
class RegleDeclenchee:
    id: str
    nature: str
    champs: tuple[tuple[str, object], ...]
    incertaine: bool  # déclenchée faute de réponse connue


@dataclass(frozen=True)
class Evaluation:
    verdict: str
    motif: str  # pourquoi ce verdict, en une phrase
    risques: tuple[RisqueEvalue, ...]  # triés du plus grave au moins grave (résiduel)
    regles: tuple[RegleDeclenchee, ...]
    mesures_suggerees: tuple[str, ...]
    recommandations: tuple[str, ...]
    reponses_inconnues: tuple[str, ...]
