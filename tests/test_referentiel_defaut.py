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
