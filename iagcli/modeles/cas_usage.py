"""Le fichier de cas d'usage : les questions posées à un porteur de projet.

Chaque champ porte une description : elle alimente le schéma JSON, le modèle commenté
(`iag nouveau`) et l'aide. Les énumérations marquées `@ordonnee` vont du moins au plus
risqué ; les conditions `au_moins` / `au_plus` du référentiel s'appuient sur cet ordre.

Plus de 400 lignes : c'est le questionnaire entier (titres, descriptions, définitions des valeurs),
du texte tenu au plus près des champs qu'il décrit.
"""

# Sans `from __future__ import annotations` : les annotations des modèles sont évaluées par
# l'interpréteur, au lieu d'être relues comme du texte par pydantic (eval) à chaque import.
import datetime as dt
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from .types import (
    Booleen,
    BooleenOuInconnu,
    Chemin,
    EnumFr,
    a_completer,
    decrites,
    libeller,
    liste_vide,
    ordonnee,
    souple,
    suggestion,
)

# Chaque valeur porte sa définition (`@decrites`) : elle apparaît dans `iag schema`
# (`enumDescriptions`), dans le modèle commenté d'`iag nouveau` et dans les éditeurs.
# Version 2 du schéma : valeurs ajoutées pour décrire fidèlement les projets réels, valeurs
# ambiguës scindées (refusées avec la consigne de remplacement), sens précisés.
VERSION_SCHEMA = 2


@decrites({
    "idée": "projet envisagé, rien n'est installé",
    "expérimentation": "essai limité dans le temps et à quelques agents",
    "production": "usage ouvert durablement",
})
class Statut(EnumFr):
    IDEE = "idée"
    EXPERIMENTATION = "expérimentation"
    PRODUCTION = "production"


@decrites({
    "rédaction": "écrire ou reformuler des textes (courriers, notes, articles)",
    "synthèse": "résumer des documents ou des échanges",
    "traduction": "traduire des textes",
    "recherche": "répondre à des questions factuelles (droit, chiffres, références)",
    "code": "écrire ou corriger du code informatique",
    "images_son_vidéo": "générer ou retoucher des images, des voix, des sons ou des vidéos",
    "agent_conversationnel": "dialoguer en direct avec des personnes",
    "analyse_classement": "analyser ou classer : trier, noter, extraire des informations (courriels, "
    "demandes, offres, dossiers)",
    "aide_à_la_décision": "proposer une décision ou un avis sur une personne ou un dossier",
    "actions_automatiques": "agir seul sur des systèmes (envoyer, modifier, supprimer)",
})
class Tache(EnumFr):
    REDACTION = "rédaction"
    SYNTHESE = "synthèse"
    TRADUCTION = "traduction"
    RECHERCHE = "recherche"
    CODE = "code"
    MEDIAS = "images_son_vidéo"
    AGENT_CONVERSATIONNEL = "agent_conversationnel"
    ANALYSE_CLASSEMENT = "analyse_classement"
    AIDE_DECISION = "aide_à_la_décision"
    ACTIONS_AUTOMATIQUES = "actions_automatiques"


@decrites({
    "ouvert": "modèle à poids ouverts, qui peut être hébergé ailleurs",
    "propriétaire": "modèle fermé, accessible seulement chez son éditeur",
    "inconnu": "nature du modèle non connue (compte comme le pire cas)",
})
class TypeModele(EnumFr):
    OUVERT = "ouvert"
    PROPRIETAIRE = "propriétaire"
    INCONNU = "inconnu"


@decrites({
    "grand_public": "compte grand public (gratuit ou individuel), hors de tout contrat de la collectivité",
    "compte_professionnel": "abonnement professionnel souscrit par la collectivité",
    "api": "interface de programmation appelée par une application de la collectivité",
    "hébergé_collectivité": "outil installé sur l'infrastructure de la collectivité",
    "hébergé_organisme_public": "outil installé chez un autre organisme public (université, syndicat mixte, "
    "centre de gestion, groupement de collectivités)",
    "plateforme_état": "plateforme de l'État (ex. : services de la DINUM)",
})
class Acces(EnumFr):
    GRAND_PUBLIC = "grand_public"
    COMPTE_PROFESSIONNEL = "compte_professionnel"
    API = "api"
    HEBERGE_COLLECTIVITE = "hébergé_collectivité"
    HEBERGE_ORGANISME_PUBLIC = "hébergé_organisme_public"
    PLATEFORME_ETAT = "plateforme_état"


