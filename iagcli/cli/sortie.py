"""Sorties des commandes : la sortie standard tamponnée et protégée, les rapports `-o` écrits de façon
atomique (un échec nomme le chemin demandé). Partagé par les familles qui écrivent des rapports."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional, TextIO, cast

from .commun import usage


@contextmanager
def sortie_tamponnee(encodage: Optional[str] = None) -> "Iterator[TextIO]":
    """Sortie standard tamponnée même sous PYTHONUNBUFFERED=1 (courant dans les images de CI) :
    sinon chaque petit morceau écrit par un rapporteur devient un appel système.

    `encodage` : imposé pour les formats lus par des outils (UTF-8), sinon celui du terminal."""
    from ..es.flux import SortieProtegee

    try:
        brut = sys.stdout.buffer
    except AttributeError:  # flux de test sans tampon binaire
        yield sys.stdout
        return
    sys.stdout.flush()
    # Sur un terminal, ligne par ligne : les rapports restent entrelacés avec les erreurs (stderr).
    tampon = io.TextIOWrapper(brut, encoding=encodage or sys.stdout.encoding or "utf-8", errors="backslashreplace",
                              line_buffering=brut.isatty(), write_through=False)
    # Protégée : un tube rompu ou un disque plein sur la sortie standard n'arrête pas le lot, les
    # rapports -o restent complets (voir flux.py pour le code de sortie).
    flux = SortieProtegee(tampon)
    try:
        yield cast(TextIO, flux)  # SortieProtegee imite TextIO (write, flush, encoding…)
    finally:
        flux.flush()
        try:
            # Détacher sans fermer la vraie sortie standard (un TextIOWrapper abandonné la fermerait).
            # Après un échec, la sortie est déjà /dev/null : le reste du tampon s'y perd sans erreur.
            tampon.detach()
        except (OSError, ValueError):
            pass


class _EchecRapport(Exception):
    def __init__(self, chemin: str, erreur: OSError):
        super().__init__(chemin)
        self.chemin, self.erreur = chemin, erreur


class _FluxRapport:
    """Flux d'un rapport `-o` : une erreur d'écriture emporte le chemin demandé. Plusieurs rapports
    sont ouverts à la fois ; sans cela, l'erreur d'un disque plein serait attribuée au dernier ouvert."""

    def __init__(self, flux: TextIO, chemin: str):
        self._flux, self._chemin = flux, chemin

    def write(self, texte: str) -> int:
        try:
            return self._flux.write(texte)
        except OSError as e:
            raise _EchecRapport(self._chemin, e) from None

    def flush(self) -> None:
        try:
            self._flux.flush()
        except OSError as e:
            raise _EchecRapport(self._chemin, e) from None

    def __getattr__(self, nom: str) -> Any:
        return getattr(self._flux, nom)


@contextmanager
def fichier_rapport(chemin: str) -> "Iterator[TextIO]":
    """Rapport `-o` écrit de façon atomique ; une erreur nomme le chemin demandé, pas le temporaire."""
    from ..es import sorties

    try:
        with sorties.ecriture_atomique(chemin) as flux:
            yield cast(TextIO, _FluxRapport(flux, chemin))  # imite TextIO (write, flush, le reste délégué)
    except (OSError, _EchecRapport) as e:
        if isinstance(e, _EchecRapport) and e.chemin != chemin:
            raise  # l'échec d'un autre rapport : c'est son contexte qui le dira
        from ..echappement import echapper
        from ..messages import erreur_systeme

        erreur = e.erreur if isinstance(e, _EchecRapport) else e
        usage(f"écriture du rapport « {echapper(chemin)} » impossible : {erreur_systeme(erreur)}")
