"""Lecture des fichiers YAML : le seul module qui fait des entrées-sorties et tient les positions.

Le YAML est lu événement par événement (analyseur C de libyaml quand il est disponible) et
l'arbre est construit ici, ce qui permet de :
- refuser ancres, alias, clés de fusion, étiquettes, clés en double et documents multiples,
  à leur position et avant de construire quoi que ce soit de coûteux ;
- garder chaque scalaire non quoté sous forme de texte : c'est le schéma qui le type, si bien
  que `NO`, `1.10`, `2024-01-01` ou `0755` ne changent pas de sens dans notre dos ;
- noter la position (ligne, colonne) de chaque clé et de chaque valeur, pour rapporter les
  erreurs pydantic en `fichier:ligne:colonne`.

Plus de 400 lignes : lecture, positions et traduction des erreurs pydantic restent ensemble, car
la règle du projet veut un seul module d'E/S qui tient les positions.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

import yaml
from pydantic import BaseModel, ValidationError

from ..echappement import echapper
from ..erreurs import Diagnostic, ErreurFichier, ErreurLecture
from ..modeles.annotations import deballer, est_modele
from ..modeles.types import Chemin, nombre, normaliser, suggestion

_Chargeur = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TAILLE_MAX = 1024 * 1024  # un cas d'usage tient en quelques kilo-octets
PROFONDEUR_MAX = 64
# Nombre de nœuds YAML (scalaires, tables, listes) par Mio permis : un cas d'usage en compte une
# centaine, le référentiel fourni ~3 000 pour 120 Ko. Sans ce plafond, 1 Mio de « - x » donnait
# 500 000 nœuds, des centaines de Mo de positions et une dizaine de secondes de validation.
NOEUDS_MAX = 10_000
ERREURS_MAX = 50
_NULS = {"", "~", "null", "Null", "NULL"}


class Position(NamedTuple):
    # Un tuple nommé plutôt qu'une dataclass figée : il en faut une par nœud YAML, à chaque fichier.
    ligne: int  # à partir de 1
    colonne: int  # à partir de 1


@dataclass
class Document:
    """Contenu d'un fichier YAML et position de chaque clé / valeur, par chemin."""

    nom: str
    donnees: Any
    # chemin (tuple de clés et d'indices) -> (position de la clé, position de la valeur)
    positions: dict[Chemin, tuple[Position, Position]] = field(default_factory=dict)
    octets: bytes = b""

    def position(self, chemin: Chemin, cle: bool = False) -> Optional[Position]:
        paire = self.positions.get(tuple(chemin))
        if paire is None:
            return None
        return paire[0] if cle else paire[1]

    def erreur(self, message: str, chemin: Chemin = (), cle: bool = False) -> Diagnostic:
        """Diagnostic au plus près du chemin donné (le plus long préfixe connu)."""
        connu, dernier = _prefixe_connu(self.positions, chemin)
        pos = self.position(connu, cle=cle and dernier)
        message = echapper(message)  # les messages citent des valeurs du fichier (référentiel compris)
        if pos is None:
            return Diagnostic(self.nom, 1, 1, message)
        return Diagnostic(self.nom, pos.ligne, pos.colonne, message)


def _prefixe_connu(positions: dict[Chemin, tuple[Position, Position]], chemin: Chemin) -> tuple[Chemin, bool]:
    # Les chemins pydantic contiennent des éléments absents du fichier (étiquettes d'union,
    # noms de validateurs) : on les saute et on garde ce qui existe réellement.
    connu: Chemin = ()
    dernier = False
    for element in chemin:
        candidat = connu + (element,)
        if candidat in positions:
            connu, dernier = candidat, True
        else:
            dernier = False
    return connu, dernier


# --- Lecture ------------------------------------------------------------------------------


# Erreurs système traduites : `strerror` est en anglais (« Too many levels of symbolic links »).
_ERRNOS = {
    errno.ENOENT: "fichier introuvable",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EACCES: "lecture refusée (droits insuffisants)",
    errno.EPERM: "lecture refusée (droits insuffisants)",
    errno.ELOOP: "boucle de liens symboliques",
    errno.ENOTDIR: "chemin invalide : un élément du chemin n'est pas un dossier",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ENXIO: "ce n'est pas un fichier ordinaire (socket ou périphérique absent)",
    errno.EIO: "erreur d'entrée-sortie du disque",
}


