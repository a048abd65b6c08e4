"""Conditions déclaratives du référentiel : modèle, vérification, évaluation, description.

Une condition est soit une feuille (`champ` + un opérateur), soit une combinaison
(`toutes`, `au_moins_une`, `non`, `minimum` + `parmi`). Elle s'évalue en logique à trois
valeurs : une réponse `inconnu` rend la feuille indéterminée (None), et c'est à l'appelant
de traiter l'indéterminé comme le pire cas. Aucun `eval` : chaque condition est compilée
une fois en fonction Python fermée sur des valeurs d'énumération déjà vérifiées.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple, Optional, cast

from ..modeles.conditions import (  # noqa: F401  (réexportés : le langage de conditions se lit ici)
    _OPS_LISTE,
    _OPS_ORDRE,
    _OPS_SCALAIRE,
    OPERATEURS,
    AuMoinsUne,
    Condition,
    Feuille,
    Non,
    Parmi,
    Toujours,
    Toutes,
    Tri,
)
from ..modeles.types import INCONNU, NON_REPONDUE, Chemin, EnumFr, normaliser, suggestion
from .champs import Descripteur, champs, descripteurs

if typing.TYPE_CHECKING:
    from ..modeles.referentiel import Levier

# --- Vérification contre le schéma du cas d'usage -------------------------------------------


class Probleme(NamedTuple):
    """Erreur dans une condition ; `chemin` est relatif à la condition (pour la position)."""

    chemin: Chemin
    message: str


def verifier(cond: Condition, chemin: Chemin = ()) -> list[Probleme]:
    """Rend les problèmes d'une condition : champ inconnu, opérateur inadapté, valeur impossible."""
    if isinstance(cond, Toujours):
        return []
    if isinstance(cond, Toutes):
        return [p for i, c in enumerate(cond.toutes) for p in verifier(c, chemin + ("toutes", i))]
    if isinstance(cond, AuMoinsUne):
        return [p for i, c in enumerate(cond.au_moins_une) for p in verifier(c, chemin + ("au_moins_une", i))]
    if isinstance(cond, Non):
        return verifier(cond.non, chemin + ("non",))
    if isinstance(cond, Parmi):
        problemes = [p for i, c in enumerate(cond.parmi) for p in verifier(c, chemin + ("parmi", i))]
        if cond.minimum > len(cond.parmi):
            problemes.append(Probleme(chemin + ("minimum",), f"minimum {cond.minimum} supérieur au nombre de conditions ({len(cond.parmi)})"))
        return problemes
    return _verifier_feuille(cond, chemin)


def _verifier_feuille(f: Feuille, chemin: Chemin) -> list[Probleme]:
    tous = champs()
    champ = tous.get(f.champ)
    if champ is None:
        return [Probleme(chemin + ("champ",), f"champ « {f.champ} » inconnu du cas d'usage{suggestion(f.champ, list(tous))}")]
    op = f.operateur
    permis = _OPS_LISTE if champ.liste else _OPS_SCALAIRE + (_OPS_ORDRE if champ.ordonne else ())
    if op not in permis:
        nature = "une liste" if champ.liste else ("une réponse ordonnée" if champ.ordonne else "une réponse non ordonnée")
        return [Probleme(chemin + (op,), f"opérateur « {op} » impossible sur « {f.champ} », qui est {nature} ; opérateurs permis : {', '.join(permis)}")]
    valeurs = f.valeur if isinstance(f.valeur, list) else [f.valeur]
    problemes = []
    for i, v in enumerate(valeurs):
        ici = chemin + ((op, i) if isinstance(f.valeur, list) else (op,))
        if normaliser(v) == INCONNU:
            problemes.append(Probleme(ici, "« inconnu » ne peut figurer dans une condition : une réponse inconnue compte déjà comme le pire cas"))
        elif _membre(champ, v) is None and (consigne := _retiree(champ, v)) is not None:
            # Référentiel écrit pour le schéma v1 : dire quoi écrire, comme pour un cas d'usage.
            problemes.append(Probleme(ici, f"valeur « {v} » retirée du schéma des cas d'usage : {consigne}"))
        elif _membre(champ, v) is None:
            problemes.append(Probleme(ici, f"valeur « {v} » impossible pour « {f.champ} » ; valeurs permises : {', '.join(champ.valeurs_connues())}{suggestion(v, champ.valeurs_connues())}"))
    return problemes


