"""Avis signés du DPO et du RSSI : ce qui est signé, et si un avis vaut encore (cœur pur).

Décidé ici, une fois, lu par le contrôleur (la porte), les rendus et `iag avis verifier` :
- `empreinte_reponses` : sha256 du JSON canonique des réponses (clés triées, sans la clé `avis`) ; les
  commentaires, l'ordre des clés et la mise en forme YAML ne la changent pas, toute réponse la change ;
  une empreinte courte par réponse de premier niveau dit laquelle a changé ;
- `message` : le texte canonique signé (tout l'avis sauf sa signature) ;
- `apprecier` : l'état de chaque avis à la date d'évaluation et la validation conjointe du cas.

La vérification cryptographique (`ssh-keygen -Y verify`) est faite par `es.signatures`, appelée par le
contrôleur ; son résultat arrive ici sous forme d'un `ControleSignature`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from ..modeles.avis import (
    AUTRE_ROLE,
    CLE_INCONNUE,
    LIBELLES,
    ROLES,
    SIGNATURE_INVALIDE,
    SIGNATURE_INVERIFIABLE,
    SIGNATURE_VALIDE,
    ControleSignature,
    espace_de_noms,
)

if TYPE_CHECKING:
    from ..es.chargeur import Document
    from ..modeles.avis import AvisSigne
    from .referentiel import Referentiel

ENTETE = b"iag-avis 1\n"


def _canonique(valeur: Any) -> str:
    return json.dumps(valeur, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def empreinte_reponses(donnees: Any) -> tuple[str, dict[str, str]]:
    """(sha256 des réponses, {réponse de premier niveau: 16 premiers chiffres de son sha256})."""
    reponses = {k: v for k, v in donnees.items() if k != "avis"} if isinstance(donnees, dict) else donnees
    total = hashlib.sha256(_canonique(reponses).encode("utf-8")).hexdigest()
    par_cle = {str(k): hashlib.sha256(_canonique(v).encode("utf-8")).hexdigest()[:16] for k, v in reponses.items()} \
        if isinstance(reponses, dict) else {}
    return total, par_cle


def message(avis: "AvisSigne") -> bytes:
    """Le texte signé : l'avis entier sauf sa signature, en JSON canonique, précédé d'un en-tête versionné."""
    return ENTETE + _canonique(avis.model_dump(mode="json", exclude={"signature"})).encode("utf-8")


def non_signables(ref: "Referentiel") -> tuple[str, ...]:
    """Verdicts qu'aucun avis ne lève : le plus haut niveau de la grille (critique) et l'interdit."""
    return (ref.niveaux[-1].id, ref.risques_yaml.interdit.id)


@dataclass(frozen=True)
class EtatAvis:
    """Un avis et son état à la date d'évaluation ; `motifs` vide : valide."""

    role: str
    identite: str
    decision: str
    reserves: tuple[str, ...]
    date: dt.date
    jusqu_au: dt.date
    verdict: str  # verdict signé
    signature: str  # statut de la vérification cryptographique
    motifs: tuple[str, ...]  # pourquoi l'avis ne vaut pas, en phrases
    codes: tuple[str, ...]  # les mêmes, en codes stables (rapport JSON)
    reponses_changees: tuple[tuple[str, Optional[int]], ...] = ()  # (réponse, ligne dans le cas)

    @property
    def valide(self) -> bool:
        return not self.codes

    @property
    def phrase(self) -> str:
        """L'avis en une phrase : qui, quand, décision, réserves, verdict signé, puis son état."""
        texte = (f"{LIBELLES.get(self.role, self.role)} {self.identite} : {self.decision}, signé le {self.date.isoformat()} "
                 f"jusqu'au {self.jusqu_au.isoformat()} (verdict « {self.verdict} »)")
        if self.reserves:
            texte += " ; réserves : " + " ; ".join(self.reserves)
        return texte + (" — valide" if self.valide else " — NON VALIDE : " + " ; ".join(self.motifs))

    @property
    def etat(self) -> str:
        """« valide », ou le premier motif."""
        return "valide" if self.valide else self.motifs[0]


@dataclass(frozen=True)
class Validation:
    """La validation conjointe d'un cas : accordée si chaque rôle a un avis et que tous sont valides."""

    fichier: Optional[str]  # fichier des avis lu (None : aucun)
    avis: tuple[EtatAvis, ...]
    roles_manquants: tuple[str, ...]
    verifiable: bool  # un fichier des signataires a été donné
    erreurs: tuple[str, ...] = ()  # fichier des avis invalide (diagnostics positionnés)

    @property
    def accordee(self) -> bool:
        return bool(self.avis) and not self.roles_manquants and not self.erreurs and all(a.valide for a in self.avis)

    @property
    def motifs(self) -> tuple[str, ...]:
        """Pourquoi la validation n'est pas accordée (vide si elle l'est)."""
        if self.accordee:
            return ()
        m = list(self.erreurs)
        m += [f"avis du {LIBELLES.get(r, r)} manquant" for r in self.roles_manquants]
        m += [f"avis du {LIBELLES.get(a.role, a.role)} ({a.identite}) : {a.etat}" for a in self.avis if not a.valide]
        return tuple(m)


_TEXTES_SIGNATURE = {
    SIGNATURE_INVERIFIABLE: "invérifiable : aucun fichier des signataires (--signataires ou IAG_SIGNATAIRES)",
    SIGNATURE_INVALIDE: "signature invalide : l'avis a été modifié après sa signature, ou n'a pas été signé pour ce rôle",
    CLE_INCONNUE: "clé inconnue : elle n'est pas dans le fichier des signataires",
}


