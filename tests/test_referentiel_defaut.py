"""Le référentiel fourni : contenu minimal promis, couverture des familles, sources partout."""

from iagcli.modeles.types import normaliser

FAMILLES = {
    "fiabilite", "confidentialite", "donnees_sensibles", "securite", "souverainete", "propriete_intellectuelle",
    "biais_egalite", "transparence", "droits_usagers", "environnement", "social_rh", "responsabilite",
}


def test_volumes_minimaux(ref_defaut):
    assert len(ref_defaut.risques) >= 15
    assert len(ref_defaut.mesures) >= 20
    assert len(ref_defaut.recommandations) >= 25


def test_les_douze_familles_sont_couvertes(ref_defaut):
    assert {r.categorie for r in ref_defaut.risques.values()} == FAMILLES


def test_chaque_risque_est_traite_et_recommande(ref_defaut):
    for rid, rc in ref_defaut.compile_par_risque.items():
        assert rc.mesures, f"{rid} sans mesure"
        assert ref_defaut.recommandations_par_risque[rid], f"{rid} sans recommandation"
        assert len(rc.risque.exemples) >= 2


def test_chaque_entree_cite_une_source(ref_defaut):
    entrees = [*ref_defaut.risques.values(), *ref_defaut.mesures.values(), *ref_defaut.regles.values(), *ref_defaut.recommandations.values()]
    assert all(e.sources for e in entrees)


def test_avertissement_de_reconstruction(ref_defaut):
    assert "reconstruction" in normaliser(ref_defaut.risques_yaml.avertissement)


def test_regles_juridiques_attendues(ref_defaut):
    textes = " ".join(normaliser(j.texte) for j in ref_defaut.regles.values())
    for article in ("art._5", "annexe_iii", "art._50", "art._4", "art._22", "art._28", "l311_3_1", "l312_1_3"):
        assert article in textes, article
    natures = {j.nature for j in ref_defaut.regles.values()}
    assert natures == {"interdiction", "obligation", "information"}


def test_les_cinq_bonnes_pratiques_de_rennes(ref_defaut):
    titres = [normaliser(r.titre) for r in ref_defaut.recommandations.values()]
    for attendu in ("esprit_critique", "verifier", "donnees_personnelles_et_sensibles", "droit_d_auteur", "pertinence"):
        assert any(attendu in t for t in titres), attendu


# --- Un fait ne relève un risque qu'une fois ; crédit des mesures borné -----------------------------


def _risque(ev, ident):
    return next(e for e in ev.risques if e.id == ident)


def test_agent_conversationnel_sans_relecture_compte_une_fois(ref_defaut, cas):
    from iagcli.moteur.evaluation import evaluer

    chatbot = dict(interaction_directe_usagers="oui", destinataires="usagers", taches=["agent_conversationnel"])
    # Une réponse en direct n'est pas relue par nature : répondre « aucune » relecture n'ajoute rien
    # à R02 ni à R14 (avant : +1 de probabilité de plus, pour le même fait).
    sans_relecture = evaluer(cas(revue_humaine="aucune", **chatbot), ref_defaut)
    relu = evaluer(cas(revue_humaine="systématique", **chatbot), ref_defaut)
    for ident in ("R02", "R14"):
        assert _risque(sans_relecture, ident).initial == _risque(relu, ident).initial, ident
    r02 = _risque(sans_relecture, "R02").initial
    assert (r02.probabilite, r02.gravite) == (3, 3)  # base P1 G2 ; réponse en direct P+2 G+1


def test_sortir_de_l_administration_compte_une_fois_pour_r18(ref_defaut, cas):
    from iagcli.moteur.evaluation import evaluer

    gravites = {
        (dest, direct): _risque(evaluer(cas(destinataires=dest, interaction_directe_usagers=direct), ref_defaut), "R18").initial.gravite
        for dest, direct in (("usagers", "non"), ("publication", "non"), ("usagers", "oui"), ("publication", "oui"))
    }
    assert set(gravites.values()) == {2}, gravites  # base G1, +1 une seule fois


def test_relecture_systematique_sans_procedure_ecrite_compte(ref_defaut, cas):
    from iagcli.moteur.evaluation import evaluer

    systematique = _risque(evaluer(cas(revue_humaine="systématique"), ref_defaut), "R01").initial
    ponctuelle = _risque(evaluer(cas(revue_humaine="ponctuelle"), ref_defaut), "R01").initial
    aucune = _risque(evaluer(cas(revue_humaine="aucune"), ref_defaut), "R01").initial
    assert (systematique.probabilite, ponctuelle.probabilite, aucune.probabilite) == (1, 3, 4)
    # M03 (procédure écrite) s'ajoute ; elle n'est pas créditée quand rien n'est relu
    avec_m03 = evaluer(cas(revue_humaine="aucune", mesures_en_place=["M03"]), ref_defaut)
    assert _risque(avec_m03, "R01").residuel == aucune
    assert [m.id for m in avec_m03.mesures_contredites] == ["M03"]


def test_decision_automatisee_sur_personnes_vulnerables_jamais_faible(ref_defaut, cas):
    from iagcli.moteur.evaluation import evaluer

    toutes = sorted(ref_defaut.mesures)
    ev = evaluer(cas(
        decision_individuelle={"type": "décision_automatisée", "domaine": "aides_sociales"},
        donnees={"categories": ["personnelles", "personnes_vulnérables"], "volume": "important"},
        revue_humaine="ponctuelle", mesures_en_place=toutes,
    ), ref_defaut)
    r15 = _risque(ev, "R15")
    assert (r15.initial.probabilite, r15.initial.gravite) == (4, 4)
    # plafond : au plus 2 paliers par dimension ; plancher de gravité 3
    assert (r15.residuel.probabilite, r15.residuel.gravite, r15.residuel.niveau) == (2, 3, "élevé")
    assert [e.genre for e in r15.trace if e.genre in ("plafond_credit", "plancher")] == ["plafond_credit", "plancher"]
