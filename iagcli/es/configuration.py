"""Trouve et lit `.iag.yaml` ; fusionne options, variables d'environnement et fichier.

Priorité : options de la ligne de commande > variables `IAG_*` > fichier de configuration.

Un fichier découvert appartient au dépôt évalué, donc à qui propose une modification : il peut
choisir le référentiel, le seuil, le format et les rapports, mais
- la découverte remonte depuis le dossier courant et s'arrête au premier dossier qui contient
  `.git` (racine du dépôt) ou qui est `$HOME` : un `.iag.yaml` posé au-dessus n'est jamais lu ;
- les rapports qu'il demande restent dans son dossier (`chemin_rapport`) ;
- `--sans-config` (ou `IAG_SANS_CONFIG=oui`) l'ignore tout à fait : c'est ce qu'utilisent les
  intégrations de CI, qui prennent seuil et référentiel de la définition de CI seulement.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..erreurs import Diagnostic, ErreurFichier, ErreurLecture
from ..modeles.configuration import Configuration, configuration_vide
from .chargeur import Document, lire_document, valider

NOMS = (".iag.yaml", ".iag.yml")


def trouver(depart: Optional[Path] = None) -> Optional[Path]:
    """Le fichier de configuration le plus proche, en remontant depuis `depart` jusqu'à la racine
    du dépôt (dossier contenant `.git`, dossier ou fichier) ou jusqu'à `$HOME`, inclus."""
    dossier = (depart or Path.cwd()).resolve()
    maison = os.environ.get("HOME")
    maison_resolue = Path(maison).resolve() if maison else None
    for d in (dossier, *dossier.parents):
        for nom in NOMS:
            candidat = d / nom
            if candidat.is_file():
                return candidat
        if (d / ".git").exists() or d == maison_resolue:
            return None
    return None


@dataclass(frozen=True)
class ConfigurationChargee:
    """La configuration retenue, le fichier d'où elle vient (None : aucun) et son document analysé."""

    chemin: Optional[Path]
    config: Configuration
    document: Optional[Document] = None

    def relatif(self, valeur: Optional[str]) -> Optional[str]:
        """Chemin du fichier de configuration, résolu par rapport à son dossier."""
        if valeur is None or self.chemin is None:
            return valeur
        return str((self.chemin.parent / valeur))

    def erreur(self, message: str, chemin: tuple[str | int, ...]) -> Diagnostic:
        """Diagnostic placé sur la valeur `chemin` du fichier (ex. ("seuil",))."""
        if self.document is None:
            return Diagnostic(str(self.chemin or "configuration"), None, None, message)
        return self.document.erreur(message, chemin)

    def chemin_rapport(self, index: int) -> str:
        """Chemin du rapport n° `index`, confiné au dossier du fichier de configuration.

        Un fichier de configuration vient du dépôt évalué : il ne doit pas pouvoir écrire ailleurs
        (un profil de shell, un script de CI). Refusés : chemin absolu, sortie par `..`, lien
        symbolique (du chemin ou d'un dossier parent) qui mène hors du dossier. `-o` sur la ligne de
        commande garde toute liberté. Lève ErreurFichier placée sur la valeur `fichier:`.
        """
        valeur = self.config.rapports[index].fichier
        if self.chemin is None:
            return valeur
        position = ("rapports", index, "fichier")
        if os.path.isabs(valeur):
            raise ErreurFichier([self.erreur(f"chemin de rapport « {valeur} » refusé : un chemin relatif au dossier de la configuration est attendu", position)])
        from .sorties import hors_arbre

        base = os.path.realpath(self.chemin.parent)
        complet = os.path.join(base, valeur)
        # La règle de toute écriture (sorties.hors_arbre), l'arbre étant le dossier de la configuration :
        # `..` et tous les liens résolus, ceux des dossiers comme celui du fichier.
        if hors_arbre(complet, base) is not None:
            raise ErreurFichier([self.erreur(
                f"chemin de rapport « {valeur} » refusé : il sort du dossier de la configuration ({base})", position)])
        return complet


def charger(chemin: Optional[str] = None, sans_config: bool = False) -> ConfigurationChargee:
    """Lit la configuration donnée, ou la plus proche ; lève ErreurFichier/ErreurLecture si elle est fautive.

    `sans_config` : aucun fichier n'est lu (un fichier donné avec, par --config ou IAG_CONFIG, est refusé
    par le CLI ; la complétion, qui n'écrit rien, l'ignore)."""
    if sans_config:
        return ConfigurationChargee(None, configuration_vide())
    explicite = chemin or os.environ.get("IAG_CONFIG")
    fichier = Path(explicite) if explicite else trouver()
    if fichier is None:
        return ConfigurationChargee(None, configuration_vide())
    document = lire_document(str(fichier))
    refuser_cles_reservees(document)
    return ConfigurationChargee(fichier, valider(document, Configuration), document)


# Ce qu'un fichier du dépôt évalué ne doit jamais choisir : qui peut valider ses propres propositions
# (fichier des signataires des avis), ni l'empreinte qui épingle le référentiel.
RESERVEES = {
    "signataires": "le fichier des signataires des avis ne se donne jamais dans .iag.yaml (le dépôt évalué "
                   "pourrait y nommer ses propres clés) : --signataires ou IAG_SIGNATAIRES, depuis un fichier ou "
                   "une variable protégés de la CI",
    "referentiel_sha256": "l'empreinte du référentiel ne se donne jamais dans .iag.yaml (le dépôt évalué "
                          "épinglerait son propre référentiel) : --referentiel-sha256 ou IAG_REFERENTIEL_SHA256",
}


def refuser_cles_reservees(document: Document) -> None:
    """Refus positionné (fichier:ligne:colonne) d'une clé réservée à la définition de CI."""
    if not isinstance(document.donnees, dict):
        return
    fautes = [document.erreur(f"« {cle} » refusé : {raison}", (cle,), cle=True)
              for cle, raison in RESERVEES.items() if cle in document.donnees]
    if fautes:
        raise ErreurFichier(fautes)


def rapport_depuis_texte(texte: str, source: str) -> tuple[str, str]:
    """`json:rapport.json` -> ("json", "rapport.json") ; seul le premier « : » sépare (« json:a:b,c.json »
    écrit « a:b,c.json »)."""
    fmt, sep, fichier = texte.partition(":")
    if not sep or not fmt or not fichier:
        raise ErreurFichier([Diagnostic(source, None, None, f"rapport « {texte} » invalide : attendu FORMAT:FICHIER (ex. json:iag.json)")])
    return fmt, fichier


def rapports_environnement(texte: str) -> list[tuple[str, str]]:
    """`IAG_RAPPORTS` : « json:iag.json,sarif:iag.sarif ». Virgules et blancs séparent les rapports
    (les blancs, comme le faisait Click) : ils ne peuvent donc pas figurer dans un nom de fichier
    donné ainsi (utilisez -o ou .iag.yaml)."""
    import re

    return [rapport_depuis_texte(t, "IAG_RAPPORTS") for t in re.split(r"[,\s]+", texte) if t]


__all__ = ["trouver", "charger", "ConfigurationChargee", "rapport_depuis_texte", "rapports_environnement", "ErreurLecture"]
