"""Écriture des rapports : un fichier complet ou rien, sans jamais remplacer ce qui n'est pas un fichier.

Selon ce que désigne le chemin (liens suivis) :
- un fichier ordinaire, ou rien encore : écriture dans un temporaire `.iag-*.tmp` du même dossier,
  puis `os.replace` : le fichier n'est jamais à moitié écrit ;
- un lien symbolique : il n'est jamais remplacé ; on écrit sa cible, selon les mêmes règles (un
  lien vers un fichier ordinaire : remplacement atomique de la cible, le lien reste) ;
- un périphérique caractère (`/dev/null`, un terminal), un tube nommé, une socket, ou un descripteur
  ouvert (`/dev/stdout`, `/dev/fd/N`, même redirigé vers un fichier) : écriture directe, sans temporaire (les remplacer par un fichier ordinaire, comme le faisait
  `os.replace`, détruisait le nœud de périphérique quand iag tournait en root) ;
- un dossier : erreur.

Une règle pour toute écriture d'iag (rapports `-o` et de la configuration, `iag dossier`, `plan
--ecrire`, `nouveau`) : **jamais par un lien, ni dans un dossier lié, qui sort de l'arbre demandé**
(`hors_arbre`). L'arbre demandé est le dossier courant pour un chemin relatif qui y reste ; sinon le
dossier que l'appelant a nommé (le dossier parent d'un fichier, le DOSSIER d'`iag dossier`). Un dépôt
de propositions est écrit par quelqu'un qui veut que la CI passe : un lien committé sous le nom d'un
rapport (`iag.json -> ~/.profile`) ferait sinon écrire iag où il pointe, avec les droits du travail.

Le temporaire est supprimé sur toute exception, y compris celles que le point d'entrée lève sur
SIGINT, SIGTERM et SIGHUP (voir `__main__`).
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional


class EcritureRefusee(PermissionError):
    """Écriture refusée par la règle de `hors_arbre` : le message dit le chemin et l'arbre."""


_DESCRIPTEURS = ("/dev/fd/", "/proc/")
_STANDARDS = ("/dev/stdout", "/dev/stderr")


def par_descripteur(chemin: str) -> bool:
    """Vrai si le chemin (ou un lien de sa chaîne) désigne un descripteur ouvert : `/dev/stdout`,
    `/dev/fd/N`, `/proc/self/fd/N`. Il s'écrit directement même si c'est un fichier ordinaire : le
    remplacer couperait le lien avec la redirection du shell (`> sortie.json`)."""
    courant = os.path.abspath(chemin)
    for _ in range(40):  # comme la limite de liens du noyau
        if courant in _STANDARDS or courant.startswith(_DESCRIPTEURS):
            return True
        if not os.path.islink(courant):
            return False
        courant = os.path.join(os.path.dirname(courant), os.readlink(courant))
    return False


def _sous(chemin: str, base: str) -> bool:
    return os.path.commonpath([chemin, base]) == base


def arbre_demande(chemin: str, dossier: bool = False) -> str:
    """L'arbre dans lequel l'appelant a demandé d'écrire `chemin`, résolu : le dossier courant si le
    chemin (relatif ou absolu) y reste lexicalement ; sinon le dossier qu'il a nommé : `chemin`
    lui-même si c'est un `dossier` à remplir, son dossier parent sinon."""
    complet = os.path.normpath(os.path.abspath(chemin))
    try:
        courant = os.getcwd()
    except OSError:
        courant = None
    if courant is not None and _sous(complet, courant):
        return os.path.realpath(courant)
    return os.path.realpath(complet if dossier else os.path.dirname(complet))


def hors_arbre(chemin: str, arbre: Optional[str] = None) -> Optional[str]:
    """Message si écrire `chemin` passerait par un lien symbolique (le fichier, ou un dossier du
    chemin) qui mène hors de `arbre` (par défaut `arbre_demande(chemin)`) ; None sinon. Un
    descripteur ouvert (`/dev/stdout`, `/dev/fd/N`) est toujours permis : c'est la redirection du shell."""
    if par_descripteur(chemin):
        return None
    base = os.path.realpath(arbre) if arbre is not None else arbre_demande(chemin)
    if _sous(os.path.realpath(chemin), base):
        return None
    return f"un lien symbolique mène « {chemin} » hors de {base}"


def verifier_arbre(chemin: str, arbre: Optional[str] = None) -> None:
    """Lève EcritureRefusee si `hors_arbre` refuse `chemin`."""
    from ..echappement import echapper

    message = hors_arbre(chemin, arbre)
    if message is not None:
        raise EcritureRefusee(echapper(f"écriture refusée : {message}"))


def cible(chemin: str) -> tuple[str, Optional[os.stat_result]]:
    """(chemin réellement écrit, état de ce qu'il désigne, None s'il n'existe pas)."""
    try:
        infos = os.stat(chemin)  # suit les liens
    except FileNotFoundError:
        infos = None
    if infos is not None and par_descripteur(chemin):
        return chemin, infos
    if os.path.islink(chemin) and (infos is None or stat.S_ISREG(infos.st_mode)):
        # Lien vers un fichier ordinaire ou lien pendant : on remplacera la cible, jamais le lien.
        return os.path.realpath(chemin), infos
    return chemin, infos


