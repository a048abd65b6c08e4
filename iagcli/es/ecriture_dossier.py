"""Écriture d'un dossier de documents : chaque fichier atomiquement (`sorties`), et jamais par-dessus
un fichier que quelqu'un a modifié depuis qu'iag l'a écrit.

Le manifeste `.iag-dossier.json` du dossier garde le sha256 de chaque fichier écrit par iag. Un fichier
existant est remplacé seulement s'il est identique à ce qu'iag y avait écrit (ou à ce qu'il va écrire) ;
sinon il est signalé, et rien n'est écrit dans ce dossier sans `--force`. Un document qui ne s'applique
plus est retiré s'il est intact, gardé (et signalé) s'il a été modifié.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from typing import Optional

from .sorties import arbre_demande, ecriture_atomique, verifier_arbre

MANIFESTE = ".iag-dossier.json"


@dataclass(frozen=True)
class Bilan:
    ecrits: tuple[str, ...]
    inchanges: tuple[str, ...]
    retires: tuple[str, ...]
    gardes: tuple[str, ...]  # documents qui ne s'appliquent plus, modifiés depuis : laissés en place


class Refus(Exception):
    """Fichiers modifiés depuis qu'iag les a écrits (ou jamais écrits par iag) : rien n'a été écrit."""

    def __init__(self, fichiers: list[str], special: bool = False) -> None:
        super().__init__(", ".join(fichiers))
        self.fichiers = fichiers
        self.special = special  # lien, dossier ou périphérique : refusé même avec --force


def _empreinte(octets: bytes) -> str:
    return hashlib.sha256(octets).hexdigest()


class _Special(Exception):
    pass


def _lire(chemin: str) -> bytes | None:
    try:
        infos = os.lstat(chemin)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(infos.st_mode):
        # Un lien, un dossier ou un périphérique à la place d'un document : jamais remplacé, même avec
        # --force (écrire à travers un lien posé dans le dossier modifierait un fichier ailleurs).
        raise _Special(chemin)
    with open(chemin, "rb") as f:
        return f.read()


def _manifeste(dossier: str) -> dict[str, str]:
    try:
        with open(os.path.join(dossier, MANIFESTE), encoding="utf-8") as f:
            donnees = json.load(f)
        fichiers = donnees.get("fichiers", {}) if isinstance(donnees, dict) else {}
        return {k: v for k, v in fichiers.items() if isinstance(k, str) and isinstance(v, str)}
    except (OSError, ValueError):
        return {}  # absent ou illisible : aucun fichier n'est réputé écrit par iag


def _octets(contenu: str | bytes) -> bytes:
    return contenu.encode("utf-8") if isinstance(contenu, str) else contenu


def ecrire_dossier(dossier: str, contenus: dict[str, str] | dict[str, bytes] | dict[str, str | bytes],
                   force: bool = False, arbre: Optional[str] = None) -> Bilan:
    """Écrit `contenus` (nom de fichier -> texte en UTF-8, ou octets d'un format binaire : .odt, .docx)
    dans `dossier` ; lève Refus ou OSError.

    `arbre` : l'arbre demandé (`sorties.arbre_demande` du DOSSIER de `iag dossier`) ; un sous-dossier
    lié qui en sort est refusé (EcritureRefusee) avant toute création, lecture ou écriture."""
    verifier_arbre(dossier, arbre if arbre is not None else arbre_demande(dossier, dossier=True))
    arbre = arbre if arbre is not None else os.path.realpath(dossier)
    os.makedirs(dossier, exist_ok=True)
    connus = _manifeste(dossier)
    a_ecrire: list[str] = []
    inchanges: list[str] = []
    modifies: list[str] = []
    speciaux: list[str] = []
    for nom, texte in contenus.items():
        try:
            actuel = _lire(os.path.join(dossier, nom))
        except _Special:
            speciaux.append(nom)
            continue
        nouveau = _empreinte(_octets(texte))
        if actuel is None:
            a_ecrire.append(nom)
        elif _empreinte(actuel) == nouveau:
            inchanges.append(nom)
        elif connus.get(nom) == _empreinte(actuel) or force:
            a_ecrire.append(nom)
        else:
            modifies.append(nom)
    if speciaux:
        raise Refus(speciaux, special=True)
    if modifies:
        raise Refus(modifies)
    for nom in a_ecrire:
        with ecriture_atomique(os.path.join(dossier, nom), arbre) as flux:
            contenu = contenus[nom]
            if isinstance(contenu, str):
                flux.write(contenu)
            else:  # octets : par le tampon binaire du même fichier temporaire (remplacement atomique inchangé)
                flux.flush()
                flux.buffer.write(contenu)
    retires, gardes = [], []
    for nom, empreinte in sorted(connus.items()):
        if nom in contenus or os.path.basename(nom) != nom:
            continue
        try:
            actuel = _lire(os.path.join(dossier, nom))
        except _Special:
            continue
        if actuel is None:
            continue
        if _empreinte(actuel) == empreinte:
            os.unlink(os.path.join(dossier, nom))
            retires.append(nom)
        else:
            gardes.append(nom)
    suivis = {nom: _empreinte(_octets(t)) for nom, t in sorted(contenus.items())}
    suivis.update({nom: connus[nom] for nom in gardes})  # toujours suivis : jamais écrasés plus tard
    manifeste = {"version": 1, "fichiers": suivis}
    with ecriture_atomique(os.path.join(dossier, MANIFESTE), arbre) as flux:
        json.dump(manifeste, flux, ensure_ascii=False, indent=2)
        flux.write("\n")
    return Bilan(tuple(a_ecrire), tuple(inchanges), tuple(retires), tuple(gardes))
