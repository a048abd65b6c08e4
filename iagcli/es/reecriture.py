"""Réécriture du fichier d'un utilisateur : jamais un fichier abîmé, jamais une donnée perdue.

Tout écrivain qui modifie un fichier donné par l'utilisateur (`iag plan --ecrire` ; à réutiliser par
toute autre commande qui édite un cas d'usage) passe par `remplacer`, qui, dans cet ordre :

1. **relit** le résultat par le chargeur (`relire`) : il doit se lire sans erreur et contenir
   exactement les données voulues (`attendu`, les données du chargeur : des textes, listes et
   tables) ; une édition de texte qui aurait avalé les ajouts dans un scalaire, cassé l'indentation
   ou changé une autre valeur est ainsi refusée au lieu d'être annoncée comme réussie ;
2. vérifie que le fichier n'a pas changé depuis sa lecture (comparaison des octets) ;
3. l'écrit d'un coup (`sorties.ecriture_atomique`, en octets : l'encodage d'origine, BOM compris,
   est celui qu'a choisi l'appelant), sans jamais écrire par un lien qui sort de l'arbre demandé.

Au moindre refus, rien n'est écrit : le fichier reste intact, octet pour octet.
"""

from __future__ import annotations

import hashlib
from typing import Any, Optional

from ..erreurs import ErreurFichier
from .chargeur import document_de, lire_octets


class ReecritureRefusee(Exception):
    """Réécriture refusée avant toute écriture ; `message` dit pourquoi, en français ; `modifie` : le
    fichier a changé depuis sa lecture (relancer la commande suffit)."""

    def __init__(self, message: str, modifie: bool = False):
        super().__init__(message)
        self.message = message
        self.modifie = modifie


def relire(nouveau: bytes, nom: str, attendu: Any) -> Optional[str]:
    """Pourquoi `nouveau` ne peut pas remplacer le fichier (il ne se relit pas, ou ses données
    diffèrent de `attendu`) ; None s'il le peut."""
    try:
        document = document_de(nouveau, nom)
    except ErreurFichier as e:
        premier = e.diagnostics[0]
        ou = f" (ligne {premier.ligne})" if premier.ligne is not None else ""
        return f"le résultat ne se relirait pas{ou} : {premier.message}"
    if document.donnees != attendu:
        return "le résultat relu ne contiendrait pas exactement les données voulues (d'autres valeurs auraient changé)"
    return None


def remplacer(chemin: str, lu: bytes, nouveau: bytes, attendu: Any, nom: Optional[str] = None) -> None:
    """Remplace le fichier `chemin`, lu avec les octets `lu`, par `nouveau`, qui doit se relire en
    exactement `attendu`. Lève ReecritureRefusee (relecture ou fichier changé entre-temps),
    ErreurLecture (fichier devenu illisible) ou OSError (écriture refusée ou impossible) ; rien
    n'est écrit dans ces cas."""
    from ..echappement import echapper
    from .sorties import ecriture_atomique

    nom = nom or chemin
    raison = relire(nouveau, nom, attendu)
    if raison is not None:
        raise ReecritureRefusee(f"{echapper(nom)} : {raison} ; fichier laissé intact")
    actuel = lire_octets(chemin)
    if hashlib.sha256(actuel).digest() != hashlib.sha256(lu).digest():
        raise ReecritureRefusee(f"« {echapper(chemin)} » a changé depuis sa lecture : rien n'est écrit", modifie=True)
    with ecriture_atomique(chemin, binaire=True) as flux:
        flux.write(nouveau)
