"""La vue d'un cas évalué, commune aux rapports pour les personnes (texte, Markdown, HTML).

Fonction pure : (résultat d'un fichier, référentiel, seuil) -> sections déjà décidées (quoi montrer,
dans quel ordre, avec quelles étiquettes et quels niveaux). Les rapporteurs ne font que les mettre
en forme et échapper le texte selon leur format ; comme `constats.py` pour les formats de forge.
Les textes restent bruts (tels que lus dans le cas ou le référentiel) : l'échappement est propre à
chaque format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ...modeles.cas_usage import notes_schema
from ...modeles.types import nombre, texte_reponse
from ...moteur.completude import QuestionACompleter, phrase_a_completer, situer_tout

if TYPE_CHECKING:
    from ...es.chargeur import Document
    from ...moteur.avis import Validation
    from ...moteur.lexiques import AlerteTexte
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, RegleDeclenchee, ResultatFichier, RisqueEvalue

ENTETE_CLASSE = "AI Act"
# un risque sans applicabilité ni pondération positive : sa cotation est celle du référentiel
SANS_RAISON = "aucune réponse ne l'a fait monter (cotation de base du référentiel)"

# Listes tronquées dans le texte et le Markdown (le reste est nommé ou compté).
MAX_RECOMMANDATIONS = 8
MAX_MESURES = 6

ETIQUETTES_REGLE = {"interdiction": "INTERDIT", "obligation": "OBLIGATION", "information": "INFO"}
# règle listée sans effet sur le verdict
ETIQUETTES_STATUT = {"à_venir": "À VENIR", "échue": "ÉCHUE", "sans_objet": "SANS OBJET"}


@dataclass(frozen=True)
class LigneRisque:
    """Une rangée du tableau des risques, telle que tous les formats la montrent."""

    id: str
    titre: str
    incertain: bool
    probabilite: tuple[int, int]  # (inhérente, résiduelle)
    gravite: tuple[int, int]
    niveau_initial: str  # identifiants de niveau
    niveau_residuel: str
    a_traiter: bool = False  # au niveau qui demande une action ou au-dessus (`RisqueEvalue.a_traiter`)
    # ce qui a fait naître ou monter le risque, en mots, avec la réponse et sa ligne (voir `raisons_risque`) :
    # pour chaque risque à traiter, et pour tous avec --details ; vide sinon
    raisons: tuple[str, ...] = ()

    @property
    def parce_que(self) -> str:
        """« parce que : raison (réponse, l. 19) ; … » ou "" : la même phrase dans chaque format."""
        return "parce que : " + " ; ".join(self.raisons) if self.raisons else ""

    @property
    def change(self) -> bool:
        """Les mesures changent la cotation (pas seulement le niveau)."""
        return (self.probabilite[0], self.gravite[0]) != (self.probabilite[1], self.gravite[1])


@dataclass(frozen=True)
class LigneRegle:
    """Une règle juridique déclenchée, en mots, telle que tous les formats la montrent."""

    id: str
    nature: str
    etiquette: str  # INTERDIT, OBLIGATION, INFO ; À VENIR, ÉCHUE, SANS OBJET (sans effet sur le verdict)
    en_vigueur: bool
    titre: str
    texte: str
    consequence: str
    statut: str  # « à venir (applicable le …) », « échue (…) », « sans objet : … » ou ""
    note_revue: str  # règle à venir applicable avant la prochaine revue, ou ""
    incertaine: bool


@dataclass(frozen=True)
class LigneMesure:
    """Une mesure suggérée et les risques à traiter du cas qu'elle baisse."""

    id: str
    titre: str
    description: str
    cibles: tuple[str, ...]  # risques à traiter du cas que la mesure baisse


@dataclass(frozen=True)
class LignePrevue:
    """Une mesure prévue du cas (`mesures_prevues`), dans l'ordre du fichier."""

    id: str
    titre: str
    echeance: dt.date
    responsable: Optional[str]
    en_retard: bool  # décidé par l'évaluation (échéance passée à la date d'évaluation)
    etat: str  # « en retard », « dans les délais » ou « non vérifiée » : le même mot dans chaque format

    @property
    def qui(self) -> str:
        """Le responsable, ou « non renseigné » : la même mention dans chaque format."""
        return self.responsable if self.responsable is not None else "non renseigné"


