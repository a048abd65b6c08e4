"""Résultat d'une évaluation : des données simples, sans texte mis en forme.

Chaque nombre s'explique par la trace : règle déclenchée (avec les champs et valeurs lus),
mesure créditée, bornage à l'échelle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Optional

from ..codes import SORTIE_CAS_INVALIDE, SORTIE_ECHEC, SORTIE_OK, SORTIE_USAGE

if TYPE_CHECKING:
    from ..erreurs import Diagnostic
    from ..es.chargeur import Document
    from ..modeles.cas_usage import CasUsage
    from .avis import Validation
    from .completude import Contradiction
    from .lexiques import AlerteTexte


@dataclass(frozen=True)
class Cotation:
    """Probabilité, gravité et le niveau que la grille leur donne."""

    probabilite: int
    gravite: int
    niveau: str


@dataclass(frozen=True)
class Etape:
    """Une ligne de la trace d'un risque."""

    genre: Literal["base", "applicabilite", "ponderation", "bornage", "mesure", "mesure_contredite", "plafond_credit", "plancher"]
    texte: str  # la raison (YAML) ou une explication
    probabilite: int = 0  # variation appliquée
    gravite: int = 0
    champs: tuple[tuple[str, object], ...] = ()  # (chemin, réponse) lus par la condition
    incertain: bool = False  # déclenchée parce qu'une réponse est « inconnu »
    mesure: Optional[str] = None


@dataclass(frozen=True)
class RisqueEvalue:
    """Un risque applicable au cas : cotations inhérente et résiduelle, et leur trace."""

    id: str
    initial: Cotation  # risque inhérent, après pondérations
    residuel: Cotation  # après les mesures en place
    trace: tuple[Etape, ...]
    mesures_appliquees: tuple[str, ...]  # mesures en place créditées (non contredites)
    champs_determinants: tuple[str, ...]  # réponses qui ont fait naître ou monter ce risque
    # résiduel au moins au niveau `parametres.niveau_suggestion_mesures` : décidé une fois par la
    # cotation, lu par les rapporteurs (mesures suggérées, constats des forges)
    a_traiter: bool = False

    @property
    def incertain(self) -> bool:
        return any(e.incertain for e in self.trace)


@dataclass(frozen=True)
class MesureContredite:
    """Mesure déclarée en place que les réponses du cas démentent : elle n'est pas créditée."""

    id: str
    raison: str
    champs: tuple[tuple[str, object], ...]
    incertaine: bool  # démentie faute de réponse connue (pire cas)


# « sans_objet » : obligation d'une classe de l'AI Act moins haute que celle, en vigueur, du cas (les
# obligations de haut risque d'une pratique prohibée) : listée, sans effet.
STATUTS_REGLE = ("applicable", "à_venir", "échue", "sans_objet")


@dataclass(frozen=True)
class RegleDeclenchee:
    """Une règle juridique que les réponses déclenchent, avec les réponses lues et son statut à la date."""

    id: str
    nature: str
    champs: tuple[tuple[str, object], ...]
    incertaine: bool  # déclenchée faute de réponse connue
    # à la date d'évaluation : « applicable », « à_venir » (listée, sans effet sur le verdict) ou
    # « échue » (listée pour mémoire, sans effet)
    statut: str = "applicable"
    applicable_depuis: Optional[dt.date] = None
    applicable_jusqu_au: Optional[dt.date] = None
    avant_revue: bool = False  # à venir, et applicable au plus tard à la prochaine revue du cas

    @property
    def en_vigueur(self) -> bool:
        return self.statut == "applicable"


@dataclass(frozen=True)
class BaseClasse:
    """Une règle déclenchée qui établit la classe retenue : sa base courte et son texte."""

    regle: str
    base: str  # « annexe III, point 4 »
    texte: str  # la référence complète de la règle


@dataclass(frozen=True)
class ClassificationAIAct:
    """Classe de l'AI Act du cas : un fait juridique, distinct du niveau de risque (verdict).

    Décidée une fois par la cotation (`classification.classer`), d'après les `classe_ai_act` des règles
    déclenchées ; les rapporteurs la lisent."""

    classe: str  # identifiant : une classe de `classes_ai_act`, ou celle de `classe_a_examiner`
    libelle: str
    bases: tuple[BaseClasse, ...] = ()
    # date d'application des obligations de la classe (la plus ancienne des règles qui l'établissent ;
    # None : aucune règle, ou aucune date revendiquée), et leur statut à la date d'évaluation
    applicable_depuis: Optional[dt.date] = None
    statut: Optional[str] = None  # « applicable » ou « à_venir » ; None sans règle
    # classe ouverte par des réponses « inconnu » : la classe établie sans elles, les classes plus hautes
    # possibles, et les réponses à donner
    classe_au_moins: Optional[str] = None
    libelle_au_moins: Optional[str] = None
    classes_possibles: tuple[str, ...] = ()
    libelles_possibles: tuple[str, ...] = ()
    reponses_a_examiner: tuple[str, ...] = ()
    devant_date: str = "obligations applicables"  # mots avant la date (`classes_ai_act[].devant_date`)

    @property
    def ouverte(self) -> bool:
        return bool(self.classes_possibles)


