"""Types partagés : énumérations françaises tolérantes, oui/non.

Le chargeur rend tous les scalaires YAML non quotés sous forme de texte : c'est le
schéma (ces types) qui décide de leur sens. Ainsi `NO`, `1.10` ou `0755` restent du texte
là où du texte est attendu, et `oui` / `non` deviennent des réponses.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Optional, TypeVar

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

INCONNU = "inconnu"

# Emplacement d'une réponse à donner (modèle d'`iag nouveau`, `iag migrer`) : accepté pour toute
# question, il vaut « non répondue », comme une clé absente ou vide.
A_COMPLETER = "À compléter"


class _Marqueur:
    """Valeur sentinelle des réponses d'un cas (`champs.reponses`), jamais une réponse écrite."""

    def __init__(self, nom: str, texte: str) -> None:
        self.nom, self.texte = nom, texte

    def __repr__(self) -> str:
        return self.nom

    def __str__(self) -> str:
        return self.texte


# Question sans réponse (clé absente, vide ou « À compléter ») : toute condition qui la lit est
# indéterminée, donc comptée comme le pire cas, exactement comme une réponse « inconnu ».
NON_REPONDUE: object = _Marqueur("NON_REPONDUE", "non répondue")
# Question sans objet (le référentiel le dit : `pertinence`), laissée sans réponse : aucune
# condition ne la trouve vraie (une liste sans objet vaut la liste vide).
SANS_OBJET: object = _Marqueur("SANS_OBJET", "sans objet")

# Chemin d'une valeur dans un document (clés et indices), comme les `loc` de pydantic.
Chemin = tuple[str | int, ...]


@lru_cache(maxsize=4096)
def normaliser(texte: str) -> str:
    """Forme de comparaison : minuscules, sans accents, séparateurs unifiés."""
    # Mémorisée : le chargement du référentiel compare des milliers de fois les mêmes quelques
    # centaines de valeurs d'énumération (c'était le premier poste de la compilation des conditions).
    texte = texte.strip().lower()
    if not texte.isascii():  # sans accent possible, NFKD ne changerait rien
        texte = "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c))
    for sep in (" ", "-", "'", "’"):
        texte = texte.replace(sep, "_")
    return texte


def est_a_completer(v: object) -> bool:
    """Vrai pour un emplacement à remplir : « À compléter » (sans casse ni accents) ou un texte vide."""
    return isinstance(v, str) and (not v.strip() or normaliser(v) == "a_completer")


def _non_repondue(v: Any) -> Any:
    return None if est_a_completer(v) else v


# À placer dans `Annotated[Optional[X], a_completer]` : « À compléter » ou un texte vide devient None
# (question non répondue) avant la validation de X.
a_completer = BeforeValidator(_non_repondue)


def liste_vide() -> list[Any]:
    """Fabrique des listes par défaut des modèles, à la place du type `list`. Pydantic lit la
    signature de chaque fabrique ; celle d'un type natif passe par `tokenize`, dont la compilation
    des expressions régulières coûtait ~10 ms à chaque démarrage, celle d'une fonction ne coûte rien."""
    return []


def texte_reponse(v: object, separateur: str = ", ") -> str:
    """Une réponse d'un cas en texte : « À compléter » si elle manque, une liste jointe."""
    if v is None:
        return A_COMPLETER
    if isinstance(v, list):
        return separateur.join(str(x) for x in v)
    return str(v)


def mots_reponse(v: object, separateur: str = ", ") -> str:
    """Une réponse d'un cas en mots, pour les personnes : comme `texte_reponse`, chaque valeur
    d'énumération par son libellé (`EnumFr.libelle` : « hébergé par la collectivité », pas
    `hébergé_collectivité`). Les formats lus par des outils gardent `texte_reponse`."""
    if isinstance(v, list):
        return separateur.join(mots_reponse(x) for x in v)
    return v.libelle if isinstance(v, EnumFr) else texte_reponse(v, separateur)


def nombre(n: int, singulier: str, pluriel: Optional[str] = None) -> str:
    """« 1 fichier », « 3 fichiers », « 0 fichier » : le nombre et le nom accordé (pluriel à partir de 2,
    comme en français), jamais « fichier(s) ». `singulier` peut porter plusieurs mots accordés ensemble
    (« chemin ignoré ») : le pluriel par défaut ajoute « s » à chacun ; sinon le donner."""
    if n < 2:
        return f"{n} {singulier}"
    return f"{n} {pluriel if pluriel is not None else ' '.join(m + 's' for m in singulier.split())}"


