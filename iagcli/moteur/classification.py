"""Classe de l'AI Act d'un cas : une fonction pure des règles déclenchées et du référentiel.

La classe ne vient jamais du Python : chaque règle de l'AI Act dit dans les données la classe qu'elle
établit (`classe_ai_act`) ; `classes_ai_act` les range de la plus haute à la plus basse, la dernière
valant sans règle. Une règle « à venir » établit la classe (fait juridique, avec sa date) ; une règle
échue, non. Une règle déclenchée faute de réponse connue (`incertaine`) qui établirait une classe plus
haute laisse la classe ouverte : `classe_a_examiner`, avec la classe établie et les réponses à donner.

Quand la classe retenue est la plus haute (pratique prohibée) et en vigueur, les règles des classes
moins hautes, ou qui en découlent (`obligation_de_classe`), sont « sans objet » : une pratique
prohibée n'a pas d'obligations de haut risque à préparer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Optional

from ..modeles.types import INCONNU
from .referentiel import Referentiel
from .resultat import BaseClasse, ClassificationAIAct, RegleDeclenchee


def classer(regles: tuple[RegleDeclenchee, ...], ref: Referentiel, date: Optional[dt.date]) -> Optional[ClassificationAIAct]:
    """La classe du cas, ou None si le référentiel ne déclare pas de classes."""
    fichier = ref.risques_yaml
    ordre = [c.id for c in fichier.classes_ai_act]
    if not ordre:
        return None
    libelles = {c.id: c.libelle for c in fichier.classes_ai_act}
    devant = {c.id: c.devant_date for c in fichier.classes_ai_act}
    etablissent = [(r, ref.regles[r.id].classe_ai_act) for r in regles if r.statut != "échue"]
    certaines = [(r, c) for r, c in etablissent if c is not None and not r.incertaine]
    incertaines = [(r, c) for r, c in etablissent if c is not None and r.incertaine]
    rang = {c: i for i, c in enumerate(ordre)}
    classe = min((c.classe for _, c in certaines), key=rang.__getitem__, default=ordre[-1])
    bases = tuple(BaseClasse(r.id, c.base, ref.regles[r.id].texte) for r, c in certaines if c.classe == classe)
    dates = [r.applicable_depuis for r, c in certaines if c.classe == classe and r.applicable_depuis is not None]
    depuis = min(dates) if dates else None
    statut: Optional[str] = None
    if bases:
        statut = "à_venir" if date is not None and depuis is not None and date < depuis else "applicable"
    plus_hautes = [(r, c) for r, c in incertaines if rang[c.classe] < rang[classe]]
    if plus_hautes and fichier.classe_a_examiner is not None:
        possibles = tuple(sorted({c.classe for _, c in plus_hautes}, key=rang.__getitem__))
        reponses = tuple(dict.fromkeys(ch for r, _ in plus_hautes for ch, v in r.champs if v == INCONNU or v is None))
        return ClassificationAIAct(fichier.classe_a_examiner.id, fichier.classe_a_examiner.libelle, bases, depuis, statut,
                                   classe, libelles[classe], possibles, tuple(libelles[x] for x in possibles), reponses,
                                   devant[classe])
    return ClassificationAIAct(classe, libelles[classe], bases, depuis, statut, devant_date=devant[classe])


def resume(c: Optional[ClassificationAIAct]) -> str:
    """La classe en une ligne, dates AAAA-MM-JJ (registre) : « haut risque (annexe III, point 4),
    obligations applicables à partir du 2027-12-02 » ; "" sans classes dans le référentiel."""
    if c is None:
        return ""
    bases = " ; ".join(dict.fromkeys(b.base for b in c.bases))
    if c.ouverte:
        au_moins = f"{c.libelle_au_moins} ({bases})" if bases else f"{c.libelle_au_moins}"
        return f"{c.libelle} : au moins {au_moins} ; {' ou '.join(c.libelles_possibles)} possible"
    texte = f"{c.libelle} ({bases})" if bases else c.libelle
    if c.applicable_depuis is not None:
        quand = "à partir du" if c.statut == "à_venir" else "depuis le"
        texte += f", {c.devant_date} {quand} {c.applicable_depuis.isoformat()}"
    return texte


def sans_objet(regles: tuple[RegleDeclenchee, ...], classification: Optional[ClassificationAIAct],
               ref: Referentiel) -> tuple[RegleDeclenchee, ...]:
    """Les règles, celles des classes moins hautes que la classe prohibée en vigueur passées « sans objet »."""
    ordre = [c.id for c in ref.risques_yaml.classes_ai_act]
    if classification is None or not ordre or classification.classe != ordre[0] or classification.statut != "applicable":
        return regles
    sortie = []
    for r in regles:
        j = ref.regles[r.id]
        de_classe = j.classe_ai_act.classe if j.classe_ai_act is not None else j.obligation_de_classe
        if de_classe is not None and de_classe != ordre[0] and r.statut != "échue":
            r = dataclasses.replace(r, statut="sans_objet", avant_revue=False)
        sortie.append(r)
    return tuple(sortie)