def apprecier_avis(avis: "AvisSigne", controle: ControleSignature, document: "Document", verdict: str,
                   ref: "Referentiel", date: dt.date) -> EtatAvis:
    """État d'un avis : signature, réponses, verdict, échéance, verdict signable, décision."""
    motifs: list[str] = []
    codes: list[str] = []
    if controle.statut != SIGNATURE_VALIDE:
        codes.append(controle.statut)
        if controle.statut == AUTRE_ROLE:
            qui = ", ".join(controle.principaux) or "une autre identité"
            motifs.append(f"clé d'un autre rôle ou d'une autre identité : le fichier des signataires la lie à {qui}, "
                          f"pas à {avis.identite} pour l'espace {espace_de_noms(avis.role)}")
        else:
            motifs.append(_TEXTES_SIGNATURE[controle.statut])
    sha, par_cle = empreinte_reponses(document.donnees)
    changees: list[tuple[str, Optional[int]]] = []
    if sha != avis.reponses.sha256:
        codes.append("réponses_changées")
        for cle in sorted(set(par_cle) | set(avis.reponses.par_cle)):
            if par_cle.get(cle) != avis.reponses.par_cle.get(cle):
                pos = document.position((cle,), cle=True)
                changees.append((cle, pos.ligne if pos is not None else None))
        detail = ", ".join(f"« {c} »" + (f" (ligne {ligne})" if ligne else " (supprimée)") for c, ligne in changees)
        motifs.append("réponses changées depuis la signature" + (f" : {detail}" if detail else ""))
    if avis.verdict != verdict:
        codes.append("verdict_changé")
        motifs.append(f"verdict changé : signé « {avis.verdict} », aujourd'hui « {verdict} »")
    if date > avis.jusqu_au:
        codes.append("expiré")
        motifs.append(f"expiré le {avis.jusqu_au.isoformat()} (date d'évaluation {date.isoformat()})")
    if verdict in non_signables(ref) or avis.verdict in non_signables(ref):
        codes.append("verdict_non_signable")
        motifs.append(f"un verdict « {verdict} » ne peut pas être levé par un avis")
    if avis.decision != "favorable":
        codes.append("défavorable")
        reserves = " ; ".join(avis.reserves)
        motifs.append("avis défavorable" + (f" : {reserves}" if reserves else ""))
    return EtatAvis(avis.role, avis.identite, avis.decision, tuple(avis.reserves), avis.date, avis.jusqu_au,
                    avis.verdict, controle.statut, tuple(motifs), tuple(codes), tuple(changees))


def apprecier(fichier: Optional[str], avis: "list[tuple[AvisSigne, ControleSignature]]", document: "Document",
              verdict: str, ref: "Referentiel", date: dt.date, verifiable: bool, erreurs: tuple[str, ...] = ()) -> Validation:
    """La validation conjointe d'un cas à la date d'évaluation."""
    etats = tuple(apprecier_avis(a, c, document, verdict, ref, date) for a, c in avis)
    presents = {e.role for e in etats}
    manquants = tuple(r for r in ROLES if r not in presents)
    return Validation(fichier, etats, manquants, verifiable, erreurs)


def lignes_fiche(fichier: str, document: "Document", verdict: str, ref: "Referentiel",
                 validation: Optional[Validation]) -> tuple[str, ...]:
    """Le bloc `avis` de la fiche de validation (`iag dossier`) : ce qui sera signé, la commande, puis les
    avis déjà signés et leur état (qui, quand, décision, réserves)."""
    sha, _ = empreinte_reponses(document.donnees)
    lignes = [f"Verdict signé : {verdict}",
              f"Empreinte des réponses : {sha}",
              f"Référentiel : version {ref.version}, sha256 {ref.empreinte}"]
    if verdict in non_signables(ref):
        lignes.append(f"Un verdict « {verdict} » ne se signe pas : le cas doit d'abord changer.")
    else:
        lignes.append(f"Pour signer : iag avis signer {fichier} --role dpo|rssi --identite ADRESSE --cle CLE_PRIVEE "
                      "--decision favorable|défavorable [--reserve TEXTE] [--jusqu-au AAAA-MM-JJ]")
    if validation is None or not (validation.avis or validation.erreurs):
        lignes.append("Aucun avis signé pour l'instant.")
        return tuple(lignes)
    lignes.append("Validation conjointe : " + ("accordée" if validation.accordee else "non accordée")
                  + ("" if validation.verifiable else " (signatures non vérifiées : --signataires)"))
    lignes += list(validation.erreurs)
    lignes += [a.phrase for a in validation.avis]
    lignes += [f"{LIBELLES.get(r, r)} : aucun avis" for r in validation.roles_manquants]
    return tuple(lignes)


def resume_registre(validation: Optional[Validation]) -> str:
    """La colonne « validation » du registre public : rôle, date, décision, réserves de chaque avis,
    jamais l'identité du signataire (comme le contact, elle ne se publie pas)."""
    if validation is None or not (validation.avis or validation.erreurs):
        return "aucun avis signé"
    parties = []
    for a in validation.avis:
        texte = f"{LIBELLES.get(a.role, a.role)} {a.decision} le {a.date.isoformat()}"
        if a.reserves:
            texte += " (réserves : " + " ; ".join(a.reserves) + ")"
        if not a.valide:
            texte += f" [non valide : {a.etat}]"
        parties.append(texte)
    parties += [f"{LIBELLES.get(r, r)} : aucun avis" for r in validation.roles_manquants]
    etat = "accordée" if validation.accordee else "non accordée"
    return f"{etat} : " + " ; ".join(parties)
