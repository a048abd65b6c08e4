"""Schéma des fichiers du référentiel : `risques.yaml` et `recommandations.yaml`.

Les échelles, la grille, les niveaux et leurs exigences, les risques, leurs pondérations, les
mesures et les règles juridiques sont des données ; ce module ne fait que les décrire.
"""

# Sans `from __future__ import annotations` : les annotations des modèles sont évaluées par
# l'interpréteur, au lieu d'être relues comme du texte par pydantic (eval) à chaque import.
import datetime as dt
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .conditions import Condition
from .types import liste_vide, normaliser

# Lettres latines (accents du français compris), chiffres ASCII, « _ », « . », « - » : un « Т1 »
# cyrillique, des chiffres pleine chasse ou une ligature ne peuvent imiter « T1 ». Les écritures
# qui ne diffèrent que par la casse ou les accents sont refusées à part (referentiel.py).
_LETTRE = "A-Za-zÀ-ÖØ-öø-ÿŒœ"
Identifiant = Field(pattern=rf"^[{_LETTRE}][{_LETTRE}0-9_.-]*$", min_length=1, max_length=40)

# Règle juridique sans `applicable_depuis` : dit tel quel par chaque sortie qui montre les dates.
DATE_NON_REVENDIQUEE = "en vigueur, aucune date d'application revendiquée"

# Mot de `--seuil` qui n'est pas un niveau ; un niveau ainsi nommé rendrait le seuil ambigu.
SEUIL_JAMAIS = "jamais"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Strict):
    id: str = Identifiant
    titre: str
    editeur: str
    date: Optional[str] = None
    url: Optional[str] = None


class Palier(_Strict):
    """Un échelon d'une échelle (probabilité ou gravité)."""

    valeur: int = Field(ge=1)
    libelle: str
    description: str


class Echelles(_Strict):
    probabilite: list[Palier] = Field(min_length=2)
    gravite: list[Palier] = Field(min_length=2)
    sources: list[str] = Field(min_length=1)


class Niveau(_Strict):
    id: str = Identifiant
    libelle: str
    # Syntaxe vérifiée par les contrôles croisés (`referentiel.verifier_coherence`), pas ici : la
    # valider importait Rich à chaque chargement, même relu du cache et sans rien afficher.
    couleur: str = Field(description="Couleur Rich (nom ou #rrggbb).")
    exigences: str = Field(description="Ce que ce niveau exige du projet.")

    @field_validator("id")
    @classmethod
    def _pas_un_mot_reserve(cls, valeur: str) -> str:
        if normaliser(valeur) == SEUIL_JAMAIS:
            raise ValueError(f"« {valeur} » est réservé au seuil (--seuil {SEUIL_JAMAIS}) : choisissez un autre identifiant de niveau")
        return valeur


class LigneGrille(_Strict):
    probabilite: int
    niveaux: list[str] = Field(description="Niveau pour chaque gravité, de la plus faible à la plus forte.")


class Categorie(_Strict):
    id: str = Identifiant
    titre: str


class Ponderation(_Strict):
    si: Condition
    probabilite: int = 0
    gravite: int = 0
    raison: str


class References(_Strict):
    owasp_llm: list[str] = Field(default_factory=liste_vide)
    nist_ai_600_1: list[str] = Field(default_factory=liste_vide)
    textes: list[str] = Field(default_factory=liste_vide)
    anssi: list[str] = Field(default_factory=liste_vide)


class Plancher(_Strict):
    """Cotation résiduelle minimale d'un risque : aucune pile de mesures ne descend en dessous."""

    probabilite: int = Field(default=1, ge=1)
    gravite: int = Field(default=1, ge=1)


class Risque(_Strict):
    id: str = Identifiant
    titre: str
    categorie: str
    description: str
    exemples: list[str] = Field(min_length=2)
    probabilite: int
    gravite: int
    s_applique_si: Optional[Condition] = None
    ponderations: list[Ponderation] = Field(default_factory=liste_vide)
    plancher: Optional[Plancher] = Field(default=None, description="Cotation résiduelle minimale, quelles que soient les mesures.")
    attaque: Literal["oui", "non"] = Field(
        default="non",
        description="Menace intentionnelle (injection, empoisonnement) : une mesure détective la révèle sans la rendre "
        "moins probable (`parametres.credit_mesures.par_nature`).",
    )
    references: References = Field(default_factory=References)
    sources: list[str] = Field(min_length=1)


class Effet(_Strict):
    risque: str
    probabilite: int = Field(default=0, le=0)
    gravite: int = Field(default=0, le=0)


class Contradiction(_Strict):
    """Réponses du cas qui démentent une mesure déclarée : elle n'est alors pas créditée."""

    si: Condition
    raison: str


class Mesure(_Strict):
    id: str = Identifiant
    titre: str
    nature: Literal["préventive", "détective", "corrective"] = Field(
        description="préventive : rend le risque moins probable ou moins grave avant qu'il survienne ; "
        "détective (journalisation, surveillance) : le révèle après coup, jamais d'effet sur la gravité ; "
        "corrective : en limite les conséquences."
    )
    description: str
    preuves: list[str] = Field(min_length=1)
    effets: list[Effet] = Field(min_length=1)
    contredite_si: list[Contradiction] = Field(default_factory=liste_vide)
    sources: list[str] = Field(min_length=1)


