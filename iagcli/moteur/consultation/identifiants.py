"""Identifiants du référentiel (risques, mesures, règles, recommandations ; thèmes et publics) :
résolution sans tenir compte de la casse ni des accents, et suggestions. Pur, sans affichage."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Mapping, Optional, Protocol, Sequence

from .recherche import forme

if TYPE_CHECKING:
    from ..referentiel import Referentiel


class _Titre(Protocol):
    """Élément identifié du référentiel : il a un titre."""

    @property
    def titre(self) -> str: ...

# --- Identifiants ------------------------------------------------------------------------------

GENRES = ("risque", "mesure", "regle", "recommandation")


def _tables(ref: "Referentiel") -> dict[str, Mapping[str, _Titre]]:
    return {"risque": ref.risques, "mesure": ref.mesures, "regle": ref.regles, "recommandation": ref.recommandations}


def identifiants(ref: "Referentiel", genres: Sequence[str] = GENRES) -> list[tuple[str, str, str]]:
    """(genre, id, titre) de tous les éléments des genres demandés, dans l'ordre du référentiel."""
    tables = _tables(ref)
    return [(g, ident, x.titre) for g in genres for ident, x in tables[g].items()]


def resoudre_id(ref: "Referentiel", texte: str, genres: Sequence[str] = GENRES) -> Optional[tuple[str, str]]:
    """(genre, id) si `texte` est un identifiant connu, sans tenir compte de la casse ni des accents."""
    cle = forme(texte.strip())
    for genre, ident, _ in identifiants(ref, genres):
        if forme(ident) == cle:
            return genre, ident
    return None


_ALLURE_ID = re.compile(r"^[^\W\d_]{1,6}[-_.]?\d{1,4}$")


def ressemble_a_un_id(texte: str) -> bool:
    """« REC99 », « r19 », « M-01 » : des lettres suivies d'un numéro."""
    return bool(_ALLURE_ID.match(texte.strip()))


def ids_proches(ref: "Referentiel", texte: str, genres: Sequence[str] = GENRES, n: int = 3) -> list[str]:
    """Identifiants ressemblants ; « rec5 » désigne sans ambiguïté « REC05 »."""
    tous = [ident for _, ident, _ in identifiants(ref, genres)]
    cle = forme(texte.strip())

    def sans_zeros(f: str) -> str:
        return re.sub(r"(?<=\D)0+(?=\d)", "", f)

    exacts = [i for i in tous if sans_zeros(forme(i)) == sans_zeros(cle)]
    if exacts:
        return exacts[:n]
    formes = {forme(i): i for i in tous}
    proches = [formes[f] for f in difflib.get_close_matches(cle, list(formes), n=n, cutoff=0.6)]
    if proches:
        return proches
    # Identifiants courts (« T3 ») : même préfixe de lettres, numéro le plus proche.
    m = re.fullmatch(r"([^\W\d_]+)[-_.]?(\d+)", cle)
    if not m:
        return []
    voisins = []
    for i in tous:
        mi = re.fullmatch(r"([^\W\d_]+)[-_.]?(\d+)", forme(i))
        if mi and mi.group(1) == m.group(1):
            voisins.append((abs(int(mi.group(2)) - int(m.group(2))), i))
    return [i for _, i in sorted(voisins)[:n]]


def resoudre_parmi(valeur: str, elements: Mapping[str, _Titre]) -> Optional[str]:
    """Identifiant d'un thème ou d'un public désigné par son identifiant, son titre, ou un début
    d'identifiant sans ambiguïté (« secu » pour « securite »)."""
    cle = forme(valeur.strip()).replace(" ", "_")
    for ident, x in elements.items():
        if cle in (forme(ident), forme(x.titre).replace(" ", "_")):
            return ident
    debuts = [ident for ident in elements if cle and forme(ident).startswith(cle)]
    return debuts[0] if len(debuts) == 1 else None



def titres(ref: "Referentiel") -> dict[str, str]:
    """id -> titre pour tous les éléments identifiés du référentiel."""
    return {ident: titre for _, ident, titre in identifiants(ref)}
