"""Vues de l'observatoire (`iag synthese`, `iag registre`) : un module par format.

Chaque module définit `synthese(s, ref, flux)` et/ou `registre(collecteur, ref, flux)` ; il ne
calcule rien (le cœur est `moteur/observatoire.py`), il met en forme. Importé seulement s'il sert.
"""

from __future__ import annotations

import importlib
from types import ModuleType

FORMATS_SYNTHESE = ("texte", "json", "markdown", "html")
FORMATS_REGISTRE = ("csv", "json", "html", "xlsx")
# Formats binaires : jamais sur la sortie standard (un terminal), seulement dans un fichier -o.
FORMATS_FICHIER_SEUL = ("xlsx",)
# Versions des structures JSON (indépendantes de la version d'iag) : une version 1.x n'ajoute que des clés.
FORMAT_VERSION_SYNTHESE = "1.2"  # 1.1 : mesures_prevues_en_retard ; 1.2 : par_classe_ai_act
FORMAT_VERSION_REGISTRE = "1.1"  # 1.1 : classe_ai_act


def module(format: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{format}")
