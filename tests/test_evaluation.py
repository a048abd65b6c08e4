"""Cotation sur le référentiel minimal : chaque attendu est calculé à la main (voir ses commentaires)."""

import datetime as dt

from iagcli.moteur.evaluation import evaluer, statut_regle
from iagcli.moteur.resultat import Etape

from conftest import cas_epreuve as _cas_t


def par_id(ev):
    return {r.id: r for r in ev.risques}


def test_cas_de_base_faible_et_bornage(ref_mini, cas):
    ev = evaluer(cas(), ref_mini)
    # T1 : base P2 G1 ; destinataire agent seul : G-1 -> 0, borné à 1. T2 ne s'applique pas (données publiques).
    assert [r.id for r in ev.risques] == ["T1"]
    t1 = ev.risques[0]
    assert (t1.initial.probabilite, t1.initial.gravite, t1.initial.niveau) == (2, 1, "faible")
    assert [e.genre for e in t1.trace] == ["base", "ponderation", "bornage"]
    assert t1.trace[-1].gravite == 1  # le bornage remonte de 0 à 1
    assert ev.verdict == "faible"
    assert ev.regles == ()
    assert ev.mesures_suggerees == ()
    assert ev.recommandations == ("C1",)


def test_ponderations_cumulees_et_bornees(ref_mini, cas):
    ev = evaluer(cas(revue_humaine="aucune", destinataires="usagers"), ref_mini)
    t1 = par_id(ev)["T1"]
    # P2 +1 (au moins ponctuelle) +1 (aucune) = 4 ; G1 +1 (aucune) = 2 -> grille[4][2] = élevé
    assert (t1.initial.probabilite, t1.initial.gravite, t1.initial.niveau) == (4, 2, "élevé")
    assert t1.residuel == t1.initial
    assert ev.verdict == "élevé"
    # mesures qui traitent T1, aucune en place : MA et MB suggérées
    assert ev.mesures_suggerees == ("MA", "MB")
    champs = [c for e in t1.trace if e.genre == "ponderation" for c in e.champs]
    assert ("revue_humaine", "aucune") in champs


def test_mesures_en_place_donnent_le_residuel(ref_mini, cas):
    ev = evaluer(cas(revue_humaine="aucune", destinataires="usagers", mesures_en_place=["MA"]), ref_mini)
    t1 = par_id(ev)["T1"]
    assert (t1.residuel.probabilite, t1.residuel.gravite, t1.residuel.niveau) == (3, 2, "élevé")
    assert t1.mesures_appliquees == ("MA",)
    ev2 = evaluer(cas(revue_humaine="aucune", destinataires="usagers", mesures_en_place=["MA", "MB"]), ref_mini)
    t1 = par_id(ev2)["T1"]
    assert (t1.residuel.probabilite, t1.residuel.gravite, t1.residuel.niveau) == (2, 2, "modéré")
    assert ev2.verdict == "modéré"
    assert [e.mesure for e in t1.trace if e.genre == "mesure"] == ["MA", "MB"]


def test_risque_conditionnel_et_combinaison(ref_mini, cas):
    ev = evaluer(
        cas(donnees={"categories": ["personnelles", "sensibles"], "volume": "important"}, hebergement="hors_ue"), ref_mini
    )
    t2 = par_id(ev)["T2"]
    # P2 +2 (hors UE) = 4 ; G3 +1 (sensibles et volume au moins important) = 4 -> critique
    assert (t2.initial.probabilite, t2.initial.gravite, t2.initial.niveau) == (4, 4, "critique")
    assert ev.verdict == "critique"
    assert ev.risques[0].id == "T2"
    assert t2.champs_determinants == ("donnees.categories", "hebergement", "donnees.volume")
    avec_mb = evaluer(
        cas(donnees={"categories": ["personnelles", "sensibles"], "volume": "important"}, hebergement="hors_ue", mesures_en_place=["MB"]),
        ref_mini,
    )
    t2 = par_id(avec_mb)["T2"]
    assert (t2.residuel.probabilite, t2.residuel.gravite, t2.residuel.niveau) == (2, 3, "élevé")