@ordonnee
@decrites({
    "collectivité": "serveurs de la collectivité",
    "organisme_public": "infrastructure d'un autre organisme public en France (université, syndicat mixte, État)",
    "ue": "prestataire dans l'Union européenne",
    "hors_ue": "traitement ou stockage hors de l'Union européenne, même en partie",
    "inconnu": "lieu non connu (compte comme le pire cas)",
})
class Hebergement(EnumFr):
    COLLECTIVITE = "collectivité"
    ORGANISME_PUBLIC = "organisme_public"
    UE = "ue"
    HORS_UE = "hors_ue"
    INCONNU = "inconnu"


@decrites({
    "publiques": "informations publiées ou publiables",
    "internes": "documents de travail non publics, sans donnée personnelle",
    "confidentielles": "informations protégées (secret des affaires, offres non attribuées, sécurité)",
    "contacts_professionnels_agents": "seules données personnelles : noms et coordonnées professionnelles "
    "d'agents (signataires, interlocuteurs)",
    "personnelles": "données sur des personnes identifiables, au-delà des coordonnées professionnelles d'agents",
    "hautement_personnelles": "données à caractère hautement personnel sans être de l'article 9 : situation "
    "sociale, financière ou familiale, dettes, localisation, communications privées",
    "sensibles": "catégories particulières de l'article 9 du RGPD : santé, handicap, origine, opinions "
    "politiques, convictions, appartenance syndicale, données génétiques ou biométriques, vie ou "
    "orientation sexuelle",
    "personnes_vulnérables": "données de mineurs, de personnes âgées dépendantes, de personnes en "
    "difficulté sociale ou sous protection",
})
class CategorieDonnees(EnumFr):
    PUBLIQUES = "publiques"
    INTERNES = "internes"
    CONFIDENTIELLES = "confidentielles"
    CONTACTS_AGENTS = "contacts_professionnels_agents"
    PERSONNELLES = "personnelles"
    HAUTEMENT_PERSONNELLES = "hautement_personnelles"
    SENSIBLES = "sensibles"
    PERSONNES_VULNERABLES = "personnes_vulnérables"


@ordonnee
@decrites({
    "limité": "quelques documents ou quelques personnes",
    "important": "des centaines de documents ou de personnes",
    "grande_échelle": "une part notable de la population ou des dossiers de la collectivité",
    "inconnu": "volume non connu (compte comme le pire cas)",
})
class Volume(EnumFr):
    LIMITE = "limité"
    IMPORTANT = "important"
    GRANDE_ECHELLE = "grande_échelle"
    INCONNU = "inconnu"


@ordonnee
@decrites({
    "agent_seul": "les productions restent chez l'agent qui utilise l'outil",
    "usagers": "les productions sont envoyées à des usagers (courrier, courriel, réponse)",
    "publication": "les productions sont publiées (site, magazine, réseaux sociaux, affichage)",
})
class Destinataires(EnumFr):
    AGENT_SEUL = "agent_seul"
    USAGERS = "usagers"
    PUBLICATION = "publication"


@ordonnee
@decrites({
    "aucune": "l'outil n'intervient dans aucune démarche concernant une personne",
    "étape_administrative": "étape d'une procédure qui n'est pas une décision sur la personne "
    "(ex. : relance avant recouvrement, accusé de réception, orientation d'un courrier)",
    "aide_à_la_décision": "l'outil propose ou prépare une décision qu'un agent prend",
    "décision_automatisée": "la décision est prise sur le seul fondement du traitement, sans examen humain",
})
class TypeDecision(EnumFr):
    AUCUNE = "aucune"
    ETAPE = "étape_administrative"
    AIDE = "aide_à_la_décision"
    AUTOMATISEE = "décision_automatisée"


