"""Signatures SSH des avis (`ssh-keygen -Y sign` / `-Y verify`, le format des commits git signés) et
lecture / écriture du fichier des avis voisin d'un cas (`CAS.avis`).

Aucune cryptographie ici : OpenSSH fait tout, appelé sans shell, avec un délai borné. Le message signé
est passé sur l'entrée standard ; la signature, dans un fichier temporaire supprimé aussitôt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Optional

from ..erreurs import ErreurIag
from ..modeles import avis as A
from ..modeles.avis import FichierAvis
from .chargeur import Document, lire_document, valider

DELAI = 20  # secondes au plus par appel de ssh-keygen
SSH_KEYGEN_ABSENT = ("ssh-keygen introuvable : installer OpenSSH (paquet Debian/Ubuntu « openssh-client », "
                     "Alpine « openssh-keygen ») ; il vérifie et crée les signatures des avis")


class ErreurSignature(ErreurIag):
    """ssh-keygen absent, clé illisible, signature impossible : message en français, code 2 au CLI."""

    def __init__(self, message: str):
        super().__init__([])
        self.message = message

    def __str__(self) -> str:
        return self.message


def _ssh_keygen() -> str:
    chemin = shutil.which("ssh-keygen")
    if chemin is None:
        raise ErreurSignature(SSH_KEYGEN_ABSENT)
    return chemin


def disponible() -> None:
    """Lève ErreurSignature (message en français) si ssh-keygen est absent."""
    _ssh_keygen()


def _lancer(arguments: list[str], entree: bytes) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run([_ssh_keygen(), *arguments], input=entree, capture_output=True, timeout=DELAI,
                              check=False, env={**os.environ, "LC_ALL": "C"})
    except subprocess.TimeoutExpired:
        raise ErreurSignature(f"ssh-keygen n'a pas répondu en {DELAI} s") from None
    except OSError as e:
        raise ErreurSignature(f"ssh-keygen n'a pas pu être lancé : {e.strerror or e}") from None


def signer(message: bytes, cle: str, role: str) -> str:
    """Signature SSH armée (« -----BEGIN SSH SIGNATURE----- ») de `message` par la clé privée `cle`."""
    if not os.path.isfile(cle):
        raise ErreurSignature(f"clé « {cle} » introuvable")
    r = _lancer(["-Y", "sign", "-q", "-f", cle, "-n", A.espace_de_noms(role)], message)
    sortie = r.stdout.decode("ascii", "replace")
    if r.returncode != 0 or "BEGIN SSH SIGNATURE" not in sortie:
        detail = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ErreurSignature(f"signature impossible avec la clé « {cle} »" + (f" : {detail[-1]}" if detail else ""))
    return sortie.strip() + "\n"


def verifier_signataires(chemin: str) -> None:
    """Le fichier des signataires doit être lisible (sinon ErreurSignature, code 2)."""
    try:
        with open(chemin, "rb"):
            pass
    except OSError as e:
        raise ErreurSignature(f"fichier des signataires « {chemin} » illisible : {e.strerror or e}") from None


def verifier(message: bytes, signature: str, identite: str, role: str, signataires: Optional[str]) -> A.ControleSignature:
    """Vérifie la signature d'un avis pour ce rôle et cette identité contre le fichier des signataires
    (format *allowed signers* d'OpenSSH ; `namespaces="iag-avis-dpo"` lie une clé au rôle DPO).

    En cas d'échec, dit pourquoi : contenu modifié (la signature ne correspond pas au message), clé
    absente du fichier, ou clé présente pour une autre identité ou un autre rôle."""
    if signataires is None:
        return A.ControleSignature(A.SIGNATURE_INVERIFIABLE)
    espace = A.espace_de_noms(role)
    with tempfile.TemporaryDirectory(prefix="iag-avis-") as dossier:
        fichier = os.path.join(dossier, "signature")
        with open(fichier, "w", encoding="ascii", errors="replace") as f:
            f.write(signature)
        r = _lancer(["-Y", "verify", "-f", signataires, "-I", identite, "-n", espace, "-s", fichier], message)
        if r.returncode == 0:
            return A.ControleSignature(A.SIGNATURE_VALIDE)
        # Pourquoi : la signature correspond-elle au message (sans regarder à qui est la clé) ?
        if _lancer(["-Y", "check-novalidate", "-n", espace, "-s", fichier], message).returncode != 0:
            return A.ControleSignature(A.SIGNATURE_INVALIDE)
        # À qui le fichier des signataires lie-t-il cette clé (tous rôles confondus) ?
        p = _lancer(["-Y", "find-principals", "-f", signataires, "-s", fichier], b"")
        principaux = tuple(x for x in p.stdout.decode("utf-8", "replace").split() if x) if p.returncode == 0 else ()
        if not principaux:
            return A.ControleSignature(A.CLE_INCONNUE)
        return A.ControleSignature(A.AUTRE_ROLE, principaux)


def lire_avis(chemin_cas: str) -> Optional[tuple[Document, FichierAvis]]:
    """Le fichier des avis voisin du cas (None s'il n'existe pas) ; lève ErreurFichier s'il est invalide."""
    chemin = A.fichier_avis(chemin_cas)
    if chemin_cas == "-" or not os.path.lexists(chemin):
        return None
    document = lire_document(chemin)
    return document, valider(document, FichierAvis)


def texte_avis(contenu: FichierAvis) -> str:
    """Le texte YAML du fichier des avis."""
    import yaml

    class _Ecrivain(yaml.SafeDumper):
        """La signature (plusieurs lignes) en bloc littéral « | », lisible et relue à l'identique."""

    def _texte(dumper: yaml.SafeDumper, valeur: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", valeur, style="|" if "\n" in valeur else None)

    _Ecrivain.add_representer(str, _texte)
    return ("# Avis signés (iag avis signer) : ne pas modifier à la main, toute retouche invalide la signature.\n"
            "# Vérifier : iag avis verifier CAS --signataires FICHIER\n"
            + yaml.dump(contenu.model_dump(mode="json"), Dumper=_Ecrivain, allow_unicode=True, sort_keys=False,
                        default_flow_style=False, width=100))


def ecrire_avis(chemin_cas: str, contenu: FichierAvis) -> str:
    """Écrit le fichier des avis de façon atomique (entier ou pas du tout) ; rend son chemin."""
    from .sorties import ecriture_atomique

    chemin = A.fichier_avis(chemin_cas)
    texte = texte_avis(contenu)
    with ecriture_atomique(chemin) as flux:
        flux.write(texte)
    return chemin

