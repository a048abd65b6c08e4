"""Le plan le plus court sous le seuil (`iag plan`) : fonction pure de (cas, référentiel, date, cible).

Deux sortes d'étapes : une **mesure** du référentiel pas encore en place (et non démentie par les
réponses), un **levier** (changement de réponse déclaré dans `leviers` du référentiel). Le plan est
le plus petit ensemble d'étapes qui amène le verdict au niveau cible ou en dessous.

Recherche exacte :
- les leviers sont essayés par ensembles de taille croissante (jamais deux sur un même champ) ;
- pour chaque ensemble de leviers, les interdictions et les planchers juridiques ne dépendent que
  des réponses : s'ils dépassent la cible, aucune mesure n'y peut rien ;
- seuls comptent les risques au-dessus de la cible (les autres ne peuvent pas bloquer) ; pour
  chacun, les plus petits ensembles suffisants de ses mesures candidates sont cherchés par taille
  croissante avec la cotation réelle d'un risque (`evaluation`), qui applique plafond et plancher ;
- le plus petit ensemble de mesures qui contient un ensemble suffisant pour chaque risque est
  trouvé par séparation et évaluation (la cotation est monotone : une mesure de plus ne fait
  jamais monter un risque, donc un sur-ensemble d'un ensemble suffisant suffit) ;
- chaque plan retenu est vérifié par `evaluation.evaluer` sur le cas modifié : appliquer le plan
  et réévaluer donne, par construction, le niveau annoncé.
La recherche est bornée (nombre d'évaluations, taille) ; le plan dit si une borne a été atteinte.

Plus de 400 lignes, gardées ensemble : l'exactitude du plan (le plus petit) repose sur l'enchaînement
de ces étapes et sur leurs bornes communes (`_Compteur`) ; les séparer disperserait l'argument
ci-dessus sans rien rendre réutilisable ailleurs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal, Optional

from ..modeles.cas_usage import CasUsage
from ..modeles.referentiel import Levier
from ..modeles.types import NON_REPONDUE, nombre, normaliser
from .champs import Descripteur, champs, reponses
from .completude import reponses_du_cas
from .evaluation import _affichables, _contredites, _evaluer_risque, evaluer
from .referentiel import Referentiel, RisqueCompile
from .resultat import Evaluation

Etapes = frozenset[str]  # identifiants de mesures et de leviers
Suffisants = dict[str, list[Etapes]]  # risque bloquant -> plus petits ensembles suffisants de mesures

# Bornes de la recherche (algorithme, pas barème) : au-delà, le plan le dit.
EVALUATIONS_MAX = 20_000
NOEUDS_MAX = 200_000
PLANS_COMPTES_MAX = 1_000


@dataclass(frozen=True)
class Baisse:
    """Un risque que l'étape baisse : niveau avant, niveau après (None : il ne s'applique plus)."""

    risque: str
    avant: str
    apres: Optional[str]


@dataclass(frozen=True)
class Pas:
    genre: Literal["mesure", "levier"]
    id: str
    titre: str
    cout: Optional[str]  # levier : ce que le changement coûte au projet
    # levier : (champ, avant, après) ; une réponse en liste reste une liste (le JSON la garde, le texte la joint)
    changement: Optional[tuple[str, str | list[str], str | list[str]]]
    verdict: str  # verdict après cette étape (et les précédentes)
    baisses: tuple[Baisse, ...]


@dataclass(frozen=True)
class Obstacle:
    """Pourquoi la cible est hors d'atteinte."""

    genre: Literal["interdiction", "plancher_juridique", "credit_borne"]
    id: str  # règle ou risque
    niveau: str  # niveau imposé (règle) ou résiduel le plus bas atteignable (risque)
    detail: str


@dataclass(frozen=True)
class Plan:
    cible: str
    verdict_initial: str
    atteint: bool  # la cible est atteinte par ce plan
    niveau_final: str  # verdict après le plan (réévalué)
    pas: tuple[Pas, ...]
    equivalents: int  # plans minimaux de même taille et même nombre de leviers (celui-ci compris)
    obstacles: tuple[Obstacle, ...]  # si la cible est hors d'atteinte
    borne: Optional[str]  # borne de recherche atteinte (le plan peut alors ne pas être minimal)
    evaluations: int

    @property
    def mesures(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pas if p.genre == "mesure")

    @property
    def leviers(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pas if p.genre == "levier")


class _Bornes(Exception):
    pass


def _figee(valeur: object) -> object:
    return tuple(valeur) if isinstance(valeur, list) else valeur


