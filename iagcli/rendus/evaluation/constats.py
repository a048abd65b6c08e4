"""Constats communs aux formats d'annotation (SARIF, GitLab Code Quality, annotations GitHub).

Ce module n'est pas un format : il dit, une fois pour toutes, quels éléments d'un résultat
deviennent des « constats » localisés dans le fichier du cas d'usage, avec quelle gravité et
quelle empreinte stable. Les trois formats ne font ensuite que les mettre en forme.

Un constat naît :
- pour chaque risque applicable « à traiter » (résiduel au moins au niveau du paramètre
  `niveau_suggestion_mesures`, décidé par la cotation : `RisqueEvalue.a_traiter`) ;
- pour chaque règle juridique déclenchée de nature `interdiction` ou `obligation` en vigueur à la
  date d'évaluation ; une telle règle « à venir » donne un constat de gravité `faible` (note) qui
  dit sa date ; une règle échue ou sans objet (obligation de haut risque d'une pratique prohibée)
  n'en donne pas ;
- pour chaque mesure déclarée en place que les réponses démentent (`iag/mesure-contredite`,
  gravité `modéré`) ;
- pour chaque mesure prévue (`mesures_prevues`, `iag/mesure-prevue`) : une note (gravité `faible`)
  qui dit son échéance et le verdict une fois les mesures prévues en place ; gravité `modéré` si
  l'échéance est passée à la date d'évaluation ;
- pour chaque réponse d'un fichier antérieur au schéma courant dont le sens a été précisé
  (`iag/valeur-precisee`, gravité `modéré` : un avertissement, jamais une erreur) ;
- pour chaque avis signé du DPO ou du RSSI (`iag/avis`) : une note (gravité `faible`) s'il est
  valide, un avertissement (`modéré`) qui dit pourquoi sinon, placé sur la première réponse changée
  depuis la signature s'il y en a une ; pour chaque rôle sans avis d'un cas au seuil, ou fichier des
  avis invalide (`iag/avis-manquant`, `modéré`) ;
- pour chaque cas évalué avec un référentiel qui déclare les classes de l'AI Act, un constat
  `iag/classe-ai-act` (gravité `faible` : une note) qui dit la classe, ses bases et sa date, situé
  au premier champ lu par une règle qui l'établit (ou par une réponse qui la laisse ouverte) ;
- pour chaque question à compléter (`iag/a-completer`, gravité `incomplet` : la porte échoue), à la
  position de sa clé, ou là où l'ajouter ; pour chaque réponse douteuse d'une contradiction
  (`iag/reponses-contradictoires`, gravité `incomplet`) ;
- pour chaque valeur que le titre ou la description évoque et que la réponse ne déclare pas
  (`iag/description-contredit`, gravité `modéré` : un avertissement) ;
- pour chaque diagnostic d'un fichier invalide (règle `iag/invalide`) ou illisible (`iag/illisible`).

Position : la clé du premier champ déterminant présent dans le document (`donnees.categories`
-> clé `categories` sous `donnees`) ; à défaut, le plus long préfixe présent de ce champ ; à
défaut, ligne 1, colonne 1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from ...modeles.cas_usage import notes_schema

if TYPE_CHECKING:
    from ...es.chargeur import Document
    from ...modeles.cas_usage import CasUsage
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ClassificationAIAct, RegleDeclenchee, ResultatFichier

REGLE_INVALIDE = "iag/invalide"
REGLE_ILLISIBLE = "iag/illisible"
REGLE_CONTREDITE = "iag/mesure-contredite"
REGLE_SCHEMA = "iag/valeur-precisee"
REGLE_PREVUE = "iag/mesure-prevue"
REGLE_AVIS = "iag/avis"
REGLE_AVIS_MANQUANT = "iag/avis-manquant"
REGLE_CLASSE = "iag/classe-ai-act"
REGLE_A_COMPLETER = "iag/a-completer"
REGLE_CONTRADICTION = "iag/reponses-contradictoires"
REGLE_DESCRIPTION = "iag/description-contredit"

# Gravités canoniques, de la plus faible à la plus forte, puis les fichiers en faute.
GRAVITES = ("faible", "modéré", "élevé", "critique")
INTERDIT = "interdit"
INVALIDE = "invalide"
INCOMPLET = "incomplet"  # question à compléter ou réponses contradictoires : la porte échoue

NATURES_CONSTAT = ("interdiction", "obligation")


@dataclass(frozen=True)
class Constat:
    """Un constat à annoter dans une forge (SARIF, GitLab, GitHub, JUnit), situé dans son fichier."""

    fichier: str
    regle: str  # ruleId : identifiant de risque, de règle juridique, ou iag/invalide
    cle: str  # ce qui identifie le constat dans son fichier (pour l'empreinte)
    gravite: str  # une de GRAVITES, INTERDIT ou INVALIDE
    niveau: Optional[str]  # identifiant de niveau du référentiel (None pour un fichier invalide)
    titre: str  # intitulé court de la règle
    message: str
    ligne: int
    colonne: int
    champ: Optional[str] = None  # champ du cas d'usage qui situe le constat
    incertain: bool = False
    classification: Optional["ClassificationAIAct"] = None  # constat iag/classe-ai-act : la classe du cas

    @property
    def empreinte(self) -> str:
        return empreinte(self.fichier, self.cle)


def empreinte(fichier: str, cle: str) -> str:
    """sha256 du chemin et de l'identifiant du constat : ni ligne ni colonne, stable quand le texte bouge."""
    return hashlib.sha256(f"{fichier}\x00{cle}".encode("utf-8")).hexdigest()


