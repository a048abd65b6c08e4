"""Rapport texte pour une personne dans un terminal (Rich).

Tout texte venu d'un fichier (cas d'usage ou référentiel) passe par `Text` : jamais interprété
comme balisage Rich, si bien que « [critique] » s'affiche tel quel. Le texte d'une proposition
(titre, service, nom de fichier, diagnostics) passe de plus par `echapper` : `Text` laisse passer
ESC, si bien qu'un titre « \x1b[2J » effaçait l'écran et qu'un saut de ligne suivi de `::add-mask::`
devenait une commande du runner GitHub.

Plus de 400 lignes : un seul format, du cadre aux avis, avec sa mise en lignes déjà rendues (rangées,
éléments du référentiel gardés d'un cas à l'autre) qui tient un lot de 1 000 cas détaillés sous deux
fois le temps du JSON ; la couper séparerait chaque section de la façon dont elle est rendue.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Optional, TextIO, TypeVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from ...echappement import echapper
from ...es.terminal import console
from ...modeles.types import accord, nombre
from ..commun.affichage import plier, plier_simple, style_niveau, texte_niveau
from . import Base, OptionsRapport
from .constats import date_fr
from .vue import MAX_MESURES, MAX_RECOMMANDATIONS, LigneMesure, LigneRegle, LigneRisque, VueCas, vue_cas

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ResultatFichier


class Rapporteur(Base):
    def __init__(self, flux: TextIO, referentiel: "Referentiel", options: OptionsRapport):
        super().__init__(flux, referentiel, options)
        self.console = console(flux)
        self.console_err = console(options.erreurs or sys.stderr)
        self.silencieux = options.silencieux
        self.nombre = 0
        self.affiches = 0  # cas détaillés déjà écrits (un filet les sépare)
        self.resumes = 0  # cas réduits à une ligne (voir `ligne`)
        self.detail_precedent = False  # un filet sépare un détail de la ligne qui le suit
        self._cache: dict[Hashable, list[_Ligne]] = {}
        self._cellules: dict[Hashable, tuple[Text, ...]] = {}
        self.largeur = self.console.width  # lue une fois : chaque lecture interroge le terminal

    # --- mise en forme commune -----------------------------------------------------------

    def style(self, niveau: str) -> Style:
        return style_niveau(self.ref, niveau)

    def niveau(self, niveau: str) -> Text:
        return texte_niveau(self.ref, niveau)

    # --- interface ------------------------------------------------------------------------

    def resultat(self, r: "ResultatFichier") -> None:
        self.nombre += 1
        if r.evaluation is None:
            for d in r.diagnostics:
                self.console_err.print(Text(echapper(d)), soft_wrap=True)
            return
        echoue = bool(r.bloque or r.evaluation.incomplet)  # un cas incomplet fait échouer la commande
        if self.silencieux and not echoue:
            return
        # Dans un lot, le détail ne sert qu'aux cas qui font échouer la commande : une ligne pour les
        # autres (--details : tout le détail).
        if not (self.options.details or echoue):
            if self.detail_precedent:
                self.console.rule(style="dim")
            self.detail_precedent = False
            self.ligne(r)
            return
        filet = bool(self.affiches or self.resumes)
        self.affiches += 1
        self.detail_precedent = True
        self.cas(r, filet)

    def ligne(self, r: "ResultatFichier") -> None:
        """Un cas en une ligne : verdict, fichier, titre."""
        ev, cas = r.evaluation, r.cas
        assert ev is not None and cas is not None  # appelée pour un cas évalué
        t = Text()
        t.append(f"{self.ref.niveau_par_id[ev.verdict].libelle.upper():<9}", style=self.style(ev.verdict) + Style(bold=True))
        t.append(f" {echapper(r.fichier)}", style="dim")
        t.append(f"  {echapper(cas.titre)}")
        self.console.print(t, soft_wrap=True)
        self.resumes += 1

    def fin(self, bilan: "Bilan") -> None:
        if bilan.ignores:  # rien n'est laissé de côté en silence, même sans --verbeux
            from .vue import phrase_ignores

            self.console.print(Text(phrase_ignores(bilan), style="yellow"), soft_wrap=True)
        if bilan.total <= 1:
            return
        ligne = Text("Bilan : ")
        ligne.append(nombre(bilan.total, "fichier"))
        for niveau in [*self.ref.niveaux, self.ref.risques_yaml.interdit]:
            n = bilan.par_verdict.get(niveau.id, 0)
            if n:
                ligne.append(" · ")
                ligne.append(nombre(n, niveau.libelle.lower()), style=self.style(niveau.id))
        if bilan.invalides:
            ligne.append(f" · {nombre(bilan.invalides, 'invalide')}", style="bold red")
        if bilan.illisibles:
            ligne.append(f" · {nombre(bilan.illisibles, 'illisible')}", style="bold red")
        if bilan.incomplets:
            ligne.append(f" · {nombre(bilan.incomplets, 'incomplet')}", style="bold red")
        self.console.print()
        self.console.print(ligne)
        if self.resumes:
            self.console.print(Text(f"{self.resumes} cas sous le seuil {accord(self.resumes, 'résumé')} en une ligne ; leur détail : --details", style="dim"))

    # --- un cas d'usage ---------------------------------------------------------------------
    # Le détail d'un cas est mis en lignes ici (colonnes mesurées, retraits suspendus), chaque ligne
    # rendue en segments Rich, puis écrit en un seul `Console.print`. Les morceaux tirés du référentiel
    # (règles, mesures, recommandations, rangées de risques, exigences) reviennent de cas en cas : leurs
    # lignes rendues sont gardées (clé : contenu et largeur). La mise en page générique de `Table` et
    # `Panel` coûtait ~30 ms par cas, le plan sous le seuil ~60 ms : un lot de 1 000 cas au seuil
    # prenait 11 fois le temps du JSON.

    def cas(self, r: "ResultatFichier", filet: bool = False) -> None:
        ref = self.ref
        # Un lot résumé (sans --details) renvoie à `iag plan` : sa recherche coûte dix fois le rendu.
        v = vue_cas(r, ref, self.seuil, plan=self.options.details, details=self.options.toutes_raisons)
        lignes: list[_Ligne] = []
        if filet:
            lignes += self._memo(("filet",), lambda: [Text("─" * self.largeur, style="dim")])
        lignes += self.cadre(v)
        if v.a_completer:
            lignes += self._rendre(self._plier(Text(
                f"INCOMPLET : {v.titre_a_completer}, {accord(len(v.a_completer), 'comptée')} comme le pire cas (le verdict ne peut que monter) :",
                style="bold red")))
            for q in v.a_completer:
                lignes += self._rendre(self._plier(Text(f"  - {q.texte}", style="red")))
        for c in v.contradictions:
            lignes += self._rendre(self._plier(Text(f"INCOMPLET : {c.texte}", style="bold red")))
        if v.inconnues:
            t = Text("Réponses « inconnu » comptées comme le pire cas : ", style="yellow")
            t.append(", ".join(v.inconnues))
            lignes += self._rendre(self._plier(t))
        for alerte in v.alertes:
            lignes += self._rendre(self._plier(Text(alerte, style="yellow")))
        for champ, message in v.notes:  # fichier antérieur au schéma courant : sens des réponses précisé
            lignes += self._rendre(self._plier(Text(f"Avertissement ({champ}) : {message}", style="yellow")))
        lignes += self.tableau_risques(v)
        lignes += self.credit(v)
        if self.options.matrice:
            self._ecrire(lignes)
            lignes = []
            from ..commun.affichage import placer_matrice

            assert r.evaluation is not None
            placer_matrice(self.console, ref, r.evaluation)
        lignes += self.regles(v)
        lignes += self.mesures(v)
        lignes += self.recommandations(v)
        lignes += self.prevues(v)
        lignes += self.validation(v)
        for ligne in v.lignes_plan:
            lignes += self._rendre(self._plier(Text(echapper(ligne), style="bold")))
        self._ecrire(lignes)

    def validation(self, v: VueCas) -> list[_Ligne]:
        """Les avis signés du DPO et du RSSI : la validation conjointe, puis chaque avis et son état."""
        if not v.validation:
            return []
        (accordee, tete), *avis = v.validation
        lignes = self._plier(Text(echapper(tete), style="bold green" if accordee else "bold red"))
        lignes += self._puces([Text(echapper(p), style="green" if ok else "red") for ok, p in avis])
        return self._rendre(lignes)

    def _ecrire(self, lignes: list[_Ligne]) -> None:
        if not lignes:
            return
        if self.console.color_system is None and not self.console.record:
            # Ni couleur ni enregistrement (fichier, tube, CI) : les lignes, déjà à la largeur, sont le
            # texte même ; l'écrire sans passer par la console coûte le dixième (lot de 1 000 cas).
            self.console.file.write("".join(["".join([s.text for s in ligne]) + "\n" for ligne in lignes]))
            return
        self.console.print(_Rendu(lignes), crop=False)  # lignes déjà à la largeur

    def _plier(self, texte: Text, largeur: Optional[int] = None) -> list[Text]:
        largeur = largeur or self.largeur
        if _tient(texte.plain, largeur):  # cas courant : rien à plier
            return [texte]
        return plier(self.console, texte, largeur)

    def _rendre(self, lignes: list[Text]) -> list[_Ligne]:
        return [self._segments(t) for t in lignes]

    def _segments(self, t: Text) -> _Ligne:
        # `Text.render` ne pose le style du texte que sur ses portions stylées : une ligne d'un seul
        # style (« INCOMPLET » en rouge, alertes en jaune) sortirait sans couleur.
        if t.spans:
            return list(t.render(self.console))
        return [Segment(t.plain, self._style(t.style))]

    def _style(self, style: str | Style) -> Optional[Style]:
        return self.console.get_style(style) if style else None

    def _lignes(self, texte: str, style: str = "") -> list[_Ligne]:
        """Un texte d'un seul style, plié et rendu sans objets Rich intermédiaires quand c'est possible
        (les raisons de chaque risque, à chaque cas d'un lot)."""
        if _tient(texte, self.largeur):
            simples: Optional[list[str]] = [texte]
        else:
            simples = plier_simple(texte, self.largeur)
        if simples is None:
            return self._rendre(self._plier(Text(texte, style=style)))
        rendu = self._style(style)
        return [[Segment(ligne, rendu)] for ligne in simples]

    def _memo(self, cle: Hashable, fabriquer: Callable[[], list[Text]]) -> list[_Ligne]:
        """Lignes rendues d'un morceau qui revient d'un cas à l'autre (mémoire bornée)."""
        rendu = self._cache.get(cle)
        if rendu is None:
            if len(self._cache) >= MAX_MEMO:
                self._cache.clear()
            rendu = self._cache[cle] = self._rendre(fabriquer())
        return rendu

    def _puces(self, elements: list[Text]) -> list[Text]:
        """Liste à puces, retrait suspendu : les lignes suivantes s'alignent sur le texte."""
        sortie: list[Text] = []
        for e in elements:
            for i, ligne in enumerate(self._plier(e, max(self.largeur - 2, 1))):
                sortie.append(Text(PUCE if i == 0 else "  ") + ligne)
        return sortie

    def _element(self, fabriquer: Callable[[_T], Text], ligne: _T) -> list[Text]:
        return self._puces([fabriquer(ligne)])

    def cadre(self, v: VueCas) -> list[_Ligne]:
        """L'en-tête encadré (titre, fichier, verdict, exigences), bordure à la couleur du niveau."""
        largeur = self.largeur
        bord = self.style(v.verdict)
        # Une ligne logique par Text, pliée à part (comme Rich plie un texte ligne à ligne) : les lignes
        # d'un seul style passent par le pliage rapide.
        verdict = Text("Verdict : ")
        verdict.append(self.ref.niveau_par_id[v.verdict].libelle.upper(), style=bord + Style(bold=True))
        verdict.append(f"  ({v.motif})", style="dim")
        entete = [Text(echapper(v.titre), style="bold"),
                  Text(f"{echapper(v.fichier)} · {echapper(v.service)} · {v.statut}", style="dim"), verdict]
        if v.classe_ai_act:
            entete.append(Text(v.classe_ai_act, style="bold"))

        def encadrer(lignes: list[Text]) -> list[Text]:
            return [Text("│ ", style=bord) + t + Text(" " * (largeur - 4 - t.cell_len) + " │", style=bord) for t in lignes]

        haut = self._memo(("haut", v.verdict, largeur), lambda: [Text("╭" + "─" * (largeur - 2) + "╮", style=bord)])
        exigences = self._memo(("exigences", v.verdict, largeur), lambda: encadrer(self._plier(Text(v.exigences), largeur - 4))
                               + [Text("╰" + "─" * (largeur - 2) + "╯", style=bord)])
        return haut + self._rendre(encadrer([x for t in entete for x in self._plier(t, largeur - 4)])) + exigences

    def tableau_risques(self, v: VueCas) -> list[_Ligne]:
        if not v.risques:
            return self._rendre([Text("Aucun risque du référentiel ne s'applique à ce cas.", style="dim")])
        montres = {e: _montre(e) for e in v.risques}
        cellules = {e: self._cellules_risque(e, montres[e]) for e in v.risques}
        entetes = tuple(Text(x, style="bold") for x in ("ID", "Risque", "P", "G", "Inhérent → résiduel"))
        largeurs = [max(c.cell_len for c in colonne) for colonne in zip(entetes, *cellules.values(), strict=True)]
        # La colonne « Risque » prend la place qui reste (repliée) ; sur un terminal étroit, la
        # colonne des niveaux se replie aussi, jusqu'à son plus long mot.
        fixes = sum(largeurs) - largeurs[1] + 3 * len(largeurs) + 1
        largeurs[1] = max(8, min(largeurs[1], self.largeur - fixes))
        exces = sum(largeurs) + 3 * len(largeurs) + 1 - self.largeur
        if exces > 0:
            mot = max(len(m) for c in [entetes[4], *(x[4] for x in cellules.values())] for m in c.plain.split())
            largeurs[4] = max(mot, largeurs[4] - exces)
        cle = tuple(largeurs)
        total = sum(largeurs) + 3 * len(largeurs) + 1
        lignes = self._memo(("tete", cle), lambda: [Text("Risques".ljust(total), style="italic"), _bordure("┏", "┳", "┓", "━", largeurs)]
                            + _rangee(list(entetes), largeurs, "┃", self.console) + [_bordure("┡", "╇", "┩", "━", largeurs)])
        for e, rangee in cellules.items():
            lignes = lignes + self._memo(("risque", montres[e], cle), partial(_rangee, list(rangee), largeurs, "│", self.console))
        return lignes + self._memo(("pied", cle), lambda: [_bordure("└", "┴", "┘", "─", largeurs)])

    def _cellules_risque(self, e: LigneRisque, montre: Hashable) -> tuple[Text, ...]:
        """Les cellules d'une rangée, faites une fois par rangée distincte du lot (`montre` : ce qu'elle
        montre, voir `_montre`) ; jamais modifiées."""
        cellules = self._cellules.get(montre)
        if cellules is None:
            if len(self._cellules) >= MAX_MEMO:
                self._cellules.clear()
            cellules = self._cellules[montre] = self._fabriquer_cellules(e)
        return cellules

    def _fabriquer_cellules(self, e: LigneRisque) -> tuple[Text, ...]:
        titre = Text(e.titre)
        if e.incertain:
            titre.append(" (réponse inconnue ou manquante)", style="yellow")
        niveaux = self.niveau(e.niveau_initial)
        if e.change:
            niveaux.append(" → ")
            niveaux.append_text(self.niveau(e.niveau_residuel))
        return (Text(e.id), titre, Text(_evolution(*e.probabilite)), Text(_evolution(*e.gravite)), niveaux)

    def credit(self, v: VueCas) -> list[_Ligne]:
        """Pourquoi chaque risque à traiter (tous avec --details) : les raisons de sa trace, réponse et ligne ;
        mesures déclarées non créditées, et crédit plafonné : pourquoi le résiduel n'est pas plus bas."""
        rendu = [x for e in v.risques if e.raisons for x in self._lignes(f"{e.id} {e.parce_que}")]
        lignes: list[Text] = []
        for mid, raison in v.contredites:
            t = Text(f"Mesure {mid} déclarée mais non créditée : ", style="yellow")
            t.append(" ".join(raison.split()))
            lignes += self._plier(t)
        for rid, textes in v.limites:
            lignes += self._plier(Text(f"{rid} : " + " ; ".join(" ".join(x.split()) for x in textes), style="dim"))
        return rendu + self._rendre(lignes)

    def _titre(self, titre: str) -> list[_Ligne]:
        return self._memo(("titre", titre), lambda: self._plier(Text(titre, style="bold underline")))

    def regles(self, v: VueCas) -> list[_Ligne]:
        if not v.regles:
            return []
        titre = "Règles juridiques applicables"
        if v.date is not None:
            titre += f" au {date_fr(v.date)}"
        lignes = self._titre(titre)
        for d in v.regles:
            # La note de revue dépend des dates du cas : ajoutée sous l'élément gardé, comme les lignes
            # qui suivent un saut de ligne dans une puce (pliées à part, en retrait).
            sans_note = replace(d, note_revue="")
            lignes = lignes + self._memo(("regle", sans_note, self.largeur), partial(self._element, _element_regle, sans_note))
            if d.note_revue:
                note = self._plier(Text(d.note_revue, style="bold cyan"), max(self.largeur - 2, 1))
                lignes = lignes + self._rendre([Text("  ") + x for x in note])
        return lignes

    def mesures(self, v: VueCas) -> list[_Ligne]:
        if not v.mesures:
            return []
        seuil = self.ref.niveau_par_id[v.niveau_a_traiter].libelle.lower()
        lignes = self._titre(f"Mesures à mettre en place (risques {seuil} et au-delà)")
        for m in v.mesures[:MAX_MESURES]:
            lignes = lignes + self._memo(("mesure", m, self.largeur), partial(self._element, _element_mesure, m))
        reste = len(v.mesures) - MAX_MESURES
        if reste > 0:
            lignes = lignes + self._rendre(self._plier(Text(f"  … et {nombre(reste, 'autre')} : voir le rapport json ou iag risques ID", style="dim")))
        return lignes

    def recommandations(self, v: VueCas) -> list[_Ligne]:
        if not v.recommandations:
            return []
        lignes = self._titre("Recommandations")
        for rid, titre in v.recommandations[:MAX_RECOMMANDATIONS]:
            def element(rid: str = rid, titre: str = titre) -> list[Text]:
                t = Text(f"{rid} ", style="bold")
                t.append(titre)
                return self._puces([t])
            lignes = lignes + self._memo(("reco", rid, titre, self.largeur), element)
        reste = len(v.recommandations) - MAX_RECOMMANDATIONS
        if reste > 0:
            lignes = lignes + self._rendre(self._plier(Text(f"  … et {nombre(reste, 'autre')} : iag recommandations ID pour le détail", style="dim")))
        return lignes

    def prevues(self, v: VueCas) -> list[_Ligne]:
        """Mesures prévues du cas : échéance, responsable, état (propres au cas : jamais mémorisées)."""
        if not v.prevues:
            return []
        lignes = self._titre("Mesures prévues")
        for m in v.prevues:
            t = Text(f"{m.id} ", style="bold")
            t.append(echapper(m.titre))
            t.append(f" — échéance {date_fr(m.echeance)}, responsable {echapper(m.qui)} : ")
            t.append(m.etat, style="bold red" if m.en_retard else "")
            lignes = lignes + self._rendre(self._puces([t]))
        return lignes


_Ligne = list[Segment]
_T = TypeVar("_T")
MAX_MEMO = 4096  # lignes rendues gardées d'un cas à l'autre


class _Rendu:
    """Lignes déjà rendues en segments : Rich les écrit sans nouvelle mise en page."""

    def __init__(self, lignes: list[_Ligne]):
        self.lignes = lignes

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        fin = Segment.line()
        for ligne in self.lignes:
            yield from ligne
            yield fin


_STYLES_REGLE = {"interdiction": "bold red", "obligation": "bold dark_orange", "information": "cyan"}


def _element_regle(d: LigneRegle) -> Text:
    # à venir ou échue : listée, sans effet sur le verdict
    t = Text(f"{d.etiquette} ", style=_STYLES_REGLE[d.nature] if d.en_vigueur else "dim")
    t.append(f"{d.id} {d.titre}", style="bold")
    t.append(f" ({d.texte})", style="dim")
    if not d.en_vigueur:
        t.append(f" — {d.nature}, {d.statut}", style="cyan")
    if d.incertaine:
        t.append(" — à confirmer : réponse inconnue ou manquante", style="yellow")
    t.append("\n")
    t.append(" ".join(d.consequence.split()))
    return t  # la note de revue, propre au cas, est ajoutée par `Rapporteur.regles`


def _element_mesure(m: LigneMesure) -> Text:
    t = Text(f"{m.id} {m.titre}", style="bold")
    t.append(f" — traite {', '.join(m.cibles)}", style="dim")
    t.append("\n")
    t.append(" ".join(m.description.split()))
    return t


PUCE = "• "
_JUSTIFICATION = ("left", "left", "center", "center", "left")


def _tient(texte: str, largeur: int) -> bool:
    """Une ligne qui tient dans la largeur : rien à plier."""
    return "\n" not in texte and cell_len(texte) <= largeur


def _montre(e: LigneRisque) -> Hashable:
    """Ce que la rangée d'un risque montre, sans ses raisons (propres au cas, écrites sous le tableau) :
    la clé des rangées déjà faites."""
    return (e.id, e.titre, e.incertain, e.probabilite, e.gravite, e.niveau_initial, e.niveau_residuel)


def _evolution(avant: int, apres: int) -> str:
    return str(avant) if avant == apres else f"{avant}→{apres}"


def _bordure(gauche: str, milieu: str, droite: str, trait: str, largeurs: list[int]) -> Text:
    return Text(gauche + milieu.join(trait * (w + 2) for w in largeurs) + droite)


def _rangee(cellules: list[Text], largeurs: list[int], filet: str, console: Console) -> list[Text]:
    """Une rangée du tableau des risques : chaque cellule repliée à sa colonne, alignée, bordée."""
    pliees = [list(c.wrap(console, w, overflow="fold")) for c, w in zip(cellules, largeurs, strict=True)]
    lignes = []
    for i in range(max(len(p) for p in pliees)):
        t = Text(filet)
        for p, w, justification in zip(pliees, largeurs, _JUSTIFICATION, strict=True):
            morceau = p[i] if i < len(p) else Text()
            vide = w - morceau.cell_len
            avant = vide // 2 if justification == "center" else 0
            t.append(" " * (1 + avant))
            t.append_text(morceau)
            t.append(" " * (vide - avant + 1) + filet)
        lignes.append(t)
    return lignes
