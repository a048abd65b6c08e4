"""`iag migrer` : amener un cas d'usage au schéma courant sans rien deviner.

Chaque question absente (et qui a un objet : pas de contenu de corpus sans corpus) est ajoutée à sa
place dans l'ordre du questionnaire, précédée de son texte en commentaire, avec la réponse
« À compléter ». Insertion de texte, comme `insertion.inserer_prevues` : les autres octets
(commentaires, ordre, guillemets, style flux, fins de ligne) restent tels quels. Le résultat est relu
et vérifié (mêmes réponses qu'avant, chaque question ajoutée présente) avant d'être rendu ; sinon
`InsertionImpossible`, et rien n'est écrit. Pur : (document, référentiel) -> octets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..erreurs import ErreurFichier
from ..es.chargeur import Document, document_de
from ..modeles.types import A_COMPLETER
from .champs import Descripteur, descripteurs
from .completude import HORS_QUESTIONNAIRE, pertinente
from .insertion import InsertionImpossible

if TYPE_CHECKING:
    from .referentiel import Referentiel


@dataclass(frozen=True)
class Migration:
    octets: bytes
    ajoutees: tuple[str, ...]  # chemins pointés des questions ajoutées, dans l'ordre du questionnaire


def _lire(donnees: Any, chemin: tuple[str, ...]) -> Any:
    for cle in chemin:
        if not isinstance(donnees, dict) or cle not in donnees:
            return None
        donnees = donnees[cle]
    return donnees


def _saisies(document: Document) -> dict[str, object]:
    sortie: dict[str, object] = {}
    for d in descripteurs():
        v = _lire(document.donnees, d.chemin)
        if isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)):
            sortie[d.nom] = v
    return sortie


def _bloc(d: Descripteur, retrait: str, fin_ligne: str) -> list[str]:
    """Lignes ajoutées pour une question (ou un groupe et ses questions) : commentaire, puis la clé."""
    from .consultation.questionnaire import _commentaire

    lignes = [ligne + fin_ligne for ligne in _commentaire(d.description or d.titre or d.nom, retrait)]
    if d.sous_modele is not None:
        lignes.append(f"{retrait}{d.chemin[-1]}:{fin_ligne}")
        for enfant in descripteurs():
            if enfant.chemin[:-1] == d.chemin and enfant.sous_modele is None:
                lignes += _bloc(enfant, retrait + "  ", fin_ligne)
        return lignes
    lignes.append(f'{retrait}{d.chemin[-1]}: "{A_COMPLETER}"{fin_ligne}')
    return lignes


def _contenu(ligne: str) -> bool:
    s = ligne.strip()
    return bool(s) and not s.startswith("#")


def _retrait(ligne: str) -> int:
    return len(ligne) - len(ligne.lstrip(" "))


def migrer(document: Document, ref: "Referentiel") -> Migration:
    """Le fichier avec chaque question absente ajoutée « À compléter » ; vérifié par relecture."""
    try:
        texte = document.octets.decode("utf-8")
    except UnicodeDecodeError:
        raise InsertionImpossible([document.erreur("migrer ne modifie que des fichiers UTF-8 : convertir le fichier d'abord")]) from None
    if not isinstance(document.donnees, dict):
        raise InsertionImpossible([document.erreur("le fichier n'est pas une table de réponses : rien à migrer")])
    fin_ligne = "\r\n" if "\r\n" in texte else "\n"
    lignes = texte.splitlines(keepends=True)
    if lignes and not lignes[-1].endswith(("\n", "\r")):
        lignes[-1] += fin_ligne
    saisies = _saisies(document)
    ajouts: list[tuple[int, int, list[str], str]] = []  # (indice d'insertion, ordre, lignes, chemin)
    tous = list(descripteurs())
    for ordre, d in enumerate(tous):
        if d.chemin[0] in HORS_QUESTIONNAIRE or document.position(d.chemin, cle=True) is not None:
            continue
        parent = d.chemin[:-1]
        if parent and document.position(parent, cle=True) is None:
            continue  # le groupe entier est ajouté avec lui (voir plus bas)
        if d.sous_modele is None and not d.obligatoire and d.interrogeable and not pertinente(ref, d.nom, saisies):
            continue  # sans objet (contenu sans corpus, domaine sans décision) : rien à demander
        if d.sous_modele is None and not d.interrogeable and not d.obligatoire:
            continue
        if parent:
            pos = document.position(parent)
            cle_parent = document.position(parent, cle=True)
            assert pos is not None and cle_parent is not None
            if pos.ligne == cle_parent.ligne and "{" in lignes[pos.ligne - 1][pos.colonne - 1:pos.colonne]:
                raise InsertionImpossible([document.erreur(
                    f"« {'.'.join(parent)} » est écrit en style flux ({{...}}) : le réécrire en bloc pour que migrer y ajoute "
                    f"« {d.chemin[-1]} »", parent, cle=True)])
        soeurs = [x.chemin for x in tous if x.chemin[:-1] == parent]
        precedentes = [s for s in soeurs[: soeurs.index(d.chemin)] if document.position(s, cle=True) is not None]
        if precedentes:
            cle = document.position(precedentes[-1], cle=True)
            assert cle is not None
            colonne = cle.colonne - 1
            indice = cle.ligne  # après la ligne de la clé précédente…
            for i in range(cle.ligne, len(lignes)):  # … et de tout son contenu (valeur sur plusieurs lignes, enfants)
                if _contenu(lignes[i]) and _retrait(lignes[i]) <= colonne:
                    break
                if _contenu(lignes[i]):
                    indice = i + 1
        elif parent:
            cle = document.position(parent, cle=True)
            assert cle is not None
            colonne, indice = cle.colonne - 1 + 2, cle.ligne
        else:
            colonne, indice = 0, 0
        ajouts.append((indice, ordre, _bloc(d, " " * colonne, fin_ligne), d.nom))
    for indice, _, bloc, _ in sorted(ajouts, key=lambda a: (a[0], a[1]), reverse=True):
        lignes[indice:indice] = bloc
    octets = "".join(lignes).encode("utf-8")
    ajoutees = tuple(a[3] for a in sorted(ajouts, key=lambda a: a[1]))
    if ajoutees:
        _verifier(document, octets, ajoutees)
    return Migration(octets if ajoutees else document.octets, ajoutees)


def _verifier(avant: Document, octets: bytes, ajoutees: tuple[str, ...]) -> None:
    """Relecture : le YAML produit se lit, chaque réponse d'avant est intacte, chaque ajout est là."""
    try:
        apres = document_de(octets, avant.nom)
    except ErreurFichier as e:
        raise InsertionImpossible([avant.erreur(f"migration abandonnée, le résultat ne se relit pas : {e.diagnostics[0].message}")]) from None

    def sans_ajouts(donnees: Any, prefixe: tuple[str, ...] = ()) -> Any:
        if not isinstance(donnees, dict):
            return donnees
        return {k: sans_ajouts(v, prefixe + (k,)) for k, v in donnees.items() if ".".join(prefixe + (k,)) not in ajoutees}

    if sans_ajouts(apres.donnees) != avant.donnees:
        raise InsertionImpossible([avant.erreur("migration abandonnée : une réponse existante aurait changé ; fichier laissé intact")])
    for chemin in ajoutees:
        v = _lire(apres.donnees, tuple(chemin.split(".")))
        if v != A_COMPLETER and not isinstance(v, dict):
            raise InsertionImpossible([avant.erreur(f"migration abandonnée : « {chemin} » n'a pas pu être ajoutée ; fichier laissé intact")])
