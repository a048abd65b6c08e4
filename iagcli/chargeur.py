"""Lecture des fichiers YAML : le seul module qui fait des entrées-sorties et tient les positions.

Le YAML est lu événement par événement (analyseur C de libyaml quand il est disponible) et
l'arbre est construit ici, ce qui permet de :
- refuser ancres, alias, clés de fusion, étiquettes, clés en double et documents multiples,
  à leur position et avant de construire quoi que ce soit de coûteux ;
- garder chaque scalaire non quoté sous forme de texte : c'est le schéma qui le type, si bien
  que `NO`, `1.10`, `2024-01-01` ou `0755` ne changent pas de sens dans notre dos ;
- noter la position (ligne, colonne) de chaque clé et de chaque valeur, pour rapporter les
  erreurs pydantic en `fichier:ligne:colonne`.
"""

from __future__ import annotations

import os
import sys
import typing
import types
from dataclasses import dataclass, field
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ValidationError

from .erreurs import Diagnostic, ErreurFichier, ErreurLecture
from .modeles.types import suggestion

_Chargeur = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TAILLE_MAX = 1024 * 1024  # un cas d'usage tient en quelques kilo-octets
PROFONDEUR_MAX = 64
ERREURS_MAX = 50
_NULS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class Position:
    ligne: int  # à partir de 1
    colonne: int  # à partir de 1


@dataclass
class Document:
    """Contenu d'un fichier YAML et position de chaque clé / valeur, par chemin."""

    nom: str
    donnees: Any
    # chemin (tuple de clés et d'indices) -> (position de la clé, position de la valeur)
    positions: dict[tuple, tuple[Position, Position]] = field(default_factory=dict)
    octets: bytes = b""

    def position(self, chemin: tuple, cle: bool = False) -> Optional[Position]:
        paire = self.positions.get(tuple(chemin))
        if paire is None:
            return None
        return paire[0] if cle else paire[1]

    def erreur(self, message: str, chemin: tuple = (), cle: bool = False) -> Diagnostic:
        """Diagnostic au plus près du chemin donné (le plus long préfixe connu)."""
        connu, dernier = _prefixe_connu(self.positions, chemin)
        pos = self.position(connu, cle=cle and dernier)
        if pos is None:
            return Diagnostic(self.nom, 1, 1, message)
        return Diagnostic(self.nom, pos.ligne, pos.colonne, message)


def _prefixe_connu(positions: dict, chemin: tuple) -> tuple[tuple, bool]:
    # Les chemins pydantic contiennent des éléments absents du fichier (étiquettes d'union,
    # noms de validateurs) : on les saute et on garde ce qui existe réellement.
    connu: tuple = ()
    dernier = False
    for element in chemin:
        candidat = connu + (element,)
        if candidat in positions:
            connu, dernier = candidat, True
        else:
            dernier = False
    return connu, dernier


# --- Lecture ------------------------------------------------------------------------------


def lire_octets(chemin: str, taille_max: int = TAILLE_MAX) -> bytes:
    """Lit au plus `taille_max` octets ; un fichier plus gros est refusé sans être chargé."""
    try:
        if chemin == "-":
            octets = sys.stdin.buffer.read(taille_max + 1)
        else:
            with open(chemin, "rb") as f:
                taille = os.fstat(f.fileno()).st_size
                if taille > taille_max:
                    raise ErreurFichier([Diagnostic(chemin, 1, 1, _trop_gros(taille, taille_max))])
                octets = f.read(taille_max + 1)
    except FileNotFoundError:
        raise ErreurLecture([Diagnostic(chemin, None, None, "fichier introuvable")]) from None
    except IsADirectoryError:
        raise ErreurLecture([Diagnostic(chemin, None, None, "c'est un dossier, pas un fichier")]) from None
    except PermissionError:
        raise ErreurLecture([Diagnostic(chemin, None, None, "lecture refusée (droits insuffisants)")]) from None
    except OSError as e:
        raise ErreurLecture([Diagnostic(chemin, None, None, f"lecture impossible : {e.strerror or e}")]) from None
    if len(octets) > taille_max:
        raise ErreurFichier([Diagnostic(chemin, 1, 1, _trop_gros(len(octets), taille_max))])
    return octets


def _trop_gros(taille: int, maximum: int) -> str:
    return f"fichier trop volumineux ({taille} octets ou plus ; maximum {maximum})"


