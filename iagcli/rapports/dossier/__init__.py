"""Rendu des documents de `iag dossier` : un module par format, qui rend du texte (l'écriture, atomique
et protégée, est faite par `ecriture_dossier`)."""

from __future__ import annotations

from typing import Callable

from ...dossier import Dossier, DocumentRempli
from . import markdown

# format -> (extension, rendu d'un document, rendu de l'index)
FORMATS_DOSSIER: dict[str, tuple[str, Callable[[DocumentRempli, Dossier], str], Callable[[Dossier, str], str]]] = {
    "markdown": (".md", markdown.document, markdown.index),
}
