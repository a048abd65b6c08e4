"""Synthèse en texte pour un terminal (Rich). Tout texte d'un cas ou du référentiel passe par `Text`
(jamais interprété comme balisage) et par `echapper` (contrôles rendus visibles)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from rich.style import Style
from rich.table import Table
from rich.text import Text

from ...echappement import echapper
from ...es.terminal import console
from ...modeles.types import nombre
from ..commun.affichage import style_niveau, texte_niveau
from ..evaluation.constats import date_fr

if TYPE_CHECKING:
    from ...moteur.observatoire import Synthese
    from ...moteur.referentiel import Referentiel


def _style(ref: "Referentiel", niveau: str) -> Style:
    return style_niveau(ref, niveau)  # un seul endroit pour les styles des niveaux (affichage.py)


def _niveau(ref: "Referentiel", niveau: str) -> Text:
    return texte_niveau(ref, niveau)


def _txt(valeur: object) -> Text:
    return Text(echapper(valeur))


def synthese(s: "Synthese", ref: "Referentiel", flux: TextIO) -> None:
    c = console(flux)
    c.print(Text(f"Synthèse du portefeuille au {date_fr(s.date)} : {nombre(s.total, 'fichier')}, {nombre(s.evalues, 'cas évalué', 'cas évalués')}, "
                 f"{nombre(len(s.invalides), 'invalide')}", style="bold"))
    if s.invalides:
        c.print(Text("Fichiers invalides (non comptés dans les vues suivantes) :", style="bold red"))
        for inv in s.invalides:
            c.print(_txt(f"  {inv.fichier} : {'illisible' if inv.illisible else 'invalide'}"
                         + (f" ({inv.messages[0]})" if inv.messages else "")))

    t = Table(title="Verdicts par statut")
    t.add_column("Verdict")
    for statut in s.statuts:
        t.add_column(echapper(statut), justify="right")
    t.add_column("Total", justify="right")
    for verdict, parts in s.par_verdict_statut.items():
        t.add_row(_niveau(ref, verdict), *[str(parts[x]) for x in s.statuts], str(sum(parts.values())))
    c.print(t)

    t = Table(title="Verdicts par service")
    t.add_column("Service")
    verdicts = list(s.par_verdict_statut)
    for v in verdicts:
        t.add_column(_niveau(ref, v), justify="right")
    for service, parts in s.par_service.items():
        t.add_row(_txt(service), *[str(parts.get(v, 0)) for v in verdicts])
    c.print(t)

    if s.par_classe:  # fait juridique distinct du verdict
        t = Table(title="Classes de l'AI Act")
        t.add_column("Classe")
        t.add_column("Cas", justify="right")
        for _, libelle, n in s.par_classe:
            t.add_row(_txt(libelle), str(n))
        c.print(t)

    if s.seuil is not None:
        t = Table(title=f"Risques les plus souvent au niveau {ref.niveau_par_id[s.seuil].libelle.lower()} ou au-dessus")
        t.add_column("Risque")
        t.add_column("Titre")
        t.add_column("Cas", justify="right")
        for i, n in s.risques_au_seuil:
            t.add_row(_txt(i), _txt(ref.risques[i].titre), str(n))
        c.print(t)

    for titre, carte in (("Carte des risques avant les mesures (nombre de risques par case)", s.carte_inherente),
                         ("Carte des risques après les mesures", s.carte_residuelle)):
        t = Table(title=titre)
        t.add_column("P \\ G")
        for g in range(1, ref.g_max + 1):
            t.add_column(f"G{g}", justify="center")
        for p in range(ref.p_max, 0, -1):
            cellules = []
            for g in range(1, ref.g_max + 1):
                niv = ref.grille[(p, g)]
                cellules.append(Text(f"{carte.get((p, g), 0)} {ref.niveau_par_id[niv].libelle.lower()}", style=_style(ref, niv)))
            t.add_row(f"P{p}", *cellules)
        c.print(t)

    t = Table(title="Mesures les plus souvent suggérées")
    t.add_column("Mesure")
    t.add_column("Titre")
    t.add_column("Cas", justify="right")
    for i, n in s.mesures_suggerees:
        t.add_row(_txt(i), _txt(ref.mesures[i].titre), str(n))
    c.print(t)

    t = Table(title="Travail juridique à prévoir (nombre de cas)")
    t.add_column("Démarche")
    t.add_column("Applicable", justify="right")
    t.add_column("À venir", justify="right")
    for d in s.demarches:
        t.add_row(_txt(d.libelle), str(d.applicables), str(d.a_venir))
    c.print(t)

    c.print(Text(f"À surveiller au {date_fr(s.date)}", style="bold"))
    if s.revues_en_retard:
        c.print(Text(f"Revues en retard ({len(s.revues_en_retard)}) :"))
        for r in s.revues_en_retard:
            c.print(_txt(f"  {r.cas.fichier} : {r.cas.titre} ({r.cas.service}), revue prévue le {r.prochaine_revue.isoformat()}, "
                         f"{nombre(r.jours_de_retard, 'jour')} de retard"))
    else:
        c.print(Text("Aucune revue en retard."))
    if s.mesures_en_retard:
        c.print(Text(f"Mesures prévues en retard ({len(s.mesures_en_retard)}) :"))
        for m in s.mesures_en_retard:
            responsable = f", responsable : {m.responsable}" if m.responsable is not None else ""
            c.print(_txt(f"  {m.cas.fichier} : {m.cas.titre} ({m.cas.service}), mesure {m.mesure} {m.titre}, "
                         f"échéance le {m.echeance.isoformat()}{responsable}, {nombre(m.jours_de_retard, 'jour')} de retard"))
    else:
        c.print(Text("Aucune mesure prévue en retard."))
    if s.echeances:
        c.print(Text(f"Échéances juridiques d'ici le {date_fr(s.fin_horizon)} ({s.horizon_mois} mois) :"))
        for e in s.echeances:
            c.print(_txt(f"  {e.date.isoformat()} : {e.regle} {ref.regles[e.regle].titre} : {len(e.cas)} cas"))
            for x in e.cas:
                c.print(_txt(f"    {x.fichier} : {x.titre}"))
    else:
        c.print(Text(f"Aucune échéance juridique d'ici le {date_fr(s.fin_horizon)} ({s.horizon_mois} mois)."))
