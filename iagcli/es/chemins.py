"""Développe les chemins donnés en fichiers de cas d'usage, au fil de l'eau."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional, Union

EXTENSIONS = (".yaml", ".yml")


@dataclass
class Ignores:
    """Ce que le parcours des dossiers a laissé de côté, pour `--verbeux` : rien n'est ignoré en silence."""

    caches: list[str] = field(default_factory=list)  # fichiers et dossiers commençant par « . »
    non_yaml: list[str] = field(default_factory=list)  # fichiers sans extension .yaml / .yml
    liens: list[str] = field(default_factory=list)  # liens vers des dossiers, jamais suivis (boucles)

    @property
    def total(self) -> int:
        return len(self.caches) + len(self.non_yaml) + len(self.liens)

    def liste(self) -> list[tuple[str, str]]:
        """(chemin, raison) de chaque chemin ignoré, trié : ce que chaque format de rapport liste."""
        raisons = ((self.caches, RAISON_CACHE), (self.non_yaml, RAISON_NON_YAML), (self.liens, RAISON_LIEN))
        return sorted((c, raison) for chemins, raison in raisons for c in chemins)


RAISON_CACHE = "caché (nom commençant par « . »)"
RAISON_NON_YAML = "sans extension .yaml ou .yml"
RAISON_LIEN = "lien vers un dossier, non suivi"


def developper(chemins: Iterable[str], ignores: Optional[Ignores] = None) -> Iterator[tuple[str, Union[bool, str]]]:
    """Rend (chemin, état) : les fichiers des dossiers (récursivement, sans dossiers cachés,
    triés), les fichiers et `-` tels quels, avec l'état True. Un dossier sans YAML rend
    (dossier, False) ; un dossier illisible (droits, chemin plus long que PATH_MAX…) rend
    (dossier, message) : il compte comme chemin illisible au lieu d'être sauté en silence."""
    from .chargeur import message_systeme

    ignores = ignores if ignores is not None else Ignores()
    for chemin in chemins:
        if chemin != "-" and os.path.isdir(chemin):
            trouve = illisible = False
            erreurs: list[OSError] = []
            for racine, dossiers, fichiers in os.walk(chemin, onerror=erreurs.append):  # ne suit pas les liens : pas de boucle
                illisible |= bool(erreurs)
                yield from _erreurs(erreurs, message_systeme)
                gardes = []
                for d in sorted(dossiers):
                    complet = os.path.join(racine, d)
                    if d.startswith("."):
                        ignores.caches.append(complet)
                    elif os.path.islink(complet):
                        ignores.liens.append(complet)
                    else:
                        gardes.append(d)
                dossiers[:] = gardes
                for f in sorted(fichiers):
                    complet = os.path.join(racine, f)
                    if f.startswith("."):
                        ignores.caches.append(complet)
                    elif not f.lower().endswith(EXTENSIONS):  # x.YAML, x.Yml : des cas d'usage aussi
                        ignores.non_yaml.append(complet)
                    else:
                        trouve = True
                        yield complet, True
            illisible |= bool(erreurs)
            yield from _erreurs(erreurs, message_systeme)
            if not trouve and not illisible:
                yield chemin, False
        else:
            yield chemin, True


def _erreurs(erreurs: list[OSError], message_systeme: Callable[[OSError], str]) -> Iterator[tuple[str, str]]:
    while erreurs:
        e = erreurs.pop(0)
        yield str(e.filename or ""), f"dossier illisible : {message_systeme(e)}"


def racine_depot(depart: str) -> Optional[str]:
    """Le dossier du dépôt git qui contient `depart` (premier dossier avec `.git`, dossier ou fichier,
    en remontant depuis `depart` résolu) ; None hors de tout dépôt. La remontée s'arrête à `$HOME`,
    exclu : un `$HOME` versionné (fichiers de configuration personnels) n'est pas un dépôt évalué."""
    dossier = os.path.realpath(depart)
    maison = os.environ.get("HOME")
    maison = os.path.realpath(maison) if maison else None
    while True:
        if dossier == maison:
            return None
        if os.path.lexists(os.path.join(dossier, ".git")):
            return dossier
        parent = os.path.dirname(dossier)
        if parent == dossier:
            return None
        dossier = parent