@decrites({
    "aides_sociales": "aides et prestations sociales, accompagnement social ou médico-social",
    "logement_social": "attribution de logements sociaux",
    "rh_recrutement": "recrutement, évaluation, promotion, affectation ou gestion des agents",
    "éducation": "accès à un établissement ou une formation, évaluation ou orientation d'élèves, "
    "surveillance d'examens",
    "urgences": "tri des appels d'urgence, envoi de secours",
    "police_répressive": "aider une autorité répressive (police municipale comprise) à évaluer le risque qu'une "
    "personne soit victime ou commette une infraction, la fiabilité de preuves, ou à profiler dans la détection, "
    "l'enquête ou la poursuite d'infractions pénales (AI Act, annexe III, point 6)",
    "police_administrative": "pouvoirs de police administrative et sanctions non pénales : contraventions de "
    "stationnement, forfaits de post-stationnement, arrêtés de police, tranquillité publique (hors annexe III, "
    "point 6)",
    "sûreté_lieux_événements": "sûreté des bâtiments, des lieux et des manifestations : contrôle d'accès, jauges, "
    "gardiennage (hors annexe III, point 6)",
    "démocratie": "participation citoyenne, consultations, budget participatif (ce n'est pas, à lui seul, "
    "un système destiné à influencer un scrutin)",
    "commande_publique": "analyse ou classement des candidatures et des offres d'un marché public",
    "autre": "autre domaine",
}, retirees={
    "sécurité": "écrire « police_répressive » pour les activités répressives (infractions pénales : annexe III, "
    "point 6), « police_administrative » pour les contraventions de stationnement, forfaits de post-stationnement "
    "et arrêtés de police, ou « sûreté_lieux_événements » pour la sûreté des bâtiments et des manifestations",
})
class DomaineDecision(EnumFr):
    AIDES_SOCIALES = "aides_sociales"
    LOGEMENT_SOCIAL = "logement_social"
    RH = "rh_recrutement"
    EDUCATION = "éducation"
    URGENCES = "urgences"
    POLICE_REPRESSIVE = "police_répressive"
    POLICE_ADMINISTRATIVE = "police_administrative"
    SURETE = "sûreté_lieux_événements"
    DEMOCRATIE = "démocratie"
    COMMANDE_PUBLIQUE = "commande_publique"
    AUTRE = "autre"


@ordonnee
@decrites({
    "systématique": "chaque production est relue par un agent avant usage",
    "ponctuelle": "des productions sont relues par sondage ou selon les cas",
    "aucune": "les productions sont utilisées sans relecture",
})
class RevueHumaine(EnumFr):
    SYSTEMATIQUE = "systématique"
    PONCTUELLE = "ponctuelle"
    AUCUNE = "aucune"


@decrites({
    "documents_publics": "documents publiés par la collectivité",
    "documents_internes": "documents internes validés",
    "données_personnelles": "documents contenant des données personnelles",
    "contenus_externes_non_maîtrisés": "pages web, documents de tiers ou du public non vérifiés",
})
class ContenuSources(EnumFr):
    DOCUMENTS_PUBLICS = "documents_publics"
    DOCUMENTS_INTERNES = "documents_internes"
    DONNEES_PERSONNELLES = "données_personnelles"
    CONTENUS_EXTERNES = "contenus_externes_non_maîtrisés"


@decrites({
    "agents": "agents de la collectivité",
    "usagers": "usagers identifiés d'un service (demandeurs, familles, bénéficiaires)",
    "élèves": "élèves ou étudiants",
    "grand_public": "habitants ou visiteurs non identifiés à l'avance",
})
class PersonnesConcernees(EnumFr):
    AGENTS = "agents"
    USAGERS = "usagers"
    ELEVES = "élèves"
    GRAND_PUBLIC = "grand_public"


