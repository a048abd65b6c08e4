"""Observatoire : la vue d'ensemble d'un portefeuille de cas (`iag synthese`) et le registre public
des usages (`iag registre`). Cœur pur : des résultats d'évaluation entrent, des données simples
sortent ; le rendu est fait par les vues (`rendus/observatoire/`), une par format.

Les deux collecteurs ont l'interface d'un rapporteur (`resultat`, `fin`) : ils reçoivent les
résultats du contrôleur (`controleur.executer`), au fil de l'eau, comme `iag evaluer`. Ils ne gardent
que des compteurs et les quelques cas à signaler, jamais les évaluations entières.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Optional

from ..modeles.types import mots_reponse, texte_reponse
from .avis import resume_registre
from .classification import resume

if TYPE_CHECKING:
    from ..erreurs import Diagnostic
    from .referentiel import Referentiel
    from .resultat import Bilan, Evaluation, ResultatFichier


def ajouter_mois(date: dt.date, mois: int) -> dt.date:
    """`date` plus `mois` mois ; le jour est ramené au dernier du mois s'il n'existe pas (31 → 30)."""
    total = date.month - 1 + mois
    annee, mois_0 = date.year + total // 12, total % 12
    jour = min(date.day, calendar.monthrange(annee, mois_0 + 1)[1])
    return dt.date(annee, mois_0 + 1, jour)


@dataclass(frozen=True)
class Invalide:
    fichier: str
    illisible: bool
    diagnostics: tuple["Diagnostic", ...]

    @property
    def messages(self) -> tuple[str, ...]:
        """« ligne:colonne: message », ou le message seul quand il n'a pas de position."""
        return tuple(f"{d.ligne}:{d.colonne}: {d.message}" if d.ligne is not None else d.message for d in self.diagnostics)


@dataclass(frozen=True)
class CasSignale:
    """Un cas cité dans une liste d'attention (revue en retard, échéance)."""

    fichier: str
    titre: str
    service: str
    verdict: str


@dataclass(frozen=True)
class RevueEnRetard:
    cas: CasSignale
    prochaine_revue: dt.date
    jours_de_retard: int


@dataclass(frozen=True)
class MesureEnRetard:
    """Une mesure prévue (`mesures_prevues`) dont l'échéance est passée à la date d'évaluation."""

    cas: CasSignale
    mesure: str  # identifiant de la mesure du référentiel
    titre: str  # titre de la mesure dans le référentiel
    echeance: dt.date
    responsable: Optional[str]
    jours_de_retard: int


@dataclass(frozen=True)
class Echeance:
    """Une règle juridique déclenchée par des cas, qui s'applique dans l'horizon (après la date d'évaluation)."""

    date: dt.date
    regle: str
    cas: tuple[CasSignale, ...]


@dataclass(frozen=True)
class Demarche:
    id: str
    libelle: str
    applicables: int  # cas où l'une des règles de la démarche s'applique à la date d'évaluation
    a_venir: int  # cas où elles sont seulement à venir

    @property
    def total(self) -> int:
        return self.applicables + self.a_venir


@dataclass(frozen=True)
class Synthese:
    date: dt.date
    horizon_mois: int
    fin_horizon: dt.date
    seuil: Optional[str]
    evalues: int
    invalides: tuple[Invalide, ...]
    par_verdict_statut: dict[str, dict[str, int]]  # verdict -> statut -> nombre (verdicts du plus fort au plus faible)
    statuts: tuple[str, ...]
    par_service: dict[str, dict[str, int]]  # service -> verdict -> nombre (services par ordre alphabétique)
    risques_au_seuil: tuple[tuple[str, int], ...]  # (risque, nombre de cas), du plus fréquent au moins fréquent
    carte_inherente: dict[tuple[int, int], int]  # (probabilité, gravité) -> nombre de risques
    carte_residuelle: dict[tuple[int, int], int]
    mesures_suggerees: tuple[tuple[str, int], ...]
    demarches: tuple[Demarche, ...]
    revues_en_retard: tuple[RevueEnRetard, ...]
    echeances: tuple[Echeance, ...]
    # mesures prévues en retard, rangées comme les revues (échéance, fichier, puis mesure)
    mesures_en_retard: tuple[MesureEnRetard, ...] = ()
    # classe de l'AI Act -> (libellé, nombre de cas), dans l'ordre du référentiel, « à examiner » en dernier ;
    # seules les classes présentes
    par_classe: tuple[tuple[str, str, int], ...] = ()

    @property
    def total(self) -> int:
        return self.evalues + len(self.invalides)


def _invalide(r: "ResultatFichier") -> Invalide:
    return Invalide(r.fichier, r.illisible, r.diagnostics)


