"""Texte venu d'un fichier rendu inerte avant d'être écrit dans un terminal ou un journal de CI.

Un titre, une clé ou un nom de fichier peut contenir des séquences ANSI (`\\x1b[31m`, lien
`\\x1b]8;;…`), des retours chariot ou un saut de ligne suivi de `::add-mask::` : écrits tels quels,
ils changeraient l'affichage du terminal ou deviendraient des commandes du runner GitHub. On les
remplace par leur écriture échappée (`\\x1b`, `\\n`), visible et sans effet.
"""

from __future__ import annotations

import re

# C0, DEL, C1, séparateurs de ligne Unicode et contrôles bidirectionnels (« Trojan Source »).
_CONTROLES = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NOMMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _ecrire(c: str) -> str:
    if c in _NOMMES:
        return _NOMMES[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def echapper(texte: object, garder: str = "") -> str:
    """Remplace chaque caractère de contrôle (sauf ceux de `garder`) par son écriture échappée."""
    texte = str(texte)
    return _CONTROLES.sub(lambda m: m.group() if m.group() in garder else _ecrire(m.group()), texte)