def decoder(octets: bytes, nom: str) -> str:
    """UTF-8 (avec ou sans BOM) ou UTF-16 avec BOM ; sinon erreur positionnée."""
    if octets.startswith(b"\xef\xbb\xbf"):
        octets = octets[3:]
    elif octets.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return decoder(octets.decode("utf-16").encode("utf-8"), nom)
        except UnicodeError:
            raise ErreurFichier([Diagnostic(nom, 1, 1, "encodage UTF-16 invalide")]) from None
    try:
        texte = octets.decode("utf-8")
    except UnicodeDecodeError as e:
        debut = octets[: e.start]
        ligne = debut.count(b"\n") + 1
        colonne = len(debut[debut.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise ErreurFichier(
            [Diagnostic(nom, ligne, colonne, f"octet 0x{octets[e.start]:02x} invalide : le fichier doit être en UTF-8")]
        ) from None
    nul = texte.find("\x00")
    if nul >= 0:
        ligne = texte.count("\n", 0, nul) + 1
        colonne = nul - (texte.rfind("\n", 0, nul) + 1) + 1
        raise ErreurFichier([Diagnostic(nom, ligne, colonne, "caractère NUL interdit dans un fichier YAML")])
    return texte


def lire_document(chemin: str, nom: Optional[str] = None, taille_max: int = TAILLE_MAX) -> Document:
    """Lit et analyse un fichier YAML (`-` pour l'entrée standard)."""
    nom = nom or chemin
    octets = lire_octets(chemin, taille_max)
    texte = decoder(octets, nom)
    document = analyser(texte, nom)
    document.octets = octets
    return document


# --- Analyse YAML -------------------------------------------------------------------------


class _Cadre:
    __slots__ = ("conteneur", "chemin", "cle", "pos_cle")

    def __init__(self, conteneur, chemin):
        self.conteneur = conteneur
        self.chemin = chemin
        self.cle = None
        self.pos_cle = None


def _pos(marque) -> Position:
    return Position(marque.line + 1, marque.column + 1)


def analyser(texte: str, nom: str) -> Document:
    positions: dict[tuple, tuple[Position, Position]] = {}
    pile: list[_Cadre] = []
    racine: list[Any] = []
    documents = 0

    def erreur(marque, message: str) -> ErreurFichier:
        return ErreurFichier([Diagnostic(nom, marque.line + 1, marque.column + 1, message)])

    def placer(valeur, marque) -> Optional[tuple]:
        """Range une valeur dans son parent ; rend son chemin (None si c'était une clé)."""
        pos = _pos(marque)
        if not pile:
            racine.append(valeur)
            positions[()] = (pos, pos)
            return ()
        cadre = pile[-1]
        if isinstance(cadre.conteneur, list):
            chemin = cadre.chemin + (len(cadre.conteneur),)
            cadre.conteneur.append(valeur)
            positions[chemin] = (pos, pos)
            return chemin
        if cadre.pos_cle is None:  # c'est une clé
            if not isinstance(valeur, str):
                raise erreur(marque, "clé invalide : une clé doit être un texte simple")
            if valeur in cadre.conteneur:
                premiere = positions[cadre.chemin + (valeur,)][0]
                raise erreur(marque, f"clé « {valeur} » en double (déjà définie ligne {premiere.ligne})")
            cadre.cle, cadre.pos_cle = valeur, pos
            return None
        chemin = cadre.chemin + (cadre.cle,)
        cadre.conteneur[cadre.cle] = valeur
        positions[chemin] = (cadre.pos_cle, pos)
        cadre.cle = cadre.pos_cle = None
        return chemin

    def attend_cle() -> bool:
        return bool(pile) and isinstance(pile[-1].conteneur, dict) and pile[-1].pos_cle is None

    chargeur = _Chargeur(texte)
    try:
        while True:
            ev = chargeur.get_event()
            if isinstance(ev, yaml.StreamEndEvent):
                break
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise erreur(ev.start_mark, "plusieurs documents YAML dans un même fichier : un seul est attendu")
                continue
            if isinstance(ev, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(ev, yaml.AliasEvent):
                raise erreur(ev.start_mark, f"alias YAML « *{ev.anchor} » refusé : écrivez la valeur en entier")
            if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                pile.pop()
                continue
            if getattr(ev, "anchor", None):
                raise erreur(ev.start_mark, f"ancre YAML « &{ev.anchor} » refusée : les ancres et alias ne sont pas acceptés")
            etiquette = ev.tag
            if etiquette is not None and etiquette not in ("!", "tag:yaml.org,2002:str") and not (
                isinstance(ev, yaml.MappingStartEvent) and etiquette == "tag:yaml.org,2002:map"
                or isinstance(ev, yaml.SequenceStartEvent) and etiquette == "tag:yaml.org,2002:seq"
            ):
                raise erreur(ev.start_mark, f"étiquette YAML « {etiquette} » refusée")
            if isinstance(ev, yaml.ScalarEvent):
                brut = ev.implicit[0] and etiquette is None  # scalaire non quoté, sans étiquette
                if brut and attend_cle() and ev.value == "<<":
                    raise erreur(ev.start_mark, "clé de fusion YAML « << » refusée : écrivez les clés en entier")
                valeur = None if brut and ev.value in _NULS else ev.value
                placer(valeur, ev.start_mark)
                continue
            # début de table ou de liste
            if attend_cle():
                raise erreur(ev.start_mark, "clé invalide : une clé doit être un texte simple")
            if len(pile) >= PROFONDEUR_MAX:
                raise erreur(ev.start_mark, f"imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux)")
            conteneur: Any = {} if isinstance(ev, yaml.MappingStartEvent) else []
            chemin = placer(conteneur, ev.start_mark)
            pile.append(_Cadre(conteneur, chemin))
    except yaml.MarkedYAMLError as e:
        marque = e.problem_mark or e.context_mark
        ligne, colonne = (marque.line + 1, marque.column + 1) if marque else (1, 1)
        raise ErreurFichier([Diagnostic(nom, ligne, colonne, traduire_yaml(e, texte))]) from None
    except yaml.YAMLError as e:  # erreurs du lecteur sans position (rares)
        raise ErreurFichier([Diagnostic(nom, 1, 1, f"YAML invalide : {e}")]) from None
    finally:
        chargeur.dispose()

    if not racine or racine[0] is None:
        raise ErreurFichier([Diagnostic(nom, 1, 1, "fichier vide : une table de réponses (clé: valeur) est attendue")])
    if not isinstance(racine[0], dict):
        genre = "une liste" if isinstance(racine[0], list) else "une valeur seule"
        pos = positions[()][1]
        raise ErreurFichier([Diagnostic(nom, pos.ligne, pos.colonne, f"le document est {genre} : une table (clé: valeur) est attendue")])
    return Document(nom, racine[0], positions)


_TRADUCTIONS = {
    "found character '\\t' that cannot start any token": "tabulation interdite : indentez avec des espaces",
    "found a tab character where an indentation space is expected": "tabulation interdite : indentez avec des espaces",
    "found a tab character that violates indentation": "tabulation interdite : indentez avec des espaces",
    "mapping values are not allowed here": "« : » inattendu ici (mettez la valeur entre guillemets ou corrigez l'indentation)",
    "mapping values are not allowed in this context": "« : » inattendu ici (mettez la valeur entre guillemets ou corrigez l'indentation)",
    "could not find expected ':'": "« : » attendu après la clé",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet ou crochet non fermé ?)",
    "did not find expected key": "clé attendue : indentation incohérente",
    "did not find expected node content": "valeur attendue",
    "did not find expected ',' or ']'": "« , » ou « ] » attendu",
    "did not find expected ',' or '}'": "« , » ou « } » attendu",
    "did not find expected '-' indicator": "« - » attendu : indentation incohérente dans la liste",
    "block sequence entries are not allowed in this context": "élément de liste « - » inattendu ici (indentation ?)",
    "found undefined tag handle": "étiquette YAML inconnue",
    "found unknown escape character": "séquence d'échappement inconnue dans une chaîne entre guillemets",
    "found control characters": "caractère de contrôle interdit",
    "control characters are not allowed": "caractère de contrôle interdit",
    "found unexpected ':'": "« : » inattendu",
    "exceeded maximum nesting depth": f"imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux)",
    "found undefined alias": "alias YAML refusé : écrivez la valeur en entier",
    "found character that cannot start any token": "caractère inattendu en début d'élément",
}


def traduire_yaml(e: yaml.MarkedYAMLError, texte: str = "") -> str:
    probleme = (e.problem or "").strip()
    marque = e.problem_mark
    if marque is not None and 0 <= marque.index < len(texte) and texte[marque.index] == "\t":
        return "syntaxe YAML : tabulation interdite : indentez avec des espaces"
    for anglais, francais in _TRADUCTIONS.items():
        if probleme.startswith(anglais):
            return f"syntaxe YAML : {francais}"
    if "tab" in probleme:
        return "syntaxe YAML : tabulation interdite : indentez avec des espaces"
    return f"syntaxe YAML invalide ({probleme or e.context or 'erreur'})"


# --- Validation pydantic avec positions ---------------------------------------------------

_Modele = typing.TypeVar("_Modele", bound=BaseModel)


def valider(document: Document, modele: type[_Modele], contexte: Optional[dict] = None, donnees: Any = None) -> _Modele:
    """Valide le document (ou une partie `donnees`) ; erreurs traduites et positionnées."""
    try:
        return modele.model_validate(document.donnees if donnees is None else donnees, context=contexte)
    except ValidationError as e:
        raise ErreurFichier(diagnostics_pydantic(document, e, modele)) from None


def diagnostics_pydantic(document: Document, e: ValidationError, modele: type[BaseModel], prefixe: tuple = ()) -> list[Diagnostic]:
    vus: dict[str, Diagnostic] = {}
    for err in e.errors(include_url=False):
        loc = prefixe + tuple(err["loc"])
        message, sur_cle = _message(err, modele, loc[len(prefixe):])
        d = document.erreur(message, loc, cle=sur_cle)
        vus.setdefault(str(d), d)
    diagnostics = sorted(vus.values(), key=lambda d: (d.ligne or 0, d.colonne or 0))
    if len(diagnostics) > ERREURS_MAX:
        reste = len(diagnostics) - ERREURS_MAX
        diagnostics = diagnostics[:ERREURS_MAX] + [Diagnostic(document.nom, None, None, f"… et {reste} autres erreurs")]
    return diagnostics


def _message(err: dict, modele: type[BaseModel], loc: tuple) -> tuple[str, bool]:
    t = err["type"]
    ctx = err.get("ctx") or {}
    nom = next((str(x) for x in reversed(loc) if isinstance(x, str) and x in _cles_possibles(modele, loc)), None)
    if t == "missing":
        return f"clé obligatoire manquante : « {loc[-1]} »", False
    if t == "extra_forbidden":
        cle = str(loc[-1])
        permises = _cles_possibles(modele, loc[:-1])
        return f"clé inconnue « {cle} »{suggestion(cle, permises) if permises else ''}", True
    textes = {
        "string_type": "attendu du texte",
        "int_parsing": "attendu un nombre entier",
        "int_type": "attendu un nombre entier",
        "int_from_float": "attendu un nombre entier",
        "list_type": "attendu une liste (éléments précédés de « - »)",
        "dict_type": "attendu une table (clé: valeur)",
        "model_type": "attendu une table (clé: valeur)",
        "model_attributes_type": "attendu une table (clé: valeur)",
        "date_type": "date invalide : attendu AAAA-MM-JJ",
        "date_parsing": "date invalide : attendu AAAA-MM-JJ",
        "date_from_datetime_parsing": "date invalide : attendu AAAA-MM-JJ",
        "date_from_datetime_inexact": "date invalide : attendu AAAA-MM-JJ",
        "string_pattern_mismatch": "identifiant invalide : lettres, chiffres, « _ », « . » ou « - », en commençant par une lettre",
    }
    if t in textes:
        return textes[t], False
    if t == "too_short":
        if ctx.get("min_length") == 1 and err.get("input") in ("", None):
            return "valeur vide", False
        return f"au moins {ctx.get('min_length')} élément(s) attendu(s)", False
    if t == "string_too_short":
        return "texte vide", False
    if t == "string_too_long":
        return f"texte trop long (maximum {ctx.get('max_length')} caractères)", False
    if t == "too_long":
        return f"au plus {ctx.get('max_length')} élément(s) attendu(s)", False
    if t == "greater_than_equal":
        return f"attendu une valeur supérieure ou égale à {ctx.get('ge')}", False
    if t == "less_than_equal":
        return f"attendu une valeur inférieure ou égale à {ctx.get('le')}", False
    if t == "literal_error":
        return f"valeur « {err.get('input')} » invalide ; valeurs permises : {ctx.get('expected', '').replace(' or ', ', ')}", False
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return message, False


def _cles_possibles(modele: type[BaseModel], loc: tuple) -> list[str]:
    """Clés permises à l'endroit `loc` (pour suggérer la plus proche d'une clé inconnue)."""
    courant: Any = modele
    for element in loc:
        courant = _deballer(courant)
        if isinstance(courant, type) and issubclass(courant, BaseModel):
            if isinstance(element, str) and element in courant.model_fields:
                courant = courant.model_fields[element].annotation
            continue  # étiquette d'union ou nom de validateur : on reste sur place
        if typing.get_origin(courant) is list and isinstance(element, int):
            courant = typing.get_args(courant)[0]
    courant = _deballer(courant)
    if isinstance(courant, type) and issubclass(courant, BaseModel):
        return list(courant.model_fields)
    return []


def _deballer(annotation):
    while True:
        origine = typing.get_origin(annotation)
        if origine is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origine in (typing.Union, types.UnionType):
            membres = [a for a in typing.get_args(annotation) if a is not type(None)]
            modeles = [m for m in membres if isinstance(_deballer(m), type) and issubclass(_deballer(m), BaseModel)]
            annotation = modeles[0] if len(modeles) == 1 else membres[0]
            if len(modeles) != 1:
                return annotation
        else:
            return annotation