@decrites(
    {
        "identification_biométrique": "identifier des personnes à distance par leur visage, leur voix ou leur "
        "démarche, en les comparant à une base (un contre plusieurs)",
        "vérification_biométrique": "vérifier qu'une personne est bien celle qu'elle prétend être (un contre "
        "un : déverrouillage, contrôle d'accès)",
        "catégorisation_biométrique_caractéristiques_protégées": "déduire de données biométriques l'origine, les "
        "opinions politiques, l'appartenance syndicale, les convictions, la vie ou l'orientation sexuelle",
        "catégorisation_biométrique_autres_attributs": "classer des personnes d'après leurs données biométriques "
        "selon d'autres attributs (âge, genre, etc.)",
        "reconnaissance_émotions": "déduire les émotions ou les intentions des personnes",
        "notation_sociale": "noter des personnes d'après leur comportement social ou leur personnalité, la note "
        "entraînant un traitement défavorable sans rapport avec le contexte d'origine ou disproportionné",
        "prédiction_infractions": "évaluer ou prédire le risque qu'une personne commette une infraction pénale, "
        "sur la seule base de son profilage ou de ses traits de personnalité",
        "profilage": "profilage au sens du RGPD (art. 4, 4)) : évaluer des aspects personnels (situation "
        "économique, fiabilité, comportement), par exemple un score de risque de fraude",
        "moissonnage_visages": "collecter sans ciblage des images de visages (Internet, vidéoprotection)",
        "techniques_manipulatrices": "altérer le comportement des personnes par des techniques subliminales, "
        "manipulatrices ou en exploitant leurs vulnérabilités",
        "influence_électorale": "destiné à influencer le résultat d'une élection ou d'un référendum, ou le "
        "comportement de vote des personnes qui y sont exposées",
        "composant_sécurité_infrastructure": "composant de sécurité de la gestion d'une infrastructure critique "
        "(trafic routier, feux, eau, gaz, chauffage, électricité, infrastructure numérique critique)",
        "hypertrucage_personnes_réelles": "images, voix ou vidéos générées représentant des personnes réelles "
        "(le maire, des agents, des habitants)",
        "génération_contenus_intimes_ou_pédopornographiques": "l'outil peut générer des images intimes non "
        "consenties de personnes identifiables (« dénudage ») ou des contenus pédopornographiques (AI Act, art. 5, "
        "§ 1, ba et bb) ; un générateur dont le fournisseur bloque ces générations ne l'est pas",
    },
    retirees={
        "profilage_prédictif": "écrire « prédiction_infractions » pour la prédiction d'infractions pénales "
        "(AI Act art. 5, § 1, d), ou « profilage » pour un profilage au sens du RGPD (score de risque, "
        "évaluation de situation)",
        "catégorisation_biométrique": "écrire « catégorisation_biométrique_caractéristiques_protégées » (origine, "
        "opinions, syndicat, convictions, vie ou orientation sexuelle) ou "
        "« catégorisation_biométrique_autres_attributs » (âge, genre…)",
    },
)
class Fonctionnalite(EnumFr):
    IDENTIFICATION_BIOMETRIQUE = "identification_biométrique"
    VERIFICATION_BIOMETRIQUE = "vérification_biométrique"
    CATEGORISATION_PROTEGEE = "catégorisation_biométrique_caractéristiques_protégées"
    CATEGORISATION_AUTRE = "catégorisation_biométrique_autres_attributs"
    RECONNAISSANCE_EMOTIONS = "reconnaissance_émotions"
    NOTATION_SOCIALE = "notation_sociale"
    PREDICTION_INFRACTIONS = "prédiction_infractions"
    PROFILAGE = "profilage"
    MOISSONNAGE_VISAGES = "moissonnage_visages"
    TECHNIQUES_MANIPULATRICES = "techniques_manipulatrices"
    INFLUENCE_ELECTORALE = "influence_électorale"
    COMPOSANT_SECURITE = "composant_sécurité_infrastructure"
    HYPERTRUCAGE = "hypertrucage_personnes_réelles"
    CONTENUS_INTIMES = "génération_contenus_intimes_ou_pédopornographiques"


@ordonnee
@decrites({
    "moins_de_10": "moins de 10 agents",
    "10_à_100": "de 10 à 100 agents",
    "100_à_1000": "de 100 à 1 000 agents",
    "plus_de_1000": "plus de 1 000 agents",
    "inconnu": "nombre non connu (compte comme le pire cas)",
})
class NombreUtilisateurs(EnumFr):
    MOINS_DE_10 = "moins_de_10"
    DE_10_A_100 = "10_à_100"
    DE_100_A_1000 = "100_à_1000"
    PLUS_DE_1000 = "plus_de_1000"
    INCONNU = "inconnu"


@ordonnee
@decrites({
    "aucun": "seuls des agents reçoivent les productions ou dialoguent avec l'outil",
    "moins_de_1000": "moins de 1 000 personnes du public par an",
    "1000_à_50000": "de 1 000 à 50 000 personnes du public par an",
    "plus_de_50000": "plus de 50 000 personnes du public par an",
    "inconnu": "nombre non connu (compte comme le pire cas)",
})
class PublicAtteint(EnumFr):
    AUCUN = "aucun"
    MOINS_DE_1000 = "moins_de_1000"
    DE_1000_A_50000 = "1000_à_50000"
    PLUS_DE_50000 = "plus_de_50000"
    INCONNU = "inconnu"