def accord(n: int, singulier: str, pluriel: Optional[str] = None) -> str:
    """Le mot seul accordé au nombre (« comptée » / « comptées »), sans le nombre."""
    return nombre(n, singulier, pluriel).split(" ", 1)[1]


def liste_fr(valeurs: list[str]) -> str:
    return ", ".join(valeurs)


def suggestion(valeur: str, possibles: list[str]) -> str:
    """« ; vouliez-vous dire « x » ? » ou rien."""
    proches = difflib.get_close_matches(normaliser(valeur), [normaliser(p) for p in possibles], n=1, cutoff=0.6)
    if not proches:
        return ""
    cible = next(p for p in possibles if normaliser(p) == proches[0])
    return f" ; vouliez-vous dire « {cible} » ?"


class EnumFr(str, Enum):
    """Énumération dont les valeurs sont des mots français.

    L'ordre de déclaration est l'ordre de risque croissant quand la classe est
    décorée par `@ordonnee` ; `inconnu`, s'il existe, reste hors de cet ordre.
    """

    # Posés par les décorateurs `ordonnee` et `decrites` (noms en __…__ : jamais des membres).
    __ordonnee__: ClassVar[bool]
    __descriptions__: ClassVar[dict[str, str]]
    __retirees__: ClassVar[dict[str, str]]
    __libelles__: ClassVar[dict[str, str]]

    @classmethod
    def ordonnee(cls) -> bool:
        return bool(getattr(cls, "__ordonnee__", False))

    @classmethod
    def valeurs(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def descriptions(cls) -> dict[str, str]:
        """Valeur -> définition française (schéma JSON, `iag nouveau`) ; vide si non décrite."""
        return dict(getattr(cls, "__descriptions__", {}))

    @classmethod
    def retirees(cls) -> dict[str, str]:
        """Anciennes valeurs refusées -> ce qu'il faut écrire à la place (valeurs scindées)."""
        return dict(getattr(cls, "__retirees__", {}))

    @classmethod
    def rang(cls, valeur: "EnumFr") -> int:
        connues = [m for m in cls if m.value != INCONNU]
        return connues.index(valeur)

    def __str__(self) -> str:  # les rapports affichent la valeur, pas Classe.MEMBRE
        return str(self.value)

    @property
    def libelle(self) -> str:
        """La réponse en mots, pour les documents que lisent des personnes (« Union européenne » pour
        `ue`) : le libellé posé par `libeller`, sinon la valeur sans « _ »."""
        return getattr(type(self), "__libelles__", {}).get(self.value) or str(self.value).replace("_", " ")


_E = TypeVar("_E", bound=type[EnumFr])


def ordonnee(cls: _E) -> _E:
    """Marque une énumération dont l'ordre de déclaration va du moins au plus risqué."""
    cls.__ordonnee__ = True
    return cls


def decrites(descriptions: dict[str, str], retirees: dict[str, str] | None = None) -> Callable[[_E], _E]:
    """Donne une définition à chaque valeur d'une énumération, et les anciennes valeurs refusées.

    Une valeur scindée en plusieurs (ex. « profilage_prédictif ») n'est pas devinée : elle est
    refusée avec un message qui dit exactement quoi écrire à la place.
    """

    def decorer(cls: _E) -> _E:
        manquantes = set(cls.valeurs()) ^ set(descriptions)
        if manquantes:  # garde-fou de développement : une valeur sans définition, ou l'inverse
            raise ValueError(f"{cls.__name__} : définitions à revoir pour {sorted(manquantes)}")
        cls.__descriptions__ = dict(descriptions)
        cls.__retirees__ = dict(retirees or {})
        return cls

    return decorer


def libeller(cls: type[EnumFr], libelles: dict[str, str]) -> None:
    """Pose les libellés humains des valeurs d'une énumération (seulement celles dont la valeur sans
    « _ » ne se lit pas bien) ; une valeur inconnue est une faute de développement."""
    inconnues = set(libelles) - set(cls.valeurs())
    if inconnues:
        raise ValueError(f"{cls.__name__} : libellés de valeurs inconnues {sorted(inconnues)}")
    cls.__libelles__ = dict(libelles)


def _valideur_enum(cls: type[EnumFr]) -> Callable[[Any], Any]:
    table = {normaliser(m.value): m for m in cls}
    retirees = {normaliser(k): (k, v) for k, v in cls.retirees().items()}

    exacts = cls._value2member_map_

    def valider(v: Any) -> Any:
        if isinstance(v, cls):
            return v
        if isinstance(v, str) and v in exacts:  # cas courant : la valeur telle qu'écrite dans le schéma
            return exacts[v]
        if isinstance(v, bool):
            v = "oui" if v else "non"
        if not isinstance(v, str):
            raise PydanticCustomError(
                "valeur_invalide",
                "attendu une des valeurs : {permises}",
                {"permises": liste_fr(cls.valeurs())},
            )
        membre = table.get(normaliser(v))
        if membre is None and normaliser(v) in retirees:
            ancienne, consigne = retirees[normaliser(v)]
            raise PydanticCustomError(
                "valeur_retiree", "valeur « {valeur} » retirée : {consigne}", {"valeur": ancienne, "consigne": consigne}
            )
        if membre is None:
            raise PydanticCustomError(
                "valeur_invalide",
                "valeur « {valeur} » invalide ; valeurs permises : {permises}{suggestion}",
                {"valeur": v, "permises": liste_fr(cls.valeurs()), "suggestion": suggestion(v, cls.valeurs())},
            )
        return membre

    return valider


def souple(cls: type[EnumFr]) -> BeforeValidator:
    """Validateur à placer dans `Annotated[cls, souple(cls)]` : accepte la valeur sans accents ni casse
    (`idee` pour `idée`). Écrit ainsi plutôt que par une fonction qui rend le type `Annotated`, que
    les vérificateurs de types ne savent pas lire."""
    return BeforeValidator(_valideur_enum(cls))


def enum_fr(cls: type[EnumFr]) -> Any:
    """Annotated[cls, souple(cls)], construit à l'exécution (pour qui construit un modèle dynamiquement)."""
    return Annotated[cls, souple(cls)]


class OuiNon(EnumFr):
    OUI = "oui"
    NON = "non"


class OuiNonInconnu(EnumFr):
    OUI = "oui"
    NON = "non"
    INCONNU = "inconnu"


_BOOLEENS = {
    "oui": "oui", "non": "non", "true": "oui", "false": "non", "vrai": "oui", "faux": "non",
    "yes": "oui", "no": "non", "on": "oui", "off": "non",
}
BOOLEENS_PERMIS = "oui ou non attendu (aussi 1/0, vrai/faux)"


def booleen(texte: str) -> Optional[bool]:
    """Le vocabulaire oui/non des cas d'usage, pour les variables d'environnement (IAG_SANS_CONFIG,
    IAG_ECHEANCES, IAG_CACHE) : oui/non, vrai/faux, 1/0 (et yes/no, true/false, on/off), sans
    casse ni accents ; None si la valeur n'en est pas une."""
    n = normaliser(texte)
    if n in ("1", "0"):
        return n == "1"
    valeur = _BOOLEENS.get(n)
    return None if valeur is None else valeur == "oui"


def _avant_oui_non(avec_inconnu: bool) -> Callable[[Any], Any]:
    permises = "oui, non" + (", inconnu" if avec_inconnu else "")

    def valider(v: Any) -> Any:
        if isinstance(v, bool):
            return "oui" if v else "non"
        if isinstance(v, str):
            n = normaliser(v)
            if n in _BOOLEENS:
                return _BOOLEENS[n]
            if avec_inconnu and n == INCONNU:
                return INCONNU
            raise PydanticCustomError(
                "valeur_invalide",
                "valeur « {valeur} » invalide ; valeurs permises : {permises}",
                {"valeur": v, "permises": permises},
            )
        raise PydanticCustomError("valeur_invalide", "attendu : {permises}", {"permises": permises})

    return valider


Booleen = Annotated[OuiNon, BeforeValidator(_avant_oui_non(False))]
BooleenOuInconnu = Annotated[OuiNonInconnu, BeforeValidator(_avant_oui_non(True))]
