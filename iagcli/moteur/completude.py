"""Complétude d'un cas : questions sans réponse, questions sans objet, réponses qui se contredisent.

Une seule notion, « question non répondue » (`NON_REPONDUE`) : clé absente, valeur vide, emplacement
« À compléter », ou réponse qu'une contradiction rend douteuse. Toute condition qui la lit est
indéterminée : la cotation la compte comme le pire cas, comme une réponse « inconnu ». Une question
que le référentiel dit sans objet (`pertinence`) et laissée sans réponse ne compte pas.

Fonctions pures : `reponses_du_cas` (réponses à coter), `a_completer` (chemins, dans l'ordre du
questionnaire), `situer` (position et consigne de chaque question à compléter dans le fichier).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Optional

from ..modeles.types import INCONNU, NON_REPONDUE, SANS_OBJET, est_a_completer
from . import conditions as C
from .champs import champs, descripteurs, lire, reponses

if TYPE_CHECKING:
    from ..es.chargeur import Document
    from ..modeles.cas_usage import CasUsage
    from .referentiel import Referentiel

# Champs qui ne sont pas des questions à compléter : la version du schéma a une valeur par défaut,
# une liste de mesures vide est une réponse (aucune mesure : le pire cas).
HORS_QUESTIONNAIRE = ("version_schema", "mesures_en_place", "mesures_prevues")


@dataclass(frozen=True)
class Contradiction:
    """Réponses qui ne peuvent être vraies ensemble (`contradictions` du référentiel, ou question
    répondue alors que sa `pertinence` est fausse) ; les `douteuses` comptent comme non répondues."""

    id: str
    message: str
    champs: tuple[str, ...]
    douteuses: tuple[str, ...]


def reponses_du_cas(cas: "CasUsage", ref: "Referentiel") -> tuple[dict[str, object], tuple[Contradiction, ...]]:
    """Les réponses à coter et les contradictions relevées ; le seul branchement de la complétude.

    1. réponses lues (`champs.reponses` : une question sans réponse vaut `NON_REPONDUE`) ;
    2. contradictions, évaluées sur ces réponses : chaque réponse douteuse devient `NON_REPONDUE`.
       Une contradiction vraie est signalée ; indéterminée (une réponse qu'elle lit est inconnue ou
       manque), elle pourrait l'être : ses réponses douteuses comptent aussi au pire cas, sans
       signalement (le cas est déjà incomplet ou incertain) ;
    3. une question restée sans réponse que la pertinence dit sans objet (vrai faux, pas indéterminé)
       vaut la liste vide ou `SANS_OBJET` : aucune condition ne la trouve vraie.
    Une réponse ne peut ainsi que monter vers le pire cas, jamais descendre.
    """
    lues = reponses(cas)
    brutes = dict(lues)
    trouvees: list[Contradiction] = []
    douteuses: set[str] = set()
    for p in ref.pertinences:
        v = brutes[p.champ]
        # « non », « inconnu » ou une liste vide n'affirment rien : à une question sans objet, ce n'est pas
        # une contradiction (« identification en temps réel ? — non » sans identification) ; une réponse
        # qui affirme (une valeur, « oui », un élément) en est une.
        repondue = v is not NON_REPONDUE and v is not None and v != [] and getattr(v, "value", v) not in ("non", INCONNU)
        objet = p.evaluer(brutes)
        if repondue and objet is False:
            lus = (p.champ, *p.champs)
            trouvees.append(Contradiction(
                f"pertinence:{p.champ}",
                f"« {p.champ} » ({C.libelle(p.champ)}) est répondue alors que la question est sans objet : "
                f"elle n'en a que si {p.description}",
                lus, lus))
            douteuses.update(lus)
        elif repondue and objet is None:
            douteuses.add(p.champ)
    for x in ref.contradictions_reponses:
        vrai = x.evaluer(brutes)
        if vrai is True:
            trouvees.append(Contradiction(x.id, x.message, x.champs, x.douteuses))
        if vrai is not False:
            douteuses.update(x.douteuses)
    for c in douteuses:
        lues[c] = NON_REPONDUE
    table = champs()
    for p in ref.pertinences:
        if p.champ not in douteuses and lues[p.champ] is NON_REPONDUE and p.evaluer(lues) is False:
            lues[p.champ] = [] if table[p.champ].liste else SANS_OBJET
    return lues, tuple(trouvees)


def a_completer(cas: "CasUsage", lues: dict[str, object], contradictions: tuple[Contradiction, ...] = (),
                cotees: Optional[frozenset[str]] = None) -> tuple[str, ...]:
    """Chemins des questions à compléter, dans l'ordre du questionnaire : réponse interrogeable non
    répondue (ni sans objet), texte « À compléter », date ou statut sans réponse. Une réponse donnée
    mais douteuse (contradiction) n'y figure pas : elle est signalée avec sa contradiction.
    `cotees` (`Referentiel.questions_cotees`) : seules ces questions interrogeables peuvent être à
    compléter ; les autres, qu'aucune condition du référentiel ne lit, ne changent aucun verdict."""
    douteuses = {c for x in contradictions for c in x.douteuses}
    sortie = []
    for d in descripteurs():
        if d.chemin[0] in HORS_QUESTIONNAIRE or d.sous_modele is not None:
            continue
        v = lire(cas, d.attributs)
        if d.nom in lues:
            if cotees is not None and d.nom not in cotees and not _ecrite(cas, d.attributs):
                continue  # absente, et aucune condition ne la lit ; écrite « À compléter », elle reste à compléter
            # sans réponse écrite, et pas sans objet ; une réponse écrite mais douteuse (contradiction,
            # même indéterminée) compte au pire cas sans être « à compléter »
            if v is None and lues[d.nom] is NON_REPONDUE and d.nom not in douteuses:
                sortie.append(d.nom)
        elif v is None or est_a_completer(v):
            sortie.append(d.nom)
    return tuple(sortie)