def _champs_risque(rc: RisqueCompile) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*rc.champs_applicabilite, *(c for p in rc.ponderations for c in p.champs)]))


class _Compteur:
    def __init__(self) -> None:
        self.memo: dict[tuple[object, ...], list[Etapes]] = {}
        self.evaluations = 0
        self.noeuds = 0
        self.borne: Optional[str] = None

    def evaluation(self) -> None:
        self.evaluations += 1
        if self.evaluations > EVALUATIONS_MAX:
            self.borne = f"recherche arrêtée après {EVALUATIONS_MAX} évaluations"
            raise _Bornes

    def noeud(self) -> None:
        self.noeuds += 1
        if self.noeuds > NOEUDS_MAX:
            self.borne = f"recherche arrêtée après {NOEUDS_MAX} combinaisons de mesures"
            raise _Bornes


# --- Appliquer des étapes à un cas ------------------------------------------------------------


def _membre(champ: Descripteur, valeur: str) -> Any:
    return next(m for m in champ.enum if normaliser(m.value) == normaliser(valeur))


def levier_possible(cas: CasUsage, levier: Levier) -> bool:
    """Vrai si la réponse actuelle du cas est l'une des valeurs de départ du levier."""
    champ = champs()[levier.champ]
    actuelle: Any = reponses(cas)[levier.champ]
    if actuelle is NON_REPONDUE:  # une question à compléter : aucun levier ne s'y applique, il faut y répondre
        return False
    de = {normaliser(v) for v in levier.de}
    if champ.liste:
        return any(normaliser(v.value) in de for v in actuelle)
    return actuelle is not None and normaliser(actuelle.value) in de


def _remplacer(modele: Any, attributs: tuple[str, ...], valeur: object) -> Any:
    if len(attributs) == 1:
        return modele.model_copy(update={attributs[0]: valeur})
    enfant = getattr(modele, attributs[0])
    return modele.model_copy(update={attributs[0]: _remplacer(enfant, attributs[1:], valeur)})


def appliquer(cas: CasUsage, ref: Referentiel, etapes: tuple[str, ...] | list[str]) -> CasUsage:
    """Le cas après ces étapes : mesures ajoutées à `mesures_en_place`, leviers appliqués."""
    mesures = [e for e in etapes if e in ref.mesures and e not in cas.mesures_en_place]
    for e in etapes:
        levier = ref.leviers.get(e)
        if levier is None:
            continue
        champ = champs()[levier.champ]
        actuelle: Any = reponses(cas)[levier.champ]
        if actuelle is NON_REPONDUE:
            continue
        vers = _membre(champ, levier.vers)
        nouvelle: object
        if champ.liste:
            de = {normaliser(v) for v in levier.de}
            nouvelle = list(dict.fromkeys(vers if normaliser(v.value) in de else v for v in actuelle))
        else:
            nouvelle = vers
        cas = _remplacer(cas, champ.attributs, nouvelle)
    assert isinstance(cas, CasUsage)
    if mesures:
        cas = cas.model_copy(update={"mesures_en_place": [*cas.mesures_en_place, *mesures]})
    return cas


# --- Recherche ------------------------------------------------------------------------------------


def _ensembles_leviers(leviers: list[Levier]) -> list[tuple[Levier, ...]]:
    """Ensembles de leviers par taille croissante, jamais deux sur un même champ."""
    sortie: list[tuple[Levier, ...]] = []
    for taille in range(len(leviers) + 1):
        for combi in combinations(leviers, taille):
            if len({x.champ for x in combi}) == taille:
                sortie.append(combi)
    return sortie


@dataclass
class _Essai:
    leviers: tuple[Levier, ...]
    cas: CasUsage
    evaluation: Evaluation  # sans mesure ajoutée


