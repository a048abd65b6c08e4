"""Relie chargeur, validation, cotation et rapporteurs ; rend le code de sortie.

Le CLI ne fait que lire ses options et appeler `executer`. Rien ici n'écrit à l'écran :
les rapporteurs s'en chargent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from .chargeur import Document, lire_document, valider
from .erreurs import Diagnostic, ErreurFichier, ErreurLecture
from .evaluation import evaluer
from .modeles.cas_usage import CasUsage
from .referentiel import Referentiel
from .resultat import Evaluation

SORTIE_OK = 0
SORTIE_ECHEC = 1  # un cas au-dessus du seuil, ou un fichier de cas d'usage invalide
SORTIE_USAGE = 2  # usage, chemin illisible, référentiel invalide


@dataclass(frozen=True)
class ResultatFichier:
    fichier: str
    document: Optional[Document] = None
    cas: Optional[CasUsage] = None
    evaluation: Optional[Evaluation] = None
    diagnostics: tuple[Diagnostic, ...] = ()
    illisible: bool = False  # chemin absent ou illisible (code 2), distinct d'un contenu invalide (code 1)


@dataclass
class Bilan:
    """Accumulateur simple : combien de cas par verdict, combien d'invalides."""

    par_verdict: dict[str, int] = field(default_factory=dict)
    invalides: int = 0
    illisibles: int = 0
    au_dessus_du_seuil: int = 0

    @property
    def total(self) -> int:
        return sum(self.par_verdict.values()) + self.invalides + self.illisibles

    def code_sortie(self) -> int:
        if self.illisibles:
            return SORTIE_USAGE
        if self.invalides or self.au_dessus_du_seuil:
            return SORTIE_ECHEC
        return SORTIE_OK


def evaluer_fichier(chemin: str, ref: Referentiel, nom: Optional[str] = None) -> ResultatFichier:
    nom = nom or chemin
    try:
        document = lire_document(chemin, nom)
        cas = valider(document, CasUsage, {"mesures": ref.mesures})
    except ErreurLecture as e:
        return ResultatFichier(nom, diagnostics=tuple(e.diagnostics), illisible=True)
    except ErreurFichier as e:
        return ResultatFichier(nom, diagnostics=tuple(e.diagnostics))
    return ResultatFichier(nom, document, cas, evaluer(cas, ref))


def executer(chemins: Iterable[str], ref: Referentiel, rapporteurs: list, seuil: Optional[str] = None, nom_stdin: Optional[str] = None) -> Bilan:
    """Évalue chaque fichier, le transmet aux rapporteurs au fil de l'eau, rend le bilan."""
    bilan = Bilan()
    rang_seuil = ref.rang[seuil] if seuil is not None else None
    for chemin in chemins:
        resultat = evaluer_fichier(chemin, ref, nom_stdin if chemin == "-" else None)
        if resultat.illisible:
            bilan.illisibles += 1
        elif resultat.evaluation is None:
            bilan.invalides += 1
        else:
            verdict = resultat.evaluation.verdict
            bilan.par_verdict[verdict] = bilan.par_verdict.get(verdict, 0) + 1
            if rang_seuil is not None and ref.rang[verdict] >= rang_seuil:
                bilan.au_dessus_du_seuil += 1
        for r in rapporteurs:
            r.resultat(resultat)
    for r in rapporteurs:
        r.fin(bilan)
    return bilan
