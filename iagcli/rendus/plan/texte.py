"""Plan lisible dans un terminal (Rich) : le verdict après chaque étape et les risques qu'elle baisse."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Optional, TextIO

if TYPE_CHECKING:
    from ...moteur.plan import Plan
    from ...moteur.referentiel import Referentiel

from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ...echappement import echapper
from ...es.terminal import console
from ...moteur.plan import phrase_obstacle, texte_changement


def _niveau(ref: Referentiel, n: Optional[str]) -> Text:
    if n is None:
        return Text("ne s'applique plus", style="dim")
    try:
        style = Style.parse(ref.niveau_par_id[n].couleur)
    except StyleSyntaxError:  # couleur non reconnue par Rich : sans couleur
        style = Style()
    return Text(ref.niveau_par_id[n].libelle, style=style)


def ecrire(flux: TextIO, plan: Plan, ref: Referentiel, fichier: str, date: Optional[dt.date]) -> None:
    c = console(flux)
    entete = Text(f"Plan : {echapper(fichier)}\n", style="bold")
    entete.append("Verdict actuel : ").append_text(_niveau(ref, plan.verdict_initial))
    entete.append(" ; cible : ").append_text(_niveau(ref, plan.cible))
    if date:
        entete.append(f" (au {date.isoformat()})")
    c.print(entete)
    if plan.atteint and not plan.pas:
        c.print(Text("Déjà au niveau cible ou en dessous : aucune étape nécessaire."))
    if not plan.atteint:
        ligne = Text("Cible hors d'atteinte. ", style="bold")
        ligne.append("Au mieux : ").append_text(_niveau(ref, plan.niveau_final))
        c.print(ligne)
        for o in plan.obstacles:
            c.print(Text(f"  • {echapper(phrase_obstacle(o, ref))}"))
    if plan.pas:
        table = Table(show_lines=False)
        table.add_column("#", justify="right")
        table.add_column("étape")
        table.add_column("verdict après")
        table.add_column("risques baissés")
        for i, p in enumerate(plan.pas, 1):
            etape = Text(f"{p.genre} {p.id} : {echapper(p.titre)}")
            if p.changement:
                etape.append(f"\n{p.changement[0]} : {echapper(texte_changement(p.changement[1]))} → "
                             f"{echapper(texte_changement(p.changement[2]))}", style="dim")
                etape.append(f"\ncoût : {echapper(p.cout)}", style="dim")
            baisses = Text()
            for k, b in enumerate(p.baisses):
                if k:
                    baisses.append(", ")
                baisses.append(f"{b.risque} → ").append_text(_niveau(ref, b.apres))
            table.add_row(str(i), etape, _niveau(ref, p.verdict), baisses or Text("—"))
        c.print(table)
        if plan.equivalents > 1:
            c.print(Text(f"{plan.equivalents} plans équivalents de même taille ; celui-ci préfère les mesures aux leviers."))
    if plan.borne:
        c.print(Text(f"Borne de recherche atteinte : {plan.borne}.", style="yellow"))
