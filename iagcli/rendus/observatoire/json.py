"""Synthèse et registre en JSON (UTF-8), structures décrites par `schemas/synthese.schema.json` et
`schemas/registre.schema.json`. Les niveaux sont des identifiants du référentiel ; les textes d'un
cas sont nettoyés de leurs caractères de contrôle (comme dans le rapport JSON d'`evaluer`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

from ... import __version__
from ...moteur.observatoire import COLONNES
from ..evaluation.constats import nettoyer
from . import FORMAT_VERSION_REGISTRE, FORMAT_VERSION_SYNTHESE

if TYPE_CHECKING:
    from ...moteur.observatoire import CasSignale, CollecteurRegistre, Invalide, Synthese
    from ...moteur.referentiel import Referentiel


def _entete(ref: "Referentiel", date: dt.date, version: str) -> dict[str, Any]:
    return {
        "format_version": version,
        "outil": {"nom": "iag", "version": __version__},
        "referentiel": {"version": ref.version, "sha256": ref.empreinte},
        "date_evaluation": date.isoformat(),
    }


def _invalides(invalides: "Iterable[Invalide]") -> list[dict[str, Any]]:
    return [{"fichier": i.fichier, "illisible": i.illisible, "messages": [nettoyer(m) for m in i.messages]} for i in invalides]


def _cas(c: "CasSignale") -> dict[str, Any]:
    return {"fichier": c.fichier, "titre": nettoyer(c.titre), "service": nettoyer(c.service), "verdict": c.verdict}


def _carte(ref: "Referentiel", carte: dict[tuple[int, int], int]) -> list[dict[str, Any]]:
    return [{"probabilite": p, "gravite": g, "niveau": ref.grille[(p, g)], "risques": carte.get((p, g), 0)}
            for p in range(ref.p_max, 0, -1) for g in range(1, ref.g_max + 1)]


def donnees_synthese(s: "Synthese", ref: "Referentiel") -> dict[str, Any]:
    return {
        **_entete(ref, s.date, FORMAT_VERSION_SYNTHESE),
        "horizon_mois": s.horizon_mois,
        "fin_horizon": s.fin_horizon.isoformat(),
        "seuil": s.seuil,
        "total": s.total,
        "evalues": s.evalues,
        "invalides": _invalides(s.invalides),
        "par_verdict_statut": s.par_verdict_statut,
        "par_service": {nettoyer(k): v for k, v in s.par_service.items()},
        "par_classe_ai_act": [{"classe": c, "libelle": libelle, "cas": n} for c, libelle, n in s.par_classe],
        "risques_au_seuil": [{"id": i, "titre": ref.risques[i].titre, "cas": n} for i, n in s.risques_au_seuil],
        "carte": {"inherente": _carte(ref, s.carte_inherente), "residuelle": _carte(ref, s.carte_residuelle)},
        "mesures_suggerees": [{"id": i, "titre": ref.mesures[i].titre, "cas": n} for i, n in s.mesures_suggerees],
        "demarches": [{"id": d.id, "libelle": d.libelle, "applicables": d.applicables, "a_venir": d.a_venir, "total": d.total}
                      for d in s.demarches],
        "revues_en_retard": [{**_cas(r.cas), "prochaine_revue": r.prochaine_revue.isoformat(), "jours_de_retard": r.jours_de_retard}
                             for r in s.revues_en_retard],
        "mesures_prevues_en_retard": [{**_cas(m.cas), "mesure": {"id": m.mesure, "titre": m.titre},
                                       "echeance": m.echeance.isoformat(),
                                       "responsable": nettoyer(m.responsable) if m.responsable is not None else None,
                                       "jours_de_retard": m.jours_de_retard} for m in s.mesures_en_retard],
        "echeances": [{"date": e.date.isoformat(), "regle": e.regle, "titre": ref.regles[e.regle].titre,
                       "cas": [_cas(c) for c in e.cas]} for e in s.echeances],
    }


def synthese(s: "Synthese", ref: "Referentiel", flux: TextIO) -> None:
    json.dump(donnees_synthese(s, ref), flux, ensure_ascii=False, indent=2)
    flux.write("\n")


def registre(c: "CollecteurRegistre", ref: "Referentiel", flux: TextIO) -> None:
    donnees = {
        **_entete(ref, c.date, FORMAT_VERSION_REGISTRE),
        "colonnes": [{"cle": col.cle, "titre": col.titre, "definition": col.definition, "etalab": col.etalab or None}
                     for col in COLONNES],
        "usages": [{k: nettoyer(v) for k, v in ligne.items()} for ligne in c.lignes],
        "invalides": _invalides(c.invalides),
    }
    json.dump(donnees, flux, ensure_ascii=False, indent=2)
    flux.write("\n")
