"""Rapport JSON, structure stable décrite par `schemas/rapport.schema.json`.

Structure (format_version « 1.2 ») ::

    {
      "format_version": "1.2",
      "outil": {"nom": "iag", "version": "0.1.0"},
      "referentiel": {"dossier": "...", "version": "...", "sha256": {"risques.yaml": "…", "recommandations.yaml": "…"},
                      "veille_juridique": {"verifiee_le", "base", "peremption_mois", "valable_jusqu_au", "perimee"}},
      "date_evaluation": "2026-11-30" | null,
      "avertissements": ["…"],
      "seuil": "élevé" | null,
      "cas": [ <un objet par fichier, dans l'ordre de lecture> ],
      "bilan": {"total": 3, "par_verdict": {"faible": 1, "élevé": 1}, "invalides": 1, "illisibles": 0,
                "au_dessus_du_seuil": 1, "valides_par_avis": 0, "code_sortie": 1}
    }

Un fichier invalide ou illisible : `{"fichier", "valide": false, "illisible", "diagnostics": [{"fichier",
"ligne", "colonne", "message"}]}` (ligne et colonne peuvent être null).

Un cas évalué : `{"fichier", "valide": true, "illisible": false, "titre", "service", "statut", "verdict",
"motif", "au_dessus_du_seuil" (null sans seuil), "risques", "regles", "mesures_suggerees",
"recommandations", "reponses_inconnues", "mesures_contredites", "mesures_prevues", "verdict_apres_prevues",
"classification_ai_act"}` où
- `classification_ai_act` : la classe de l'AI Act, distincte du verdict (niveau de risque) : `{"classe"
  (interdit, haut_risque, transparence, minimal, à_examiner : identifiants du référentiel), "libelle",
  "bases": [{"regle", "base", "texte"}], "applicable_depuis", "statut" (applicable, à_venir ou null),
  "classe_au_moins", "classes_possibles", "reponses_a_examiner"}` ; `à_examiner` quand des réponses
  « inconnu » (`reponses_a_examiner`) laissent ouverte une classe plus haute que `classe_au_moins` ;
  null si le référentiel ne déclare pas de classes ;
- chaque mesure prévue : `{"id", "echeance", "responsable", "en_retard", "ligne", "colonne"}` ;
  `verdict_apres_prevues` : verdict une fois les mesures prévues en place (null si aucune) ;
- chaque risque : `{"id", "titre", "categorie", "initial": {"probabilite", "gravite", "niveau"},
  "residuel": {...}, "incertain", "mesures_appliquees": [id], "champs_determinants": [{"champ",
  "ligne", "colonne"}], "trace": [{"genre", "texte", "probabilite", "gravite", "champs": [{"champ",
  "reponse"}], "incertain", "mesure"}]}`, du plus grave au moins grave (genres de trace : base,
  applicabilite, ponderation, bornage, mesure, mesure_contredite, plafond_credit, plancher) ;
- chaque règle juridique déclenchée : `{"id", "nature", "titre", "texte", "consequence",
  "niveau_minimum", "incertaine", "champs": [{"champ", "reponse", "ligne", "colonne"}],
  "statut", "applicable_depuis", "applicable_jusqu_au", "avant_revue"}` ; `statut` vaut
  « applicable », « à_venir » (sans effet sur le verdict), « échue » (sans effet) à la date
  d'évaluation, ou « sans_objet » (obligation d'une classe moins haute qu'une pratique prohibée en vigueur) ; `avant_revue` : à venir, et applicable au plus tard à la prochaine revue du cas ;
- chaque mesure contredite : `{"id", "raison", "incertaine", "champs": [{"champ", "reponse",
  "ligne", "colonne"}]}` (déclarée en place, non créditée) ;
- mesures suggérées, recommandations : listes d'identifiants du référentiel ;
- réponses inconnues : chemins pointés des champs (`donnees.volume`) ;
- `incomplet` ; `a_completer` : chaque question sans réponse `{"champ", "titre", "question", "ligne",
  "colonne", "presente", "ou"}` (clé absente : position où l'ajouter, et `ou` le dit) ;
  `contradictions` : `{"id", "message", "champs", "douteuses": [{"champ", "ligne", "colonne"}]}` ;
- `validation` : avis signés du DPO et du RSSI (`moteur.avis`) : `{"accordee", "porte_levee", "verifiable",
  "fichier", "roles_manquants", "erreurs", "avis": [{"role", "identite", "decision", "reserves", "date",
  "jusqu_au", "verdict", "signature", "valide", "etat", "codes", "motifs", "reponses_changees"}]}`, null
  pour un cas sans avis (sauf au seuil avec --signataires) ; le bilan compte `valides_par_avis`.

Les niveaux sont des identifiants du référentiel (`verdict`, `niveau`), jamais des libellés.
Les lignes et colonnes commencent à 1 et désignent la clé du champ dans le fichier (null si le
champ n'est pas écrit dans le fichier).

Version 1.1 (par rapport à 1.0, seulement des clés ajoutées) : `date_evaluation`,
`avertissements`, `referentiel.veille_juridique`, `statut`, `applicable_depuis`,
`applicable_jusqu_au`, `avant_revue` des règles, `mesures_contredites`, `version_schema` et `notes_schema` des cas, trois genres
d'étapes de trace.

Version 1.2 (par rapport à 1.1, seulement des clés ajoutées, et la valeur 3 de `code_sortie`) :
`classification_ai_act`, `validation`, `incomplet`, `a_completer`, `contradictions` des cas ; statut
« sans_objet » des règles ; `incomplets` et `valides_par_avis` du bilan ; `code_sortie` 3 (fichier de cas invalide).

Stabilité : dans une même version majeure, on ne fait qu'ajouter des clés (version mineure
suivante) ; un consommateur doit ignorer les clés qu'il ne connaît pas.

Écriture au fil de l'eau : l'en-tête est écrit au premier résultat, chaque cas dès qu'il arrive
(un cas par ligne), le bilan et la fermeture dans `fin`. Rien n'est gardé en mémoire.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TextIO

from ... import __version__
from ...modeles.cas_usage import notes_schema
from ...moteur.completude import situer_tout
from . import Base, OptionsRapport
from .constats import avertissement_peremption, chemin_champ, une_ligne

if TYPE_CHECKING:
    from ...es.chargeur import Document
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ClassificationAIAct, Cotation, ResultatFichier

FORMAT_VERSION = "1.2"  # 1.2 : classification_ai_act, validation (avis signés), complétude, code_sortie 3


class Rapporteur(Base):
    def __init__(self, flux: TextIO, referentiel: "Referentiel", options: OptionsRapport):
        super().__init__(flux, referentiel, options)
        self.ouvert = False
        self.nombre = 0

    def _ouvrir(self) -> None:
        self.ouvert = True
        entete = {
            "format_version": FORMAT_VERSION,
            "outil": {"nom": "iag", "version": __version__},
            "referentiel": referentiel_json(self.ref, self.date),
            "date_evaluation": self.date.isoformat() if self.date else None,
            "avertissements": avertissements(self.ref, self.date),
            "seuil": self.seuil,
        }
        self.flux.write("{\n")
        for cle, valeur in entete.items():
            self.flux.write(f"  {json.dumps(cle)}: ")
            self.flux.write(json.dumps(valeur, ensure_ascii=False))
            self.flux.write(",\n")
        self.flux.write('  "cas": [')

    def resultat(self, r: "ResultatFichier") -> None:
        if not self.ouvert:
            self._ouvrir()
        self.flux.write(",\n    " if self.nombre else "\n    ")
        self.flux.write(json.dumps(cas_json(r, self.ref, self.seuil), ensure_ascii=False))
        self.nombre += 1

    def fin(self, bilan: "Bilan") -> None:
        if not self.ouvert:
            self._ouvrir()
        self.flux.write("\n  ],\n" if self.nombre else "],\n")
        self.flux.write('  "bilan": ')
        self.flux.write(json.dumps(bilan_json(bilan, self.ref), ensure_ascii=False))
        self.flux.write("\n}\n")
        self.flux.flush()


# --- conversion en données JSON (réutilisables par d'autres formats) ----------------------


def referentiel_json(ref: "Referentiel", date: Optional[dt.date] = None) -> dict[str, Any]:
    return {
        "dossier": str(ref.dossier),
        "version": ref.version,
        "sha256": {Path(nom).name: somme for nom, somme in ref.empreintes.items()},
        "veille_juridique": veille_json(ref, date),
    }


def veille_json(ref: "Referentiel", date: Optional[dt.date]) -> dict[str, Any]:
    """Veille juridique du référentiel et, à la date d'évaluation, si elle est périmée."""
    v = ref.veille
    return {
        "verifiee_le": v.verifiee_le.isoformat(),
        "base": une_ligne(v.base),
        "peremption_mois": v.peremption_mois,
        "valable_jusqu_au": ref.peremption().isoformat(),
        "perimee": ref.perime_le(date) if date is not None else None,
    }


