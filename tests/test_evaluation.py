"""Cotation sur le référentiel minimal : chaque attendu est calculé à la main (voir ses commentaires)."""

from iagcli.moteur.evaluation import evaluer


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