def test_reponse_inconnue_compte_comme_le_pire_cas(ref_mini, cas):
    connu = evaluer(cas(donnees={"categories": ["personnelles"], "volume": "limité"}, hebergement="hors_ue"), ref_mini)
    inconnu = evaluer(cas(donnees={"categories": ["personnelles"], "volume": "limité"}, hebergement="inconnu"), ref_mini)
    t2 = par_id(inconnu)["T2"]
    assert (t2.initial.probabilite, t2.initial.gravite) == (4, 3)
    assert par_id(connu)["T2"].initial == t2.initial
    assert t2.incertain
    assert inconnu.reponses_inconnues == ("hebergement",)


def test_inconnu_declenche_les_hausses_et_la_regle_parmi(ref_mini, cas):
    ev = evaluer(cas(donnees={"categories": ["sensibles"], "volume": "inconnu"}), ref_mini)
    # volume inconnu : la pondération +1 gravité s'applique (pire cas) et l'AIPD (2 critères sur 3) est incertaine
    t2 = par_id(ev)["T2"]
    assert (t2.initial.probabilite, t2.initial.gravite) == (2, 4)
    regles = {r.id: r for r in ev.regles}
    assert set(regles) == {"JP"} and regles["JP"].incertaine
    sur = evaluer(cas(donnees={"categories": ["sensibles"], "volume": "grande_échelle"}), ref_mini)
    assert {r.id: r.incertaine for r in sur.regles} == {"JP": False}
    aucun = evaluer(cas(donnees={"categories": ["sensibles"], "volume": "limité"}), ref_mini)
    assert aucun.regles == ()


def test_interdiction_donne_le_verdict_interdit(ref_mini, cas):
    ev = evaluer(cas(fonctionnalites_sensibles=["notation_sociale"]), ref_mini)
    assert ev.verdict == "interdit"
    assert ev.motif == "pratique interdite : JI"
    assert [r.id for r in ev.regles] == ["JI"]


