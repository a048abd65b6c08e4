"""Rapport GitLab Code Quality (`artifacts: reports: codequality:`).

Un tableau JSON d'objets `{description, check_name, fingerprint, severity, location: {path,
lines: {begin}}}`, un par constat (les mêmes que SARIF, voir `constats`). Gravités : faible ->
info, modéré -> minor, élevé -> major, critique -> critical, interdit -> blocker ; fichier
invalide -> major. L'empreinte est le sha256 du chemin et de l'identifiant du constat (risque,
règle, ou « invalide: » suivi du message) : elle ne change ni d'une exécution à l'autre, ni
quand des lignes sont ajoutées au fichier.

Un référentiel dont la vérification juridique est périmée à la date d'évaluation donne un
constat `iag/referentiel-perime` (info) situé sur la ligne `verifiee_le` de son `risques.yaml`.

Écrit au fil de l'eau : « [ » au premier résultat, chaque constat dès qu'il est connu, « ] » à la fin.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, TextIO

from . import Base, OptionsRapport
from .constats import INCOMPLET, INTERDIT, INVALIDE, Constat, avertissement_peremption, constats, constats_ignores, empreinte

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ResultatFichier

SEVERITES = {"faible": "info", "modéré": "minor", "élevé": "major", "critique": "critical", INTERDIT: "blocker", INVALIDE: "major", INCOMPLET: "major"}


def constat_gitlab(c: Constat) -> dict[str, Any]:
    return {
        "description": c.message,
        "check_name": c.regle,
        "fingerprint": c.empreinte,
        "severity": SEVERITES[c.gravite],
        "location": {"path": c.fichier, "lines": {"begin": c.ligne}},
    }


def peremption_gitlab(ref: "Referentiel", date: dt.date) -> dict[str, Any]:
    from pathlib import Path

    from ...moteur.referentiel import FICHIER_RISQUES

    chemin = str(Path(ref.dossier) / FICHIER_RISQUES)
    doc = ref.documents.get(FICHIER_RISQUES)
    pos = doc.position(("veille_juridique", "verifiee_le"), cle=True) if doc is not None else None
    return {
        "description": f"Référentiel périmé : {avertissement_peremption(ref, date)}",
        "check_name": "iag/referentiel-perime",
        "fingerprint": empreinte(chemin, "referentiel-perime"),
        "severity": "info",
        "location": {"path": chemin, "lines": {"begin": pos.ligne if pos else 1}},
    }


class Rapporteur(Base):
    def __init__(self, flux: TextIO, referentiel: "Referentiel", options: OptionsRapport):
        super().__init__(flux, referentiel, options)
        self.ouvert = False
        self.nombre = 0

    def _ouvrir(self) -> None:
        self.flux.write("[")
        self.ouvert = True
        if self.date is not None and self.ref.perime_le(self.date):
            self._ecrire(peremption_gitlab(self.ref, self.date))

    def _ecrire(self, constat: dict[str, Any]) -> None:
        self.flux.write(",\n  " if self.nombre else "\n  ")
        self.flux.write(json.dumps(constat, ensure_ascii=False))
        self.nombre += 1

    def resultat(self, r: "ResultatFichier") -> None:
        if not self.ouvert:
            self._ouvrir()
        for c in constats(r, self.ref):
            self._ecrire(constat_gitlab(c))

    def fin(self, bilan: "Bilan") -> None:
        if not self.ouvert:
            self._ouvrir()
        for c in constats_ignores(bilan):
            self._ecrire(constat_gitlab(c))
        self.flux.write("\n]\n" if self.nombre else "]\n")
        self.flux.flush()
