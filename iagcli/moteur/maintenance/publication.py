"""Le référentiel entier comme un document publiable (`iag referentiel exporter`).

Pur : du `Referentiel` chargé à une suite de sections faites de blocs simples (paragraphe, liste,
tableau) que chaque format rend à sa façon (`formats/markdown.py`, `formats/html.py`) ; le CSV
prend les lignes de `lignes_csv`. Les pondérations et conditions sont dites par le générateur de
`iag risques` (`textes.phrase_ponderation`, `conditions.decrire`), jamais réécrites ici.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Union

from ...modeles.referentiel import DATE_NON_REVENDIQUEE, RegleJuridique
from ...modeles.types import nombre
from ..conditions import decrire
from ..consultation.textes_referentiel import formater_effet
from ..referentiel import Referentiel
from .textes import phrase_ponderation


@dataclass(frozen=True)
class Paragraphe:
    texte: str


@dataclass(frozen=True)
class Liste:
    elements: tuple[str, ...]


@dataclass(frozen=True)
class Tableau:
    entetes: tuple[str, ...]
    lignes: tuple[tuple[str, ...], ...]


Bloc = Union[Paragraphe, Liste, Tableau]


@dataclass
class Section:
    titre: str
    niveau: int  # 2 : partie, 3 : élément
    blocs: list[Bloc] = field(default_factory=list)
    ancre: str = ""


def _sources(ids: Iterable[str]) -> str:
    return "Sources : " + ", ".join(ids) + "."


def _dates(j: "RegleJuridique") -> str:
    fin = f" jusqu'au {j.applicable_jusqu_au.isoformat()}" if j.applicable_jusqu_au else ""
    if j.applicable_depuis is None:
        return f"{DATE_NON_REVENDIQUEE[0].upper()}{DATE_NON_REVENDIQUEE[1:]}{fin}."
    return f"Applicable depuis le {j.applicable_depuis.isoformat()}{fin}."


def document(ref: Referentiel) -> tuple[str, list[Section]]:
    """(titre, sections) : échelles et grille, niveaux, risques, mesures, règles, recommandations, sources."""
    r, c = ref.risques_yaml, ref.recommandations_yaml
    sections: list[Section] = []
    intro = Section("Présentation", 2, [
        Paragraphe(f"Version {r.version} ; sha256 {ref.empreinte} (sha256sum risques.yaml recommandations.yaml | sha256sum)."),
        Paragraphe(r.avertissement),
        Paragraphe(f"Licence : {r.licence}."),
        Paragraphe(f"Vérification juridique du {r.veille_juridique.verifiee_le.isoformat()} (base : {r.veille_juridique.base}) ; "
                   f"périmée au-delà de {r.veille_juridique.peremption_mois} mois."),
    ], "presentation")
    sections.append(intro)
    echelles = Section("Échelles et grille", 2, [], "echelles")
    for axe, nom in (("probabilite", "Probabilité"), ("gravite", "Gravité")):
        echelles.blocs.append(Tableau((nom, "Libellé", "Description"),
                                      tuple((str(p.valeur), p.libelle, p.description) for p in getattr(r.echelles, axe))))
    gmax = ref.g_max
    echelles.blocs.append(Paragraphe("Grille : niveau de risque selon la probabilité (lignes) et la gravité (colonnes)."))
    echelles.blocs.append(Tableau(("Probabilité \\ gravité", *(str(g) for g in range(1, gmax + 1))),
                                  tuple((str(p), *(ref.grille[(p, g)] for g in range(1, gmax + 1))) for p in range(ref.p_max, 0, -1))))
    echelles.blocs.append(Paragraphe(f"Crédit des mesures : au plus {nombre(r.parametres.credit_mesures.max_par_dimension, 'palier')} de baisse "
                                     f"par dimension ; mesures suggérées à partir du niveau « {r.parametres.niveau_suggestion_mesures} »."))
    echelles.blocs.append(Paragraphe(_sources(r.echelles.sources)))
    sections.append(echelles)
    sections.append(Section("Ce que chaque niveau exige", 2, [
        Tableau(("Niveau", "Libellé", "Exigences"), tuple((n.id, n.libelle, n.exigences) for n in [*r.niveaux, r.interdit]))
    ], "niveaux"))
    sections.append(Section("Risques", 2, [], "risques"))
    for cat in r.categories:
        for x in (x for x in r.risques if x.categorie == cat.id):
            s = Section(f"{x.id} — {x.titre}", 3, [
                Paragraphe(f"Catégorie : {cat.titre}. Cotation de base : probabilité {x.probabilite}, gravité {x.gravite}."),
                Paragraphe(x.description),
                Paragraphe("Exemples :"), Liste(tuple(x.exemples)),
                Paragraphe("S'applique à tout cas d'usage." if x.s_applique_si is None else f"S'applique si {decrire(x.s_applique_si)}."),
            ], x.id)
            if x.ponderations:
                s.blocs += [Paragraphe("Pondérations :"),
                            Liste(tuple(f"{phrase_ponderation(p)} — {' '.join(p.raison.split())}" for p in x.ponderations))]
            if x.plancher:
                s.blocs.append(Paragraphe(f"Plancher résiduel : probabilité {x.plancher.probabilite}, gravité {x.plancher.gravite}."))
            mesures = [f"{m.id} ({formater_effet(e.probabilite, e.gravite)})" for m, e in ref.compile_par_risque[x.id].mesures]
            if mesures:
                s.blocs.append(Paragraphe("Mesures qui le traitent : " + ", ".join(mesures) + "."))
            s.blocs.append(Paragraphe(_sources(x.sources)))
            sections.append(s)
    sections.append(Section("Mesures", 2, [], "mesures"))
    for m in r.mesures:
        s = Section(f"{m.id} — {m.titre}", 3, [
            Paragraphe(f"Nature : {m.nature}. {m.description}"),
            Paragraphe("Preuves attendues :"), Liste(tuple(m.preuves)),
            Paragraphe("Effets : " + " ; ".join(f"{e.risque} {formater_effet(e.probabilite, e.gravite)}" for e in m.effets) + "."),
        ], m.id)
        if m.contredite_si:
            s.blocs += [Paragraphe("Non créditée :"), Liste(tuple(f"si {decrire(k.si)} : {' '.join(k.raison.split())}" for k in m.contredite_si))]
        s.blocs.append(Paragraphe(_sources(m.sources)))
        sections.append(s)
    sections.append(Section("Règles juridiques", 2, [], "regles"))
    for j in r.regles_juridiques:
        s = Section(f"{j.id} — {j.titre}", 3, [
            Paragraphe(f"{j.nature.capitalize()} ({j.texte}). {_dates(j)}"),
            Paragraphe(f"S'applique si {decrire(j.si)}."),
            Paragraphe(j.consequence),
        ], j.id)
        if j.niveau_minimum:
            s.blocs.append(Paragraphe(f"Niveau minimum du verdict : {j.niveau_minimum}."))
        s.blocs.append(Paragraphe(_sources(j.sources)))
        sections.append(s)
    sections.append(Section("Recommandations", 2, [], "recommandations"))
    publics = {p.id: p.titre for p in c.publics}
    for t in c.themes:
        recos = [reco for reco in c.recommandations if reco.theme == t.id]
        if not recos:
            continue
        sections.append(Section(f"Thème : {t.titre}", 3, [
            Tableau(("Id", "Recommandation", "Publics", "Risques", "Sources"),
                    tuple((reco.id, f"{reco.titre} : {' '.join(reco.texte.split())}", ", ".join(publics.get(p, p) for p in reco.publics),
                           ", ".join(reco.risques) or "—", ", ".join(reco.sources)) for reco in recos)),
        ], f"theme-{t.id}"))
    sections.append(Section("Catalogue des sources", 2, [
        Tableau(("Id", "Titre", "Éditeur", "Date", "Adresse"),
                tuple((s.id, s.titre, s.editeur, s.date or "—", s.url or "—") for s in r.sources)),
    ], "sources"))
    return r.titre, sections


ENTETES_CSV = ("genre", "id", "titre", "texte", "details", "sources")


def lignes_csv(ref: Referentiel) -> list[tuple[str, ...]]:
    """Une ligne par élément du référentiel, pour un tableur."""
    r, c = ref.risques_yaml, ref.recommandations_yaml
    lignes: list[tuple[str, ...]] = [("référentiel", r.version, r.titre, r.licence, f"sha256 {ref.empreinte}", "")]
    for p in range(1, ref.p_max + 1):
        lignes.append(("grille", f"P{p}", f"probabilité {p}", "", " ; ".join(f"G{g} : {ref.grille[(p, g)]}" for g in range(1, ref.g_max + 1)), ""))
    for n in [*r.niveaux, r.interdit]:
        lignes.append(("niveau", n.id, n.libelle, n.exigences, "", ""))
    for x in r.risques:
        details = [f"base : probabilité {x.probabilite}, gravité {x.gravite}",
                   "s'applique toujours" if x.s_applique_si is None else f"s'applique si {decrire(x.s_applique_si)}"]
        details += [phrase_ponderation(p) for p in x.ponderations]
        lignes.append(("risque", x.id, x.titre, " ".join(x.description.split()), " ; ".join(details), ", ".join(x.sources)))
    for m in r.mesures:
        effets = " ; ".join(f"{e.risque} {formater_effet(e.probabilite, e.gravite)}" for e in m.effets)
        lignes.append(("mesure", m.id, m.titre, " ".join(m.description.split()), f"{m.nature} ; {effets}", ", ".join(m.sources)))
    for j in r.regles_juridiques:
        lignes.append(("règle juridique", j.id, j.titre, " ".join(j.consequence.split()),
                       f"{j.nature} ; {j.texte} ; {_dates(j)} ; si {decrire(j.si)}", ", ".join(j.sources)))
    for reco in c.recommandations:
        lignes.append(("recommandation", reco.id, reco.titre, " ".join(reco.texte.split()),
                       f"thème {reco.theme} ; publics {', '.join(reco.publics)} ; risques {', '.join(reco.risques) or '—'}",
                       ", ".join(reco.sources)))
    for s in r.sources:
        lignes.append(("source", s.id, s.titre, s.editeur, " ; ".join(v for v in (s.date, s.url) if v), ""))
    return lignes
