"""Rapport Markdown, à coller dans un commentaire de merge request ou un résumé de job GitHub.

Par cas d'usage : un titre, le verdict, le tableau des risques, les règles juridiques, les
mesures suggérées et les recommandations ; à la fin, un tableau de synthèse.

Tout texte venu d'un fichier (cas d'usage ou référentiel) passe par `echapper` : une seule
ligne, caractères de contrôle remplacés, `& < >` en entités HTML, ponctuation Markdown
précédée d'une barre oblique inverse (dont `|` pour les tableaux), mentions `@` désamorcées.
Le texte d'une proposition ne peut donc ni injecter de balises, ni casser un tableau.

Le format `github` réutilise ce rapporteur tel quel pour le résumé de job (`GITHUB_STEP_SUMMARY`),
avec `taille_max` ; `section_cas`, `ligne_synthese` et `section_bilan` sont les fonctions de rendu.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional, TextIO

from ...modeles.types import accord, nombre
from . import Base, OptionsRapport
from .constats import avertissement_peremption, date_fr, une_ligne
from .vue import MAX_MESURES, MAX_RECOMMANDATIONS, compte_bilan, fichier_fautif, vue_cas

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ResultatFichier

_ENTITES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_PONCTUATION = set("\\`*_[]#!|~$")
_MENTION = re.compile(r"@(?=\w)")


def echapper(texte: object) -> str:
    """Texte utilisateur sûr dans un paragraphe, un titre ou une cellule de tableau Markdown."""
    sortie = []
    for c in une_ligne(texte):
        if c in _ENTITES:
            sortie.append(_ENTITES[c])
        elif c in _PONCTUATION:
            sortie.append("\\" + c)
        else:
            sortie.append(c)
    # « @nom » notifierait quelqu'un dans GitLab ou GitHub : un espace sans chasse l'en empêche.
    return _MENTION.sub("@\u200b", "".join(sortie))


def _libelle(ref: "Referentiel", niveau: str) -> str:
    return echapper(ref.niveau_par_id[niveau].libelle)


def _evolution(avant: int, apres: int) -> str:
    return str(avant) if avant == apres else f"{avant}→{apres}"


def section_cas(r: "ResultatFichier", ref: "Referentiel", seuil: Optional[str] = None, niveau_titre: int = 3,
                details: bool = False) -> str:
    """La section Markdown d'un résultat (cas évalué ou fichier invalide)."""
    h = "#" * niveau_titre
    lignes: list[str] = []
    if r.evaluation is None:
        etat, diagnostics = fichier_fautif(r)
        lignes.append(f"{h} {echapper(r.fichier)} : {etat}")
        lignes.append("")
        lignes += [f"- {ou}{echapper(message)}" for ou, message in diagnostics]
        lignes.append("")
        return "\n".join(lignes) + "\n"

    v = vue_cas(r, ref, seuil, details=details)
    lignes.append(f"{h} {echapper(v.titre)}")
    lignes.append("")
    lignes.append(f"Fichier : {echapper(v.fichier)} · Service : {echapper(v.service)} · Statut : {echapper(v.statut)}")
    lignes.append("")
    verdict = f"**Verdict : {_libelle(ref, v.verdict)}** ({echapper(v.motif)})"
    if v.au_seuil and seuil is not None:
        verdict += f" : au-dessus du seuil ({_libelle(ref, seuil)})"
    lignes.append(verdict)
    lignes.append("")
    if v.classe_ai_act:  # à côté du verdict, en mots distincts des niveaux de risque
        lignes += [f"**{echapper(v.classe_ai_act)}**", ""]
    if v.validation:
        (accordee, tete), *avis = v.validation
        lignes.append(f"**{echapper(tete)}**")
        lignes.append("")
        lignes += [f"- {'✅' if ok else '❌'} {echapper(p)}" for ok, p in avis]
        lignes.append("")
    lignes.append(f"Exigences : {echapper(v.exigences)}")
    lignes.append("")
    if v.a_completer:
        lignes.append(f"**Incomplet : {v.titre_a_completer}**, {accord(len(v.a_completer), 'comptée')} comme le pire cas (le verdict ne peut que monter) :")
        lignes.append("")
        lignes.extend(f"- {echapper(q.texte)}" for q in v.a_completer)
        lignes.append("")
    for c in v.contradictions:
        lignes.append(f"**Incomplet** : {echapper(c.texte)}")
        lignes.append("")
    if v.inconnues:
        lignes.append("Réponses « inconnu » comptées comme le pire cas : " + ", ".join(echapper(c) for c in v.inconnues))
        lignes.append("")

    for mid, raison in v.contredites:
        lignes.append(f"Mesure {echapper(mid)} déclarée mais non créditée : {echapper(raison)}")
        lignes.append("")

    for alerte in v.alertes:
        lignes.append(echapper(alerte))
        lignes.append("")
    for champ, message in v.notes:
        lignes.append(f"Avertissement ({echapper(champ)}) : {echapper(message)}")
        lignes.append("")

    if v.risques:
        lignes.append("| ID | Risque | P | G | Inhérent → résiduel |")
        lignes.append("| --- | --- | :-: | :-: | --- |")
        for e in v.risques:
            titre = echapper(e.titre)
            if e.incertain:
                titre += " (réponse inconnue ou manquante)"
            niveaux = _libelle(ref, e.niveau_initial)
            if e.niveau_residuel != e.niveau_initial:
                niveaux += f" → {_libelle(ref, e.niveau_residuel)}"
            lignes.append(f"| {echapper(e.id)} | {titre} | {_evolution(*e.probabilite)} | {_evolution(*e.gravite)} | {niveaux} |")
    else:
        lignes.append("Aucun risque du référentiel ne s'applique à ce cas.")
    lignes.append("")
    if any(e.raisons for e in v.risques):
        lignes += [f"- **{echapper(e.id)}** {echapper(e.parce_que)}" for e in v.risques if e.raisons]
        lignes.append("")
    if v.limites:
        for i, textes in v.limites:
            lignes.append(f"- {echapper(i)} : " + " ; ".join(echapper(t) for t in textes))
        lignes.append("")

    if v.regles:
        date = f" au {date_fr(v.date)}" if v.date is not None else ""
        lignes.append(f"**Règles juridiques applicables{date}**")
        lignes.append("")
        for regle in v.regles:
            quand = "" if regle.en_vigueur else f", {regle.nature} {echapper(regle.statut)}"  # listée, sans effet sur le verdict
            ligne = f"- **{regle.etiquette}** {echapper(regle.id)} {echapper(regle.titre)} ({echapper(regle.texte)}){quand} : {echapper(regle.consequence)}"
            if regle.note_revue:
                ligne += f" **{echapper(regle.note_revue)}**"
            if regle.incertaine:
                ligne += " *À confirmer : réponse inconnue ou manquante.*"
            lignes.append(ligne)
        lignes.append("")

    if v.mesures:
        lignes.append(f"**Mesures à mettre en place** (risques {_libelle(ref, v.niveau_a_traiter).lower()} et au-delà)")
        lignes.append("")
        for m in v.mesures[:MAX_MESURES]:
            lignes.append(f"- {echapper(m.id)} {echapper(m.titre)} : traite {', '.join(echapper(c) for c in m.cibles)}")
        if len(v.mesures) > MAX_MESURES:
            lignes.append(f"- … et {nombre(len(v.mesures) - MAX_MESURES, 'autre')} : " + ", ".join(echapper(m.id) for m in v.mesures[MAX_MESURES:]))
        lignes.append("")

    if v.recommandations:
        lignes.append("**Recommandations**")
        lignes.append("")
        for rid, titre in v.recommandations[:MAX_RECOMMANDATIONS]:
            lignes.append(f"- {echapper(rid)} {echapper(titre)}")
        reste = len(v.recommandations) - MAX_RECOMMANDATIONS
        if reste > 0:
            lignes.append(f"- … et {nombre(reste, 'autre')} : `iag recommandations ID` pour le détail")
        lignes.append("")
    if v.prevues:
        lignes += ["**Mesures prévues**", "", "| Mesure | Intitulé | Échéance | Responsable | État |", "| --- | --- | --- | --- | --- |"]
        for p in v.prevues:
            etat = f"**{echapper(p.etat)}**" if p.en_retard else echapper(p.etat)
            lignes.append(f"| {echapper(p.id)} | {echapper(p.titre)} | {p.echeance.isoformat()} | {echapper(p.qui)} | {etat} |")
        lignes.append("")
    for ligne in v.lignes_plan:
        lignes += [f"**{echapper(ligne)}**", ""]
    return "\n".join(lignes) + "\n"


