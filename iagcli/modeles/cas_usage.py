"""Le fichier de cas d'usage : les questions posées à un porteur de projet.

Chaque champ porte une description : elle alimente le schéma JSON, le modèle commenté
(`iag nouveau`) et l'aide. Les énumérations marquées `@ordonnee` vont du moins au plus
risqué ; les conditions `au_moins` / `au_plus` du référentiel s'appuient sur cet ordre.
"""

from __future__ import annotations

import datetime as dt

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .types import Booleen, BooleenOuInconnu, EnumFr, enum_fr, ordonnee, suggestion


class Statut(EnumFr):
    IDEE = "idée"
    EXPERIMENTATION = "expérimentation"
    PRODUCTION = "production"


class Tache(EnumFr):
    REDACTION = "rédaction"
    SYNTHESE = "synthèse"
    TRADUCTION = "traduction"
    RECHERCHE = "recherche"
    CODE = "code"
    MEDIAS = "images_son_vidéo"
    AGENT_CONVERSATIONNEL = "agent_conversationnel"
    AIDE_DECISION = "aide_à_la_décision"
    ACTIONS_AUTOMATIQUES = "actions_automatiques"


class TypeModele(EnumFr):
    OUVERT = "ouvert"
    PROPRIETAIRE = "propriétaire"
    INCONNU = "inconnu"


class Acces(EnumFr):
    GRAND_PUBLIC = "grand_public"
    COMPTE_PROFESSIONNEL = "compte_professionnel"
    API = "api"
    HEBERGE_COLLECTIVITE = "hébergé_collectivité"
    PLATEFORME_ETAT = "plateforme_état"


@ordonnee
class Hebergement(EnumFr):
    COLLECTIVITE = "collectivité"
    UE = "ue"
    HORS_UE = "hors_ue"
    INCONNU = "inconnu"


class CategorieDonnees(EnumFr):
    PUBLIQUES = "publiques"
    INTERNES = "internes"
    CONFIDENTIELLES = "confidentielles"
    PERSONNELLES = "personnelles"
    SENSIBLES = "sensibles"
    PERSONNES_VULNERABLES = "personnes_vulnérables"


@ordonnee
class Volume(EnumFr):
    LIMITE = "limité"
    IMPORTANT = "important"
    GRANDE_ECHELLE = "grande_échelle"
    INCONNU = "inconnu"


@ordonnee
class Destinataires(EnumFr):
    AGENT_SEUL = "agent_seul"
    USAGERS = "usagers"
    PUBLICATION = "publication"


@ordonnee
class TypeDecision(EnumFr):
    AUCUNE = "aucune"
    AIDE = "aide_à_la_décision"
    AUTOMATISEE = "décision_automatisée"


class DomaineDecision(EnumFr):
    AIDES_SOCIALES = "aides_sociales"
    RH = "rh_recrutement"
    EDUCATION = "éducation"
    URGENCES = "urgences"
    SECURITE = "sécurité"
    DEMOCRATIE = "démocratie"
    AUTRE = "autre"


@ordonnee
class RevueHumaine(EnumFr):
    SYSTEMATIQUE = "systématique"
    PONCTUELLE = "ponctuelle"
    AUCUNE = "aucune"


class ContenuSources(EnumFr):
    DOCUMENTS_PUBLICS = "documents_publics"
    DOCUMENTS_INTERNES = "documents_internes"
    DONNEES_PERSONNELLES = "données_personnelles"
    CONTENUS_EXTERNES = "contenus_externes_non_maîtrisés"


class PersonnesConcernees(EnumFr):
    AGENTS = "agents"
    USAGERS = "usagers"
    ELEVES = "élèves"
    GRAND_PUBLIC = "grand_public"


class Fonctionnalite(EnumFr):
    IDENTIFICATION_BIOMETRIQUE = "identification_biométrique"
    CATEGORISATION_BIOMETRIQUE = "catégorisation_biométrique"
    RECONNAISSANCE_EMOTIONS = "reconnaissance_émotions"
    NOTATION_SOCIALE = "notation_sociale"
    PROFILAGE_PREDICTIF = "profilage_prédictif"
    MOISSONNAGE_VISAGES = "moissonnage_visages"
    TECHNIQUES_MANIPULATRICES = "techniques_manipulatrices"


@ordonnee
class NombreUtilisateurs(EnumFr):
    MOINS_DE_10 = "moins_de_10"
    DE_10_A_100 = "10_à_100"
    DE_100_A_1000 = "100_à_1000"
    PLUS_DE_1000 = "plus_de_1000"
    INCONNU = "inconnu"


def _mesure_connue(ident: str, info: ValidationInfo) -> str:
    # Le référentiel est passé en contexte : un identifiant inconnu est une erreur du cas d'usage.
    connues = (info.context or {}).get("mesures")
    if connues is not None and ident not in connues:
        raise PydanticCustomError(
            "mesure_inconnue",
            "mesure « {ident} » absente du référentiel{suggestion}",
            {"ident": ident, "suggestion": suggestion(ident, sorted(connues))},
        )
    return ident


IdMesure = Annotated[str, AfterValidator(_mesure_connue)]


