"""Format texte des commandes du référentiel : une ligne par constat ou par changement, pour un
terminal ou un journal de CI ; tout ce qui vient des fichiers est échappé (`echappement`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ...moteur.maintenance.comparaison import Changement, Comparaison
    from ...moteur.maintenance.verification import Constat

from ...echappement import echapper
from ...modeles.types import accord, nombre


def verification(flux: TextIO, constats: "list[Constat]", dossier: str) -> None:
    for c in constats:
        flux.write(str(c) + "\n")
    erreurs = sum(1 for c in constats if c.gravite == "erreur")
    flux.write(f"{echapper(dossier)} : {nombre(erreurs, 'erreur')}, {nombre(len(constats) - erreurs, 'avertissement')}\n")


def _changement(c: "Changement") -> str:
    if c.nature == "modifié":
        champ = f" {c.champ}" if c.champ else ""
        return f"~ {c.section} {c.id}{champ} : {c.avant} → {c.apres}"
    signe = "+" if c.nature == "ajouté" else "-"
    titre = c.apres if c.nature == "ajouté" else c.avant
    return f"{signe} {c.section} {c.id}" + (f" : {titre}" if titre else "")


def synthese(comp: "Comparaison") -> str:
    return (f"{nombre(comp.total, 'proposition')}, {comp.hausses + comp.baisses} {accord(comp.hausses + comp.baisses, 'change', 'changent')} de verdict "
            f"({comp.hausses} en hausse, {comp.baisses} en baisse)")


def comparaison(flux: TextIO, comp: "Comparaison", ancien: str, nouveau: str) -> None:
    flux.write(f"Référentiel {echapper(ancien)} → {echapper(nouveau)} : {nombre(len(comp.changements), 'changement')}\n")
    for c in comp.changements:
        flux.write(echapper(_changement(c)) + "\n")
    if not comp.total:
        return
    flux.write("\nPropositions dont le résultat change :\n")
    for p in comp.propositions:
        flux.write(echapper(f"{p.fichier} : {p.verdict_avant or 'invalide'} → {p.verdict_apres or 'invalide'} ({p.sens})") + "\n")
        for e in p.erreurs:
            flux.write("  " + echapper(e) + "\n")
        for x in p.risques:
            flux.write(echapper(f"  risque {x.id} : {x.avant or 'non applicable'} → {x.apres or 'non applicable'}"
                                + (f" ; cause : {', '.join(x.causes)}" if x.causes else "")) + "\n")
        for j in p.regles:
            flux.write(echapper(f"  règle {j.id} : {j.avant or 'non déclenchée'} → {j.apres or 'non déclenchée'} ; cause : {', '.join(j.causes)}") + "\n")
        if p.causes:
            flux.write(echapper(f"  verdict : {', '.join(p.causes)}") + "\n")
    flux.write(synthese(comp) + "\n")
