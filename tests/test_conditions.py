"""Langage de conditions : logique à trois valeurs, condition « toujours », vérification."""

import itertools

import pytest
from pydantic import TypeAdapter

from iagcli.modeles.referentiel import Levier
from iagcli.moteur import conditions as C
from iagcli.moteur.champs import champs, reponses

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


# --- Logique de Kleene, table complète (issue 26) ---------------------------------------------
#
# Chaque feuille porte sur sa propre question, réglée à vrai, faux ou indéterminé (réponse
# `inconnu`) : `hebergement egal ue`, `donnees.volume egal limité`, `nombre_utilisateurs egal moins_de_10`.

FEUILLES = [("hebergement", "ue", "hors_ue"), ("donnees.volume", "limité", "important"), ("nombre_utilisateurs", "moins_de_10", "plus_de_1000")]
VALEURS = (True, False, None)


def _feuille(i):
    chemin, vraie, _ = FEUILLES[i]
    return {"champ": chemin, "egal": vraie}


def _reponses(*valeurs):
    """Réponses qui rendent la i-ème feuille vraie, fausse ou indéterminée."""
    sortie = {}
    for (chemin, vraie, fausse), v in zip(FEUILLES, valeurs, strict=False):  # deux ou trois feuilles
        champ = champs()[chemin]
        sortie[chemin] = champ.inconnu if v is None else C._membre(champ, vraie if v else fausse)
    return sortie


def _kleene_et(vals):
    return False if False in vals else (None if None in vals else True)


def _kleene_ou(vals):
    return True if True in vals else (None if None in vals else False)


@pytest.mark.parametrize("a,b", list(itertools.product(VALEURS, VALEURS)))
def test_table_toutes_et_au_moins_une(a, b):
    toutes = C.compiler(_c({"toutes": [_feuille(0), _feuille(1)]}))
    ou = C.compiler(_c({"au_moins_une": [_feuille(0), _feuille(1)]}))
    attendu_et = {(True, True): True, (True, False): False, (True, None): None, (False, True): False, (False, False): False,
                  (False, None): False, (None, True): None, (None, False): False, (None, None): None}[(a, b)]
    attendu_ou = {(True, True): True, (True, False): True, (True, None): True, (False, True): True, (False, False): False,
                  (False, None): None, (None, True): True, (None, False): None, (None, None): None}[(a, b)]
    assert toutes(_reponses(a, b)) is attendu_et
    assert ou(_reponses(a, b)) is attendu_ou


def test_toutes_avec_une_feuille_inconnue_et_aucune_fausse_est_indeterminee():
    # Le cas qui porte « inconnu = pire cas » : vrai + inconnu + vrai ne doit pas donner vrai.
    toutes = C.compiler(_c({"toutes": [_feuille(0), _feuille(1), _feuille(2)]}))
    assert toutes(_reponses(True, None, True)) is None
    assert toutes(_reponses(None, None, None)) is None
    assert toutes(_reponses(True, True, True)) is True
    assert toutes(_reponses(None, True, False)) is False


@pytest.mark.parametrize("a,b,c", list(itertools.product(VALEURS, VALEURS, VALEURS)))
def test_table_a_trois_feuilles(a, b, c):
    feuilles = [_feuille(0), _feuille(1), _feuille(2)]
    reponses_ = _reponses(a, b, c)
    assert C.compiler(_c({"toutes": feuilles}))(reponses_) is _kleene_et([a, b, c])
    assert C.compiler(_c({"au_moins_une": feuilles}))(reponses_) is _kleene_ou([a, b, c])
    vrais, indet = [a, b, c].count(True), [a, b, c].count(None)
    for minimum in (1, 2, 3):
        attendu = True if vrais >= minimum else (None if vrais + indet >= minimum else False)
        assert C.compiler(_c({"minimum": minimum, "parmi": feuilles}))(reponses_) is attendu, minimum


@pytest.mark.parametrize("a,attendu", [(True, False), (False, True), (None, None)])
def test_table_non(a, attendu):
    assert C.compiler(_c({"non": _feuille(0)}))(_reponses(a, True, True)) is attendu
    # double négation : la valeur d'origine, indéterminé compris
    assert C.compiler(_c({"non": {"non": _feuille(0)}}))(_reponses(a, True, True)) is a


def test_minimum_exact_deux_parmi_trois():
    parmi = C.compiler(_c({"minimum": 2, "parmi": [_feuille(0), _feuille(1), _feuille(2)]}))
    assert parmi(_reponses(True, True, False)) is True
    assert parmi(_reponses(True, False, False)) is False
    assert parmi(_reponses(True, None, False)) is None
    assert parmi(_reponses(None, None, False)) is None
    assert parmi(_reponses(None, False, False)) is False


