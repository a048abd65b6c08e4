"""Contrôles de cohérence d'un référentiel validé par le schéma : unicité des identifiants,
références croisées, grille complète et monotone, conditions vérifiées contre le schéma du cas
d'usage, pondérations qui se recouvrent, couleurs. Chaque faute porte sa position.

Séparé de `referentiel.py` (le référentiel chargé, ses index et ses conditions compilées) : ces
contrôles ne tournent qu'au chargement depuis le YAML, jamais sur une entrée servie par le cache.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Optional, Protocol

from ..erreurs import Diagnostic
from ..es.chargeur import Document
from ..modeles.conditions import Condition
from ..modeles.referentiel import FichierRecommandations, FichierRisques
from ..modeles.types import Chemin, normaliser, suggestion
from . import conditions as C


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
        (doc_r, "contradictions", r.contradictions),
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
    par_nature = r.parametres.credit_mesures.par_nature
    attaques = {x.id: x.attaque for x in r.risques}
    if par_nature:
        for i, m in enumerate(r.mesures):
            if m.nature not in par_nature:
                faute(doc_r, ("mesures", i, "nature"), f"nature « {m.nature} » absente de parametres.credit_mesures.par_nature")
    for i, m in enumerate(r.mesures):
        for k, e in enumerate(m.effets):
            if e.risque not in risques:
                faute(doc_r, ("mesures", i, "effets", k, "risque"), f"risque « {e.risque} » inconnu{_proche(e.risque, risques)}")
            if e.probabilite == 0 and e.gravite == 0:
                faute(doc_r, ("mesures", i, "effets", k), "effet nul : indiquez une baisse de « probabilite » ou de « gravite »")
            credit = par_nature.get(m.nature)
            for attr, nom in _DIMENSIONS:
                permis = credit is None or getattr(credit, attr) == "toujours" or (
                    getattr(credit, attr) == "hors_attaques" and attaques.get(e.risque) == "non")
                if getattr(e, attr) != 0 and not permis:
                    assert credit is not None
                    pourquoi = (f"le risque {e.risque} est une attaque (`attaque: oui`) qu'elle n'empêche pas"
                                if getattr(credit, attr) == "hors_attaques" else "parametres.credit_mesures.par_nature")
                    faute(doc_r, ("mesures", i, "effets", k, attr),
                          f"une mesure {m.nature} ne baisse jamais la {nom} ({pourquoi}) : retirez cet effet ou changez la nature de la mesure")
        for k, contra in enumerate(m.contredite_si):
            condition(doc_r, ("mesures", i, "contredite_si", k, "si"), contra.si)
        refs(doc_r, ("mesures", i, "sources"), m.sources, sources, "source")
    for i, j in enumerate(r.regles_juridiques):
        condition(doc_r, ("regles_juridiques", i, "si"), j.si)
        if j.applicable_jusqu_au is not None and j.applicable_depuis is not None and j.applicable_jusqu_au <= j.applicable_depuis:
            faute(doc_r, ("regles_juridiques", i, "applicable_jusqu_au"),
                  f"fin d'application ({j.applicable_jusqu_au.isoformat()}) avant ou le jour de son début ({j.applicable_depuis.isoformat()})")
        if j.niveau_minimum is not None and j.niveau_minimum not in rang:
            faute(doc_r, ("regles_juridiques", i, "niveau_minimum"), f"niveau « {j.niveau_minimum} » inconnu ; niveaux : {', '.join(niveaux)}")
        refs(doc_r, ("regles_juridiques", i, "sources"), j.sources, sources, "source")
    fautes.extend(_classes_ai_act(r, doc_r))
    ids_demarches: set[str] = set()
    for i, d in enumerate(r.demarches):
        if d.id in ids_demarches:
            faute(doc_r, ("demarches", i, "id"), f"démarche « {d.id} » en double")
        ids_demarches.add(d.id)
        refs(doc_r, ("demarches", i, "regles"), d.regles, {j.id for j in r.regles_juridiques}, "règle juridique")

    for i, levier in enumerate(r.leviers):
        fautes.extend(doc_r.erreur(p.message, ("leviers", i) + p.chemin) for p in C.verifier_levier(levier))
        refs(doc_r, ("leviers", i, "sources"), levier.sources, sources, "source")

    # Pertinence des questions : une entrée par question interrogeable, condition sur d'autres questions.
    from .champs import champs as champs_du_cas

    interrogeables = champs_du_cas()
    vues_pertinence: set[str] = set()
    for i, pert in enumerate(r.pertinence):
        if pert.champ not in interrogeables:
            faute(doc_r, ("pertinence", i, "champ"), f"champ « {pert.champ} » inconnu du cas d'usage{_proche(pert.champ, interrogeables)}")
        elif pert.champ in vues_pertinence:
            faute(doc_r, ("pertinence", i, "champ"), f"pertinence de « {pert.champ} » déjà donnée : une seule entrée par question")
        vues_pertinence.add(pert.champ)
        condition(doc_r, ("pertinence", i, "si"), pert.si)
        if pert.champ in C.champs_de(pert.si):
            faute(doc_r, ("pertinence", i, "si"), f"la pertinence de « {pert.champ} » ne peut dépendre de sa propre réponse")
    # Contradictions entre réponses : les questions douteuses sont lues par la condition, qui doit
    # pouvoir être vraie (sinon elle ne signale jamais rien).
    for i, incoherence in enumerate(r.contradictions):
        problemes = C.verifier(incoherence.si)
        condition(doc_r, ("contradictions", i, "si"), incoherence.si)
        lus = C.champs_de(incoherence.si)
        for k, champ in enumerate(incoherence.douteuses):
            if champ not in lus:
                faute(doc_r, ("contradictions", i, "douteuses", k), f"« {champ} » n'est pas lu par la condition de la contradiction {incoherence.id} ; champs lus : {', '.join(lus)}")
        if not problemes and C.reponse_commune(incoherence.si, incoherence.si, False, False) is None:
            faute(doc_r, ("contradictions", i, "si"), f"la condition de la contradiction {incoherence.id} n'est vraie pour aucune réponse")

    # Lexiques : chaque entrée vise une question énumérée et l'une de ses valeurs (hors « inconnu »).
    if r.lexiques is not None:
        for i, entree in enumerate(r.lexiques.entrees):
            lieu: Chemin = ("lexiques", "entrees", i)
            visee = interrogeables.get(entree.champ)
            if visee is None:
                faute(doc_r, lieu + ("champ",), f"champ « {entree.champ} » inconnu du cas d'usage{_proche(entree.champ, interrogeables)}")
            elif entree.valeur not in visee.valeurs_connues():
                faute(doc_r, lieu + ("valeur",), f"valeur « {entree.valeur} » impossible pour « {entree.champ} » ; valeurs permises : "
                                                 f"{', '.join(visee.valeurs_connues())}{_proche(entree.valeur, visee.valeurs_connues())}")

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


def _classes_ai_act(r: FichierRisques, doc: Document) -> list[Diagnostic]:
    """Classes de l'AI Act : établies et citées par des règles, toutes connues ; la classe « à examiner »
    distincte des autres ; aucun libellé de classe ne partage un mot avec un libellé de niveau."""
    fautes: list[Diagnostic] = []
    classes = [c.id for c in r.classes_ai_act]
    if len(set(classes)) != len(classes):
        fautes.append(doc.erreur("classe en double dans « classes_ai_act »", ("classes_ai_act",)))
    if r.classe_a_examiner is not None and r.classe_a_examiner.id in classes:
        fautes.append(doc.erreur(f"« {r.classe_a_examiner.id} » est déjà une classe de « classes_ai_act »", ("classe_a_examiner", "id")))
    for i, j in enumerate(r.regles_juridiques):
        for cle, valeur in (("classe_ai_act", j.classe_ai_act.classe if j.classe_ai_act else None), ("obligation_de_classe", j.obligation_de_classe)):
            if valeur is not None and valeur not in classes:
                chemin: Chemin = ("regles_juridiques", i, cle, "classe") if cle == "classe_ai_act" else ("regles_juridiques", i, cle)
                fautes.append(doc.erreur(f"classe « {valeur} » absente de « classes_ai_act »{_proche(valeur, classes)}", chemin))
    if classes and r.classe_a_examiner is None:
        fautes.append(doc.erreur("« classe_a_examiner » manquante : elle est affichée quand des réponses laissent la classe ouverte", ("classes_ai_act",)))
    mots_niveaux = {m for n in [*r.niveaux, r.interdit] for m in _mots(n.libelle)}
    libelles: list[tuple[Chemin, str]] = [(("classes_ai_act", i, "libelle"), c.libelle) for i, c in enumerate(r.classes_ai_act)]
    if r.classe_a_examiner is not None:
        libelles.append((("classe_a_examiner", "libelle"), r.classe_a_examiner.libelle))
    for chemin_l, libelle in libelles:
        communs = sorted(_mots(libelle) & mots_niveaux)
        if communs:
            fautes.append(doc.erreur(f"libellé de classe « {libelle} » qui partage « {', '.join(communs)} » avec un niveau de risque :"
                                     " la classe de l'AI Act et le niveau ne doivent pas se confondre à l'écran", chemin_l))
    return fautes


def _mots(texte: str) -> set[str]:
    """Mots significatifs d'un libellé, comparés sans casse ni accents (« de », « du »… exclus)."""
    vides = {"de", "du", "des", "la", "le", "les", "l", "d", "a", "art", "et", "en"}
    return {m for m in re.split(r"[^a-z0-9]+", normaliser(texte).replace("_", " ")) if m and m not in vides and not m.isdigit()}


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