@dataclass(frozen=True)
class Evaluation:
    """Le résultat de la cotation d'un cas : verdict et motif, risques, règles, mesures et constats."""

    verdict: str
    motif: str  # pourquoi ce verdict, en une phrase
    risques: tuple[RisqueEvalue, ...]  # triés du plus grave au moins grave (résiduel)
    regles: tuple[RegleDeclenchee, ...]
    mesures_suggerees: tuple[str, ...]
    recommandations: tuple[str, ...]
    reponses_inconnues: tuple[str, ...]
    date: Optional[dt.date] = None  # date d'évaluation (None : toutes les règles comptent comme applicables)
    mesures_contredites: tuple[MesureContredite, ...] = ()
    # mesures prévues (`mesures_prevues`) : verdict une fois toutes en place (None : aucune prévue),
    # et celles dont l'échéance est passée à la date d'évaluation
    verdict_apres_prevues: Optional[str] = None
    prevues_en_retard: tuple[str, ...] = ()
    # niveau à partir duquel un risque est « à traiter » (`parametres.niveau_suggestion_mesures`)
    niveau_a_traiter: str = ""
    classification: Optional[ClassificationAIAct] = None  # None : référentiel sans classes de l'AI Act
    # questions sans réponse (chemins, dans l'ordre du questionnaire) et réponses qui se contredisent :
    # le verdict est alors le pire cas qu'elles permettent, et le cas est incomplet (la porte échoue)
    a_completer: tuple[str, ...] = ()
    contradictions: tuple["Contradiction", ...] = ()
    # le titre ou la description évoque ce que les réponses nient (lexiques du référentiel)
    alertes_texte: tuple["AlerteTexte", ...] = ()

    @property
    def incomplet(self) -> bool:
        return bool(self.a_completer or self.contradictions)

    @property
    def a_traiter(self) -> tuple[RisqueEvalue, ...]:
        return tuple(e for e in self.risques if e.a_traiter)


@dataclass(frozen=True)
class ResultatFichier:
    """Un fichier lu : son document et son cas validé, son évaluation, ou ses diagnostics."""

    fichier: str
    document: Optional[Document] = None
    cas: Optional[CasUsage] = None
    evaluation: Optional[Evaluation] = None
    diagnostics: tuple[Diagnostic, ...] = ()
    illisible: bool = False  # chemin absent ou illisible (code 2), distinct d'un contenu invalide (code 1)
    # Verdict au seuil ou au-dessus : décidé une fois par `executer`, lu par le bilan et les rapporteurs.
    # None : pas de seuil (« jamais »), ou pas d'évaluation (fichier invalide, simple validation).
    au_seuil: Optional[bool] = None
    # Avis signés du DPO et du RSSI (`moteur.avis`) : appréciés pour un cas au seuil, ou qui en porte.
    validation: Optional[Validation] = None

    @property
    def valide_par_avis(self) -> bool:
        """Au seuil, mais la validation conjointe du DPO et du RSSI est accordée : la porte passe."""
        return bool(self.au_seuil) and self.validation is not None and self.validation.accordee

    @property
    def bloque(self) -> bool:
        """Fait échouer la porte : au seuil ou au-dessus, sans validation conjointe valide."""
        return bool(self.au_seuil) and not self.valide_par_avis


@dataclass
class Bilan:
    """Accumulateur simple : combien de cas par verdict, combien d'invalides."""

    par_verdict: dict[str, int] = field(default_factory=dict)
    invalides: int = 0
    illisibles: int = 0
    au_dessus_du_seuil: int = 0  # cas au seuil qui font échouer (sans validation conjointe valide)
    valides_par_avis: int = 0  # cas au seuil que les avis valides du DPO et du RSSI laissent passer
    en_retard: int = 0  # cas dont une mesure prévue a dépassé son échéance
    incomplets: int = 0  # cas dont des questions sont à compléter ou des réponses se contredisent
    alertes_texte: int = 0  # cas dont la description évoque ce que les réponses nient
    alertes_echec: bool = False  # alertes_description_echec : une telle alerte fait échouer (code 1)
    echeances: bool = False  # --echeances : un cas en retard fait échouer (code 1)
    # chemins laissés de côté par le parcours des dossiers, (chemin, raison) : listés par chaque format
    ignores: tuple[tuple[str, str], ...] = ()

    @property
    def total(self) -> int:
        return sum(self.par_verdict.values()) + self.valides + self.invalides + self.illisibles

    valides: int = 0  # validation seule (`iag valider`) : fichiers valides, non évalués

    def compter(self, resultat: ResultatFichier) -> None:
        if resultat.illisible:
            self.illisibles += 1
        elif resultat.cas is None:
            self.invalides += 1
        elif resultat.evaluation is None:
            self.valides += 1
        else:
            verdict = resultat.evaluation.verdict
            self.par_verdict[verdict] = self.par_verdict.get(verdict, 0) + 1
            if resultat.bloque:
                self.au_dessus_du_seuil += 1
            elif resultat.valide_par_avis:
                self.valides_par_avis += 1
            if resultat.evaluation.prevues_en_retard:
                self.en_retard += 1
            if resultat.evaluation.incomplet:
                self.incomplets += 1
            if resultat.evaluation.alertes_texte:
                self.alertes_texte += 1

    def code_sortie(self) -> int:
        """2 un chemin illisible ; sinon 3 un fichier de cas invalide ; sinon 1 un cas au seuil (ou
        en retard avec --echeances) ; sinon 0 (priorité de `codes.pire`)."""
        if self.illisibles:
            return SORTIE_USAGE
        if self.invalides:
            return SORTIE_CAS_INVALIDE
        # un cas incomplet (question à compléter, réponses contradictoires) n'est pas cassé : il ne passe pas encore
        if self.incomplets or self.au_dessus_du_seuil or (self.echeances and self.en_retard) \
                or (self.alertes_echec and self.alertes_texte):
            return SORTIE_ECHEC
        return SORTIE_OK
