"""`iag dossier` : les documents qu'un verdict exige, préremplis d'après le cas et son évaluation.

Pur : `composer(cas, evaluation, ref, modeles, plan)` rend des données simples (aucun texte mis en
forme, aucune E/S). Ce qui est exigé, et les gabarits, viennent de `documents.yaml` du référentiel
(`charger_modeles`, qui lit par le chargeur, avec positions, et vérifie tout comme le référentiel).
Une valeur que ni le cas ni l'évaluation ne connaissent vaut None : les rapporteurs l'écrivent avec
le marqueur du référentiel (`a_completer`), jamais une valeur inventée.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable, Optional

from pydantic import BaseModel

from ..erreurs import Diagnostic, ErreurFichier, ErreurLecture, ErreurReferentiel
from ..es.chargeur import Document, lire_document, valider
from ..modeles.cas_usage import CasUsage
from ..modeles.documents import Bloc, FichierDocuments, ModeleDocument, Motifs
from ..modeles.types import Chemin, EnumFr
from . import conditions as C
from .champs import libelle_reponse, par_chemin, reponses
from .classification import resume
from .observatoire import COLONNES
from .plan import Plan, phrase_obstacle
from .referentiel import TAILLE_MAX_REFERENTIEL, Referentiel
from .resultat import Evaluation

FICHIER_DOCUMENTS = "documents.yaml"
_EVALUATION = ("verdict", "motif", "date", "verdict_apres_prevues")
_REGLES_COMPTEES = ("applicable", "à_venir")  # une règle échue n'exige plus rien


@dataclass(frozen=True)
class Modeles:
    fichier: FichierDocuments
    document: Document

    @property
    def empreinte(self) -> str:
        """sha256 de documents.yaml (`--documents-sha256`), comme `sha256sum documents.yaml`."""
        return hashlib.sha256(self.document.octets).hexdigest()


@dataclass(frozen=True)
class Raison:
    """Pourquoi un document est exigé : la règle (référence, date, statut) ou le niveau."""

    texte: str
    reference: Optional[str] = None
    depuis: Optional[dt.date] = None
    statut: Optional[str] = None  # règle : « applicable » ou « à_venir »

    def phrase(self, echapper: Callable[[str], str]) -> str:
        """La raison en une phrase, la même dans chaque format ; `echapper` rend inertes le texte et la
        référence, venus des données, dans le format du document (HTML, Markdown)."""
        phrase = echapper(self.texte)
        if self.reference:
            phrase += f" — {echapper(self.reference)}"
        if self.depuis is not None:
            phrase += f" — {'applicable depuis le' if self.statut == 'applicable' else 'applicable le'} {self.depuis.isoformat()}"
        if self.statut == "à_venir":
            phrase += " (à venir)"
        return phrase


@dataclass(frozen=True)
class Ligne:
    libelle: str
    valeur: Optional[str]  # None : à compléter


@dataclass(frozen=True)
class Section:
    titre: str
    texte: Optional[str]
    champs: tuple[Ligne, ...]
    elements: tuple[str, ...]  # lignes calculées d'un bloc (texte brut, à échapper au rendu)


@dataclass(frozen=True)
class DocumentRempli:
    id: str
    titre: str
    fichier: str
    raisons: tuple[Raison, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Dossier:
    titre: str
    verdict: str
    date: Optional[dt.date]
    a_completer: str
    documents: tuple[DocumentRempli, ...]


# --- chargement et vérification -------------------------------------------------------------

def charger_modeles(ref: Referentiel) -> Modeles:
    """Lit `documents.yaml` du dossier du référentiel ; toute faute lève ErreurReferentiel (code 2)."""
    chemin = str(Path(ref.dossier) / FICHIER_DOCUMENTS)
    try:
        doc = lire_document(chemin, taille_max=TAILLE_MAX_REFERENTIEL)
        fichier = valider(doc, FichierDocuments)
    except (ErreurFichier, ErreurLecture) as e:
        raise ErreurReferentiel(e.diagnostics) from None
    fautes = verifier_modeles(fichier, doc, ref)
    if fautes:
        raise ErreurReferentiel(fautes)
    return Modeles(fichier, doc)


def verifier_modeles(f: FichierDocuments, doc: Document, ref: Referentiel) -> list[Diagnostic]:
    """Références (règles, niveaux, catégories), sources des champs, conditions, unicité."""
    fautes: list[Diagnostic] = []

    def motifs(m: Motifs, chemin: Chemin) -> None:
        for i, r in enumerate(m.regles):
            if r not in ref.regles:
                fautes.append(doc.erreur(f"règle juridique « {r} » inconnue du référentiel", chemin + ("regles", i)))
        if m.niveau_minimum is not None and m.niveau_minimum not in ref.rang:
            fautes.append(doc.erreur(f"niveau « {m.niveau_minimum} » inconnu ; niveaux : {', '.join(ref.rang)}",
                                     chemin + ("niveau_minimum",)))
        if m.si is not None:
            for p in C.verifier(m.si.condition):
                fautes.append(doc.erreur(p.message, chemin + ("si", "condition") + p.chemin))
        if m.toujours is None and not m.regles and m.niveau_minimum is None and m.si is None:
            fautes.append(doc.erreur("aucun motif : toujours, regles, niveau_minimum ou si", chemin, cle=True))

    for i, ev in enumerate(f.evenements_redoutes):
        for j, c in enumerate(ev.categories):
            if c not in ref.categories:
                fautes.append(doc.erreur(f"catégorie « {c} » inconnue du référentiel", ("evenements_redoutes", i, "categories", j)))
    vus: dict[str, str] = {}
    for i, d in enumerate(f.documents):
        for cle in (("id", d.id), ("fichier", d.fichier)):
            if f"{cle[0]}:{cle[1]}" in vus:
                fautes.append(doc.erreur(f"{cle[0]} « {cle[1]} » déjà employé", ("documents", i, cle[0])))
            vus[f"{cle[0]}:{cle[1]}"] = d.id
        if d.fichier == "index":
            fautes.append(doc.erreur("« index » est réservé à l'index du dossier", ("documents", i, "fichier")))
        motifs(d.exige_par, ("documents", i, "exige_par"))
        if d.mesure is not None and d.mesure not in ref.mesures:
            fautes.append(doc.erreur(f"mesure « {d.mesure} » inconnue du référentiel", ("documents", i, "mesure")))
        for j, s in enumerate(d.sections):
            ici = ("documents", i, "sections", j)
            if s.visible_si is not None:
                motifs(s.visible_si, ici + ("visible_si",))
            for k, ch in enumerate(s.champs):
                if ch.source is not None and not source_valide(ch.source):
                    fautes.append(doc.erreur(
                        f"source « {ch.source} » inconnue : cas.<champ du cas d'usage> ou "
                        f"evaluation.<{'|'.join(_EVALUATION)}>", ici + ("champs", k, "source")))
    return fautes


def source_valide(source: str) -> bool:
    genre, _, chemin = source.partition(".")
    if genre == "evaluation":
        return chemin in _EVALUATION
    if genre != "cas":
        return False
    champ = par_chemin().get(chemin)
    return champ is not None and champ.sous_modele is None  # une réponse, pas un groupe de réponses (`outil`)



# --- composition (pure) ----------------------------------------------------------------------

def texte_valeur(valeur: object) -> Optional[str]:
    """Réponse du cas en texte ; None si elle est absente ou vide (le champ reste à compléter)."""
    if valeur is None:
        return None
    if isinstance(valeur, EnumFr):
        return valeur.libelle  # la réponse en mots (« Union européenne »), jamais le jeton `ue`
    if isinstance(valeur, Enum):
        return str(valeur.value)
    if isinstance(valeur, (list, tuple)):
        textes = [t for t in (texte_valeur(v) for v in valeur) if t]
        return ", ".join(textes) if textes else None
    if isinstance(valeur, dt.date):
        return valeur.isoformat()
    texte = str(valeur).strip()
    return texte or None


def _lue(valeur: object) -> str:
    """Réponse lue par une règle : une liste vide se lit « aucune », pas « inconnu »."""
    texte = texte_valeur(valeur)
    if texte is not None:
        return texte
    return "aucune" if isinstance(valeur, (list, tuple)) else "non renseignée"


def lire_source(source: Optional[str], cas: CasUsage, ev: Evaluation) -> Optional[str]:
    if source is None:
        return None
    genre, _, chemin = source.partition(".")
    objet: object = ev if genre == "evaluation" else cas
    for attribut in chemin.split("."):
        if objet is None:
            return None
        objet = getattr(objet, attribut)
    if isinstance(objet, BaseModel):
        return None
    return texte_valeur(objet)


def en_mots(texte: str, ref: Referentiel) -> str:
    """Un motif du verdict (« niveau résiduel le plus haut : R12 ») en mots : chaque identifiant de
    risque, de règle ou de mesure suivi de son titre (« R12, Biais et discriminations »)."""
    titres = {x.id: x.titre for x in ref.risques_yaml.risques}
    titres.update({i: r.titre for i, r in ref.regles.items()})
    titres.update({i: m.titre for i, m in ref.mesures.items()})
    return re.sub(r"\b[A-Z]+\d+\b", lambda m: f"« {titres[m[0]]} » ({m[0]})" if m[0] in titres else m[0], texte)


def raisons(m: Motifs, cas: CasUsage, ev: Evaluation, ref: Referentiel) -> tuple[Raison, ...]:
    """Les motifs qui valent pour ce cas (vide : le document, ou la section, ne s'applique pas)."""
    sortie: list[Raison] = []
    if m.toujours is not None:
        sortie.append(Raison(m.toujours))
    for r in ev.regles:
        if r.id in m.regles and r.statut in _REGLES_COMPTEES:
            regle = ref.regles[r.id]
            sortie.append(Raison(f"{r.id} : {regle.titre}", regle.texte, r.applicable_depuis, r.statut))
    if m.niveau_minimum is not None and ref.rang[ev.verdict] >= ref.rang[m.niveau_minimum]:
        sortie.append(Raison(f"niveau « {ev.verdict} » (au moins « {m.niveau_minimum} »)"))
    if m.si is not None and C.compiler(m.si.condition)(reponses(cas)) is True:
        sortie.append(Raison(m.si.raison))
    return tuple(sortie)


def _bloc(bloc: Bloc, d: ModeleDocument, cas: CasUsage, ev: Evaluation, ref: Referentiel,
          modeles: FichierDocuments, plan: Optional[Plan], a_completer: str) -> tuple[str, ...]:
    risques = {x.id: x for x in ref.risques_yaml.risques}
    if bloc is Bloc.EXIGENCES:
        return (ref.niveau_par_id[ev.verdict].exigences,)
    if bloc is Bloc.VERDICT:
        lignes = [f"Verdict : {ref.niveau_par_id[ev.verdict].libelle}", f"Cause : {en_mots(ev.motif, ref)}"]
        if ev.verdict_apres_prevues is not None:
            lignes.append(f"Après les mesures prévues : {ref.niveau_par_id[ev.verdict_apres_prevues].libelle}")
        if ev.classification is not None:  # fait juridique distinct du verdict (issue 21)
            lignes.append(f"AI Act : {resume(ev.classification)}")
        return tuple(lignes)
    if bloc is Bloc.RISQUES:
        return tuple(f"{r.id} {risques[r.id].titre} : {r.initial.niveau} → {r.residuel.niveau}" for r in ev.risques) \
            or ("aucun risque retenu pour ce cas",)
    if bloc is Bloc.MESURES_EN_PLACE:
        contredites = {m.id: m.raison for m in ev.mesures_contredites}
        lignes = []
        for mid in cas.mesures_en_place:
            if mid == d.mesure:  # le document lui-même (l'AIPD) n'est pas une mesure qu'il recense
                continue
            titre = ref.mesures[mid].titre
            lignes.append(f"{mid} {titre} : non créditée, {contredites[mid]}" if mid in contredites else f"{mid} {titre}")
        return tuple(lignes) or ("aucune mesure déclarée en place",)
    if bloc is Bloc.MESURES_PREVUES:
        return tuple(
            f"{p.id} {ref.mesures[p.id].titre} : échéance {p.echeance.isoformat()}, responsable {p.responsable or a_completer}"
            for p in cas.mesures_prevues if p.id != d.mesure
        ) or ("aucune mesure prévue",)
    if bloc is Bloc.PLAN:
        if plan is None:
            return ("aucun plan : le verdict est sous le seuil, ou aucun seuil n'est fixé",)
        libelle = ref.niveau_par_id
        lignes = [f"Cible : {libelle[plan.cible].libelle} ; verdict après le plan : {libelle[plan.niveau_final].libelle}"
                  + ("" if plan.atteint else " (cible hors d'atteinte)")]
        lignes += [f"{i}. {p.genre} {p.id} {p.titre} (verdict ensuite : {libelle[p.verdict].libelle})"
                   for i, p in enumerate(plan.pas, 1)]
        # Même phrase que `iag plan` : une seule explication des obstacles.
        lignes += [phrase_obstacle(o, ref) for o in plan.obstacles]
        return tuple(lignes)
    if bloc is Bloc.REGLES:
        return tuple(
            f"{r.id} {ref.regles[r.id].titre} ({ref.regles[r.id].texte}) : "
            f"{'en vigueur' if r.en_vigueur else r.statut.replace('_', ' ')}"
            + (f" depuis le {r.applicable_depuis.isoformat()}" if r.en_vigueur and r.applicable_depuis
               else f" le {r.applicable_depuis.isoformat()}" if r.applicable_depuis else "")
            for r in ev.regles if r.statut in _REGLES_COMPTEES
        ) or ("aucune règle juridique déclenchée",)
    if bloc is Bloc.DECLENCHEURS:
        lignes = []
        for r in ev.regles:
            if r.id in d.exige_par.regles and r.statut in _REGLES_COMPTEES:
                lues = " ; ".join(f"{C.libelle(ch)} : {_lue(libelle_reponse(ch, v))}" for ch, v in r.champs)
                lignes.append(f"{r.id} {ref.regles[r.id].titre} ({ref.regles[r.id].texte})"
                              + (f" — réponses lues : {lues}" if lues else ""))
        return tuple(lignes)
    # Bloc.EVENEMENTS_REDOUTES : chaque risque du cas sous les événements de sa catégorie
    lignes = []
    for e in modeles.evenements_redoutes:
        lies = [f"{r.id} {risques[r.id].titre} ({r.residuel.niveau})" for r in ev.risques
                if risques[r.id].categorie in e.categories]
        lignes.append(f"{e.titre} : {', '.join(lies) if lies else 'aucun risque du cas'}")
    return tuple(lignes)


def composer(cas: CasUsage, ev: Evaluation, ref: Referentiel, modeles: FichierDocuments,
             plan: Optional[Plan] = None, registre: Optional[dict[str, str]] = None, avis: tuple[str, ...] = ()) -> Dossier:
    """Les documents qui s'appliquent à ce cas à la date de l'évaluation, dans l'ordre du référentiel.

    `avis` : les lignes du bloc `avis` (`moteur.avis.lignes_fiche`).
    `registre` : la ligne d'`iag registre` pour ce cas (`observatoire.ligne_registre`) ; le bloc
    `registre` en reprend les colonnes (`observatoire.COLONNES`), pour qu'une entrée soit la même ici
    et dans le registre public."""
    documents = []
    for d in modeles.documents:
        pourquoi = raisons(d.exige_par, cas, ev, ref)
        if not pourquoi:
            continue
        sections = []
        for s in d.sections:
            if s.visible_si is not None and not raisons(s.visible_si, cas, ev, ref):
                continue
            champs = tuple(Ligne(c.libelle, lire_source(c.source, cas, ev)) for c in s.champs)
            elements: tuple[str, ...] = ()
            if s.bloc is Bloc.AVIS:
                elements = avis
            elif s.bloc is Bloc.REGISTRE:
                champs = tuple(Ligne(c.titre, (registre or {}).get(c.cle) or None) for c in COLONNES) + champs
            else:
                elements = _bloc(s.bloc, d, cas, ev, ref, modeles, plan, modeles.a_completer) if s.bloc else ()
            sections.append(Section(s.titre, s.texte, champs, elements))
        documents.append(DocumentRempli(d.id, d.titre, d.fichier, pourquoi, tuple(sections)))
    return Dossier(cas.titre, ev.verdict, ev.date, modeles.a_completer, tuple(documents))
