"""Plan en Markdown, pour un commentaire de merge request."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Optional, TextIO

if TYPE_CHECKING:
    from ...moteur.plan import Plan
    from ...moteur.referentiel import Referentiel

from ...moteur.plan import phrase_obstacle, texte_changement
from ..evaluation.markdown import echapper


def _niveau(ref: Referentiel, n: Optional[str]) -> str:
    return "ne s'applique plus" if n is None else echapper(ref.niveau_par_id[n].libelle)


def ecrire(flux: TextIO, plan: Plan, ref: Referentiel, fichier: str, date: Optional[dt.date]) -> None:
    lignes = [f"### Plan : {echapper(fichier)}", ""]
    cible = _niveau(ref, plan.cible)
    lignes.append(f"Verdict actuel : **{_niveau(ref, plan.verdict_initial)}** ; cible : **{cible}**"
                  + (f" (évalué au {date.isoformat()})" if date else "") + ".")
    lignes.append("")
    if plan.atteint and not plan.pas:
        lignes.append("Déjà au niveau cible ou en dessous : aucune étape nécessaire.")
    else:
        if not plan.atteint:
            lignes.append(f"**Cible hors d'atteinte.** Au mieux : **{_niveau(ref, plan.niveau_final)}**.")
            lignes.append("")
            for o in plan.obstacles:
                lignes.append(f"- {echapper(phrase_obstacle(o, ref))}")
            lignes.append("")
        if plan.pas:
            lignes += ["| # | étape | verdict après | risques baissés |", "| ---: | --- | --- | --- |"]
            for i, p in enumerate(plan.pas, 1):
                genre = "mesure" if p.genre == "mesure" else "levier"
                titre = f"{genre} {echapper(p.id)} : {echapper(p.titre)}"
                if p.changement:
                    titre += (f" (`{p.changement[0]}` : {echapper(texte_changement(p.changement[1]))} → "
                              f"{echapper(texte_changement(p.changement[2]))} ; coût : {echapper(p.cout)})")
                baisses = ", ".join(f"{echapper(b.risque)} → {_niveau(ref, b.apres)}" for b in p.baisses) or "—"
                lignes.append(f"| {i} | {titre} | {_niveau(ref, p.verdict)} | {baisses} |")
            lignes.append("")
            if plan.equivalents > 1:
                lignes.append(f"{plan.equivalents} plans équivalents de même taille ; celui-ci préfère les mesures aux leviers.")
                lignes.append("")
    if plan.borne:
        lignes += [f"> Borne de recherche atteinte : {echapper(plan.borne)}.", ""]
    flux.write("\n".join(lignes))
