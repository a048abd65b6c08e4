"""Formats de rapport : énumération de la couche basse, lue par la configuration (validée au
chargement) et par les rapporteurs (`rapports.Format`). Sans import tiers."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """Formats de rapport ; la valeur est aussi le nom du module de `iagcli/rapports/` qui le rend."""

    TEXTE = "texte"
    JSON = "json"
    SARIF = "sarif"
    GITLAB = "gitlab"
    GITHUB = "github"
    MARKDOWN = "markdown"
    JUNIT = "junit"


# Noms des formats, dans l'ordre de l'aide et des messages d'erreur.
FORMATS: tuple[str, ...] = tuple(f.value for f in Format)


def format_inconnu(nom: str) -> str:
    return f"format « {nom} » inconnu ; formats : {', '.join(FORMATS)}"


def verifier_format(nom: str) -> Format:
    """Le format de ce nom ; ValueError (message en français) s'il n'existe pas."""
    try:
        return Format(nom)
    except ValueError:
        raise ValueError(format_inconnu(nom)) from None