@dataclass(frozen=True)
class LigneContradiction:
    """Réponses qui se contredisent : le message, et chaque réponse à revoir avec sa position."""

    id: str
    message: str
    positions: tuple[tuple[str, int, int], ...]  # (question en mots, ligne, colonne) des réponses douteuses

    @property
    def texte(self) -> str:
        ou = ", ".join(f"{c} (ligne {ligne}, colonne {col})" for c, ligne, col in self.positions)
        return f"réponses contradictoires ({self.id}) : {self.message} ; à revoir : {ou} (comptées comme non répondues)"


@dataclass(frozen=True)
class VueCas:
    """Tout ce qu'un rapport montre d'un cas, décidé une fois pour tous les formats."""

    titre: str
    fichier: str
    service: str
    statut: str
    prochaine_revue: str  # AAAA-MM-JJ, ou « À compléter »
    verdict: str  # identifiant de niveau
    motif: str
    exigences: str
    au_seuil: bool
    inconnues: tuple[str, ...]
    contredites: tuple[tuple[str, str], ...]  # (mesure, raison)
    notes: tuple[tuple[str, str], ...]  # (champ, message) : fichier antérieur au schéma courant
    risques: tuple[LigneRisque, ...]
    limites: tuple[tuple[str, tuple[str, ...]], ...]  # (risque, crédit plafonné ou plancher)
    date: Optional[dt.date]
    regles: tuple[LigneRegle, ...]
    niveau_a_traiter: str
    mesures: tuple[LigneMesure, ...]
    recommandations: tuple[tuple[str, str], ...]  # (id, titre)
    lignes_plan: tuple[str, ...]  # mesures prévues, plan sous le seuil (voir rapports.plan)
    prevues: tuple[LignePrevue, ...] = ()  # détail des mesures prévues (HTML : échéance, responsable)
    # « AI Act : haut risque (annexe III, point 4), obligations applicables le 2 décembre 2027 » : la classe
    # de l'AI Act, montrée à côté du verdict sans mot commun avec lui ; "" si le référentiel n'en déclare pas
    classe_ai_act: str = ""
    # avis signés du DPO et du RSSI : (valide ?, phrase), voir `phrases_validation`
    validation: tuple[tuple[bool, str], ...] = ()
    a_completer: tuple[QuestionACompleter, ...] = ()  # questions sans réponse, situées dans le fichier
    alertes: tuple[str, ...] = ()  # le titre ou la description évoque ce que les réponses nient (phrases situées)
    contradictions: tuple[LigneContradiction, ...] = ()

    @property
    def titre_a_completer(self) -> str:
        """« 3 questions à compléter » (vide si le cas est complet)."""
        return phrase_a_completer(len(self.a_completer)) if self.a_completer else ""


def _statut(d: "RegleDeclenchee") -> str:
    from .constats import statut_regle

    return statut_regle(d)


