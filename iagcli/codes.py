"""Codes de sortie d'iag : le seul endroit où ils sont définis.

Sans import : le contrôleur, les flux, `__main__` et le CLI s'y réfèrent sans rien charger.

Une porte de CI distingue ainsi une proposition trop risquée (1) d'une proposition cassée (3) et
d'un outil ou d'un job cassé (2). Dans un lot, le plus grave l'emporte : 2 > 3 > 1 > 0 (`pire`).
"""

from __future__ import annotations

SORTIE_OK = 0
# Échec attendu : un cas au seuil ou au-dessus (ou une échéance dépassée avec --echeances) ; pour
# les consultations, un identifiant introuvable ou un fichier existant non remplacé.
SORTIE_ECHEC = 1
# Usage et système : option fausse, chemin donné absent ou illisible, dossier sans YAML, référentiel
# ou configuration invalide, écriture impossible (disque plein, lien qui sort de l'arbre…).
SORTIE_USAGE = 2
# Un fichier de cas d'usage invalide : contenu qui ne se lit pas (encodage, taille), YAML invalide,
# cas qui ne valide pas contre le schéma ou le référentiel.
SORTIE_CAS_INVALIDE = 3
SORTIE_INTERRUPTION = 130  # 128 + SIGINT (Ctrl-C)
SORTIE_TUBE_ROMPU = 141  # 128 + SIGPIPE : la sortie standard lue par `head`, par exemple

_GRAVITE = {SORTIE_OK: 0, SORTIE_ECHEC: 1, SORTIE_CAS_INVALIDE: 2, SORTIE_USAGE: 3}


def pire(*codes: int) -> int:
    """Le code le plus grave : 2 (usage, système) > 3 (cas invalide) > 1 (au seuil) > 0. Un code
    inconnu (signal, 128 + n) l'emporte sur tous."""
    return max(codes, key=lambda c: _GRAVITE.get(c, 4), default=SORTIE_OK)
