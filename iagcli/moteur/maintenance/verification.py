"""Linter du référentiel (`iag referentiel verifier`) : les contrôles du chargeur, puis ceux des
mainteneurs, une fonction par contrôle (à la manière de yamllint), chacune rendant des constats
positionnés (fichier:ligne:colonne) avec une gravité.

Pur : reçoit un `Referentiel` chargé et une date ; ne lit ni n'écrit rien. Les erreurs du chargeur
(`ErreurReferentiel`) sont converties par `constats_chargement`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from ...codes import SORTIE_OK, SORTIE_USAGE
from ...modeles.conditions import Toujours
from .. import conditions as C
from ..referentiel import FICHIER_RECOMMANDATIONS, FICHIER_RISQUES, Referentiel

if TYPE_CHECKING:
    from ...erreurs import Diagnostic
    from ...modeles.referentiel import Risque

ERREUR, AVERTISSEMENT = "erreur", "avertissement"


@dataclass(frozen=True)
class Constat:
    fichier: str
    ligne: Optional[int]
    colonne: Optional[int]
    gravite: str  # erreur, avertissement
    regle: str  # identifiant stable du contrôle (iag-ref/…)
    message: str

    def __str__(self) -> str:
        from ...echappement import echapper

        ou = f"{self.ligne}:{self.colonne}:" if self.ligne is not None else ""
        return f"{echapper(self.fichier)}:{ou} {self.gravite} : {echapper(self.message)} [{self.regle}]"


def constats_chargement(diagnostics: "Iterable[Diagnostic]") -> list[Constat]:
    """Fautes du chargeur (schéma, références, grille, recouvrements…) : des erreurs."""
    return [Constat(d.fichier, d.ligne, d.colonne, ERREUR, "iag-ref/chargement", d.message) for d in diagnostics]


Controle = Callable[[Referentiel, dt.date], Iterator[Constat]]
CONTROLES: list[tuple[str, str, Controle]] = []  # (identifiant, description, fonction)


def controle(ident: str, description: str) -> Callable[[Controle], Controle]:
    def enregistrer(f: Controle) -> Controle:
        CONTROLES.append((f"iag-ref/{ident}", description, f))
        return f
    return enregistrer


def _constat(ref: Referentiel, fichier: str, chemin: tuple[Any, ...], regle: str, message: str, gravite: str = AVERTISSEMENT) -> Constat:
    d = ref.documents[fichier].erreur(message, chemin)
    return Constat(d.fichier, d.ligne, d.colonne, gravite, f"iag-ref/{regle}", d.message)


def _reponses(conds: list[Any]) -> Iterator[dict[str, Any]]:
    """Toutes les réponses qui distinguent ces conditions (l'énumération exacte du chargeur)."""
    import itertools

    possibles = C._reponses_possibles(conds)
    chemins = list(possibles)
    for combinaison in itertools.product(*(possibles[c] for c in chemins)):
        yield dict(zip(chemins, combinaison, strict=True))


@controle("double-comptage", "pondération qui relit le fait déjà compté par la condition du risque, ou deux pondérations "
          "déclenchées par exactement les mêmes réponses")
def double_comptage(ref: Referentiel, date: dt.date) -> Iterator[Constat]:
    # Les recouvrements sur une même dimension sont des erreurs du chargeur. Restent deux façons de
    # lire un même champ deux fois : une pondération vraie pour toute réponse qui rend le risque
    # applicable (c'est la cotation de base qu'il faut relever), et deux pondérations aux
    # déclencheurs identiques sur des dimensions différentes (une seule pondération suffit).
    for i, x in enumerate(ref.risques_yaml.risques):
        rc = ref.compile_par_risque[x.id]
        for k, p in enumerate(x.ponderations):
            ici = ("risques", i, "ponderations", k, "si")
            communs = set(C.champs_de(p.si)) & set(rc.champs_applicabilite)
            applicabilite = rc.applicabilite
            if applicabilite is not None and x.s_applique_si is not None and communs and not isinstance(p.si, Toujours):
                pond = rc.ponderations[k].evaluer
                if all(pond(r) is True for r in _reponses([x.s_applique_si, p.si]) if applicabilite(r) is True):
                    yield _constat(ref, FICHIER_RISQUES, ici, "double-comptage",
                                   f"{x.id} : cette pondération relit « {', '.join(sorted(communs))} » et s'applique chaque fois que "
                                   "le risque s'applique : le même fait compte deux fois ; relevez plutôt la cotation de base")
                    continue
            for j in range(k):
                a = x.ponderations[j]
                if not set(C.champs_de(a.si)) & set(C.champs_de(p.si)):
                    continue
                fa, fb = rc.ponderations[j].evaluer, rc.ponderations[k].evaluer
                if all(fa(r) == fb(r) for r in _reponses([a.si, p.si])):
                    yield _constat(ref, FICHIER_RISQUES, ici, "double-comptage",
                                   f"{x.id} : cette pondération et la n° {j + 1} se déclenchent pour exactement les mêmes réponses : "
                                   "réunissez-les en une seule pondération")
                    break


def _portee(ref: Referentiel, x: "Risque") -> tuple[range, range]:
    """Probabilités et gravités qu'un risque peut prendre (inhérent puis résiduel), bornées à l'échelle.

    Bornes larges : toutes les hausses ensemble, toutes les baisses ensemble, sans chercher si leurs
    conditions peuvent être vraies à la fois. Les contrôles qui s'en servent ne signalent donc que ce
    qui est sûrement impossible (jamais un faux avertissement)."""
    def bornes(base: int, deltas: list[int], maximum: int) -> tuple[int, int]:
        bas = base + sum(d for d in deltas if d < 0)
        haut = base + sum(d for d in deltas if d > 0)
        return min(max(bas, 1), maximum), min(max(haut, 1), maximum)

    p = bornes(x.probabilite, [q.probabilite for q in x.ponderations], ref.p_max)
    g = bornes(x.gravite, [q.gravite for q in x.ponderations], ref.g_max)
    credit = ref.credit.max_par_dimension
    rc = ref.compile_par_risque[x.id]
    baisse_p = max(credit, 0) if any(e.probabilite for _, e in rc.mesures) else 0
    baisse_g = max(credit, 0) if any(e.gravite for _, e in rc.mesures) else 0
    pl_p = x.plancher.probabilite if x.plancher else 1
    pl_g = x.plancher.gravite if x.plancher else 1
    p_bas = max(1, min(p[0], max(p[0] - baisse_p, pl_p)))
    g_bas = max(1, min(g[0], max(g[0] - baisse_g, pl_g)))
    return range(p_bas, p[1] + 1), range(g_bas, g[1] + 1)


@controle("niveau-inatteignable", "niveau de la grille qu'aucun cas ne peut atteindre")
def niveau_inatteignable(ref: Referentiel, date: dt.date) -> Iterator[Constat]:
    atteints = {ref.risques_yaml.niveaux[0].id}  # aucun risque applicable : le plus faible
    for x in ref.risques_yaml.risques:
        if not _applicable_possible(x):
            continue
        ps, gs = _portee(ref, x)
        atteints.update(ref.grille[(p, g)] for p in ps for g in gs if (p, g) in ref.grille)
    atteints.update(j.niveau_minimum for j in ref.risques_yaml.regles_juridiques if j.niveau_minimum)
    for i, n in enumerate(ref.risques_yaml.niveaux):
        if n.id not in atteints:
            yield _constat(ref, FICHIER_RISQUES, ("niveaux", i, "id"), "niveau-inatteignable",
                           f"niveau « {n.id} » inatteignable : aucune case de la grille qu'un risque peut atteindre ni aucune règle ne le donne")


@controle("mesure-sans-effet", "mesure qui ne peut baisser aucun risque")
def mesure_sans_effet(ref: Referentiel, date: dt.date) -> Iterator[Constat]:
    credit = ref.credit.max_par_dimension
    for i, m in enumerate(ref.risques_yaml.mesures):
        if any(isinstance(c.si, Toujours) for c in m.contredite_si):
            yield _constat(ref, FICHIER_RISQUES, ("mesures", i, "contredite_si"), "mesure-sans-effet",
                           f"mesure {m.id} toujours contredite : elle n'est jamais créditée")
            continue
        utile = False
        for e in m.effets:
            x = ref.risques.get(e.risque)
            if x is None or credit == 0:
                continue
            ps, gs = _portee(ref, x)
            pl_p = x.plancher.probabilite if x.plancher else 1
            pl_g = x.plancher.gravite if x.plancher else 1
            if (e.probabilite < 0 and ps[-1] > pl_p) or (e.gravite < 0 and gs[-1] > pl_g):
                utile = True
        if not utile:
            yield _constat(ref, FICHIER_RISQUES, ("mesures", i, "effets"), "mesure-sans-effet",
                           f"mesure {m.id} sans effet possible : ses baisses tombent sous le plancher des risques traités ou le crédit est nul")


def _applicable_possible(x: "Risque") -> bool:
    if x.s_applique_si is None:
        return True
    return C.reponse_commune(x.s_applique_si, x.s_applique_si, True, True) is not None


@controle("risque-inapplicable", "risque qu'aucune réponse ne rend applicable")
def risque_inapplicable(ref: Referentiel, date: dt.date) -> Iterator[Constat]:
    for i, x in enumerate(ref.risques_yaml.risques):
        if x.s_applique_si is not None and not _applicable_possible(x):
            yield _constat(ref, FICHIER_RISQUES, ("risques", i, "s_applique_si"), "risque-inapplicable",
                           f"risque {x.id} inapplicable : aucune réponse ne rend vraie sa condition « {C.decrire(x.s_applique_si)} »")


@controle("recommandation-orpheline", "recommandation liée à aucun risque")
def recommandation_orpheline(ref: Referentiel, date: dt.date) -> Iterator[Constat]:
    for i, r in enumerate(ref.recommandations_yaml.recommandations):
        if not r.risques:
            yield _constat(ref, FICHIER_RECOMMANDATIONS, ("recommandations", i, "id"), "recommandation-orpheline",
                           f"recommandation {r.id} liée à aucun risque : aucune évaluation ne la proposera")


@controle("source-non-citee", "source déclarée dans le catalogue mais jamais citée")
def source_non_citee(ref: Referentiel, date: dt.date) -> Iterator[Constat]:
    r = ref.risques_yaml
    citees = set(r.echelles.sources)
    for groupe in (r.risques, r.mesures, r.regles_juridiques, ref.recommandations_yaml.recommandations):
        for x in groupe:
            citees.update(x.sources)
    for i, s in enumerate(r.sources):
        if s.id not in citees:
            yield _constat(ref, FICHIER_RISQUES, ("sources", i, "id"), "source-non-citee",
                           f"source « {s.id} » déclarée mais jamais citée")


@controle("veille-perimee", "vérification juridique plus ancienne que la limite du référentiel")
def veille_perimee(ref: Referentiel, date: dt.date) -> Iterator[Constat]:
    if ref.perime_le(date):
        v = ref.veille
        yield _constat(ref, FICHIER_RISQUES, ("veille_juridique", "verifiee_le"), "veille-perimee",
                       f"vérification juridique du {v.verifiee_le.isoformat()} périmée depuis le {ref.peremption().isoformat()} "
                       f"(limite : {v.peremption_mois} mois) : revoir les règles et mettre à jour « verifiee_le »")


def verifier(ref: Referentiel, date: dt.date) -> list[Constat]:
    """Tous les contrôles des mainteneurs, triés par fichier et position."""
    sortie = [c for _, _, f in CONTROLES for c in f(ref, date)]
    return sorted(sortie, key=lambda c: (c.fichier, c.ligne or 0, c.colonne or 0, c.regle))


def code_sortie(constats: list[Constat], strict: bool) -> int:
    """2 s'il y a une erreur (ou, avec --strict, un avertissement) ; 0 sinon."""
    if any(c.gravite == ERREUR for c in constats) or (strict and constats):
        return SORTIE_USAGE
    return SORTIE_OK
