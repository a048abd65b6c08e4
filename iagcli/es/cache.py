"""Cache du référentiel validé : du JSON, jamais du pickle, relu par pydantic, jamais exécuté.

Un référentiel valide ne change pas d'une exécution à l'autre : plutôt que d'analyser le YAML (avec
les positions) et de refaire les contrôles croisés à chaque commande, on garde le contenu validé
en JSON et on le revalide par pydantic (`model_validate_json`). Les contrôles croisés ne sont pas
refaits : l'entrée n'a été écrite qu'après leur succès, sur les mêmes octets et le même code.

- Clé : sha256 des octets des deux fichiers, de la version d'iag, de celle de pydantic-core et du
  code qui valide (`MODULES`, lus octet par octet) : une installation éditable dont un modèle change
  ne relit jamais une entrée périmée.
- Lieu : `$IAG_CACHE_DIR`, sinon `$XDG_CACHE_HOME/iag`, sinon `~/.cache/iag` ; `IAG_CACHE=non` (ou
  0, faux) le désactive. Dossier créé en 0700, entrées en 0600.
- Jamais dans ce qu'évalue iag : un lieu situé dans le dossier courant, dans un dépôt git (hors
  `$HOME` versionné) ou sous un chemin évalué est ignoré (dit en mode bavard). Un fichier committé
  dans un dépôt de propositions sort de git au nom de l'utilisateur du travail, avec des droits
  ordinaires : les contrôles de confiance ci-dessous le laisseraient passer, et une entrée forgée
  (la clé se calcule à partir de fichiers publics) remplacerait le référentiel.
- Confiance : le dossier doit être un vrai dossier (pas un lien), à l'utilisateur courant et non
  modifiable par d'autres, l'entrée un fichier ordinaire à lui, ouverte sans suivre de lien ; sans
  quoi le cache est ignoré. Un tiers qui pourrait écrire une entrée ferait sinon accepter un
  référentiel que les contrôles croisés auraient refusé.
- Toute anomalie (lecture impossible, JSON corrompu, clé ou format différents, validation en
  échec, dossier en lecture seule, HOME absent) : l'entrée est ignorée, le référentiel est relu
  depuis le YAML, la commande n'en voit rien. Le dossier peut être effacé à tout moment.

Ce module fait des E/S hors du chargeur YAML : il ne lit et n'écrit que son propre dossier.
"""

# Sans `from __future__ import annotations` : les annotations des modèles sont évaluées par
# l'interpréteur, au lieu d'être relues comme du texte par pydantic (eval) à chaque import.
import errno
import hashlib
import os
import secrets
import stat
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, ValidationError

from ..modeles.referentiel import FichierRecommandations, FichierRisques
from ..modeles.types import nombre

VARIABLE_DOSSIER = "IAG_CACHE_DIR"
VARIABLE_ACTIF = "IAG_CACHE"
FORMAT = 1  # à changer si la forme de l'entrée change (elle fait aussi partie de la clé)
PREFIXE = "referentiel-"
ENTREES_MAX = 8  # au-delà, les plus anciennes sont supprimées (une par version de référentiel)
TEMPORAIRE_ABANDONNE = 3600  # secondes : un temporaire plus ancien ne sera jamais renommé
TAILLE_MAX = 32 * 1024 * 1024

# Le code dont dépend le contenu validé : modèles, types tolérants, conditions (vérifiées contre
# le schéma du cas d'usage), contrôles croisés et lecture du YAML. Un test vérifie que tout module
# d'iag chargé par `referentiel.charger` figure ici.
MODULES = (
    "__init__.py", "es/__init__.py", "es/cache.py", "moteur/__init__.py", "moteur/champs.py", "es/chargeur.py",
    "moteur/conditions.py", "echappement.py", "moteur/coherence.py", "erreurs.py", "moteur/referentiel.py",
    "modeles/__init__.py", "modeles/annotations.py",
    "modeles/cas_usage.py", "modeles/conditions.py", "modeles/referentiel.py", "modeles/types.py",
)

Signaler = Callable[[str], None]

# dir_fd et O_NOFOLLOW : sans eux (Windows), pas de cache plutôt qu'un cache qui suivrait un lien.
_POSSIBLE = os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY")


