"""Rapport GitLab Code Quality (`artifacts: reports: codequality:`).

Un tableau JSON d'objets `{description, check_name, fingerprint, severity, location: {path,
lines: {begin}}}`, un par constat (les mêmes que SARIF, voir `constats`). Gravités : faible ->
info, modéré -> minor, élevé -> major, critique -> critical, interdit -> blocker ; fichier
invalide -> major. L'empreinte est le sha256 du chemin et de l'identifiant du constat (risque,
règle, ou « invalide: » suivi du message) : elle ne change ni d'une exécution à l'autre, ni
quand des lignes sont ajoutées au fichier.

Écrit au fil de l'eau : « [ » au premier résultat, chaque constat dès qu'il est connu, « ] » à la fin.
"""

from __future__ import annotations

import json

from . import Base
from .constats import INTERDIT, INVALIDE, constats

SEVERITES = {"faible": "info", "modéré": "minor", "élevé": "major", "critique": "critical", INTERDIT: "blocker", INVALIDE: "major"}


def constat_gitlab(c) -> dict:
    return {
        "description": c.message,
        "check_name": c.regle,
        "fingerprint": c.empreinte,
        "severity": SEVERITES[c.gravite],
        "location": {"path": c.fichier, "lines": {"begin": c.ligne}},
    }


class Rapporteur(Base):
    def __init__(self, flux, referentiel, **options):
        super().__init__(flux, referentiel, **options)
        self.ouvert = False
        self.nombre = 0

    def resultat(self, r) -> None:
        if not self.ouvert:
            self.flux.write("[")
            self.ouvert = True
        for c in constats(r, self.ref):
            self.flux.write(",\n  " if self.nombre else "\n  ")
            self.flux.write(json.dumps(constat_gitlab(c), ensure_ascii=False))
            self.nombre += 1

    def fin(self, bilan) -> None:
        if not self.ouvert:
            self.flux.write("[")
        self.flux.write("\n]\n" if self.nombre else "]\n")
        self.flux.flush()