def _signale(r: "ResultatFichier") -> CasSignale:
    assert r.cas is not None and r.evaluation is not None
    return CasSignale(r.fichier, r.cas.titre, r.cas.service, r.evaluation.verdict)


class CollecteurSynthese:
    """Accumule les résultats d'un lot ; `synthese()` rend la vue d'ensemble à la date d'évaluation.

    `rendre` (facultatif) reçoit la synthèse à la fin du lot : c'est ce qui en fait un rapporteur."""

    def __init__(self, ref: "Referentiel", date: dt.date, horizon_mois: int = 12, seuil: Optional[str] = None,
                 nombre_max: int = 10, rendre: Optional[Callable[[Synthese], None]] = None):
        self.ref, self.date, self.horizon_mois, self.seuil = ref, date, horizon_mois, seuil
        self.fin_horizon = ajouter_mois(date, horizon_mois)
        self.nombre_max = nombre_max
        self.rendre = rendre
        self.evalues = 0
        self.invalides: list[Invalide] = []
        self.verdict_statut: Counter[tuple[str, str]] = Counter()
        self.service_verdict: Counter[tuple[str, str]] = Counter()
        self.risques_au_seuil: Counter[str] = Counter()
        self.inherente: Counter[tuple[int, int]] = Counter()
        self.residuelle: Counter[tuple[int, int]] = Counter()
        self.mesures: Counter[str] = Counter()
        self.demarches_applicables: Counter[str] = Counter()
        self.demarches_a_venir: Counter[str] = Counter()
        self.revues: list[RevueEnRetard] = []
        self.prevues: list[MesureEnRetard] = []
        self.classes: Counter[str] = Counter()
        self.echeances: dict[tuple[dt.date, str], list[CasSignale]] = {}
        # règle -> démarches qu'elle rend nécessaires (référentiel)
        self.demarches_de: dict[str, list[str]] = {}
        for d in ref.demarches:
            for regle in d.regles:
                self.demarches_de.setdefault(regle, []).append(d.id)

    def resultat(self, r: "ResultatFichier") -> None:
        ev, cas = r.evaluation, r.cas
        if ev is None or cas is None:
            self.invalides.append(_invalide(r))
            return
        self.evalues += 1
        self.verdict_statut[(ev.verdict, texte_reponse(cas.statut))] += 1
        self.service_verdict[(cas.service, ev.verdict)] += 1
        if ev.classification is not None:
            self.classes[ev.classification.classe] += 1
        rang = self.ref.rang
        seuil = rang[self.seuil] if self.seuil is not None else None
        vus: set[str] = set()
        for e in ev.risques:
            self.inherente[(e.initial.probabilite, e.initial.gravite)] += 1
            self.residuelle[(e.residuel.probabilite, e.residuel.gravite)] += 1
            if seuil is not None and rang[e.residuel.niveau] >= seuil and e.id not in vus:
                vus.add(e.id)
                self.risques_au_seuil[e.id] += 1
        self.mesures.update(set(ev.mesures_suggerees))
        applicables: set[str] = set()
        a_venir: set[str] = set()
        for j in ev.regles:
            if j.statut == "applicable":
                applicables.update(self.demarches_de.get(j.id, ()))
            elif j.statut == "à_venir":
                a_venir.update(self.demarches_de.get(j.id, ()))
                if j.applicable_depuis is not None and j.applicable_depuis <= self.fin_horizon:
                    self.echeances.setdefault((j.applicable_depuis, j.id), []).append(_signale(r))
        self.demarches_applicables.update(applicables)
        self.demarches_a_venir.update(a_venir - applicables)  # un cas compte une fois par démarche
        if cas.prochaine_revue is not None and cas.prochaine_revue < self.date:
            self.revues.append(RevueEnRetard(_signale(r), cas.prochaine_revue, (self.date - cas.prochaine_revue).days))
        if ev.prevues_en_retard:
            # « En retard » est décidé par l'évaluation (même définition qu'`iag evaluer`) ; le retard se compte
            # à la date d'évaluation, comme celui des revues.
            signale, en_retard, jour = _signale(r), set(ev.prevues_en_retard), ev.date or self.date
            for m in cas.mesures_prevues:
                if m.id in en_retard:
                    self.prevues.append(MesureEnRetard(signale, m.id, self.ref.mesures[m.id].titre, m.echeance,
                                                       m.responsable, (jour - m.echeance).days))

    def synthese(self) -> Synthese:
        ref = self.ref
        verdicts = sorted({v for v, _ in self.verdict_statut}, key=lambda v: -ref.rang[v])
        from ..modeles.cas_usage import Statut

        presents = {s for _, s in self.verdict_statut}
        statuts = tuple(s.value for s in Statut if s.value in presents)  # ordre du cycle de vie : idée -> production
        par_verdict_statut: dict[str, dict[str, int]] = {v: {str(s): self.verdict_statut[(v, s)] for s in statuts} for v in verdicts}
        services = sorted({s for s, _ in self.service_verdict})
        par_service = {s: {v: self.service_verdict[(s, v)] for v in verdicts if self.service_verdict[(s, v)]} for s in services}

        def classer(compteur: Counter[str]) -> tuple[tuple[str, int], ...]:
            # du plus fréquent au moins fréquent ; à égalité, par identifiant (ordre stable d'un lot à l'autre)
            return tuple(sorted(compteur.items(), key=lambda x: (-x[1], x[0]))[: self.nombre_max])

        demarches = tuple(Demarche(d.id, d.libelle, self.demarches_applicables[d.id], self.demarches_a_venir[d.id])
                          for d in ref.demarches)
        revues = tuple(sorted(self.revues, key=lambda x: (x.prochaine_revue, x.cas.fichier)))
        prevues = tuple(sorted(self.prevues, key=lambda x: (x.echeance, x.cas.fichier, x.mesure)))
        echeances = tuple(Echeance(d, regle, tuple(sorted(c, key=lambda x: x.fichier)))
                          for (d, regle), c in sorted(self.echeances.items()))
        fichier = ref.risques_yaml
        classes = [*fichier.classes_ai_act, *([fichier.classe_a_examiner] if fichier.classe_a_examiner else [])]
        par_classe = tuple((c.id, c.libelle, self.classes[c.id]) for c in classes if self.classes[c.id])
        return Synthese(
            date=self.date, horizon_mois=self.horizon_mois, fin_horizon=self.fin_horizon, seuil=self.seuil,
            evalues=self.evalues, invalides=tuple(self.invalides), par_verdict_statut=par_verdict_statut,
            statuts=statuts, par_service=par_service, risques_au_seuil=classer(self.risques_au_seuil),
            carte_inherente=dict(self.inherente), carte_residuelle=dict(self.residuelle),
            mesures_suggerees=classer(self.mesures), demarches=demarches, revues_en_retard=revues, echeances=echeances,
            mesures_en_retard=prevues, par_classe=par_classe,
        )

    def fin(self, bilan: "Bilan") -> None:
        if self.rendre is not None:
            self.rendre(self.synthese())


