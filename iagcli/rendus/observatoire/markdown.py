"""Synthèse en Markdown (texte d'un cas ou du référentiel échappé comme dans le rapport Markdown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ...modeles.types import nombre
from ..evaluation.constats import date_fr
from ..evaluation.markdown import echapper as e

if TYPE_CHECKING:
    from ...moteur.observatoire import Synthese
    from ...moteur.referentiel import Referentiel


def _niveau(ref: "Referentiel", niveau: str) -> str:
    return e(ref.niveau_par_id[niveau].libelle)


def _table(entetes: list[str], lignes: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(entetes) + " |", "| " + " | ".join("---" for _ in entetes) + " |",
            *("| " + " | ".join(x) + " |" for x in lignes), ""]


def synthese(s: "Synthese", ref: "Referentiel", flux: TextIO) -> None:
    out = [f"## Synthèse du portefeuille au {date_fr(s.date)}", "",
           f"{nombre(s.total, 'fichier')} · {nombre(s.evalues, 'cas évalué', 'cas évalués')} · {nombre(len(s.invalides), 'invalide')}", ""]
    if s.invalides:
        out += ["### Fichiers invalides", ""]
        out += [f"- {e(i.fichier)} : {'illisible' if i.illisible else 'invalide'}"
                + (f" ({e(i.messages[0])})" if i.messages else "") for i in s.invalides]
        out.append("")
    out += ["### Verdicts par statut", ""]
    out += _table(["Verdict", *[e(x) for x in s.statuts], "Total"],
                  [[_niveau(ref, v), *[str(p[x]) for x in s.statuts], str(sum(p.values()))] for v, p in s.par_verdict_statut.items()])
    verdicts = list(s.par_verdict_statut)
    out += ["### Verdicts par service", ""]
    out += _table(["Service", *[_niveau(ref, v) for v in verdicts]],
                  [[e(x), *[str(p.get(v, 0)) for v in verdicts]] for x, p in s.par_service.items()])
    if s.par_classe:  # fait juridique distinct du verdict
        out += ["### Classes de l'AI Act", ""]
        out += _table(["Classe", "Cas"], [[e(libelle), str(n)] for _, libelle, n in s.par_classe])
    if s.seuil is not None:
        out += [f"### Risques les plus souvent au niveau {_niveau(ref, s.seuil).lower()} ou au-dessus", ""]
        out += _table(["Risque", "Titre", "Cas"], [[e(i), e(ref.risques[i].titre), str(n)] for i, n in s.risques_au_seuil])
    for titre, carte in (("Carte des risques avant les mesures", s.carte_inherente), ("Carte des risques après les mesures", s.carte_residuelle)):
        out += [f"### {titre}", "", "Nombre de risques par case (probabilité P, gravité G) et niveau de la case.", ""]
        out += _table(["P \\\\ G", *[f"G{g}" for g in range(1, ref.g_max + 1)]],
                      [[f"P{p}", *[f"{carte.get((p, g), 0)} ({_niveau(ref, ref.grille[(p, g)]).lower()})" for g in range(1, ref.g_max + 1)]]
                       for p in range(ref.p_max, 0, -1)])
    out += ["### Mesures les plus souvent suggérées", ""]
    out += _table(["Mesure", "Titre", "Cas"], [[e(i), e(ref.mesures[i].titre), str(n)] for i, n in s.mesures_suggerees])
    out += ["### Travail juridique à prévoir", ""]
    out += _table(["Démarche", "Applicable", "À venir"], [[e(d.libelle), str(d.applicables), str(d.a_venir)] for d in s.demarches])
    out += [f"### À surveiller au {date_fr(s.date)}", ""]
    if s.revues_en_retard:
        out += _table(["Fichier", "Cas", "Service", "Revue prévue", "Retard (jours)"],
                      [[e(r.cas.fichier), e(r.cas.titre), e(r.cas.service), r.prochaine_revue.isoformat(), str(r.jours_de_retard)]
                       for r in s.revues_en_retard])
    else:
        out += ["Aucune revue en retard.", ""]
    if s.mesures_en_retard:
        out += ["Mesures prévues en retard :", ""]
        out += _table(["Fichier", "Cas", "Service", "Mesure", "Échéance", "Responsable", "Retard (jours)"],
                      [[e(m.cas.fichier), e(m.cas.titre), e(m.cas.service), f"{e(m.mesure)} {e(m.titre)}", m.echeance.isoformat(),
                        e(m.responsable) if m.responsable is not None else "—", str(m.jours_de_retard)]
                       for m in s.mesures_en_retard])
    else:
        out += ["Aucune mesure prévue en retard.", ""]
    if s.echeances:
        out += [f"Échéances juridiques d'ici le {date_fr(s.fin_horizon)} ({s.horizon_mois} mois) :", ""]
        for x in s.echeances:
            out.append(f"- {x.date.isoformat()} : {e(x.regle)} {e(ref.regles[x.regle].titre)} : "
                       + ", ".join(f"{e(c.titre)} ({e(c.fichier)})" for c in x.cas))
        out.append("")
    else:
        out += [f"Aucune échéance juridique d'ici le {date_fr(s.fin_horizon)} ({s.horizon_mois} mois).", ""]
    flux.write("\n".join(out) + "\n")
