"""Rapport SARIF 2.1.0, pour les tableaux de bord d'analyse de code (GitHub code scanning, etc.).

Un seul `run`. Règles (`tool.driver.rules`) : les risques du référentiel, ses règles juridiques,
puis `iag/invalide` (fichier de cas d'usage invalide) et `iag/illisible` (chemin illisible).
Résultats : les constats décrits dans `constats` (risques au niveau de suggestion des mesures et
au-delà, interdictions et obligations — en note quand elles sont « à venir » à la date
d'évaluation —, mesures contredites, fautes de fichier), situés sur la clé du champ qui les
fait naître. Niveaux : interdit, critique, élevé -> error ; modéré -> warning ; faible -> note.
La date d'évaluation et la veille juridique du référentiel sont des propriétés du `run` ; un
référentiel périmé à cette date donne aussi une notification d'avertissement dans `invocations`.

Les règles sont connues d'avance : l'en-tête est écrit au premier résultat, puis chaque résultat
au fil de l'eau ; seule la fermeture attend `fin`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from ... import __version__
from . import Base, OptionsRapport
from .constats import (
    INCOMPLET,
    INTERDIT,
    INVALIDE,
    REGLE_A_COMPLETER,
    REGLE_AVIS,
    REGLE_AVIS_MANQUANT,
    REGLE_CLASSE,
    REGLE_CONTRADICTION,
    REGLE_CONTREDITE,
    REGLE_DESCRIPTION,
    REGLE_ILLISIBLE,
    REGLE_INVALIDE,
    REGLE_PREVUE,
    REGLE_SCHEMA,
    Constat,
    avertissement_peremption,
    constats,
    une_ligne,
)
from .json import classification_json, veille_json

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ResultatFichier

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
NIVEAUX_SARIF = {"faible": "note", "modéré": "warning", "élevé": "error", "critique": "error", INTERDIT: "error", INVALIDE: "error", INCOMPLET: "error"}
CLE_EMPREINTE = "iag/v1"


def uri(fichier: str) -> str:
    """Chemin tel que donné, en référence d'URI (relative si le chemin l'est)."""
    if os.path.isabs(fichier):
        return Path(fichier).as_uri()
    # « : » encodé : « c:x.yaml » ne doit pas passer pour un schéma d'URI.
    return quote(fichier.replace(os.sep, "/"), safe="/!$&'()*+,;=@-._~")


def regles_sarif(ref: "Referentiel") -> list[dict[str, Any]]:
    regles = []
    for x in ref.risques.values():
        regles.append({
            "id": x.id,
            "name": x.titre,
            "shortDescription": {"text": une_ligne(x.titre)},
            "fullDescription": {"text": une_ligne(x.description)},
            "properties": {"genre": "risque", "categorie": x.categorie, "tags": ["iag", "risque", x.categorie]},
        })
    for j in ref.regles.values():
        regles.append({
            "id": j.id,
            "name": j.titre,
            "shortDescription": {"text": une_ligne(f"{j.titre} ({j.texte})")},
            "fullDescription": {"text": une_ligne(j.consequence)},
            "properties": {
                "genre": "regle_juridique", "nature": j.nature, "texte": j.texte,
                "applicable_depuis": j.applicable_depuis.isoformat() if j.applicable_depuis else None,
                "applicable_jusqu_au": j.applicable_jusqu_au.isoformat() if j.applicable_jusqu_au else None,
                "tags": ["iag", "juridique", j.nature],
            },
        })
    regles += [
        _regle_fixe(REGLE_INVALIDE, "Cas d'usage invalide", "Le fichier de cas d'usage est invalide (syntaxe YAML ou schéma).",
                    "error", "fichier", []),
        _regle_fixe(REGLE_ILLISIBLE, "Fichier illisible", "Le chemin donné n'a pas pu être lu (absent, dossier, droits).",
                    "error", "fichier", []),
        _regle_fixe(REGLE_CONTREDITE, "Mesure déclarée mais démentie par les réponses",
                    "Une mesure déclarée en place est contredite par les réponses du cas : elle n'est pas créditée.",
                    "warning", "mesure", ["mesure"]),
        _regle_fixe(REGLE_SCHEMA, "Valeur dont le sens a été précisé",
                    "Le fichier est écrit pour une version antérieure du schéma et une réponse a changé de sens : "
                    "la relire, puis déclarer version_schema.",
                    "warning", "schema", ["schema"]),
        _regle_fixe(REGLE_CLASSE, "Classe de l'AI Act",
                    "La classe du cas selon l'AI Act (pratique prohibée, haut risque, transparence, risque minimal, ou à "
                    "examiner), ses bases et la date d'application de ses obligations ; distincte du niveau de risque.",
                    "note", "classe", ["juridique"]),
        _regle_fixe(REGLE_A_COMPLETER, "Question à compléter",
                    "Une question du cas est sans réponse (clé absente, vide ou « À compléter ») : le verdict est le pire "
                    "cas qu'elle permet et le cas est incomplet.", "error", "completude", ["completude"]),
        _regle_fixe(REGLE_CONTRADICTION, "Réponses contradictoires",
                    "Des réponses du cas ne peuvent être vraies ensemble : les réponses douteuses comptent comme non "
                    "répondues (pire cas) et le cas est incomplet.", "error", "completude", ["completude"]),
        _regle_fixe(REGLE_DESCRIPTION, "La description contredit les réponses",
                    "Le titre ou la description évoque une fonctionnalité, une décision ou des données que les réponses "
                    "ne déclarent pas : vérifier la réponse nommée.", "warning", "description", ["description"]),
        _regle_fixe(REGLE_PREVUE, "Mesure prévue",
                    "Une mesure inscrite dans mesures_prevues : son échéance, et le verdict une fois les mesures prévues "
                    "en place (avertissement si l'échéance est passée).",
                    "note", "mesure", ["mesure"]),
        _regle_fixe(REGLE_AVIS, "Avis signé du DPO ou du RSSI",
                    "Un avis signé (iag avis signer) et son état : valide, ou pourquoi il ne l'est pas (clé inconnue, "
                    "réponses ou verdict changés, expiré, défavorable).", "note", "avis", ["avis"]),
        _regle_fixe(REGLE_AVIS_MANQUANT, "Avis manquant",
                    "Un cas au seuil sans avis signé d'un des deux rôles (DPO, RSSI), ou un fichier des avis invalide.",
                    "warning", "avis", ["avis"]),
    ]
    return regles


def _regle_fixe(ident: str, nom: str, texte: str, niveau: str, genre: str, tags: list[str]) -> dict[str, Any]:
    """Règle propre à iag (pas au référentiel) : fichier fautif, mesure démentie ou prévue, schéma."""
    return {
        "id": ident,
        "name": nom,
        "shortDescription": {"text": texte},
        "defaultConfiguration": {"level": niveau},
        "properties": {"genre": genre, "tags": ["iag", *tags]},
    }


def resultat_sarif(c: Constat, index: dict[str, int]) -> dict[str, Any]:
    proprietes: dict[str, object] = {"gravite": c.gravite}
    if c.niveau is not None:
        proprietes["niveau"] = c.niveau
    if c.champ is not None:
        proprietes["champ"] = c.champ
    if c.incertain:
        proprietes["incertain"] = True
    if c.classification is not None:
        proprietes["classification_ai_act"] = classification_json(c.classification)
    return {
        "ruleId": c.regle,
        "ruleIndex": index[c.regle],
        "level": NIVEAUX_SARIF[c.gravite],
        "message": {"text": c.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(c.fichier)},
                "region": {"startLine": c.ligne, "startColumn": c.colonne},
            }
        }],
        "partialFingerprints": {CLE_EMPREINTE: c.empreinte},
        "properties": proprietes,
    }


class Rapporteur(Base):
    def __init__(self, flux: TextIO, referentiel: "Referentiel", options: OptionsRapport):
        super().__init__(flux, referentiel, options)
        self.ouvert = False
        self.nombre = 0
        self.index: dict[str, int] = {}

    def _ouvrir(self) -> None:
        self.ouvert = True
        regles = regles_sarif(self.ref)
        self.index = {r["id"]: i for i, r in enumerate(regles)}
        driver = {"name": "iag", "version": __version__, "semanticVersion": __version__, "rules": regles}
        proprietes = {"referentiel": {
            "dossier": str(self.ref.dossier),
            "version": self.ref.version,
            "sha256": {Path(n).name: s for n, s in self.ref.empreintes.items()},
            "veille_juridique": veille_json(self.ref, self.date),
        }, "date_evaluation": self.date.isoformat() if self.date else None}
        f = self.flux
        f.write('{\n  "$schema": ' + json.dumps(SCHEMA) + ',\n  "version": "2.1.0",\n  "runs": [\n    {\n')
        f.write('      "tool": {"driver": ')
        f.write(json.dumps(driver, ensure_ascii=False))
        f.write('},\n      "properties": ')
        f.write(json.dumps(proprietes, ensure_ascii=False))
        f.write(',\n      "results": [')

    def resultat(self, r: "ResultatFichier") -> None:
        if not self.ouvert:
            self._ouvrir()
        for c in constats(r, self.ref):
            self.flux.write(",\n        " if self.nombre else "\n        ")
            self.flux.write(json.dumps(resultat_sarif(c, self.index), ensure_ascii=False))
            self.nombre += 1

    def fin(self, bilan: "Bilan") -> None:
        if not self.ouvert:
            self._ouvrir()
        self.flux.write("\n      ],\n" if self.nombre else "],\n")
        self.flux.write('      "invocations": ')
        invocation: dict[str, object] = {"executionSuccessful": bilan.illisibles == 0, "exitCode": bilan.code_sortie()}
        notifications: list[dict[str, object]] = [{
            "level": "note",
            "descriptor": {"id": "iag/ignore"},
            "message": {"text": f"{chemin} : ignoré, {raison}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(chemin)}}}],
        } for chemin, raison in bilan.ignores]
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        if self.date is not None and self.ref.perime_le(self.date):
            invocation["toolExecutionNotifications"] = notifications + [{
                "level": "warning",
                "descriptor": {"id": "iag/referentiel-perime"},
                "message": {"text": avertissement_peremption(self.ref, self.date)},
            }]
        self.flux.write(json.dumps([invocation], ensure_ascii=False))
        self.flux.write("\n    }\n  ]\n}\n")
        self.flux.flush()