class ClasseEtablie(_Strict):
    """Classe de l'AI Act qu'établit une règle déclenchée, et sa base (« annexe III, point 4 »)."""

    classe: str = Field(description="Identifiant d'une classe de `classes_ai_act`.")
    base: str = Field(min_length=1, description="Référence courte affichée à côté de la classe.")


class RegleJuridique(_Strict):
    id: str = Identifiant
    titre: str
    texte: str = Field(description="Référence précise : règlement, article, alinéa.")
    nature: Literal["interdiction", "obligation", "information"]
    si: Condition
    consequence: str = Field(description="Ce que la règle impose au projet.")
    niveau_minimum: Optional[str] = Field(default=None, description="Niveau plancher du verdict quand la règle s'applique.")
    applicable_depuis: Optional[dt.date] = Field(
        default=None,
        description="Date d'application de la règle (AAAA-MM-JJ). Absente : aucune date n'est revendiquée faute de "
        "texte primaire qui l'établisse ; la règle est tenue pour en vigueur à toute date.",
    )
    applicable_jusqu_au: Optional[dt.date] = Field(default=None, description="Dernier jour d'application, s'il est fixé.")
    sources: list[str] = Field(min_length=1)
    classe_ai_act: Optional[ClasseEtablie] = Field(
        default=None, description="Classe de l'AI Act que la règle établit quand elle est déclenchée.")
    obligation_de_classe: Optional[str] = Field(
        default=None,
        description="Classe de l'AI Act dont la règle découle sans l'établir (art. 27, 49…) : sans objet quand le cas "
        "relève d'une classe plus haute (une pratique prohibée n'a pas d'obligations de haut risque).",
    )


class Levier(_Strict):
    """Changement de réponse qu'un projet peut réellement faire (héberger dans l'UE, relire chaque
    production…) : une étape possible d'un plan (`iag plan`), à côté des mesures.

    Sur un champ à valeur unique, la réponse passe de l'une des valeurs `de` à `vers` ; sur une
    liste, chaque valeur `de` présente est remplacée par `vers`."""

    id: str = Identifiant
    titre: str
    champ: str = Field(description="Chemin pointé du champ du cas d'usage (ex. : hebergement).")
    de: list[str] = Field(min_length=1, description="Réponses à partir desquelles le levier s'applique.")
    vers: str = Field(description="Réponse après le changement.")
    cout: str = Field(min_length=1, description="Ce que le changement coûte au projet, en mots.")
    sources: list[str] = Field(min_length=1)
class Pertinence(_Strict):
    """Une question n'a d'objet que si `si` est vrai (le contenu du corpus s'il y a un corpus…).
    Sans objet et sans réponse, elle ne compte pas comme à compléter ; sans objet mais répondue,
    c'est une contradiction (`contradictions` n'a pas à la redire). Indéterminée : elle a un objet."""

    champ: str = Field(description="Chemin pointé de la question (ex. : sources_connaissances.contenu).")
    si: Condition


class ContradictionReponses(_Strict):
    """Réponses d'un cas qui ne peuvent être vraies ensemble : les réponses `douteuses` sont alors
    tenues pour non répondues (pire cas) et le cas est incomplet tant qu'elles ne sont pas revues."""

    id: str = Identifiant
    si: Condition
    message: str = Field(min_length=1, description="Ce qui ne va pas ensemble, en une phrase.")
    douteuses: list[str] = Field(min_length=1, description="Questions à revoir (chemins pointés lus par `si`).")


class EntreeLexique(_Strict):
    """Expressions qui révèlent une valeur de réponse (titre et description lus contre les réponses)."""

    champ: str = Field(description="Chemin pointé d'une question à réponses énumérées.")
    valeur: str = Field(description="Valeur de cette question que les expressions révèlent.")
    expressions: list[str] = Field(min_length=1, description="Mots ou tournures, en français (casse, accents et flexions indifférents).")


class Lexiques(_Strict):
    mots_vides: list[str] = Field(default_factory=liste_vide, description="Mots ignorés dans le texte et les expressions.")
    negations: list[str] = Field(default_factory=liste_vide, description="Mots qui, juste avant une expression, l'annulent.")
    entrees: list[EntreeLexique] = Field(min_length=1)


class Demarche(_Strict):
    """Travail juridique à prévoir (AIPD, AIDF, enregistrement, mention) : compté par `iag synthese`
    pour chaque cas où l'une de ses règles est déclenchée (applicable ou à venir)."""

    id: str = Identifiant
    libelle: str
    regles: list[str] = Field(min_length=1, description="Règles juridiques qui rendent la démarche nécessaire.")
    colonne_registre: Optional[Literal["mention_decision", "mention_contenu_genere"]] = Field(
        default=None, description="Colonne du registre public (iag registre) que la démarche renseigne.")


