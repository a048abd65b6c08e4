"""Schéma JSON des cas d'usage, dérivé du modèle pydantic (une seule source de vérité)."""

from __future__ import annotations

import json

from .modeles.cas_usage import CasUsage

ID_SCHEMA = "https://iag.invalid/schemas/cas-usage.schema.json"


def schema_cas_usage() -> dict:
    schema = CasUsage.model_json_schema()
    # yaml-language-server applique la sémantique draft-07 ; les $defs et enums de pydantic y passent.
    return {"$schema": "http://json-schema.org/draft-07/schema#", "$id": ID_SCHEMA, **schema}


def schema_cas_usage_json() -> str:
    return json.dumps(schema_cas_usage(), ensure_ascii=False, indent=2) + "\n"