def avertissements(ref: "Referentiel", date: Optional[dt.date]) -> list[str]:
    """Notes pour l'ensemble du rapport (aujourd'hui : référentiel périmé à la date d'évaluation)."""
    if date is not None and ref.perime_le(date):
        return [f"référentiel périmé : {avertissement_peremption(ref, date)}"]
    return []


def _iso(d: Optional[dt.date]) -> Optional[str]:
    return d.isoformat() if d is not None else None


def bilan_json(bilan: "Bilan", ref: "Referentiel") -> dict[str, Any]:
    ordre = sorted(bilan.par_verdict, key=lambda n: (ref.rang.get(n, -1), n))
    return {
        "total": bilan.total,
        "par_verdict": {n: bilan.par_verdict[n] for n in ordre},
        "invalides": bilan.invalides,
        "illisibles": bilan.illisibles,
        "incomplets": bilan.incomplets,
        "alertes_description": bilan.alertes_texte,
        "ignores": [{"chemin": c, "raison": raison} for c, raison in bilan.ignores],
        "au_dessus_du_seuil": bilan.au_dessus_du_seuil,
        "valides_par_avis": bilan.valides_par_avis,
        "code_sortie": bilan.code_sortie(),
    }


def _cotation(c: "Cotation") -> dict[str, Any]:
    return {"probabilite": c.probabilite, "gravite": c.gravite, "niveau": c.niveau}