# Libellés humains des réponses (documents du dossier, registre) : seulement ceux dont la valeur sans
# « _ » se lit mal ; les autres s'écrivent ainsi (`EnumFr.libelle`). Tenus ici, à côté des définitions.
libeller(Tache, {
    "images_son_vidéo": "images, son ou vidéo", "analyse_classement": "analyse et classement",
})
libeller(Acces, {
    "grand_public": "compte grand public", "api": "API", "hébergé_collectivité": "hébergé par la collectivité",
    "hébergé_organisme_public": "hébergé par un autre organisme public", "plateforme_état": "plateforme de l'État",
})
libeller(Hebergement, {
    "collectivité": "serveurs de la collectivité", "organisme_public": "autre organisme public en France",
    "ue": "prestataire dans l'Union européenne", "hors_ue": "hors de l'Union européenne (même en partie)",
})
libeller(CategorieDonnees, {
    "publiques": "informations publiques", "internes": "documents internes",
    "confidentielles": "informations confidentielles", "contacts_professionnels_agents": "coordonnées professionnelles d'agents",
    "personnelles": "données personnelles", "hautement_personnelles": "données hautement personnelles",
    "sensibles": "données sensibles (RGPD, art. 9)", "personnes_vulnérables": "données de personnes vulnérables",
})
libeller(Destinataires, {"agent_seul": "l'agent seul", "publication": "publication au public"})
libeller(DomaineDecision, {"rh_recrutement": "ressources humaines et recrutement",
                           "sûreté_lieux_événements": "sûreté des lieux et des événements"})
libeller(ContenuSources, {"données_personnelles": "données personnelles"})
libeller(Fonctionnalite, {
    "catégorisation_biométrique_caractéristiques_protégées": "catégorisation biométrique selon des caractéristiques protégées",
    "catégorisation_biométrique_autres_attributs": "catégorisation biométrique selon d'autres attributs",
    "reconnaissance_émotions": "reconnaissance des émotions", "prédiction_infractions": "prédiction d'infractions",
    "moissonnage_visages": "moissonnage de visages", "composant_sécurité_infrastructure": "composant de sécurité d'une infrastructure critique",
    "hypertrucage_personnes_réelles": "hypertrucage de personnes réelles",
    "génération_contenus_intimes_ou_pédopornographiques": "génération de contenus intimes ou pédopornographiques",
})
libeller(NombreUtilisateurs, {"moins_de_10": "moins de 10", "10_à_100": "10 à 100", "100_à_1000": "100 à 1 000",
                              "plus_de_1000": "plus de 1 000"})
libeller(PublicAtteint, {"moins_de_1000": "moins de 1 000", "1000_à_50000": "1 000 à 50 000", "plus_de_50000": "plus de 50 000"})


def _schema_version(schema: dict[str, Any]) -> None:
    # Un éditeur lit `2` comme un entier ; le chargeur d'iag rend tout scalaire en texte et laisse le
    # modèle le convertir : le schéma JSON accepte les deux écritures.
    schema["type"] = ["integer", "string"]
    schema["pattern"] = f"^[1-{VERSION_SCHEMA}]$"
    schema["examples"] = [VERSION_SCHEMA]


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
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, defer_build=True)
    # defer_build : les sous-modèles sont construits une fois, dans le schéma de CasUsage, à la
    # première validation, plutôt que chacun avec son propre validateur à l'import.


class MesurePrevue(_Strict):
    id: IdMesure = Field(title="mesure", description="Identifiant d'une mesure du référentiel (ex. : M03).")
    echeance: dt.date = Field(title="échéance", description="Date à laquelle la mesure doit être en place (AAAA-MM-JJ).")
    responsable: str | None = Field(
        title="responsable", default=None, min_length=1, description="Personne ou service qui la met en place."
    )


class Outil(_Strict):
    nom: str = Field(
        title="nom de l'outil", description="Nom de l'outil ou du service (ex. : Copilot, ChatGPT, assistant interne)."
    )
    fournisseur: str = Field(title="fournisseur", description="Éditeur ou fournisseur du service.")
    type_modele: Annotated[Optional[Annotated[TypeModele, souple(TypeModele)]], a_completer] = Field(
        title="type de modèle", description="Modèle à poids ouverts ou propriétaire."
    )
    usage_general: Annotated[Optional[Booleen], a_completer] = Field(
        title="outil à usage général",
        default=None,
        description="Outil d'IA à usage général (ChatGPT, Copilot, Le Chat…), non conçu pour la finalité du "
        "projet ? Utilisé pour une finalité à haut risque, il fait de la collectivité son fournisseur.",
    )