def test_niveau_minimum_d_une_obligation(ref_mini, cas):
    ev = evaluer(cas(decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"}), ref_mini)
    assert par_id(ev)["T1"].residuel.niveau == "faible"
    assert ev.verdict == "élevé"
    assert ev.motif == "niveau minimum imposé par la règle JO"
    autre = evaluer(cas(decision_individuelle={"type": "aide_à_la_décision", "domaine": "autre"}), ref_mini)
    assert autre.verdict == "faible"


def test_tolerance_accents_et_booleens(cas):
    c = cas(statut="experimentation", interaction_directe_usagers="false", hebergement="UE")
    assert c.statut.value == "expérimentation"
    assert c.interaction_directe_usagers.value == "non"
    assert c.hebergement.value == "ue"


# --- Trace, crédit, règles et verdicts sur le référentiel d'épreuve (issue 26) -----------------
#
# `ref_trace` et `cas_epreuve` : voir tests/conftest.py (le même référentiel sert à test_plan.py).

JOUR = dt.date(2026, 11, 30)


def _trace(r):
    return [(e.genre, e.texte, e.probabilite, e.gravite, e.champs, e.incertain, e.mesure) for e in r.trace]


def test_t3_seul_par_defaut(ref_trace, cas):
    ev = evaluer(_cas_t(cas), ref_trace, JOUR)
    [t3] = ev.risques
    assert t3.id == "T3" and (t3.initial.probabilite, t3.initial.gravite, t3.initial.niveau) == (3, 2, "élevé")
    assert _trace(t3) == [
        ("applicabilite", "risque applicable", 0, 0, (("lit_contenus_externes", "oui"),), False, None),
        ("base", "cotation de base", 3, 2, (), False, None),
    ]
    assert t3.champs_determinants == ("lit_contenus_externes",)
    assert t3.a_traiter and ev.verdict == "élevé" and ev.motif == "niveau résiduel le plus haut : T3"


def test_baisse_indeterminee_ignoree_sans_arreter_les_ponderations_suivantes(ref_trace, cas):
    # hébergement inconnu : la baisse (UE) est indéterminée, donc écartée ; les pondérations
    # suivantes comptent encore : entraînement inconnu (hausse seule, P+2), utilisateurs (G+2).
    ev = evaluer(_cas_t(cas, hebergement="inconnu", reutilisation_entrainement="inconnu", nombre_utilisateurs="plus_de_1000"), ref_trace, JOUR)
    [t3] = ev.risques
    assert _trace(t3) == [
        ("applicabilite", "risque applicable", 0, 0, (("lit_contenus_externes", "oui"),), False, None),
        ("base", "cotation de base", 3, 2, (), False, None),
        ("ponderation", "réutilisation pour l'entraînement", 2, 0, (("reutilisation_entrainement", "inconnu"),), True, None),
        ("ponderation", "nombreux utilisateurs", 0, 2, (("nombre_utilisateurs", "plus_de_1000"),), False, None),
        ("bornage", "bornage à l'échelle", -1, 0, (), False, None),
    ]
    assert (t3.initial.probabilite, t3.initial.gravite, t3.initial.niveau) == (4, 4, "critique")
    assert t3.incertain
    assert t3.champs_determinants == ("lit_contenus_externes", "reutilisation_entrainement", "nombre_utilisateurs")
    assert ev.reponses_inconnues == ("hebergement", "reutilisation_entrainement")


def test_baisses_connues_et_bornage_par_le_bas(ref_trace, cas):
    ev = evaluer(_cas_t(cas, hebergement="ue", reutilisation_entrainement="oui", destinataires="agent_seul"), ref_trace, JOUR)
    [t3] = ev.risques
    assert _trace(t3)[2:] == [
        ("ponderation", "hébergement dans l'UE", -1, 0, (("hebergement", "ue"),), False, None),
        ("ponderation", "réutilisation pour l'entraînement", 2, -1, (("reutilisation_entrainement", "oui"),), False, None),
        ("ponderation", "l'agent seul lit", 0, -2, (("destinataires", "agent_seul"),), False, None),
        ("bornage", "bornage à l'échelle", 0, 2, (), False, None),
    ]
    # P3 -1 +2 = 4 ; G2 -1 -2 = -1, borné à 1 : grille[4][1] = modéré
    assert (t3.initial.probabilite, t3.initial.gravite, t3.initial.niveau) == (4, 1, "modéré")
    # seules les hausses désignent les réponses qui ont fait monter le risque
    assert t3.champs_determinants == ("lit_contenus_externes", "reutilisation_entrainement")
    assert t3.a_traiter  # « modéré » : au seuil de suggestion des mesures


def test_plafond_du_credit_puis_plancher(ref_trace, cas):
    c = _cas_t(cas, hebergement="inconnu", reutilisation_entrainement="inconnu", nombre_utilisateurs="plus_de_1000",
               mesures_en_place=["MC", "MD", "MF"])
    ev = evaluer(c, ref_trace, JOUR)
    [t3] = ev.risques
    # MF est démentie (entraînement inconnu : pire cas) ; les mesures qui la suivent comptent encore :
    # MC P-2, MD P-1 G-1 : P-3 plafonné à -2.
    assert _trace(t3)[5:] == [
        ("mesure_contredite", "réutilisation déclarée", 0, 0, (("reutilisation_entrainement", "inconnu"),), True, "MF"),
        ("mesure", "Filtrage", -2, 0, (), False, "MC"),
        ("mesure", "Cloisonnement", -1, -1, (), False, "MD"),
        ("plafond_credit", "crédit des mesures plafonné : au plus 2 paliers de baisse par dimension", 1, 0, (), False, None),
        ("plancher", "plancher du risque : probabilité 3, gravité 2", 1, 0, (), False, None),
    ]
    assert t3.mesures_appliquees == ("MC", "MD")
    assert (t3.residuel.probabilite, t3.residuel.gravite, t3.residuel.niveau) == (3, 3, "élevé")
    assert [(m.id, m.raison, m.champs, m.incertaine) for m in ev.mesures_contredites] == [
        ("MF", "réutilisation déclarée", (("reutilisation_entrainement", "inconnu"),), True)]


def test_plafond_sur_les_deux_dimensions(ref_trace, cas):
    ev = evaluer(_cas_t(cas, nombre_utilisateurs="plus_de_1000", mesures_en_place=["MC", "MD", "MF"]), ref_trace, JOUR)
    [t3] = ev.risques
    # initial P3 G4 ; MC, MD, MF : P-3, G-3 plafonnés à -2, -2 -> P1 G2, plancher P3 -> P3 G2
    assert [(e.genre, e.probabilite, e.gravite) for e in t3.trace if e.genre in ("plafond_credit", "plancher", "bornage")] == [
        ("plafond_credit", 1, 1), ("plancher", 2, 0)]
    assert t3.mesures_appliquees == ("MF", "MC", "MD")
    assert (t3.residuel.probabilite, t3.residuel.gravite, t3.residuel.niveau) == (3, 2, "élevé")
    assert ev.mesures_contredites == ()


def test_premiere_contradiction_qui_s_applique_gagne(ref_trace, cas):
    ev = evaluer(_cas_t(cas, acces="grand_public", reutilisation_entrainement="oui", mesures_en_place=["MF"]), ref_trace, JOUR)
    assert [(m.id, m.raison, m.champs, m.incertaine) for m in ev.mesures_contredites] == [
        ("MF", "accès grand public déclaré", (("acces", "grand_public"),), False)]
    assert ev.risques[0].mesures_appliquees == ()


def test_bornage_du_residuel_et_plancher_sans_depasser_l_inherent(ref_trace, cas):
    # hébergement UE : initial P2 G2 (modéré) ; MC P-2 -> 0, borné à 1 ; le plancher P3 G2 ne relève
    # le résiduel qu'à l'inhérent, P2.
    ev = evaluer(_cas_t(cas, hebergement="ue", mesures_en_place=["MC"]), ref_trace, JOUR)
    [t3] = ev.risques
    assert [(e.genre, e.texte, e.probabilite, e.gravite) for e in t3.trace[3:]] == [
        ("mesure", "Filtrage", -2, 0),
        ("bornage", "bornage à l'échelle", 1, 0),
        ("plancher", "plancher du risque : probabilité 3, gravité 2", 1, 0),
    ]
    assert (t3.initial.probabilite, t3.initial.gravite, t3.initial.niveau) == (2, 2, "modéré")
    assert (t3.residuel.probabilite, t3.residuel.gravite, t3.residuel.niveau) == (2, 2, "modéré")
    assert t3.champs_determinants == ("lit_contenus_externes",)


def test_a_traiter_au_seuil_et_en_dessous(ref_trace, cas):
    # « à traiter » dès « modéré » (parametres.niveau_suggestion_mesures) ; « faible » ne l'est pas.
    # T3 P2 G2 (UE), T1 P3 G1 (relecture ponctuelle) : tous deux modérés, la gravité départage.
    ev = evaluer(_cas_t(cas, hebergement="ue", revue_humaine="ponctuelle"), ref_trace, JOUR)
    assert [(r.id, r.residuel.niveau, r.a_traiter) for r in ev.risques] == [("T3", "modéré", True), ("T1", "modéré", True)]
    assert ev.niveau_a_traiter == "modéré"
    assert ev.mesures_suggerees == ("MA", "MB", "MC", "MD", "MF")  # même poids : l'identifiant
    # l'agent seul lit : T3 G0, borné à 1 -> faible, plus à traiter ; ses mesures ne sont plus suggérées
    ev = evaluer(_cas_t(cas, hebergement="ue", revue_humaine="ponctuelle", destinataires="agent_seul"), ref_trace, JOUR)
    assert [(r.id, r.residuel.niveau, r.a_traiter) for r in ev.risques] == [("T1", "modéré", True), ("T3", "faible", False)]
    assert [r.id for r in ev.a_traiter] == ["T1"]
    assert ev.mesures_suggerees == ("MA", "MB")


def test_ordre_des_risques_des_mesures_suggerees_et_des_recommandations(ref_trace, cas):
    # T1 élevé (P4 G2) ; T3 avec MD : P2 G1, relevé par le plancher à P3 G2 : élevé aussi. À niveaux
    # résiduel et inhérent égaux, gravité égale : la probabilité la plus haute d'abord.
    ev = evaluer(_cas_t(cas, revue_humaine="aucune", destinataires="usagers", mesures_en_place=["MD"]), ref_trace, JOUR)
    assert [(r.id, r.residuel.probabilite, r.residuel.gravite, r.residuel.niveau) for r in ev.risques] == [
        ("T1", 4, 2, "élevé"), ("T3", 3, 2, "élevé")]
    # poids : MA, MB 1 + 2 (T1 élevé) ; MC, MF 1 + 2 (T3 élevé) ; MD est en place ; à égalité, l'identifiant
    assert ev.mesures_suggerees == ("MA", "MB", "MC", "MF")
    # recommandations : par niveau résiduel le plus haut des risques qu'elles couvrent, puis l'identifiant
    assert ev.recommandations == ("C1", "C3")
    ev = evaluer(_cas_t(cas, revue_humaine="ponctuelle", nombre_utilisateurs="plus_de_1000"), ref_trace, JOUR)
    assert [(r.id, r.residuel.niveau) for r in ev.risques] == [("T3", "critique"), ("T1", "modéré")]
    # poids d'une mesure : somme, sur les risques à traiter, de 1 + rang du niveau résiduel
    # MA, MB (T1 modéré : 2) ; MC, MD, MF (T3 critique : 4)
    assert ev.mesures_suggerees == ("MC", "MD", "MF", "MA", "MB")
    assert ev.recommandations == ("C3", "C1")


def test_recommandations_a_egalite_par_identifiant_et_mesure_commune(ref_mini, cas):
    # T1 (P4 G2) et T2 (P2 G3) élevés : à niveau égal, la gravité la plus haute d'abord.
    # MB traite les deux (poids 3 + 3), MA le seul T1 (3).
    ev = evaluer(cas(revue_humaine="aucune", destinataires="usagers", hebergement="ue",
                     donnees={"categories": ["personnelles"], "volume": "limité"}), ref_mini)
    assert [(r.id, r.residuel.niveau) for r in ev.risques] == [("T2", "élevé"), ("T1", "élevé")]
    assert ev.mesures_suggerees == ("MB", "MA")
    assert ev.recommandations == ("C1", "C2")


def test_aucun_risque_ne_s_applique(ref_trace, cas):
    ev = evaluer(_cas_t(cas, lit_contenus_externes="non", hebergement="ue"), ref_trace, JOUR)
    assert ev.risques == ()
    assert (ev.verdict, ev.motif) == ("faible", "aucun risque du référentiel ne s'applique")
    assert ev.mesures_suggerees == () and ev.recommandations == () and ev.regles == ()


def test_regle_a_venir_et_echue_sans_effet_avant_un_niveau_minimum(ref_trace, cas):
    c = _cas_t(cas, lit_contenus_externes="non", decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"})
    ev = evaluer(c, ref_trace, JOUR)
    assert [(r.id, r.statut, r.avant_revue, r.en_vigueur) for r in ev.regles] == [
        ("JF", "à_venir", True, False), ("JE", "échue", False, False), ("JO", "applicable", False, True)]
    assert (ev.verdict, ev.motif) == ("élevé", "niveau minimum imposé par la règle JO")
    assert [(r.applicable_depuis, r.applicable_jusqu_au) for r in ev.regles[:2]] == [
        (dt.date(2027, 1, 1), None), (dt.date(2020, 1, 1), dt.date(2024, 12, 31))]
    # une fois JF en vigueur, son minimum (« critique ») l'emporte sur celui de JO
    ev = evaluer(c, ref_trace, dt.date(2027, 1, 1))
    assert (ev.verdict, ev.motif) == ("critique", "niveau minimum imposé par la règle JF")
    # sans date : toutes les règles comptent comme applicables, l'interdiction échue comprise
    ev = evaluer(c, ref_trace)
    assert (ev.verdict, ev.motif) == ("interdit", "pratique interdite : JE")


def test_niveau_minimum_sans_effet_sous_le_verdict(ref_trace, cas):
    # T3 critique ; JO impose « élevé » : le verdict reste celui du risque
    c = _cas_t(cas, nombre_utilisateurs="plus_de_1000", hebergement="ue",
               decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"})
    ev = evaluer(c, ref_trace, JOUR)
    assert [r.id for r in ev.regles] == ["JO"]
    assert (ev.verdict, ev.motif) == ("critique", "niveau résiduel le plus haut : T3")


def test_regle_a_venir_avant_la_revue_ou_apres(ref_trace, cas):
    ev = evaluer(_cas_t(cas, lit_contenus_externes="non", prochaine_revue="2026-12-31"), ref_trace, JOUR)
    assert [(r.id, r.statut, r.avant_revue) for r in ev.regles] == [("JF", "à_venir", False), ("JE", "échue", False)]
    ev = evaluer(_cas_t(cas, lit_contenus_externes="non", prochaine_revue="2027-01-01"), ref_trace, JOUR)
    assert [(r.id, r.statut, r.avant_revue) for r in ev.regles] == [("JF", "à_venir", True), ("JE", "échue", False)]
    assert ev.verdict == "faible"


def test_deux_interdictions_a_la_fois(ref_trace, cas):
    ev = evaluer(_cas_t(cas, hebergement="ue", fonctionnalites_sensibles=["reconnaissance_émotions", "notation_sociale"]), ref_trace, JOUR)
    assert (ev.verdict, ev.motif) == ("interdit", "pratique interdite : JI2, JI")
    assert [(r.id, r.nature, r.champs) for r in ev.regles if r.nature == "interdiction"] == [
        ("JI2", "interdiction", (("fonctionnalites_sensibles", ["reconnaissance_émotions", "notation_sociale"]),)),
        ("JI", "interdiction", (("fonctionnalites_sensibles", ["reconnaissance_émotions", "notation_sociale"]),)),
    ]


def test_statut_regle_aux_bornes(ref_trace):
    je, jf = ref_trace.regles["JE"], ref_trace.regles["JF"]
    assert statut_regle(je, None) == "applicable"
    assert [statut_regle(je, d) for d in (dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 1))] == [
        "à_venir", "applicable", "applicable", "échue"]
    assert [statut_regle(jf, d) for d in (dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2999, 1, 1))] == [
        "à_venir", "applicable", "applicable"]


def test_verdict_apres_mesures_prevues_et_retard(ref_trace, cas):
    c = _cas_t(cas, nombre_utilisateurs="plus_de_1000", mesures_en_place=["MC"],
               mesures_prevues=[{"id": "MF", "echeance": "2026-11-29"}, {"id": "MD", "echeance": "2026-11-30"}])
    ev = evaluer(c, ref_trace, JOUR)
    # en place : MC seule -> P1 G4 relevé par le plancher à P3 G4 : critique ; avec MF et MD :
    # P-3 G-3 plafonnés à -2, -2 -> P1 G2, plancher P3 -> P3 G2 : élevé
    assert ev.verdict == "critique"
    assert ev.verdict_apres_prevues == "élevé"
    assert ev.prevues_en_retard == ("MF",)  # l'échéance du jour n'est pas dépassée
    assert ev.mesures_suggerees == ("MD", "MF")  # prévues, pas encore en place
    # sans date : toutes les règles comptent, l'interdiction échue JE (hors UE) comprise ; aucun retard
    sans_date = evaluer(c, ref_trace)
    assert (sans_date.verdict_apres_prevues, sans_date.prevues_en_retard) == ("interdit", ())
    aucune = evaluer(_cas_t(cas), ref_trace, JOUR)
    assert (aucune.verdict_apres_prevues, aucune.prevues_en_retard) == (None, ())


def test_applicabilite_incertaine(ref_trace, cas):
    ev = evaluer(_cas_t(cas, lit_contenus_externes="inconnu"), ref_trace, JOUR)
    [t3] = ev.risques
    assert t3.trace[0] == Etape("applicabilite", "risque applicable", champs=(("lit_contenus_externes", "inconnu"),), incertain=True)
    assert t3.incertain and ev.reponses_inconnues == ("lit_contenus_externes",)


def test_une_hausse_d_un_seul_palier_designe_sa_reponse(ref_mini, cas):
    # relecture ponctuelle : P+1 seulement ; l'agent seul (baisse de gravité) ne désigne rien
    t1 = par_id(evaluer(cas(revue_humaine="ponctuelle", destinataires="agent_seul"), ref_mini))["T1"]
    assert t1.champs_determinants == ("revue_humaine",)


def test_bornage_du_residuel_sur_les_deux_dimensions(ref_trace, cas):
    c = _cas_t(cas, acces="plateforme_état", hebergement="ue", destinataires="agent_seul", mesures_en_place=["MC", "MF"])
    [t3] = evaluer(c, ref_trace, JOUR).risques
    # P3 -1 -2 = 0, G2 -2 = 0 : bornés à 1 ; MF G-2, MC P-2 : -1, -1, bornés à 1 ; le plancher ne
    # dépasse pas l'inhérent P1 G1
    assert [(e.genre, e.texte, e.probabilite, e.gravite) for e in t3.trace[2:]] == [
        ("ponderation", "hébergement dans l'UE", -1, 0),
        ("ponderation", "l'agent seul lit", 0, -2),
        ("ponderation", "plateforme de l'État", -2, 0),
        ("bornage", "bornage à l'échelle", 1, 1),
        ("mesure", "Comptes gérés", 0, -2),
        ("mesure", "Filtrage", -2, 0),
        ("bornage", "bornage à l'échelle", 2, 2),
    ]
    assert (t3.initial.probabilite, t3.initial.gravite, t3.initial.niveau) == (1, 1, "faible")
    assert t3.residuel == t3.initial


def test_plancher_de_gravite(ref_trace, cas):
    [t3] = evaluer(_cas_t(cas, mesures_en_place=["MF"]), ref_trace, JOUR).risques
    # P3 G2 ; MF G-2 -> 0, borné à 1 ; plancher G2
    assert [(e.genre, e.texte, e.probabilite, e.gravite) for e in t3.trace[2:]] == [
        ("mesure", "Comptes gérés", 0, -2),
        ("bornage", "bornage à l'échelle", 0, 1),
        ("plancher", "plancher du risque : probabilité 3, gravité 2", 0, 1),
    ]
    assert (t3.residuel.probabilite, t3.residuel.gravite, t3.residuel.niveau) == (3, 2, "élevé")


def test_a_residuel_egal_le_plus_haut_inherent_d_abord(ref_trace, cas):
    # T1 P4 G2 élevé ; T3 P3 G4 critique, avec MF et MD : G-3 plafonné à -2, P-1 -> P2 G2, plancher
    # P3 G2 : élevé aussi. T3 vient d'abord (inhérent critique), malgré une probabilité plus basse.
    ev = evaluer(_cas_t(cas, revue_humaine="aucune", nombre_utilisateurs="plus_de_1000", mesures_en_place=["MF", "MD"]), ref_trace, JOUR)
    assert [(r.id, r.initial.niveau, r.residuel.probabilite, r.residuel.gravite, r.residuel.niveau) for r in ev.risques] == [
        ("T3", "critique", 3, 2, "élevé"), ("T1", "élevé", 4, 2, "élevé")]
    assert ev.motif == "niveau résiduel le plus haut : T3"


def test_niveau_minimum_egal_au_verdict_garde_le_motif_du_risque(ref_trace, cas):
    ev = evaluer(_cas_t(cas, decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"}), ref_trace, JOUR)
    assert [r.id for r in ev.regles] == ["JF", "JE", "JO"]
    assert (ev.verdict, ev.motif) == ("élevé", "niveau résiduel le plus haut : T3")


def test_recommandation_d_un_risque_faible_apres_celle_d_un_risque_modere(ref_mini, cas):
    # MB en place : T2 P4 G3 -> P2 G2 (modéré) ; T1 P2 -> P1, G borné à 1 (faible)
    ev = evaluer(cas(hebergement="hors_ue", donnees={"categories": ["personnelles"], "volume": "limité"}, destinataires="agent_seul",
                     revue_humaine="systématique", mesures_en_place=["MB"]), ref_mini)
    assert [(r.id, r.residuel.niveau) for r in ev.risques] == [("T2", "modéré"), ("T1", "faible")]
    assert ev.recommandations == ("C2", "C1")


def test_poids_d_une_mesure_qui_traite_deux_risques(ref_trace, cas):
    # T3 P2 G4 (critique), T2 P2 G3 (élevé), T1 P3 G1 (modéré) ; MB traite T1 et T2 :
    # 1 + 1 (modéré) + 1 + 2 (élevé) = 5 ; MC, MD, MF : 1 + 3 (critique) = 4 ; MA : 1 + 1 = 2
    ev = evaluer(_cas_t(cas, hebergement="ue", revue_humaine="ponctuelle", nombre_utilisateurs="plus_de_1000",
                        donnees={"categories": ["personnelles"], "volume": "limité"}), ref_trace, JOUR)
    assert [(r.id, r.residuel.niveau) for r in ev.risques] == [("T3", "critique"), ("T2", "élevé"), ("T1", "modéré")]
    assert ev.mesures_suggerees == ("MB", "MC", "MD", "MF", "MA")
