"""Le référentiel chargé : fichiers validés, contrôles de cohérence, index et conditions compilées.

`charger(dossier)` lit `risques.yaml` et `recommandations.yaml`, les valide, vérifie toutes les
références croisées (avec la position de chaque faute) et compile les conditions une seule fois.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Optional, Protocol

from . import conditions as C
from .chargeur import Document, document_de, lire_octets, valider
from .erreurs import Diagnostic, ErreurFichier, ErreurLecture, ErreurReferentiel
from .modeles.conditions import Condition
from .modeles.referentiel import (
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
from .modeles.types import Chemin, normaliser, suggestion

if TYPE_CHECKING:
    from .cache import Signaler

FICHIER_RISQUES = "risques.yaml"
FICHIER_RECOMMANDATIONS = "recommandations.yaml"
TAILLE_MAX_REFERENTIEL = 8 * 1024 * 1024


def dossier_defaut() -> Path:
    """`data/` : dans le paquet installé (roue), sinon à la racine du dépôt (installation éditable)."""
    ici = Path(__file__).resolve().parent
    installe = ici / "data"
    return installe if installe.is_dir() else ici.parent / "data"


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


class RegleCompilee(NamedTuple):
    regle: RegleJuridique
    evaluer: C.Evaluateur
    champs: tuple[str, ...]


@dataclass
class Referentiel:
    dossier: str
    risques_yaml: FichierRisques
    recommandations_yaml: FichierRecommandations
    empreintes: dict[str, str]  # nom de fichier -> sha256
    # Octets lus de chaque fichier (par nom court) : les positions (`documents`) en sont tirées au
    # besoin. Un chargement depuis le cache n'analyse pas le YAML ; `iag referentiel verifier`, ou un
    # rapport qui cite une ligne du référentiel, l'analyse alors, sur les octets mêmes qui ont donné la clé.
    octets: dict[str, bytes] = field(default_factory=dict, repr=False)
    _documents: Optional[dict[str, Document]] = field(default=None, repr=False)

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
        self.veille = r.veille_juridique
        self.credit = r.parametres.credit_mesures
        # Décidé ici, une fois : vérifié au chargement (voir `_controler`), jamais un nom de niveau en dur.
        self.seuil_defaut: str = r.parametres.seuil_defaut or r.niveaux[-1].id

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


def charger(dossier: Optional[str | Path] = None, cache: bool = True, signaler: Optional[Signaler] = None) -> Referentiel:
    """Charge un référentiel ; toute faute lève ErreurReferentiel (fichier:ligne:colonne).

    Avec `cache` (défaut), un contenu déjà validé pour ces octets et ce code est relu du cache
    (`cache.py`) ; sinon le YAML est analysé, validé, contrôlé, puis mis en cache. `signaler`
    reçoit, s'il est donné, la raison d'une entrée ignorée (pour un mode bavard)."""
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
        from . import cache as K

        cle = K.cle(sommes)
        entree = K.lire(cle, signaler) if cle is not None else None
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
        K.ecrire(cle, risques, recos, signaler)
    return ref


def verifier_coherence(r: FichierRisques, c: FichierRecommandations, doc_r: Document, doc_c: Document) -> list[Diagnostic]:
    """Toutes les références croisées, l'unicité des identifiants, la grille complète et monotone."""
    fautes: list[Diagnostic] = []

    def faute(doc: Document, chemin: Chemin, message: str) -> None:
        fautes.append(doc.erreur(message, chemin))

    # Unicité : les identifiants de risques, mesures, règles et recommandations partagent un espace,
    # pour que `iag risques ID` ou une recherche par identifiant ne soit jamais ambiguë.
    # Les identifiants sont comparés sans casse ni accents, comme `iag risques r01` ou `--seuil eleve`
    # les résolvent : « R01 » et « r01 », « élevé » et « eleve » seraient ambigus.
    vus: dict[str, tuple[str, str]] = {}

    def double(x: _AvecId, connus: dict[str, tuple[str, str]], section: str, doc: Document, i: int, ailleurs: bool) -> None:
        cle = normaliser(x.id)
        if cle in connus:
            autre, lieu = connus[cle]
            if autre != x.id:
                faute(doc, (section, i, "id"), f"identifiant « {x.id} » trop proche de « {autre} » (dans « {lieu} ») : ils ne diffèrent que par la casse ou les accents")
            elif ailleurs:
                faute(doc, (section, i, "id"), f"identifiant « {x.id} » déjà utilisé dans « {lieu} »")
            else:
                faute(doc, (section, i, "id"), f"identifiant « {x.id} » en double dans « {section} »")
        connus.setdefault(cle, (x.id, section))

    # listes de modèles différents, tous pourvus d'un `id`
    locales: list[tuple[Document, str, Sequence[_AvecId]]] = [
        (doc_r, "sources", r.sources), (doc_r, "niveaux", [*r.niveaux, r.interdit]), (doc_r, "categories", r.categories),
        (doc_c, "themes", c.themes), (doc_c, "publics", c.publics),
    ]
    communes: list[tuple[Document, str, Sequence[_AvecId]]] = [
        (doc_r, "risques", r.risques), (doc_r, "mesures", r.mesures),
        (doc_r, "regles_juridiques", r.regles_juridiques), (doc_r, "leviers", r.leviers),
        (doc_c, "recommandations", c.recommandations),
    ]
    for doc, section, elements in locales:
        locaux: dict[str, tuple[str, str]] = {}
        for i, x in enumerate(elements):
            if section == "niveaux" and i == len(r.niveaux):
                if normaliser(x.id) in locaux:
                    faute(doc_r, ("interdit", "id"), f"le niveau « {x.id} » ne peut être à la fois un niveau de la grille et le verdict d'interdiction")
                continue
            double(x, locaux, section, doc, i, False)
    for doc, section, elements in communes:
        for i, element in enumerate(elements):
            double(element, vus, section, doc, i, True)

    sources = {s.id for s in r.sources}
    niveaux = [n.id for n in r.niveaux]
    rang = {n: i for i, n in enumerate(niveaux)}
    risques = {x.id for x in r.risques}

    def refs(doc: Document, chemin: Chemin, ids: Sequence[str], connus: Collection[str], genre: str, lieu: str = "dans le référentiel") -> None:
        for i, ident in enumerate(ids):
            if ident not in connus:
                faute(doc, chemin + (i,), f"{genre} « {ident} » introuvable {lieu}{_proche(ident, connus)}")

    # Échelles : valeurs 1..N dans l'ordre.
    for axe in ("probabilite", "gravite"):
        paliers = getattr(r.echelles, axe)
        for i, p in enumerate(paliers):
            if p.valeur != i + 1:
                faute(doc_r, ("echelles", axe, i, "valeur"), f"valeur {p.valeur} inattendue : les paliers vont de 1 à {len(paliers)}, dans l'ordre")
    refs(doc_r, ("echelles", "sources"), r.echelles.sources, sources, "source")
    p_max, g_max = len(r.echelles.probabilite), len(r.echelles.gravite)

    # Grille : chaque case couverte, niveaux connus, jamais de baisse quand P ou G augmente.
    lignes: dict[int, int] = {}
    for i, ligne in enumerate(r.grille):
        if not 1 <= ligne.probabilite <= p_max:
            faute(doc_r, ("grille", i, "probabilite"), f"probabilité {ligne.probabilite} hors de l'échelle (1 à {p_max})")
            continue
        if ligne.probabilite in lignes:
            faute(doc_r, ("grille", i, "probabilite"), f"ligne de probabilité {ligne.probabilite} en double")
        lignes[ligne.probabilite] = i
        if len(ligne.niveaux) != g_max:
            faute(doc_r, ("grille", i, "niveaux"), f"{len(ligne.niveaux)} niveaux pour {g_max} paliers de gravité")
        refs(doc_r, ("grille", i, "niveaux"), ligne.niveaux, set(niveaux), "niveau")
    for p in range(1, p_max + 1):
        if p not in lignes:
            faute(doc_r, ("grille",), f"la grille n'a pas de ligne pour la probabilité {p}")
    if not fautes:
        for p in range(1, p_max + 1):
            i = lignes[p]
            cases = r.grille[i].niveaux
            for g in range(1, g_max):
                if rang[cases[g]] < rang[cases[g - 1]]:
                    faute(doc_r, ("grille", i, "niveaux", g), f"niveau en baisse quand la gravité passe de {g} à {g + 1} (probabilité {p})")
            if p > 1:
                dessous = r.grille[lignes[p - 1]].niveaux
                for g in range(g_max):
                    if rang[cases[g]] < rang[dessous[g]]:
                        faute(doc_r, ("grille", i, "niveaux", g), f"niveau en baisse quand la probabilité passe de {p - 1} à {p} (gravité {g + 1})")

    for i, niveau in enumerate([*r.niveaux, r.interdit]):
        message = _couleur_invalide(niveau.couleur)
        if message is not None:
            faute(doc_r, ("niveaux", i, "couleur") if i < len(r.niveaux) else ("interdit", "couleur"), message)

    if r.parametres.niveau_suggestion_mesures not in rang:
        faute(doc_r, ("parametres", "niveau_suggestion_mesures"), f"niveau « {r.parametres.niveau_suggestion_mesures} » inconnu ; niveaux : {', '.join(niveaux)}")
    if r.parametres.seuil_defaut is not None and r.parametres.seuil_defaut not in [*niveaux, r.interdit.id]:
        faute(doc_r, ("parametres", "seuil_defaut"),
              f"niveau « {r.parametres.seuil_defaut} » inconnu ; niveaux : {', '.join([*niveaux, r.interdit.id])}")
    categories = {x.id for x in r.categories}

    def condition(doc: Document, chemin: Chemin, cond: Condition) -> None:
        for p in C.verifier(cond):
            faute(doc, chemin + p.chemin, p.message)

    for i, x in enumerate(r.risques):
        ici = ("risques", i)
        if x.categorie not in categories:
            faute(doc_r, ici + ("categorie",), f"catégorie « {x.categorie} » inconnue{_proche(x.categorie, categories)}")
        if not 1 <= x.probabilite <= p_max:
            faute(doc_r, ici + ("probabilite",), f"probabilité {x.probabilite} hors de l'échelle (1 à {p_max})")
        if not 1 <= x.gravite <= g_max:
            faute(doc_r, ici + ("gravite",), f"gravité {x.gravite} hors de l'échelle (1 à {g_max})")
        if x.s_applique_si is not None:
            condition(doc_r, ici + ("s_applique_si",), x.s_applique_si)
        for k, p in enumerate(x.ponderations):
            condition(doc_r, ici + ("ponderations", k, "si"), p.si)
            if p.probabilite == 0 and p.gravite == 0:
                faute(doc_r, ici + ("ponderations", k), "pondération sans effet : indiquez « probabilite » ou « gravite »")
        if x.plancher is not None:
            if x.plancher.probabilite > p_max:
                faute(doc_r, ici + ("plancher", "probabilite"), f"plancher de probabilité {x.plancher.probabilite} hors de l'échelle (1 à {p_max})")
            if x.plancher.gravite > g_max:
                faute(doc_r, ici + ("plancher", "gravite"), f"plancher de gravité {x.plancher.gravite} hors de l'échelle (1 à {g_max})")
        refs(doc_r, ici + ("sources",), x.sources, sources, "source")
        if r.nomenclatures is not None:
            for cadre in ("owasp_llm", "nist_ai_600_1"):
                admis = set(getattr(r.nomenclatures, cadre))
                if admis:
                    refs(doc_r, ici + ("references", cadre), getattr(x.references, cadre), admis, f"référence {cadre}", "dans « nomenclatures »")
    for i, m in enumerate(r.mesures):
        for k, e in enumerate(m.effets):
            if e.risque not in risques:
                faute(doc_r, ("mesures", i, "effets", k, "risque"), f"risque « {e.risque} » inconnu{_proche(e.risque, risques)}")
            if e.probabilite == 0 and e.gravite == 0:
                faute(doc_r, ("mesures", i, "effets", k), "effet nul : indiquez une baisse de « probabilite » ou de « gravite »")
            if m.nature == "détective" and e.gravite != 0:
                faute(doc_r, ("mesures", i, "effets", k, "gravite"),
                      "une mesure détective (journalisation, surveillance) révèle l'incident après coup : elle ne baisse jamais la gravité")
        for k, contra in enumerate(m.contredite_si):
            condition(doc_r, ("mesures", i, "contredite_si", k, "si"), contra.si)
        refs(doc_r, ("mesures", i, "sources"), m.sources, sources, "source")
    for i, j in enumerate(r.regles_juridiques):
        condition(doc_r, ("regles_juridiques", i, "si"), j.si)
        if j.applicable_jusqu_au is not None and j.applicable_jusqu_au <= j.applicable_depuis:
            faute(doc_r, ("regles_juridiques", i, "applicable_jusqu_au"),
                  f"fin d'application ({j.applicable_jusqu_au.isoformat()}) avant ou le jour de son début ({j.applicable_depuis.isoformat()})")
        if j.niveau_minimum is not None and j.niveau_minimum not in rang:
            faute(doc_r, ("regles_juridiques", i, "niveau_minimum"), f"niveau « {j.niveau_minimum} » inconnu ; niveaux : {', '.join(niveaux)}")
        refs(doc_r, ("regles_juridiques", i, "sources"), j.sources, sources, "source")
    ids_demarches: set[str] = set()
    for i, d in enumerate(r.demarches):
        if d.id in ids_demarches:
            faute(doc_r, ("demarches", i, "id"), f"démarche « {d.id} » en double")
        ids_demarches.add(d.id)
        refs(doc_r, ("demarches", i, "regles"), d.regles, {j.id for j in r.regles_juridiques}, "règle juridique")

    for i, levier in enumerate(r.leviers):
        fautes.extend(doc_r.erreur(p.message, ("leviers", i) + p.chemin) for p in C.verifier_levier(levier))
        refs(doc_r, ("leviers", i, "sources"), levier.sources, sources, "source")

    if not fautes:  # conditions vérifiées : on peut les compiler pour chercher les recouvrements
        fautes.extend(recouvrements(r, doc_r))

    themes = {t.id for t in c.themes}
    publics = {p.id for p in c.publics}
    for i, reco in enumerate(c.recommandations):
        ici = ("recommandations", i)
        if reco.theme not in themes:
            faute(doc_c, ici + ("theme",), f"thème « {reco.theme} » inconnu{_proche(reco.theme, themes)}")
        refs(doc_c, ici + ("publics",), reco.publics, publics, "public")
        refs(doc_c, ici + ("risques",), reco.risques, risques, "risque")
        refs(doc_c, ici + ("sources",), reco.sources, sources, "source")
    return sorted(fautes, key=lambda d: (d.fichier, d.ligne or 0, d.colonne or 0))


