"""Ajout de mesures prévues dans un fichier de cas d'usage par insertion de texte (`iag plan
--ecrire`) : jamais de réécriture du YAML, si bien que commentaires, ordre et mise en forme des
autres lignes restent tels quels. Pur : des octets lus et leurs positions (chargeur) vers des octets."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from ..erreurs import ErreurIag
from ..es.chargeur import Document


class InsertionImpossible(ErreurIag):
    pass


def _scalaire(texte: str) -> str:
    # Toujours entre guillemets doubles : un nom comme « Non » ou « 1.10 » reste du texte.
    return '"' + texte.replace("\\", "\\\\").replace('"', '\\"') + '"'


def inserer_prevues(document: Document, mesures: list[str], echeance: dt.date, responsable: Optional[str]) -> bytes:
    """Octets du fichier avec ces mesures ajoutées à la fin de `mesures_prevues` (créée à la fin du
    fichier si absente). Une liste en style flux (`[...]`) n'est pas modifiée : InsertionImpossible."""
    texte = document.octets.decode("utf-8")
    fin_ligne = "\r\n" if "\r\n" in texte else "\n"
    lignes = texte.splitlines(keepends=True)

    def item(mid: str, retrait: str) -> str:
        suite = f", responsable: {_scalaire(responsable)}" if responsable else ""
        return f"{retrait}- {{id: {mid}, echeance: {echeance.isoformat()}{suite}}}{fin_ligne}"

    cle = document.position(("mesures_prevues",), cle=True)
    if cle is None:
        if lignes and not lignes[-1].endswith(("\n", "\r")):
            lignes[-1] += fin_ligne
        ajout = f"mesures_prevues:{fin_ligne}" + "".join(item(m, "  ") for m in mesures)
        return ("".join(lignes) + ajout).encode("utf-8")
    elements = [c for c in document.positions if len(c) >= 2 and c[0] == "mesures_prevues"]
    if not elements:
        valeur = document.position(("mesures_prevues",))
        reste = lignes[cle.ligne - 1][cle.colonne - 1:]
        if valeur is not None and valeur.ligne == cle.ligne and "[" in reste:
            if reste.split(":", 1)[1].split("#", 1)[0].strip() != "[]":
                raise InsertionImpossible([document.erreur(
                    "mesures_prevues est écrite en style flux ([...]) : la réécrire en liste à tirets pour que --ecrire l'allonge",
                    ("mesures_prevues",), cle=True)])
            # `mesures_prevues: []` : la valeur vide devient une liste en bloc, le reste de la ligne est gardé
            debut = lignes[cle.ligne - 1]
            lignes[cle.ligne - 1] = debut.replace("[]", "", 1).rstrip() + fin_ligne
            retrait = " " * (cle.colonne - 1) + "  "
            lignes[cle.ligne:cle.ligne] = [item(m, retrait) for m in mesures]
            return "".join(lignes).encode("utf-8")
        retrait = " " * (cle.colonne - 1) + "  "
        lignes[cle.ligne:cle.ligne] = [item(m, retrait) for m in mesures]
        return "".join(lignes).encode("utf-8")
    premier = document.position(("mesures_prevues", 0))
    assert premier is not None  # des éléments ont une position, le premier aussi
    ligne_premier = lignes[premier.ligne - 1]
    if premier.ligne == cle.ligne or "-" not in ligne_premier[:premier.colonne]:
        raise InsertionImpossible([document.erreur(
            "mesures_prevues est écrite en style flux ([...]) : la réécrire en liste à tirets pour que --ecrire l'allonge",
            ("mesures_prevues",), cle=True)])
    retrait = ligne_premier[:ligne_premier.index("-")]
    derniere = max(p.ligne for c, paire in document.positions.items() if len(c) >= 2 and c[0] == "mesures_prevues" for p in paire)
    if not lignes[derniere - 1].endswith(("\n", "\r")):
        lignes[derniere - 1] += fin_ligne
    lignes[derniere:derniere] = [item(m, retrait) for m in mesures]
    return "".join(lignes).encode("utf-8")
