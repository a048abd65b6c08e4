"""Codes de sortie d'iag : le seul endroit où ils sont définis.

Sans import : le contrôleur, les flux, `__main__` et le CLI s'y réfèrent sans rien charger.
"""

from __future__ import annotations

SORTIE_OK = 0
# Échec attendu : un cas au seuil ou au-dessus, un fichier de cas d'usage invalide ; pour les
# consultations, un identifiant introuvable ou un fichier existant non remplacé.
SORTIE_ECHEC = 1
SORTIE_USAGE = 2  # usage, chemin illisible, référentiel ou configuration invalide, erreur du système
SORTIE_INTERRUPTION = 130  # 128 + SIGINT (Ctrl-C)
SORTIE_TUBE_ROMPU = 141  # 128 + SIGPIPE : la sortie standard lue par `head`, par exemple
