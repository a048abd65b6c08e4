"""Les champs du cas d'usage : un descripteur par champ, lu une fois sur le modèle `CasUsage`.

`descripteurs()` est la seule lecture du modèle : les champs que les conditions du référentiel
peuvent interroger (`champs()` : les descripteurs `interrogeable`, ceux d'une énumération), les
libellés des conditions, les questions et le modèle commenté d'`iag nouveau`, les sources du dossier
en découlent tous. Un seul concept, `Descripteur`, pour tous ces usages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..modeles.annotations import deballer, est_modele
from ..modeles.cas_usage import CasUsage
from ..modeles.types import INCONNU, NON_REPONDUE, EnumFr


@dataclass(frozen=True)
class Descripteur:
    """Un champ de `CasUsage` (réponse ou groupe de réponses), lu une fois sur le modèle."""

    chemin: tuple[str, ...]  # ("donnees", "categories")
    type: Any  # type de la réponse (énumération, date, texte…) ou sous-modèle, déballé
    liste: bool
    optionnel: bool  # None permis
    titre: Optional[str]  # `title` du champ (libellé court français), s'il en a un
    description: str
    obligatoire: bool  # sans valeur par défaut
    minimum: int  # nombre minimal d'éléments d'une liste
    exemple: Any  # première valeur de `examples`, ou None

    @property
    def nom(self) -> str:
        return ".".join(self.chemin)

    @property
    def sous_modele(self) -> Optional[type[BaseModel]]:
        """Le modèle d'un groupe de réponses (`outil`, `mesures_prevues`), None pour une réponse."""
        return self.type if est_modele(self.type) else None

    @property
    def attributs(self) -> tuple[str, ...]:
        """Attributs à lire, dans l'ordre, sur un cas (`lire`)."""
        return self.chemin

    # --- Champs interrogeables (réponse énumérée, ou liste de réponses énumérées) ------------------

    @property
    def interrogeable(self) -> bool:
        """Une condition du référentiel peut-elle l'interroger ? (voir `champs()`)"""
        return isinstance(self.type, type) and issubclass(self.type, EnumFr)

    @property
    def enum(self) -> type[EnumFr]:
        """L'énumération des réponses ; seulement pour un champ interrogeable."""
        if not self.interrogeable:
            raise TypeError(f"le champ {self.nom} n'est pas une énumération")
        enum: type[EnumFr] = self.type
        return enum

    @property
    def ordonne(self) -> bool:
        return self.enum.ordonnee() and not self.liste

    @property
    def accepte_inconnu(self) -> bool:
        return INCONNU in self.enum._value2member_map_

    @property
    def inconnu(self) -> Optional[EnumFr]:
        """Le membre `inconnu` de l'énumération, ou None."""
        return self.enum(INCONNU) if self.accepte_inconnu else None

    def valeurs_connues(self) -> list[str]:
        return [v for v in self.enum.valeurs() if v != INCONNU]


def _minimum(info: FieldInfo) -> int:
    for m in info.metadata:
        if hasattr(m, "min_length"):
            return int(m.min_length)
    return 0


def _exemple(info: FieldInfo) -> Any:
    extra: dict[str, Any] = {}
    if callable(info.json_schema_extra):
        info.json_schema_extra(extra)
    elif isinstance(info.json_schema_extra, dict):
        extra = info.json_schema_extra
    return (extra.get("examples") or [None])[0]


def _parcourir(modele: type[BaseModel], prefixe: tuple[str, ...], sortie: list[Descripteur]) -> None:
    for nom, info in modele.model_fields.items():
        typ, liste, optionnel = deballer(info.annotation)
        d = Descripteur(prefixe + (nom,), typ, liste, optionnel, info.title, info.description or "",
                        info.is_required(), _minimum(info), _exemple(info))
        sortie.append(d)
        if d.sous_modele is not None:
            _parcourir(d.sous_modele, d.chemin, sortie)


@lru_cache(maxsize=1)
def descripteurs() -> tuple[Descripteur, ...]:
    """Tous les champs du cas d'usage, dans l'ordre de déclaration, chaque groupe avant ses champs.

    La seule lecture du modèle : champs interrogeables, libellés des conditions, questions
    d'`iag nouveau` et sources du dossier en découlent.
    """
    sortie: list[Descripteur] = []
    _parcourir(CasUsage, (), sortie)
    return tuple(sortie)


@lru_cache(maxsize=1)
def par_chemin() -> dict[str, Descripteur]:
    """Chemin pointé -> descripteur."""
    return {d.nom: d for d in descripteurs()}


@lru_cache(maxsize=1)
def champs() -> dict[str, Descripteur]:
    """Descripteurs des champs interrogeables (énumérations et listes d'énumérations), par chemin pointé."""
    return {d.nom: d for d in descripteurs() if d.interrogeable}


def lire(cas: BaseModel, attributs: tuple[str, ...]) -> object:
    valeur: object = cas
    for a in attributs:
        valeur = getattr(valeur, a)
    return valeur


@lru_cache(maxsize=1)
def _lecteurs() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((c.nom, c.attributs) for c in champs().values())


def reponses(cas: BaseModel) -> dict[str, object]:
    """Toutes les réponses interrogeables d'un cas, lues une fois : chemin -> membre (ou liste), ou
    `NON_REPONDUE` pour une question sans réponse (clé absente, vide, « À compléter »).

    Le seul endroit où une absence devient une réponse : `NON_REPONDUE`, que toute condition lit
    comme indéterminée (pire cas). `completude.reponses_du_cas` y ajoute la pertinence du référentiel."""
    sortie: dict[str, object] = {}
    for chemin, attributs in _lecteurs():
        v = lire(cas, attributs)
        sortie[chemin] = NON_REPONDUE if v is None else v
    return sortie


def titre_champ(chemin: str) -> str:
    """La question en mots (`title` du champ : « réutilisation pour l'entraînement »), pour les personnes ;
    le chemin lui-même si le champ n'en a pas."""
    d = par_chemin().get(chemin)
    return d.titre if d is not None and d.titre else chemin


def libelle_reponse(chemin: str, valeur: object) -> object:
    """Une réponse écrite telle que dans le fichier (texte, ou liste de textes), en mots : le libellé de
    sa valeur dans l'énumération du champ (`EnumFr.libelle`) ; inchangée si le champ n'en a pas."""
    champ = champs().get(chemin)
    if champ is None:
        return valeur
    valeurs = champ.enum._value2member_map_
    if isinstance(valeur, (list, tuple)):
        return [libelle_reponse(chemin, v) for v in valeur]
    membre = valeurs.get(valeur) if isinstance(valeur, str) else None
    return membre.libelle if isinstance(membre, EnumFr) else valeur
