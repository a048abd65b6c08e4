"""« À traiter » décidé une fois par la cotation, et la vue d'un cas commune aux rapports texte, Markdown et HTML."""

import dataclasses
import io

from iagcli.moteur.evaluation import evaluer
from iagcli.moteur.resultat import Bilan, ResultatFichier
from iagcli.rendus.evaluation import creer
from iagcli.rendus.evaluation.constats import constats
from iagcli.rendus.evaluation.markdown import section_cas
from iagcli.rendus.evaluation.vue import vue_cas


def _cas_eleve(cas):
    # T1 : P4 G2 -> élevé (voir test_evaluation) ; mesures MA et MB suggérées.
    return cas(revue_humaine="aucune", destinataires="usagers")


def test_a_traiter_decide_par_la_cotation(ref_mini, cas):
    ev = evaluer(_cas_eleve(cas), ref_mini)
    # niveau_suggestion_mesures du référentiel mini : modéré ; T1 résiduel élevé -> à traiter
    assert ev.niveau_a_traiter == "modéré"
    assert [(e.id, e.a_traiter) for e in ev.risques] == [("T1", True)]
    assert [e.id for e in ev.a_traiter] == ["T1"]
    faible = evaluer(cas(), ref_mini)  # T1 faible : pas à traiter, aucune mesure suggérée
    assert [(e.id, e.a_traiter) for e in faible.risques] == [("T1", False)]
    assert faible.mesures_suggerees == ()


def test_les_rapporteurs_lisent_la_decision_de_l_evaluation(ref_mini, cas):
    """Les constats (SARIF, GitLab, GitHub), la vue et le Markdown suivent `a_traiter` et
    `niveau_a_traiter` de l'évaluation : ils ne refont pas la comparaison au référentiel."""
    ev = evaluer(_cas_eleve(cas), ref_mini)
    r = ResultatFichier("cas.yaml", cas=_cas_eleve(cas), evaluation=ev, au_seuil=True)
    assert [c.regle for c in constats(r, ref_mini)] == ["T1"]
    assert vue_cas(r, ref_mini, "élevé", plan=None).mesures[0].cibles == ("T1",)

    sans = dataclasses.replace(ev, risques=tuple(dataclasses.replace(e, a_traiter=False) for e in ev.risques),
                               niveau_a_traiter="critique")
    r2 = dataclasses.replace(r, evaluation=sans)
    assert [c.regle for c in constats(r2, ref_mini)] == []
    assert [m.cibles for m in vue_cas(r2, ref_mini, "élevé", plan=None).mesures] == [(), ()]
    assert "**Mesures à mettre en place** (risques critique et au-delà)" in section_cas(r2, ref_mini, "élevé")


def test_html_au_dessus_du_seuil_lu_sur_le_resultat(ref_mini, cas):
    """Le HTML lit ResultatFichier.au_seuil (décidé par le contrôleur), comme le texte et le Markdown."""
    ev = evaluer(_cas_eleve(cas), ref_mini)
    flux = io.StringIO()
    rapporteur = creer("html", flux, ref_mini, seuil="élevé")
    rapporteur.resultat(ResultatFichier("cas.yaml", cas=_cas_eleve(cas), evaluation=ev, au_seuil=False))
    rapporteur.resultat(ResultatFichier("b.yaml", cas=_cas_eleve(cas), evaluation=ev, au_seuil=True))
    rapporteur.fin(Bilan(par_verdict={"élevé": 2}, au_dessus_du_seuil=1))
    # Le bilan et le sommaire d'abord, puis les cas (issue 23) : chacun dit lui-même s'il est au-dessus du seuil.
    page = flux.getvalue()
    sommaire = page[page.index("<nav"):page.index("</nav>")]
    assert sommaire.count("(au-dessus du seuil)") == 1
    premier, second = page.split('<section class="cas"')[1:]
    assert "au-dessus du seuil" not in premier and second.count("au-dessus du seuil") == 1


def test_vue_du_cas_ordonnee_et_decidee(ref_mini, cas):
    c = cas(revue_humaine="aucune", destinataires="usagers", mesures_en_place=["MA"])
    ev = evaluer(c, ref_mini)
    v = vue_cas(ResultatFichier("cas.yaml", cas=c, evaluation=ev, au_seuil=True), ref_mini, "élevé", plan=None)
    assert (v.verdict, v.au_seuil, v.fichier) == ("élevé", True, "cas.yaml")
    (t1,) = v.risques
    # P4 G2 élevé ; MA : P-1 -> P3 G2, toujours élevé
    assert (t1.id, t1.probabilite, t1.gravite, t1.niveau_initial, t1.niveau_residuel, t1.change) == ("T1", (4, 3), (2, 2), "élevé", "élevé", True)
    assert [m.id for m in v.mesures] == ["MB"]
    assert v.lignes_plan == ()


