"""Ce que change une nouvelle version du référentiel : différences par identifiant, puis nouvelle
cotation de propositions sous les deux versions, avec la cause de chaque changement.

Pur : reçoit deux `Referentiel` chargés et des chemins déjà développés ; la lecture des cas passe
par le contrôleur (`controleur.lire_cas`), la cotation par `evaluation.evaluer`. Les causes sont
tirées de la trace de l'évaluation (pondérations déclenchées, mesures créditées, cases de la grille)
croisée avec les éléments modifiés.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from ...codes import SORTIE_CAS_INVALIDE, SORTIE_ECHEC, SORTIE_OK, SORTIE_USAGE
from ..consultation.textes_referentiel import formater_effet
from ..referentiel import Referentiel
from ..resultat import Etape, Evaluation, RisqueEvalue
from .textes import texte_valeur

AJOUT, RETRAIT, MODIFICATION = "ajouté", "retiré", "modifié"

# Sections dont les éléments ont un identifiant : (nom, fichier, accès aux éléments).
_SECTIONS: tuple[tuple[str, Callable[[Referentiel], Sequence[Any]]], ...] = (
    ("sources", lambda r: r.risques_yaml.sources),
    ("niveaux", lambda r: [*r.risques_yaml.niveaux, r.risques_yaml.interdit]),
    ("categories", lambda r: r.risques_yaml.categories),
    ("risques", lambda r: r.risques_yaml.risques),
    ("mesures", lambda r: r.risques_yaml.mesures),
    ("regles_juridiques", lambda r: r.risques_yaml.regles_juridiques),
    ("publics", lambda r: r.recommandations_yaml.publics),
    ("themes", lambda r: r.recommandations_yaml.themes),
    ("recommandations", lambda r: r.recommandations_yaml.recommandations),
)
# Blocs sans identifiant, comparés champ par champ.
_BLOCS: tuple[tuple[str, Callable[[Referentiel], Any]], ...] = (
    ("version", lambda r: r.risques_yaml.version),
    ("echelles", lambda r: r.risques_yaml.echelles),
    ("parametres", lambda r: r.risques_yaml.parametres),
    ("veille_juridique", lambda r: r.risques_yaml.veille_juridique),
)


@dataclass(frozen=True)
class Changement:
    """Un élément ajouté, retiré, ou un champ modifié (avant / après dits en une ligne)."""

    section: str
    id: str
    nature: str  # ajouté, retiré, modifié
    champ: Optional[str] = None
    avant: Optional[str] = None
    apres: Optional[str] = None

    @property
    def cle(self) -> str:
        """Identifiant de la cause : « R01 », « grille P3×G2 », « parametres »."""
        return self.id


def _champs(x: Any) -> list[str]:
    return list(type(x).model_fields)


def differences(ancien: Referentiel, nouveau: Referentiel) -> list[Changement]:
    """Toutes les différences, dans l'ordre des sections puis des identifiants du nouveau."""
    sortie: list[Changement] = []
    for section, acces in _SECTIONS:
        avant = {x.id: x for x in acces(ancien)}
        apres = {x.id: x for x in acces(nouveau)}
        for ident, x in avant.items():
            if ident not in apres:
                sortie.append(Changement(section, ident, RETRAIT, avant=getattr(x, "titre", None) or getattr(x, "libelle", None)))
        for ident, y in apres.items():
            x = avant.get(ident)
            if x is None:
                sortie.append(Changement(section, ident, AJOUT, apres=getattr(y, "titre", None) or getattr(y, "libelle", None)))
                continue
            for nom in _champs(y):
                a, b = getattr(x, nom), getattr(y, nom)
                if a != b:
                    sortie.append(Changement(section, ident, MODIFICATION, nom, *_avant_apres(a, b)))
    for p in sorted(set(ancien.grille) | set(nouveau.grille)):
        a, b = ancien.grille.get(p), nouveau.grille.get(p)
        if a != b:
            nature = AJOUT if a is None else RETRAIT if b is None else MODIFICATION
            sortie.append(Changement("grille", case(*p), nature, "niveau", a, b))
    for bloc, acces in _BLOCS:
        a, b = acces(ancien), acces(nouveau)
        if a == b:
            continue
        if isinstance(a, str):
            sortie.append(Changement(bloc, bloc, MODIFICATION, None, a, b))
            continue
        for nom in _champs(b):
            va, vb = getattr(a, nom), getattr(b, nom)
            if va != vb:
                sortie.append(Changement(bloc, bloc, MODIFICATION, nom, texte_valeur(va), texte_valeur(vb)))
    return sortie


