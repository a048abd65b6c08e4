"""Erreurs présentées à l'utilisateur : toujours un fichier, si possible une ligne et une colonne."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .echappement import echapper


@dataclass(frozen=True)
class Diagnostic:
    fichier: str
    ligne: Optional[int]
    colonne: Optional[int]
    message: str

    def __str__(self) -> str:
        # Le nom de fichier vient de l'utilisateur (dépôt de propositions) : rendu inerte ici, pour
        # toutes les sorties qui l'écrivent (terminal, journal de CI).
        fichier = echapper(self.fichier)
        if self.ligne is None:
            return f"{fichier}: {self.message}"
        return f"{fichier}:{self.ligne}:{self.colonne}: {self.message}"


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
