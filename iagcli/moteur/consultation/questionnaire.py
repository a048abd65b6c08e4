"""Questionnaire du cas d'usage, dérivé du modèle `CasUsage` : modèle YAML commenté pour
`iag nouveau`, lecture des réponses du mode interactif et `poser_questions` (le questionnaire
interactif ; Rich n'y est importé qu'à l'appel).

Un peu plus de 400 lignes, gardées ensemble : les trois parties (questions, modèle YAML, lecture et
pose des réponses) partagent `Question` et ses règles (valeurs permises, `inconnu`, minimum) ; le
modèle écrit et le dialogue doivent dire exactement la même chose d'une question.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Sequence

from ...modeles.types import A_COMPLETER as A_COMPLETER  # réexporté : l'emplacement d'une réponse à donner
from ...modeles.types import nombre
from .recherche import forme

if TYPE_CHECKING:
    pass


# --- Questions du cas d'usage ----------------------------------------------------------------



@dataclass(frozen=True)
class Question:
    """Une question du cas d'usage, dérivée d'un champ de `CasUsage`."""

    chemin: tuple[str, ...]
    titre: str
    description: str
    genre: str  # "texte", "date", "choix", "liste" (de choix), "identifiants" (mesures)
    valeurs: tuple[str, ...] = ()  # valeurs permises (choix, liste), `inconnu` compris s'il est permis
    obligatoire: bool = True  # sans valeur par défaut
    minimum: int = 0  # nombre minimal d'éléments d'une liste
    facultatif: bool = False  # réponse absente permise (champ optionnel sans liste)
    definitions: tuple[str, ...] = ()  # définition de chaque valeur (parallèle à `valeurs`), si décrites
    exemple: Any = None  # valeur proposée par le schéma (`examples`), pré-remplie dans le modèle

    @property
    def cle(self) -> str:
        return self.chemin[-1]

    @property
    def nom(self) -> str:
        return ".".join(self.chemin)

    @property
    def accepte_inconnu(self) -> bool:
        from ...modeles.types import INCONNU

        return INCONNU in self.valeurs


@dataclass(frozen=True)
class Section:
    """Un groupe de questions (sous-modèle : outil, données, décision…)."""

    chemin: tuple[str, ...]
    titre: str
    description: str


def questions() -> list[Question | Section]:
    """Sections et questions du modèle, dans l'ordre de déclaration (jamais écrites à la main) :
    lues sur les descripteurs de `champs`."""
    from ..champs import descripteurs

    sortie: list[Question | Section] = []
    ecartes: list[tuple[str, ...]] = []
    for d in descripteurs():
        if any(d.chemin[: len(e)] == e for e in ecartes):
            continue
        titre = d.titre or d.chemin[-1].replace("_", " ")
        if d.sous_modele is not None and d.liste:
            ecartes.append(d.chemin)
            continue  # liste d'objets (mesures_prevues) : écrite par `iag plan --ecrire` ou à la main, pas demandée
        if d.sous_modele is not None:
            sortie.append(Section(d.chemin, titre, d.description or " ".join((d.sous_modele.__doc__ or "").split())))
            continue
        commun: dict[str, Any] = dict(chemin=d.chemin, titre=titre, description=d.description, obligatoire=d.obligatoire)
        if d.interrogeable:
            enum = d.enum
            genre = "liste" if d.liste else "choix"
            textes = enum.descriptions()
            sortie.append(Question(genre=genre, valeurs=tuple(enum.valeurs()), minimum=d.minimum,
                                   facultatif=False,  # sans réponse : « À compléter », jamais une absence silencieuse
                                   definitions=tuple(textes.get(v, "") for v in enum.valeurs()) if textes else (),
                                   **commun))
        elif d.type is dt.date:
            sortie.append(Question(genre="date", **commun))
        elif d.liste:
            sortie.append(Question(genre="identifiants", minimum=d.minimum, **commun))
        else:
            sortie.append(Question(genre="texte", facultatif=d.optionnel, exemple=d.exemple, **commun))
    return sortie


def valeur_initiale(q: Question, aujourdhui: Optional[dt.date] = None) -> Any:
    """Réponse écrite dans le modèle avant toute saisie : « À compléter », jamais une valeur devinée.

    Seules exceptions : la valeur proposée par le schéma (`version_schema`) et la liste des mesures
    en place, vide (aucune mesure : le pire cas, pas un pari). `aujourdhui` est gardé pour les
    appelants ; aucune date n'est plus proposée.
    """
    if q.exemple is not None:
        return q.exemple
    if q.genre == "identifiants":
        return []
    if q.genre == "texte" and q.facultatif:
        return None
    return A_COMPLETER


def _scalaire_yaml(v: Any) -> str:
    import yaml

    texte = str(v)
    if re.fullmatch(r"[^\W\d][\w.-]*|\d[\w.-]*_[\w.-]*", texte) and yaml.safe_load(texte) == texte:
        return texte
    return json.dumps(texte, ensure_ascii=False)  # chaîne JSON = scalaire YAML entre guillemets


def valeur_yaml(q: Question, v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_scalaire_yaml(x) for x in v) + "]"
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    if q.genre == "texte":
        return json.dumps(str(v), ensure_ascii=False)
    if q.genre == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(v)):
        return str(v)  # le chargeur d'iag garde le texte ; le schéma en fait une date
    return _scalaire_yaml(v)


LARGEUR_MODELE = 79


def _commentaire(texte: str, retrait: str, suite: str = "") -> list[str]:
    return textwrap.wrap(
        texte, width=LARGEUR_MODELE, initial_indent=f"{retrait}# ", subsequent_indent=f"{retrait}# {suite}",
        break_on_hyphens=False, break_long_words=False,
    )


def aide_valeurs(q: Question) -> Optional[str]:
    """« Valeurs : a | b | c » selon le genre de la question ; None si texte libre."""
    permises = " | ".join(q.valeurs)
    if q.genre == "choix":
        return ("Facultatif. " if q.facultatif else "") + f"Valeurs : {permises}"
    if q.genre == "liste":
        quantite = "Une ou plusieurs valeurs" if q.minimum else "Aucune, une ou plusieurs valeurs"
        return f"{quantite} parmi : {permises}"
    if q.genre == "identifiants":
        return "Liste d'identifiants, éventuellement vide."
    return None


ENTETE_MODELE = (
    "Cas d'usage d'IA générative : modèle généré par « iag nouveau » depuis le schéma "
    "d'iag {version}. Chaque question est précédée de son explication et des valeurs permises. "
    "Aucune réponse n'est pré-remplie : remplacez chaque « À compléter ». Tant qu'il en reste, le "
    "cas est incomplet : son verdict est le pire cas que ces questions permettent et la porte de CI "
    "échoue. Une liste vide [] veut dire « aucun ». « inconnu », là où il est proposé, compte aussi "
    "comme le pire cas.",
    "Vérifier puis évaluer : iag evaluer FICHIER",
)
ENTETE_BROUILLON = (
    "Brouillon d'un cas d'usage interrompu (« iag nouveau --interactif », iag {version}) : les réponses "
    "données sont gardées, les autres questions restent « À compléter ».",
    "Reprendre : iag nouveau --interactif --reprendre FICHIER",
)
ENTETE_INTERACTIF = (
    "Cas d'usage d'IA générative rédigé avec « iag nouveau --interactif » (iag {version}). "
    "Les commentaires rappellent chaque question et ses valeurs permises.",
    "Évaluer : iag evaluer FICHIER",
)


def modele_yaml(
    reponses: Optional[dict[tuple[str, ...], Any]] = None,
    mesures: Sequence[tuple[str, str]] = (),
    aujourdhui: Optional[dt.date] = None,
    entete: Sequence[str] = ENTETE_MODELE,
) -> str:
    """Fichier YAML commenté d'un cas d'usage : toutes les questions du modèle, dans l'ordre.

    `reponses` (chemin -> valeur) remplace les réponses pré-remplies ; `mesures` [(id, titre)]
    liste les mesures du référentiel sous la question `mesures_en_place`.
    """
    from ... import __version__

    reponses = reponses or {}
    lignes: list[str] = []
    for paragraphe in entete:
        lignes += _commentaire(paragraphe.format(version=__version__), "")
    precedent = None
    for element in questions():
        retrait = "  " * (len(element.chemin) - 1)
        if not isinstance(precedent, Section):  # pas de ligne vide juste sous « outil: »
            lignes.append("")
        precedent = element
        if isinstance(element, Section):
            lignes += _commentaire(element.description or element.titre[:1].upper() + element.titre[1:] + ".", retrait)
            lignes.append(f"{retrait}{element.chemin[-1]}:")
            continue
        q = element
        if q.description:
            lignes += _commentaire(q.description, retrait)
        aide = aide_valeurs(q)
        if aide:
            lignes += _commentaire(aide, retrait, "  ")
        for valeur, definition in zip(q.valeurs, q.definitions, strict=False):
            lignes += _commentaire(f"  {valeur} : {definition}", retrait, "    ")
        if q.genre == "identifiants" and mesures:
            lignes.append(f"{retrait}# Mesures du référentiel :")
            for ident, titre in mesures:
                lignes += _commentaire(f"  {ident}  {titre}", retrait, "      ")
        v = reponses[q.chemin] if q.chemin in reponses else valeur_initiale(q, aujourdhui)
        if v is None:
            exemple = q.valeurs[0] if q.valeurs else A_COMPLETER
            lignes.append(f"{retrait}# {q.cle}: {valeur_yaml(q, exemple)}")
        else:
            lignes.append(f"{retrait}{q.cle}: {valeur_yaml(q, v)}")
    return "\n".join(lignes) + "\n"


# --- Lecture des réponses du mode interactif --------------------------------------------------


class ReponseInvalide(ValueError):
    """Réponse refusée ; le message dit ce qui est attendu."""


AUCUNE_REPONSE = ("", "-", "aucun", "aucune")


def _aucune(texte: str) -> bool:
    """Réponse vide, « - », « aucun » ou « aucune »."""
    return forme(texte.strip()) in AUCUNE_REPONSE


def lire_choix(q: Question, texte: str) -> Optional[str]:
    """Une valeur parmi `q.valeurs`, donnée par son numéro, sa valeur ou un début sans ambiguïté."""
    from ...modeles.types import normaliser, suggestion

    brut = texte.strip()
    if q.facultatif and _aucune(brut):
        return None
    if brut.isdigit():
        n = int(brut)
        if 1 <= n <= len(q.valeurs):
            return q.valeurs[n - 1]
        raise ReponseInvalide(f"numéro {n} hors de la liste (1 à {len(q.valeurs)})")
    cle = normaliser(brut)
    for v in q.valeurs:
        if normaliser(v) == cle:
            return v
    debuts = [v for v in q.valeurs if cle and normaliser(v).startswith(cle)]
    if len(debuts) == 1:
        return debuts[0]
    raise ReponseInvalide(
        f"réponse « {brut} » invalide ; valeurs permises : {', '.join(q.valeurs)}{suggestion(brut, list(q.valeurs))}"
    )


def lire_liste(q: Question, texte: str) -> list[str]:
    """Valeurs séparées par des virgules (numéros ou valeurs) ; vide ou « - » pour aucune."""
    if _aucune(texte):
        valeurs: list[str] = []
    else:
        morceaux = [m for m in re.split(r"[,;]", texte) if m.strip()]
        sans_aucune = Question(q.chemin, q.titre, q.description, "choix", q.valeurs)
        # `sans_aucune` n'est pas facultative : lire_choix rend une valeur ou lève ReponseInvalide.
        valeurs = list(dict.fromkeys(v for m in morceaux if (v := lire_choix(sans_aucune, m)) is not None))
    if len(valeurs) < q.minimum:
        raise ReponseInvalide(f"au moins {nombre(q.minimum, 'valeur attendue')}, séparées par des virgules")
    return valeurs


def lire_date(texte: str) -> str:
    try:
        return dt.date.fromisoformat(texte.strip()).isoformat()
    except ValueError:
        raise ReponseInvalide(f"date « {texte.strip()} » invalide ; format attendu : AAAA-MM-JJ") from None


def lire_texte(q: Question, texte: str) -> Optional[str]:
    valeur = " ".join(texte.split())
    if not valeur:
        if q.facultatif:
            return None
        raise ReponseInvalide("réponse obligatoire")
    return valeur


def lire_identifiants(texte: str, connus: Sequence[str]) -> list[str]:
    """Identifiants de mesures séparés par des virgules, sans tenir compte de la casse."""
    from ...modeles.types import suggestion

    if _aucune(texte):
        return []
    table = {forme(c): c for c in connus}
    sortie = []
    for morceau in (m.strip() for m in re.split(r"[,;\s]+", texte)):
        if not morceau:
            continue
        if connus and forme(morceau) not in table:
            raise ReponseInvalide(f"mesure « {morceau} » inconnue{suggestion(morceau, list(connus))}")
        sortie.append(table.get(forme(morceau), morceau))
    return list(dict.fromkeys(sortie))


# Saisie qui laisse une question sans réponse (« À compléter ») en mode interactif.
PLUS_TARD = "?"


def lire_reponse(q: Question, texte: str, mesures: Sequence[str] = ()) -> Any:
    """Réponse saisie -> valeur du cas d'usage ; lève ReponseInvalide. « ? » (ou « À compléter »)
    laisse la question à compléter."""
    from ...modeles.types import est_a_completer

    if q.genre != "identifiants" and texte.strip() and (texte.strip() == PLUS_TARD or est_a_completer(texte)):
        return A_COMPLETER
    if q.genre == "choix":
        return lire_choix(q, texte)
    if q.genre == "liste":
        return lire_liste(q, texte)
    if q.genre == "date":
        return lire_date(texte)
    if q.genre == "identifiants":
        return lire_identifiants(texte, mesures)
    return lire_texte(q, texte)


def texte_defaut(q: Question, v: Any) -> str:
    """Valeur par défaut telle qu'on la tape (pour l'invite)."""
    if v is None:
        return "-"
    if isinstance(v, list):
        return ", ".join(v) if v else "-"
    return str(v)


def chemins_en_erreur(erreurs: "Iterable[Mapping[str, Any]]", toutes: Sequence[Question]) -> list[Question]:
    """Questions à reposer après une erreur de validation pydantic (par préfixe de chemin)."""
    noms = {q.chemin for q in toutes}
    prefixes = set()
    for err in erreurs:
        chemin: tuple[str, ...] = ()
        for element in err.get("loc", ()):
            if not isinstance(element, str):
                break
            candidat = chemin + (element,)
            if not any(c[: len(candidat)] == candidat for c in noms):
                break
            chemin = candidat
        if chemin:
            prefixes.add(chemin)
    return [q for q in toutes if any(q.chemin[: len(p)] == p for p in prefixes)]
