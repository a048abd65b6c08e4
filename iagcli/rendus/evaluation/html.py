"""Rapport HTML d'`iag evaluer` : une page autonome à ouvrir dans un navigateur ou à imprimer.

Par cas (une section, une page A4 à l'impression) : titre, verdict en toutes lettres, exigences,
grilles avant et après les mesures (SVG avec le niveau de chaque case écrit), tableau des risques,
règles juridiques, mesures suggérées, recommandations, mesures prévues (échéance, responsable,
retard) et les lignes du plan sous le seuil du Markdown. En tête, le bilan du lot et le sommaire (un
lien vers chaque cas, avec son verdict). Règles de sûreté et d'accessibilité : voir `rendus/commun/html.py`.
Sections rendues au fil de l'eau dans un fichier temporaire ; seule une ligne de sommaire par cas reste
en mémoire.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import TYPE_CHECKING, Optional, TextIO

from ..commun.html import FIN_PAGE, debut_page, grille_svg, niveau, t, tableau
from . import Base, OptionsRapport

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ResultatFichier, RisqueEvalue
    from .vue import VueCas
from ...modeles.types import accord
from .constats import avertissement_peremption, date_fr
from .vue import compte_bilan, fichier_fautif, vue_cas

MAX_IDS_PAR_CASE = 4
_EN_MEMOIRE = 8 * 1024 * 1024  # sections gardées en mémoire jusque-là, puis sur disque


def _ids_par_case(risques: "Iterable[RisqueEvalue]", residuel: bool) -> dict[tuple[int, int], list[str]]:
    cases: dict[tuple[int, int], list[str]] = {}
    for e in risques:
        c = e.residuel if residuel else e.initial
        cases.setdefault((c.probabilite, c.gravite), []).append(e.id)
    return cases


def _texte_case(ids: list[str]) -> str:
    if len(ids) <= MAX_IDS_PAR_CASE:
        return " ".join(ids)
    return " ".join(ids[: MAX_IDS_PAR_CASE - 1]) + f" +{len(ids) - MAX_IDS_PAR_CASE + 1}"


def section_cas(r: "ResultatFichier", ref: "Referentiel", seuil: Optional[str] = None, ancre: Optional[str] = None,
                details: bool = False) -> str:
    """La section HTML d'un résultat (cas évalué, fichier invalide ou illisible) ; `ancre` : son id,
    cible du lien du sommaire."""
    s: list[str] = [f'<section class="cas" id="{t(ancre)}">' if ancre else '<section class="cas">']
    if r.evaluation is None:
        etat, diagnostics = fichier_fautif(r)
        s.append(f"<h2>{t(r.fichier)} : {etat}</h2>")
        s.append('<ul class="alerte">')
        s.extend(f"<li>{ou}{t(message)}</li>" for ou, message in diagnostics)
        s.append("</ul></section>")
        return "\n".join(s) + "\n"

    ev = r.evaluation
    v = vue_cas(r, ref, seuil, details=details)  # plan compris, comme le Markdown
    s.append(f"<h2>{t(v.titre)}</h2>")
    s.append(f'<p class="meta">Fichier : {t(v.fichier)} · Service : {t(v.service)} · Statut : {t(v.statut)} · '
             f"Prochaine revue : {t(v.prochaine_revue)}</p>")
    verdict = f'<p class="verdict"><strong>Verdict : {niveau(ref, v.verdict)}</strong> ({t(v.motif)})'
    if seuil is not None and v.au_seuil:
        verdict += f" : <strong>au-dessus du seuil</strong> ({t(ref.niveau_par_id[seuil].libelle)})"
    s.append(verdict + "</p>")
    if v.classe_ai_act:  # à côté du verdict, en mots distincts des niveaux de risque
        s.append(f'<p class="classe-ai-act"><strong>{t(v.classe_ai_act)}</strong></p>')
    if v.validation:
        (accordee, tete), *avis = v.validation
        alerte = ' class="alerte"'
        s.append(f"<p{'' if accordee else alerte}><strong>{t(tete)}</strong></p>")
        if avis:
            s.append("<ul>" + "".join(f"<li{'' if ok else alerte}>{t(p)}</li>" for ok, p in avis) + "</ul>")
    s.append(f"<p>Exigences : {t(v.exigences)}</p>")
    if v.a_completer:
        s.append(f'<p class="alerte"><strong>Incomplet : {t(v.titre_a_completer)}</strong>, {accord(len(v.a_completer), "comptée")} comme le pire cas '
                 "(le verdict ne peut que monter) :</p>")
        s.append('<ul class="alerte">' + "".join(f"<li>{t(q.texte)}</li>" for q in v.a_completer) + "</ul>")
    for c in v.contradictions:
        s.append(f'<p class="alerte"><strong>Incomplet</strong> : {t(c.texte)}</p>')
    if v.inconnues:
        s.append("<p>Réponses « inconnu » comptées comme le pire cas : " + ", ".join(t(c) for c in v.inconnues) + "</p>")
    for mid, raison in v.contredites:
        s.append(f'<p class="alerte">Mesure {t(mid)} déclarée mais non créditée : {t(raison)}</p>')
    for alerte in v.alertes:
        s.append(f'<p class="alerte">{t(alerte)}</p>')
    for champ, message in v.notes:
        s.append(f'<p class="alerte">Avertissement ({t(champ)}) : {t(message)}</p>')

    if v.risques:
        avant, apres = _ids_par_case(ev.risques, False), _ids_par_case(ev.risques, True)
        s.append('<div class="grilles">')
        s.append(grille_svg(ref, "Avant les mesures (risque inhérent)", lambda p, g: _texte_case(avant.get((p, g), []))))
        s.append(grille_svg(ref, "Après les mesures (risque résiduel)", lambda p, g: _texte_case(apres.get((p, g), []))))
        s.append("</div>")
        lignes = []
        for e in v.risques:
            titre = t(e.titre) + (" (réponse inconnue ou manquante)" if e.incertain else "")
            lignes.append([t(e.id), titre, f"{e.probabilite[0]} → {e.probabilite[1]}",
                           f"{e.gravite[0]} → {e.gravite[1]}", niveau(ref, e.niveau_initial), niveau(ref, e.niveau_residuel)])
        s.append(tableau(["Identifiant", "Risque", "Probabilité", "Gravité", "Inhérent", "Résiduel"], lignes, "Risques du cas"))
        if any(e.raisons for e in v.risques):
            s.append('<ul class="raisons">' + "".join(f"<li><strong>{t(e.id)}</strong> {t(e.parce_que)}</li>"
                                                     for e in v.risques if e.raisons) + "</ul>")
    else:
        s.append("<p>Aucun risque du référentiel ne s'applique à ce cas.</p>")

    if v.regles:
        quand = f" au {date_fr(v.date)}" if v.date is not None else ""
        s.append(f"<h3>Règles juridiques{t(quand)}</h3><ul>")
        etiquettes = {"interdiction": "Interdiction", "obligation": "Obligation", "information": "Information"}
        for d in v.regles:
            etat = etiquettes[d.nature] if d.en_vigueur else f"{etiquettes[d.nature]} {d.statut}"
            ligne = f"<li><strong>{t(etat)}</strong> {t(d.id)} {t(d.titre)} ({t(d.texte)}) : {t(d.consequence)}"
            if d.note_revue:
                ligne += f" <strong>{t(d.note_revue)}</strong>"
            if d.incertaine:
                ligne += " <em>À confirmer : réponse inconnue ou manquante.</em>"
            s.append(ligne + "</li>")
        s.append("</ul>")
    if v.mesures:
        s.append("<h3>Mesures à mettre en place</h3><ul>")
        s.extend(f"<li>{t(m.id)} {t(m.titre)}</li>" for m in v.mesures)
        s.append("</ul>")
    if v.recommandations:
        s.append("<h3>Recommandations</h3><ul>")
        s.extend(f"<li>{t(x)} {t(titre)}</li>" for x, titre in v.recommandations)
        s.append("</ul>")
    s.extend(_prevues_et_plan(v))
    s.append("</section>")
    return "\n".join(s) + "\n"


def _prevues_et_plan(v: "VueCas") -> list[str]:
    """Mesures prévues (échéance, responsable, retard écrit en toutes lettres) puis les lignes du
    Markdown, mot pour mot et dans son ordre : verdict après les mesures prévues, retards, plan."""
    if not v.prevues and not v.lignes_plan:
        return []
    # les lignes du plan commencent par ce qu'elles disent (« Après les mesures prévues », « Sous le seuil »)
    s = [f"<h3>{'Mesures prévues' if v.prevues else 'Plan sous le seuil'}</h3>"]
    if v.prevues:
        lignes = []
        for m in v.prevues:
            etat = f"<strong>{t(m.etat)}</strong>" if m.en_retard else t(m.etat)
            lignes.append([t(m.id), t(m.titre), t(m.echeance.isoformat()),
                           t(m.qui), etat])
        s.append(tableau(["Mesure", "Intitulé", "Échéance", "Responsable", "État"], lignes, "Mesures prévues du cas"))
    s.extend(f"<p><strong>{t(ligne)}</strong></p>" for ligne in v.lignes_plan)
    return s


class Rapporteur(Base):
    """Le bilan d'abord, puis le sommaire (un lien vers chaque cas), puis les cas.

    Les sections des cas sont rendues au fil de l'eau dans un fichier temporaire (en mémoire jusqu'à
    quelques mégaoctets, sur disque au-delà), recopié après le bilan : seule une ligne de sommaire par
    cas reste en mémoire, quelle que soit la taille du lot."""

    def __init__(self, flux: TextIO, referentiel: "Referentiel", options: OptionsRapport):
        super().__init__(flux, referentiel, options)
        self.sections = tempfile.SpooledTemporaryFile(max_size=_EN_MEMOIRE, mode="w+", encoding="utf-8")
        self.lignes: list[list[str]] = []

    def resultat(self, r: "ResultatFichier") -> None:
        ancre = f"cas-{len(self.lignes) + 1}"
        self.sections.write(section_cas(r, self.ref, self.seuil, ancre, details=self.options.toutes_raisons))
        self.sections.write('<p class="retour"><a href="#bilan">Retour au bilan</a></p>\n')
        lien = f'<a href="#{ancre}">{{}}</a>'
        if r.evaluation is None:
            self.lignes.append([lien.format(t(r.fichier)), "", "<strong>illisible</strong>" if r.illisible else "<strong>invalide</strong>"])
        else:
            assert r.cas is not None
            verdict = niveau(self.ref, r.evaluation.verdict)
            if self.seuil is not None and r.au_seuil:  # « au seuil » décidé par le contrôleur
                verdict += " (au-dessus du seuil, validé par le DPO et le RSSI)" if r.valide_par_avis else " (au-dessus du seuil)"
            self.lignes.append([lien.format(t(r.fichier)), lien.format(t(r.cas.titre)), verdict])

    def fin(self, bilan: "Bilan") -> None:
        quand = f"Date d'évaluation : {date_fr(self.date)} ({self.date.isoformat()}) · " if self.date is not None else ""
        self.flux.write(debut_page("Évaluation iag", f"{quand}Référentiel {self.ref.risques_yaml.version}"))
        if self.date is not None and self.ref.perime_le(self.date):
            self.flux.write(f'<p class="alerte">Avertissement : {t(avertissement_peremption(self.ref, self.date))}</p>\n')
        self.flux.write('<section class="vue" id="bilan"><h2>Bilan</h2>\n')
        self.flux.write(f"<p>{t(' · '.join(compte_bilan(bilan, self.ref, self.seuil)))}</p>\n")
        # Le sommaire : un lien vers chaque cas, dans l'ordre du rapport, avec son verdict.
        n = len(self.lignes)
        self.flux.write('<nav aria-label="Sommaire des cas">\n')
        self.flux.write(tableau(["Fichier", "Cas d'usage", "Verdict"], self.lignes,
                                f"Sommaire : {n} fichier{'s' if n > 1 else ''}, un lien vers chacun"))
        self.flux.write("</nav>\n</section>\n")
        self.sections.seek(0)
        shutil.copyfileobj(self.sections, self.flux)
        self.sections.close()
        self.flux.write(FIN_PAGE)
        self.flux.flush()
