"""Format Markdown : le référentiel publié (`exporter`) et le commentaire de merge request d'un
changement de référentiel (`comparer`). Texte des fichiers échappé par `rapports.markdown.echapper`
(ponctuation Markdown, HTML, mentions « @ »)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

from ...moteur.maintenance.publication import Liste, Paragraphe, Tableau
from ..evaluation.markdown import echapper
from .texte import synthese

if TYPE_CHECKING:
    from ...moteur.maintenance.comparaison import Comparaison
    from ...moteur.maintenance.publication import Section
    from ...moteur.referentiel import Referentiel


def _tableau(entetes: Sequence[str], lignes: Iterable[Sequence[str]]) -> str:
    sortie = ["| " + " | ".join(echapper(e) for e in entetes) + " |", "|" + " --- |" * len(entetes)]
    sortie += ["| " + " | ".join(echapper(c) for c in ligne) + " |" for ligne in lignes]
    return "\n".join(sortie) + "\n"


def publication(flux: TextIO, titre: str, sections: "list[Section]") -> None:
    flux.write(f"# {echapper(titre)}\n\n")
    for s in sections:
        flux.write(f"{'#' * s.niveau} {echapper(s.titre)}\n\n")
        for b in s.blocs:
            if isinstance(b, Paragraphe):
                flux.write(echapper(b.texte) + "\n\n")
            elif isinstance(b, Liste):
                flux.write("".join(f"- {echapper(e)}\n" for e in b.elements) + "\n")
            elif isinstance(b, Tableau):
                flux.write(_tableau(b.entetes, b.lignes) + "\n")


def comparaison(flux: TextIO, comp: "Comparaison", ancien: "Referentiel", nouveau: "Referentiel") -> None:
    flux.write(f"## Changement de référentiel : {echapper(ancien.version)} → {echapper(nouveau.version)}\n\n")
    flux.write(f"**{echapper(synthese(comp))}.**\n\n")
    flux.write(f"### Éléments modifiés ({len(comp.changements)})\n\n")
    if comp.changements:
        flux.write(_tableau(("Section", "Id", "Changement", "Champ", "Avant", "Après"),
                            [(c.section, c.id, c.nature, c.champ or "", c.avant or "", c.apres or "") for c in comp.changements]) + "\n")
    else:
        flux.write("Aucun.\n\n")
    if not comp.total:
        return
    flux.write(f"### Propositions dont le résultat change ({len(comp.propositions)})\n\n")
    if not comp.propositions:
        flux.write("Aucune.\n")
        return
    lignes = []
    for p in comp.propositions:
        details = [f"{x.id} : {x.avant or 'non applicable'} → {x.apres or 'non applicable'}" for x in p.risques]
        details += [f"{j.id} : {j.avant or 'non déclenchée'} → {j.apres or 'non déclenchée'}" for j in p.regles]
        details += list(p.erreurs)
        causes = sorted({c for x in p.risques for c in x.causes} | {c for j in p.regles for c in j.causes} | set(p.causes))
        lignes.append((p.fichier, f"{p.verdict_avant or 'invalide'} → {p.verdict_apres or 'invalide'}", p.sens,
                       " ; ".join(details), ", ".join(causes)))
    flux.write(_tableau(("Proposition", "Verdict", "Sens", "Détail", "Causes"), lignes))