# --- Opérateurs d'ordre, feuilles de liste ---------------------------------------------------


def test_au_plus_et_au_moins_sur_une_question_ordonnee(cas):
    # Ordre de risque de la relecture : systématique < ponctuelle < aucune.
    au_plus = C.compiler(_c({"champ": "revue_humaine", "au_plus": "ponctuelle"}))
    au_moins = C.compiler(_c({"champ": "revue_humaine", "au_moins": "ponctuelle"}))
    lus = {v: au_plus(reponses(cas(revue_humaine=v))) for v in ("systématique", "ponctuelle", "aucune")}
    assert lus == {"systématique": True, "ponctuelle": True, "aucune": False}
    lus = {v: au_moins(reponses(cas(revue_humaine=v))) for v in ("systématique", "ponctuelle", "aucune")}
    assert lus == {"systématique": False, "ponctuelle": True, "aucune": True}


def test_au_plus_et_au_moins_indetermines_si_inconnu(cas):
    # Hébergement : collectivité < organisme_public < ue < hors_ue ; `inconnu` n'a pas de rang.
    au_plus = C.compiler(_c({"champ": "hebergement", "au_plus": "organisme_public"}))
    lus = {v: au_plus(reponses(cas(hebergement=v))) for v in ("collectivité", "organisme_public", "ue", "hors_ue", "inconnu")}
    assert lus == {"collectivité": True, "organisme_public": True, "ue": False, "hors_ue": False, "inconnu": None}
    au_moins = C.compiler(_c({"champ": "hebergement", "au_moins": "ue"}))
    lus = {v: au_moins(reponses(cas(hebergement=v))) for v in ("collectivité", "organisme_public", "ue", "hors_ue", "inconnu")}
    assert lus == {"collectivité": False, "organisme_public": False, "ue": True, "hors_ue": True, "inconnu": None}


def test_egal_dans_contient_et_contient_un_de(cas):
    egal = C.compiler(_c({"champ": "hebergement", "egal": "UE"}))  # sans casse
    dans = C.compiler(_c({"champ": "hebergement", "dans": ["ue", "hors_ue"]}))
    assert [egal(reponses(cas(hebergement=v))) for v in ("ue", "hors_ue", "inconnu")] == [True, False, None]
    assert [dans(reponses(cas(hebergement=v))) for v in ("ue", "hors_ue", "collectivité", "inconnu")] == [True, True, False, None]
    contient = C.compiler(_c({"champ": "donnees.categories", "contient": "sensibles"}))
    un_de = C.compiler(_c({"champ": "donnees.categories", "contient_un_de": ["sensibles", "personnelles"]}))

    def lire(f, cats):
        return f(reponses(cas(donnees={"categories": cats, "volume": "limité"})))

    assert [lire(contient, c) for c in (["publiques"], ["sensibles"], ["publiques", "sensibles"])] == [False, True, True]
    assert [lire(un_de, c) for c in (["publiques"], ["personnelles"], ["internes", "sensibles"])] == [False, True, True]


def test_compiler_refuse_une_borne_impossible():
    with pytest.raises(ValueError) as e:
        C.compiler(_c({"champ": "revue_humaine", "au_plus": "jamais"}))
    assert str(e.value) == "valeur « jamais » impossible pour « revue_humaine »"


def test_champs_de_dans_l_ordre_sans_doublon():
    cond = _c({"toutes": [
        {"champ": "hebergement", "egal": "ue"},
        {"au_moins_une": [{"champ": "revue_humaine", "egal": "aucune"}, {"non": {"champ": "hebergement", "egal": "hors_ue"}}]},
        {"minimum": 1, "parmi": [{"champ": "donnees.volume", "egal": "limité"}, {"toujours": "x"}]},
    ]})
    assert C.champs_de(cond) == ["hebergement", "revue_humaine", "donnees.volume"]


# --- Positions des erreurs dans les combinaisons ---------------------------------------------


def test_positions_d_erreur_dans_non_parmi_au_moins_une_et_toutes():
    cond = _c({"toutes": [
        {"non": {"champ": "hebergment", "egal": "ue"}},
        {"minimum": 4, "parmi": [{"champ": "hebergement", "egal": "ue"}, {"champ": "revue_humaine", "au_moins": "jamais"}]},
        {"au_moins_une": [{"toujours": "x"}, {"champ": "hebergement", "dans": ["ue", "xyz"]}]},
    ]})
    assert [(p.chemin, p.message) for p in C.verifier(cond)] == [
        (("toutes", 0, "non", "champ"), "champ « hebergment » inconnu du cas d'usage ; vouliez-vous dire « hebergement » ?"),
        (("toutes", 1, "parmi", 1, "au_moins"), "valeur « jamais » impossible pour « revue_humaine » ; valeurs permises : systématique, ponctuelle, aucune"),
        (("toutes", 1, "minimum"), "minimum 4 supérieur au nombre de conditions (2)"),
        (("toutes", 2, "au_moins_une", 1, "dans", 1),
         "valeur « xyz » impossible pour « hebergement » ; valeurs permises : collectivité, organisme_public, ue, hors_ue"),
    ]