def gravite_niveau(ref: "Referentiel", niveau: str) -> str:
    """Gravité canonique d'un niveau du référentiel.

    Les identifiants usuels (faible, modéré, élevé, critique, interdit) se correspondent
    directement ; sinon la gravité se déduit du rang du niveau dans la grille.
    """
    if niveau == ref.risques_yaml.interdit.id:
        return INTERDIT
    if niveau in GRAVITES:
        return niveau
    rang, n = ref.rang[niveau], len(ref.niveaux)
    return GRAVITES[round(rang * (len(GRAVITES) - 1) / max(n - 1, 1))]


def nettoyer(texte: object) -> str:
    """Remplace les caractères de contrôle (échappements ANSI, etc.) sauf tabulation et sauts de ligne."""
    return _CONTROLES.sub("\ufffd", str(texte))


_CONTROLES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def une_ligne(texte: object) -> str:
    """Texte sur une seule ligne : blancs (dont sauts de ligne) réduits à une espace."""
    return " ".join(nettoyer(texte).split())


MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")


def date_fr(d: dt.date) -> str:
    """« 2 décembre 2027 » (« 1er » pour le premier du mois)."""
    return f"{'1er' if d.day == 1 else d.day} {MOIS[d.month - 1]} {d.year}"


def statut_regle(d: "RegleDeclenchee") -> str:
    """« à venir (applicable le 2 décembre 2027) », « échue (applicable jusqu'au …) », « sans objet : … » ou ""."""
    # la cotation pose les deux dates avec ces statuts (evaluation.statut_regle)
    if d.statut == "à_venir" and d.applicable_depuis is not None:
        return f"à venir (applicable le {date_fr(d.applicable_depuis)})"
    if d.statut == "échue" and d.applicable_jusqu_au is not None:
        return f"échue (applicable jusqu'au {date_fr(d.applicable_jusqu_au)}), non appliquée"
    if d.statut == "sans_objet":
        return "sans objet : la pratique est prohibée, le système ne peut pas être déployé"
    return ""


def bases_classe(c: "ClassificationAIAct") -> str:
    """« annexe III, point 4 ; annexe III, point 5 a) » : les bases des règles qui établissent la classe."""
    return " ; ".join(dict.fromkeys(b.base for b in c.bases))


def date_classe(c: "ClassificationAIAct") -> str:
    """« obligations applicables le 2 décembre 2027 », « prohibition applicable depuis le 2 février 2025 » ou ""."""
    if c.applicable_depuis is None:
        return ""
    return f"{c.devant_date} {'le' if c.statut == 'à_venir' else 'depuis le'} {date_fr(c.applicable_depuis)}"