class _Strict(BaseModel):
    # Toute clé inconnue est une erreur (avec la clé la plus proche suggérée).
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Outil(_Strict):
    nom: str = Field(
        title="nom de l'outil", description="Nom de l'outil ou du service (ex. : Copilot, ChatGPT, assistant interne)."
    )
    fournisseur: str = Field(title="fournisseur", description="Éditeur ou fournisseur du service.")
    type_modele: enum_fr(TypeModele) = Field(
        title="type de modèle", description="Modèle à poids ouverts ou propriétaire."
    )


class Donnees(_Strict):
    categories: list[enum_fr(CategorieDonnees)] = Field(
        title="catégories de données",
        min_length=1,
        description="Toutes les catégories de données traitées (saisies, documents fournis, corpus).",
    )
    volume: enum_fr(Volume) = Field(
        title="volume de données", description="Échelle du traitement : limité, important ou à grande échelle."
    )


class Decision(_Strict):
    type: enum_fr(TypeDecision) = Field(
        title="rôle dans les décisions", description="Rôle de l'outil dans les décisions individuelles."
    )
    domaine: enum_fr(DomaineDecision) | None = Field(
        title="domaine des décisions",
        default=None, description="Domaine des décisions, obligatoire si le type n'est pas « aucune »."
    )


class SourcesConnaissances(_Strict):
    utilise: Booleen = Field(
        title="corpus documentaire (RAG)", description="L'outil s'appuie-t-il sur un corpus documentaire (RAG) ?"
    )
    contenu: list[enum_fr(ContenuSources)] = Field(
        title="contenu du corpus",
        default_factory=list, description="Nature des documents du corpus."
    )


class CasUsage(_Strict):
    """Un usage d'IA générative proposé par un service."""

    titre: str = Field(
        title="titre", min_length=1, max_length=200, description="Intitulé court du cas d'usage."
    )
    description: str = Field(
        title="description", min_length=1, description="Ce que fait l'outil, pour qui, pourquoi."
    )
    service: str = Field(title="service porteur", min_length=1, description="Direction ou service porteur.")
    contact: str = Field(title="contact", min_length=1, description="Personne à contacter (nom ou adresse).")
    statut: enum_fr(Statut) = Field(
        title="statut du projet", description="Avancement : idée, expérimentation ou production."
    )
    prochaine_revue: dt.date = Field(
        title="prochaine revue", description="Date de la prochaine revue du cas d'usage (AAAA-MM-JJ)."
    )
    taches: list[enum_fr(Tache)] = Field(
        title="tâches confiées", min_length=1, description="Tâches confiées à l'outil."
    )
    outil: Outil = Field(title="outil utilisé")
    acces: enum_fr(Acces) = Field(title="mode d'accès", description="Mode d'accès à l'outil.")
    hebergement: enum_fr(Hebergement) = Field(
        title="hébergement des données", description="Lieu d'hébergement des données et des traitements."
    )
    reutilisation_entrainement: BooleenOuInconnu = Field(
        title="réutilisation pour l'entraînement",
        description="Le fournisseur peut-il réutiliser les données pour entraîner ses modèles ?"
    )
    donnees: Donnees = Field(title="données traitées")
    destinataires: enum_fr(Destinataires) = Field(
        title="destinataires des productions", description="Public le plus large qui reçoit les productions."
    )
    interaction_directe_usagers: Booleen = Field(
        title="dialogue direct avec les usagers", description="Les usagers dialoguent-ils directement avec l'outil ?"
    )
    decision_individuelle: Decision = Field(title="décisions individuelles")
    revue_humaine: enum_fr(RevueHumaine) = Field(
        title="relecture humaine", description="Relecture humaine des productions avant usage."
    )
    actions_sur_systemes: Booleen = Field(
        title="actions sur les systèmes",
        description="L'outil peut-il agir seul sur des systèmes (envoyer, modifier, supprimer) ?"
    )
    sources_connaissances: SourcesConnaissances = Field(title="corpus documentaire")
    nombre_utilisateurs: enum_fr(NombreUtilisateurs) = Field(
        title="nombre d'utilisateurs", description="Nombre d'agents utilisateurs."
    )
    personnes_concernees: list[enum_fr(PersonnesConcernees)] = Field(
        title="personnes concernées",
        default_factory=list, description="Personnes sur lesquelles portent les données ou les productions."
    )
    fonctionnalites_sensibles: list[enum_fr(Fonctionnalite)] = Field(
        title="fonctionnalités sensibles",
        default_factory=list,
        description="Fonctions biométriques, de reconnaissance des émotions, de notation ou de profilage.",
    )
    mesures_en_place: list[IdMesure] = Field(
        title="mesures en place",
        default_factory=list, description="Identifiants des mesures du référentiel déjà appliquées (ex. : M01)."
    )

    @field_validator("decision_individuelle")
    @classmethod
    def _domaine_requis(cls, d: Decision) -> Decision:
        if d.type != TypeDecision.AUCUNE and d.domaine is None:
            raise PydanticCustomError(
                "domaine_manquant", "le domaine de la décision est obligatoire quand le type n'est pas « aucune »", {}
            )
        return d