# --- Registre public ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Colonne:
    cle: str
    titre: str
    definition: str  # ce que dit la colonne, d'où vient la valeur (README, schéma, en-tête HTML)
    etalab: str = ""  # information de la fiche Etalab à laquelle elle répond


# Seuls des champs publiables : jamais le contact (un nom ou une adresse personnelle), ni le nom du fichier.
COLONNES: tuple[Colonne, ...] = (
    Colonne("titre", "Usage", "titre du cas d'usage", "Nom de l'algorithme"),
    Colonne("finalite", "Finalité", "description du cas d'usage : à quoi sert l'outil", "Finalité de l'algorithme"),
    Colonne("service", "Service porteur", "direction ou service porteur (jamais l'agent)", "Direction/service porteur"),
    Colonne("statut", "Statut", "idée, expérimentation ou production"),
    Colonne("taches", "Tâches confiées à l'outil", "tâches déclarées, séparées par « ; »", "Opérations effectuées par l'algorithme"),
    Colonne("outil", "Outil", "nom de l'outil ou du service", "Type d'algorithme"),
    Colonne("fournisseur", "Fournisseur", "éditeur ou fournisseur"),
    Colonne("type_modele", "Type de modèle", "ouvert, propriétaire ou inconnu", "Type d'algorithme"),
    Colonne("acces", "Mode d'accès", "compte grand public, professionnel, API, hébergé…"),
    Colonne("hebergement", "Hébergement", "lieu de traitement des données"),
    Colonne("donnees", "Données traitées", "catégories de données, séparées par « ; »", "Données traitées"),
    Colonne("personnes_concernees", "Personnes concernées", "catégories de personnes, séparées par « ; »",
            "Public concerné par la décision ; portée de la décision"),
    Colonne("decision_individuelle", "Contribution aux décisions individuelles",
            "aucune, étape administrative, aide à la décision ou décision automatisée, avec le domaine",
            "Comment et quand l'algorithme intervient-il dans la prise de décision ? ; niveau d'automatisation"),
    Colonne("revue_humaine", "Relecture humaine", "systématique, ponctuelle ou aucune", "Niveau d'automatisation de la décision"),
    Colonne("mention_decision", "Mention sur les décisions (CRPA L311-3-1)",
            "« requise », « requise à partir du AAAA-MM-JJ » ou « non requise », selon les règles du référentiel"),
    Colonne("mention_contenu_genere", "Information sur les contenus générés (AI Act art. 50)",
            "« requise », « requise à partir du AAAA-MM-JJ » ou « non requise », selon les règles du référentiel"),
    Colonne("verdict", "Niveau de risque évalué", "libellé du verdict d'iag (référentiel)"),
    Colonne("classe_ai_act", "Classe AI Act",
            "classe de l'AI Act établie par les règles du référentiel, avec ses bases et la date d'application de ses "
            "obligations (AAAA-MM-JJ) ; un fait juridique distinct du niveau évalué"),
    Colonne("date_evaluation", "Date d'évaluation", "date à laquelle le droit a été apprécié (AAAA-MM-JJ)",
            "Date de mise à jour des informations"),
    Colonne("prochaine_revue", "Prochaine revue", "date de la prochaine revue prévue (AAAA-MM-JJ)"),
    Colonne("validation", "Validation DPO et RSSI",
            "avis signés (iag avis signer) : accordée ou non, puis pour chaque avis le rôle, la décision, la date et "
            "les réserves (jamais l'identité du signataire) ; « aucun avis signé » sinon"),
)


