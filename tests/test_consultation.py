"""Logique pure de la consultation : recherche, identifiants, descriptions, modèle de cas d'usage."""

from __future__ import annotations

import datetime as dt

import pytest

from iagcli.es.chargeur import lire_document, valider
from iagcli.modeles.cas_usage import CasUsage
from iagcli.moteur import conditions as C
from iagcli.moteur.champs import champs
from iagcli.moteur.consultation import identifiants as KI
from iagcli.moteur.consultation import questionnaire as KQ
from iagcli.moteur.consultation import recherche as KR
from iagcli.moteur.consultation import textes_referentiel as KT
from iagcli.moteur.evaluation import evaluer

from conftest import DONNEES

BASE = DONNEES / "cas-base.yaml"


@pytest.fixture
def mini(ref_mini):  # référentiel de conftest, chargé une fois par session
    return ref_mini


@pytest.fixture
def defaut(ref_defaut):
    return ref_defaut


def fiches(ref):
    return [KR.fiche_recommandation(r, ref.themes) for r in ref.recommandations.values()]


def ids(ref, *termes):
    trouvailles, _ = KR.chercher(fiches(ref), KR.termes_requete(termes))
    return [t.id for t in trouvailles]


def cas_base(**modifs) -> CasUsage:
    donnees = lire_document(str(BASE)).donnees
    donnees.update(modifs)
    return CasUsage.model_validate(donnees)


# --- Normalisation, distance, ressemblance ------------------------------------------------------


def test_forme_sans_casse_accents_ni_ligatures():
    assert KR.forme("Données ŒUVRE Élève") == "donnees oeuvre eleve"


def test_jetons_gardent_les_positions_du_texte_d_origine():
    texte = "L'hébergement des données"
    assert [(texte[d:f], f_) for d, f, f_ in KR.jetons(texte)] == [
        ("L", "l"), ("hébergement", "hebergement"), ("des", "des"), ("données", "donnees"),
    ]


def test_termes_requete_retire_les_mots_vides_et_les_doublons():
    assert KR.termes_requete(["la protection", "des Données", "données"]) == ["protection", "donnees"]
    assert KR.termes_requete(["de la"]) == ["de", "la"]  # que des mots vides : on les garde


@pytest.mark.parametrize(
    "a, b, attendu",
    [
        ("halucination", "hallucination", 1),  # lettre manquante
        ("donnese", "donnees", 1),  # transposition
        ("securite", "securite", 0),
        ("abc", "xyzuvw", 3),  # au-delà du maximum
    ],
)
def test_distance(a, b, attendu):
    assert KR.distance(a, b, 2) == attendu


@pytest.mark.parametrize(
    "terme, mot, attendu",
    [
        ("donnees", "donnees", 1.0),
        ("donnee", "donnees", 0.95),  # singulier / pluriel
        ("personnel", "personnelles", 0.8),  # début de mot
        ("halucination", "hallucination", 0.75),  # une faute
        ("rgpd", "rgaa", 0.0),  # mot court : pas de tolérance
        ("code", "cade", 0.0),
    ],
)
def test_qualite(terme, mot, attendu):
    assert KR.qualite(terme, mot) == pytest.approx(attendu)


# --- Recherche ------------------------------------------------------------------------------------


def test_recherche_sans_accents_trouve_les_donnees_personnelles(mini):
    trouvailles, partiel = KR.chercher(fiches(mini), KR.termes_requete(["donnees personnelles"]))
    assert [t.id for t in trouvailles] == ["C2"]
    assert not partiel
    fiche = KR.fiche_recommandation(mini.recommandations["C2"], mini.themes)
    (_, positions), = trouvailles[0].positions(fiche, "titre")
    titre = fiche.zones[0].texte
    assert [titre[d:f] for d, f in positions] == ["données", "personnelles"]


def test_recherche_casse_et_accents_indifferents(defaut):
    assert ids(defaut, "DONNÉES PERSONNELLES") == ids(defaut, "donnees personnelles")