class Donnees(_Strict):
    categories: Annotated[Optional[list[Annotated[CategorieDonnees, souple(CategorieDonnees)]]], a_completer] = Field(
        title="catégories de données",
        min_length=1,
        description="Toutes les catégories de données traitées (saisies, documents fournis, corpus).",
    )
    volume: Annotated[Optional[Annotated[Volume, souple(Volume)]], a_completer] = Field(
        title="volume de données", description="Échelle du traitement : limité, important ou à grande échelle."
    )
    sante: Annotated[Optional[BooleenOuInconnu], a_completer] = Field(
        title="données de santé",
        default=None,
        description="Les données comprennent-elles des données de santé, y compris celles recueillies lors d'un "
        "suivi social ou médico-social (code de la santé publique, art. L1111-8) ? Absente, la réponse n'est pas "
        "connue.",
    )


class Decision(_Strict):
    type: Annotated[Optional[Annotated[TypeDecision, souple(TypeDecision)]], a_completer] = Field(
        title="rôle dans les décisions", description="Rôle de l'outil dans les décisions individuelles."
    )
    domaine: Annotated[Optional[Annotated[DomaineDecision, souple(DomaineDecision)]], a_completer] = Field(
        title="domaine des décisions",
        default=None, description="Domaine des décisions, à donner si le type n'est pas « aucune »."
    )


class SourcesConnaissances(_Strict):
    utilise: Annotated[Optional[Booleen], a_completer] = Field(
        title="corpus documentaire (RAG)", description="L'outil s'appuie-t-il sur un corpus documentaire (RAG) ?"
    )
    contenu: Annotated[Optional[list[Annotated[ContenuSources, souple(ContenuSources)]]], a_completer] = Field(
        title="contenu du corpus",
        default=None, description="Nature des documents du corpus (liste vide : aucun)."
    )