def _ecrite(cas: "CasUsage", attributs: tuple[str, ...]) -> bool:
    """La clé figure dans le fichier (même vide ou « À compléter ») : pydantic garde les champs donnés."""
    modele: object = cas
    for nom in attributs[:-1]:
        modele = getattr(modele, nom, None)
        if modele is None:
            return False
    return attributs[-1] in getattr(modele, "model_fields_set", ())


@dataclass(frozen=True)
class QuestionACompleter:
    """Une question à compléter, située dans le fichier : la même dans chaque format."""

    champ: str  # chemin pointé
    titre: str  # libellé court (`title` du champ)
    question: str  # texte de la question (description du champ)
    ligne: int
    colonne: int
    presente: bool  # la clé est dans le fichier (vide ou « À compléter ») ; sinon à ajouter
    ou: str  # « ligne 12 » ou « à ajouter après « hebergement » (ligne 14) »

    @property
    def texte(self) -> str:
        """« hebergement (ligne 14, colonne 1) : hébergement des données — Lieu d'hébergement… »"""
        return f"{self.champ} ({self.ou}) : {self.titre} — {self.question}"


def situer(champ: str, document: Optional["Document"]) -> QuestionACompleter:
    """Position de la question dans le fichier, ou là où l'ajouter (après la clé sœur présente qui la
    précède dans l'ordre du questionnaire, sinon sous son groupe, sinon en tête)."""
    table = {d.nom: d for d in descripteurs()}
    d = table[champ]
    titre, question = d.titre or champ, d.description
    chemin = d.chemin
    pos = document.position(chemin, cle=True) if document is not None else None
    if pos is not None:
        return QuestionACompleter(champ, titre, question, pos.ligne, pos.colonne, True, f"ligne {pos.ligne}, colonne {pos.colonne}")
    parent = chemin[:-1]
    soeurs = [x.chemin for x in descripteurs() if x.chemin[:-1] == parent]
    precedentes = soeurs[: soeurs.index(chemin)]
    if document is not None:
        for s in reversed(precedentes):
            p = document.position(s, cle=True)
            if p is not None:
                return QuestionACompleter(champ, titre, question, p.ligne, p.colonne, False,
                                          f"à ajouter après « {'.'.join(s)} », ligne {p.ligne}")
        if parent:
            p = document.position(parent, cle=True)
            if p is not None:
                return QuestionACompleter(champ, titre, question, p.ligne, p.colonne, False,
                                          f"à ajouter sous « {'.'.join(parent)} », ligne {p.ligne}")
    return QuestionACompleter(champ, titre, question, 1, 1, False, "à ajouter en tête du fichier")


def situer_tout(champs_a_completer: tuple[str, ...], document: Optional["Document"]) -> tuple[QuestionACompleter, ...]:
    return tuple(situer(c, document) for c in champs_a_completer)


def phrase_a_completer(n: int) -> str:
    """« 1 question à compléter », « 3 questions à compléter » : la même phrase dans chaque format."""
    return f"{n} question{'s' if n > 1 else ''} à compléter"


def pertinente(ref: "Referentiel", champ: str, saisies: "Mapping[str, object]") -> bool:
    """La question `champ` a-t-elle un objet, vu les réponses déjà saisies (chemin pointé -> texte ou
    liste de textes ; absente ou « À compléter » : non répondue) ? Indéterminé : oui (pire cas).
    Sert au mode interactif, qui saute une question sans objet."""
    table = champs()
    lues: dict[str, object] = {}
    for nom, d in table.items():
        v = saisies.get(nom)
        if v is None or est_a_completer(v):
            lues[nom] = NON_REPONDUE
        elif isinstance(v, list):
            lues[nom] = [d.enum(x) for x in v]
        else:
            lues[nom] = d.enum(v)
    return all(p.evaluer(lues) is not False for p in ref.pertinences if p.champ == champ)