def message_systeme(e: OSError) -> str:
    """Erreur de lecture en français (le `strerror` de l'OS est en anglais) ; au-delà des cas
    propres à la lecture, le texte commun de `messages.erreur_systeme`."""
    from ..messages import erreur_systeme

    return (_ERRNOS.get(e.errno) if e.errno is not None else None) or f"lecture impossible ({erreur_systeme(e)})"


_NON_BLOQUANT = getattr(os, "O_NONBLOCK", 0)  # absent sous Windows, qui n'a pas de tubes nommés POSIX


def _sans_blocage(chemin: str, drapeaux: int) -> int:
    # O_NONBLOCK : ouvrir un tube nommé (FIFO) sans écrivain bloquait iag pour toujours.
    return os.open(chemin, drapeaux | _NON_BLOQUANT)


def lire_octets(chemin: str, taille_max: int = TAILLE_MAX, nom: Optional[str] = None) -> bytes:
    """Lit au plus `taille_max` octets ; un fichier plus gros est refusé sans être chargé."""
    nom = nom or chemin  # pour l'entrée standard, le nom de --nom-stdin plutôt que « - »
    try:
        if chemin == "-":
            if sys.stdin is None:  # `iag evaluer - <&-` : avant, AttributeError et « erreur interne »
                raise ErreurLecture([Diagnostic(nom, None, None, "entrée standard fermée")])
            octets = sys.stdin.buffer.read(taille_max + 1)
        else:
            with open(chemin, "rb", opener=_sans_blocage) as f:
                infos = os.fstat(f.fileno())
                if stat.S_ISREG(infos.st_mode) and infos.st_size > taille_max:
                    raise ErreurFichier([Diagnostic(nom, 1, 1, _trop_gros(infos.st_size, taille_max))])
                # Lecture ordinaire ensuite : un tube avec écrivain (`<(commande)`) est lu jusqu'au
                # bout, un tube sans écrivain rend aussitôt fin de fichier (donc « fichier vide »).
                if _NON_BLOQUANT:
                    os.set_blocking(f.fileno(), True)
                octets = f.read(taille_max + 1)
    except OSError as e:
        raise ErreurLecture([Diagnostic(nom, None, None, message_systeme(e))]) from None
    if len(octets) > taille_max:
        raise ErreurFichier([Diagnostic(nom, 1, 1, _trop_gros(len(octets), taille_max))])
    return octets


def _trop_gros(taille: int, maximum: int) -> str:
    return f"fichier trop volumineux ({taille} octets ou plus ; maximum {maximum})"


def decoder(octets: bytes, nom: str) -> str:
    """UTF-8 (avec ou sans BOM) ou UTF-16 avec BOM ; sinon erreur positionnée."""
    if octets.startswith(b"\xef\xbb\xbf"):
        octets = octets[3:]
    elif octets.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        # sans ce cas, le BOM UTF-32 LE passait pour de l'UTF-16 : « caractère NUL interdit »
        raise ErreurFichier([Diagnostic(nom, 1, 1, "encodage UTF-32 non pris en charge : enregistrez le fichier en UTF-8")])
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


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def encodage(octets: bytes) -> tuple[bytes, str]:
    """(BOM, codec) des octets d'un fichier que `decoder` accepte : pour réécrire un fichier modifié
    dans son encodage d'origine, BOM compris (`encoder`)."""
    for bom, codec in _BOMS:
        if octets.startswith(bom):
            return bom, codec
    return b"", "utf-8"


def encoder(texte: str, forme: tuple[bytes, str]) -> bytes:
    """Le texte (tel que rendu par `decoder`, sans BOM) en octets de la forme `encodage(...)`."""
    bom, codec = forme
    return bom + texte.encode(codec)


def _point(marque: Any) -> tuple[int, int]:
    return (marque.line, marque.column) if marque is not None else (0, 0)