def test_recherche_donnees_personnelles_classe_REC03_en_tete(defaut):
    resultat = ids(defaut, "donnees", "personnelles")
    assert resultat[0] == "REC03"
    # chaque résultat contient les deux mots (titre, texte, mots-clés ou thème)
    for rid in resultat:
        reco = defaut.recommandations[rid]
        tout = KR.forme(" ".join([reco.titre, reco.texte, *reco.mots_cles]))
        assert "donne" in tout and "personnel" in tout


def test_recherche_tolere_une_faute_de_frappe(defaut):
    avec_le_mot = {r.id for r in defaut.recommandations.values() if "hallucination" in r.mots_cles}
    assert avec_le_mot and set(ids(defaut, "halucination")) == avec_le_mot
    assert ids(defaut, "halucination") == ids(defaut, "hallucination")


def test_recherche_relecture_avec_transposition(mini):
    assert ids(mini, "relectrue") == ["C1"]


def test_recherche_partielle_quand_aucune_fiche_ne_contient_tout(mini):
    trouvailles, partiel = KR.chercher(fiches(mini), KR.termes_requete(["relecture zzzzzz"]))
    assert [t.id for t in trouvailles] == ["C1"] and partiel
    assert trouvailles[0].couverture == 1


def test_recherche_sans_resultat(mini):
    assert KR.chercher(fiches(mini), KR.termes_requete(["xyzzy"])) == ([], False)
    assert KR.chercher(fiches(mini), []) == ([], False)


def test_le_titre_pese_plus_que_le_texte(mini):
    # « relire » est dans le titre de C1 ; « saisir » seulement dans le texte de C2
    (c1,), _ = KR.chercher(fiches(mini), ["relire"])
    (c2,), _ = KR.chercher(fiches(mini), ["saisir"])
    assert c1.score > c2.score


def test_termes_proches_pour_une_recherche_sans_resultat(mini):
    vocab = KR.vocabulaire(fiches(mini))
    assert KR.termes_requete(["rlctr"]) == ["rlctr"]
    assert KR.chercher(fiches(mini), ["rlctr"])[0] == []
    assert KR.termes_proches(["rlctr"], vocab) == ["relecture"]


def test_themes_proches(defaut):
    assert KR.themes_proches(defaut, ["souverainte"]) == ["souverainete"]
    assert KR.themes_proches(defaut, ["xyzzy"]) == []


def test_extrait_recale_les_positions():
    texte = " ".join(f"mot{i}" for i in range(100)) + " cible " + " ".join(f"fin{i}" for i in range(100))
    debut = texte.index("cible")
    passage, positions = KR.extrait(texte, [(debut, debut + 5)], largeur=80)
    assert passage.startswith("…") and passage.endswith("…")
    assert len(passage) <= 82
    (d, f), = positions
    assert passage[d:f] == "cible"


def test_extrait_court_inchange():
    assert KR.extrait("court", [(0, 5)]) == ("court", [(0, 5)])


# --- Identifiants, filtres ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "texte, attendu",
    [("t1", ("risque", "T1")), ("ma", ("mesure", "MA")), ("JI", ("regle", "JI")), ("c2", ("recommandation", "C2")), ("T9", None)],
)
def test_resoudre_id_sans_casse(mini, texte, attendu):
    assert KI.resoudre_id(mini, texte) == attendu


def test_ids_proches(defaut):
    assert KI.ids_proches(defaut, "rec5") == ["REC05"]
    assert "REC09" in KI.ids_proches(defaut, "REC99", ("recommandation",))


def test_ressemble_a_un_id():
    assert KI.ressemble_a_un_id("REC99") and KI.ressemble_a_un_id("m-01")
    assert not KI.ressemble_a_un_id("hallucination") and not KI.ressemble_a_un_id("2025")


