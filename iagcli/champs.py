"""Les champs du cas d'usage que les conditions du référentiel peuvent interroger.

Dérivé une fois du modèle `CasUsage` : une seule définition des questions, dont les conditions,
le schéma JSON et le modèle commenté découlent tous.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from pydantic import BaseModel

from .modeles.cas_usage import CasUsage
from .modeles.types import INCONNU, EnumFr


@dataclass(frozen=True)
class Champ:
    chemin: str  # "donnees.categories"
    enum: type[EnumFr]
    liste: bool
    description: str

    @property
    def attributs(self) -> tuple[str, ...]:
        return tuple(self.chemin.split("."))

    @property
    def ordonne(self) -> bool:
        return self.enum.ordonnee() and not self.liste

    @property
    def accepte_inconnu(self) -> bool:
        return INCONNU in self.enum._value2member_map_

    @property
    def inconnu(self) -> Optional[EnumFr]:
        """Le membre `inconnu` de l'énumération, ou None."""
        return self.enum(INCONNU) if self.accepte_inconnu else None

    def valeurs_connues(self) -> list[str]:
        return [v for v in self.enum.valeurs() if v != INCONNU]


def _deballer(annotation: Any) -> tuple[Any, bool]:
    """Retire Annotated et Optional ; rend (type, est_liste)."""
    liste = False
    while True:
        origine = typing.get_origin(annotation)
        if origine is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origine in (typing.Union, types.UnionType):
            autres = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = autres[0]
        elif origine is list:
            liste = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, liste


def _parcourir(modele: type[BaseModel], prefixe: str, sortie: dict[str, Champ]) -> None:
    for nom, info in modele.model_fields.items():
        chemin = f"{prefixe}{nom}"
        typ, liste = _deballer(info.annotation)
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            _parcourir(typ, chemin + ".", sortie)
        elif isinstance(typ, type) and issubclass(typ, EnumFr):
            sortie[chemin] = Champ(chemin, typ, liste, info.description or "")


@lru_cache(maxsize=1)
def champs() -> dict[str, Champ]:
    """Champs interrogeables (énumérations et listes d'énumérations), par chemin pointé."""
    sortie: dict[str, Champ] = {}
    _parcourir(CasUsage, "", sortie)
    return sortie


def lire(cas: BaseModel, attributs: tuple[str, ...]) -> object:
    valeur: object = cas
    for a in attributs:
        valeur = getattr(valeur, a)
    return valeur


@lru_cache(maxsize=1)
def _lecteurs() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((c.chemin, c.attributs) for c in champs().values())


def reponses(cas: BaseModel) -> dict[str, object]:
    """Toutes les réponses interrogeables d'un cas, lues une fois : chemin -> membre (ou liste)."""
    return {chemin: lire(cas, attributs) for chemin, attributs in _lecteurs()}