def etendue(texte: str, chemin: Chemin) -> Optional[tuple[tuple[int, int], tuple[int, int]]]:
    """Début et fin (ligne, colonne, comptées depuis 0) du nœud `chemin` du premier document, d'après
    les événements de l'analyseur ; None s'il n'existe pas. La fin d'une collection en bloc est celle
    de son dernier scalaire ou de sa dernière collection en flux, pas le début du jeton suivant (qui
    peut venir après des commentaires) ; celle d'un scalaire en bloc (`|`, `>-`) est le début de la
    ligne qui le suit. Appelée seulement par les écrivains (`plan --ecrire`) : `analyser` ne garde
    pas les fins, le coût d'`evaluer` est inchangé."""
    cible = tuple(chemin)
    # cadres : [genre, chemin, flux, clé attendue ?, clé courante, indice]
    cadres: list[list[Any]] = []
    debut: Optional[tuple[int, int]] = None
    fin: Optional[tuple[int, int]] = None

    def dedans(c: tuple[Any, ...]) -> bool:
        return c[:len(cible)] == cible

    for ev in yaml.parse(texte, Loader=_Chargeur):
        if isinstance(ev, yaml.DocumentEndEvent):
            break
        if isinstance(ev, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            cadre = cadres[-1] if cadres else None
            if cadre is None:
                chemin_noeud: Optional[tuple[Any, ...]] = ()
            elif cadre[0] == "map" and cadre[3]:
                chemin_noeud = None  # une clé : elle appartient à sa table
                cadre[3] = False
                cadre[4] = ev.value if isinstance(ev, yaml.ScalarEvent) else None
            elif cadre[0] == "map":
                chemin_noeud = (*cadre[1], cadre[4])
                cadre[3] = True
            else:
                chemin_noeud = (*cadre[1], cadre[5])
                cadre[5] += 1
            proprietaire = chemin_noeud if chemin_noeud is not None else cadre[1] if cadre else ()
            if chemin_noeud == cible:
                debut = _point(ev.start_mark)
            if isinstance(ev, yaml.CollectionStartEvent):
                genre = "map" if isinstance(ev, yaml.MappingStartEvent) else "seq"
                cadres.append([genre, proprietaire if chemin_noeud is not None else (), bool(ev.flow_style), True, None, 0])
                if chemin_noeud is None:  # une collection en clé : rien en dessous n'a de chemin utile
                    cadres[-1][1] = ("\0cle",)
                continue
            if dedans(proprietaire):
                fin = _point(ev.end_mark)
        elif isinstance(ev, yaml.CollectionEndEvent):
            cadre = cadres.pop()
            if dedans(cadre[1]) and (cadre[2] or fin is None):
                fin = _point(ev.end_mark)
    if debut is None or fin is None:
        return None
    return debut, fin


def lire_document(chemin: str, nom: Optional[str] = None, taille_max: int = TAILLE_MAX) -> Document:
    """Lit et analyse un fichier YAML (`-` pour l'entrée standard)."""
    nom = nom or chemin
    return document_de(lire_octets(chemin, taille_max, nom), nom, taille_max)


def document_de(octets: bytes, nom: str, taille_max: int = TAILLE_MAX) -> Document:
    """Analyse des octets déjà lus (le référentiel lit ses fichiers avant de consulter son cache,
    et n'analyse le YAML qu'au besoin)."""
    texte = decoder(octets, nom)
    # plafond de nœuds proportionnel à la taille permise (le référentiel a droit à 8 Mio)
    document = analyser(texte, nom, NOEUDS_MAX * max(1, taille_max // TAILLE_MAX))
    document.octets = octets
    return document


# --- Analyse YAML -------------------------------------------------------------------------


class _Cadre:
    """Une table ou une liste en cours de lecture ; `attente` : la clé lue dont on attend la valeur."""

    __slots__ = ("conteneur", "chemin", "attente")

    def __init__(self, conteneur: dict[str, Any] | list[Any], chemin: Chemin):
        self.conteneur = conteneur
        self.chemin = chemin
        self.attente: Optional[tuple[str, Position]] = None


_NOEUDS = frozenset({yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent})
_FIN_CONTENEUR = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})
_ETIQUETTES_PERMISES = {yaml.MappingStartEvent: "tag:yaml.org,2002:map", yaml.SequenceStartEvent: "tag:yaml.org,2002:seq"}


def _pos(marque: yaml.Mark) -> Position:
    return Position(marque.line + 1, marque.column + 1)


def analyser(texte: str, nom: str, noeuds_max: int = NOEUDS_MAX) -> Document:
    positions: dict[Chemin, tuple[Position, Position]] = {}
    pile: list[_Cadre] = []
    racine: list[Any] = []
    documents = 0
    noeuds = 0

    def erreur(marque: yaml.Mark, message: str) -> ErreurFichier:
        # `echapper` : une clé ou une étiquette peut contenir « \x1b[2J » ou « \n::add-mask:: »
        return ErreurFichier([Diagnostic(nom, marque.line + 1, marque.column + 1, echapper(message))])

    def placer(valeur: Any, marque: yaml.Mark) -> Optional[Chemin]:
        """Range une valeur dans son parent ; rend son chemin (None si c'était une clé)."""
        pos = _pos(marque)
        if not pile:
            racine.append(valeur)
            positions[()] = (pos, pos)
            return ()
        cadre = pile[-1]
        conteneur = cadre.conteneur
        if isinstance(conteneur, list):
            chemin = cadre.chemin + (len(conteneur),)
            conteneur.append(valeur)
            positions[chemin] = (pos, pos)
            return chemin
        attente = cadre.attente
        if attente is None:  # c'est une clé
            if not isinstance(valeur, str):
                raise erreur(marque, "clé invalide : une clé doit être un texte simple")
            if valeur in conteneur:
                premiere = positions[cadre.chemin + (valeur,)][0]
                raise erreur(marque, f"clé « {valeur} » en double (déjà définie ligne {premiere.ligne})")
            cadre.attente = (valeur, pos)
            return None
        cle, pos_cle = attente
        chemin = cadre.chemin + (cle,)
        conteneur[cle] = valeur
        positions[chemin] = (pos_cle, pos)
        cadre.attente = None
        return chemin

    def attend_cle() -> bool:
        return bool(pile) and isinstance(pile[-1].conteneur, dict) and pile[-1].attente is None

    chargeur = None
    try:
        # Dans le `try` : le lecteur en Python pur (sans libyaml) vérifie les caractères dès sa création.
        chargeur = _Chargeur(texte)
        while True:
            ev = chargeur.get_event()
            genre = type(ev)  # répartition par type exact : c'est la boucle la plus chaude du chargeur
            if genre in _FIN_CONTENEUR:
                pile.pop()
                continue
            if genre in _NOEUDS:
                noeuds += 1
                if noeuds > noeuds_max:
                    raise erreur(ev.start_mark, f"fichier trop complexe : plus de {noeuds_max} éléments YAML")
                if ev.anchor:
                    raise erreur(ev.start_mark, f"ancre YAML « &{ev.anchor} » refusée : les ancres et alias ne sont pas acceptés")
                etiquette = ev.tag
                if etiquette is not None and etiquette not in ("!", "tag:yaml.org,2002:str") and etiquette != _ETIQUETTES_PERMISES.get(genre):
                    raise erreur(ev.start_mark, f"étiquette YAML « {etiquette} » refusée")
                if genre is yaml.ScalarEvent:
                    brut = ev.implicit[0] and etiquette is None  # scalaire non quoté, sans étiquette
                    if brut and ev.value == "<<" and attend_cle():
                        raise erreur(ev.start_mark, "clé de fusion YAML « << » refusée : écrivez les clés en entier")
                    placer(None if brut and ev.value in _NULS else ev.value, ev.start_mark)
                    continue
                # début de table ou de liste
                if attend_cle():
                    raise erreur(ev.start_mark, "clé invalide : une clé doit être un texte simple")
                if len(pile) >= PROFONDEUR_MAX:
                    raise erreur(ev.start_mark, f"imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux)")
                conteneur: Any = {} if genre is yaml.MappingStartEvent else []
                chemin = placer(conteneur, ev.start_mark)
                assert chemin is not None  # jamais une clé : refusé plus haut (attend_cle)
                pile.append(_Cadre(conteneur, chemin))
                continue
            if genre is yaml.StreamEndEvent:
                break
            if genre is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise erreur(ev.start_mark, "plusieurs documents YAML dans un même fichier : un seul est attendu")
                continue
            if genre is yaml.AliasEvent:
                raise erreur(ev.start_mark, f"alias YAML « *{ev.anchor} » refusé : écrivez la valeur en entier")
            # StreamStartEvent, DocumentEndEvent : rien à faire
    except yaml.MarkedYAMLError as e:
        marque = e.problem_mark or e.context_mark
        ligne, colonne = (marque.line + 1, marque.column + 1) if marque else (1, 1)
        raise ErreurFichier([Diagnostic(nom, ligne, colonne, echapper(traduire_yaml(e, texte)))]) from None
    except yaml.reader.ReaderError as e:
        # Caractère non imprimable (contrôle, U+FFFE…) : avant, message anglais de libyaml en 1:1.
        raise ErreurFichier([_caractere_interdit(e, texte, nom)]) from None
    except yaml.YAMLError as e:  # autres erreurs sans position (rares)
        raise ErreurFichier([Diagnostic(nom, 1, 1, echapper(f"YAML invalide : {e}"))]) from None
    finally:
        if chargeur is not None:
            chargeur.dispose()

    if not racine or racine[0] is None:
        raise ErreurFichier([Diagnostic(nom, 1, 1, "fichier vide : une table de réponses (clé: valeur) est attendue")])
    if not isinstance(racine[0], dict):
        forme = "une liste" if isinstance(racine[0], list) else "une valeur seule"
        pos = positions[()][1]
        raise ErreurFichier([Diagnostic(nom, pos.ligne, pos.colonne, f"le document est {forme} : une table (clé: valeur) est attendue")])
    return Document(nom, racine[0], positions)


def _caractere_interdit(e: "yaml.reader.ReaderError", texte: str, nom: str) -> Diagnostic:
    # `e.position` compte des octets UTF-8 avec libyaml, des caractères sans : on cherche plutôt
    # la première occurrence du caractère, qui est forcément celle que le lecteur a refusée.
    code = e.character if isinstance(e.character, int) else ord(e.character or "\0")
    index = texte.find(chr(code))
    ligne, colonne = 1, 1
    if index >= 0:
        ligne = texte.count("\n", 0, index) + 1
        colonne = index - (texte.rfind("\n", 0, index) + 1) + 1
    return Diagnostic(nom, ligne, colonne, f"caractère U+{code:04X} interdit dans un fichier YAML (caractère de contrôle ou non imprimable)")


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
    # trouvés par les tests de propriétés (tests/test_proprietes.py) : restaient en anglais
    "did not find expected <document start>": "début de document « --- » attendu (texte après la fin du document ?)",
    "did not find expected hexdecimal number": "séquence d'échappement invalide : chiffres hexadécimaux attendus après « \\x », « \\u » ou « \\U »",
    "found invalid Unicode character escape code": "séquence d'échappement Unicode invalide",
    "did not find expected alphabetic or numeric character": "lettre ou chiffre attendu (nom d'ancre, d'alias ou d'étiquette)",
    "did not find expected comment or line break": "fin de ligne ou commentaire attendu",
    "did not find expected whitespace or line break": "espace ou fin de ligne attendu",
    "could not find expected directive name": "directive YAML « % » invalide",
    "found unexpected non-alphabetical character": "directive YAML « % » invalide",
    "found incompatible YAML document": "version YAML non prise en charge (%YAML 1.x attendu)",
    "found duplicate %YAML directive": "directive « %YAML » en double",
    "found duplicate %TAG directive": "directive « %TAG » en double",
    "did not find expected tag URI": "étiquette YAML invalide",
    "did not find URI escaped octet": "étiquette YAML invalide",
    "found an incorrect leading UTF-8 octet": "étiquette YAML invalide",
    "found an incorrect trailing UTF-8 octet": "étiquette YAML invalide",
    "found unexpected document indicator": "marque de document « --- » ou « ... » inattendue dans une chaîne",
    "found an indentation indicator equal to 0": "indicateur d'indentation 0 invalide dans un bloc de texte",
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


def valider(document: Document, modele: type[_Modele], contexte: Optional[dict[str, Any]] = None) -> _Modele:
    """Valide le document ; erreurs traduites et positionnées."""
    try:
        return modele.model_validate(document.donnees, context=contexte)
    except ValidationError as e:
        raise ErreurFichier(diagnostics_pydantic(document, e, modele)) from None


def diagnostics_pydantic(document: Document, e: ValidationError, modele: type[BaseModel]) -> list[Diagnostic]:
    # Positions d'abord, messages ensuite et seulement pour les ERREURS_MAX premières : le message
    # (avec suggestion difflib) coûtait ~0,1 ms par erreur, des secondes pour 90 000 clés inconnues.
    places = []
    for err in e.errors(include_url=False):
        loc = tuple(err["loc"])
        pos = document.erreur("", loc, cle=err["type"] == "extra_forbidden")
        places.append((pos.ligne or 0, pos.colonne or 0, err, loc))
    places.sort(key=lambda x: (x[0], x[1]))  # tri stable : l'ordre de pydantic à position égale
    vus: dict[str, Diagnostic] = {}
    for i, (ligne, colonne, err, loc) in enumerate(places):
        if len(vus) == ERREURS_MAX:
            # placé sur la première erreur omise : chaque diagnostic garde une position
            vus[""] = Diagnostic(document.nom, ligne, colonne, f"… et {len(places) - i} autres erreurs")
            break
        message = _message(err, modele, loc)
        d = Diagnostic(document.nom, ligne, colonne, echapper(message))  # valeurs et clés du fichier
        vus.setdefault(str(d), d)
    return list(vus.values())


def _message(err: "Mapping[str, Any]", modele: type[BaseModel], loc: tuple[Any, ...]) -> str:
    t = err["type"]
    ctx = err.get("ctx") or {}
    if t == "missing":
        # La question est nommée : son libellé court (`title`) et, pour un cas d'usage, la consigne.
        titre = _titre_champ(modele, loc)
        nomme = titre and normaliser(titre) != normaliser(str(loc[-1]))
        return f"clé obligatoire manquante : « {loc[-1]} »" + (f" ({titre})" if nomme else "")
    if t == "extra_forbidden":
        cle = str(loc[-1])
        permises = _cles_possibles(modele, loc[:-1])
        return f"clé inconnue « {cle} »{suggestion(cle, permises) if permises else ''}"
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
        "string_pattern_mismatch": "identifiant invalide : lettres latines (accents permis), chiffres 0-9, « _ », « . » ou « - », en commençant par une lettre",
    }
    if t in textes:
        return textes[t]
    if t == "too_short":
        if ctx.get("min_length") == 1 and err.get("input") in ("", None):
            return "valeur vide"
        return f"au moins {nombre(int(ctx.get('min_length') or 0), 'élément attendu')}"
    if t == "string_too_short":
        return "texte vide"
    if t == "string_too_long":
        return f"texte trop long (maximum {ctx.get('max_length')} caractères)"
    if t == "too_long":
        return f"au plus {nombre(int(ctx.get('max_length') or 0), 'élément attendu')}"
    if t == "greater_than_equal":
        return f"attendu une valeur supérieure ou égale à {ctx.get('ge')}"
    if t == "less_than_equal":
        return f"attendu une valeur inférieure ou égale à {ctx.get('le')}"
    if t == "greater_than":
        return f"attendu une valeur supérieure à {ctx.get('gt')}"
    if t == "less_than":
        return f"attendu une valeur inférieure à {ctx.get('lt')}"
    if t in ("bool_type", "bool_parsing"):
        return "attendu oui ou non"
    if t in ("float_type", "float_parsing", "finite_number"):
        return "attendu un nombre"
    if t == "int_parsing_size":
        return "nombre trop grand"
    if t == "literal_error":
        return f"valeur « {err.get('input')} » invalide ; valeurs permises : {ctx.get('expected', '').replace(' or ', ', ')}"
    message = str(err["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return message


def _titre_champ(modele: type[BaseModel], loc: tuple[Any, ...]) -> Optional[str]:
    """Libellé court (`title`) du champ `loc`, s'il en a un."""
    if not loc or not isinstance(loc[-1], str):
        return None
    courant: Any = modele
    for element in loc[:-1]:
        typ, liste, _ = deballer(courant)
        if liste:
            if isinstance(element, int):
                courant = typ
        elif est_modele(typ) and isinstance(element, str) and element in typ.model_fields:
            courant = typ.model_fields[element].annotation
    typ, liste, _ = deballer(courant)
    if est_modele(typ) and not liste and loc[-1] in typ.model_fields:
        titre = typ.model_fields[loc[-1]].title
        return str(titre) if titre else None
    return None


def _cles_possibles(modele: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Clés permises à l'endroit `loc` (pour suggérer la plus proche d'une clé inconnue)."""
    courant: Any = modele
    for element in loc:
        typ, liste, _ = deballer(courant)
        if liste:
            if isinstance(element, int):
                courant = typ  # un élément de la liste
        elif est_modele(typ):
            courant = typ
            if isinstance(element, str) and element in typ.model_fields:
                courant = typ.model_fields[element].annotation
            # sinon : étiquette d'union ou nom de validateur, on reste sur place
    typ, liste, _ = deballer(courant)
    if est_modele(typ) and not liste:
        return list(typ.model_fields)
    return []
