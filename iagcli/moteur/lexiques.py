"""Le titre et la description lus contre les réponses : ce que le texte révèle et que les réponses nient.

Le référentiel tient, par valeur de réponse (fonctionnalité sensible, rôle et domaine des décisions,
catégorie de données), les expressions qui la révèlent (`lexiques`). Le texte et les expressions
sont réduits à une suite de racines : mots en minuscules, racinisés par l'algorithme Snowball du
français (`snowballstemmer`, importé au premier usage), sans accents, mots vides retirés. Une
expression est trouvée si ses racines se suivent dans le texte, sans négation (« sans », « aucune »,
« pas »…) dans les trois mots qui la précèdent. Fonction pure : (texte, réponses, lexique) -> alertes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from ..modeles.types import INCONNU, NON_REPONDUE, EnumFr, normaliser

if TYPE_CHECKING:
    from ..modeles.referentiel import Lexiques

_MOT = re.compile(r"[^\W\d_]+")
FENETRE_NEGATION = 3  # mots (hors mots vides) avant l'expression où une négation l'annule


@dataclass(frozen=True)
class AlerteTexte:
    """Le texte évoque `valeur` de `champ`, que les réponses ne déclarent pas."""

    champ: str
    valeur: str
    mots: tuple[str, ...]  # expressions trouvées, telles qu'écrites dans le texte

    def phrase(self) -> str:
        trouves = ", ".join(f"« {m} »" for m in self.mots)
        return (f"le titre ou la description évoque {trouves}, mais la réponse « {self.champ} » ne déclare pas "
                f"« {self.valeur} » : vérifier cette réponse")


@dataclass(frozen=True)
class Entree:
    """Une valeur de réponse que des expressions révèlent (leurs racines sont dans `par_racine`)."""

    champ: str
    valeur: str


@dataclass(frozen=True)
class LexiqueCompile:
    """Le lexique du référentiel réduit à des racines, prêt à lire le texte de chaque cas."""

    entrees: tuple[Entree, ...]
    vides: frozenset[str]
    negations: frozenset[str]
    # première racine -> (rang de l'entrée, rang de l'expression, racines) : le texte d'un cas n'est lu
    # qu'une fois, quelle que soit la taille du lexique
    par_racine: dict[str, tuple[tuple[int, int, tuple[str, ...]], ...]]


@lru_cache(maxsize=1)
def _raciniser() -> Any:
    import snowballstemmer  # type: ignore[import-untyped]  # ~1 ms avec PyStemmer (pyproject), ~22 ms sans

    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=8192)
def racine(mot: str) -> str:
    """Racine d'un mot : minuscules, Snowball français (qui attend les accents), puis sans accents."""
    return normaliser(_raciniser().stemWord(mot.lower()))


def _jetons(texte: str, vides: frozenset[str]) -> list[tuple[str, str, int, int]]:
    """(racine, forme normalisée, début, fin) de chaque mot qui n'est pas un mot vide."""
    sortie = []
    for m in _MOT.finditer(texte):
        forme = normaliser(m.group())
        if forme in vides:
            continue
        sortie.append((racine(m.group()), forme, m.start(), m.end()))
    return sortie


def compiler(lexiques: "Lexiques") -> LexiqueCompile:
    vides = frozenset(normaliser(v) for v in lexiques.mots_vides)
    entrees = tuple(Entree(e.champ, e.valeur) for e in lexiques.entrees)
    par_racine: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {}
    for k, e in enumerate(lexiques.entrees):
        for x, expression in enumerate(e.expressions):
            suite = tuple(j[0] for j in _jetons(expression, vides))
            if suite:  # une expression faite de mots vides ne se trouve jamais
                par_racine.setdefault(suite[0], []).append((k, x, suite))
    return LexiqueCompile(entrees, vides, frozenset(normaliser(n) for n in lexiques.negations),
                          {r: tuple(v) for r, v in par_racine.items()})


def _nie(champ_liste: bool, reponse: object, valeur: str, ordre: Optional[list[str]]) -> bool:
    """Les réponses nient-elles `valeur` ? Une question non répondue compte déjà au pire cas : non."""
    if reponse is NON_REPONDUE:
        return False
    if champ_liste:
        return isinstance(reponse, list) and valeur not in {m.value for m in reponse}
    if not isinstance(reponse, EnumFr):
        return True  # sans objet : le texte révèle ce que les réponses écartent
    if reponse.value == INCONNU:
        return False
    if ordre is not None:  # réponse ordonnée : au moins la valeur évoquée ne la nie pas
        return bool(ordre.index(reponse.value) < ordre.index(valeur))
    return bool(reponse.value != valeur)


def alertes(texte: str, reponses: dict[str, object], lexique: LexiqueCompile) -> tuple[AlerteTexte, ...]:
    """Expressions du lexique trouvées dans le texte, pour les valeurs que les réponses nient."""
    from .champs import champs

    table = champs()
    jetons = _jetons(texte, lexique.vides)
    racines = [j[0] for j in jetons]
    trouvees: list[tuple[int, int, int, str]] = []  # (entrée, expression, place, texte écrit)
    for i, r in enumerate(racines):
        for k, x, suite in lexique.par_racine.get(r, ()):
            n = len(suite)
            if tuple(racines[i:i + n]) != suite:
                continue
            avant = {j[1] for j in jetons[max(0, i - FENETRE_NEGATION):i]}
            if avant & lexique.negations:
                continue
            trouvees.append((k, x, i, " ".join(texte[jetons[i][2]:jetons[i + n - 1][3]].split())))
    # Dans l'ordre du lexique, puis du texte : entrée par entrée, expression par expression.
    par_entree: dict[int, list[str]] = {}
    for k, _, _, ecrit in sorted(trouvees):
        mots = par_entree.setdefault(k, [])
        if ecrit not in mots:
            mots.append(ecrit)
    sortie: list[AlerteTexte] = []
    for k, mots in sorted(par_entree.items()):
        e = lexique.entrees[k]
        champ = table[e.champ]
        ordre = [v for v in champ.enum.valeurs() if v != INCONNU] if champ.ordonne else None
        if _nie(champ.liste, reponses[e.champ], e.valeur, ordre):
            sortie.append(AlerteTexte(e.champ, e.valeur, tuple(mots)))
    return tuple(sortie)
