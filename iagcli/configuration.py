"""Trouve et lit `.iag.yaml` ; fusionne options, variables d'environnement et fichier.

Priorité : options de la ligne de commande > variables `IAG_*` > fichier de configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .chargeur import lire_document, valider
from .erreurs import Diagnostic, ErreurFichier, ErreurLecture
from .modeles.configuration import Configuration

NOMS = (".iag.yaml", ".iag.yml")


def trouver(depart: Optional[Path] = None) -> Optional[Path]:
    """Le fichier de configuration le plus proche, en remontant depuis `depart`."""
    dossier = (depart or Path.cwd()).resolve()
    for d in (dossier, *dossier.parents):
        for nom in NOMS:
            candidat = d / nom
            if candidat.is_file():
                return candidat
    return None


@dataclass(frozen=True)
class ConfigurationChargee:
    chemin: Optional[Path]
    config: Configuration

    def relatif(self, valeur: Optional[str]) -> Optional[str]:
        """Chemin du fichier de configuration, résolu par rapport à son dossier."""
        if valeur is None or self.chemin is None:
            return valeur
        return str((self.chemin.parent / valeur))


def charger(chemin: Optional[str] = None) -> ConfigurationChargee:
    """Lit la configuration donnée, ou la plus proche ; lève ErreurFichier/ErreurLecture si elle est fautive."""
    explicite = chemin or os.environ.get("IAG_CONFIG")
    fichier = Path(explicite) if explicite else trouver()
    if fichier is None:
        return ConfigurationChargee(None, Configuration())
    document = lire_document(str(fichier))
    return ConfigurationChargee(fichier, valider(document, Configuration))


def rapport_depuis_texte(texte: str, source: str) -> tuple[str, str]:
    """`json:rapport.json` -> ("json", "rapport.json")."""
    fmt, sep, fichier = texte.partition(":")
    if not sep or not fmt or not fichier:
        raise ErreurFichier([Diagnostic(source, None, None, f"rapport « {texte} » invalide : attendu FORMAT:FICHIER (ex. json:iag.json)")])
    return fmt, fichier


__all__ = ["trouver", "charger", "ConfigurationChargee", "rapport_depuis_texte", "ErreurLecture"]