def _position(document: Optional["Document"], champ: str) -> dict[str, Optional[int]]:
    pos = document.position(chemin_champ(champ), cle=True) if document is not None else None
    return {"ligne": pos.ligne if pos else None, "colonne": pos.colonne if pos else None}


def _position_chemin(document: Optional["Document"], chemin: tuple[str | int, ...]) -> dict[str, Optional[int]]:
    pos = document.position(chemin) if document is not None else None
    return {"ligne": pos.ligne if pos else None, "colonne": pos.colonne if pos else None}


def _reponse(valeur: object) -> Optional[str | list[str]]:
    if valeur is None or isinstance(valeur, str):
        return valeur
    if isinstance(valeur, (list, tuple)):
        return [str(v) for v in valeur]
    return str(valeur)


def cas_json(r: "ResultatFichier", ref: "Referentiel", seuil: Optional[str] = None) -> dict[str, Any]:
    if r.evaluation is None:
        return {
            "fichier": r.fichier,
            "valide": False,
            "illisible": r.illisible,
            "diagnostics": [
                {"fichier": d.fichier, "ligne": d.ligne, "colonne": d.colonne, "message": d.message} for d in r.diagnostics
            ],
        }
    ev, cas, doc = r.evaluation, r.cas, r.document
    assert cas is not None  # un cas évalué a toujours son modèle
    return {
        "fichier": r.fichier,
        "valide": True,
        "illisible": False,
        "titre": cas.titre,
        "service": cas.service,
        "statut": str(cas.statut),
        "verdict": ev.verdict,
        "motif": ev.motif,
        "au_dessus_du_seuil": r.au_seuil,
        "risques": [
            {
                "id": e.id,
                "titre": ref.risques[e.id].titre,
                "categorie": ref.risques[e.id].categorie,
                "initial": _cotation(e.initial),
                "residuel": _cotation(e.residuel),
                "incertain": e.incertain,
                "mesures_appliquees": list(e.mesures_appliquees),
                "champs_determinants": [{"champ": c, **_position(doc, c)} for c in e.champs_determinants],
                "trace": [
                    {
                        "genre": t.genre,
                        "texte": t.texte,
                        "probabilite": t.probabilite,
                        "gravite": t.gravite,
                        "champs": [{"champ": c, "reponse": _reponse(v)} for c, v in t.champs],
                        "incertain": t.incertain,
                        "mesure": t.mesure,
                    }
                    for t in e.trace
                ],
            }
            for e in ev.risques
        ],
        "regles": [
            {
                "id": d.id,
                "nature": d.nature,
                "titre": ref.regles[d.id].titre,
                "texte": ref.regles[d.id].texte,
                "consequence": ref.regles[d.id].consequence,
                "niveau_minimum": ref.regles[d.id].niveau_minimum,
                "incertaine": d.incertaine,
                "champs": [{"champ": c, "reponse": _reponse(v), **_position(doc, c)} for c, v in d.champs],
                "statut": d.statut,
                "applicable_depuis": _iso(d.applicable_depuis),
                "applicable_jusqu_au": _iso(d.applicable_jusqu_au),
                "avant_revue": d.avant_revue,
            }
            for d in ev.regles
        ],
        "mesures_suggerees": list(ev.mesures_suggerees),
        "recommandations": list(ev.recommandations),
        "reponses_inconnues": list(ev.reponses_inconnues),
        "incomplet": ev.incomplet,
        "a_completer": [
            {"champ": q.champ, "titre": q.titre, "question": q.question, "ligne": q.ligne, "colonne": q.colonne,
             "presente": q.presente, "ou": q.ou}
            for q in situer_tout(ev.a_completer, doc)
        ],
        "alertes_description": [
            {"champ": a.champ, "valeur": a.valeur, "mots": list(a.mots), **_position(doc, a.champ)} for a in ev.alertes_texte
        ],
        "contradictions": [
            {"id": x.id, "message": x.message, "champs": list(x.champs),
             "douteuses": [{"champ": c, **_position(doc, c)} for c in x.douteuses]}
            for x in ev.contradictions
        ],
        "version_schema": cas.version_schema,
        "notes_schema": [
            {"champ": n.champ, "valeur": n.valeur, "message": n.message, **_position(doc, n.champ)}
            for n in notes_schema(cas)
        ],
        "mesures_contredites": [
            {
                "id": m.id,
                "raison": m.raison,
                "incertaine": m.incertaine,
                "champs": [{"champ": c, "reponse": _reponse(v), **_position(doc, c)} for c, v in m.champs],
            }
            for m in ev.mesures_contredites
        ],
        "mesures_prevues": [
            {"id": m.id, "echeance": m.echeance.isoformat(), "responsable": m.responsable,
             "en_retard": m.id in ev.prevues_en_retard, **_position_chemin(doc, ("mesures_prevues", i, "id"))}
            for i, m in enumerate(cas.mesures_prevues)
        ],
        "verdict_apres_prevues": ev.verdict_apres_prevues,
        "classification_ai_act": classification_json(ev.classification),
        "validation": validation_json(r),
    }


