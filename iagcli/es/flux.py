"""Flux standard qui survivent : fermés, pleins, tube rompu, encodage réduit.

Conventions (README, « Codes de sortie ») :
- sortie standard rompue (le lecteur d'un tube s'arrête : `iag … | head`) : iag finit son travail
  (rapports `-o` complets), n'écrit rien de plus et sort en silence avec le code 141, celui d'un
  processus tué par SIGPIPE, que les shells et `set -o pipefail` connaissent ;
- autre échec d'écriture sur la sortie standard (disque plein, `/dev/full`) : le travail finit de
  même, puis un message et le code 2 ;
- sortie standard, erreur standard fermées au lancement (`>&-`) : un message sur l'autre flux et le
  code 2 ; leurs descripteurs sont réservés sur /dev/null pour qu'aucun fichier ouvert ensuite
  (un rapport `-o`) ne les reçoive par erreur.

Python ignore SIGPIPE et lève BrokenPipeError : on la capte dans `SortieProtegee`. Après un échec,
le descripteur est redirigé vers /dev/null (`os.dup2`), sans quoi ce qui reste dans les tampons
échouerait encore à la fermeture de l'interpréteur (« Exception ignored … BrokenPipeError »).
Ce module n'importe que la bibliothèque standard : il sert aussi au chemin court de `--version`.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable
from typing import Any, Optional

from ..codes import SORTIE_TUBE_ROMPU, SORTIE_USAGE

# Premier échec d'écriture sur la sortie standard (None : aucun).
erreur_sortie: Optional[OSError] = None


def _vers_nul(fd: int) -> None:
    try:
        nul = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        if nul != fd:
            os.dup2(nul, fd)
    finally:
        if nul != fd:
            os.close(nul)


def descripteurs_fermes() -> list[int]:
    """Réserve sur /dev/null les descripteurs 0, 1, 2 fermés au lancement ; rend leur liste."""
    fermes = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            fermes.append(fd)
            # os.open rend le plus petit descripteur libre : c'est celui-ci.
            drapeau = os.O_RDONLY if fd == 0 else os.O_WRONLY
            try:
                os.open(os.devnull, drapeau)
            except OSError:
                pass
    return fermes


def encodage_tolerant() -> None:
    """PYTHONIOENCODING=ascii, latin-1 ou locale C : un caractère impossible devient `\\xe9`
    au lieu d'arrêter la commande. Les rapports `-o` sont toujours écrits en UTF-8 (sorties.py)."""
    for flux in (sys.stdout, sys.stderr):
        try:
            flux.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]  # TextIO d'un test : AttributeError rattrapée
        except (AttributeError, ValueError, OSError):
            pass  # flux remplacé (tests) ou déjà fermé


def _noter_echec(e: OSError, flux: Any) -> None:
    global erreur_sortie
    if erreur_sortie is None:
        erreur_sortie = e
    try:
        _vers_nul(flux.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class SortieProtegee:
    """Enveloppe d'un flux de sortie dont un échec d'écriture est noté, jamais propagé :
    le lot continue et alimente les rapports en fichiers ; le code de sortie le dira.
    Pour l'erreur standard (`noter=False`), l'échec est seulement absorbé : il n'y a plus
    où le dire, et il ne change pas le verdict."""

    def __init__(self, flux: Any, noter: bool = True):
        self._flux = flux
        self._noter = noter
        self._echoue = False

    @property
    def rompue(self) -> bool:
        return self._echoue or (self._noter and erreur_sortie is not None)

    def write(self, texte: str) -> int:
        if not self.rompue:
            try:
                return int(self._flux.write(texte))
            except OSError as e:
                self._echec(e)
        return len(texte)

    def writelines(self, lignes: Iterable[str]) -> None:
        for ligne in lignes:
            self.write(ligne)

    def flush(self) -> None:
        if not self.rompue:
            try:
                self._flux.flush()
            except OSError as e:
                self._echec(e)

    def _echec(self, e: OSError) -> None:
        self._echoue = True
        if self._noter:
            _noter_echec(e, self._flux)
        else:
            try:
                _vers_nul(self._flux.fileno())
            except (OSError, ValueError, AttributeError):
                pass

    def __getattr__(self, nom: str) -> Any:
        return getattr(self._flux, nom)


def proteger_sortie() -> None:
    if sys.stdout is not None and not isinstance(sys.stdout, SortieProtegee):
        sys.stdout = SortieProtegee(sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, SortieProtegee):
        sys.stderr = SortieProtegee(sys.stderr, noter=False)


def ecrire_document(texte: str) -> None:
    """Un document (schéma JSON, modèle YAML) sur la sortie standard, toujours en UTF-8 : il est fait
    pour être redirigé dans un fichier, et `\xe9` rendrait le JSON invalide sous un encodage ASCII."""
    sortie = sys.stdout
    tampon = getattr(sortie, "buffer", None)
    if tampon is None:  # flux de test sans tampon binaire
        sortie.write(texte)
        return
    if erreur_sortie is not None:
        return
    try:
        sortie.flush()
        tampon.write(texte.encode("utf-8", "backslashreplace"))
        tampon.flush()
    except OSError as e:
        _noter_echec(e, tampon)


def code_apres_sortie(code: int) -> tuple[int, Optional[str]]:
    """Code de sortie et message final, compte tenu d'un échec d'écriture sur la sortie standard."""
    e = erreur_sortie
    if e is None:
        return code, None
    if e.errno == errno.EPIPE:
        return SORTIE_TUBE_ROMPU, None
    from ..messages import erreur_systeme

    return SORTIE_USAGE, f"iag : écriture sur la sortie standard impossible : {erreur_systeme(e)}"
