"""Ajout de mesures prévues dans un fichier de cas d'usage par insertion de texte (`iag plan
--ecrire`) : jamais de réécriture du YAML, si bien que commentaires, ordre et mise en forme des
autres lignes restent tels quels. Des octets lus et leurs positions (chargeur) vers des octets,
dans l'encodage d'origine (UTF-8, avec ou sans BOM, UTF-16 avec BOM).

Le résultat est toujours relu (`es.reecriture.relire`) : il doit se lire et contenir exactement
les données d'avant plus les mesures ajoutées ; sinon InsertionImpossible, et rien n'est écrit.
Une bibliothèque YAML « aller-retour » (ruamel.yaml) a été écartée : sur le corpus des dispositions
des tests, elle réindente les listes et une racine indentée, retire le BOM et le `...` final, replie
les textes entre guillemets, et lit en YAML 1.2 quand le chargeur lit en 1.1.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Optional

from ..erreurs import ErreurIag
from ..es.chargeur import Document, decoder, encodage, encoder, etendue
from ..es.reecriture import relire

_LIGNES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_VIDE = re.compile(r"\[\s*\]|~|null|Null|NULL")
_FIN_DE_DOCUMENT = re.compile(r"\.\.\.(?:[ \t]|#|\r|\n|\Z)")
FLUX = "mesures_prevues est écrite en style flux ([...]) : la réécrire en liste à tirets pour que --ecrire l'allonge"


class InsertionImpossible(ErreurIag):
    pass


def _scalaire(texte: str) -> str:
    # Toujours entre guillemets doubles : un nom comme « Non » ou « 1.10 » reste du texte ; les
    # échappements de JSON (\n, \", \\, \uXXXX) sont ceux du YAML entre guillemets doubles.
    return json.dumps(texte, ensure_ascii=False)


def donnees_apres(document: Document, mesures: list[str], echeance: dt.date, responsable: Optional[str]) -> Any:
    """Les données que le fichier doit contenir une fois les mesures ajoutées (comme le chargeur
    les rend : des textes) : celles d'avant, `mesures_prevues` allongée (ou créée)."""
    donnees = dict(document.donnees)
    ajout = [{"id": m, "echeance": echeance.isoformat(), **({"responsable": responsable} if responsable else {})}
             for m in mesures]
    donnees["mesures_prevues"] = list(donnees.get("mesures_prevues") or []) + ajout
    return donnees


def inserer_prevues(document: Document, mesures: list[str], echeance: dt.date, responsable: Optional[str]) -> bytes:
    """Octets du fichier avec ces mesures ajoutées à la fin de `mesures_prevues` (créée à la fin du
    document si absente), vérifiés par relecture. Une liste en style flux (`[...]`) non vide, ou une
    disposition que l'insertion ne sait pas prendre : InsertionImpossible, rien n'est écrit."""
    texte = decoder(document.octets, document.nom)
    fin_ligne = "\r\n" if "\r\n" in texte else "\n"
    lignes = _LIGNES.findall(texte)

    def item(mid: str, retrait: str) -> str:
        suite = f", responsable: {_scalaire(responsable)}" if responsable else ""
        return f"{retrait}- {{id: {mid}, echeance: {echeance.isoformat()}{suite}}}{fin_ligne}"

    def terminer(index: int) -> None:
        if index >= 0 and not lignes[index].endswith(("\n", "\r")):
            lignes[index] += fin_ligne

    cle = document.position(("mesures_prevues",), cle=True)
    if cle is None:
        # Clé absente : à la fin du document (avant un `...` final), au retrait des clés de la racine.
        premiere = next(iter(document.donnees), None) if isinstance(document.donnees, dict) else None
        position = document.position((premiere,), cle=True) if premiere is not None else None
        racine = " " * (position.colonne - 1) if position is not None and position.colonne else ""
        fin = next((i for i, ligne in enumerate(lignes) if _FIN_DE_DOCUMENT.match(ligne)), len(lignes))
        terminer(fin - 1)
        lignes[fin:fin] = [f"{racine}mesures_prevues:{fin_ligne}", *(item(m, racine + "  ") for m in mesures)]
    elif not any(len(c) >= 2 and c[0] == "mesures_prevues" for c in document.positions):
        # Liste vide (`[]`, sur la ligne de la clé ou la suivante), nulle (`~`, `null`) ou sans valeur.
        valeur = etendue(texte, ("mesures_prevues",))
        if valeur is not None and valeur[0] != valeur[1]:
            (l0, c0), (l1, c1) = valeur
            source = lignes[l0][c0:c1] if l0 == l1 else ""
            if not _VIDE.fullmatch(source):
                raise InsertionImpossible([document.erreur(FLUX, ("mesures_prevues",), cle=True)])
            # La valeur vide est retirée ; sa ligne aussi si elle est ailleurs que sur la clé et ne
            # garde rien (un commentaire reste).
            reste = lignes[l0][:c0] + lignes[l0][c1:]
            corps = reste.rstrip("\r\n").rstrip()
            if l0 != cle.ligne - 1 and not corps:
                del lignes[l0]
            else:
                lignes[l0] = corps + (fin_ligne if reste.endswith(("\n", "\r")) else "")
        retrait = " " * (cle.colonne - 1) + "  "
        terminer(cle.ligne - 1)
        lignes[cle.ligne:cle.ligne] = [item(m, retrait) for m in mesures]
    else:
        premier = document.position(("mesures_prevues", 0))
        assert premier is not None  # des éléments ont une position, le premier aussi
        ligne_premier = lignes[premier.ligne - 1]
        if premier.ligne == cle.ligne or "-" not in ligne_premier[:premier.colonne]:
            raise InsertionImpossible([document.erreur(FLUX, ("mesures_prevues",), cle=True)])
        retrait = ligne_premier[:ligne_premier.index("-")]
        n = len(document.donnees["mesures_prevues"])
        fin_element = etendue(texte, ("mesures_prevues", n - 1))
        assert fin_element is not None  # le dernier élément existe (les positions le disent)
        ligne_fin, colonne_fin = fin_element[1]
        # Après la dernière ligne du dernier élément ; la fin d'un texte en bloc (`|`, `>-`) est le
        # début de la ligne qui le suit : on insère avant elle.
        index = ligne_fin if colonne_fin == 0 else ligne_fin + 1
        index = min(index, len(lignes))
        terminer(index - 1)
        lignes[index:index] = [item(m, retrait) for m in mesures]
    nouveau = encoder("".join(lignes), encodage(document.octets))
    raison = relire(nouveau, document.nom, donnees_apres(document, mesures, echeance, responsable))
    if raison is not None:
        a_la_main = " ; ".join(item(m, "").strip() for m in mesures)
        raise InsertionImpossible([document.erreur(
            f"--ecrire n'a pas pu ajouter les mesures sans rien changer d'autre : {raison} ; fichier laissé "
            f"intact ; ajoutez-les à la main sous mesures_prevues : {a_la_main}",
            ("mesures_prevues",) if document.position(("mesures_prevues",)) is not None else (), cle=True)])
    return nouveau