def test_mesures_prevues_dans_les_formats_de_forge_et_junit(tmp_path):
    """Issue 12 : une mesure prévue devient un constat `iag/mesure-prevue` (note ; avertissement si
    l'échéance est passée) en SARIF, GitLab et GitHub, et une ligne en JUnit."""
    import json
    import xml.etree.ElementTree as ET

    from typer.testing import CliRunner

    from iagcli.cli import app

    from conftest import DONNEES, MINI

    base = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")
    cas = tmp_path / "cas.yaml"
    cas.write_text(base + "mesures_prevues:\n  - {id: MA, echeance: 2026-10-01, responsable: DSI}\n  - {id: MB, echeance: 2027-03-01}\n",
                   encoding="utf-8")
    ligne_ma = len(base.splitlines()) + 2

    def lancer(format_):
        r = CliRunner().invoke(app, ["evaluer", str(cas), "-r", str(MINI), "--date", "2026-11-30", "--seuil", "jamais", "-f", format_],
                               catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r.stdout

    sarif = json.loads(lancer("sarif"))
    run = sarif["runs"][0]
    prevues = [x for x in run["results"] if x["ruleId"] == "iag/mesure-prevue"]
    assert [(x["level"], x["locations"][0]["physicalLocation"]["region"]["startLine"]) for x in prevues] == [
        ("warning", ligne_ma), ("note", ligne_ma + 1)]
    assert "prévue pour le 1er octobre 2026 (responsable : DSI) : échéance passée" in prevues[0]["message"]["text"]
    assert "iag/mesure-prevue" in [x["id"] for x in run["tool"]["driver"]["rules"]]

    gitlab = json.loads(lancer("gitlab"))
    assert [(x["check_name"], x["severity"], x["location"]["lines"]["begin"]) for x in gitlab if x["check_name"] == "iag/mesure-prevue"] == [
        ("iag/mesure-prevue", "minor", ligne_ma), ("iag/mesure-prevue", "info", ligne_ma + 1)]

    github = [x for x in lancer("github").splitlines() if "mesure-prevue" in x]
    assert [x.split(" ", 1)[0] for x in github] == ["::warning", "::notice"]

    systeme = ET.fromstring(lancer("junit")).find(".//testcase/system-out").text
    assert "MA prévue pour le 2026-10-01 : échéance passée" in systeme and "MB prévue pour le 2027-03-01" in systeme


def test_vue_des_mesures_prevues_dans_l_ordre_du_fichier(ref_mini, cas):
    """Issue 11f : la vue porte le détail des mesures prévues (le HTML le montre) ; le retard est celui
    décidé par l'évaluation, pas recalculé."""
    import datetime as dt

    c = cas(revue_humaine="aucune", destinataires="usagers",
            mesures_prevues=[{"id": "MB", "echeance": "2027-03-01"}, {"id": "MA", "echeance": "2026-10-01", "responsable": "DSI"}])
    ev = evaluer(c, ref_mini, dt.date(2026, 11, 30))
    assert ev.prevues_en_retard == ("MA",)
    r = ResultatFichier("cas.yaml", cas=c, evaluation=ev, au_seuil=True)
    v = vue_cas(r, ref_mini, "élevé", plan=None)
    assert [(m.id, m.titre, m.echeance, m.responsable, m.en_retard) for m in v.prevues] == [
        ("MB", ref_mini.mesures["MB"].titre, dt.date(2027, 3, 1), None, False),
        ("MA", ref_mini.mesures["MA"].titre, dt.date(2026, 10, 1), "DSI", True)]
    # l'évaluation seule décide du retard : la vue la suit
    v2 = vue_cas(dataclasses.replace(r, evaluation=dataclasses.replace(ev, prevues_en_retard=())), ref_mini, "élevé", plan=None)
    assert [m.en_retard for m in v2.prevues] == [False, False]
    assert vue_cas(ResultatFichier("b.yaml", cas=cas(), evaluation=evaluer(cas(), ref_mini), au_seuil=False),
                   ref_mini, "élevé", plan=None).prevues == ()


def test_html_mesure_prevue_sans_date_d_evaluation(ref_mini, cas):
    """Sans date d'évaluation, aucun retard n'est décidé : le HTML le dit au lieu de « dans les délais »."""
    from iagcli.rendus.commun.html import t
    from iagcli.rendus.evaluation.html import section_cas as section_html

    c = cas(mesures_prevues=[{"id": "MA", "echeance": "2020-01-01", "responsable": "DSI"}])
    ev = evaluer(c, ref_mini)
    assert ev.date is None and ev.prevues_en_retard == ()
    page = section_html(ResultatFichier("cas.yaml", cas=c, evaluation=ev, au_seuil=False), ref_mini)
    assert ("<tr><th scope=\"row\">MA</th><td>" + t(ref_mini.mesures["MA"].titre)
            + "</td><td>2020-01-01</td><td>DSI</td><td>" + t("non vérifiée (sans date d'évaluation)") + "</td></tr>") in page
    assert "EN RETARD" not in page