def ligne_synthese(r: "ResultatFichier", ref: "Referentiel", seuil: Optional[str] = None) -> str:
    """Une ligne du tableau de synthèse (gardée en mémoire : quelques dizaines d'octets par cas)."""
    if r.evaluation is None:
        etat = "illisible" if r.illisible else "invalide"
        return f"| {echapper(r.fichier)} | | **{etat}** |"
    verdict = _libelle(ref, r.evaluation.verdict)
    if r.au_seuil:
        verdict = f"**{verdict}** (au-dessus du seuil" + (", validé par le DPO et le RSSI)" if r.valide_par_avis else ")")
    assert r.cas is not None  # un cas évalué a toujours son modèle
    return f"| {echapper(r.fichier)} | {echapper(r.cas.titre)} | {verdict} |"


def section_bilan(lignes_synthese: list[str], bilan: "Bilan", ref: "Referentiel", seuil: Optional[str] = None, niveau_titre: int = 3) -> str:
    h = "#" * niveau_titre
    sortie = [f"{h} Synthèse", ""]
    if lignes_synthese:
        sortie += ["| Fichier | Cas d'usage | Verdict |", "| --- | --- | --- |", *lignes_synthese, ""]
    sortie += [" · ".join(echapper(x) for x in compte_bilan(bilan, ref, seuil)), ""]
    return "\n".join(sortie) + "\n"