def verifier_levier(levier: "Levier") -> list[Probleme]:
    """Un levier du référentiel (`iag plan`) : champ interrogeable, valeurs possibles, et un vrai
    changement (`vers` hors de `de`). Mêmes messages et mêmes positions que pour une condition."""
    table = champs()
    champ = table.get(levier.champ)
    if champ is None:
        return [Probleme(("champ",), f"champ « {levier.champ} » inconnu du cas d'usage{suggestion(levier.champ, list(table))}")]
    problemes = []
    valeurs = champ.enum.valeurs()
    for chemin, v in [*((("de", i), v) for i, v in enumerate(levier.de)), (("vers",), levier.vers)]:
        retiree = _retiree(champ, v)
        if retiree is not None:
            problemes.append(Probleme(chemin, f"valeur « {v} » retirée du schéma des cas d'usage : {retiree}"))
        elif not any(normaliser(m) == normaliser(v) for m in valeurs):
            problemes.append(Probleme(chemin, f"valeur « {v} » impossible pour « {levier.champ} » ; valeurs permises : {', '.join(valeurs)}{suggestion(v, valeurs)}"))
    if normaliser(levier.vers) == INCONNU:
        problemes.append(Probleme(("vers",), "un levier ne peut mener à « inconnu » : il décrit un changement que le projet fait"))
    if any(normaliser(v) == normaliser(levier.vers) for v in levier.de):
        problemes.append(Probleme(("vers",), f"« {levier.vers} » figure aussi dans « de » : le levier ne changerait rien"))
    return problemes


def _retiree(champ: Descripteur, valeur: str) -> Optional[str]:
    n = normaliser(valeur)
    return next((c for ancienne, c in champ.enum.retirees().items() if normaliser(ancienne) == n), None)


def _membre(champ: Descripteur, valeur: str) -> Optional[EnumFr]:
    """Membre de l'énumération du champ écrit `valeur` (sans casse ni accents), hors `inconnu`."""
    return _index(champ.enum).get(normaliser(valeur))


@lru_cache(maxsize=None)
def _rangs(enum: type[EnumFr]) -> dict[EnumFr, int]:
    """Rang de chaque membre (hors `inconnu`) dans l'ordre de risque, une fois par énumération."""
    return {m: enum.rang(m) for m in enum if m.value != INCONNU}


@lru_cache(maxsize=None)
def _index(enum: type[EnumFr]) -> dict[str, EnumFr]:
    # Une table par énumération plutôt qu'un parcours à chaque feuille : le chargement compile
    # et vérifie des centaines de feuilles sur quelques dizaines d'énumérations.
    index: dict[str, EnumFr] = {}
    for m in enum:
        if m.value != INCONNU:
            index.setdefault(normaliser(m.value), m)
    return index


# --- Compilation et évaluation (logique de Kleene) -------------------------------------------

# Réponses d'un cas (`champs.reponses`) : chemin -> membre d'énumération, liste de membres, ou None.
Reponses = Mapping[str, object]
Evaluateur = Callable[[Reponses], Tri]
# Une réponse possible d'un champ, dans les énumérations exactes du contrôle de recouvrement.
Reponse = EnumFr | list[EnumFr]


def compiler(cond: Condition) -> Evaluateur:
    """Compile une condition déjà vérifiée en fonction (réponses du cas, voir `champs.reponses`)
    -> True / False / None."""
    if isinstance(cond, Toutes):
        parts = [compiler(c) for c in cond.toutes]
        return lambda cas: _et([p(cas) for p in parts])
    if isinstance(cond, AuMoinsUne):
        parts = [compiler(c) for c in cond.au_moins_une]
        return lambda cas: _ou([p(cas) for p in parts])
    if isinstance(cond, Non):
        inner = compiler(cond.non)

        def non(cas: Reponses) -> Tri:
            r = inner(cas)
            return None if r is None else not r

        return non
    if isinstance(cond, Toujours):
        return lambda reponses: True
    if isinstance(cond, Parmi):
        parts = [compiler(c) for c in cond.parmi]
        n = cond.minimum

        def parmi(cas: Reponses) -> Tri:
            res = [p(cas) for p in parts]
            vrais, indet = res.count(True), res.count(None)
            if vrais >= n:
                return True
            return None if vrais + indet >= n else False

        return parmi
    return _compiler_feuille(cond)


def _et(res: list[Tri]) -> Tri:
    if False in res:
        return False
    return None if None in res else True


