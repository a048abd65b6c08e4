"""Rapports d'un plan (`iag plan`) : un module par format (texte, json, markdown), chacun avec
`ecrire(flux, plan, ref, fichier, date)`. Le JSON est décrit par `schemas/plan.schema.json`."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import TYPE_CHECKING, Optional, TextIO

from ...modeles.types import nombre

if TYPE_CHECKING:
    from ...moteur.plan import Plan
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import ResultatFichier

FORMATS_PLAN = ("texte", "json", "markdown")
VERSION_FORMAT = 1


def ecrire(format: str, flux: TextIO, plan: Plan, ref: Referentiel, fichier: str, date: Optional[dt.date]) -> None:
    importlib.import_module(f"{__name__}.{format}").ecrire(flux, plan, ref, fichier, date)


def resume(plan: Plan, ref: Referentiel) -> str:
    """Le plan en une ligne (fin du rapport d'`iag evaluer`)."""
    from ...moteur.plan import phrase_obstacle

    cible = ref.niveau_par_id[plan.cible].libelle
    if not plan.pas and plan.atteint:
        return f"déjà au niveau « {cible} » ou en dessous"
    etapes = ", ".join(p.id for p in plan.pas)
    final = ref.niveau_par_id[plan.niveau_final].libelle
    if plan.atteint:
        texte = f"plan le plus court vers « {cible} » : {nombre(len(plan.pas), 'étape')} : {etapes} (iag plan)"
    else:
        raisons = "; ".join(phrase_obstacle(o, ref) for o in plan.obstacles[:3])
        if len(plan.obstacles) > 3:
            raisons += f" ; et {nombre(len(plan.obstacles) - 3, 'autre')}"
        texte = f"« {cible} » hors d'atteinte : {raisons or plan.borne or 'aucun plan'}"
        if plan.pas:
            texte += f" ; au mieux « {final} » en {nombre(len(plan.pas), 'étape')} : {etapes}"
    if plan.borne:
        texte += f" ({plan.borne})"
    return texte


def lignes_evaluation(r: ResultatFichier, ref: Referentiel, seuil: Optional[str], calculer: bool = True) -> list[str]:
    """Lignes ajoutées au rapport d'`iag evaluer` (texte et Markdown) : mesures prévues (verdict
    après, échéances passées), puis le plan le plus court sous le seuil ou pourquoi il n'y en a pas.
    `calculer=False` (lot résumé en texte) : un renvoi à `iag plan` au lieu du plan, dont la
    recherche coûte une vingtaine d'évaluations par cas (10 fois le rendu d'un cas)."""
    ev, cas = r.evaluation, r.cas
    assert ev is not None and cas is not None  # appelé pour un cas évalué
    lignes = []
    if ev.verdict_apres_prevues is not None:
        lignes.append(f"Après les mesures prévues ({', '.join(m.id for m in cas.mesures_prevues)}) : "
                      f"« {ref.niveau_par_id[ev.verdict_apres_prevues].libelle} »")
    if ev.prevues_en_retard:
        echeances = {m.id: m.echeance for m in cas.mesures_prevues}
        lignes.append("Mesures prévues en retard : " + ", ".join(f"{m} (échéance {echeances[m].isoformat()})" for m in ev.prevues_en_retard))
    if not r.au_seuil:  # « au seuil » décidé une fois, par le contrôleur ; sinon, rien à planifier
        return lignes
    from ...moteur.plan import cible_par_defaut, planifier  # importé seulement s'il y a un plan à chercher

    cible = cible_par_defaut(ref, seuil)
    if cible is not None:
        if calculer:
            lignes.append("Sous le seuil : " + resume(planifier(cas, ref, cible, ev.date), ref))
        else:
            lignes.append(f"Sous le seuil : le plan le plus court par iag plan {r.fichier}")
    return lignes
