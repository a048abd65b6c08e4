"""Le droit en vigueur au 30 novembre 2026 appliqué au référentiel fourni (issue 9, partie 2).

Un test par règle corrigée : les faits sont dans le nom, le cas est le cas de base
(`tests/donnees/cas-base.yaml`) modifié par quelques réponses, et chaque test fixe le verdict exact
et la liste exacte des règles en vigueur (évaluation au 15 janvier 2028, après l'entrée en
application de l'annexe III, sauf mention contraire).
"""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from test_proprietes import REF, cas_valides

from iagcli.es.chargeur import lire_document
from iagcli.modeles.cas_usage import CasUsage
from iagcli.moteur.evaluation import evaluer

from conftest import DONNEES, cas_modifie

APRES_ANNEXE_III = dt.date(2028, 1, 15)
BASE = lire_document(str(DONNEES / "cas-base.yaml")).donnees
PERSO = {"categories": ["personnelles"], "volume": "important"}
ANNEXE_III = {"J07", "J08", "J09", "J10", "J11", "J12", "J13", "J26", "J28", "J29", "J30", "J31", "J32", "J33", "J34"}


def cas(**modifs) -> CasUsage:
    """Cas de base ; `outil__usage_general` désigne un champ imbriqué. Les questions du droit ajoutées par
    l'issue 21 (données de santé, identification biométrique, votes) valent « non » sauf si le test les
    donne : chaque test dit les faits qu'il change, pas les autres."""
    modifs["donnees"] = {"sante": "non", **modifs.get("donnees", BASE["donnees"])}
    for cle in QUESTIONS_DU_DROIT:
        modifs.setdefault(cle, "non")
    return cas_modifie(BASE, {"mesures": REF.mesures}, **modifs)


# Questions de la troisième passe du droit (issue 21), « non » sauf si le test dit le contraire.
QUESTIONS_DU_DROIT = ("identification_temps_reel", "identification_espace_public", "finalite_repressive", "referendum_local",
                      "periode_electorale")


def resultat(c: CasUsage, date: dt.date = APRES_ANNEXE_III) -> tuple[str, list[str]]:
    ev = evaluer(c, REF, date)
    return ev.verdict, sorted(r.id for r in ev.regles if r.statut == "applicable")


def risques(c: CasUsage) -> set[str]:
    return {e.id for e in evaluer(c, REF, APRES_ANNEXE_III).risques}


# --- AI Act, article 5 : la portée des interdictions ---------------------------------------------


