"""Format JSON des commandes du référentiel (schémas : `schemas/comparaison.schema.json` pour
`comparer`) ; texte des fichiers nettoyé des caractères de contrôle, UTF-8 sans échappement."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Optional, TextIO

from ... import __version__
from ..evaluation.constats import nettoyer

if TYPE_CHECKING:
    from ...moteur.maintenance.comparaison import Comparaison
    from ...moteur.maintenance.verification import Constat
    from ...moteur.referentiel import Referentiel


FORMAT_COMPARAISON = "1.1"  # 1.1 : bilan.invalides, code_sortie 3  # structure décrite par schemas/comparaison.schema.json


def _propre(v: Any) -> Any:
    if isinstance(v, str):
        return nettoyer(v)
    if isinstance(v, dict):
        return {k: _propre(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_propre(x) for x in v]
    return v


def _ecrire(flux: TextIO, donnees: dict[str, Any]) -> None:
    flux.write(json.dumps(_propre(donnees), ensure_ascii=False, indent=2) + "\n")


def verification(flux: TextIO, constats: "list[Constat]", ref: "Optional[Referentiel]") -> None:
    erreurs = sum(1 for c in constats if c.gravite == "erreur")
    _ecrire(flux, {
        "outil": {"nom": "iag", "version": __version__},
        "referentiel": {"dossier": ref.dossier, "version": ref.version, "sha256": ref.empreinte} if ref is not None else None,
        "constats": [asdict(c) for c in constats],
        "bilan": {"erreurs": erreurs, "avertissements": len(constats) - erreurs},
    })


def _ref(ref: "Referentiel") -> dict[str, str]:
    return {"dossier": ref.dossier, "version": ref.version, "sha256": ref.empreinte}


def comparaison(flux: TextIO, comp: "Comparaison", ancien: "Referentiel", nouveau: "Referentiel", date: Optional[dt.date]) -> None:
    _ecrire(flux, {
        "format_version": FORMAT_COMPARAISON,
        "outil": {"nom": "iag", "version": __version__},
        "ancien": _ref(ancien),
        "nouveau": _ref(nouveau),
        "date_evaluation": date.isoformat() if date else None,
        "changements": [asdict(c) for c in comp.changements],
        "propositions": [asdict(p) for p in comp.propositions],
        "bilan": {"propositions": comp.total, "hausses": comp.hausses, "baisses": comp.baisses,
                  "illisibles": comp.illisibles, "invalides": comp.invalides, "code_sortie": comp.code_sortie()},
    })