def directe(chemin: str, infos: Optional[os.stat_result]) -> bool:
    """Vrai si la cible doit être écrite directement (ni fichier ordinaire, ni absente, ou un descripteur)."""
    if infos is None or stat.S_ISDIR(infos.st_mode):
        return False
    return not stat.S_ISREG(infos.st_mode) or par_descripteur(chemin)


_SIGNAUX_ARRET = ("SIGINT", "SIGTERM", "SIGHUP")


def _bloquer_signaux() -> Optional[set[int | signal.Signals]]:
    """Bloque SIGINT, SIGTERM et SIGHUP (fil principal) ; rend le masque d'avant, None sans
    `pthread_sigmask` (Windows), où la fenêtre reste ouverte."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {getattr(signal, nom) for nom in _SIGNAUX_ARRET if hasattr(signal, nom)})


def _restaurer_signaux(masque: Optional[set[int | signal.Signals]]) -> None:
    if masque is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, masque)


@contextmanager
def ecriture_atomique(chemin: str, arbre: Optional[str] = None, binaire: bool = False) -> Iterator[Any]:
    """Flux texte UTF-8 (ou binaire avec `binaire`) qui remplace `chemin` d'un coup à la sortie du
    bloc ; refusé (EcritureRefusee) si un lien mène hors de `arbre` (voir `hors_arbre`)."""
    verifier_arbre(chemin, arbre)
    vrai, infos = cible(chemin)
    if infos is not None and stat.S_ISDIR(infos.st_mode):
        raise IsADirectoryError(21, "c'est un dossier", chemin)
    if directe(vrai, infos):
        with (open(vrai, "wb") if binaire else open(vrai, "w", encoding="utf-8", newline="\n")) as flux:
            yield flux
        return
    dossier = os.path.dirname(os.path.abspath(vrai))
    # Signaux bloqués de la création du temporaire à l'entrée du `try` qui le supprime : sinon un
    # SIGTERM reçu entre les deux le laissait derrière lui (course vue dans la suite de tests).
    bloques = _bloquer_signaux()
    try:
        fd, temporaire = tempfile.mkstemp(prefix=".iag-", suffix=".tmp", dir=dossier)
    except BaseException:
        _restaurer_signaux(bloques)
        raise
    try:
        _restaurer_signaux(bloques)  # un signal en attente est traité ici, temporaire déjà protégé
        with (os.fdopen(fd, "wb") if binaire else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as flux:
            yield flux
        # mkstemp crée en 0600 : on rend les droits d'un fichier remplacé, sinon ceux (umask) d'un
        # fichier créé normalement ; un artefact de CI lu par un autre utilisateur resterait illisible.
        if infos is not None:
            droits = stat.S_IMODE(infos.st_mode)
        else:
            masque = os.umask(0)
            os.umask(masque)
            droits = 0o666 & ~masque
        os.chmod(temporaire, droits)
        os.replace(temporaire, vrai)
    except BaseException:
        try:
            os.unlink(temporaire)
        except OSError:
            pass
        raise


def verifier_cibles(fichiers: list[tuple[str, str]], entrees: list[str]) -> Optional[str]:
    """Message d'erreur si deux rapports (format, chemin) désignent le même fichier, ou si un rapport
    écraserait une entrée (un fichier donné, ou un .yaml / .yml d'un dossier donné) ; sinon None.
    Les périphériques caractère (/dev/null, un terminal) peuvent recevoir plusieurs rapports."""
    from .chemins import EXTENSIONS

    vus: dict[tuple[Any, ...], str] = {}
    for fmt, chemin in fichiers:
        refus = hors_arbre(chemin)
        if refus is not None:
            return f"rapport « {fmt}:{chemin} » refusé : {refus}"
        vrai, infos = cible(chemin)
        if infos is not None and stat.S_ISCHR(infos.st_mode):
            continue
        reel = os.path.realpath(vrai)
        # même inode (lien dur, autre chemin) pour un fichier existant, même chemin résolu sinon
        cle = ("inode", infos.st_dev, infos.st_ino) if infos is not None else ("chemin", reel)
        if cle in vus:
            return f"les rapports « {vus[cle]} » et « {fmt}:{chemin} » désignent le même fichier : l'un effacerait l'autre"
        vus[cle] = f"{fmt}:{chemin}"
        if infos is None or not stat.S_ISREG(infos.st_mode):
            continue
        for entree in entrees:
            if entree == "-":
                continue
            if os.path.isdir(entree):
                dossier = os.path.realpath(entree)
                ecrase = reel.endswith(EXTENSIONS) and os.path.commonpath([dossier, reel]) == dossier
            else:
                try:
                    ecrase = os.path.samefile(entree, vrai)
                except OSError:
                    ecrase = False
            if ecrase:
                return f"le rapport « {fmt}:{chemin} » écraserait un fichier évalué ({entree}) : choisissez un autre nom"
    return None
