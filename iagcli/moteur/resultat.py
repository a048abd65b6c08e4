"""Résultat d'une évaluation : des données simples, sans texte mis en forme.

Chaque nombre s'explique par la trace : règle déclenchée (avec les champs et valeurs lus),
mesure créditée, bornage à l'échelle.
"""

from __future__ import annotations

import datetime as dt
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

    genre: Literal["base", "applicabilite", "ponderation", "bornage", "mesure", "mesure_contredite", "plafond_credit", "plancher"]
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
    mesures_appliquees: tuple[str, ...]  # mesures en place créditées (non contredites)
    champs_determinants: tuple[str, ...]  # réponses qui ont fait naître ou monter ce risque
    # résiduel au moins au niveau `parametres.niveau_suggestion_mesures` : décidé une fois par la
    # cotation, lu par les rapporteurs (mesures suggérées, constats des forges)
    a_traiter: bool = False

    @property
    def incertain(self) -> bool:
        return any(e.incertain for e in self.trace)


@dataclass(frozen=True)
class MesureContredite:
    """Mesure déclarée en place que les réponses du cas démentent : elle n'est pas créditée."""

    id: str
    raison: str
    champs: tuple[tuple[str, object], ...]
    incertaine: bool  # démentie faute de réponse connue (pire cas)


STATUTS_REGLE = ("applicable", "à_venir", "échue")


@dataclass(frozen=True)
class RegleDeclenchee:
    id: str
    nature: str
    champs: tuple[tuple[str, object], ...]
    incertaine: bool  # déclenchée faute de réponse connue
    # à la date d'évaluation : « applicable », « à_venir » (listée, sans effet sur le verdict) ou
    # « échue » (listée pour mémoire, sans effet)
    statut: str = "applicable"
    applicable_depuis: Optional[dt.date] = None
    applicable_jusqu_au: Optional[dt.date] = None
    avant_revue: bool = False  # à venir, et applicable au plus tard à la prochaine revue du cas

    @property
    def en_vigueur(self) -> bool:
        return self.statut == "applicable"


@dataclass(frozen=True)
class Evaluation:
    verdict: str
    motif: str  # pourquoi ce verdict, en une phrase
    risques: tuple[RisqueEvalue, ...]  # triés du plus grave au moins grave (résiduel)
    regles: tuple[RegleDeclenchee, ...]
    mesures_suggerees: tuple[str, ...]
    recommandations: tuple[str, ...]
    reponses_inconnues: tuple[str, ...]
    date: Optional[dt.date] = None  # date d'évaluation (None : toutes les règles comptent comme applicables)
    mesures_contredites: tuple[MesureContredite, ...] = ()
    # mesures prévues (`mesures_prevues`) : verdict une fois toutes en place (None : aucune prévue),
    # et celles dont l'échéance est passée à la date d'évaluation
    verdict_apres_prevues: Optional[str] = None
    prevues_en_retard: tuple[str, ...] = ()
    # niveau à partir duquel un risque est « à traiter » (`parametres.niveau_suggestion_mesures`)
    niveau_a_traiter: str = ""

    @property
    def a_traiter(self) -> tuple[RisqueEvalue, ...]:
        return tuple(e for e in self.risques if e.a_traiter)
