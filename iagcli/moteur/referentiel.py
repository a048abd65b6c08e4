"""Le référentiel chargé : fichiers validés, index et conditions compilées.

`charger(dossier)` lit `risques.yaml` et `recommandations.yaml` (ou l'entrée du cache), les valide,
vérifie toutes les références croisées (`coherence.py`, avec la position de chaque faute) et compile
les conditions une seule fois.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Optional

from ..erreurs import ErreurFichier, ErreurLecture, ErreurReferentiel
from ..es.chargeur import Document, document_de, lire_octets, valider
from ..modeles.referentiel import (
    Effet,
    FichierRecommandations,
    FichierRisques,
    Mesure,
    Niveau,
    Ponderation,
    Recommandation,
    RegleJuridique,
    Risque,
)
from . import conditions as C
from .coherence import verifier_coherence

if TYPE_CHECKING:
    from ..es.cache import Signaler
    from .lexiques import LexiqueCompile

FICHIER_RISQUES = "risques.yaml"
FICHIER_RECOMMANDATIONS = "recommandations.yaml"
TAILLE_MAX_REFERENTIEL = 8 * 1024 * 1024


def dossier_defaut() -> Path:
    """`data/` : dans le paquet installé (roue), sinon à la racine du dépôt (installation éditable)."""
    paquet = Path(__file__).resolve().parent.parent
    installe = paquet / "data"
    return installe if installe.is_dir() else paquet.parent / "data"


# Tuples nommés plutôt que dataclasses figées : même lecture par attribut, création de la classe
# quatre fois moins chère à l'import (le démarrage compte, voir bench/RESULTS.md).
class PonderationCompilee(NamedTuple):
    ponderation: Ponderation
    evaluer: C.Evaluateur
    champs: tuple[str, ...]


class RisqueCompile(NamedTuple):
    risque: Risque
    applicabilite: Optional[C.Evaluateur]
    champs_applicabilite: tuple[str, ...]
    ponderations: tuple[PonderationCompilee, ...]
    mesures: tuple[tuple[Mesure, Effet], ...]  # mesures qui traitent ce risque (dérivé des effets)


class ContradictionCompilee(NamedTuple):
    raison: str
    evaluer: C.Evaluateur
    champs: tuple[str, ...]


class PertinenceCompilee(NamedTuple):
    champ: str
    evaluer: C.Evaluateur
    champs: tuple[str, ...]  # questions dont dépend la pertinence
    description: str  # la condition en français


class ContradictionReponsesCompilee(NamedTuple):
    id: str
    message: str
    evaluer: C.Evaluateur
    champs: tuple[str, ...]
    douteuses: tuple[str, ...]


class RegleCompilee(NamedTuple):
    regle: RegleJuridique
    evaluer: C.Evaluateur
    champs: tuple[str, ...]


@dataclass
class Referentiel:
    """Un référentiel validé : les deux fichiers, leurs index et leurs conditions compilées."""

    dossier: str
    risques_yaml: FichierRisques
    recommandations_yaml: FichierRecommandations
    empreintes: dict[str, str]  # nom de fichier -> sha256
    # Octets lus de chaque fichier (par nom court) : les positions (`documents`) en sont tirées au
    # besoin. Un chargement depuis le cache n'analyse pas le YAML ; `iag referentiel verifier`, ou un
    # rapport qui cite une ligne du référentiel, l'analyse alors, sur les octets mêmes qui ont donné la clé.
    octets: dict[str, bytes] = field(default_factory=dict, repr=False)
    _documents: Optional[dict[str, Document]] = field(default=None, repr=False)
    _lexique: "Optional[LexiqueCompile]" = field(default=None, repr=False)

    @property
    def documents(self) -> dict[str, Document]:
        """Chaque fichier analysé avec ses positions (par nom court), pour citer ligne et colonne."""
        if self._documents is None:
            try:
                self._documents = {
                    nom: document_de(o, str(Path(self.dossier) / nom), TAILLE_MAX_REFERENTIEL) for nom, o in self.octets.items()
                }
            except ErreurFichier as e:  # impossible : ces octets ont été analysés quand l'entrée fut écrite
                raise ErreurReferentiel(e.diagnostics) from None
        return self._documents

    def __post_init__(self) -> None:
        r = self.risques_yaml
        self.niveaux: list[Niveau] = list(r.niveaux)
        self.niveau_par_id = {n.id: n for n in [*r.niveaux, r.interdit]}
        # rang : 0 pour le plus faible ; `interdit` au-dessus de tout
        self.rang = {n.id: i for i, n in enumerate(r.niveaux)}
        self.rang[r.interdit.id] = len(r.niveaux)
        self.p_max = max(p.valeur for p in r.echelles.probabilite)
        self.g_max = max(g.valeur for g in r.echelles.gravite)
        self.grille = {(ligne.probabilite, g + 1): n for ligne in r.grille for g, n in enumerate(ligne.niveaux)}
        self.risques = {x.id: x for x in r.risques}
        self.mesures = {m.id: m for m in r.mesures}
        self.regles = {j.id: j for j in r.regles_juridiques}
        self.demarches = list(r.demarches)
        self.sources = {s.id: s for s in r.sources}
        self.categories = {c.id: c for c in r.categories}
        self.recommandations: dict[str, Recommandation] = {x.id: x for x in self.recommandations_yaml.recommandations}
        self.themes = {t.id: t for t in self.recommandations_yaml.themes}
        self.publics = {p.id: p for p in self.recommandations_yaml.publics}
        traitements: dict[str, list[tuple[Mesure, Effet]]] = {x: [] for x in self.risques}
        for m in r.mesures:
            for e in m.effets:
                traitements[e.risque].append((m, e))
        self.recommandations_par_risque: dict[str, list[str]] = {x: [] for x in self.risques}
        for reco in self.recommandations.values():
            for x in reco.risques:
                self.recommandations_par_risque[x].append(reco.id)
        self.risques_compiles = tuple(
            RisqueCompile(
                risque=x,
                applicabilite=C.compiler(x.s_applique_si) if x.s_applique_si else None,
                champs_applicabilite=tuple(C.champs_de(x.s_applique_si)) if x.s_applique_si else (),
                ponderations=tuple(PonderationCompilee(p, C.compiler(p.si), tuple(C.champs_de(p.si))) for p in x.ponderations),
                mesures=tuple(traitements[x.id]),
            )
            for x in r.risques
        )
        self.compile_par_risque = {rc.risque.id: rc for rc in self.risques_compiles}
        self.regles_compilees = tuple(
            RegleCompilee(j, C.compiler(j.si), tuple(C.champs_de(j.si))) for j in r.regles_juridiques
        )
        self.contradictions: dict[str, tuple[ContradictionCompilee, ...]] = {
            m.id: tuple(ContradictionCompilee(c.raison, C.compiler(c.si), tuple(C.champs_de(c.si))) for c in m.contredite_si)
            for m in r.mesures
        }
        self.leviers = {x.id: x for x in r.leviers}
        self.pertinences = tuple(PertinenceCompilee(p.champ, C.compiler(p.si), tuple(C.champs_de(p.si)), C.decrire(p.si)) for p in r.pertinence)
        self.contradictions_reponses = tuple(
            ContradictionReponsesCompilee(x.id, x.message, C.compiler(x.si), tuple(C.champs_de(x.si)), tuple(x.douteuses))
            for x in r.contradictions
        )
        # Champs que lit au moins une condition : un levier sur un autre champ ne peut rien changer.
        # Relevés sur les conditions compilées, qui les ont déjà calculés.
        lus: set[str] = set()
        for rc in self.risques_compiles:
            lus.update(rc.champs_applicabilite)
            for pc in rc.ponderations:
                lus.update(pc.champs)
        for rg in self.regles_compilees:
            lus.update(rg.champs)
        for contradictions in self.contradictions.values():
            for cc in contradictions:
                lus.update(cc.champs)
        self.champs_lus = frozenset(lus)
        # Questions qu'une réponse absente rend « à compléter » (issue 20) : celles que lit une condition
        # du référentiel (risques, règles, mesures, pertinence, contradictions). Une question qu'aucune
        # ne lit ne peut ni monter ni baisser un verdict : l'exiger ne serait que du bruit.
        questions = set(lus)
        for p in self.pertinences:
            questions.update((p.champ, *p.champs))
        for xr in self.contradictions_reponses:
            questions.update(xr.champs)
        self.questions_cotees = frozenset(questions)
        self.veille = r.veille_juridique
        self.credit = r.parametres.credit_mesures
        # Décidé ici, une fois : vérifié au chargement (voir `_controler`), jamais un nom de niveau en dur.
        self.seuil_defaut: str = r.parametres.seuil_defaut or r.niveaux[-1].id

    @property
    def lexique(self) -> "Optional[LexiqueCompile]":
        """Le lexique compilé (racines des expressions), au premier usage : il importe le raciniseur."""
        if self.risques_yaml.lexiques is None:
            return None
        if self._lexique is None:
            from .lexiques import compiler

            self._lexique = compiler(self.risques_yaml.lexiques)
        return self._lexique

    @property
    def version(self) -> str:
        return self.risques_yaml.version

    @property
    def empreinte(self) -> str:
        """sha256 d'épinglage (`--referentiel-sha256`) : celui des deux lignes « <sha256>  <nom> » de
        risques.yaml puis recommandations.yaml, soit, dans le dossier du référentiel :
        `sha256sum risques.yaml recommandations.yaml | sha256sum`."""
        par_nom = {Path(nom).name: somme for nom, somme in self.empreintes.items()}
        lignes = "".join(f"{par_nom[nom]}  {nom}\n" for nom in (FICHIER_RISQUES, FICHIER_RECOMMANDATIONS))
        return hashlib.sha256(lignes.encode("ascii")).hexdigest()

    def peremption(self) -> dt.date:
        """Date à partir de laquelle la vérification juridique est périmée (vérification + limite)."""
        v = self.veille
        mois = v.verifiee_le.month - 1 + v.peremption_mois
        annee, mois = v.verifiee_le.year + mois // 12, mois % 12 + 1
        jour = min(v.verifiee_le.day, calendar.monthrange(annee, mois)[1])
        return dt.date(annee, mois, jour)

    def perime_le(self, date: dt.date) -> bool:
        """Vrai si, à cette date, la vérification juridique du référentiel dépasse sa limite."""
        return date > self.peremption()

    def niveau_grille(self, probabilite: int, gravite: int) -> str:
        return self.grille[(probabilite, gravite)]


def charger(dossier: Optional[str | Path] = None, cache: bool = True, signaler: Optional[Signaler] = None,
            evalues: Sequence[str] = ()) -> Referentiel:
    """Charge un référentiel ; toute faute lève ErreurReferentiel (fichier:ligne:colonne).

    Avec `cache` (défaut), un contenu déjà validé pour ces octets et ce code est relu du cache
    (`cache.py`) ; sinon le YAML est analysé, validé, contrôlé, puis mis en cache. `signaler`
    reçoit, s'il est donné, la raison d'une entrée ignorée (pour un mode bavard). `evalues` : les
    chemins que la commande évalue ; un cache situé dessous est ignoré (`cache.dossier`)."""
    base = Path(dossier) if dossier is not None else dossier_defaut()
    chemins = (str(base / FICHIER_RISQUES), str(base / FICHIER_RECOMMANDATIONS))
    try:
        octets_r, octets_c = (lire_octets(c, TAILLE_MAX_REFERENTIEL) for c in chemins)
    except (ErreurFichier, ErreurLecture) as e:
        # Un référentiel absent ou invalide est une erreur de configuration (code 2), pas du cas d'usage.
        raise ErreurReferentiel(e.diagnostics) from None
    sommes = [hashlib.sha256(o).hexdigest() for o in (octets_r, octets_c)]
    empreintes = dict(zip(chemins, sommes, strict=True))
    octets = {FICHIER_RISQUES: octets_r, FICHIER_RECOMMANDATIONS: octets_c}
    cle = None
    if cache:
        from ..es import cache as K

        cle = K.cle(sommes)
        entree = K.lire(cle, signaler, evalues) if cle is not None else None
        if entree is not None:
            return Referentiel(str(base), entree.risques, entree.recommandations, empreintes, octets)
    try:
        doc_r, doc_c = (document_de(o, c, TAILLE_MAX_REFERENTIEL) for o, c in zip((octets_r, octets_c), chemins, strict=True))
        risques = valider(doc_r, FichierRisques)
        recos = valider(doc_c, FichierRecommandations)
    except ErreurFichier as e:
        raise ErreurReferentiel(e.diagnostics) from None
    problemes = verifier_coherence(risques, recos, doc_r, doc_c)
    if problemes:
        raise ErreurReferentiel(problemes)
    ref = Referentiel(str(base), risques, recos, empreintes, octets, {FICHIER_RISQUES: doc_r, FICHIER_RECOMMANDATIONS: doc_c})
    if cle is not None:
        K.ecrire(cle, risques, recos, signaler, evalues)
    return ref