def _ou(res: list[Tri]) -> Tri:
    if True in res:
        return True
    return None if None in res else False


def _compiler_feuille(f: Feuille) -> Evaluateur:
    champ = champs()[f.champ]
    chemin = f.champ
    op = f.operateur
    valeur = getattr(f, op)
    if op in ("egal", "contient"):
        cibles = frozenset([_membre(champ, valeur)])
    elif op in ("dans", "contient_un_de"):
        cibles = frozenset(_membre(champ, v) for v in valeur)
    else:
        borne = _membre(champ, valeur)
        if borne is None:  # compiler suppose la condition vérifiée (`verifier`)
            raise ValueError(f"valeur « {valeur} » impossible pour « {f.champ} »")
        rangs = _rangs(champ.enum)
        rang = rangs[borne]
        cibles = frozenset(m for m, r in rangs.items() if (r >= rang if op == "au_moins" else r <= rang))

    # Une question non répondue (`NON_REPONDUE`) rend la feuille indéterminée, comme `inconnu` :
    # pour les listes comme pour les réponses sans membre `inconnu` (oui/non).
    if champ.liste:
        def feuille_liste(reponses: Reponses) -> Tri:
            v = reponses[chemin]
            if v is NON_REPONDUE:
                return None
            return not cibles.isdisjoint(cast("Iterable[EnumFr]", v))  # un champ liste
        return feuille_liste

    inconnu = champ.inconnu

    def feuille(reponses: Reponses) -> Tri:
        v = reponses[chemin]
        if v is NON_REPONDUE or (inconnu is not None and v is inconnu):
            return None
        return v in cibles

    return feuille


def champs_de(cond: Condition) -> list[str]:
    """Champs interrogés par une condition, dans l'ordre d'apparition, sans doublon."""
    vus: dict[str, None] = {}

    def visiter(c: Condition) -> None:
        if isinstance(c, Feuille):
            vus.setdefault(c.champ)
        for sous in _sous_conditions(c):
            visiter(sous)

    visiter(cond)
    return list(vus)


def _sous_conditions(c: Condition) -> list[Condition]:
    """Les conditions qu'une combinaison combine ; aucune pour une feuille ou `toujours`."""
    if isinstance(c, Toutes):
        return c.toutes
    if isinstance(c, AuMoinsUne):
        return c.au_moins_une
    if isinstance(c, Parmi):
        return c.parmi
    if isinstance(c, Non):
        return [c.non]
    return []


# --- Recouvrement de deux conditions (contrôle du référentiel) ------------------------------


def _citees(cond: Condition, sortie: dict[str, set[EnumFr]]) -> dict[str, set[EnumFr]]:
    """Valeurs citées par les feuilles, par champ (membres d'énumération)."""
    if isinstance(cond, Feuille):
        champ = champs()[cond.champ]
        valeurs = cond.valeur if isinstance(cond.valeur, list) else [cond.valeur]
        sortie.setdefault(cond.champ, set()).update(m for v in valeurs if (m := _membre(champ, v)) is not None)
    for sous in _sous_conditions(cond):
        _citees(sous, sortie)
    return sortie


def _reponses_possibles(conds: Sequence[Condition]) -> dict[str, list[Reponse]]:
    """Toutes les réponses qui peuvent distinguer ces conditions, par champ lu.

    Question fermée : chacune de ses valeurs, `inconnu` compris s'il est permis. Liste : chaque
    sous-ensemble des valeurs citées (une valeur jamais citée ne change la vérité d'aucune feuille).
    Une question non répondue n'y figure pas : la cotation d'un cas incomplet est un majorant (deux
    pondérations exclusives indéterminées s'ajoutent), jamais une sous-estimation.
    L'énumération est donc exacte, et reste petite (quelques valeurs par champ).
    """
    cites: dict[str, set[EnumFr]] = {}
    for c in conds:
        _citees(c, cites)
    possibles: dict[str, list[Reponse]] = {}
    for chemin in dict.fromkeys(ch for c in conds for ch in champs_de(c)):
        champ = champs()[chemin]
        if champ.liste:
            membres = sorted(cites.get(chemin, ()), key=lambda m: champ.enum.valeurs().index(m.value))
            possibles[chemin] = [[m for i, m in enumerate(membres) if n >> i & 1] for n in range(1 << len(membres))]
        else:
            possibles[chemin] = list(champ.enum)
    return possibles