def _suffisants(cas: CasUsage, ref: Referentiel, ev0: Evaluation, rang_cible: int, compteur: _Compteur
                ) -> tuple[Optional[Suffisants], list[str]]:
    """Pour chaque risque au-dessus de la cible : ses plus petits ensembles suffisants de mesures
    candidates ; None (et les risques en cause) si l'un ne peut pas descendre assez."""
    en_place = set(cas.mesures_en_place)
    bloquants = [e for e in ev0.risques if ref.rang[e.residuel.niveau] > rang_cible]
    if not bloquants:
        return {}, []
    candidates_toutes = {m.id for e in bloquants for m, _ in ref.compile_par_risque[e.id].mesures} - en_place
    # Contradictions lues sur le cas tel qu'il serait avec toutes les candidates déclarées.
    avec_toutes = cas.model_copy(update={"mesures_en_place": [*cas.mesures_en_place, *sorted(candidates_toutes)]})
    lues, _ = reponses_du_cas(avec_toutes, ref)
    lisibles = _affichables(lues)
    contredites = _contredites(avec_toutes, ref, lues, lisibles)
    sortie: Suffisants = {}
    impossibles = []
    for e in bloquants:
        rc = ref.compile_par_risque[e.id]
        candidates = sorted({m.id for m, _ in rc.mesures} - en_place - contredites.keys())
        # La cotation d'un risque ne dépend que des réponses qu'il lit et de ses mesures : d'un
        # ensemble de leviers à l'autre, le même risque revient souvent à l'identique.
        traitees = {m.id for m, _ in rc.mesures}
        cle = (e.id, rang_cible, tuple(_figee(lues[c]) for c in _champs_risque(rc)),
               frozenset(en_place & traitees), frozenset(contredites.keys() & traitees))
        trouves_memo = compteur.memo.get(cle)
        if trouves_memo is not None:
            if not trouves_memo:
                impossibles.append(e.id)
            sortie[e.id] = trouves_memo
            continue
        trouves: list[Etapes] = []
        for taille in range(1, len(candidates) + 1):
            for combi in combinations(candidates, taille):
                ensemble = frozenset[str](combi)
                if any(t <= ensemble for t in trouves):
                    continue
                compteur.noeud()
                r = _evaluer_risque(rc, lues, lisibles, ref, en_place | ensemble, contredites)
                if r is None or ref.rang[r.residuel.niveau] <= rang_cible:
                    trouves.append(ensemble)
        if not trouves:
            impossibles.append(e.id)
        sortie[e.id] = compteur.memo[cle] = trouves
    return (None, impossibles) if impossibles else (sortie, [])


def _couvertures(suffisants: Suffisants, limite: int, compteur: _Compteur) -> tuple[int, set[Etapes]]:
    """Plus petits ensembles de mesures contenant un ensemble suffisant de chaque risque, de taille
    au plus `limite` : (taille, ensembles) ; taille > limite si aucun."""
    risques = sorted(suffisants, key=lambda r: (len(suffisants[r]), r))
    meilleur = [limite]
    trouves: set[Etapes] = set()

    def descendre(i: int, courant: Etapes) -> None:
        compteur.noeud()
        if len(courant) > meilleur[0]:
            return
        while i < len(risques) and any(t <= courant for t in suffisants[risques[i]]):
            i += 1
        if i == len(risques):
            if len(courant) < meilleur[0]:
                meilleur[0] = len(courant)
                trouves.clear()
            if len(trouves) < PLANS_COMPTES_MAX:
                trouves.add(courant)
            return
        for t in suffisants[risques[i]]:
            descendre(i + 1, courant | t)

    descendre(0, frozenset())
    return (meilleur[0], trouves) if trouves else (limite + 1, set())


def _obstacles(ev: Evaluation, ref: Referentiel, rang_cible: int, impossibles: list[str]) -> list[Obstacle]:
    sortie = []
    for r in ev.regles:
        if not r.en_vigueur:
            continue
        regle = ref.regles[r.id]
        if r.nature == "interdiction":
            sortie.append(Obstacle("interdiction", r.id, ref.risques_yaml.interdit.id, regle.titre))
        elif regle.niveau_minimum is not None and ref.rang[regle.niveau_minimum] > rang_cible:
            sortie.append(Obstacle("plancher_juridique", r.id, regle.niveau_minimum, regle.titre))
    if any(o.genre == "interdiction" for o in sortie):
        return sortie
    for e in ev.risques:
        if ref.rang[e.residuel.niveau] > rang_cible:
            genres = {x.genre for x in e.trace}
            pourquoi = []
            if "plafond_credit" in genres:
                pourquoi.append(f"crédit des mesures plafonné à {nombre(ref.credit.max_par_dimension, 'palier')} par dimension")
            if "plancher" in genres:
                pourquoi.append("plancher du risque")
            if not pourquoi:
                pourquoi.append("aucune mesure disponible ne le baisse davantage")
            sortie.append(Obstacle("credit_borne", e.id, e.residuel.niveau, " ; ".join(pourquoi)))
    return sortie


