"""Avis signés du DPO et du RSSI sur un cas d'usage (`iag avis signer`), rangés dans le fichier voisin
du cas, `CAS.avis` (ex. `tri-candidatures-rh.yaml.avis`) : jamais pris pour un cas (ni `.yaml` ni
`.yml`), écrit par iag seulement, relu par le chargeur sûr comme tout YAML.

Tout ce qui est signé est ici, sauf la signature elle-même : `moteur.avis.message` le sérialise de
façon canonique, et c'est ce texte que `ssh-keygen -Y sign` signe.
"""

# Sans `from __future__ import annotations` : annotations évaluées par l'interpréteur (voir cas_usage).
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .types import liste_vide

# Rôles qui valident conjointement un cas au seuil (exigences du niveau `élevé` du référentiel) ;
# chaque rôle a son espace de noms de signature, lié à ses clés par `namespaces=` du fichier des signataires.
Role = Literal["dpo", "rssi"]
Decision = Literal["favorable", "défavorable"]
ROLES = ("dpo", "rssi")
LIBELLES = {"dpo": "DPO", "rssi": "RSSI"}
SUFFIXE = ".avis"  # fichier voisin du cas : « cas.yaml.avis », jamais pris pour un cas (ni .yaml ni .yml)


def espace_de_noms(role: str) -> str:
    """Espace de noms de signature d'un rôle (`namespaces=` du fichier des signataires)."""
    return f"iag-avis-{role}"


def fichier_avis(chemin_cas: str) -> str:
    """Chemin du fichier des avis d'un cas."""
    return chemin_cas + SUFFIXE


# Résultat de la vérification cryptographique (`es.signatures.verifier`), lu par `moteur.avis` :
SIGNATURE_VALIDE = "valide"
SIGNATURE_INVERIFIABLE = "invérifiable"  # aucun fichier des signataires donné
SIGNATURE_INVALIDE = "signature_invalide"  # l'avis a été modifié après signature, ou n'est pas signé pour ce rôle
CLE_INCONNUE = "clé_inconnue"  # la clé n'est pas dans le fichier des signataires
AUTRE_ROLE = "autre_rôle"  # la clé y est, mais pour une autre identité ou un autre rôle


@dataclass(frozen=True)
class ControleSignature:
    """Ce que la vérification d'une signature a établi (`es.signatures.verifier`)."""

    statut: str  # une des constantes ci-dessus
    principaux: tuple[str, ...] = ()  # identités du fichier des signataires liées à la clé (AUTRE_ROLE)


class ReponsesSignees(BaseModel):
    """Empreinte des réponses du cas au moment de la signature."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    sha256: str = Field(pattern="^[0-9a-f]{64}$", description="sha256 du JSON canonique des réponses (sans la clé « avis »).")
    par_cle: dict[str, str] = Field(default_factory=dict, description="Empreinte courte de chaque réponse de premier niveau : "
                                    "dit quelle réponse a changé depuis la signature.")


class ReferentielSigne(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    version: str
    sha256: str = Field(pattern="^[0-9a-f]{64}$")


class AvisSigne(BaseModel):
    """Un avis : qui, quand, quoi, sur quelles réponses, jusqu'à quand ; et sa signature SSH."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    version: int = Field(default=1, ge=1, le=1, description="Version du format de l'avis.")
    role: Role
    identite: str = Field(min_length=1, max_length=320)
    decision: Decision
    reserves: list[str] = Field(default_factory=liste_vide)
    date: dt.date
    jusqu_au: dt.date
    verdict: str = Field(min_length=1)
    reponses: ReponsesSignees
    referentiel: ReferentielSigne
    signature: str = Field(min_length=1, description="Signature SSH (ssh-keygen -Y sign) du message canonique.")


class FichierAvis(BaseModel):
    """Contenu d'un fichier `CAS.avis`."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    cas: str = Field(description="Nom du fichier de cas d'usage signé (pour le lecteur : le lien est l'empreinte des réponses).")
    avis: list[AvisSigne] = Field(default_factory=liste_vide)