def test_minimum_egal_au_nombre_de_conditions_accepte():
    cond = _c({"minimum": 2, "parmi": [{"champ": "hebergement", "egal": "ue"}, {"toujours": "x"}]})
    assert C.verifier(cond) == []


def test_operateur_d_ordre_sur_une_question_non_ordonnee_et_sur_une_scalaire():
    # `acces` n'est pas ordonnée : egal et dans seulement
    [p] = C.verifier(_c({"champ": "acces", "au_plus": "api"}))
    assert p == (("au_plus",), "opérateur « au_plus » impossible sur « acces », qui est une réponse non ordonnée ; opérateurs permis : egal, dans")
    [p] = C.verifier(_c({"champ": "revue_humaine", "contient": "aucune"}))
    assert p == (("contient",), "opérateur « contient » impossible sur « revue_humaine », qui est une réponse ordonnée ; opérateurs permis : egal, dans, au_moins, au_plus")
    assert C.verifier(_c({"champ": "revue_humaine", "au_plus": "ponctuelle"})) == []
    assert C.verifier(_c({"champ": "donnees.categories", "contient_un_de": ["sensibles", "Personnelles"]})) == []


def test_inconnu_et_valeur_retiree_dans_une_condition():
    assert C.verifier(_c({"champ": "hebergement", "dans": ["ue", "Inconnu"]})) == [
        (("dans", 1), "« inconnu » ne peut figurer dans une condition : une réponse inconnue compte déjà comme le pire cas")]
    [p] = C.verifier(_c({"champ": "fonctionnalites_sensibles", "contient": "profilage_predictif"}))
    assert p.chemin == ("contient",)
    assert p.message.startswith("valeur « profilage_predictif » retirée du schéma des cas d'usage : écrire « prédiction_infractions »")


# --- Leviers (`iag plan`) --------------------------------------------------------------------


def _levier(**champs_):
    return Levier.model_validate({"id": "L1", "titre": "t", "cout": "c", "sources": ["s"], **champs_})


def test_levier_valide():
    assert C.verifier_levier(_levier(champ="hebergement", de=["hors_ue", "inconnu"], vers="UE")) == []
    assert C.verifier_levier(_levier(champ="donnees.categories", de=["personnelles"], vers="internes")) == []


def test_levier_champ_inconnu():
    assert C.verifier_levier(_levier(champ="hebergment", de=["hors_ue"], vers="ue")) == [
        (("champ",), "champ « hebergment » inconnu du cas d'usage ; vouliez-vous dire « hebergement » ?")]


def test_levier_vers_inconnu_et_valeur_impossible():
    assert C.verifier_levier(_levier(champ="hebergement", de=["hors_ue", "xyz"], vers="inconnu")) == [
        (("de", 1), "valeur « xyz » impossible pour « hebergement » ; valeurs permises : collectivité, organisme_public, ue, hors_ue, inconnu"),
        (("vers",), "un levier ne peut mener à « inconnu » : il décrit un changement que le projet fait"),
    ]


def test_levier_valeurs_retirees_et_sans_changement():
    problemes = C.verifier_levier(_levier(champ="fonctionnalites_sensibles", de=["profilage_prédictif", "Profilage"], vers="profilage"))
    assert [p.chemin for p in problemes] == [("de", 0), ("vers",)]
    assert problemes[0].message.startswith("valeur « profilage_prédictif » retirée du schéma des cas d'usage : écrire « prédiction_infractions »")
    assert problemes[1].message == "« profilage » figure aussi dans « de » : le levier ne changerait rien"
    [p] = C.verifier_levier(_levier(champ="fonctionnalites_sensibles", de=["profilage"], vers="catégorisation_biométrique"))
    assert p.chemin == ("vers",) and p.message.startswith("valeur « catégorisation_biométrique » retirée du schéma des cas d'usage : écrire")


# --- Description en français ------------------------------------------------------------------