def test_notation_fraude_aides_sociales_est_annexe_III_5a_pas_interdit():
    c = cas(taches=["analyse_classement"], personnes_concernees=["usagers"], fonctionnalites_sensibles=["profilage"],
            donnees={"categories": ["personnelles", "hautement_personnelles"], "volume": "important"},
            decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"})
    # profilage : pas de dérogation de l'art. 6(3) (J30 absente) ; accompagnement social : AIPD obligatoire (J38)
    assert resultat(c) == ("critique", ["J10", "J15", "J16", "J19", "J21", "J22", "J32", "J33", "J34", "J38"])


def test_notation_sociale_avec_traitement_prejudiciable_reste_interdite_art_5_1_c():
    c = cas(taches=["analyse_classement"], donnees=PERSO, personnes_concernees=["usagers"],
            fonctionnalites_sensibles=["notation_sociale"])
    assert resultat(c) == ("interdit", ["J01", "J15", "J16", "J19"])
    assert "profilage" in REF.regles["J01"].consequence  # le score de fraude se déclare autrement


def test_prediction_d_infractions_penales_sur_profilage_interdite_art_5_1_d():
    c = cas(taches=["analyse_classement"], donnees=PERSO, personnes_concernees=["grand_public"],
            fonctionnalites_sensibles=["prédiction_infractions"])
    assert resultat(c) == ("interdit", ["J05", "J15", "J19"])


def test_categorisation_biometrique_par_age_ou_genre_annexe_III_1b_pas_interdite():
    c = cas(taches=["analyse_classement"], donnees={"categories": ["sensibles"], "volume": "important"},
            personnes_concernees=["grand_public"], fonctionnalites_sensibles=["catégorisation_biométrique_autres_attributs"])
    assert resultat(c) == ("critique", ["J15", "J16", "J18", "J19", "J26", "J30", "J32", "J33", "J34", "J37"])


def test_categorisation_biometrique_origine_ou_opinions_interdite_art_5_1_g():
    c = cas(taches=["analyse_classement"], donnees={"categories": ["sensibles"], "volume": "important"},
            personnes_concernees=["grand_public"],
            fonctionnalites_sensibles=["catégorisation_biométrique_caractéristiques_protégées"])
    assert resultat(c) == ("interdit", ["J03", "J15", "J16", "J18", "J19"])


def test_emotions_des_visiteurs_d_un_accueil_annexe_III_1c_sans_interdiction():
    c = cas(taches=["analyse_classement"], donnees={"categories": ["sensibles"], "volume": "important"},
            personnes_concernees=["grand_public"], fonctionnalites_sensibles=["reconnaissance_émotions"])
    assert resultat(c) == ("critique", ["J08", "J15", "J16", "J18", "J19", "J30", "J32", "J33", "J34", "J37"])


def test_emotions_des_agents_au_travail_interdite_art_5_1_f_sans_annexe_III_1c():
    c = cas(taches=["analyse_classement"], donnees={"categories": ["sensibles"], "volume": "important"},
            personnes_concernees=["agents"], fonctionnalites_sensibles=["reconnaissance_émotions"])
    assert resultat(c) == ("interdit", ["J02", "J15", "J16", "J18", "J19", "J23"])


def test_images_intimes_et_pedopornographie_interdites_a_partir_du_2_decembre_2026():
    # Issue 21, point 7 : portée du texte — un système capable de générer ces contenus, pas tout usage d'images
    c = cas(taches=["images_son_vidéo"])
    assert resultat(c, dt.date(2026, 12, 1)) == ("faible", ["J15", "J24", "J35"])
    assert resultat(c, dt.date(2026, 12, 2)) == ("faible", ["J15", "J24", "J35"])
    capable = cas(taches=["images_son_vidéo"], fonctionnalites_sensibles=["génération_contenus_intimes_ou_pédopornographiques"])
    ev = evaluer(capable, REF, dt.date(2026, 12, 1))
    assert ev.verdict == "faible" and [(r.id, r.statut) for r in ev.regles if r.id == "J27"] == [("J27", "à_venir")]
    ev = evaluer(capable, REF, dt.date(2026, 12, 2))
    assert (ev.verdict, ev.motif) == ("interdit", "pratique interdite : J27")


# --- AI Act, annexe III : points 1 a), 2, 3, 6 et 8 b) ----------------------------------------------


def test_verification_biometrique_un_contre_un_n_est_pas_annexe_III_1a():
    c = cas(taches=["analyse_classement"], donnees={"categories": ["sensibles"], "volume": "limité"},
            personnes_concernees=["agents"], fonctionnalites_sensibles=["vérification_biométrique"])
    assert resultat(c) == ("élevé", ["J15", "J16", "J18", "J19", "J23"])


def test_identification_biometrique_a_distance_annexe_III_1a():
    c = cas(taches=["analyse_classement"], donnees={"categories": ["sensibles"], "volume": "important"},
            personnes_concernees=["grand_public"], fonctionnalites_sensibles=["identification_biométrique"])
    assert resultat(c) == ("critique", ["J07", "J15", "J16", "J18", "J19", "J30", "J32", "J33", "J34"])


def test_agent_sur_les_feux_de_circulation_annexe_III_2_sans_aidf_ni_enregistrement():
    c = cas(taches=["analyse_classement", "actions_automatiques"], actions_sur_systemes="oui",
            fonctionnalites_sensibles=["composant_sécurité_infrastructure"])
    assert resultat(c) == ("élevé", ["J15", "J28", "J30", "J34"])  # ni J32 (enregistrement) ni J33 (AIDF)


def test_surveillance_des_eleves_pendant_les_epreuves_annexe_III_3():
    c = cas(taches=["analyse_classement"], personnes_concernees=["élèves"],
            donnees={"categories": ["personnelles", "personnes_vulnérables"], "volume": "important"},
            decision_individuelle={"type": "aide_à_la_décision", "domaine": "éducation"})
    assert resultat(c) == ("critique", ["J11", "J15", "J16", "J19", "J21", "J22", "J30", "J32", "J33", "J34"])


def test_police_municipale_annexe_III_6_et_directive_2016_680():
    c = cas(taches=["analyse_classement"], donnees=PERSO, personnes_concernees=["grand_public"],
            decision_individuelle={"type": "aide_à_la_décision", "domaine": "police_répressive"})
    assert resultat(c) == ("élevé", ["J15", "J16", "J19", "J21", "J22", "J29", "J30", "J32", "J33", "J34"])
    assert "directive-2016-680" in REF.regles["J29"].sources


def test_synthese_d_un_budget_participatif_n_est_pas_annexe_III_8b():
    c = cas(taches=["synthèse"], donnees={"categories": ["publiques", "personnelles"], "volume": "important"},
            personnes_concernees=["grand_public"], decision_individuelle={"type": "aucune"})
    assert resultat(c) == ("modéré", ["J15", "J19"])
    # un domaine donné sans décision est une contradiction : les deux réponses comptent au pire cas
    c = cas(taches=["synthèse"], donnees={"categories": ["publiques", "personnelles"], "volume": "important"},
            personnes_concernees=["grand_public"], decision_individuelle={"type": "aucune", "domaine": "démocratie"})
    assert [x.id for x in evaluer(c, REF, APRES_ANNEXE_III).contradictions] == ["pertinence:decision_individuelle.domaine"]


def test_contenu_publie_destine_a_influencer_le_vote_annexe_III_8b():
    c = cas(taches=["rédaction"], destinataires="publication", personnes_concernees=["grand_public"],
            fonctionnalites_sensibles=["influence_électorale"])
    assert resultat(c) == ("élevé", ["J13", "J15", "J30", "J32", "J33", "J34", "J36"])
    # L52-1, al. 2 : seulement dans les six mois qui précèdent une élection (issue 21, point 5)
    c = cas(taches=["rédaction"], destinataires="publication", personnes_concernees=["grand_public"],
            fonctionnalites_sensibles=["influence_électorale"], periode_electorale="oui")
    assert resultat(c) == ("élevé", ["J13", "J15", "J30", "J32", "J33", "J34", "J36", "J40"])


# --- AI Act : art. 6(3), 25(1)(c), 26(8)/49(3), 27 ---------------------------------------------------


def test_tri_de_candidatures_sans_profilage_derogation_6_3_a_documenter():
    c = cas(taches=["analyse_classement"], donnees=PERSO, personnes_concernees=["agents"],
            decision_individuelle={"type": "aide_à_la_décision", "domaine": "rh_recrutement"})
    assert resultat(c) == ("élevé", ["J09", "J15", "J16", "J19", "J21", "J22", "J23", "J30", "J32", "J33", "J34"])


def test_tri_de_candidatures_avec_profilage_jamais_de_derogation_6_3_et_aipd_liste_cnil():
    c = cas(taches=["analyse_classement"], donnees=PERSO, personnes_concernees=["agents"], fonctionnalites_sensibles=["profilage"],
            decision_individuelle={"type": "aide_à_la_décision", "domaine": "rh_recrutement"})
    assert resultat(c) == ("élevé", ["J09", "J15", "J16", "J19", "J21", "J22", "J23", "J32", "J33", "J34", "J38"])


def test_chatgpt_pour_trier_des_cv_fait_de_la_ville_un_fournisseur_art_25_1_c():
    c = cas(taches=["analyse_classement"], donnees=PERSO, personnes_concernees=["agents"],
            outil={"nom": "ChatGPT", "fournisseur": "OpenAI", "type_modele": "propriétaire", "usage_general": "oui"},
            decision_individuelle={"type": "aide_à_la_décision", "domaine": "rh_recrutement"})
    assert resultat(c) == (
        "critique", ["J09", "J15", "J16", "J19", "J21", "J22", "J23", "J30", "J31", "J32", "J33", "J34"]
    )
    assert "niveau minimum imposé par la règle J31" == evaluer(c, REF, APRES_ANNEXE_III).motif


def test_aide_sociale_par_une_collectivite_enregistrement_26_8_49_3_et_aidf_27():
    c = cas(taches=["synthèse"], donnees={"categories": ["personnelles"], "volume": "limité"}, personnes_concernees=["usagers"],
            decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"})
    assert resultat(c) == ("élevé", ["J10", "J15", "J16", "J19", "J21", "J22", "J30", "J32", "J33", "J34", "J38"])


CHATGPT_CV = dict(
    taches=["analyse_classement"], donnees=PERSO, personnes_concernees=["agents"],
    outil={"nom": "ChatGPT", "fournisseur": "OpenAI", "type_modele": "propriétaire", "usage_general": "oui"},
    decision_individuelle={"type": "aide_à_la_décision", "domaine": "rh_recrutement"},
)
FEUX = dict(taches=["analyse_classement", "actions_automatiques"], actions_sur_systemes="oui",
            fonctionnalites_sensibles=["composant_sécurité_infrastructure"])
AIDE_SOCIALE = dict(taches=["synthèse"], donnees={"categories": ["personnelles"], "volume": "limité"},
                    personnes_concernees=["usagers"],
                    decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"})


@pytest.mark.parametrize("modifs, changees, verdicts", [
    (CHATGPT_CV, {"J09", "J30", "J31", "J32", "J33", "J34"}, ("élevé", "critique")),
    (FEUX, {"J28", "J30", "J34"}, ("modéré", "élevé")),
    (AIDE_SOCIALE, {"J10", "J30", "J32", "J33", "J34"}, ("élevé", "élevé")),
], ids=["chatgpt-cv", "feux-circulation", "aide-sociale"])
def test_meme_cas_au_1er_et_au_2_decembre_2027_differe_exactement_des_regles_de_l_annexe_III(modifs, changees, verdicts):
    c = cas(**modifs)
    avant, apres = evaluer(c, REF, dt.date(2027, 12, 1)), evaluer(c, REF, dt.date(2027, 12, 2))
    statut_avant = {r.id: r.statut for r in avant.regles}
    statut_apres = {r.id: r.statut for r in apres.regles}
    assert statut_avant.keys() == statut_apres.keys()  # listées aux deux dates, « à venir » la veille
    assert {i for i in statut_avant if statut_avant[i] != statut_apres[i]} == changees
    assert changees <= ANNEXE_III
    assert all(statut_avant[i] == "à_venir" and statut_apres[i] == "applicable" for i in changees)
    assert [(e.id, e.residuel) for e in avant.risques] == [(e.id, e.residuel) for e in apres.risques]
    assert (avant.verdict, apres.verdict) == verdicts


def test_toutes_les_regles_de_l_annexe_III_s_appliquent_le_2_decembre_2027():
    assert {i for i, j in REF.regles.items() if j.applicable_depuis == dt.date(2027, 12, 2)} == ANNEXE_III


# --- AI Act : art. 50 et art. 4 -----------------------------------------------------------------------


def test_agent_conversationnel_art_50_1_oblige_le_fournisseur_pas_d_obligation_de_deployeur_50_4():
    c = cas(taches=["agent_conversationnel"], interaction_directe_usagers="oui", destinataires="usagers",
            public_atteint="1000_à_50000", personnes_concernees=["grand_public"])
    assert resultat(c) == ("élevé", ["J14", "J15", "J25"])
    assert "fournisseur" in REF.regles["J14"].consequence


def test_hypertrucage_du_maire_publie_art_50_4_sans_exception_editoriale():
    c = cas(taches=["images_son_vidéo"], destinataires="publication", fonctionnalites_sensibles=["hypertrucage_personnes_réelles"])
    assert resultat(c) == ("élevé", ["J15", "J24", "J35"])
    assert "R20" in risques(c)


def test_images_generees_non_publiees_restent_a_signaler_art_50_4():
    # le texte « ni publication » : J35 s'applique à une image restée chez l'agent ; J36 (textes publiés) non
    assert resultat(cas(taches=["images_son_vidéo"]))[1] == ["J15", "J24", "J35"]


def test_texte_publie_pour_informer_le_public_art_50_4_al_2():
    assert resultat(cas(taches=["rédaction"], destinataires="publication")) == ("faible", ["J15", "J36"])
    assert resultat(cas(taches=["rédaction"], destinataires="publication", periode_electorale="oui")) == ("faible", ["J15", "J36", "J40"])
    assert resultat(cas(taches=["rédaction"], destinataires="publication", periode_electorale="inconnu")) == ("faible", ["J15", "J36", "J40"])


def test_art_4_nouvelle_redaction_favoriser_la_maitrise_sans_niveau_garanti():
    j15 = REF.regles["J15"]
    assert "niveau suffisant" not in j15.consequence and "n'exige pas de garantir un niveau" in j15.consequence
    assert j15.applicable_depuis == dt.date(2025, 2, 2) and "2026/1744" in REF.sources["ai-act"].titre
    assert REF.sources["ai-act"].url == "https://eur-lex.europa.eu/eli/reg/2024/1689/2026-07-27/fra"


# --- RGPD et droit français -------------------------------------------------------------------------


def test_situation_sociale_hautement_personnelle_aipd_presumee_sans_article_9():
    # usage innovant présumé + données hautement personnelles : deux critères -> J16 ; pas l'art. 9 (J18)
    c = cas(taches=["synthèse"], donnees={"categories": ["hautement_personnelles"], "volume": "limité"},
            personnes_concernees=["usagers"])
    assert resultat(c) == ("élevé", ["J15", "J16", "J19"])
    simple = cas(taches=["synthèse"], donnees={"categories": ["personnelles"], "volume": "limité"},
                 personnes_concernees=["usagers"])
    assert resultat(simple) == ("modéré", ["J15", "J19"])
    assert "présumée" in REF.regles["J16"].consequence


def test_decision_administrative_entierement_automatisee_rgpd_22_lil_47_decision_2018_765_dc():
    c = cas(taches=["aide_à_la_décision"], donnees=PERSO, revue_humaine="aucune", personnes_concernees=["usagers"],
            decision_individuelle={"type": "décision_automatisée", "domaine": "autre"})
    assert resultat(c) == ("critique", ["J15", "J16", "J17", "J19", "J21", "J22"])
    assert {"loi-78-17", "cc-2018-765-dc"} <= set(REF.regles["J17"].sources)


def test_compte_grand_public_fournisseur_responsable_de_traitement_pas_sous_traitant():
    c = cas(acces="grand_public", hebergement="hors_ue", reutilisation_entrainement="oui",
            donnees={"categories": ["contacts_professionnels_agents"], "volume": "limité"})
    assert resultat(c) == ("élevé", ["J15", "J20", "J39"])  # J39 et pas J19 (contrat art. 28)


def test_transfert_hors_ue_cite_le_cadre_ue_etats_unis_valide_par_le_tribunal():
    c = cas(hebergement="hors_ue", donnees=PERSO)
    assert resultat(c) == ("élevé", ["J15", "J19", "J20"])
    assert {"dpf-2023", "tue-t-553-23"} <= set(REF.regles["J20"].sources)


def test_transfert_vers_un_prestataire_americain_avec_contrat_modere_sans_plancher_eleve():
    # cadre UE–États-Unis valide : J20 demande la vérification du DPO, pas la validation DPO–RSSI
    c = cas(hebergement="hors_ue", donnees={"categories": ["contacts_professionnels_agents"], "volume": "limité"},
            mesures_en_place=["M10"])
    assert resultat(c) == ("modéré", ["J15", "J19", "J20"])
    assert evaluer(c, REF, APRES_ANNEXE_III).motif == "niveau résiduel le plus haut : R10"


def test_verification_biometrique_des_agents_donnees_article_9_meme_sans_categorie_sensibles():
    c = cas(taches=["analyse_classement"], donnees={"categories": ["personnelles"], "volume": "limité"},
            personnes_concernees=["agents"], fonctionnalites_sensibles=["vérification_biométrique"])
    assert resultat(c) == ("élevé", ["J15", "J18", "J19", "J23"])


def test_seuls_noms_d_agents_pas_d_aipd_mais_contrat_art_28():
    c = cas(donnees={"categories": ["internes", "contacts_professionnels_agents"], "volume": "limité"})
    assert resultat(c) == ("faible", ["J15", "J19"])


def test_relance_avant_recouvrement_etape_sans_decision_ni_crpa_ni_annexe_III():
    c = cas(taches=["rédaction"], donnees=PERSO, destinataires="usagers", personnes_concernees=["usagers"],
            decision_individuelle={"type": "étape_administrative", "domaine": "autre"})
    assert resultat(c) == ("modéré", ["J15", "J19"])


def test_reen_vise_aussi_les_epci_a_fiscalite_propre():
    assert "établissements publics de coopération intercommunale à fiscalité propre" in REF.regles["J24"].consequence


def test_comite_social_territorial_cite_son_decret_sans_citation_non_verifiee():
    j23 = REF.regles["J23"]
    assert "decret-2021-571" in j23.sources and "technologies nouvelles" not in j23.consequence


def test_crpa_l312_1_3_seuil_fixe_par_decret_sans_chiffre_non_verifie():
    assert "cinquante" not in REF.regles["J22"].consequence and "décret" in REF.regles["J22"].consequence


def test_hebergement_chez_un_autre_organisme_public_compte_comme_infrastructure_publique():
    c = cas(acces="hébergé_organisme_public", hebergement="organisme_public",
            donnees={"categories": ["internes", "personnelles"], "volume": "limité"})
    assert resultat(c) == ("modéré", ["J15", "J19"])
    r03 = next(e for e in evaluer(c, REF, APRES_ANNEXE_III).risques if e.id == "R03")
    assert any(e.probabilite == -1 and "infrastructure publique" in e.texte for e in r03.trace)


# --- Risques de la section 4 ------------------------------------------------------------------------


def test_injection_par_les_courriels_lus_meme_sans_dialogue_ni_corpus():
    c = cas(taches=["analyse_classement"], lit_contenus_externes="oui", donnees=PERSO, personnes_concernees=["usagers"])
    assert "R06" in risques(c) and "R06" not in risques(cas(taches=["analyse_classement"], donnees=PERSO))


def test_analyse_des_offres_d_un_marche_egalite_de_traitement_et_injection():
    c = cas(taches=["analyse_classement"], lit_contenus_externes="oui",
            donnees={"categories": ["confidentielles", "contacts_professionnels_agents"], "volume": "important"},
            decision_individuelle={"type": "aide_à_la_décision", "domaine": "commande_publique"})
    assert resultat(c) == ("élevé", ["J15", "J19", "J21", "J22"])
    assert {"R06", "R22"} <= risques(c)


def test_propos_inventes_sur_des_personnes_identifiables():
    assert "R19" in risques(cas(taches=["synthèse"], donnees=PERSO, personnes_concernees=["agents"]))
    assert "R19" not in risques(cas(taches=["synthèse"]))


def test_consommation_non_bornee_d_un_service_ouvert_au_public():
    c = cas(taches=["agent_conversationnel"], interaction_directe_usagers="oui", destinataires="usagers",
            public_atteint="plus_de_50000")
    r21 = next(e for e in evaluer(c, REF, APRES_ANNEXE_III).risques if e.id == "R21")
    assert (r21.initial.probabilite, r21.initial.gravite) == (3, 2)


# --- Un usage licite ne sort jamais « interdit » ------------------------------------------------------

INTERDITES = {"notation_sociale", "génération_contenus_intimes_ou_pédopornographiques", "prédiction_infractions", "catégorisation_biométrique_caractéristiques_protégées",
              "moissonnage_visages", "techniques_manipulatrices"}


@settings(max_examples=150, deadline=None)
@given(cas_valides(sans_reponse=False))  # toutes les réponses données : une absence, elle, est le pire cas
def test_usage_sans_pratique_interdite_jamais_interdit(d):
    c = CasUsage.model_validate(d, context={"mesures": REF.mesures})
    fonctions = {f.value for f in c.fonctionnalites_sensibles}
    emotions_au_travail = "reconnaissance_émotions" in fonctions and {p.value for p in c.personnes_concernees} & {"agents", "élèves"}
    # art. 5, § 1, h) : identification biométrique dont les circonstances ne sont pas toutes « non » (J41)
    temps_reel_possible = "identification_biométrique" in fonctions and any(
        v is None or v.value != "non" for v in (c.identification_temps_reel, c.identification_espace_public, c.finalite_repressive))
    if fonctions & INTERDITES or emotions_au_travail or temps_reel_possible:
        return
    assert evaluer(c, REF, APRES_ANNEXE_III).verdict != "interdit"


@pytest.mark.parametrize("regle", sorted(ANNEXE_III))
def test_regles_annexe_III_datees_et_sourcees(regle):
    j = REF.regles[regle]
    assert j.applicable_depuis == dt.date(2027, 12, 2) and "ai-act" in j.sources


# --- Par la ligne de commande : même fichier, deux dates ------------------------------------------


def test_cli_chatgpt_tri_cv_passe_critique_le_2_decembre_2027_seulement():
    from typer.testing import CliRunner

    from iagcli.cli import app

    fichier = str(DONNEES / "droit" / "chatgpt-tri-cv.yaml")
    runner = CliRunner()
    veille = runner.invoke(app, ["evaluer", fichier, "--date", "2027-12-01", "--seuil", "critique", "-f", "json"])
    jour = runner.invoke(app, ["evaluer", fichier, "--date", "2027-12-02", "--seuil", "critique", "-f", "json"])
    assert (veille.exit_code, jour.exit_code) == (0, 1)
    [avant], [apres] = json.loads(veille.stdout)["cas"], json.loads(jour.stdout)["cas"]
    assert (avant["verdict"], apres["verdict"]) == ("élevé", "critique")
    j31_avant = next(r for r in avant["regles"] if r["id"] == "J31")
    assert (j31_avant["statut"], j31_avant["applicable_depuis"], j31_avant["avant_revue"]) == ("à_venir", "2027-12-02", True)
    assert apres["motif"] == "niveau minimum imposé par la règle J31"
    changees = {r["id"] for r in avant["regles"]} ^ {r["id"] for r in avant["regles"] if r["statut"] == "applicable"}
    assert changees == {"J09", "J30", "J31", "J32", "J33", "J34"}
    assert all(r["statut"] == "applicable" for r in apres["regles"])


# --- Issue 21 : troisième passe (droit-en-vigueur.md, § 5 et 6), un cas écrit des faits par point ---

DROIT = DONNEES / "droit"
AU_4_DECEMBRE_2026 = dt.date(2026, 12, 4)


def evaluer_fichier_droit(nom: str, date: dt.date = AU_4_DECEMBRE_2026):
    from iagcli.controleur import evaluer_fichier

    r = evaluer_fichier(str(DROIT / f"{nom}.yaml"), REF, date=date)
    assert r.evaluation is not None, [str(d) for d in r.diagnostics]
    return r.evaluation


def par_statut(ev, statut: str) -> list[str]:
    return sorted(r.id for r in ev.regles if r.statut == statut)


def classe(ev) -> tuple:
    c = ev.classification
    return c.classe, tuple(b.regle for b in c.bases), c.applicable_depuis, c.statut


def test_point_1_identification_temps_reel_police_municipale_interdite_art_5_1_h():
    ev = evaluer_fichier_droit("police-municipale-identification-temps-reel")
    assert (ev.verdict, ev.motif) == ("interdit", "pratique interdite : J41")
    assert par_statut(ev, "applicable") == ["J15", "J16", "J18", "J19", "J21", "J22", "J24", "J41"]
    # point 7 : les obligations de l'annexe III d'un cas interdit sont sans objet, pas « à venir »
    assert par_statut(ev, "sans_objet") == ["J07", "J29", "J30", "J32", "J33", "J34"]
    assert par_statut(ev, "à_venir") == []
    assert classe(ev) == ("interdit", ("J41",), dt.date(2025, 2, 2), "applicable")
    assert REF.regles["J41"].applicable_depuis == dt.date(2025, 2, 2) and "§ 5" in REF.regles["J41"].texte
    assert "la France ne l'a pas fait" in REF.regles["J41"].consequence
    # avant l'issue : seule J07 (annexe III, 1 a), datée 2027 ; l'identification a posteriori y reste
    a_posteriori = cas_modifie(lire_document(str(DROIT / "police-municipale-identification-temps-reel.yaml")).donnees,
                               {"mesures": REF.mesures}, identification_temps_reel="non")
    ev = evaluer(a_posteriori, REF, AU_4_DECEMBRE_2026)
    assert (ev.verdict, ev.motif) == ("critique", "niveau résiduel le plus haut : R05")
    assert classe(ev) == ("haut_risque", ("J07", "J29"), dt.date(2027, 12, 2), "à_venir")


def test_point_1_reponses_inconnues_laissent_la_classe_a_examiner():
    d = lire_document(str(DROIT / "police-municipale-identification-temps-reel.yaml")).donnees
    c = cas_modifie(d, {"mesures": REF.mesures}, identification_temps_reel="inconnu", identification_espace_public="inconnu",
                    finalite_repressive="inconnu")
    ev = evaluer(c, REF, AU_4_DECEMBRE_2026)
    # pire cas : l'interdiction incertaine compte ; la classe reste ouverte, avec les réponses à donner
    assert (ev.verdict, ev.motif) == ("interdit", "pratique interdite : J41")
    k = ev.classification
    assert (k.classe, k.classe_au_moins, k.classes_possibles) == ("à_examiner", "haut_risque", ("interdit",))
    assert k.reponses_a_examiner == ("identification_temps_reel", "identification_espace_public", "finalite_repressive")
    # classe ouverte : les obligations de haut risque restent à préparer
    assert par_statut(ev, "sans_objet") == [] and "J07" in par_statut(ev, "à_venir")


def test_point_2_decision_par_le_seul_modele_generatif_critique_malgre_les_mesures():
    ev = evaluer_fichier_droit("decision-automatisee-aide-facultative")
    assert (ev.verdict, ev.motif) == ("critique", "niveau minimum imposé par la règle J17")
    assert par_statut(ev, "applicable") == ["J15", "J16", "J17", "J19", "J21", "J22", "J38"]
    j17 = REF.regles["J17"]
    assert j17.niveau_minimum == "critique"
    for texte in ("art. 47, al. 2, 2°", "L311-3-1", "R311-3-1-2", "2018-765 DC, § 71", "RGPD art. 22"):
        assert texte in " ".join(j17.texte.split())
    raison = " ".join(j17.consequence.split())
    assert "paramètres et leur pondération" in raison and "aucune mesure déclarée ne fournit l'explication" in raison
    # une aide où un agent décide chaque dossier reste sous ce plancher
    d = lire_document(str(DROIT / "decision-automatisee-aide-facultative.yaml")).donnees
    aide = cas_modifie(d, {"mesures": REF.mesures}, decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"},
                       revue_humaine="systématique")
    assert evaluer(aide, REF, AU_4_DECEMBRE_2026).verdict == "élevé"


def test_point_3_donnees_de_sante_de_suivi_medico_social_hebergeur_hds():
    ev = evaluer_fichier_droit("ccas-synthese-suivi-medico-social")
    assert (ev.verdict, ev.motif) == ("critique", "niveau résiduel le plus haut : R05")
    assert par_statut(ev, "applicable") == ["J15", "J16", "J18", "J19", "J42"]
    j42 = REF.regles["J42"]
    assert (j42.texte, j42.applicable_depuis) == ("Code de la santé publique, art. L1111-8", dt.date(2018, 4, 1))
    assert set(j42.sources) == {"csp", "ordonnance-2017-27", "decret-2018-137"}
    d = lire_document(str(DROIT / "ccas-synthese-suivi-medico-social.yaml")).donnees
    # hébergé par la collectivité elle-même : pas d'hébergement pour un tiers
    chez_soi = cas_modifie(d, {"mesures": REF.mesures}, acces="hébergé_collectivité", hebergement="collectivité")
    assert "J42" not in par_statut(evaluer(chez_soi, REF, AU_4_DECEMBRE_2026), "applicable")
    # réponse inconnue : la règle est listée, incertaine (pire cas)
    inconnue = cas_modifie(d, {"mesures": REF.mesures}, donnees={"categories": ["personnelles"], "volume": "important", "sante": "inconnu"})
    assert [(r.id, r.incertaine) for r in evaluer(inconnue, REF, AU_4_DECEMBRE_2026).regles if r.id == "J42"] == [("J42", True)]
    # sans donnée personnelle, la question ne se pose pas
    publiques = cas_modifie(d, {"mesures": REF.mesures}, donnees={"categories": ["publiques"], "volume": "limité", "sante": "inconnu"},
                            personnes_concernees=[])
    assert "J42" not in {r.id for r in evaluer(publiques, REF, AU_4_DECEMBRE_2026).regles}


def test_point_4_logement_social_annexe_III_5a_comme_les_aides_sociales():
    ev = evaluer_fichier_droit("logement-social-classement-demandeurs")
    assert (ev.verdict, ev.motif) == ("critique", "niveau résiduel le plus haut : R05")
    assert par_statut(ev, "à_venir") == ["J10", "J30", "J32", "J33", "J34"]
    assert par_statut(ev, "applicable") == ["J15", "J16", "J19", "J21", "J22", "J38"]
    assert classe(ev) == ("haut_risque", ("J10",), dt.date(2027, 12, 2), "à_venir")
    assert "considérant 58" in REF.regles["J10"].consequence
    assert par_statut(evaluer_fichier_droit("logement-social-classement-demandeurs", APRES_ANNEXE_III), "applicable") == [
        "J10", "J15", "J16", "J19", "J21", "J22", "J30", "J32", "J33", "J34", "J38"]


def test_point_5_referendum_local_convoque_regles_de_propagande_sans_annexe_III_8b():
    ev = evaluer_fichier_droit("referendum-local-agent-conversationnel")
    assert (ev.verdict, ev.motif) == ("élevé", "niveau résiduel le plus haut : R02")
    assert par_statut(ev, "applicable") == ["J14", "J15", "J25", "J43"]
    assert "J13" not in {r.id for r in ev.regles}
    assert classe(ev) == ("transparence", ("J14",), dt.date(2026, 8, 2), "applicable")
    j43 = REF.regles["J43"]
    for texte in ("LO1112-9", "L50-1", "L51, al. 3", "L52-1"):
        assert texte in j43.texte
    assert j43.applicable_depuis == dt.date(2003, 8, 2) and {"cgct", "code-electoral"} <= set(j43.sources)
    d = lire_document(str(DROIT / "referendum-local-agent-conversationnel.yaml")).donnees
    sans_vote = cas_modifie(d, {"mesures": REF.mesures}, referendum_local="non")
    assert "J43" not in {r.id for r in evaluer(sans_vote, REF, AU_4_DECEMBRE_2026).regles}


def test_point_6_journalisation_ne_rend_pas_l_injection_moins_probable():
    ev = evaluer_fichier_droit("tri-courriels-injection-filtrage")
    assert (ev.verdict, ev.motif) == ("modéré", "niveau résiduel le plus haut : R06")
    r06 = next(e for e in ev.risques if e.id == "R06")
    assert ((r06.initial.probabilite, r06.initial.gravite), (r06.residuel.probabilite, r06.residuel.gravite)) == ((3, 2), (3, 1))
    assert r06.residuel.niveau == "modéré" and "M19" not in r06.mesures_appliquees
    assert REF.risques["R06"].attaque == "oui" and REF.risques["R07"].attaque == "oui"
    par_nature = REF.risques_yaml.parametres.credit_mesures.par_nature
    assert (par_nature["détective"].probabilite, par_nature["détective"].gravite) == ("hors_attaques", "jamais")
    assert (par_nature["corrective"].probabilite, par_nature["corrective"].gravite) == ("jamais", "toujours")


def test_point_6_mesure_detective_sur_une_attaque_refusee_au_chargement(tmp_path):
    import shutil

    from iagcli.erreurs import ErreurReferentiel
    from iagcli.moteur.referentiel import charger, dossier_defaut

    shutil.copytree(dossier_defaut(), tmp_path / "ref")
    chemin = tmp_path / "ref" / "risques.yaml"
    texte = chemin.read_text(encoding="utf-8")
    avant = "      # pas (injection d'instructions, R06 : aucun effet).\n      - {risque: R15, probabilite: -1}\n"
    assert texte.count(avant) == 1
    chemin.write_text(texte.replace(avant, avant + "      - {risque: R06, probabilite: -1}\n"), encoding="utf-8")
    with pytest.raises(ErreurReferentiel) as e:
        charger(tmp_path / "ref", cache=False)
    ligne = texte[: texte.index(avant)].count("\n") + 3
    assert [str(d).split("/ref/", 1)[1] for d in e.value.diagnostics] == [
        f"risques.yaml:{ligne}:36: une mesure détective ne baisse jamais la probabilité (le risque R06 est une attaque "
        "(`attaque: oui`) qu'elle n'empêche pas) : retirez cet effet ou changez la nature de la mesure"
    ]


def test_point_7_affiches_sans_regle_des_images_intimes_ni_periode_electorale():
    ev = evaluer_fichier_droit("affiches-campagne-voeux")
    assert (ev.verdict, ev.motif) == ("modéré", "niveau résiduel le plus haut : R20")
    assert [r.id for r in ev.regles] == ["J35", "J15", "J24"]
    assert classe(ev) == ("transparence", ("J35",), dt.date(2026, 8, 2), "applicable")
    assert REF.recommandations["REC31"].risques == ["R20"]  # les garde-fous du générateur : vérifiés une fois


def test_point_7_forfaits_de_post_stationnement_hors_annexe_III_6():
    ev = evaluer_fichier_droit("forfaits-post-stationnement", APRES_ANNEXE_III)
    assert (ev.verdict, ev.motif) == ("élevé", "niveau résiduel le plus haut : R12")
    assert sorted(r.id for r in ev.regles) == ["J15", "J16", "J19", "J21", "J22"]
    assert classe(ev) == ("minimal", (), None, None)


def test_point_7_domaine_securite_retire_avec_la_consigne_a_sa_position(tmp_path):
    from iagcli.controleur import evaluer_fichier

    texte = (DROIT / "forfaits-post-stationnement.yaml").read_text(encoding="utf-8")
    fichier = tmp_path / "ancien.yaml"
    fichier.write_text(texte.replace("domaine: police_administrative", "domaine: sécurité"), encoding="utf-8")
    r = evaluer_fichier(str(fichier), REF, date=AU_4_DECEMBRE_2026)
    assert r.evaluation is None
    [d] = r.diagnostics
    assert (d.ligne, d.colonne) == (19, 60)
    assert d.message.startswith("valeur « sécurité » retirée : écrire « police_répressive » pour les activités répressives")
    assert "« police_administrative »" in d.message and "« sûreté_lieux_événements »" in d.message


def test_point_8_aucune_date_a_confirmer_dans_les_donnees():
    from iagcli.moteur.referentiel import dossier_defaut

    for nom in ("risques.yaml", "recommandations.yaml", "documents.yaml"):
        assert "à confirmer" not in (dossier_defaut() / nom).read_text(encoding="utf-8").lower(), nom
    # dates que ni le texte primaire ni les notes de veille n'établissent : retirées, la règle reste en vigueur
    assert [j for j in ("J22", "J25", "J38", "J40") if REF.regles[j].applicable_depuis is not None] == []
    assert REF.regles["J21"].applicable_depuis == dt.date(2016, 10, 9) and "loi-2016-1321" in REF.regles["J21"].sources
    assert all(j.applicable_depuis is not None for j in REF.regles.values() if j.id not in {"J22", "J25", "J38", "J40"})


def test_classes_ai_act_sans_mot_commun_avec_les_niveaux():
    from iagcli.moteur.coherence import _mots

    niveaux = {m for n in [*REF.niveaux, REF.risques_yaml.interdit] for m in _mots(n.libelle)}
    classes = [c.libelle for c in REF.risques_yaml.classes_ai_act] + [REF.risques_yaml.classe_a_examiner.libelle]
    assert classes == ["pratique prohibée", "haut risque", "transparence", "risque minimal", "classe à examiner"]
    assert all(not (_mots(c) & niveaux) for c in classes)
    # chaque règle de l'AI Act dit la classe qu'elle établit (ou dont elle découle), sauf l'art. 4
    ai_act = [j for j in REF.regles.values() if "ai-act" in j.sources and j.id != "J15"]
    assert [j.id for j in ai_act if j.classe_ai_act is None and j.obligation_de_classe is None] == []
    assert {j.id for j in REF.regles.values() if j.nature == "interdiction"} == {
        j.id for j in REF.regles.values() if j.classe_ai_act is not None and j.classe_ai_act.classe == "interdit"}


@settings(max_examples=60, deadline=None)
@given(cas_valides())
def test_la_classe_ne_vient_que_des_donnees_des_regles(d):
    """Sans `classe_ai_act` dans les règles, tout cas est « minimal » : la classe ne vient jamais du Python."""
    c = CasUsage.model_validate(d, context={"mesures": REF.mesures})
    ev = evaluer(c, SANS_CLASSES, APRES_ANNEXE_III)
    assert (ev.classification.classe, ev.classification.bases) == ("minimal", ())
    assert all(r.statut != "sans_objet" for r in ev.regles)


def _sans_classes():
    import dataclasses as dc

    fichier = REF.risques_yaml.model_copy(update={"regles_juridiques": [
        j.model_copy(update={"classe_ai_act": None, "obligation_de_classe": None}) for j in REF.risques_yaml.regles_juridiques]})
    return dc.replace(REF, risques_yaml=fichier)


SANS_CLASSES = _sans_classes()


@pytest.mark.parametrize("format_, attendu", [
    ("texte", "AI Act : haut risque (annexe III, point 5 a)), obligations applicables le 2 décembre 2027"),
    ("markdown", "**AI Act : haut risque (annexe III, point 5 a)), obligations applicables le 2 décembre 2027**"),
    ("html", '<p class="classe-ai-act"><strong>AI Act : haut risque (annexe III, point 5 a)), obligations applicables le 2 décembre 2027</strong></p>'),
    ("sarif", '"classification_ai_act": {"classe": "haut_risque"'),
    ("gitlab", '"check_name": "iag/classe-ai-act"'),
    ("github", "::notice file="),
    ("junit", '<property name="classification_ai_act.classe" value="haut_risque" />'),
])
def test_classe_dans_chaque_format(format_, attendu):
    from typer.testing import CliRunner

    from iagcli.cli import app

    fichier = str(DROIT / "logement-social-classement-demandeurs.yaml")
    r = CliRunner().invoke(app, ["evaluer", fichier, "--date", "2026-12-04", "--seuil", "jamais", "-f", format_], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert attendu in r.stdout
    if format_ == "github":
        assert "AI Act : haut risque (annexe III, point 5 a)), obligations applicables le 2 décembre 2027." in r.stdout


def test_classe_dans_le_json_valide_contre_le_schema():
    import jsonschema
    from typer.testing import CliRunner

    from iagcli.cli import app

    from conftest import RACINE

    fichier = str(DROIT / "police-municipale-identification-temps-reel.yaml")
    r = CliRunner().invoke(app, ["evaluer", fichier, "--date", "2026-12-04", "--seuil", "jamais", "-f", "json"])
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, json.loads((RACINE / "schemas" / "rapport.schema.json").read_text(encoding="utf-8")))
    assert doc["format_version"] == "1.2"
    [c] = doc["cas"]
    assert c["classification_ai_act"] == {
        "classe": "interdit", "libelle": "pratique prohibée",
        "bases": [{"regle": "J41", "base": "art. 5, § 1, h)", "texte": "Règlement (UE) 2024/1689 modifié, art. 5, § 1, point h), et § 5"}],
        "applicable_depuis": "2025-02-02", "statut": "applicable", "classe_au_moins": None, "classes_possibles": [],
        "reponses_a_examiner": []}
    assert {r["id"]: r["statut"] for r in c["regles"]}["J29"] == "sans_objet"
