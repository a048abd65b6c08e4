"""Format SARIF 2.1.0 de `iag referentiel verifier`, aux conventions de `rendus/evaluation/sarif.py` (même
schéma, mêmes URI de fichiers, empreinte partielle `iag/v1`) : une règle SARIF par contrôle."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, TextIO

from ... import __version__
from ..evaluation.constats import une_ligne
from ..evaluation.sarif import CLE_EMPREINTE, SCHEMA, uri

if TYPE_CHECKING:
    from ...moteur.maintenance.verification import Constat, Controle

NIVEAUX = {"erreur": "error", "avertissement": "warning"}


def verification(flux: TextIO, constats: "list[Constat]", controles: "list[tuple[str, str, Controle]]") -> None:
    regles: list[dict[str, Any]] = [{"id": "iag-ref/chargement", "name": "Référentiel invalide",
               "shortDescription": {"text": "Faute relevée au chargement (schéma, références, grille, dates, recouvrements)."},
               "defaultConfiguration": {"level": "error"}}]
    regles += [{"id": ident, "name": ident.split("/")[-1], "shortDescription": {"text": description},
                "defaultConfiguration": {"level": "warning"}} for ident, description, _ in controles]
    index = {r["id"]: i for i, r in enumerate(regles)}
    resultats: list[dict[str, Any]] = []
    for c in constats:
        message = une_ligne(c.message)
        empreinte = hashlib.sha256(f"{c.regle}\0{c.fichier}\0{message}".encode("utf-8", "surrogateescape")).hexdigest()[:32]
        region = {"startLine": c.ligne, "startColumn": c.colonne} if c.ligne is not None else {}
        resultats.append({
            "ruleId": c.regle, "ruleIndex": index[c.regle], "level": NIVEAUX[c.gravite],
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(c.fichier)}, **({"region": region} if region else {})}}],
            "partialFingerprints": {CLE_EMPREINTE: empreinte},
        })
    sarif = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "iag", "version": __version__, "semanticVersion": __version__, "rules": regles}},
        "results": resultats,
    }]}
    flux.write(json.dumps(sarif, ensure_ascii=False, indent=2) + "\n")