def vue_cas(r: "ResultatFichier", ref: "Referentiel", seuil: Optional[str], plan: bool | None = True,
            details: bool = False) -> VueCas:
    """La vue d'un cas évalué. `plan` : True, le plan le plus court sous le seuil (coûteux) ;
    False, un renvoi à `iag plan` ; None, aucune des lignes de `lignes_evaluation`. `details` : les
    raisons de chaque risque, pas seulement de ceux à traiter."""
    from ..plan import lignes_evaluation
    from .constats import note_revue, phrase_classe

    ev, cas = r.evaluation, r.cas
    assert ev is not None and cas is not None  # appelée pour un cas évalué
    risques = tuple(
        LigneRisque(e.id, ref.risques[e.id].titre, e.incertain, (e.initial.probabilite, e.residuel.probabilite),
                    (e.initial.gravite, e.residuel.gravite), e.initial.niveau, e.residuel.niveau, e.a_traiter,
                    raisons_risque(e, r.document) if e.a_traiter or details else ())
        for e in ev.risques
    )
    limites = tuple(
        (e.id, textes) for e in ev.risques
        if (textes := tuple(t.texte for t in e.trace if t.genre in ("plafond_credit", "plancher")))
    )
    regles = []
    for d in ev.regles:
        regle = ref.regles[d.id]
        etiquette = ETIQUETTES_REGLE[d.nature] if d.en_vigueur else ETIQUETTES_STATUT[d.statut]
        regles.append(LigneRegle(d.id, d.nature, etiquette, d.en_vigueur, regle.titre, regle.texte, regle.consequence,
                                 _statut(d), note_revue(d, cas), d.incertaine))
    traites = {e.id for e in ev.a_traiter}
    mesures = tuple(
        LigneMesure(m.id, m.titre, m.description, tuple(x.risque for x in m.effets if x.risque in traites))
        for m in (ref.mesures[mid] for mid in ev.mesures_suggerees)
    )
    en_retard = set(ev.prevues_en_retard)
    prevues = tuple(LignePrevue(m.id, ref.mesures[m.id].titre, m.echeance, m.responsable, m.id in en_retard,
                                _etat_prevue(m.id in en_retard, ev.date is not None))
                    for m in cas.mesures_prevues)
    return VueCas(
        titre=cas.titre, fichier=r.fichier, service=cas.service, statut=texte_reponse(cas.statut),
        prochaine_revue=texte_reponse(cas.prochaine_revue and cas.prochaine_revue.isoformat()), verdict=ev.verdict, motif=ev.motif,
        exigences=ref.niveau_par_id[ev.verdict].exigences, au_seuil=bool(r.au_seuil),
        inconnues=tuple(_situer_champ(c, r) for c in ev.reponses_inconnues), contredites=tuple((m.id, m.raison) for m in ev.mesures_contredites),
        notes=tuple((n.champ, n.message) for n in notes_schema(cas)), risques=risques, limites=limites,
        date=ev.date, regles=tuple(regles), niveau_a_traiter=ev.niveau_a_traiter, mesures=mesures,
        recommandations=tuple((x, ref.recommandations[x].titre) for x in ev.recommandations),
        lignes_plan=tuple(lignes_evaluation(r, ref, seuil, plan)) if plan is not None else (),
        prevues=prevues,
        classe_ai_act=f"{ENTETE_CLASSE} : {phrase_classe(ev.classification)}" if ev.classification is not None else "",
        validation=phrases_validation(r.validation, bool(r.au_seuil)) if r.validation is not None else (),
        a_completer=situer_tout(ev.a_completer, r.document),
        contradictions=lignes_contradictions(r),
        alertes=tuple(phrase_alerte(r, a) for a in ev.alertes_texte),
    )


def _situer_champ(chemin: str, r: "ResultatFichier") -> str:
    """« réutilisation pour l'entraînement (l. 20) » : la question en mots et la ligne de sa réponse."""
    from ...moteur.champs import titre_champ
    from .constats import localiser

    ligne, _, trouve = localiser(r.document, [chemin])
    return titre_champ(chemin) + (f" (l.\u00a0{ligne})" if trouve is not None else "")


def _phrase_raison(texte: str) -> str:
    """La raison du référentiel dans une phrase : sans point final, sans majuscule d'ouverture (sauf sigle)."""
    texte = " ".join(texte.split()).rstrip(" .")
    if len(texte) > 1 and texte[0].isupper() and not texte[1].isupper():
        texte = texte[0].lower() + texte[1:]
    return texte


def raisons_risque(e: "RisqueEvalue", document: "Optional[Document]") -> tuple[str, ...]:
    """Les raisons de la trace d'un risque qui l'ont fait naître ou monter (applicabilité, pondérations
    positives), en mots : « raison (question : réponse, l. 19) ». Les réponses sont écrites par leur
    libellé (`champs.libelle_reponse`), les questions par leur titre, la ligne est celle de la réponse
    dans le fichier (`constats.localiser`, comme les constats des forges)."""
    from ...moteur.champs import libelle_reponse, titre_champ
    from .constats import localiser

    raisons: list[str] = []
    for etape in e.trace:
        if etape.genre == "applicabilite":
            texte = "le risque s'applique"
        elif etape.genre == "ponderation" and (etape.probabilite > 0 or etape.gravite > 0):
            texte = _phrase_raison(etape.texte)
        else:
            continue
        reponses = []
        for chemin, valeur in etape.champs:
            if isinstance(valeur, (list, tuple)) and not valeur:
                continue  # liste vide : rien n'y a fait monter le risque
            question = titre_champ(chemin)
            mots = texte_reponse(libelle_reponse(chemin, valeur))
            ligne, _, trouve = localiser(document, [chemin])
            reponses.append(f"{question} : {mots}" + (f", l.\u00a0{ligne}" if trouve is not None else ""))
        if etape.genre == "applicabilite" and reponses:  # toutes les réponses que la condition lit
            reponses[0] = "réponses lues : " + reponses[0]
        raisons.append(f"{texte} ({' et '.join(reponses)})" if reponses else texte)
    return tuple(dict.fromkeys(raisons)) or (SANS_RAISON,)