class Rapporteur(Base):
    """Options : `seuil` (identifiant de niveau ou None) ; `taille_max` (octets), borne stricte du
    rapport : la moitié pour le détail des cas (au-delà, le détail des cas suivants est omis), le
    reste pour la synthèse (au-delà, les lignes suivantes sont omises, les compteurs restent justes)."""

    MARGE = 2048  # titre, compteurs et mentions d'omission

    def __init__(self, flux: TextIO, referentiel: "Referentiel", options: OptionsRapport):
        super().__init__(flux, referentiel, options)
        self.taille_max = options.taille_max
        self.ouvert = False
        self.details = 0  # octets du détail des cas déjà écrits
        self.cas_omis = 0
        self.synthese: list[str] = []
        self.taille_synthese = 0
        self.lignes_omises = 0

    @staticmethod
    def _taille(texte: str) -> int:
        return len(texte.encode("utf-8"))

    def _ouvrir(self) -> None:
        if not self.ouvert:
            self.ouvert = True
            self.flux.write("## Évaluation iag\n\n")
            if self.date is not None:
                self.flux.write(f"Date d'évaluation : {date_fr(self.date)} ({self.date.isoformat()})\n\n")
                if self.ref.perime_le(self.date):
                    self.flux.write(f"> **Avertissement** : {echapper(avertissement_peremption(self.ref, self.date))}\n\n")

    def resultat(self, r: "ResultatFichier") -> None:
        self._ouvrir()
        ligne = ligne_synthese(r, self.ref, self.seuil)
        if self.taille_max is None or self.taille_synthese + self._taille(ligne) + 1 <= self.taille_max - self.taille_max // 2 - self.MARGE:
            self.synthese.append(ligne)
            self.taille_synthese += self._taille(ligne) + 1
        else:
            self.lignes_omises += 1
        section = section_cas(r, self.ref, self.seuil, details=self.options.toutes_raisons)
        if self.taille_max is not None and (self.cas_omis or self.details + self._taille(section) > self.taille_max // 2):
            self.cas_omis += 1
            return
        self.flux.write(section)
        self.details += self._taille(section)

    def fin(self, bilan: "Bilan") -> None:
        self._ouvrir()
        if self.cas_omis:
            self.flux.write(f"*Détail de {self.cas_omis} cas omis (taille maximale du rapport atteinte).*\n\n")
        lignes = list(self.synthese)
        if self.lignes_omises:
            lignes.append(f"| … {nombre(self.lignes_omises, 'autre fichier')} | | |")
        self.flux.write(section_bilan(lignes, bilan, self.ref, self.seuil))
        self.flux.flush()
