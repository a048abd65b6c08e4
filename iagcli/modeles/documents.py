"""Schéma de `documents.yaml` : les documents que `iag dossier` écrit, quand et avec quoi."""

# Sans `from __future__ import annotations` : les annotations des modèles sont évaluées par
# l'interpréteur, au lieu d'être relues comme du texte par pydantic (eval) à chaque import.
from enum import Enum
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from .conditions import Condition
from .types import liste_vide


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bloc(str, Enum):
    """Parties calculées d'après l'évaluation (le reste du document est du texte du référentiel)."""

    EXIGENCES = "exigences"
    VERDICT = "verdict"
    RISQUES = "risques"
    MESURES_EN_PLACE = "mesures_en_place"
    MESURES_PREVUES = "mesures_prevues"
    PLAN = "plan"
    REGLES = "regles"
    DECLENCHEURS = "declencheurs"
    EVENEMENTS_REDOUTES = "evenements_redoutes"
    REGISTRE = "registre"  # l'entrée du registre public : mêmes colonnes qu'`iag registre`
    AVIS = "avis"  # ce que le DPO et le RSSI signent (iag avis signer), et les avis déjà signés


class SiCondition(_Strict):
    raison: str = Field(min_length=1)
    condition: Condition


class Motifs(_Strict):
    """Pourquoi un document (ou une section) s'applique : il suffit d'un motif."""

    toujours: Optional[str] = Field(default=None, min_length=1)
    regles: list[str] = Field(default_factory=liste_vide)
    niveau_minimum: Optional[str] = None
    si: Optional[SiCondition] = None


class ChampDocument(_Strict):
    libelle: str = Field(min_length=1)
    # `cas.<chemin>` ou `evaluation.<attribut>` ; absent : toujours à compléter
    source: Optional[str] = None


class SectionDocument(_Strict):
    titre: str = Field(min_length=1)
    texte: Optional[str] = None
    visible_si: Optional[Motifs] = None
    champs: list[ChampDocument] = Field(default_factory=liste_vide)
    bloc: Optional[Bloc] = None


class ModeleDocument(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    titre: str = Field(min_length=1)
    fichier: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="nom du fichier, sans extension")
    exige_par: Motifs
    # La mesure du référentiel que ce document réalise (M09 pour l'AIPD) : jamais recensée comme une
    # mesure dans le document lui-même.
    mesure: Optional[str] = None
    sections: list[SectionDocument] = Field(min_length=1)


class EvenementRedoute(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    titre: str = Field(min_length=1)
    categories: list[str] = Field(min_length=1)


class FichierDocuments(_Strict):
    version: str
    a_completer: str = Field(min_length=1)
    evenements_redoutes: list[EvenementRedoute] = Field(default_factory=liste_vide)
    documents: list[ModeleDocument] = Field(min_length=1)