def test_resoudre_parmi_par_id_titre_ou_debut(defaut):
    assert KI.resoudre_parmi("Sécurité des systèmes", defaut.themes) == "securite"
    assert KI.resoudre_parmi("SECURITE", defaut.themes) == "securite"
    assert KI.resoudre_parmi("secu", defaut.themes) == "securite"
    assert KI.resoudre_parmi("inconnu", defaut.themes) is None


def test_filtrer_et_grouper_par_theme(defaut):
    securite = KT.filtrer_recommandations(defaut, themes=["securite"])
    assert securite and all(r.theme == "securite" for r in securite)
    dpo = KT.filtrer_recommandations(defaut, publics=["dpo"])
    assert dpo and all("dpo" in r.publics for r in dpo)
    groupes = KT.par_theme(defaut, list(defaut.recommandations.values()))
    assert [t.id for t, _ in groupes] == [t for t in defaut.themes if any(r.theme == t for r in defaut.recommandations.values())]
    assert sum(len(m) for _, m in groupes) == len(defaut.recommandations)


# --- Textes dérivés ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "p, g, attendu",
    [(-1, 0, "probabilité −1"), (0, -2, "gravité −2"), (-2, -1, "probabilité −2, gravité −1"), (1, 1, "probabilité +1, gravité +1")],
)
def test_formater_effet(p, g, attendu):
    assert KT.formater_effet(p, g) == attendu


def test_decrire_conditions_du_mini(mini):
    t1, t2 = mini.risques["T1"], mini.risques["T2"]
    assert C.decrire(t1.ponderations[0].si) == "relecture humaine : « ponctuelle »"
    assert C.decrire(t1.ponderations[1].si) == "relecture humaine : « aucune »"
    assert C.decrire(t2.s_applique_si) == "catégories de données : dont « personnelles » ou « sensibles »"
    assert C.decrire(t2.ponderations[1].si) == (
        "catégories de données : dont « sensibles » et volume de données : « important » ou au-delà"
    )
    assert C.decrire(mini.regles["JO"].si) == (
        "rôle dans les décisions : « aide_à_la_décision » ou au-delà "
        "et domaine des décisions : « aides_sociales » ou « rh_recrutement »"
    )
    assert C.decrire(mini.regles["JP"].si) == (
        "au moins 2 des conditions suivantes : catégories de données : dont « sensibles » ; "
        "volume de données : « grande_échelle » ; rôle dans les décisions : « décision_automatisée »"
    )


@pytest.mark.parametrize(
    "condition, attendu",
    [
        ({"non": {"champ": "hebergement", "egal": "ue"}}, "hébergement des données : autre que « ue »"),
        ({"non": {"champ": "donnees.categories", "contient_un_de": ["internes", "sensibles"]}},
         "catégories de données : ni « internes » ni « sensibles »"),
        ({"champ": "acces", "dans": ["api", "grand_public", "plateforme_état"]},
         "mode d'accès : « api », « grand_public » ou « plateforme_état »"),
        ({"au_moins_une": [{"champ": "revue_humaine", "egal": "aucune"},
                           {"toutes": [{"champ": "hebergement", "au_plus": "ue"}, {"champ": "taches", "contient": "code"}]}]},
         "relecture humaine : « aucune », ou (hébergement des données : « ue » ou en deçà et tâches confiées : dont « code »)"),
        ({"non": {"toutes": [{"champ": "revue_humaine", "egal": "aucune"}, {"champ": "statut", "egal": "idée"}]}},
         "il n'est pas vrai que (relecture humaine : « aucune » et statut du projet : « idée »)"),
    ],
)
def test_decrire_phrases(condition, attendu):
    from pydantic import TypeAdapter

    assert C.decrire(TypeAdapter(C.Condition).validate_python(condition)) == attendu


def test_chaque_champ_interrogeable_a_un_libelle_francais():
    for chemin in champs():
        assert C.libelle(chemin) != chemin, f"ajoutez title= au champ {chemin} de CasUsage"