# Statuts publiés au registre. CRPA L312-1-3 : les administrations publient les règles des principaux
# traitements algorithmiques *utilisés* pour fonder des décisions individuelles ; un projet au stade de
# l'idée n'est pas utilisé (rien n'est installé), il n'est pas publié. Une expérimentation l'est : l'outil
# sert déjà, sur de vrais dossiers.
STATUTS_PUBLIES = ("expérimentation", "production")


def _mention(ref: "Referentiel", ev: "Evaluation", colonne: str) -> str:
    regles = {r for d in ref.demarches if d.colonne_registre == colonne for r in d.regles}
    declenchees = [j for j in ev.regles if j.id in regles and j.statut != "échue"]
    if any(j.statut == "applicable" for j in declenchees):
        return "requise"
    dates = sorted(j.applicable_depuis for j in declenchees if j.applicable_depuis is not None)
    return f"requise à partir du {dates[0].isoformat()}" if dates else "non requise"


def ligne_registre(r: "ResultatFichier", ref: "Referentiel", date: dt.date) -> dict[str, str]:
    """La ligne publiable d'un cas évalué : une valeur texte par colonne de `COLONNES`."""
    cas, ev = r.cas, r.evaluation
    assert cas is not None and ev is not None
    decision = mots_reponse(cas.decision_individuelle.type)
    if cas.decision_individuelle.domaine and decision != "aucune":
        decision = f"{decision} ({mots_reponse(cas.decision_individuelle.domaine)})"
    return {
        "titre": cas.titre,
        "finalite": " ".join(cas.description.split()),
        "service": cas.service,
        "statut": mots_reponse(cas.statut),
        "taches": mots_reponse(cas.taches, " ; "),
        "outil": cas.outil.nom,
        "fournisseur": cas.outil.fournisseur,
        "type_modele": mots_reponse(cas.outil.type_modele),
        "acces": mots_reponse(cas.acces),
        "hebergement": mots_reponse(cas.hebergement),
        "donnees": mots_reponse(cas.donnees.categories, " ; "),
        "personnes_concernees": mots_reponse(cas.personnes_concernees, " ; "),
        "decision_individuelle": decision,
        "revue_humaine": mots_reponse(cas.revue_humaine),
        "mention_decision": _mention(ref, ev, "mention_decision"),
        "mention_contenu_genere": _mention(ref, ev, "mention_contenu_genere"),
        "verdict": ref.niveau_par_id[ev.verdict].libelle,
        "classe_ai_act": resume(ev.classification),
        "date_evaluation": (ev.date or date).isoformat(),
        "prochaine_revue": mots_reponse(cas.prochaine_revue and cas.prochaine_revue.isoformat()),
        "validation": resume_registre(r.validation),
    }


@dataclass
class CollecteurRegistre:
    """Lignes du registre (cas évalués, dans l'ordre de lecture) et fichiers invalides (jamais omis en silence)."""

    ref: "Referentiel"
    date: dt.date
    rendre: Optional[Callable[["CollecteurRegistre"], None]] = None
    lignes: list[dict[str, str]] = field(default_factory=list)
    invalides: list[Invalide] = field(default_factory=list)
    non_publies: list[str] = field(default_factory=list)  # fichiers des projets au stade de l'idée

    def resultat(self, r: "ResultatFichier") -> None:
        if r.evaluation is None or r.cas is None:
            self.invalides.append(_invalide(r))
        elif str(r.cas.statut) not in STATUTS_PUBLIES:
            self.non_publies.append(r.fichier)
        else:
            self.lignes.append(ligne_registre(r, self.ref, self.date))

    def fin(self, bilan: "Bilan") -> None:
        if self.rendre is not None:
            self.rendre(self)
