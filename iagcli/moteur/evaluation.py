"""La cotation : une fonction pure de (cas d'usage, référentiel, date).

Pour chaque risque applicable : probabilité et gravité de base, plus chaque pondération dont la
condition est vraie, bornées à l'échelle ; la grille donne le niveau inhérent ; les mesures en place
donnent le niveau résiduel. Une réponse `inconnu` compte comme le pire cas : une condition
indéterminée rend le risque applicable et déclenche les hausses, jamais les baisses.

Crédit des mesures : une mesure que les réponses démentent (`contredite_si`) n'est pas créditée ;
les baisses des autres sont plafonnées par `parametres.credit_mesures` (par dimension), puis le
résiduel ne descend pas sous le `plancher` du risque (sans dépasser l'inhérent). Chaque étape est
monotone : une mesure de plus ne fait jamais monter un risque.

Règles juridiques à une date : une règle pas encore applicable est listée « à venir » sans effet
sur le verdict ; une règle échue est listée « échue », sans effet non plus ; une obligation d'une
classe de l'AI Act moins haute qu'une pratique prohibée en vigueur est « sans objet ». La classe de
l'AI Act (`classification.classer`) est rangée dans l'Evaluation, distincte du verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from ..modeles.cas_usage import CasUsage
from ..modeles.referentiel import RegleJuridique
from ..modeles.types import A_COMPLETER, INCONNU, NON_REPONDUE, SANS_OBJET, nombre
from .classification import classer, sans_objet
from .completude import a_completer, reponses_du_cas
from .lexiques import AlerteTexte, alertes
from .referentiel import Referentiel, RisqueCompile
from .resultat import Cotation, Etape, Evaluation, MesureContredite, RegleDeclenchee, RisqueEvalue


def _borner(v: int, maximum: int) -> int:
    return min(max(v, 1), maximum)


def _affichable(v: Any) -> object:
    if v is NON_REPONDUE:
        return A_COMPLETER
    if v is SANS_OBJET:
        return None
    return [x.value for x in v] if isinstance(v, list) else v.value


def _affichables(reponses: dict[str, Any]) -> dict[str, object]:
    """Réponses telles qu'écrites dans le fichier (texte ou liste de textes), « À compléter » pour une
    question non répondue, None pour une question sans objet : pour la trace."""
    return {chemin: _affichable(v) for chemin, v in reponses.items()}


def _lues(affichables: dict[str, object], chemins: tuple[str, ...]) -> tuple[tuple[str, object], ...]:
    return tuple((chemin, affichables[chemin]) for chemin in chemins)


def _evaluer_risque(rc: RisqueCompile, lues: dict[str, Any], lisibles: dict[str, object], ref: Referentiel, en_place: set[str],
                    contredites: dict[str, MesureContredite]) -> RisqueEvalue | None:
    risque = rc.risque
    trace: list[Etape] = []
    determinants: list[str] = []
    if rc.applicabilite is not None:
        applicable = rc.applicabilite(lues)
        if applicable is False:
            return None
        trace.append(Etape("applicabilite", "risque applicable", champs=_lues(lisibles, rc.champs_applicabilite), incertain=applicable is None))
        determinants.extend(rc.champs_applicabilite)
    p, g = risque.probabilite, risque.gravite
    trace.append(Etape("base", "cotation de base", p, g))
    for pc in rc.ponderations:
        vrai = pc.evaluer(lues)
        if vrai is False:
            continue
        dp, dg = pc.ponderation.probabilite, pc.ponderation.gravite
        if vrai is None:  # indéterminé : seules les hausses s'appliquent (pire cas)
            dp, dg = max(dp, 0), max(dg, 0)
            if dp == dg == 0:
                continue
        p, g = p + dp, g + dg
        trace.append(Etape("ponderation", pc.ponderation.raison, dp, dg, _lues(lisibles, pc.champs), vrai is None))
        if dp > 0 or dg > 0:
            determinants.extend(c for c in pc.champs if c not in determinants)
    bp, bg = _borner(p, ref.p_max), _borner(g, ref.g_max)
    if (bp, bg) != (p, g):
        trace.append(Etape("bornage", "bornage à l'échelle", bp - p, bg - g))
    initial = Cotation(bp, bg, ref.niveau_grille(bp, bg))

    dp = dg = 0
    appliquees = []
    for mesure, effet in rc.mesures:
        if mesure.id not in en_place:
            continue
        contredite = contredites.get(mesure.id)
        if contredite is not None:
            trace.append(Etape("mesure_contredite", contredite.raison, champs=contredite.champs, incertain=contredite.incertaine, mesure=mesure.id))
            continue
        dp, dg = dp + effet.probabilite, dg + effet.gravite
        appliquees.append(mesure.id)
        trace.append(Etape("mesure", mesure.titre, effet.probabilite, effet.gravite, mesure=mesure.id))
    maximum = ref.credit.max_par_dimension
    cp, cg = max(dp, -maximum), max(dg, -maximum)
    if (cp, cg) != (dp, dg):
        trace.append(Etape("plafond_credit", f"crédit des mesures plafonné : au plus {nombre(maximum, 'palier')} de baisse par dimension", cp - dp, cg - dg))
    rp, rg = bp + cp, bg + cg
    brp, brg = _borner(rp, ref.p_max), _borner(rg, ref.g_max)
    if (brp, brg) != (rp, rg):
        trace.append(Etape("bornage", "bornage à l'échelle", brp - rp, brg - rg))
    plancher = risque.plancher
    if plancher is not None:
        # Jamais au-dessus de l'inhérent : le plancher limite le crédit, il ne relève pas le risque.
        fp, fg = max(brp, min(plancher.probabilite, bp)), max(brg, min(plancher.gravite, bg))
        if (fp, fg) != (brp, brg):
            trace.append(Etape("plancher", f"plancher du risque : probabilité {plancher.probabilite}, gravité {plancher.gravite}", fp - brp, fg - brg))
            brp, brg = fp, fg
    residuel = Cotation(brp, brg, ref.niveau_grille(brp, brg))
    return RisqueEvalue(risque.id, initial, residuel, tuple(trace), tuple(appliquees), tuple(dict.fromkeys(determinants)),
                        ref.rang[residuel.niveau] >= ref.rang[ref.risques_yaml.parametres.niveau_suggestion_mesures])


def _contredites(cas: CasUsage, ref: Referentiel, lues: dict[str, Any], lisibles: dict[str, object]) -> dict[str, MesureContredite]:
    """Mesures déclarées en place que les réponses démentent ; `inconnu` ne permet pas de les créditer."""
    sortie: dict[str, MesureContredite] = {}
    for mid in dict.fromkeys(cas.mesures_en_place):
        for contra in ref.contradictions.get(mid, ()):
            vrai = contra.evaluer(lues)
            if vrai is not False:
                sortie[mid] = MesureContredite(mid, contra.raison, _lues(lisibles, contra.champs), vrai is None)
                break
    return sortie


def statut_regle(regle: RegleJuridique, date: Optional[dt.date]) -> str:
    """« applicable », « à_venir » ou « échue » à cette date (sans date : applicable)."""
    if date is None:
        return "applicable"
    if regle.applicable_depuis is not None and date < regle.applicable_depuis:
        return "à_venir"
    if regle.applicable_jusqu_au is not None and date > regle.applicable_jusqu_au:
        return "échue"
    return "applicable"


def evaluer(cas: CasUsage, ref: Referentiel, date: Optional[dt.date] = None) -> Evaluation:
    """Évalue le cas à la date donnée. Sans date (tests, consultation), toutes les règles comptent
    comme applicables ; la ligne de commande passe toujours une date (aujourd'hui par défaut)."""
    en_place = set(cas.mesures_en_place)
    lues, contradictions = reponses_du_cas(cas, ref)
    lisibles = _affichables(lues)
    contredites = _contredites(cas, ref, lues, lisibles)
    evalues = [e for rc in ref.risques_compiles if (e := _evaluer_risque(rc, lues, lisibles, ref, en_place, contredites)) is not None]
    evalues.sort(key=lambda e: (-ref.rang[e.residuel.niveau], -ref.rang[e.initial.niveau], -e.residuel.gravite, -e.residuel.probabilite, e.id))

    regles = []
    for rc in ref.regles_compilees:
        vrai = rc.evaluer(lues)
        if vrai is not False:
            j = rc.regle
            statut = statut_regle(j, date)
            # Sans date de revue : la règle peut s'appliquer avant (pire cas).
            avant_revue = statut == "à_venir" and j.applicable_depuis is not None and (
                cas.prochaine_revue is None or cas.prochaine_revue >= j.applicable_depuis)
            regles.append(RegleDeclenchee(j.id, j.nature, _lues(lisibles, rc.champs), vrai is None, statut,
                                          j.applicable_depuis, j.applicable_jusqu_au, avant_revue))

    # Classe de l'AI Act avant le verdict : les obligations d'une classe moins haute qu'une pratique
    # prohibée en vigueur sont « sans objet » (classification.sans_objet).
    classification = classer(tuple(regles), ref, date)
    regles = list(sans_objet(tuple(regles), classification, ref))

    niveaux = ref.risques_yaml.niveaux
    if evalues:
        verdict = evalues[0].residuel.niveau
        motif = f"niveau résiduel le plus haut : {evalues[0].id}"
    else:
        verdict = niveaux[0].id
        motif = "aucun risque du référentiel ne s'applique"
    for r in regles:
        if not r.en_vigueur:
            continue
        plancher = ref.regles[r.id].niveau_minimum
        if plancher is not None and ref.rang[plancher] > ref.rang[verdict]:
            verdict, motif = plancher, f"niveau minimum imposé par la règle {r.id}"
    interdictions = [r.id for r in regles if r.nature == "interdiction" and r.en_vigueur]
    if interdictions:
        verdict = ref.risques_yaml.interdit.id
        motif = "pratique interdite : " + ", ".join(interdictions)

    # « à traiter » est décidé par _evaluer_risque, une fois : les rapporteurs lisent RisqueEvalue.a_traiter.
    a_traiter = [e for e in evalues if e.a_traiter]
    poids: dict[str, int] = {}
    for e in a_traiter:
        for mesure, _ in ref.compile_par_risque[e.id].mesures:
            if mesure.id not in en_place:
                poids[mesure.id] = poids.get(mesure.id, 0) + 1 + ref.rang[e.residuel.niveau]
    suggerees = tuple(sorted(poids, key=lambda m: (-poids[m], m)))

    recos: dict[str, int] = {}
    for e in evalues:
        for reco in ref.recommandations_par_risque[e.id]:
            recos[reco] = max(recos.get(reco, -1), ref.rang[e.residuel.niveau])
    recommandations = tuple(sorted(recos, key=lambda x: (-recos[x], x)))

    inconnues = tuple(chemin for chemin, v in lisibles.items() if v == INCONNU)
    lexique = ref.lexique
    alertes_texte: tuple[AlerteTexte, ...] = ()
    if lexique is not None:
        alertes_texte = alertes(f"{cas.titre}\n{cas.description}", lues, lexique)
    apres_prevues: Optional[str] = None
    en_retard: tuple[str, ...] = ()
    if cas.mesures_prevues:
        # Le même calcul, avec les mesures prévues déclarées en place : « où en sera le projet ».
        prevu = cas.model_copy(update={"mesures_en_place": [*cas.mesures_en_place, *(m.id for m in cas.mesures_prevues)],
                                       "mesures_prevues": []})
        apres_prevues = evaluer(prevu, ref, date).verdict
        if date is not None:
            en_retard = tuple(m.id for m in cas.mesures_prevues if m.echeance < date)
    return Evaluation(verdict, motif, tuple(evalues), tuple(regles), suggerees, recommandations, inconnues,
                      date, tuple(contredites.values()), apres_prevues, en_retard,
                      ref.risques_yaml.parametres.niveau_suggestion_mesures, classification=classification,
                      a_completer=a_completer(cas, lues, contradictions, ref.questions_cotees), contradictions=contradictions,
                      alertes_texte=alertes_texte)
