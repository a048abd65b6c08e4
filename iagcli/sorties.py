"""Écriture atomique des rapports : un fichier complet ou rien, jamais un rapport à moitié écrit."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager


@contextmanager
def ecriture_atomique(chemin: str):
    dossier = os.path.dirname(os.path.abspath(chemin))
    fd, temporaire = tempfile.mkstemp(prefix=".iag-", suffix=".tmp", dir=dossier)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as flux:
            yield flux
        # mkstemp crée en 0600 : on rend les droits habituels (umask) d'un fichier créé normalement,
        # sinon un artefact de CI lu par un autre utilisateur serait illisible.
        masque = os.umask(0)
        os.umask(masque)
        os.chmod(temporaire, 0o666 & ~masque)
        os.replace(temporaire, chemin)
    except BaseException:
        try:
            os.unlink(temporaire)
        except OSError:
            pass
        raise