def phrase_classe(c: "ClassificationAIAct") -> str:
    """La classe de l'AI Act en une phrase, sans « AI Act : » ; aucun mot commun avec les niveaux de risque.

    « haut risque (annexe III, point 4), obligations applicables le 2 décembre 2027 » ;
    « classe à examiner : au moins transparence (art. 50, § 1) ; pratique prohibée possible selon
    identification_temps_reel ».
    """
    if c.ouverte:
        au_moins = c.libelle_au_moins or ""
        if c.bases:
            au_moins += f" ({bases_classe(c)})"
        if date_classe(c):
            au_moins += f", {date_classe(c)}"
        possibles = " ou ".join(c.libelles_possibles)
        reponses = ", ".join(c.reponses_a_examiner) or "réponses « inconnu »"
        return f"{c.libelle} : au moins {au_moins} ; {possibles} possible selon {reponses}"
    texte = c.libelle
    if c.bases:
        texte += f" ({bases_classe(c)})"
    quand = date_classe(c)
    if quand:
        texte += f", {quand}"
    return texte


def note_revue(d: "RegleDeclenchee", cas: "CasUsage") -> str:
    """Pour une règle à venir applicable au plus tard à la prochaine revue du cas."""
    if not d.avant_revue:
        return ""
    if cas.prochaine_revue is None:
        return "Elle peut s'appliquer avant la prochaine revue du cas (date à compléter) : à préparer dès maintenant."
    return f"Elle s'appliquera avant la prochaine revue du cas ({date_fr(cas.prochaine_revue)}) : à préparer dès maintenant."


def avertissement_peremption(ref: "Referentiel", date: dt.date) -> str:
    """Une ligne : la vérification juridique du référentiel a dépassé la limite fixée par le référentiel."""
    v = ref.veille
    return (
        f"la vérification juridique du référentiel date du {date_fr(v.verifiee_le)} ({v.verifiee_le.isoformat()}), "
        f"plus de {v.peremption_mois} mois avant la date d'évaluation ({date.isoformat()}) : le droit a pu changer, "
        "faites vérifier ou mettez à jour le référentiel"
    )


def chemin_champ(champ: str) -> tuple[str, ...]:
    return tuple(champ.split("."))


def localiser(document: Optional["Document"], champs: Iterable[str]) -> tuple[int, int, Optional[str]]:
    """(ligne, colonne, champ) de la clé du premier champ présent ; sinon préfixe ; sinon (1, 1, None)."""
    if document is None:
        return 1, 1, None
    champs = list(champs)
    for champ in champs:
        pos = document.position(chemin_champ(champ), cle=True)
        if pos is not None:
            return pos.ligne, pos.colonne, champ
    for champ in champs:
        chemin = chemin_champ(champ)
        for n in range(len(chemin) - 1, 0, -1):
            pos = document.position(chemin[:n], cle=True)
            if pos is not None:
                return pos.ligne, pos.colonne, ".".join(chemin[:n])
    return 1, 1, None