def _avant_apres(a: Any, b: Any) -> tuple[str, str]:
    """Une liste (pondérations, effets, sources…) est dite par ses seuls éléments retirés et ajoutés :
    une pondération changée se lit « gravité +1 si … » → « gravité +2 si … »."""
    if isinstance(a, list) and isinstance(b, list):
        ta, tb = [texte_valeur(v) for v in a], [texte_valeur(v) for v in b]
        retires, ajoutes = [t for t in ta if t not in tb], [t for t in tb if t not in ta]
        if retires or ajoutes:
            return " ; ".join(retires) or "—", " ; ".join(ajoutes) or "—"
        return texte_valeur(a) + " (ordre)", texte_valeur(b) + " (ordre)"
    return texte_valeur(a), texte_valeur(b)


def case(probabilite: int, gravite: int) -> str:
    return f"grille P{probabilite}×G{gravite}"


# --- Nouvelle cotation des propositions ---------------------------------------------------------


@dataclass(frozen=True)
class ChangementRisque:
    id: str
    avant: Optional[str]  # niveau résiduel (None : risque non applicable)
    apres: Optional[str]
    causes: tuple[str, ...]


@dataclass(frozen=True)
class ChangementRegle:
    id: str
    avant: Optional[str]  # statut (applicable, à_venir, échue) ; None : non déclenchée
    apres: Optional[str]
    causes: tuple[str, ...]


@dataclass(frozen=True)
class Proposition:
    fichier: str
    verdict_avant: Optional[str]  # None : fichier invalide sous cette version
    verdict_apres: Optional[str]
    sens: str  # « hausse », « baisse », « inchangé »
    risques: tuple[ChangementRisque, ...] = ()
    regles: tuple[ChangementRegle, ...] = ()
    causes: tuple[str, ...] = ()
    erreurs: tuple[str, ...] = ()  # diagnostics d'un fichier invalide ou illisible

    @property
    def change(self) -> bool:
        return bool(self.sens != "inchangé" or self.risques or self.regles or self.erreurs)


@dataclass
class Comparaison:
    changements: list[Changement]
    propositions: list[Proposition] = field(default_factory=list)
    total: int = 0  # propositions évaluées
    illisibles: int = 0
    invalides: int = 0  # propositions invalides sous l'ancien référentiel (ou sous les deux)

    @property
    def hausses(self) -> int:
        return sum(1 for p in self.propositions if p.sens == "hausse")

    @property
    def baisses(self) -> int:
        return sum(1 for p in self.propositions if p.sens == "baisse")

    def code_sortie(self) -> int:
        """0 aucun verdict ne change vers le haut ; 1 au moins une hausse (une proposition qui devient
        invalide sous le nouveau référentiel en est une) ; 3 une proposition invalide sous l'ancien ;
        2 chemin illisible."""
        if self.illisibles:
            return SORTIE_USAGE
        if self.invalides:
            return SORTIE_CAS_INVALIDE
        return SORTIE_ECHEC if self.hausses else SORTIE_OK


def _rang(ref_a: Referentiel, ref_b: Referentiel, verdict: str) -> float:
    """Rang comparable entre deux versions : celui du nouveau référentiel quand le niveau y existe,
    sinon la position relative dans l'ancien (un niveau renommé ou retiré)."""
    if verdict in ref_b.rang:
        return ref_b.rang[verdict] / max(len(ref_b.rang) - 1, 1)
    return ref_a.rang[verdict] / max(len(ref_a.rang) - 1, 1)


def sens_du_changement(ancien: Referentiel, nouveau: Referentiel, avant: Optional[str], apres: Optional[str]) -> str:
    if avant == apres:
        return "inchangé"
    if apres is None:  # devient invalide (une mesure déclarée a disparu) : à revoir, comme une hausse
        return "hausse"
    if avant is None:
        return "baisse"
    ra, rb = _rang(ancien, nouveau, avant), _rang(ancien, nouveau, apres)
    return "hausse" if rb > ra else "baisse" if rb < ra else "inchangé"


