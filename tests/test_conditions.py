"""Langage de conditions : logique à trois valeurs, condition « toujours », vérification."""

from pydantic import TypeAdapter

from iagcli.moteur import conditions as C
from iagcli.moteur.champs import reponses

CONDITION = TypeAdapter(C.Condition)


def test_toujours_vraie_sans_champ(cas):
    c = CONDITION.validate_python({"toujours": "l'IA générative est un usage innovant"})
    assert C.verifier(c) == []
    assert C.compiler(c)(reponses(cas())) is True
    assert C.champs_de(c) == []
    assert C.decrire(c) == "toujours (l'IA générative est un usage innovant)"


def test_parmi_compte_les_indetermines(cas):
    c = CONDITION.validate_python({"minimum": 2, "parmi": [
        {"toujours": "x"},
        {"champ": "hebergement", "egal": "hors_ue"},
    ]})
    assert C.compiler(c)(reponses(cas(hebergement="hors_ue"))) is True
    assert C.compiler(c)(reponses(cas(hebergement="ue"))) is False
    assert C.compiler(c)(reponses(cas(hebergement="inconnu"))) is None


def test_non_et_au_moins_une_en_kleene(cas):
    non = C.compiler(CONDITION.validate_python({"non": {"champ": "hebergement", "egal": "ue"}}))
    assert non(reponses(cas(hebergement="ue"))) is False
    assert non(reponses(cas(hebergement="inconnu"))) is None
    ou = C.compiler(CONDITION.validate_python({"au_moins_une": [
        {"champ": "hebergement", "egal": "hors_ue"}, {"champ": "revue_humaine", "egal": "systématique"}]}))
    assert ou(reponses(cas(hebergement="inconnu"))) is True  # l'autre branche est vraie
    assert ou(reponses(cas(hebergement="inconnu", revue_humaine="aucune"))) is None


def test_operateur_inadapte_et_valeur_impossible():
    liste = CONDITION.validate_python({"champ": "donnees.categories", "egal": "publiques"})
    assert [p.message for p in C.verifier(liste)] == [
        "opérateur « egal » impossible sur « donnees.categories », qui est une liste ; opérateurs permis : contient, contient_un_de"
    ]
    ordre = CONDITION.validate_python({"champ": "acces", "au_moins": "api"})
    assert C.verifier(ordre)[0].chemin == ("au_moins",)


# --- Recouvrement exact de deux conditions --------------------------------------------------------


def _c(d):
    from pydantic import TypeAdapter

    return TypeAdapter(C.Condition).validate_python(d)


def test_reponse_commune_gradations_disjointes():
    ponctuelle, aucune = _c({"champ": "revue_humaine", "egal": "ponctuelle"}), _c({"champ": "revue_humaine", "egal": "aucune"})
    assert C.reponse_commune(ponctuelle, aucune, True, True) is None
    au_moins = _c({"champ": "revue_humaine", "au_moins": "ponctuelle"})
    assert {k: v.value for k, v in C.reponse_commune(au_moins, aucune, True, True).items()} == {"revue_humaine": "aucune"}


def test_reponse_commune_sur_une_liste_et_avec_non():
    perso = _c({"toutes": [{"champ": "donnees.categories", "contient": "personnelles"},
                           {"non": {"champ": "donnees.categories", "contient": "sensibles"}}]})
    sensibles = _c({"champ": "donnees.categories", "contient": "sensibles"})
    assert C.reponse_commune(perso, sensibles, True, True) is None
    large = _c({"champ": "donnees.categories", "contient_un_de": ["personnelles", "sensibles"]})
    commune = C.reponse_commune(large, sensibles, True, True)
    assert [m.value for m in commune["donnees.categories"]] == ["sensibles"]


def test_reponse_commune_inconnu_seulement_pour_les_hausses():
    ue, hors_ue = _c({"champ": "hebergement", "egal": "ue"}), _c({"champ": "hebergement", "egal": "hors_ue"})
    # « inconnu » rend les deux indéterminées : deux hausses s'appliqueraient ensemble…
    assert C.reponse_commune(ue, hors_ue, True, True)["hebergement"].value == "inconnu"
    # … mais une baisse indéterminée ne s'applique pas
    assert C.reponse_commune(ue, hors_ue, False, True) is None
