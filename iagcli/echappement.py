"""Texte venu de l'extérieur rendu inerte avant d'être écrit dans un terminal, un journal ou un rapport.

Un titre, une clé, un nom de fichier, une valeur de `.iag.yaml`, une variable `IAG_*` ou un
argument peut contenir des séquences ANSI (`\\x1b[31m`, lien `\\x1b]8;;…`), des retours chariot,
un saut de ligne suivi de `::add-mask::`, des contrôles bidirectionnels (« Trojan Source ») ou,
pour un nom lu par `os.listdir`, des octets non UTF-8 (gardés par Python en « surrogates »
U+DC80–U+DCFF). Écrits tels quels, ils changeraient l'affichage, deviendraient des commandes du
runner de CI ou feraient échouer l'encodage UTF-8 d'un rapport.

Une règle par contexte :

- **Tout ce qui est écrit pour une personne ou un journal** (messages d'erreur sur stderr, rapport
  texte, annotations GitHub, Markdown) et **tout nom de fichier, dans tous les formats** : `echapper`,
  qui remplace chaque caractère dangereux par son écriture échappée visible (`\\x1b`, `\\n`,
  `\\u202e`, et `\\xff` pour l'octet non UTF-8 0xff d'un nom). Un nom de fichier est échappé une
  seule fois, par le contrôleur, avant d'être donné aux rapporteurs : il est donc identique dans
  json, sarif, gitlab, github, junit, markdown et texte (et les empreintes restent stables et
  distinctes : deux noms différents ne se confondent pas, contrairement à un remplacement par U+FFFD).
- **Le texte d'un cas d'usage dans un format machine** (json, sarif, gitlab, junit) :
  `rapports.constats.nettoyer`, qui remplace les caractères de contrôle par U+FFFD (le texte reste
  lisible par l'outil qui le reçoit ; la mise en forme propre au format fait le reste).

`echapper` est idempotent (son résultat ne contient plus aucun caractère qu'il remplace) : échapper
deux fois un nom déjà échappé ne change rien.
"""

from __future__ import annotations

import re

# C0, DEL, C1, séparateurs de ligne Unicode, contrôles bidirectionnels et surrogates isolés.
_CONTROLES = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NOMMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _ecrire(c: str) -> str:
    if c in _NOMMES:
        return _NOMMES[c]
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # octet non UTF-8 d'un nom de fichier (surrogateescape) : l'octet d'origine
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def echapper(texte: object, garder: str = "") -> str:
    """Remplace chaque caractère de contrôle (sauf ceux de `garder`) par son écriture échappée."""
    texte = str(texte)
    return _CONTROLES.sub(lambda m: m.group() if m.group() in garder else _ecrire(m.group()), texte)