def constats(r: "ResultatFichier", ref: "Referentiel") -> Iterator[Constat]:
    """Les constats d'un fichier, dans l'ordre : fautes du fichier, règles juridiques, risques."""
    if r.evaluation is None or r.cas is None:  # pas évalué : seulement les diagnostics du fichier
        yield from _constats_fichier(r)
        return
    ev, cas, doc = r.evaluation, r.cas, r.document
    titre_cas = une_ligne(cas.titre)
    for d in ev.regles:
        if d.nature not in NATURES_CONSTAT or d.statut in ("échue", "sans_objet"):
            continue
        regle = ref.regles[d.id]
        if d.statut == "à_venir":  # listée, sans effet sur le verdict : une note
            niveau = ref.niveaux[0].id
        elif d.nature == "interdiction":
            niveau = ref.risques_yaml.interdit.id
        else:
            niveau = regle.niveau_minimum or ev.niveau_a_traiter
        ligne, colonne, champ = localiser(doc, [c for c, _ in d.champs])
        message = f"{titre_cas} : {d.nature} {d.id} « {regle.titre} » ({regle.texte})"
        if d.statut == "à_venir":
            message += f", {statut_regle(d)}"
        message += f". {une_ligne(regle.consequence)}"
        if d.avant_revue:
            message += " " + note_revue(d, cas)
        if d.incertaine:
            message += " À confirmer : déclenchée par une réponse « inconnu » ou manquante."
        gravite = "faible" if d.statut == "à_venir" else gravite_niveau(ref, niveau)
        yield Constat(r.fichier, d.id, d.id, gravite, niveau, regle.titre, message, ligne, colonne, champ, d.incertaine)

    if ev.classification is not None:
        classe = ev.classification
        lus = [*classe.reponses_a_examiner, *(ch for d in ev.regles if d.id in {b.regle for b in classe.bases} for ch, _ in d.champs)]
        ligne, colonne, champ = localiser(doc, lus)
        yield Constat(r.fichier, REGLE_CLASSE, "classe-ai-act", "faible", None, "Classe de l'AI Act",
                      f"{titre_cas} : AI Act : {phrase_classe(classe)}.", ligne, colonne, champ, classe.ouverte, classe)

    for m in ev.mesures_contredites:
        mesure = ref.mesures[m.id]
        ligne, colonne, champ = localiser(doc, [c for c, _ in m.champs] + ["mesures_en_place"])
        message = f"{titre_cas} : mesure {m.id} « {mesure.titre} » déclarée en place mais non créditée : {une_ligne(m.raison)}"
        if m.incertaine:
            message += " (réponse « inconnu » ou manquante : la mesure ne peut pas être créditée)"
        yield Constat(r.fichier, REGLE_CONTREDITE, f"mesure-contredite:{m.id}", "modéré", None,
                      "Mesure déclarée mais démentie par les réponses", message, ligne, colonne, champ, m.incertaine)

    for i, p in enumerate(cas.mesures_prevues):
        mesure = ref.mesures[p.id]
        pos = doc.position(("mesures_prevues", i, "id")) if doc is not None else None
        ligne, colonne, champ = (pos.ligne, pos.colonne, "mesures_prevues") if pos else localiser(doc, ["mesures_prevues"])
        retard = p.id in ev.prevues_en_retard
        message = f"{titre_cas} : mesure {p.id} « {mesure.titre} » prévue pour le {date_fr(p.echeance)}"
        if p.responsable:
            message += f" (responsable : {une_ligne(p.responsable)})"
        message += " : échéance passée, la mesure n'est toujours pas en place." if retard else "."
        if ev.verdict_apres_prevues is not None:
            message += f" Verdict une fois les mesures prévues en place : {ref.niveau_par_id[ev.verdict_apres_prevues].libelle.lower()}."
        yield Constat(r.fichier, REGLE_PREVUE, f"mesure-prevue:{p.id}", "modéré" if retard else "faible", None,
                      "Mesure prévue", message, ligne, colonne, champ)

    for n in notes_schema(cas):
        ligne, colonne, champ = localiser(doc, [n.champ])
        yield Constat(r.fichier, REGLE_SCHEMA, f"valeur-precisee:{n.champ}:{n.valeur}", "modéré", None,
                      "Valeur dont le sens a été précisé", f"{titre_cas} : {n.message}", ligne, colonne, champ)

    if r.validation is not None:
        yield from _constats_avis(r)
    from ...moteur.completude import phrase_a_completer, situer_tout

    questions = situer_tout(ev.a_completer, doc)
    for q in questions:
        message = (f"{titre_cas} : {phrase_a_completer(len(questions))} ; « {q.champ} » ({q.titre}) : {une_ligne(q.question)} "
                   f"({'réponse à donner' if q.presente else q.ou}). Verdict compté au pire cas que permet cette question.")
        yield Constat(r.fichier, REGLE_A_COMPLETER, f"a-completer:{q.champ}", INCOMPLET, None, "Question à compléter",
                      message, q.ligne, q.colonne, q.champ)
    for x in ev.contradictions:
        for c in x.douteuses:
            ligne, colonne, champ = localiser(doc, [c])
            message = (f"{titre_cas} : réponses contradictoires ({x.id}) : {une_ligne(x.message)} ; « {c} » est "
                       "comptée comme non répondue (pire cas) : la revoir.")
            yield Constat(r.fichier, REGLE_CONTRADICTION, f"contradiction:{x.id}:{c}", INCOMPLET, None,
                          "Réponses contradictoires", message, ligne, colonne, champ)

    for a in ev.alertes_texte:
        ligne, colonne, champ = localiser(doc, [a.champ])
        yield Constat(r.fichier, REGLE_DESCRIPTION, f"description:{a.champ}:{a.valeur}", "modéré", None,
                      "La description contredit les réponses", f"{titre_cas} : {nettoyer(a.phrase())}.", ligne, colonne, champ)

    for e in ev.a_traiter:
        risque = ref.risques[e.id]
        libelle = ref.niveau_par_id
        ligne, colonne, champ = localiser(doc, e.champs_determinants)
        message = (
            f"{titre_cas} : risque {e.id} « {risque.titre} » de niveau résiduel {libelle[e.residuel.niveau].libelle.lower()}"
            f" (P{e.residuel.probabilite} G{e.residuel.gravite} ; inhérent {libelle[e.initial.niveau].libelle.lower()},"
            f" P{e.initial.probabilite} G{e.initial.gravite})."
        )
        possibles = [m.id for m, _ in ref.compile_par_risque[e.id].mesures if m.id not in e.mesures_appliquees]
        if possibles:
            message += f" Mesures possibles : {', '.join(possibles)}."
        plafond = [t for t in e.trace if t.genre in ("plafond_credit", "plancher")]
        if plafond:
            message += " Crédit des mesures limité : " + " ; ".join(une_ligne(t.texte) for t in plafond) + "."
        if e.incertain:
            message += " Réponse « inconnu » ou manquante comptée comme le pire cas."
        yield Constat(r.fichier, e.id, e.id, gravite_niveau(ref, e.residuel.niveau), e.residuel.niveau, risque.titre, message, ligne, colonne, champ, e.incertain)


