"""Fichier de configuration du projet (`.iag.yaml`), trouvé en remontant depuis le dossier courant."""

# Sans `from __future__ import annotations` : les annotations des modèles sont évaluées par
# l'interpréteur, au lieu d'être relues comme du texte par pydantic (eval) à chaque import.
import datetime as dt
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .formats import verifier_format
from .types import liste_vide


class RapportFichier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # rarement utilisé : schéma construit à la demande
    format: str = Field(description="Format du rapport : json, sarif, gitlab, junit, markdown, github, texte.")
    fichier: str = Field(min_length=1, description="Chemin du fichier écrit, relatif au dossier du fichier de configuration, sans en sortir.")

    # Validé au chargement, pour que l'erreur porte la ligne et la colonne de la valeur fautive.
    @field_validator("format")
    @classmethod
    def _format_connu(cls, valeur: str) -> str:
        return verifier_format(valeur).value


class Configuration(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # rarement utilisé : schéma construit à la demande
    referentiel: Optional[str] = Field(default=None, description="Dossier du référentiel, relatif au fichier de configuration.")
    seuil: Optional[str] = Field(default=None, description="Niveau à partir duquel un cas fait échouer la commande, ou « jamais ».")
    format: Optional[str] = Field(default=None, description="Format écrit sur la sortie standard.")
    date: Optional[dt.date] = Field(default=None, description="Date d'évaluation (AAAA-MM-JJ) ; défaut : aujourd'hui.")
    rapports: list[RapportFichier] = Field(default_factory=liste_vide, description="Rapports supplémentaires écrits dans des fichiers.")
    alertes_description_echec: bool = Field(
        default=False, description="Une description qui évoque ce que les réponses nient fait échouer la commande (code 1).")

    @field_validator("format")
    @classmethod
    def _format_connu(cls, valeur: Optional[str]) -> Optional[str]:
        return None if valeur is None else verifier_format(valeur).value


def configuration_vide() -> Configuration:
    """La configuration sans fichier : toutes les valeurs par défaut, sans construire le schéma (le cas
    de presque chaque commande, à chaque démarrage)."""
    return Configuration.model_construct()
