"""Synthèse et registre en HTML : pages autonomes (règles de sûreté et d'accessibilité : `rendus/commun/html.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from ...modeles.types import nombre
from ...moteur.observatoire import COLONNES
from ..commun.html import FIN_PAGE, debut_page, grille_svg, niveau, t, tableau
from ..evaluation.constats import date_fr

if TYPE_CHECKING:
    from ...moteur.observatoire import CollecteurRegistre, Invalide, Synthese
    from ...moteur.referentiel import Referentiel


def _invalides(invalides: "Iterable[Invalide]") -> str:
    if not invalides:
        return ""
    lignes = [[t(i.fichier), "illisible" if i.illisible else "invalide", "<br>".join(t(m) for m in i.messages)] for i in invalides]
    return ('<section class="vue"><h2>Fichiers invalides</h2>\n<p class="alerte">Ces fichiers ne sont comptés dans '
            "aucune vue : à corriger.</p>\n" + tableau(["Fichier", "État", "Erreurs"], lignes) + "</section>\n")


def synthese(s: "Synthese", ref: "Referentiel", flux: TextIO) -> None:
    w = flux.write
    w(debut_page("Synthèse du portefeuille", f"Date d'évaluation : {date_fr(s.date)} ({s.date.isoformat()}) · "
                 f"Référentiel {ref.version} · {nombre(s.total, 'fichier')}, {nombre(s.evalues, 'cas évalué', 'cas évalués')}, {nombre(len(s.invalides), 'invalide')}"))
    w(_invalides(s.invalides))
    w('<section class="vue"><h2>Verdicts</h2>\n')
    w(tableau(["Verdict", *s.statuts, "Total"],
              [[niveau(ref, v), *[str(p[x]) for x in s.statuts], str(sum(p.values()))] for v, p in s.par_verdict_statut.items()],
              "Verdicts par statut", numeriques=range(1, len(s.statuts) + 2)))
    verdicts = list(s.par_verdict_statut)
    w(tableau(["Service", *[ref.niveau_par_id[v].libelle for v in verdicts]],
              [[t(x), *[str(p.get(v, 0)) for v in verdicts]] for x, p in s.par_service.items()],
              "Verdicts par service", numeriques=range(1, len(verdicts) + 1)))
    if s.par_classe:  # fait juridique distinct du verdict
        w(tableau(["Classe", "Cas"], [[t(libelle), str(n)] for _, libelle, n in s.par_classe], "Classes de l'AI Act", numeriques=[1]))
    w("</section>\n")
    w('<section class="vue"><h2>Carte des risques du portefeuille</h2>\n<p>Nombre de risques de tous les cas dans '
      "chaque case de la grille (P : probabilité, G : gravité).</p>\n<div class=\"grilles\">\n")
    w(grille_svg(ref, "Avant les mesures (risque inhérent)", lambda p, g: str(s.carte_inherente.get((p, g), 0))))
    w(grille_svg(ref, "Après les mesures (risque résiduel)", lambda p, g: str(s.carte_residuelle.get((p, g), 0))))
    w("</div>\n")
    if s.seuil is not None:
        w(tableau(["Risque", "Titre", "Cas"], [[t(i), t(ref.risques[i].titre), str(n)] for i, n in s.risques_au_seuil],
                  f"Risques les plus souvent au niveau {ref.niveau_par_id[s.seuil].libelle.lower()} ou au-dessus", numeriques=[2]))
    w(tableau(["Mesure", "Titre", "Cas"], [[t(i), t(ref.mesures[i].titre), str(n)] for i, n in s.mesures_suggerees],
              "Mesures les plus souvent suggérées", numeriques=[2]))
    w("</section>\n")
    w('<section class="vue"><h2>Travail juridique à prévoir</h2>\n')
    w(tableau(["Démarche", "Cas (applicable)", "Cas (à venir)"], [[t(d.libelle), str(d.applicables), str(d.a_venir)] for d in s.demarches],
              "Nombre de cas par démarche", numeriques=[1, 2]))
    w("</section>\n")
    w(f'<section class="vue"><h2>À surveiller au {t(date_fr(s.date))}</h2>\n<h3>Revues en retard</h3>\n')
    if s.revues_en_retard:
        w(tableau(["Cas", "Fichier", "Service", "Revue prévue", "Retard (jours)"],
                  [[t(r.cas.titre), t(r.cas.fichier), t(r.cas.service), t(r.prochaine_revue.isoformat()), str(r.jours_de_retard)]
                   for r in s.revues_en_retard], numeriques=[4]))
    else:
        w("<p>Aucune revue en retard.</p>\n")
    w("<h3>Mesures prévues en retard</h3>\n")
    if s.mesures_en_retard:
        w(tableau(["Cas", "Fichier", "Service", "Mesure", "Échéance", "Responsable", "Retard (jours)"],
                  [[t(m.cas.titre), t(m.cas.fichier), t(m.cas.service), f"{t(m.mesure)} {t(m.titre)}", t(m.echeance.isoformat()),
                    t(m.responsable) if m.responsable is not None else "—", str(m.jours_de_retard)]
                   for m in s.mesures_en_retard], numeriques=[6]))
    else:
        w("<p>Aucune mesure prévue en retard.</p>\n")
    w(f"<h3>Échéances juridiques d'ici le {t(date_fr(s.fin_horizon))} ({s.horizon_mois} mois)</h3>\n")
    if s.echeances:
        w(tableau(["Date", "Règle", "Cas concernés"],
                  [[t(e.date.isoformat()), f"{t(e.regle)} {t(ref.regles[e.regle].titre)}",
                    "<br>".join(f"{t(c.titre)} ({t(c.fichier)})" for c in e.cas)] for e in s.echeances]))
    else:
        w("<p>Aucune échéance dans l'horizon.</p>\n")
    w("</section>\n")
    w(FIN_PAGE)


def registre(c: "CollecteurRegistre", ref: "Referentiel", flux: TextIO) -> None:
    w = flux.write
    n = len(c.lignes)
    sous_titre = f"Évaluation au {date_fr(c.date)} ({c.date.isoformat()}) · {n} usage{'s' if n > 1 else ''} publié{'s' if n > 1 else ''}"
    if c.non_publies:
        k = len(c.non_publies)
        sous_titre += f" · {k} projet{'s' if k > 1 else ''} au stade de l'idée, non publié{'s' if k > 1 else ''}"
    w(debut_page("Registre des usages de l'IA générative", sous_titre))
    w(_invalides(c.invalides))
    w('<section class="vue"><h2>Usages</h2>\n')
    # Une fiche par usage (titre, puis chaque colonne du registre en liste de définitions) : lisible à
    # 1280 px comme sur une page A4, là où un tableau de dix-neuf colonnes débordait.
    for ligne in c.lignes:
        w(f'<article class="usage"><h3>{t(ligne["titre"])}</h3>\n<dl>\n')
        w("".join(f"<div><dt>{t(col.titre)}</dt><dd>{t(ligne[col.cle]) or '—'}</dd></div>\n"
                  for col in COLONNES if col.cle != "titre"))
        w("</dl></article>\n")
    if not c.lignes:
        w("<p>Aucun usage publié.</p>\n")
    w("</section>\n")
    w('<section class="vue"><h2>Définition des colonnes</h2>\n')
    w(tableau(["Colonne", "Définition", "Fiche Etalab"], [[t(col.titre), t(col.definition), t(col.etalab)] for col in COLONNES]))
    w("</section>\n")
    w(FIN_PAGE)