def _constats_avis(r: "ResultatFichier") -> Iterator[Constat]:
    """Un constat par avis signé (son état), par rôle manquant d'un cas au seuil, par faute du fichier des avis."""
    from ...modeles.avis import LIBELLES

    v, doc = r.validation, r.document
    assert v is not None and r.cas is not None
    titre_cas = une_ligne(r.cas.titre)
    for a in v.avis:
        ligne, colonne = 1, 1
        if a.reponses_changees and doc is not None:
            pos = doc.position((a.reponses_changees[0][0],), cle=True)
            if pos is not None:
                ligne, colonne = pos.ligne, pos.colonne
        yield Constat(r.fichier, REGLE_AVIS, f"avis:{a.role}:{a.identite}", "faible" if a.valide else "modéré", None,
                      "Avis signé du DPO ou du RSSI", f"{titre_cas} : avis {une_ligne(a.phrase)}", ligne, colonne,
                      a.reponses_changees[0][0] if a.reponses_changees else None)
    if r.au_seuil:
        for role in v.roles_manquants:
            yield Constat(r.fichier, REGLE_AVIS_MANQUANT, f"avis-manquant:{role}", "modéré", None, "Avis manquant",
                          f"{titre_cas} : aucun avis signé du {LIBELLES.get(role, role)} (iag avis signer) : la validation "
                          "conjointe du DPO et du RSSI n'est pas accordée", 1, 1)
    for i, e in enumerate(v.erreurs):
        yield Constat(r.fichier, REGLE_AVIS_MANQUANT, f"avis-invalide:{i}", "modéré", None, "Fichier des avis invalide",
                      f"{titre_cas} : {une_ligne(e)}", 1, 1)


REGLE_IGNORE = "iag/ignore"


def constats_ignores(bilan: "Bilan") -> Iterator[Constat]:
    """Une note par chemin ignoré d'un dossier évalué (caché, sans extension .yaml/.yml, lien)."""
    for chemin, raison in bilan.ignores:
        yield Constat(chemin, REGLE_IGNORE, f"ignore:{chemin}", "faible", None, "Chemin ignoré",
                      f"{nettoyer(chemin)} : ignoré, {raison} ; il n'est pas évalué", 1, 1)


def _constats_fichier(r: "ResultatFichier") -> Iterator[Constat]:
    regle = REGLE_ILLISIBLE if r.illisible else REGLE_INVALIDE
    titre = "Fichier illisible" if r.illisible else "Cas d'usage invalide"
    vus: dict[str, int] = {}
    for d in r.diagnostics:
        # Deux fautes de même message dans un fichier : un numéro d'ordre garde les empreintes distinctes.
        cle = f"{regle.removeprefix('iag/')}:{d.message}"
        vus[cle] = vus.get(cle, 0) + 1
        if vus[cle] > 1:
            cle = f"{cle}#{vus[cle]}"
        yield Constat(r.fichier, regle, cle, INVALIDE, None, titre, nettoyer(d.message), d.ligne or 1, d.colonne or 1)
