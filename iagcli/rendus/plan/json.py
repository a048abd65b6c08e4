"""Plan au format JSON (schemas/plan.schema.json) : identifiants stables, jamais mis en forme."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Optional, TextIO

if TYPE_CHECKING:
    from ...moteur.plan import Plan
    from ...moteur.referentiel import Referentiel

import json

from . import VERSION_FORMAT


def plan_json(plan: Plan, ref: Referentiel, fichier: str, date: Optional[dt.date]) -> dict[str, Any]:
    return {
        "version_format": VERSION_FORMAT,
        "fichier": fichier,
        "date_evaluation": date.isoformat() if date else None,
        "referentiel": {"version": ref.version, "sha256": ref.empreinte},
        "cible": plan.cible,
        "verdict_initial": plan.verdict_initial,
        "atteint": plan.atteint,
        "niveau_final": plan.niveau_final,
        "plans_equivalents": plan.equivalents,
        "borne_atteinte": plan.borne,
        "evaluations": plan.evaluations,
        "etapes": [
            {
                "genre": p.genre,
                "id": p.id,
                "titre": p.titre,
                "cout": p.cout,
                "changement": None if p.changement is None else dict(zip(("champ", "avant", "apres"), p.changement, strict=True)),
                "verdict_apres": p.verdict,
                "risques_baisses": [{"risque": b.risque, "avant": b.avant, "apres": b.apres} for b in p.baisses],
            }
            for p in plan.pas
        ],
        "obstacles": [{"genre": o.genre, "id": o.id, "niveau": o.niveau, "detail": o.detail} for o in plan.obstacles],
    }


def ecrire(flux: TextIO, plan: Plan, ref: Referentiel, fichier: str, date: Optional[dt.date]) -> None:
    flux.write(json.dumps(plan_json(plan, ref, fichier, date), ensure_ascii=False, indent=2) + "\n")
