"""Relie chargeur, validation, cotation et rapporteurs ; rend le code de sortie.

Le CLI ne fait que lire ses options et appeler `executer`. Rien ici n'écrit à l'écran :
les rapporteurs s'en chargent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterable, Optional

from .codes import SORTIE_ECHEC, SORTIE_OK, SORTIE_USAGE
from .echappement import echapper
from .erreurs import Diagnostic, ErreurFichier, ErreurLecture
from .es.chargeur import Document, lire_document, valider
from .modeles.cas_usage import CasUsage, doublons_mesures
from .moteur.evaluation import evaluer
from .moteur.referentiel import Referentiel
from .moteur.resultat import Evaluation

if TYPE_CHECKING:
    from .rendus.evaluation import Base


@dataclass(frozen=True)
class ResultatFichier:
    fichier: str
    document: Optional[Document] = None
    cas: Optional[CasUsage] = None
    evaluation: Optional[Evaluation] = None
    diagnostics: tuple[Diagnostic, ...] = ()
    illisible: bool = False  # chemin absent ou illisible (code 2), distinct d'un contenu invalide (code 1)
    # Verdict au seuil ou au-dessus : décidé une fois par `executer`, lu par le bilan et les rapporteurs.
    # None : pas de seuil (« jamais »), ou pas d'évaluation (fichier invalide, simple validation).
    au_seuil: Optional[bool] = None


@dataclass
class Bilan:
    """Accumulateur simple : combien de cas par verdict, combien d'invalides."""

    par_verdict: dict[str, int] = field(default_factory=dict)
    invalides: int = 0
    illisibles: int = 0
    au_dessus_du_seuil: int = 0
    en_retard: int = 0  # cas dont une mesure prévue a dépassé son échéance
    echeances: bool = False  # --echeances : un cas en retard fait échouer (code 1)

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
            if resultat.au_seuil:
                self.au_dessus_du_seuil += 1
            if resultat.evaluation.prevues_en_retard:
                self.en_retard += 1

    def code_sortie(self) -> int:
        if self.illisibles:
            return SORTIE_USAGE
        if self.invalides or self.au_dessus_du_seuil or (self.echeances and self.en_retard):
            return SORTIE_ECHEC
        return SORTIE_OK


AUCUN_YAML = "aucun fichier YAML (*.yaml, *.yml) dans ce dossier"


def nom_affiche(chemin: str, nom_stdin: Optional[str] = None) -> str:
    """Nom d'un chemin dans les messages et les rapports (voir `echappement`)."""
    return echapper((nom_stdin or "<stdin>") if chemin == "-" else chemin)


def lire_cas(chemin: str, ref: Referentiel, nom: Optional[str] = None) -> tuple[Document, CasUsage]:
    """Lit et valide un cas d'usage ; lève ErreurLecture (chemin) ou ErreurFichier (contenu)."""
    document = lire_document(chemin, nom)
    return document, valider_cas(document, ref)


def valider_cas(document: Document, ref: Referentiel) -> CasUsage:
    """Valide un document déjà lu face aux mesures d'un référentiel (`iag referentiel comparer` lit
    une fois et valide sous chaque version) ; lève ErreurFichier."""
    donnees = document.donnees
    if not donnees.keys() & CasUsage.model_fields.keys():
        # Un autre YAML du dépôt (.gitlab-ci.yml…) : un seul message plutôt que vingt clés manquantes.
        premiere = next(iter(donnees))
        raise ErreurFichier([document.erreur(
            "ce fichier ne ressemble pas à un cas d'usage (aucune clé connue, comme « titre » ou « taches ») ; "
            "gabarit : iag nouveau", (premiere,), cle=True)])
    cas = valider(document, CasUsage, {"mesures": ref.mesures})
    doublons = doublons_mesures(cas)
    if doublons:
        raise ErreurFichier([document.erreur(message, chemin) for chemin, message in doublons])
    return cas


def evaluer_fichier(chemin: str, ref: Referentiel, nom: Optional[str] = None, date: Optional[dt.date] = None,
                    coter: bool = True) -> ResultatFichier:
    """Lit, valide et (sauf `coter=False`, pour `iag valider`) évalue un fichier de cas d'usage."""
    nom = nom or chemin
    try:
        document, cas = lire_cas(chemin, ref, nom)
    except ErreurLecture as e:
        return ResultatFichier(nom, diagnostics=tuple(e.diagnostics), illisible=True)
    except ErreurFichier as e:
        return ResultatFichier(nom, diagnostics=tuple(e.diagnostics))
    return ResultatFichier(nom, document, cas, evaluer(cas, ref, date) if coter else None)


def executer(
    chemins: Iterable[tuple[str, bool | str]],
    ref: Referentiel,
    rapporteurs: "list[Base]",
    seuil: Optional[str] = None,
    nom_stdin: Optional[str] = None,
    date: Optional[dt.date] = None,
    coter: bool = True,
    echeances: bool = False,
) -> Bilan:
    """Évalue chaque fichier, le transmet aux rapporteurs au fil de l'eau, rend le bilan.

    `chemins` vient de `chemins.developper` : (chemin, état) ; un dossier sans YAML arrive
    avec l'état False, un dossier illisible avec son message : les deux comptent comme chemin illisible.
    `coter=False` : validation seule (`iag valider`), les résultats n'ont pas d'évaluation.
    """
    bilan = Bilan(echeances=echeances)
    rang_seuil = ref.rang[seuil] if seuil is not None else None
    for chemin, etat in chemins:
        # Le nom est une donnée : échappé une fois ici (octets non UTF-8, contrôles, bidi), il est le
        # même dans tous les rapports et ne peut ni casser leur encodage ni leur faire perdre le lot.
        nom = nom_affiche(chemin, nom_stdin)
        if etat is True:
            resultat = evaluer_fichier(chemin, ref, nom, date, coter)
            if resultat.evaluation is not None and rang_seuil is not None:
                resultat = replace(resultat, au_seuil=ref.rang[resultat.evaluation.verdict] >= rang_seuil)
        else:
            message = AUCUN_YAML if etat is False else str(etat)
            resultat = ResultatFichier(nom, diagnostics=(Diagnostic(nom, None, None, message),), illisible=True)
        bilan.compter(resultat)
        for r in rapporteurs:
            r.resultat(resultat)
    for r in rapporteurs:
        r.fin(bilan)
    return bilan