def validation_json(r: "ResultatFichier") -> Optional[dict[str, Any]]:
    """Les avis signés du DPO et du RSSI (null : cas sous le seuil sans avis, ou sans seuil ni avis)."""
    v = r.validation
    if v is None:
        return None
    return {
        "accordee": v.accordee,
        "porte_levee": r.valide_par_avis,
        "verifiable": v.verifiable,
        "fichier": v.fichier,
        "roles_manquants": list(v.roles_manquants),
        "erreurs": list(v.erreurs),
        "avis": [
            {"role": a.role, "identite": a.identite, "decision": a.decision, "reserves": list(a.reserves),
             "date": a.date.isoformat(), "jusqu_au": a.jusqu_au.isoformat(), "verdict": a.verdict,
             "signature": a.signature, "valide": a.valide, "etat": a.etat, "codes": list(a.codes),
             "motifs": list(a.motifs),
             "reponses_changees": [{"champ": c, "ligne": ligne} for c, ligne in a.reponses_changees]}
            for a in v.avis
        ],
    }


def classification_json(c: Optional["ClassificationAIAct"]) -> Optional[dict[str, Any]]:
    """La classe de l'AI Act d'un cas (null : référentiel sans classes), lue telle que le moteur l'a décidée."""
    if c is None:
        return None
    return {
        "classe": c.classe,
        "libelle": c.libelle,
        "bases": [{"regle": b.regle, "base": b.base, "texte": b.texte} for b in c.bases],
        "applicable_depuis": _iso(c.applicable_depuis),
        "statut": c.statut,
        "classe_au_moins": c.classe_au_moins,
        "classes_possibles": list(c.classes_possibles),
        "reponses_a_examiner": list(c.reponses_a_examiner),
    }
