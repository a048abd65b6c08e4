"""Modèles du langage de conditions du référentiel (couche basse) : feuilles (`champ` + un opérateur)
et combinaisons (`toutes`, `au_moins_une`, `non`, `minimum` + `parmi`, `toujours`).

Seulement la forme ; la vérification contre le schéma du cas d'usage, la compilation et la
description en français vivent dans `iagcli/conditions.py`, qui s'appuie sur ces modèles.
"""

# Sans `from __future__ import annotations` : les annotations des modèles sont évaluées par
# l'interpréteur, au lieu d'être relues comme du texte par pydantic (eval) à chaque import.
from typing import Annotated, Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator
from pydantic_core import PydanticCustomError

OPERATEURS = ("egal", "dans", "contient", "contient_un_de", "au_moins", "au_plus")
_OPS_SCALAIRE = ("egal", "dans")
_OPS_ORDRE = ("au_moins", "au_plus")
_OPS_LISTE = ("contient", "contient_un_de")

Tri = Optional[bool]  # True, False ou None (indéterminé)


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Feuille(_Base):
    champ: str
    egal: Optional[str] = None
    dans: Optional[list[str]] = Field(default=None, min_length=1)
    contient: Optional[str] = None
    contient_un_de: Optional[list[str]] = Field(default=None, min_length=1)
    au_moins: Optional[str] = None
    au_plus: Optional[str] = None

    @model_validator(mode="after")
    def _un_operateur(self) -> "Feuille":
        presents = [op for op in OPERATEURS if getattr(self, op) is not None]
        if len(presents) != 1:
            raise PydanticCustomError(
                "operateur",
                "une condition sur « {champ} » demande exactement un opérateur parmi : {ops}",
                {"champ": self.champ, "ops": ", ".join(OPERATEURS)},
            )
        return self

    @property
    def operateur(self) -> str:
        return next(op for op in OPERATEURS if getattr(self, op) is not None)

    @property
    def valeur(self) -> Any:  # str, ou list[str] pour « dans » et « contient_un_de »
        return getattr(self, self.operateur)


class Toutes(_Base):
    toutes: list["Condition"] = Field(min_length=1)


class AuMoinsUne(_Base):
    au_moins_une: list["Condition"] = Field(min_length=1)


class Non(_Base):
    non: "Condition"


class Parmi(_Base):
    minimum: int = Field(ge=1)
    parmi: list["Condition"] = Field(min_length=1)


class Toujours(_Base):
    """Condition toujours vraie, dont le texte dit pourquoi (ex. : l'IA générative est un usage innovant)."""

    toujours: str = Field(min_length=1)


_CLES = {"champ": "feuille", "toutes": "toutes", "au_moins_une": "au_moins_une", "non": "non", "parmi": "parmi", "toujours": "toujours"}


def _genre(v: Any) -> str | None:
    if isinstance(v, BaseModel):
        return {Feuille: "feuille", Toutes: "toutes", AuMoinsUne: "au_moins_une", Non: "non", Parmi: "parmi", Toujours: "toujours"}[type(v)]
    if isinstance(v, dict):
        for cle, genre in _CLES.items():
            if cle in v:
                return genre
    return None


Condition = Annotated[
    Union[
        Annotated[Feuille, Tag("feuille")],
        Annotated[Toutes, Tag("toutes")],
        Annotated[AuMoinsUne, Tag("au_moins_une")],
        Annotated[Non, Tag("non")],
        Annotated[Parmi, Tag("parmi")],
        Annotated[Toujours, Tag("toujours")],
    ],
    Discriminator(
        _genre,
        custom_error_type="condition",
        custom_error_message="condition invalide : attendu « champ » et un opérateur, ou « toutes », "
        "« au_moins_une », « non », « minimum » + « parmi », « toujours »",
    ),
]

# Modèles à construction différée (`defer_build`) : la référence avant « Condition » est résolue
# quand un modèle qui les contient est validé la première fois, pas à l'import (chaque
# `model_rebuild` ici reconstruisait tout l'arbre récursif, quatre fois).