class Nomenclatures(_Strict):
    """Identifiants admis dans les références croisées des risques (vérifiés au chargement)."""

    owasp_llm: list[str] = Field(default_factory=liste_vide)
    nist_ai_600_1: list[str] = Field(default_factory=liste_vide)


class CreditNature(_Strict):
    """Ce qu'une nature de mesure peut baisser : `toujours`, `jamais`, ou `hors_attaques` (pas la probabilité
    d'un risque `attaque: oui`, qu'elle révèle sans l'empêcher)."""

    probabilite: Literal["toujours", "hors_attaques", "jamais"]
    gravite: Literal["toujours", "hors_attaques", "jamais"]


def _par_nature_vide() -> dict[str, CreditNature]:
    return {}


class CreditMesures(_Strict):
    """Borne du crédit des mesures en place, par risque (en paliers d'échelle).

    Par dimension seulement : un plafond cumulé (probabilité + gravité) obligerait à retirer du
    crédit à une dimension quand l'autre en reçoit, et une mesure de plus pourrait alors faire
    monter un risque. Le `plancher` d'un risque complète la borne.
    """

    max_par_dimension: int = Field(ge=0, description="Baisse maximale de la probabilité, et de la gravité, par les mesures.")
    par_nature: dict[str, CreditNature] = Field(
        default_factory=_par_nature_vide,
        description="Par nature de mesure (préventive, détective, corrective) : sur quelle dimension elle peut être "
        "créditée. Vérifié au chargement, effet par effet.",
    )


class Parametres(_Strict):
    niveau_suggestion_mesures: str = Field(description="Niveau résiduel à partir duquel on suggère des mesures.")
    seuil_defaut: Optional[str] = Field(
        default=None,
        description="Niveau à partir duquel `iag evaluer` échoue sans --seuil ni seuil de configuration "
                    "(un niveau ou l'interdit) ; absent : le plus haut des niveaux, hors interdit.",
    )
    credit_mesures: CreditMesures


class ClasseAIAct(_Strict):
    """Une classe de l'AI Act (pratique prohibée, haut risque, transparence, minimal) : un fait juridique,
    distinct du niveau de risque ; son libellé ne partage aucun mot avec ceux des niveaux."""

    id: str = Identifiant
    libelle: str = Field(min_length=1)
    devant_date: str = Field(
        default="obligations applicables",
        description="Mots qui précèdent la date d'application dans les rapports (« obligations applicables le 2 décembre 2027 »).")


class VeilleJuridique(_Strict):
    """Date et base de la dernière vérification du contenu juridique, et sa durée de validité."""

    verifiee_le: dt.date
    base: str = Field(min_length=1, description="Textes (et versions consolidées) sur lesquels porte la vérification.")
    peremption_mois: int = Field(ge=1, description="Au-delà de ce nombre de mois après la vérification, le référentiel est signalé périmé.")


class FichierRisques(_Strict):
    version: str
    titre: str
    avertissement: str
    licence: str
    sources: list[Source] = Field(min_length=1)
    echelles: Echelles
    niveaux: list[Niveau] = Field(min_length=2, description="Du plus faible au plus fort.")
    interdit: Niveau
    grille: list[LigneGrille]
    parametres: Parametres
    veille_juridique: VeilleJuridique
    nomenclatures: Optional[Nomenclatures] = None
    categories: list[Categorie] = Field(min_length=1)
    risques: list[Risque] = Field(min_length=1)
    mesures: list[Mesure] = Field(min_length=1)
    regles_juridiques: list[RegleJuridique] = Field(default_factory=liste_vide)
    classes_ai_act: list[ClasseAIAct] = Field(
        default_factory=liste_vide,
        description="Classes de l'AI Act, de la plus haute à la plus basse ; la dernière vaut sans règle qui en établisse une.")
    classe_a_examiner: Optional[ClasseAIAct] = Field(
        default=None, description="Classe affichée quand des réponses « inconnu » laissent ouverte une classe plus haute.")
    leviers: list[Levier] = Field(default_factory=liste_vide, description="Changements de réponse proposés par `iag plan`.")
    demarches: list[Demarche] = Field(default_factory=liste_vide)
    pertinence: list[Pertinence] = Field(default_factory=liste_vide, description="Questions qui n'ont d'objet que sous condition.")
    contradictions: list[ContradictionReponses] = Field(
        default_factory=liste_vide, description="Réponses qui se contredisent : tenues pour non répondues.")
    lexiques: Optional[Lexiques] = Field(default=None, description="Titre et description lus contre les réponses.")


class Theme(_Strict):
    id: str = Identifiant
    titre: str


class Recommandation(_Strict):
    id: str = Identifiant
    titre: str
    texte: str
    theme: str
    publics: list[str] = Field(min_length=1)
    mots_cles: list[str] = Field(default_factory=liste_vide)
    risques: list[str] = Field(default_factory=liste_vide)
    sources: list[str] = Field(min_length=1)


class FichierRecommandations(_Strict):
    version: str
    publics: list[Theme] = Field(min_length=1)
    themes: list[Theme] = Field(min_length=1)
    recommandations: list[Recommandation] = Field(min_length=1)
