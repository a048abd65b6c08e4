"""Erreurs présentées à l'utilisateur : toujours un fichier, si possible une ligne et une colonne."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .echappement import echapper


@dataclass(frozen=True)
class Diagnostic:
    """Une faute située : fichier, ligne et colonne (1 pour la première), message en français."""

    fichier: str
    ligne: Optional[int]
    colonne: Optional[int]
    message: str

    def __str__(self) -> str:
        # Le nom de fichier vient de l'utilisateur (dépôt de propositions), le message peut citer une
        # valeur d'un fichier, d'une variable ou d'un argument : les deux sont rendus inertes ici, pour
        # toutes les sorties qui les écrivent (terminal, journal de CI). `echapper` est idempotent.
        fichier = echapper(self.fichier)
        message = echapper(self.message)
        if self.ligne is None:
            return f"{fichier}: {message}"
        return f"{fichier}:{self.ligne}:{self.colonne}: {message}"


class ErreurIag(Exception):
    """Base des erreurs attendues ; jamais de trace Python pour elles."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(map(str, diagnostics)))
        self.diagnostics = diagnostics


class ErreurFichier(ErreurIag):
    """Fichier lu mais invalide (syntaxe, encodage, taille, schéma)."""


class ErreurLecture(ErreurIag):
    """Chemin illisible : absent, dossier, droits, boucle de liens."""


class ErreurReferentiel(ErreurIag):
    """Référentiel invalide : le fichier fautif est nommé, avec sa position."""