class CasUsage(_Strict):
    """Un usage d'IA générative proposé par un service."""

    version_schema: int = Field(
        title="version du schéma",
        default=1,
        ge=1,
        le=VERSION_SCHEMA,
        json_schema_extra=_schema_version,
        description="Version du schéma pour laquelle le fichier est écrit ; absente, elle vaut 1 (fichiers "
        "antérieurs) et les valeurs dont le sens a été précisé sont signalées.",
    )
    titre: str = Field(
        title="titre", min_length=1, max_length=200, description="Intitulé court du cas d'usage."
    )
    description: str = Field(
        title="description", min_length=1, description="Ce que fait l'outil, pour qui, pourquoi."
    )
    service: str = Field(title="service porteur", min_length=1, description="Direction ou service porteur.")
    contact: str = Field(title="contact", min_length=1, description="Personne à contacter (nom ou adresse).")
    statut: Annotated[Optional[Annotated[Statut, souple(Statut)]], a_completer] = Field(
        title="statut du projet", description="Avancement : idée, expérimentation ou production."
    )
    prochaine_revue: Annotated[Optional[dt.date], a_completer] = Field(
        title="prochaine revue", description="Date de la prochaine revue du cas d'usage (AAAA-MM-JJ)."
    )
    taches: Annotated[Optional[list[Annotated[Tache, souple(Tache)]]], a_completer] = Field(
        title="tâches confiées", min_length=1, description="Tâches confiées à l'outil."
    )
    outil: Outil = Field(title="outil utilisé")
    acces: Annotated[Optional[Annotated[Acces, souple(Acces)]], a_completer] = Field(title="mode d'accès", description="Mode d'accès à l'outil.")
    hebergement: Annotated[Optional[Annotated[Hebergement, souple(Hebergement)]], a_completer] = Field(
        title="hébergement des données", description="Lieu d'hébergement des données et des traitements."
    )
    reutilisation_entrainement: Annotated[Optional[BooleenOuInconnu], a_completer] = Field(
        title="réutilisation pour l'entraînement",
        description="Le fournisseur peut-il réutiliser les données pour entraîner ses modèles ?"
    )
    donnees: Donnees = Field(title="données traitées")
    destinataires: Annotated[Optional[Annotated[Destinataires, souple(Destinataires)]], a_completer] = Field(
        title="destinataires des productions", description="Public le plus large qui reçoit les productions."
    )
    interaction_directe_usagers: Annotated[Optional[Booleen], a_completer] = Field(
        title="dialogue direct avec les usagers", description="Les usagers dialoguent-ils directement avec l'outil ?"
    )
    public_atteint: Annotated[Optional[Annotated[PublicAtteint, souple(PublicAtteint)]], a_completer] = Field(
        title="public atteint",
        default=None,
        description="Combien de personnes du public (pas les agents) reçoivent les productions ou dialoguent "
        "avec l'outil ?",
    )
    lit_contenus_externes: Annotated[Optional[BooleenOuInconnu], a_completer] = Field(
        title="lecture de contenus extérieurs",
        default=None,
        description="L'outil lit-il des contenus venus de l'extérieur (courriels reçus, offres, documents déposés "
        "par le public, pages web) ? Ils peuvent porter des instructions cachées.",
    )
    decision_individuelle: Decision = Field(title="décisions individuelles")
    revue_humaine: Annotated[Optional[Annotated[RevueHumaine, souple(RevueHumaine)]], a_completer] = Field(
        title="relecture humaine", description="Relecture humaine des productions avant usage."
    )
    actions_sur_systemes: Annotated[Optional[Booleen], a_completer] = Field(
        title="actions sur les systèmes",
        description="L'outil peut-il agir seul sur des systèmes (envoyer, modifier, supprimer) ?"
    )
    sources_connaissances: SourcesConnaissances = Field(title="corpus documentaire")
    nombre_utilisateurs: Annotated[Optional[Annotated[NombreUtilisateurs, souple(NombreUtilisateurs)]], a_completer] = Field(
        title="nombre d'utilisateurs",
        description="Nombre d'agents utilisateurs (le public se décrit dans « public_atteint »)."
    )
    personnes_concernees: Annotated[Optional[list[Annotated[PersonnesConcernees, souple(PersonnesConcernees)]]], a_completer] = Field(
        title="personnes concernées",
        default=None, description="Personnes sur lesquelles portent les données ou les productions (liste vide : aucune)."
    )
    fonctionnalites_sensibles: Annotated[Optional[list[Annotated[Fonctionnalite, souple(Fonctionnalite)]]], a_completer] = Field(
        title="fonctionnalités sensibles",
        default=None,
        description="Fonctions biométriques, de reconnaissance des émotions, de notation, de profilage, "
        "d'influence électorale, de sécurité d'infrastructure ou d'hypertrucage (liste vide : aucune).",
    )
    identification_temps_reel: Annotated[Optional[BooleenOuInconnu], a_completer] = Field(
        title="identification en temps réel",
        default=None,
        description="Si l'outil identifie des personnes à distance : la comparaison se fait-elle en temps réel "
        "(pendant la captation, sans délai notable) ? AI Act, art. 5, § 1, h). Absente, la réponse n'est pas connue.",
    )
    identification_espace_public: Annotated[Optional[BooleenOuInconnu], a_completer] = Field(
        title="identification dans l'espace public",
        default=None,
        description="Si l'outil identifie des personnes à distance : dans des espaces accessibles au public (voie "
        "publique, place, gare, équipement ouvert) ? AI Act, art. 5, § 1, h). Absente, la réponse n'est pas connue.",
    )
    finalite_repressive: Annotated[Optional[BooleenOuInconnu], a_completer] = Field(
        title="finalité répressive",
        default=None,
        description="L'outil sert-il à prévenir, rechercher, constater ou poursuivre des infractions pénales, ou à "
        "exécuter des sanctions pénales (police municipale comprise) ? Absente, la réponse n'est pas connue.",
    )
    referendum_local: Annotated[Optional[BooleenOuInconnu], a_completer] = Field(
        title="référendum local convoqué",
        default=None,
        description="Un référendum local est-il convoqué (délibération adoptée) sur un sujet dont l'outil parle aux "
        "électeurs ou sur lequel il produit des contenus (CGCT, art. LO1112-9) ? Absente, la réponse n'est pas "
        "connue.",
    )
    periode_electorale: Annotated[Optional[BooleenOuInconnu], a_completer] = Field(
        title="période préélectorale",
        default=None,
        description="Les productions seront-elles diffusées dans les six mois qui précèdent une élection générale "
        "intéressant la collectivité (Code électoral, art. L52-1) ? Absente, la réponse n'est pas connue.",
    )
    mesures_en_place: list[IdMesure] = Field(
        title="mesures en place",
        default_factory=liste_vide, description="Identifiants des mesures du référentiel déjà appliquées (ex. : M01)."
    )
    mesures_prevues: list[MesurePrevue] = Field(
        title="mesures prévues",
        default_factory=liste_vide,
        description="Mesures du référentiel que le projet s'engage à mettre en place, avec leur échéance "
        "(ex. : {id: M03, echeance: 2027-03-01, responsable: \"DSI\"}).",
    )