class Entree(BaseModel):
    """Une entrée du cache : la clé qui l'a produite et le contenu validé des deux fichiers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal[1]
    cle: str
    risques: FichierRisques
    recommandations: FichierRecommandations


def lieu() -> Optional[str]:
    """Lieu du cache demandé, ou None s'il est désactivé ou sans lieu (ni variable, ni HOME)."""
    from ..modeles.types import booleen

    if not _POSSIBLE or booleen(os.environ.get(VARIABLE_ACTIF, "")) is False:
        return None
    choisi = os.environ.get(VARIABLE_DOSSIER)
    if choisi:
        return os.path.abspath(choisi)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # la spécification XDG ignore un chemin relatif
        return os.path.join(xdg, "iag")
    maison = os.path.expanduser("~")
    if not os.path.isabs(maison):  # ni HOME, ni compte : pas de cache
        return None
    return os.path.join(maison, ".cache", "iag")


def _sous(chemin: str, base: str) -> bool:
    return os.path.commonpath([chemin, base]) == base


def dans_l_arbre_evalue(chemin: str, evalues: Sequence[str] = ()) -> Optional[str]:
    """Pourquoi `chemin` est modifiable par qui propose (dans le dossier courant, dans un dépôt git,
    sous un chemin évalué), ou None."""
    from .chemins import racine_depot

    reel = os.path.realpath(chemin)
    try:
        courant = os.path.realpath(os.getcwd())
    except OSError:
        courant = None
    if courant is not None and _sous(reel, courant):
        return f"son dossier ({chemin}) est dans le dossier courant"
    # Le dossier lui-même n'existe peut-être pas encore : on remonte depuis son plus proche parent.
    existant = reel
    while not os.path.isdir(existant) and os.path.dirname(existant) != existant:
        existant = os.path.dirname(existant)
    depot = racine_depot(existant)
    if depot is not None:
        return f"son dossier ({chemin}) est dans le dépôt git {depot}"
    for evalue in evalues:
        if evalue == "-":
            continue
        base = os.path.realpath(evalue)
        base = base if os.path.isdir(base) else os.path.dirname(base)
        if _sous(reel, base):
            return f"son dossier ({chemin}) est sous le chemin évalué {evalue}"
    return None


def dossier(signaler: Optional[Signaler] = None, evalues: Sequence[str] = ()) -> Optional[str]:
    """Dossier du cache, ou None s'il est désactivé, sans lieu, ou situé dans ce qu'évalue iag
    (dossier courant, dépôt git, chemins évalués : dit à `signaler`)."""
    chemin = lieu()
    if chemin is None:
        return None
    raison = dans_l_arbre_evalue(chemin, evalues)
    if raison is not None:
        _dire(signaler, f"cache du référentiel ignoré : {raison}, modifiable par qui propose")
        return None
    return chemin


@lru_cache(maxsize=1)
def empreinte_code() -> str:
    """sha256 du code qui valide (une fois par processus : `comparer` charge deux référentiels)."""
    import pydantic_core

    from .. import __version__

    h = hashlib.sha256(f"iag {__version__}\0pydantic-core {pydantic_core.__version__}\0format {FORMAT}\0".encode())
    paquet = Path(__file__).parent.parent
    for nom in MODULES:
        h.update(nom.encode() + b"\0" + (paquet / nom).read_bytes() + b"\0")  # OSError : pas de cache (voir cle)
    return h.hexdigest()


def cle(empreintes: list[str]) -> Optional[str]:
    """Clé d'une entrée : sha256 des fichiers (dans l'ordre du chargement) et du code ; None si le
    code est illisible (paquet dans une archive, par exemple)."""
    try:
        code = empreinte_code()
    except OSError:
        return None
    return hashlib.sha256(("\0".join([code, *empreintes])).encode("ascii")).hexdigest()


