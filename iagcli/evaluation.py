"""La cotation : une fonction pure de (cas d'usage, référentiel).

Pour chaque risque applicable : probabilité et gravité de base, plus chaque pondération dont la
condition est vraie, bornées à l'échelle ; la grille donne le niveau inhérent ; les mesures en place
donnent le niveau résiduel. Une réponse `inconnu` compte comme le pire cas : une condition
indéterminée rend le risque applicable et déclenche les hausses, jamais les baisses.
"""

from __future__ import annotations

from .champs import reponses
from .modeles.cas_usage import CasUsage
from .modeles.types import INCONNU
from .referentiel import Referentiel, RisqueCompile
from .resultat import Cotation, Etape, Evaluation, RegleDeclenchee, RisqueEvalue


def _borner(v: int, maximum: int) -> int:
    return min(max(v, 1), maximum)


def _affichables(reponses: dict) -> dict[str, object]:
    """Réponses telles qu'écrites dans le fichier (texte, liste de textes ou None), pour la trace."""
    return {
        chemin: [x.value for x in v] if isinstance(v, list) else (v.value if v is not None else None)
        for chemin, v in reponses.items()
    }


def _lues(affichables: dict, chemins: tuple[str, ...]) -> tuple[tuple[str, object], ...]:
    return tuple((chemin, affichables[chemin]) for chemin in chemins)


def _evaluer_risque(rc: RisqueCompile, lues: dict, lisibles: dict, ref: Referentiel, en_place: set[str]) -> RisqueEvalue | None:
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

    rp, rg = bp, bg
    appliquees = []
    for mesure, effet in rc.mesures:
        if mesure.id in en_place:
            rp, rg = rp + effet.probabilite, rg + effet.gravite
            appliquees.append(mesure.id)
            trace.append(Etape("mesure", mesure.titre, effet.probabilite, effet.gravite, mesure=mesure.id))
    brp, brg = _borner(rp, ref.p_max), _borner(rg, ref.g_max)
    if (brp, brg) != (rp, rg):
        trace.append(Etape("bornage", "bornage à l'échelle", brp - rp, brg - rg))
    residuel = Cotation(brp, brg, ref.niveau_grille(brp, brg))
    return RisqueEvalue(risque.id, initial, residuel, tuple(trace), tuple(appliquees), tuple(dict.fromkeys(determinants)))


def evaluer(cas: CasUsage, ref: Referentiel) -> Evaluation:
    en_place = set(cas.mesures_en_place)
    lues = reponses(cas)
    lisibles = _affichables(lues)
    evalues = [e for rc in ref.risques_compiles if (e := _evaluer_risque(rc, lues, lisibles, ref, en_place)) is not None]
    evalues.sort(key=lambda e: (-ref.rang[e.residuel.niveau], -ref.rang[e.initial.niveau], -e.residuel.gravite, -e.residuel.probabilite, e.id))

    regles = []
    for rc in ref.regles_compilees:
        vrai = rc.evaluer(lues)
        if vrai is not False:
            regles.append(RegleDeclenchee(rc.regle.id, rc.regle.nature, _lues(lisibles, rc.champs), vrai is None))

    niveaux = ref.risques_yaml.niveaux
    if evalues:
        verdict = evalues[0].residuel.niveau
        motif = f"niveau résiduel le plus haut : {evalues[0].id}"
    else:
        verdict = niveaux[0].id
        motif = "aucun risque du référentiel ne s'applique"
    for r in regles:
        plancher = ref.regles[r.id].niveau_minimum
        if plancher is not None and ref.rang[plancher] > ref.rang[verdict]:
            verdict, motif = plancher, f"niveau minimum imposé par la règle {r.id}"
    interdictions = [r.id for r in regles if r.nature == "interdiction"]
    if interdictions:
        verdict = ref.risques_yaml.interdit.id
        motif = "pratique interdite : " + ", ".join(interdictions)

    seuil = ref.rang[ref.risques_yaml.parametres.niveau_suggestion_mesures]
    a_traiter = [e for e in evalues if ref.rang[e.residuel.niveau] >= seuil]
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
    return Evaluation(verdict, motif, tuple(evalues), tuple(regles), suggerees, recommandations, inconnues)