def _baisses(avant: Evaluation, apres: Evaluation, ref: Referentiel) -> tuple[Baisse, ...]:
    niveaux_apres = {e.id: e.residuel.niveau for e in apres.risques}
    sortie = []
    for e in avant.risques:
        n = niveaux_apres.get(e.id)
        if n is None or ref.rang[n] < ref.rang[e.residuel.niveau]:
            sortie.append(Baisse(e.id, e.residuel.niveau, n))
    return tuple(sortie)


def _texte_reponse(valeur: Any) -> str | list[str]:
    """La réponse telle qu'écrite : texte, ou liste de textes pour une question à plusieurs réponses."""
    return [v.value for v in valeur] if isinstance(valeur, list) else str(valeur.value)


def texte_changement(valeur: str | list[str]) -> str:
    """Une réponse d'un levier en texte (listes jointes par « , ») : pour le texte et le Markdown."""
    return ", ".join(valeur) if isinstance(valeur, list) else valeur


def _ordonner(cas: CasUsage, ref: Referentiel, etapes: Etapes, date: Optional[dt.date], compteur: _Compteur) -> tuple[Pas, ...]:
    """Ordre où l'effet de chaque étape se voit : à chaque pas, celle qui baisse le plus le verdict,
    puis le plus de risques ; à égalité une mesure avant un levier, puis l'identifiant."""
    restantes = set(etapes)
    faites: list[str] = []
    courant = evaluer(cas, ref, date)
    pas = []
    while restantes:
        essais = []
        for e in restantes:
            compteur.evaluations += 1
            ev = evaluer(appliquer(cas, ref, [*faites, e]), ref, date)
            baisses = _baisses(courant, ev, ref)
            gain = sum(ref.rang[b.avant] - (ref.rang[b.apres] if b.apres else -1) for b in baisses)
            essais.append(((ref.rang[ev.verdict], -gain, e in ref.leviers, e), e, ev, baisses))
        _, e, ev, baisses = min(essais, key=lambda x: x[0])
        restantes.discard(e)
        faites.append(e)
        if e in ref.leviers:
            lev = ref.leviers[e]
            avant = _texte_reponse(reponses(appliquer(cas, ref, faites[:-1]))[lev.champ])
            apres = _texte_reponse(reponses(appliquer(cas, ref, faites))[lev.champ])
            pas.append(Pas("levier", e, lev.titre, lev.cout, (lev.champ, avant, apres), ev.verdict, baisses))
        else:
            pas.append(Pas("mesure", e, ref.mesures[e].titre, None, None, ev.verdict, baisses))
        courant = ev
    return tuple(pas)


def _chercher(cas: CasUsage, ref: Referentiel, date: Optional[dt.date], rang_cible: int, compteur: _Compteur,
              essais: dict[tuple[str, ...], _Essai]
              ) -> tuple[Optional[list[Etapes]], list[_Essai]]:
    """Plans minimaux (ensembles d'identifiants d'étapes) pour une cible, ou None ; et les essais
    de leviers (pour expliquer un échec)."""
    leviers = [x for x in ref.leviers.values() if x.champ in ref.champs_lus and levier_possible(cas, x)]
    meilleurs: list[Etapes] = []
    meilleure_taille: Optional[int] = None
    vus = []
    for combi in _ensembles_leviers(leviers):
        if meilleure_taille is not None and len(combi) > meilleure_taille:
            break
        cle = tuple(x.id for x in combi)
        essai = essais.get(cle)
        if essai is None:
            cas_l = appliquer(cas, ref, cle)
            compteur.evaluation()
            ev0 = evaluer(cas_l, ref, date)
            essais[cle] = essai = _Essai(combi, cas_l, ev0)
        vus.append(essai)
        ev0 = essai.evaluation
        if meilleure_taille is not None and ref.rang[ev0.verdict] > rang_cible and len(combi) + 1 > meilleure_taille:
            continue  # il faudrait au moins une mesure de plus : déjà plus long que le meilleur plan
        if ref.rang[ev0.verdict] <= rang_cible:
            suffisants: Optional[Suffisants] = {}
        else:
            regles_bloquent = any(o.genre != "credit_borne" for o in _obstacles(ev0, ref, rang_cible, []))
            if regles_bloquent:
                continue
            suffisants, _ = _suffisants(essai.cas, ref, ev0, rang_cible, compteur)
        if suffisants is None:
            continue
        limite = (meilleure_taille - len(combi)) if meilleure_taille is not None else 10 ** 6
        taille, couvertures = _couvertures(suffisants, limite, compteur)
        if not couvertures:
            continue
        total = len(combi) + taille
        plans = [frozenset(cle) | c for c in couvertures]
        if meilleure_taille is None or total < meilleure_taille:
            meilleure_taille, meilleurs = total, plans
        elif total == meilleure_taille:
            meilleurs.extend(plans)
    return (meilleurs or None), vus


