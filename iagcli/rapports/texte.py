"""Rapport texte pour une personne dans un terminal (Rich).

Tout texte venu d'un fichier (cas d'usage ou référentiel) passe par `Text` : jamais interprété
comme balisage Rich, si bien que « [critique] » s'affiche tel quel. Le texte d'une proposition
(titre, service, nom de fichier, diagnostics) passe de plus par `echapper` : `Text` laisse passer
ESC, si bien qu'un titre « \x1b[2J » effaçait l'écran et qu'un saut de ligne suivi de `::add-mask::`
devenait une commande du runner GitHub.
"""

from __future__ import annotations

import sys

from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..affichage import puces, style_niveau, texte_niveau
from ..echappement import echapper
from ..modeles.cas_usage import notes_schema
from ..terminal import console
from . import Base, OptionsRapport
from .constats import date_fr, note_revue, statut_regle

MAX_RECOMMANDATIONS = 8
MAX_MESURES = 6


class Rapporteur(Base):
    def __init__(self, flux, referentiel, options: OptionsRapport):
        super().__init__(flux, referentiel, options)
        self.console = console(flux)
        self.console_err = console(options.erreurs or sys.stderr)
        self.silencieux = options.silencieux
        self.nombre = 0
        self.affiches = 0  # cas détaillés déjà écrits (un filet les sépare)
        self.resumes = 0  # cas réduits à une ligne (voir `ligne`)
        self.detail_precedent = False  # un filet sépare un détail de la ligne qui le suit

    # --- mise en forme commune -----------------------------------------------------------

    def style(self, niveau: str) -> Style:
        return style_niveau(self.ref, niveau)

    def puces(self, elements: list[Text]) -> None:
        puces(self.console, elements, retrait=0)

    def niveau(self, niveau: str) -> Text:
        return texte_niveau(self.ref, niveau)

    # --- interface ------------------------------------------------------------------------

    def resultat(self, r) -> None:
        self.nombre += 1
        if r.evaluation is None:
            for d in r.diagnostics:
                self.console_err.print(Text(echapper(d)), soft_wrap=True)
            return
        if self.silencieux and not r.au_seuil:
            return
        # Dans un lot, le détail ne sert qu'aux cas qui font échouer la commande : une ligne pour les
        # autres (--details : tout le détail). Le rendu Rich d'un cas coûte ~10 ms ; 2 000 cas détaillés
        # prenaient 24 s contre 1,7 s en JSON.
        if not (self.options.details or r.au_seuil):
            if self.detail_precedent:
                self.console.rule(style="dim")
            self.detail_precedent = False
            self.ligne(r)
            return
        if self.affiches or self.resumes:
            self.console.rule(style="dim")
        self.affiches += 1
        self.detail_precedent = True
        self.cas(r)

    def ligne(self, r) -> None:
        """Un cas en une ligne : verdict, fichier, titre."""
        ev = r.evaluation
        t = Text()
        t.append(f"{self.ref.niveau_par_id[ev.verdict].libelle.upper():<9}", style=self.style(ev.verdict) + Style(bold=True))
        t.append(f" {echapper(r.fichier)}", style="dim")
        t.append(f"  {echapper(r.cas.titre)}")
        self.console.print(t, soft_wrap=True)
        self.resumes += 1

    def fin(self, bilan) -> None:
        if bilan.total <= 1:
            return
        ligne = Text("Bilan : ")
        ligne.append(f"{bilan.total} fichier(s)")
        for niveau in [*self.ref.niveaux, self.ref.risques_yaml.interdit]:
            n = bilan.par_verdict.get(niveau.id, 0)
            if n:
                ligne.append(" · ")
                ligne.append(f"{n} {niveau.libelle.lower()}", style=self.style(niveau.id))
        if bilan.invalides:
            ligne.append(f" · {bilan.invalides} invalide(s)", style="bold red")
        if bilan.illisibles:
            ligne.append(f" · {bilan.illisibles} illisible(s)", style="bold red")
        self.console.print()
        self.console.print(ligne)
        if self.resumes:
            self.console.print(Text(f"{self.resumes} cas sous le seuil résumé(s) en une ligne ; leur détail : --details", style="dim"))

    # --- un cas d'usage ---------------------------------------------------------------------

    def cas(self, r) -> None:
        ev, cas, ref = r.evaluation, r.cas, self.ref
        niveau = ref.niveau_par_id[ev.verdict]
        entete = Text()
        entete.append(echapper(cas.titre), style="bold")
        entete.append(f"\n{echapper(r.fichier)} · {echapper(cas.service)} · {cas.statut.value}\n", style="dim")
        entete.append("Verdict : ")
        entete.append(niveau.libelle.upper(), style=self.style(ev.verdict) + Style(bold=True))
        entete.append(f"  ({ev.motif})", style="dim")
        entete.append("\n")
        entete.append(niveau.exigences)
        self.console.print(Panel(entete, border_style=self.style(ev.verdict), expand=True))

        if ev.reponses_inconnues:
            t = Text("Réponses « inconnu » comptées comme le pire cas : ", style="yellow")
            t.append(", ".join(ev.reponses_inconnues))
            self.console.print(t)

        self.notes_schema(cas)
        self.tableau_risques(ev)
        self.credit(ev)
        if self.options.matrice:
            from ..affichage import placer_matrice

            placer_matrice(self.console, ref, ev)
        self.regles(ev, cas)
        self.mesures(ev)
        self.recommandations(ev)

    def tableau_risques(self, ev) -> None:
        if not ev.risques:
            self.console.print(Text("Aucun risque du référentiel ne s'applique à ce cas.", style="dim"))
            return
        table = Table(title="Risques", title_justify="left", expand=False, show_lines=False)
        table.add_column("ID", no_wrap=True)
        table.add_column("Risque", ratio=1)
        table.add_column("P", justify="center", no_wrap=True)
        table.add_column("G", justify="center", no_wrap=True)
        table.add_column("Inhérent → résiduel", no_wrap=True)
        for e in ev.risques:
            risque = self.ref.risques[e.id]
            titre = Text(risque.titre)
            if e.incertain:
                titre.append(" (réponse inconnue)", style="yellow")
            niveaux = self.niveau(e.initial.niveau)
            if e.residuel != e.initial:
                niveaux.append(" → ")
                niveaux.append_text(self.niveau(e.residuel.niveau))
            table.add_row(
                Text(e.id),
                titre,
                _evolution(e.initial.probabilite, e.residuel.probabilite),
                _evolution(e.initial.gravite, e.residuel.gravite),
                niveaux,
            )
        self.console.print(table)

    def notes_schema(self, cas) -> None:
        """Fichier antérieur au schéma courant : les réponses dont le sens a été précisé (avertissements)."""
        for n in notes_schema(cas):
            self.console.print(Text(f"Avertissement ({n.champ}) : {n.message}", style="yellow"))

    def credit(self, ev) -> None:
        """Mesures déclarées non créditées, et crédit plafonné : pourquoi le résiduel n'est pas plus bas."""
        for m in ev.mesures_contredites:
            t = Text(f"Mesure {m.id} déclarée mais non créditée : ", style="yellow")
            t.append(" ".join(m.raison.split()))
            self.console.print(t)
        for e in ev.risques:
            limites = [" ".join(t.texte.split()) for t in e.trace if t.genre in ("plafond_credit", "plancher")]
            if limites:
                self.console.print(Text(f"{e.id} : " + " ; ".join(limites), style="dim"))

    def regles(self, ev, cas) -> None:
        if not ev.regles:
            return
        titre = "Règles juridiques applicables"
        if ev.date is not None:
            titre += f" au {date_fr(ev.date)}"
        self.console.print(Text(titre, style="bold underline"))
        etiquettes = {"interdiction": ("INTERDIT", "bold red"), "obligation": ("OBLIGATION", "bold dark_orange"), "information": ("INFO", "cyan")}
        elements = []
        for d in ev.regles:
            regle = self.ref.regles[d.id]
            etiquette, style = etiquettes[d.nature]
            if not d.en_vigueur:  # à venir ou échue : listée, sans effet sur le verdict
                etiquette, style = ("À VENIR" if d.statut == "à_venir" else "ÉCHUE"), "dim"
            t = Text(f"{etiquette} ", style=style)
            t.append(f"{d.id} {regle.titre}", style="bold")
            t.append(f" ({regle.texte})", style="dim")
            if not d.en_vigueur:
                t.append(f" — {d.nature}, {statut_regle(d)}", style="cyan")
            if d.incertaine:
                t.append(" — à confirmer : réponse inconnue", style="yellow")
            t.append("\n")
            t.append(" ".join(regle.consequence.split()))
            if d.avant_revue:
                t.append("\n" + note_revue(d, cas), style="bold cyan")
            elements.append(t)
        self.puces(elements)

    def mesures(self, ev) -> None:
        if not ev.mesures_suggerees:
            return
        seuil = self.ref.niveau_par_id[self.ref.risques_yaml.parametres.niveau_suggestion_mesures].libelle.lower()
        self.console.print(Text(f"Mesures à mettre en place (risques {seuil} et au-delà)", style="bold underline"))
        traites = {e.id for e in ev.risques if self.ref.rang[e.residuel.niveau] >= self.ref.rang[self.ref.risques_yaml.parametres.niveau_suggestion_mesures]}
        elements = []
        for mid in ev.mesures_suggerees[:MAX_MESURES]:
            m = self.ref.mesures[mid]
            cibles = [e.risque for e in m.effets if e.risque in traites]
            t = Text(f"{m.id} {m.titre}", style="bold")
            t.append(f" — traite {', '.join(cibles)}", style="dim")
            t.append("\n")
            t.append(" ".join(m.description.split()))
            elements.append(t)
        self.puces(elements)
        reste = len(ev.mesures_suggerees) - MAX_MESURES
        if reste > 0:
            self.console.print(Text(f"  … et {reste} autre(s) : voir le rapport json ou iag risques ID", style="dim"))

    def recommandations(self, ev) -> None:
        if not ev.recommandations:
            return
        self.console.print(Text("Recommandations", style="bold underline"))
        elements = []
        for rid in ev.recommandations[:MAX_RECOMMANDATIONS]:
            reco = self.ref.recommandations[rid]
            t = Text(f"{reco.id} ", style="bold")
            t.append(reco.titre)
            elements.append(t)
        self.puces(elements)
        reste = len(ev.recommandations) - MAX_RECOMMANDATIONS
        if reste > 0:
            self.console.print(Text(f"  … et {reste} autre(s) : iag recommandations ID pour le détail", style="dim"))


def _evolution(avant: int, apres: int) -> Text:
    return Text(str(avant) if avant == apres else f"{avant}→{apres}")