_DIMENSIONS = (("probabilite", "probabilité"), ("gravite", "gravité"))


def recouvrements(r: FichierRisques, doc: Document) -> list[Diagnostic]:
    """Pondérations d'un même risque qui lisent un même champ, agissent sur une même dimension et
    peuvent s'appliquer ensemble pour une même réponse : un même fait compterait deux fois.

    Exact : `conditions.reponse_commune` essaie toutes les réponses possibles des champs lus
    (`inconnu` compris, avec la règle de la cotation : une hausse indéterminée s'applique). Les
    effets gradués s'écrivent donc en conditions disjointes (`egal: ponctuelle` +1, `egal: aucune` +2).
    C'est une erreur de référentiel (code 2), pas un avertissement : le barème serait faux.
    """
    fautes = []
    for i, x in enumerate(r.risques):
        lus = [set(C.champs_de(p.si)) for p in x.ponderations]
        for k, b in enumerate(x.ponderations):
            for j in range(k):
                a = x.ponderations[j]
                communs = lus[j] & lus[k]
                dims = [nom for attr, nom in _DIMENSIONS if getattr(a, attr) and getattr(b, attr)]
                if not communs or not dims:
                    continue
                exemple = C.reponse_commune(a.si, b.si, a.probabilite > 0 or a.gravite > 0, b.probabilite > 0 or b.gravite > 0)
                if exemple is None:
                    continue
                pos = doc.position(("risques", i, "ponderations", j))
                ou = f" (ligne {pos.ligne})" if pos else ""
                reponse = " ; ".join(f"{ch} : {_texte_reponse(v)}" for ch, v in exemple.items() if ch in communs)
                fautes.append(doc.erreur(
                    f"pondération qui recouvre la pondération n° {j + 1}{ou} du risque {x.id} sur « {', '.join(sorted(communs))} »"
                    f" ({' et '.join(dims)}) : les deux s'appliquent pour « {reponse} » ; une même réponse ne doit relever"
                    " le risque qu'une fois : rendez les conditions disjointes",
                    ("risques", i, "ponderations", k, "si"),
                ))
    return fautes


def _couleur_invalide(valeur: str) -> Optional[str]:
    """Message si la couleur d'un niveau n'est pas un style Rich fait de couleurs et d'attributs."""
    # Un style Rich peut porter un lien (`link https://…`) : rendu comme hyperlien de terminal
    # dans `iag matrice`. Une couleur n'a besoin que de couleurs et d'attributs (gras…).
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    try:
        style = Style.parse(valeur)
    except StyleSyntaxError:
        return f"couleur « {valeur} » invalide : un nom de couleur Rich, #rrggbb, « bold », « on red »…"
    if style.link is not None:
        return "lien refusé dans une couleur : seulement des couleurs et des attributs (gras, italique…)"
    return None


def _texte_reponse(v: C.Reponse) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(str(m) for m in v) + "]"
    return str(v)


class _AvecId(Protocol):
    @property
    def id(self) -> str: ...


def _proche(valeur: str, connus: Collection[str]) -> str:
    return suggestion(valeur, sorted(connus))