def _ponderations(trace: Sequence[Etape]) -> dict[str, tuple[int, int]]:
    """Pondérations déclenchées, par raison (la trace les nomme ainsi), avec leur effet."""
    return {e.texte: (e.probabilite, e.gravite) for e in trace if e.genre == "ponderation"}


def _causes_risque(rid: str, a: Optional[RisqueEvalue], b: Optional[RisqueEvalue], modifies: dict[str, list[Changement]]) -> list[str]:
    """Éléments modifiés qui expliquent l'écart d'un risque : lui-même, les mesures lues par sa
    trace, les cases de la grille où il se place, les paramètres du crédit."""
    causes: list[str] = []
    if rid in modifies:
        champs = sorted({c.champ for c in modifies[rid] if c.champ})
        causes.append(f"{rid} ({', '.join(champs)})" if champs else rid)
    if a is not None and b is not None:
        pa, pb = _ponderations(a.trace), _ponderations(b.trace)
        causes.extend(f"pondération « {t} » déclenchée" for t in pb if t not in pa)
        causes.extend(f"pondération « {t} » plus déclenchée" for t in pa if t not in pb)
        causes.extend(f"pondération « {t} » : {formater_effet(*pa[t])} → {formater_effet(*pb[t])}"
                      for t in pb if t in pa and pa[t] != pb[t])
    for ev in (a, b):
        if ev is None:
            continue
        for e in ev.trace:
            if e.mesure and e.mesure in modifies and e.mesure not in causes:
                causes.append(e.mesure)
        for cot in (ev.initial, ev.residuel):
            c = case(cot.probabilite, cot.gravite)
            if c in modifies and c not in causes:
                causes.append(c)
    if "parametres" in modifies and any(e.genre == "plafond_credit" for ev in (a, b) if ev for e in ev.trace):
        causes.append("parametres")
    return causes


def comparer_evaluations(fichier: str, ancien: Referentiel, nouveau: Referentiel, ea: Evaluation, eb: Evaluation,
                         modifies: dict[str, list[Changement]]) -> Proposition:
    ra = {r.id: r for r in ea.risques}
    rb = {r.id: r for r in eb.risques}
    risques = []
    for rid in dict.fromkeys([*ra, *rb]):
        a, b = ra.get(rid), rb.get(rid)
        na, nb = a.residuel.niveau if a else None, b.residuel.niveau if b else None
        if na != nb:
            risques.append(ChangementRisque(rid, na, nb, tuple(_causes_risque(rid, a, b, modifies))))
    ja = {j.id: j.statut for j in ea.regles}
    jb = {j.id: j.statut for j in eb.regles}
    regles = []
    for jid in dict.fromkeys([*ja, *jb]):
        if ja.get(jid) != jb.get(jid):
            champs = sorted({c.champ for c in modifies.get(jid, ()) if c.champ})
            cause = (f"{jid} ({', '.join(champs)})" if champs else jid) if jid in modifies else "date d'évaluation"
            regles.append(ChangementRegle(jid, ja.get(jid), jb.get(jid), (cause,)))
    sens = sens_du_changement(ancien, nouveau, ea.verdict, eb.verdict)
    causes: list[str] = []
    if sens != "inchangé" or ea.verdict != eb.verdict:
        ecarts: list[Union[ChangementRisque, ChangementRegle]] = [*risques, *regles]
        for x in ecarts:
            causes.extend(c for c in x.causes if c not in causes)
        # Une règle déclenchée des deux côtés dont le plancher de verdict a changé ; un niveau modifié.
        for j in (*ea.regles, *eb.regles):
            if j.id in modifies and not any(c.startswith(j.id) for c in causes):
                causes.append(f"{j.id} ({', '.join(sorted({c.champ for c in modifies[j.id] if c.champ}))})")
        for v in (ea.verdict, eb.verdict):
            if v in modifies and v not in causes:
                causes.append(v)
    return Proposition(fichier, ea.verdict, eb.verdict, sens, tuple(risques), tuple(regles), tuple(causes))