def test_champ_interrogeable_est_son_descripteur():
    """Un seul concept : les champs interrogeables sont les descripteurs eux-mêmes, pas une copie."""
    from iagcli.modeles.types import EnumFr
    from iagcli.moteur.champs import descripteurs, par_chemin

    tous = par_chemin()
    assert all(champs()[nom] is tous[nom] for nom in champs())
    assert sorted(champs()) == sorted(d.nom for d in descripteurs() if isinstance(d.type, type) and issubclass(d.type, EnumFr))
    hebergement, date = tous["hebergement"], tous["prochaine_revue"]
    assert (hebergement.attributs, hebergement.accepte_inconnu, hebergement.inconnu.value) == (("hebergement",), True, "inconnu")
    assert not date.interrogeable
    with pytest.raises(TypeError, match="prochaine_revue"):
        _ = date.enum


def test_decrire_n_ecrit_aucun_chemin_technique(defaut):
    conditions = [r.s_applique_si for r in defaut.risques.values() if r.s_applique_si]
    conditions += [p.si for r in defaut.risques.values() for p in r.ponderations]
    conditions += [j.si for j in defaut.regles.values()]
    for cond in conditions:
        phrase = C.decrire(cond)
        for chemin in C.champs_de(cond):
            assert f"{chemin} :" not in phrase


# --- Matrice ----------------------------------------------------------------------------------


def test_placements_avant_et_apres_mesures(mini):
    ev = evaluer(cas_base(mesures_en_place=["MA"]), mini)
    assert KT.placements(mini, ev) == ({(2, 1): ["T1"]}, {(1, 1): ["T1"]})
    ev = evaluer(cas_base(donnees={"categories": ["personnelles"], "volume": "limité"}, mesures_en_place=["MB"]), mini)
    # T2 : 2/3 -> MB (P −2, G −1) -> 1/2 ; T1 : 2/1 -> MB (P −1) -> 1/1
    assert KT.placements(mini, ev) == ({(2, 1): ["T1"], (2, 3): ["T2"]}, {(1, 1): ["T1"], (1, 2): ["T2"]})


# --- Questions et modèle de cas d'usage --------------------------------------------------------


def test_questions_du_schema():
    par_chemin = {q.nom: q for q in KQ.questions() if isinstance(q, KQ.Question)}
    assert par_chemin["hebergement"].valeurs[-1] == "inconnu"
    assert not any(q.facultatif for q in par_chemin.values() if q.genre == "choix")  # « À compléter », jamais absente
    assert par_chemin["taches"].minimum == 1 and par_chemin["personnes_concernees"].minimum == 0
    assert par_chemin["prochaine_revue"].genre == "date"
    assert par_chemin["mesures_en_place"].genre == "identifiants"
    assert not any(nom.startswith("mesures_prevues") for nom in par_chemin)  # écrites par `iag plan --ecrire`


def test_modele_sans_aucune_reponse_pre_remplie(tmp_path, defaut):
    chemin = tmp_path / "modele.yaml"
    chemin.write_text(KQ.modele_yaml(mesures=[(m.id, m.titre) for m in defaut.mesures.values()], aujourdhui=dt.date(2026, 1, 1)), encoding="utf-8")
    cas = valider(lire_document(str(chemin)), CasUsage, {"mesures": defaut.mesures})
    assert cas.prochaine_revue is None and cas.titre == "À compléter"
    for q in KQ.questions():
        if isinstance(q, KQ.Question) and q.genre in ("choix", "liste"):
            valeur = cas
            for a in q.chemin:
                valeur = getattr(valeur, a)
            assert valeur is None, q.nom  # « À compléter » : non répondue
    assert cas.mesures_en_place == [] and cas.version_schema == 2