def phrases_validation(v: "Validation", au_seuil: bool) -> tuple[tuple[bool, str], ...]:
    """La validation conjointe en phrases (valide ?, texte brut) : la même dans chaque format pour les personnes.
    La première dit si elle est accordée, et ce que cela fait à la porte pour un cas au seuil."""
    from ...modeles.avis import LIBELLES

    if v.accordee:
        tete = "Validation conjointe du DPO et du RSSI : accordée" + (" (la porte passe)" if au_seuil else "")
    else:
        tete = "Validation conjointe du DPO et du RSSI : non accordée" + (" (la porte échoue)" if au_seuil else "")
    if v.fichier:
        tete += f" ; avis lus dans {v.fichier}"
    lignes = [(v.accordee, tete)]
    lignes += [(False, e) for e in v.erreurs]
    lignes += [(a.valide, a.phrase) for a in v.avis]
    lignes += [(False, f"{LIBELLES.get(r, r)} : aucun avis (rôle manquant)") for r in v.roles_manquants]
    return tuple(lignes)


def phrase_alerte(r: "ResultatFichier", a: "AlerteTexte") -> str:
    """« Avertissement (description) : … vérifier cette réponse (ligne 30, colonne 1) »."""
    from .constats import localiser

    ligne, colonne, _ = localiser(r.document, [a.champ])
    return f"Avertissement (description) : {a.phrase()} (ligne {ligne}, colonne {colonne})"


def lignes_contradictions(r: "ResultatFichier") -> tuple[LigneContradiction, ...]:
    from ...moteur.champs import titre_champ
    from .constats import localiser

    assert r.evaluation is not None
    lignes = []
    for x in r.evaluation.contradictions:
        positions = []
        for c in x.douteuses:
            ligne, col, _ = localiser(r.document, [c])
            positions.append((titre_champ(c), ligne, col))
        lignes.append(LigneContradiction(x.id, x.message, tuple(positions)))
    return tuple(lignes)


def _etat_prevue(en_retard: bool, date_connue: bool) -> str:
    if en_retard:
        return "EN RETARD (échéance passée)"
    return "dans les délais" if date_connue else "non vérifiée (sans date d'évaluation)"


def fichier_fautif(r: "ResultatFichier") -> tuple[str, tuple[tuple[str, str], ...]]:
    """Un fichier non évalué : son état et ses diagnostics (« ligne L, colonne C : », message)."""
    etat = "fichier illisible" if r.illisible else "fichier invalide"
    return etat, tuple((f"ligne {d.ligne}, colonne {d.colonne} : " if d.ligne is not None else "", d.message) for d in r.diagnostics)


def compte_bilan(bilan: "Bilan", ref: "Referentiel", seuil: Optional[str]) -> list[str]:
    """Les compteurs du bilan, dans l'ordre des niveaux (les nuls omis), texte brut à joindre par « · »."""
    compte = [nombre(bilan.total, "fichier")]
    for n in [*ref.niveaux, ref.risques_yaml.interdit]:
        if bilan.par_verdict.get(n.id):
            compte.append(nombre(bilan.par_verdict[n.id], n.libelle.lower()))
    if bilan.invalides:
        compte.append(nombre(bilan.invalides, "invalide"))
    if bilan.illisibles:
        compte.append(nombre(bilan.illisibles, "illisible"))
    if bilan.incomplets:
        compte.append(nombre(bilan.incomplets, "incomplet"))
    if bilan.ignores:
        compte.append(phrase_ignores(bilan))
    if seuil is not None:
        compte.append(f"{bilan.au_dessus_du_seuil} au-dessus du seuil ({ref.niveau_par_id[seuil].libelle.lower()})")
    if bilan.valides_par_avis:
        compte.append(f"{nombre(bilan.valides_par_avis, 'au seuil validé', 'au seuil validés')} par le DPO et le RSSI")
    return compte


def phrase_ignores(bilan: "Bilan") -> str:
    """« 2 chemins ignorés : notes.txt (sans extension .yaml ou .yml), .brouillon.yaml (caché…) »."""
    return f"{nombre(len(bilan.ignores), 'chemin ignoré')} : " + ", ".join(f"{c} ({raison})" for c, raison in bilan.ignores)
