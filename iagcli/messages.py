"""Erreurs du système (OSError) dites en français.

`str(OSError)` et `strerror` viennent de la bibliothèque C, en anglais sous la locale C des
runners de CI (« Broken pipe », « Is a directory ») : on les nomme ici par leur errno.
"""

from __future__ import annotations

import errno

_TEXTES = {
    errno.EPIPE: "tube fermé par le lecteur",
    errno.ENOSPC: "plus de place sur le périphérique",
    errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EEXIST: "le fichier existe déjà",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EBADF: "descripteur de fichier fermé",
    errno.EIO: "erreur d'entrée-sortie",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ELOOP: "trop de liens symboliques",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EFBIG: "fichier trop grand",
    errno.EINVAL: "argument invalide",
    errno.ENXIO: "périphérique ou adresse inexistant",
    errno.ETXTBSY: "fichier exécutable occupé",
    errno.EMFILE: "trop de fichiers ouverts",
}


def erreur_systeme(e: BaseException) -> str:
    """Texte français d'une erreur du système ; à défaut, le texte d'origine avec son errno."""
    numero = getattr(e, "errno", None)
    if numero in _TEXTES:
        return _TEXTES[numero]
    if numero is not None:
        return f"erreur système {errno.errorcode.get(numero, numero)} ({getattr(e, 'strerror', None) or e})"
    return str(e)