def _ouvrir_dossier(chemin: str, creer: bool) -> int:
    """Descripteur du dossier du cache, s'il est digne de confiance ; OSError sinon."""
    if creer:
        os.makedirs(chemin, mode=0o700, exist_ok=True)
    fd = os.open(chemin, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        infos = os.fstat(fd)
        if infos.st_uid != os.geteuid() or infos.st_mode & 0o022:
            raise PermissionError(f"dossier de cache à un autre utilisateur ou modifiable par d'autres : {chemin}")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _nom(cle: str) -> str:
    return f"{PREFIXE}{cle}.json"


def lire(cle: str, signaler: Optional[Signaler] = None, evalues: Sequence[str] = ()) -> Optional[Entree]:
    """L'entrée de cette clé, validée ; None (et la raison à `signaler`) au moindre doute."""
    chemin = dossier(signaler, evalues)
    if chemin is None:
        return None
    try:
        fd_dossier = _ouvrir_dossier(chemin, creer=False)
        try:
            fd = os.open(_nom(cle), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd_dossier)
        finally:
            os.close(fd_dossier)
        with os.fdopen(fd, "rb") as f:
            infos = os.fstat(f.fileno())
            if not stat.S_ISREG(infos.st_mode) or infos.st_uid != os.geteuid() or infos.st_size > TAILLE_MAX:
                raise PermissionError("entrée qui n'est pas un fichier ordinaire de l'utilisateur")
            octets = f.read(TAILLE_MAX + 1)
    except FileNotFoundError:
        return None  # cas ordinaire d'un premier chargement : rien à dire
    except OSError as e:
        _dire(signaler, f"cache du référentiel ignoré ({_raison(e)})")
        return None
    try:
        entree = Entree.model_validate_json(octets)
    except ValidationError as e:
        _dire(signaler, f"entrée du cache du référentiel ignorée : contenu invalide ({nombre(e.error_count(), 'erreur')})")
        return None
    if entree.cle != cle:
        _dire(signaler, "entrée du cache du référentiel ignorée : clé différente")
        return None
    return entree


def ecrire(cle: str, risques: FichierRisques, recommandations: FichierRecommandations,
           signaler: Optional[Signaler] = None, evalues: Sequence[str] = ()) -> None:
    """Écrit l'entrée (temporaire puis renommage : jamais à moitié écrite) ; échec silencieux."""
    chemin = dossier(None, evalues)  # la raison d'un lieu ignoré est déjà dite par `lire`
    if chemin is None:
        return
    # Sans les valeurs par défaut : relues telles quelles par pydantic, et l'entrée se relit
    # 40 % plus vite (un test vérifie que le contenu relu égale le contenu validé).
    entree = Entree(format=FORMAT, cle=cle, risques=risques, recommandations=recommandations)
    contenu = entree.model_dump_json(exclude_defaults=True).encode()
    temporaire = f".{PREFIXE}{secrets.token_hex(8)}.tmp"
    try:
        fd_dossier = _ouvrir_dossier(chemin, creer=True)
    except OSError as e:
        _dire(signaler, f"cache du référentiel non écrit ({_raison(e)})")
        return
    try:
        # O_EXCL | O_NOFOLLOW : jamais un fichier ou un lien déjà là ; le renommage remplace un lien
        # planté au nom de l'entrée sans jamais écrire là où il pointe.
        fd = os.open(temporaire, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=fd_dossier)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(contenu)
            os.replace(temporaire, _nom(cle), src_dir_fd=fd_dossier, dst_dir_fd=fd_dossier)
        except BaseException:
            try:
                os.unlink(temporaire, dir_fd=fd_dossier)
            except OSError:
                pass
            raise
        _elaguer(fd_dossier, _nom(cle))
    except OSError as e:
        _dire(signaler, f"cache du référentiel non écrit ({_raison(e)})")
    finally:
        os.close(fd_dossier)


def _elaguer(fd_dossier: int, garde: str) -> None:
    """Garde les ENTREES_MAX entrées les plus récentes (un référentiel qui évolue en laisse une par
    version) et supprime les temporaires abandonnés (processus tué entre création et renommage)
    depuis plus de TEMPORAIRE_ABANDONNE secondes ; un temporaire récent peut être celui d'une autre
    commande en cours. Ne touche qu'aux fichiers du cache, jamais à un lien ni à un dossier."""
    entrees: list[tuple[int, str]] = []
    abandonnes: list[str] = []
    limite = time.time_ns() - TEMPORAIRE_ABANDONNE * 1_000_000_000
    for nom in os.listdir(fd_dossier):
        temporaire = nom.startswith(f".{PREFIXE}") and nom.endswith(".tmp")
        if not temporaire and not (nom.startswith(PREFIXE) and nom.endswith(".json") and nom != garde):
            continue
        try:
            infos = os.stat(nom, dir_fd=fd_dossier, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(infos.st_mode):
            continue
        if not temporaire:
            entrees.append((infos.st_mtime_ns, nom))
        elif infos.st_mtime_ns < limite:
            abandonnes.append(nom)
    entrees.sort(reverse=True)
    for nom in abandonnes:
        try:
            os.unlink(nom, dir_fd=fd_dossier)
        except OSError:
            pass
    for _, nom in entrees[ENTREES_MAX - 1:]:
        try:
            os.unlink(nom, dir_fd=fd_dossier)
        except OSError:
            pass


def _raison(e: OSError) -> str:
    from ..messages import erreur_systeme

    if e.errno == errno.ELOOP:  # O_NOFOLLOW sur un lien
        return "lien symbolique refusé dans le dossier du cache"
    return erreur_systeme(e)


def _dire(signaler: Optional[Signaler], message: str) -> None:
    if signaler is not None:
        signaler(message)
