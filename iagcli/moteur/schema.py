"""Schéma JSON des cas d'usage, dérivé du modèle pydantic (une seule source de vérité)."""

from __future__ import annotations

import json
from typing import Any

from ..modeles.cas_usage import CasUsage
from .champs import champs

ID_SCHEMA = "https://iag.invalid/schemas/cas-usage.schema.json"


def _decrire_valeurs(schema: dict[str, Any]) -> None:
    """Ajoute à chaque énumération la définition de ses valeurs.

    `enumDescriptions` (liste parallèle à `enum`, lue par les éditeurs) et la même liste dans la
    `description`, pour les outils qui ne lisent que celle-ci.
    """
    par_nom = {c.enum.__name__: c.enum for c in champs().values()}
    for nom, definition in schema.get("$defs", {}).items():
        enum = par_nom.get(nom)
        if enum is None or "enum" not in definition:
            continue
        textes = enum.descriptions()
        if not textes:
            continue
        definition["enumDescriptions"] = [textes[v] for v in definition["enum"]]
        definition["description"] = " ; ".join(f"« {v} » : {textes[v]}" for v in definition["enum"]) + "."
        retirees = enum.retirees()
        if retirees:
            definition["description"] += " Valeurs retirées : " + " ; ".join(
                f"« {v} » ({consigne})" for v, consigne in retirees.items()
            ) + "."


def schema_cas_usage() -> dict[str, Any]:
    schema = CasUsage.model_json_schema()
    _decrire_valeurs(schema)
    # yaml-language-server applique la sémantique draft-07 ; les $defs et enums de pydantic y passent.
    return {"$schema": "http://json-schema.org/draft-07/schema#", "$id": ID_SCHEMA, **schema}


def schema_cas_usage_json() -> str:
    return json.dumps(schema_cas_usage(), ensure_ascii=False, indent=2) + "\n"