def planifier(cas: CasUsage, ref: Referentiel, cible: str, date: Optional[dt.date] = None) -> Plan:
    """Le plus petit ensemble d'étapes qui amène le verdict à `cible` ou en dessous ; si c'est
    impossible, pourquoi, et le meilleur niveau atteignable avec son plan."""
    compteur = _Compteur()
    initial = evaluer(cas, ref, date)
    rang_cible = ref.rang[cible]
    essais: dict[tuple[str, ...], _Essai] = {}
    obstacles: list[Obstacle] = []
    trouves: Optional[list[Etapes]] = None
    try:
        if ref.rang[initial.verdict] <= rang_cible:
            trouves = [frozenset()]
        else:
            trouves, vus = _chercher(cas, ref, date, rang_cible, compteur, essais)
            if trouves is None:
                obstacles = _expliquer(vus, ref, rang_cible, date, compteur)
                # meilleur niveau atteignable : les niveaux au-dessus de la cible, du plus bas au plus haut
                for rang in range(rang_cible + 1, ref.rang[initial.verdict]):
                    trouves, _ = _chercher(cas, ref, date, rang, compteur, essais)
                    if trouves is not None:
                        break
                else:
                    trouves = [frozenset()]
    except _Bornes:
        trouves = None
    if trouves is None:  # borne atteinte avant tout plan : aucun plan annoncé
        return Plan(cible, initial.verdict, False, initial.verdict, (), 0, tuple(obstacles), compteur.borne, compteur.evaluations)
    # À taille égale, le moins de leviers (un levier change le projet), puis l'ordre des identifiants.
    cles = sorted(trouves, key=lambda p: (sum(1 for e in p if e in ref.leviers), sorted(p)))
    choisi = cles[0]
    nb_leviers = sum(1 for e in choisi if e in ref.leviers)
    equivalents = sum(1 for p in trouves if sum(1 for e in p if e in ref.leviers) == nb_leviers)
    pas = _ordonner(cas, ref, choisi, date, compteur)
    final = evaluer(appliquer(cas, ref, sorted(choisi)), ref, date)
    atteint = ref.rang[final.verdict] <= rang_cible
    return Plan(cible, initial.verdict, atteint, final.verdict, pas, equivalents, tuple(obstacles), compteur.borne,
                compteur.evaluations)


def _expliquer(vus: list[_Essai], ref: Referentiel, rang_cible: int, date: Optional[dt.date], compteur: _Compteur) -> list[Obstacle]:
    """Obstacles du meilleur essai : celui dont l'évaluation, avec toutes les mesures candidates,
    donne le verdict le plus bas (à égalité, le moins de leviers)."""
    meilleur = None
    for essai in vus:
        ev0 = essai.evaluation
        candidates = sorted({m.id for e in ev0.risques for m, _ in ref.compile_par_risque[e.id].mesures} - set(essai.cas.mesures_en_place))
        compteur.evaluations += 1
        ev = evaluer(appliquer(essai.cas, ref, candidates), ref, date)
        cle = (ref.rang[ev.verdict], len(essai.leviers))
        if meilleur is None or cle < meilleur[0]:
            meilleur = (cle, ev)
    return _obstacles(meilleur[1], ref, rang_cible, []) if meilleur else []


def cible_par_defaut(ref: Referentiel, seuil: Optional[str]) -> Optional[str]:
    """Le plus haut niveau sous le seuil effectif ; None s'il n'y en a pas (seuil au plus bas, ou jamais)."""
    if seuil is None:
        return None
    rang = ref.rang[seuil] - 1
    if rang < 0:
        return None
    return ref.niveaux[min(rang, len(ref.niveaux) - 1)].id


def phrase_obstacle(o: Obstacle, ref: Referentiel) -> str:
    """Une raison d'échec, en une phrase (commune aux formats lisibles)."""
    libelle = ref.niveau_par_id[o.niveau].libelle
    if o.genre == "interdiction":
        return f"pratique interdite en vigueur : {o.id} ({o.detail})"
    if o.genre == "plancher_juridique":
        return f"plancher juridique : la règle {o.id} ({o.detail}) impose au moins « {libelle} »"
    return f"crédit borné : {o.id} ne descend pas sous « {libelle} » ({o.detail})"