# --- Fichiers écrits pour une version antérieure du schéma ----------------------------------------
# Une valeur dont le sens a été précisé reste acceptée (le fichier se lit comme avant) ; tant que le
# fichier ne déclare pas `version_schema: 2`, une note dit ce qui a changé et quoi écrire si le sens
# visé était l'autre. Les valeurs scindées, elles, sont refusées (`retirees` de `@decrites`).

SENS_PRECISES: dict[tuple[str, str], str] = {
    ("donnees.categories", "sensibles"): "« sensibles » désigne désormais les seules données de l'article 9 du RGPD "
    "(santé, origine, opinions, convictions…) ; la situation sociale, financière ou familiale s'écrit "
    "« hautement_personnelles »",
    ("fonctionnalites_sensibles", "identification_biométrique"): "« identification_biométrique » désigne désormais "
    "l'identification à distance (un contre plusieurs) ; la vérification d'une identité déclarée (un contre un) "
    "s'écrit « vérification_biométrique »",
    ("fonctionnalites_sensibles", "notation_sociale"): "« notation_sociale » désigne désormais la seule notation "
    "interdite par l'AI Act (traitement préjudiciable sans rapport avec le contexte ou disproportionné) ; un score "
    "de risque (de fraude, par exemple) s'écrit « profilage »",
    ("decision_individuelle.domaine", "démocratie"): "« démocratie » ne suffit plus à faire d'un outil un système à "
    "haut risque (annexe III, point 8 b) ; un outil destiné à influencer un scrutin se déclare avec la "
    "fonctionnalité « influence_électorale »",
}


class NoteSchema(BaseModel):
    """Avertissement (jamais une erreur) sur une valeur d'un fichier antérieur à la version courante."""

    model_config = ConfigDict(frozen=True)
    champ: str  # chemin pointé : "donnees.categories"
    valeur: str
    message: str


def notes_schema(cas: CasUsage) -> tuple[NoteSchema, ...]:
    """Notes de migration d'un cas écrit pour une version antérieure du schéma (vide sinon)."""
    if cas.version_schema >= VERSION_SCHEMA:
        return ()
    notes = []
    for (champ, valeur), message in SENS_PRECISES.items():
        v: Any = cas  # descend le long du chemin pointé : un sous-modèle, puis une énumération ou une liste
        for attribut in champ.split("."):
            v = getattr(v, attribut, None)
        valeurs = v if isinstance(v, list) else [v]
        if any(x is not None and x.value == valeur for x in valeurs):
            notes.append(NoteSchema(champ=champ, valeur=valeur, message=f"{message} (fichier sans « version_schema: "
                                    f"{VERSION_SCHEMA} » : relire cette réponse, puis déclarer la version)"))
    return tuple(notes)


def doublons_mesures(cas: CasUsage) -> list[tuple[Chemin, str]]:
    """(chemin, message) de chaque mesure prévue déjà en place ou prévue deux fois : une mesure est
    soit en place, soit prévue."""
    fautes: list[tuple[Chemin, str]] = []
    vues: set[str] = set()
    en_place = set(cas.mesures_en_place)
    for i, m in enumerate(cas.mesures_prevues):
        if m.id in en_place:
            fautes.append((("mesures_prevues", i, "id"), f"mesure « {m.id} » à la fois en place et prévue : la retirer de l'une des deux listes"))
        elif m.id in vues:
            fautes.append((("mesures_prevues", i, "id"), f"mesure « {m.id} » prévue deux fois"))
        vues.add(m.id)
    return fautes