def reponse_commune(a: Condition, b: Condition, a_si_indetermine: bool, b_si_indetermine: bool) -> Optional[dict[str, Reponse]]:
    """Une réponse pour laquelle les deux conditions s'appliquent ensemble, ou None s'il n'y en a pas.

    Une condition s'applique si elle est vraie, ou indéterminée (réponse `inconnu`) quand
    `..._si_indetermine` : c'est la règle de la cotation, où une hausse s'applique au pire cas.
    """
    import itertools

    fa, fb = compiler(a), compiler(b)
    possibles = _reponses_possibles([a, b])
    chemins = list(possibles)
    for combinaison in itertools.product(*(possibles[c] for c in chemins)):
        reponses = dict(zip(chemins, combinaison, strict=True))
        ra, rb = fa(reponses), fb(reponses)
        if (ra is True or (ra is None and a_si_indetermine)) and (rb is True or (rb is None and b_si_indetermine)):
            return reponses
    return None


# --- Description en français ----------------------------------------------------------------
#
# Chaque feuille devient « libellé : valeurs » : le libellé est le `title` du champ dans
# `CasUsage` (« hébergement des données »), les valeurs sont citées telles qu'écrites dans le YAML.
# Les combinaisons se lisent de gauche à droite : « A et B », « A, ou B », « au moins 2 des
# conditions suivantes : A ; B ; C » ; une combinaison imbriquée est mise entre parenthèses.

_PHRASES = {
    "egal": "{champ} : {v}",
    "dans": "{champ} : {v}",
    "contient": "{champ} : dont {v}",
    "contient_un_de": "{champ} : dont {v}",
    "au_moins": "{champ} : {v} ou au-delà",
    "au_plus": "{champ} : {v} ou en deçà",
}

# Négation d'une feuille, dite directement plutôt que « il n'est pas vrai que … ».
_PHRASES_NEGATIVES = {
    "egal": "{champ} : autre que {v}",
    "dans": "{champ} : ni {v}",
    "contient": "{champ} : sans {v}",
    "contient_un_de": "{champ} : ni {v}",
    "au_moins": "{champ} : en deçà de {v}",
    "au_plus": "{champ} : au-delà de {v}",
}


def libelle(chemin: str) -> str:
    """Libellé court d'un champ du cas d'usage (son `title`), à défaut son chemin pointé."""
    return _libelles().get(chemin, chemin)


@lru_cache(maxsize=1)
def _libelles() -> dict[str, str]:
    return {d.nom: d.titre for d in descripteurs() if d.titre}


def _citer(valeur: str) -> str:
    return f"« {valeur} »"


def _enumerer(valeurs: list[str], conjonction: str) -> str:
    cites = [_citer(v) for v in valeurs]
    if conjonction == "ni":  # « ni a ni b » : le premier « ni » est dans la phrase
        return " ni ".join(cites)
    if len(cites) == 1:
        return cites[0]
    return ", ".join(cites[:-1]) + f" {conjonction} " + cites[-1]


def _feuille(f: Feuille, negation: bool = False) -> str:
    op = f.operateur
    v = f.valeur
    if isinstance(v, list):
        texte_v = _enumerer(v, "ni" if negation else "ou")
    else:
        texte_v = _citer(v)
    modele = (_PHRASES_NEGATIVES if negation else _PHRASES)[op]
    return modele.format(champ=libelle(f.champ), v=texte_v)


def decrire(cond: Condition) -> str:
    """Phrase française générée depuis la condition (jamais écrite deux fois dans le YAML).

    Exemple : `{champ: hebergement, au_moins: hors_ue}` donne
    « hébergement des données : « hors_ue » ou au-delà ».
    """
    if isinstance(cond, Feuille):
        return _feuille(cond)
    if isinstance(cond, Toutes):
        return " et ".join(_entre(c) for c in cond.toutes)
    if isinstance(cond, AuMoinsUne):
        return ", ou ".join(_entre(c) for c in cond.au_moins_une)
    if isinstance(cond, Non):
        if isinstance(cond.non, Feuille):
            return _feuille(cond.non, negation=True)
        return f"il n'est pas vrai que {_entre(cond.non)}"
    if isinstance(cond, Toujours):
        return f"toujours ({' '.join(cond.toujours.split())})"
    return f"au moins {cond.minimum} des conditions suivantes : " + " ; ".join(decrire(c) for c in cond.parmi)


def _entre(c: Condition) -> str:
    return decrire(c) if isinstance(c, (Feuille, Non, Toujours)) else f"({decrire(c)})"