@pytest.mark.parametrize("cond,phrase", [
    ({"champ": "hebergement", "egal": "hors_ue"}, "hébergement des données : « hors_ue »"),
    ({"champ": "hebergement", "dans": ["ue", "hors_ue"]}, "hébergement des données : « ue » ou « hors_ue »"),
    ({"champ": "hebergement", "dans": ["collectivité", "ue", "hors_ue"]}, "hébergement des données : « collectivité », « ue » ou « hors_ue »"),
    ({"champ": "donnees.categories", "contient": "sensibles"}, "catégories de données : dont « sensibles »"),
    ({"champ": "donnees.categories", "contient_un_de": ["sensibles", "personnelles"]}, "catégories de données : dont « sensibles » ou « personnelles »"),
    ({"champ": "revue_humaine", "au_moins": "ponctuelle"}, "relecture humaine : « ponctuelle » ou au-delà"),
    ({"champ": "revue_humaine", "au_plus": "ponctuelle"}, "relecture humaine : « ponctuelle » ou en deçà"),
    ({"non": {"champ": "hebergement", "egal": "ue"}}, "hébergement des données : autre que « ue »"),
    ({"non": {"champ": "hebergement", "dans": ["ue", "hors_ue"]}}, "hébergement des données : ni « ue » ni « hors_ue »"),
    ({"non": {"champ": "donnees.categories", "contient": "sensibles"}}, "catégories de données : sans « sensibles »"),
    ({"non": {"champ": "donnees.categories", "contient_un_de": ["sensibles"]}}, "catégories de données : ni « sensibles »"),
    ({"non": {"champ": "revue_humaine", "au_moins": "ponctuelle"}}, "relecture humaine : en deçà de « ponctuelle »"),
    ({"non": {"champ": "revue_humaine", "au_plus": "ponctuelle"}}, "relecture humaine : au-delà de « ponctuelle »"),
    ({"toujours": "  usage\n   innovant "}, "toujours (usage innovant)"),
    ({"toutes": [{"champ": "hebergement", "egal": "ue"}, {"non": {"champ": "revue_humaine", "egal": "aucune"}}, {"toujours": "x"}]},
     "hébergement des données : « ue » et relecture humaine : autre que « aucune » et toujours (x)"),
    ({"au_moins_une": [{"champ": "hebergement", "egal": "ue"}, {"toutes": [{"champ": "revue_humaine", "egal": "aucune"}, {"toujours": "y"}]}]},
     "hébergement des données : « ue », ou (relecture humaine : « aucune » et toujours (y))"),
    ({"non": {"au_moins_une": [{"champ": "hebergement", "egal": "ue"}, {"toujours": "z"}]}},
     "il n'est pas vrai que (hébergement des données : « ue », ou toujours (z))"),
    ({"toutes": [{"minimum": 1, "parmi": [{"champ": "hebergement", "egal": "ue"}]}, {"toujours": "x"}]},
     "(au moins 1 des conditions suivantes : hébergement des données : « ue ») et toujours (x)"),
    ({"minimum": 2, "parmi": [{"champ": "hebergement", "egal": "ue"}, {"toutes": [{"toujours": "a"}, {"toujours": "b"}]}, {"toujours": "c"}]},
     "au moins 2 des conditions suivantes : hébergement des données : « ue » ; toujours (a) et toujours (b) ; toujours (c)"),
])
def test_decrire(cond, phrase):
    assert C.decrire(_c(cond)) == phrase


def test_libelle_d_un_champ_et_repli_sur_le_chemin():
    assert C.libelle("donnees.volume") == "volume de données"
    assert C.libelle("pas.un_champ") == "pas.un_champ"


def test_decrire_une_seule_valeur_et_trois_valeurs_niees():
    assert C.decrire(_c({"champ": "hebergement", "dans": ["ue"]})) == "hébergement des données : « ue »"
    assert C.decrire(_c({"non": {"champ": "hebergement", "dans": ["collectivité", "ue", "hors_ue"]}})) == (
        "hébergement des données : ni « collectivité » ni « ue » ni « hors_ue »")


def test_reponse_commune_lit_les_valeurs_citees_dans_les_combinaisons():
    # Valeurs citées seulement sous `toutes` : chacune compte dans les réponses essayées.
    a = _c({"toutes": [{"champ": "donnees.categories", "contient": "personnelles"}]})
    b = _c({"toutes": [{"champ": "donnees.categories", "contient": "sensibles"}]})
    assert [m.value for m in C.reponse_commune(a, b, False, False)["donnees.categories"]] == ["personnelles", "sensibles"]


def test_reponse_commune_liste_dans_l_ordre_de_l_enumeration():
    # `contient` (valeur seule) ; l'ordre est celui du schéma, pas l'ordre alphabétique
    a = _c({"champ": "donnees.categories", "contient": "sensibles"})
    b = _c({"champ": "donnees.categories", "contient": "personnes_vulnérables"})
    assert [m.value for m in C.reponse_commune(a, b, False, False)["donnees.categories"]] == ["sensibles", "personnes_vulnérables"]
    assert [m.value for m in C.reponse_commune(a, a, False, False)["donnees.categories"]] == ["sensibles"]