def test_modele_commente_chaque_question():
    texte = KQ.modele_yaml(mesures=[("MA", "Relecture")])
    for q in KQ.questions():
        if isinstance(q, KQ.Question):
            assert f"{q.cle}:" in texte
            for v in q.valeurs:
                assert v in texte
            assert " ".join(q.description.split()[:3]) in texte
    assert 'domaine: "À compléter"' in texte
    assert "#   MA  Relecture" in texte
    assert max(len(lg) for lg in texte.splitlines()) <= KQ.LARGEUR_MODELE + 2


def test_modele_avec_reponses_se_relit_a_l_identique(tmp_path):
    reponses = {q.chemin: KQ.valeur_initiale(q) for q in KQ.questions() if isinstance(q, KQ.Question)}
    reponses[("titre",)] = 'Titre : « guillemets » "doubles" # pas un commentaire [critique]'
    reponses[("hebergement",)] = "inconnu"
    reponses[("taches",)] = ["traduction", "code"]
    reponses[("nombre_utilisateurs",)] = "10_à_100"
    reponses[("reutilisation_entrainement",)] = "non"
    chemin = tmp_path / "cas.yaml"
    chemin.write_text(KQ.modele_yaml(reponses), encoding="utf-8")
    doc = lire_document(str(chemin))
    assert doc.donnees["titre"] == reponses[("titre",)]
    cas = valider(doc, CasUsage)
    assert cas.hebergement.value == "inconnu" and [t.value for t in cas.taches] == ["traduction", "code"]
    assert cas.nombre_utilisateurs.value == "10_à_100" and cas.reutilisation_entrainement.value == "non"


# --- Lecture des réponses du mode interactif -----------------------------------------------------


def _q(nom):
    return next(q for q in KQ.questions() if isinstance(q, KQ.Question) and q.nom == nom)


def test_lire_choix():
    statut = _q("statut")
    assert KQ.lire_choix(statut, "2") == "expérimentation"
    assert KQ.lire_choix(statut, "EXPERIMENTATION") == "expérimentation"
    assert KQ.lire_choix(statut, "prod") == "production"
    with pytest.raises(KQ.ReponseInvalide, match="hors de la liste"):
        KQ.lire_choix(statut, "9")
    with pytest.raises(KQ.ReponseInvalide, match="vouliez-vous dire « production »"):
        KQ.lire_choix(statut, "produktion")
    assert KQ.lire_reponse(_q("decision_individuelle.domaine"), "?") == "À compléter"
    assert KQ.lire_reponse(_q("hebergement"), "à compléter") == "À compléter"
    assert KQ.lire_choix(_q("hebergement"), "inconnu") == "inconnu"


def test_lire_liste():
    taches = _q("taches")
    assert KQ.lire_liste(taches, "1, traduction,1") == ["rédaction", "traduction"]
    with pytest.raises(KQ.ReponseInvalide, match="au moins 1"):
        KQ.lire_liste(taches, "-")
    assert KQ.lire_liste(_q("personnes_concernees"), "-") == []
    assert KQ.lire_liste(_q("personnes_concernees"), "") == []


def test_lire_date_texte_identifiants():
    assert KQ.lire_date(" 2027-01-15 ") == "2027-01-15"
    with pytest.raises(KQ.ReponseInvalide, match="AAAA-MM-JJ"):
        KQ.lire_date("15/01/2027")
    with pytest.raises(KQ.ReponseInvalide, match="obligatoire"):
        KQ.lire_texte(_q("titre"), "  ")
    assert KQ.lire_identifiants("ma, MB mb", ["MA", "MB"]) == ["MA", "MB"]
    with pytest.raises(KQ.ReponseInvalide, match="« MC » inconnue"):
        KQ.lire_identifiants("MC", ["MA", "MB"])


def test_chemins_en_erreur():
    toutes = [q for q in KQ.questions() if isinstance(q, KQ.Question)]
    a_reposer = KQ.chemins_en_erreur([{"loc": ("decision_individuelle",)}, {"loc": ("taches", 0)}], toutes)
    assert [q.nom for q in a_reposer] == ["taches", "decision_individuelle.type", "decision_individuelle.domaine"]
