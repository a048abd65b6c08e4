"""Lecture des annotations de type des modèles pydantic : une seule façon de « déballer » un champ.

Utilisée par `champs` (descripteurs du cas d'usage, d'où les questions, les libellés et les champs
interrogeables) et par `chargeur` (clés permises le long d'un chemin d'erreur, pour tout modèle).
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel


def est_modele(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def deballer(annotation: Any) -> tuple[Any, bool, bool]:
    """(type, est_liste, optionnel) : retire Annotated, Optional et list.

    Une union de plusieurs types garde le seul modèle pydantic qu'elle contient ; si elle en a
    plusieurs (union discriminée, comme une condition) ou aucun, son premier membre.
    """
    liste = optionnel = False
    while True:
        origine = typing.get_origin(annotation)
        if origine is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origine in (typing.Union, types.UnionType):
            args = typing.get_args(annotation)
            membres = [a for a in args if a is not type(None)]
            optionnel = optionnel or len(membres) < len(args)
            if len(membres) == 1:
                annotation = membres[0]
                continue
            modeles = [m for m in membres if est_modele(deballer(m)[0]) and not deballer(m)[1]]
            annotation = modeles[0] if len(modeles) == 1 else membres[0]
        elif origine is list:
            liste = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, liste, optionnel
