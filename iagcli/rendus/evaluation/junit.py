"""Rapport JUnit XML, pour les widgets de rapports de tests (GitLab, Jenkins, etc.).

Une suite « iag », un cas de test par fichier (`classname` = chemin, `name` = titre du cas
d'usage, ou le chemin pour un fichier invalide). Un `<failure>` quand le verdict atteint le
seuil (`seuil`, identifiant de niveau ; None : jamais), avec le motif et la liste des risques ;
un `<error>` pour un fichier invalide ou illisible, avec ses diagnostics.

Construit avec xml.etree.ElementTree (échappement correct) ; les caractères interdits en
XML 1.0 (séquences ANSI d'un titre, par exemple) sont remplacés. Le document est écrit dans
`fin` : l'élément de chaque cas est construit à son arrivée, sans garder le résultat.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, TextIO

from ...modeles.cas_usage import notes_schema
from ...modeles.types import nombre
from ...moteur.completude import phrase_a_completer, situer_tout
from . import Base, OptionsRapport
from .constats import avertissement_peremption, note_revue, phrase_classe, statut_regle, une_ligne

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ResultatFichier

_HORS_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_sur(texte: object) -> str:
    return _HORS_XML.sub("\ufffd", str(texte))


class Rapporteur(Base):
    def __init__(self, flux: TextIO, referentiel: "Referentiel", options: OptionsRapport):
        super().__init__(flux, referentiel, options)
        self.suite = ET.Element("testsuite", name="iag")
        self.nombres = {"tests": 0, "failures": 0, "errors": 0}
        proprietes = ET.SubElement(self.suite, "properties")
        ET.SubElement(proprietes, "property", name="referentiel.version", value=xml_sur(referentiel.version))
        seuil, date = self.seuil, self.date
        if seuil is not None:
            ET.SubElement(proprietes, "property", name="seuil", value=xml_sur(seuil))
        if date is not None:
            ET.SubElement(proprietes, "property", name="date_evaluation", value=date.isoformat())
            if referentiel.perime_le(date):
                ET.SubElement(proprietes, "property", name="referentiel.perime", value=xml_sur(avertissement_peremption(referentiel, date)))

    def resultat(self, r: "ResultatFichier") -> None:
        ref = self.ref
        self.nombres["tests"] += 1
        fichier = xml_sur(r.fichier)
        cas = ET.SubElement(self.suite, "testcase", classname=fichier, file=fichier)
        if r.evaluation is None:
            cas.set("name", fichier)
            genre = "iag/illisible" if r.illisible else "iag/invalide"
            erreur = ET.SubElement(cas, "error", type=genre, message="fichier illisible" if r.illisible else "cas d'usage invalide")
            erreur.text = xml_sur("\n".join(str(d) for d in r.diagnostics))
            self.nombres["errors"] += 1
            return
        ev, cu = r.evaluation, r.cas
        assert cu is not None  # un cas évalué a toujours son modèle
        cas.set("name", xml_sur(une_ligne(cu.titre)))
        libelle = ref.niveau_par_id
        lignes = [f"Verdict : {ev.verdict} ({ev.motif})"]
        if ev.classification is not None:  # la classe de l'AI Act, distincte du verdict
            lignes.append(f"AI Act : {phrase_classe(ev.classification)}")
            proprietes = ET.SubElement(cas, "properties")
            ET.SubElement(proprietes, "property", name="classification_ai_act.classe", value=xml_sur(ev.classification.classe))
            ET.SubElement(proprietes, "property", name="classification_ai_act.bases",
                          value=xml_sur(" ; ".join(f"{b.regle} : {b.base}" for b in ev.classification.bases)))
            ET.SubElement(proprietes, "property", name="classification_ai_act.applicable_depuis",
                          value=ev.classification.applicable_depuis.isoformat() if ev.classification.applicable_depuis else "")
        for e in ev.risques:
            lignes.append(
                f"{e.id} {ref.risques[e.id].titre} : {e.initial.niveau} (P{e.initial.probabilite} G{e.initial.gravite})"
                f" -> {e.residuel.niveau} (P{e.residuel.probabilite} G{e.residuel.gravite})"
            )
        for d in ev.regles:
            quand = "" if d.en_vigueur else f", {statut_regle(d)}"
            lignes.append(f"{d.id} {d.nature} : {ref.regles[d.id].titre} ({ref.regles[d.id].texte}){quand}")
            if d.avant_revue:
                lignes.append(f"  {note_revue(d, cu)}")
        for m in ev.mesures_contredites:
            lignes.append(f"{m.id} déclarée mais non créditée : {une_ligne(m.raison)}")
        for n in notes_schema(cu):
            lignes.append(f"avertissement ({n.champ}) : {une_ligne(n.message)}")
        for p in cu.mesures_prevues:
            retard = " : échéance passée" if p.id in ev.prevues_en_retard else ""
            lignes.append(f"{p.id} prévue pour le {p.echeance.isoformat()}{retard}")
        if ev.verdict_apres_prevues is not None:
            lignes.append(f"Verdict une fois les mesures prévues en place : {ev.verdict_apres_prevues}")
        if r.validation is not None:
            from .vue import phrases_validation

            lignes += [p for _, p in phrases_validation(r.validation, bool(r.au_seuil))]
        questions = situer_tout(ev.a_completer, r.document)
        for q in questions:
            lignes.append(f"à compléter : {q.texte}")
        for a in ev.alertes_texte:
            lignes.append(f"avertissement (description) : {a.phrase()}")
        for x in ev.contradictions:
            lignes.append(f"réponses contradictoires ({x.id}) : {une_ligne(x.message)} ; à revoir : {', '.join(x.douteuses)}")
        texte = xml_sur("\n".join(lignes))
        if ev.incomplet:
            quoi = [phrase_a_completer(len(questions))] if questions else []
            quoi += [nombre(len(ev.contradictions), "contradiction")] if ev.contradictions else []
            echec = ET.SubElement(cas, "failure", type="incomplet",
                                  message=xml_sur(f"cas incomplet ({', '.join(quoi)}) : verdict au pire cas, {libelle[ev.verdict].libelle}"))
            echec.text = texte
            self.nombres["failures"] += 1
        elif r.bloque and self.seuil is not None:
            echec = ET.SubElement(
                cas, "failure", type=ev.verdict,
                message=xml_sur(f"{libelle[ev.verdict].libelle} (seuil : {libelle[self.seuil].libelle}) : {ev.motif}"),
            )
            echec.text = texte
            self.nombres["failures"] += 1
        else:
            ET.SubElement(cas, "system-out").text = texte

    def fin(self, bilan: "Bilan") -> None:
        for chemin, raison in bilan.ignores:  # un cas sauté par chemin ignoré : rien n'est omis en silence
            cas = ET.SubElement(self.suite, "testcase", classname=xml_sur(chemin), name=xml_sur(chemin), file=xml_sur(chemin))
            ET.SubElement(cas, "skipped", message=xml_sur(f"ignoré : {raison}"))
            self.nombres["tests"] += 1
        for cle, n in self.nombres.items():
            self.suite.set(cle, str(n))
        self.suite.set("skipped", str(len(bilan.ignores)))
        racine = ET.Element("testsuites", {"name": "iag", **{k: str(v) for k, v in self.nombres.items()}})
        racine.append(self.suite)
        ET.indent(racine)
        self.flux.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.flux.write(ET.tostring(racine, encoding="unicode"))
        self.flux.write("\n")
        self.flux.flush()
