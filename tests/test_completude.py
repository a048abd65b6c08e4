"""Issue 20 : une réponse absente, à compléter ou contradictoire ne baisse jamais un verdict ; un cas
incomplet le dit dans chaque format et fait échouer la porte ; petits points (extensions, ignorés)."""

import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.controleur import lire_cas
from iagcli.moteur.evaluation import evaluer
from iagcli.moteur.referentiel import charger

from conftest import DONNEES, RACINE

EXEMPLES = RACINE / "exemples"
DATE = "2026-09-01"
EMOTIONS = (EXEMPLES / "reconnaissance-emotions-accueil.yaml").read_text(encoding="utf-8")
BASE = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ref():
    return charger()


def iag(*args, **kw):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)


def ecrire(dossier, nom, texte):
    p = dossier / nom
    p.write_text(texte, encoding="utf-8")
    return p


def evaluer_texte(tmp_path, ref, texte, nom="cas.yaml"):
    _, cas = lire_cas(str(ecrire(tmp_path, nom, texte)), ref)
    return evaluer(cas, ref, None)


# --- §1 Absence = pire cas, question nommée ----------------------------------------------------


def test_sans_fonctionnalites_sensibles_reste_interdit_et_nomme_la_question(tmp_path):
    texte = EMOTIONS.replace("fonctionnalites_sensibles: [reconnaissance_émotions]\n", "")
    f = ecrire(tmp_path, "emotions.yaml", texte)
    r = iag("evaluer", f, "-f", "json", "--date", DATE)
    assert r.exit_code == 1
    cas = json.loads(r.stdout)["cas"][0]
    assert cas["verdict"] == "interdit"  # comme avec la réponse : absente n'est plus « aucune »
    assert cas["incomplet"] is True
    assert cas["a_completer"][0] == {
        "champ": "fonctionnalites_sensibles", "titre": "fonctionnalités sensibles",
        "question": "Fonctions biométriques, de reconnaissance des émotions, de notation, de profilage, d'influence "
                    "électorale, de sécurité d'infrastructure ou d'hypertrucage (liste vide : aucune).",
        "ligne": 36, "colonne": 1, "presente": False, "ou": "à ajouter après « personnes_concernees », ligne 36",
    }
    # sans elle, les circonstances d'une identification biométrique (art. 5, § 1, h) se posent aussi
    assert [q["champ"] for q in cas["a_completer"][1:]] == ["identification_temps_reel", "identification_espace_public",
                                                             "finalite_repressive"]
    # les interdictions tenues par cette question sont « à confirmer », jamais retirées
    assert any(x["incertaine"] for x in cas["regles"] if x["nature"] == "interdiction")


def test_sans_personnes_concernees_reste_interdit(tmp_path, ref):
    ev = evaluer_texte(tmp_path, ref, EMOTIONS.replace("personnes_concernees: [agents]\n", ""))
    assert ev.verdict == "interdit" and ev.a_completer == ("personnes_concernees",)


ANALYSE_OFFRES = BASE.replace("taches: [traduction]", "taches: [analyse_classement]").replace(
    "categories: [publiques]", "categories: [confidentielles]").replace(
    "  type: aucune", "  type: aide_à_la_décision\n  domaine: commande_publique")


def test_lit_contenus_externes_absent_compte_comme_oui(tmp_path, ref):
    oui = evaluer_texte(tmp_path, ref, ANALYSE_OFFRES.replace("lit_contenus_externes: non", "lit_contenus_externes: oui"), "oui.yaml")
    absent = evaluer_texte(tmp_path, ref, ANALYSE_OFFRES.replace("lit_contenus_externes: non\n", ""), "absent.yaml")
    assert ref.rang[absent.verdict] >= ref.rang[oui.verdict]
    assert absent.a_completer == ("lit_contenus_externes",)
    inconnu = evaluer_texte(tmp_path, ref, ANALYSE_OFFRES.replace("lit_contenus_externes: non", "lit_contenus_externes: inconnu"), "inc.yaml")
    assert absent.verdict == inconnu.verdict  # ne rien dire ne vaut pas mieux que « je ne sais pas »


def test_usage_general_absent_declenche_j31_a_confirmer(tmp_path, ref):
    texte = (EXEMPLES / "tri-candidatures-rh.yaml").read_text(encoding="utf-8").replace("  usage_general: non\n", "")
    ev = evaluer_texte(tmp_path, ref, texte)
    [j31] = [r for r in ev.regles if r.id == "J31"]
    assert j31.incertaine and ev.a_completer == ("outil.usage_general",)


def test_a_completer_sur_une_question_obligatoire_position_exacte(tmp_path):
    f = ecrire(tmp_path, "cas.yaml", BASE.replace("hebergement: ue", 'hebergement: "À compléter"'))
    r = iag("evaluer", f, "-r", DONNEES / "referentiel-mini", "-f", "json")
    assert r.exit_code == 1
    [q] = json.loads(r.stdout)["cas"][0]["a_completer"]
    assert (q["champ"], q["ligne"], q["colonne"], q["presente"], q["ou"]) == ("hebergement", 14, 1, True, "ligne 14, colonne 1")


def test_cle_obligatoire_absente_nommee_par_son_libelle(tmp_path):
    f = ecrire(tmp_path, "cas.yaml", BASE.replace("hebergement: ue\n", ""))
    r = iag("valider", f, "-r", DONNEES / "referentiel-mini")
    assert r.exit_code == 3  # fichier de cas invalide (issue 24)
    assert r.stderr.strip() == f"{f}:1:1: clé obligatoire manquante : « hebergement » (hébergement des données)"


def test_domaine_absent_d_une_decision_est_a_completer():
    f = RACINE / "tests" / "corpus" / "hostile" / "decision-sans-domaine.yaml"
    r = iag("evaluer", f, "-r", DONNEES / "referentiel-mini", "-f", "json")
    assert r.exit_code == 1
    champs = [q["champ"] for q in json.loads(r.stdout)["cas"][0]["a_completer"]]
    assert "decision_individuelle.domaine" in champs


def test_question_sans_objet_n_est_pas_a_completer(tmp_path, ref):
    # pas de corpus, pas de décision : ni le contenu du corpus ni le domaine ne sont demandés
    ev = evaluer_texte(tmp_path, ref, BASE)
    assert ev.a_completer == () and not ev.incomplet


def test_exemples_complets_sans_contradiction(ref):
    for f in sorted(EXEMPLES.glob("*.yaml")):
        _, cas = lire_cas(str(f), ref)
        ev = evaluer(cas, ref, None)
        assert (ev.a_completer, ev.contradictions) == ((), ()), f.name


# --- §2 Modèle d'iag nouveau : rien de pré-rempli, cas incomplet --------------------------------


def test_modele_intact_incomplet_au_pire_cas_et_porte_en_echec(tmp_path):
    f = tmp_path / "modele.yaml"
    assert iag("nouveau", f).exit_code == 0
    texte = f.read_text(encoding="utf-8")
    reponses = [lg for lg in texte.splitlines() if lg.strip() and not lg.lstrip().startswith("#") and not lg.endswith(":")]
    assert all(lg.endswith(': "À compléter"') for lg in reponses if not lg.startswith(("version_schema", "mesures_en_place"))), reponses
    r = iag("evaluer", f, "-f", "json", "--date", DATE)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    cas = doc["cas"][0]
    assert cas["verdict"] == "interdit" and cas["incomplet"] is True
    assert len(cas["a_completer"]) == 35  # 29 questions, et les 6 du droit ajoutées par l'issue 21
    lignes = texte.splitlines()
    premiere = cas["a_completer"][0]
    assert premiere["champ"] == "titre" and lignes[premiere["ligne"] - 1] == 'titre: "À compléter"'
    assert doc["bilan"]["incomplets"] == 1 and doc["bilan"]["code_sortie"] == 1
    r = iag("evaluer", f, "--date", DATE, "--seuil", "jamais")
    assert r.exit_code == 1  # même sans seuil, un cas incomplet fait échouer la porte
    assert "INCOMPLET : 35 questions à compléter" in r.stdout


def test_modele_a_moitie_rempli_compte_exact(tmp_path):
    f = tmp_path / "modele.yaml"
    iag("nouveau", f)
    texte = f.read_text(encoding="utf-8")
    for cle, valeur in (("titre", "Essai"), ("description", "Essai."), ("service", "DSI"), ("contact", "dsi@example.org"),
                        ("statut", "idée"), ("hebergement", "ue")):
        texte = texte.replace(f'\n{cle}: "À compléter"', f"\n{cle}: {valeur}", 1)
    f.write_text(texte, encoding="utf-8")
    r = iag("evaluer", f, "-f", "json", "--date", DATE)
    assert r.exit_code == 1
    assert len(json.loads(r.stdout)["cas"][0]["a_completer"]) == 29


# --- §3 Contradictions entre réponses ---------------------------------------------------------


def test_compte_grand_public_heberge_par_la_collectivite_contradiction_positionnee(tmp_path):
    texte = BASE.replace("acces: compte_professionnel", "acces: grand_public").replace("hebergement: ue", "hebergement: collectivité")
    f = ecrire(tmp_path, "cas.yaml", texte)
    r = iag("evaluer", f, "-f", "json", "--date", DATE)
    assert r.exit_code == 1
    cas = json.loads(r.stdout)["cas"][0]
    assert cas["incomplet"] is True and cas["a_completer"] == []
    [x] = cas["contradictions"]
    assert x["id"] == "X01" and x["douteuses"] == [{"champ": "hebergement", "ligne": 14, "colonne": 1}]
    # l'hébergement douteux compte au pire cas : au moins autant que « hors_ue »
    hors_ue = ecrire(tmp_path, "hors.yaml", texte.replace("hebergement: collectivité", "hebergement: hors_ue"))
    v2 = json.loads(iag("evaluer", hors_ue, "-f", "json", "--date", DATE).stdout)["cas"][0]["verdict"]
    ref = charger()
    assert ref.rang[cas["verdict"]] >= ref.rang[v2]


@pytest.mark.parametrize("remplacer, ident, douteuses", [
    (("  utilise: non", "  utilise: non\n  contenu: [documents_internes]"), "pertinence:sources_connaissances.contenu",
     [("sources_connaissances.contenu", 27, 3), ("sources_connaissances.utilise", 26, 3)]),
    (("  type: aucune", "  type: aucune\n  domaine: rh_recrutement"), "pertinence:decision_individuelle.domaine",
     [("decision_individuelle.domaine", 23, 3), ("decision_individuelle.type", 22, 3)]),
])
def test_question_repondue_sans_objet_est_une_contradiction(tmp_path, remplacer, ident, douteuses):
    f = ecrire(tmp_path, "cas.yaml", BASE.replace(*remplacer))
    r = iag("evaluer", f, "-f", "json", "--date", DATE)
    assert r.exit_code == 1
    [x] = json.loads(r.stdout)["cas"][0]["contradictions"]
    assert x["id"] == ident
    assert [(d["champ"], d["ligne"], d["colonne"]) for d in x["douteuses"]] == douteuses


def test_contradiction_du_referentiel_verifiee_au_chargement(tmp_path):
    dossier = tmp_path / "ref"
    shutil.copytree(RACINE / "data", dossier)
    risques = dossier / "risques.yaml"
    texte = risques.read_text(encoding="utf-8")
    assert "    douteuses: [actions_sur_systemes]\n" in texte
    ligne = texte[: texte.index("    douteuses: [actions_sur_systemes]\n")].count("\n") + 1
    texte = texte.replace("    douteuses: [actions_sur_systemes]\n", "    douteuses: [hebergement]\n")
    risques.write_text(texte, encoding="utf-8")
    r = iag("evaluer", EXEMPLES / "traduction-site-web.yaml", "-r", dossier)
    assert r.exit_code == 2
    assert f"{risques}:{ligne}:17: « hebergement » n'est pas lu par la condition de la contradiction X04" in r.stderr


# --- Tous les formats disent « à compléter » --------------------------------------------------


@pytest.mark.parametrize("format_, attendu", [
    ("texte", "INCOMPLET : 4 questions à compléter"),
    ("markdown", "**Incomplet : 4 questions à compléter**"),
    ("html", "<strong>Incomplet : 4 questions à compléter</strong>"),
    ("sarif", '"ruleId": "iag/a-completer"'),
    ("gitlab", '"check_name": "iag/a-completer"'),
    ("github", "title=iag/a-completer"),
    ("junit", "cas incomplet (4 questions à compléter)"),
])
def test_chaque_format_dit_la_question_a_completer(tmp_path, format_, attendu):
    f = ecrire(tmp_path, "emotions.yaml", EMOTIONS.replace("fonctionnalites_sensibles: [reconnaissance_émotions]\n", ""))
    r = iag("evaluer", f, "-f", format_, "--date", DATE, env={"COLUMNS": "200"})
    assert r.exit_code == 1
    assert attendu in r.stdout
    assert "fonctionnalites" in r.stdout and "sensibles" in r.stdout


# --- §4 Extensions, chemins ignorés -------------------------------------------------------------


def test_extensions_en_toute_casse_et_ignores_listes_sans_verbeux(tmp_path):
    d = tmp_path / "propositions"
    d.mkdir()
    for nom in ("a.YAML", "b.Yml", "c.yaml"):
        ecrire(d, nom, BASE)
    ecrire(d, "notes.txt", "rien")
    r = iag("evaluer", d, "-r", DONNEES / "referentiel-mini", "-f", "json")
    doc = json.loads(r.stdout)
    assert sorted(c["fichier"].rsplit("/", 1)[-1] for c in doc["cas"]) == ["a.YAML", "b.Yml", "c.yaml"]
    assert doc["bilan"]["ignores"] == [{"chemin": str(d / "notes.txt"), "raison": "sans extension .yaml ou .yml"}]
    r = iag("evaluer", d, "-r", DONNEES / "referentiel-mini")
    assert f"1 chemin ignoré : {d / 'notes.txt'} (sans extension .yaml ou .yml)" in " ".join(r.stdout.split())
    r = iag("evaluer", d, "-r", DONNEES / "referentiel-mini", "-f", "junit")
    suite = ET.fromstring(r.stdout).find("testsuite")
    assert suite.get("skipped") == "1"
    assert [c.find("skipped").get("message") for c in suite.iter("testcase") if c.find("skipped") is not None] == [
        "ignoré : sans extension .yaml ou .yml"]
    for format_, attendu in (("sarif", '"iag/ignore"'), ("gitlab", '"iag/ignore"'), ("github", "notes.txt"),
                             ("markdown", "1 chemin ignoré"), ("html", "1 chemin ignoré")):
        assert attendu in iag("evaluer", d, "-r", DONNEES / "referentiel-mini", "-f", format_).stdout, format_


# --- Décisions de la fusion des issues 20 et 21 ----------------------------------------------------


def test_question_qu_aucune_condition_ne_lit_n_est_pas_due_si_elle_manque(tmp_path):
    """Le référentiel minimal ne lit pas les questions du droit ajoutées par l'issue 21 : absentes, elles
    ne rendent pas le cas incomplet ; écrites « À compléter », elles restent à compléter."""
    mini = charger(str(DONNEES / "referentiel-mini"))
    assert "identification_temps_reel" not in mini.questions_cotees
    assert "identification_temps_reel" in charger().questions_cotees
    ev = evaluer_texte(tmp_path, mini, BASE)
    assert ev.a_completer == () and not ev.incomplet
    ev = evaluer_texte(tmp_path, mini, BASE + 'identification_temps_reel: "À compléter"\n')
    assert ev.a_completer == ("identification_temps_reel",)


@pytest.mark.parametrize("reponse, contradiction", [("non", False), ("inconnu", False), ("oui", True)])
def test_reponse_a_une_question_sans_objet_contradictoire_seulement_si_elle_affirme(tmp_path, ref, reponse, contradiction):
    """Sans identification biométrique, « identification en temps réel ? » est sans objet : y répondre
    « non » ou « inconnu » est vrai ; « oui » contredit les fonctionnalités déclarées (pire cas sur les deux)."""
    ev = evaluer_texte(tmp_path, ref, BASE + f"identification_temps_reel: {reponse}\n")
    ids = [x.id for x in ev.contradictions]
    assert ids == (["pertinence:identification_temps_reel"] if contradiction else [])
    assert (ev.verdict == "interdit") is contradiction  # fonctionnalités sensibles douteuses : pratiques interdites possibles


def test_questions_du_droit_posees_selon_leur_pertinence(tmp_path, ref):
    """Cas de base (données publiques, productions pour l'agent seul, aucune fonctionnalité sensible) :
    ni données de santé, ni identification, ni référendum, ni période électorale ne sont dus ; avec des
    données personnelles, la question des données de santé l'est."""
    assert evaluer_texte(tmp_path, ref, BASE).a_completer == ()
    perso = BASE.replace("categories: [publiques]", "categories: [personnelles]")
    assert evaluer_texte(tmp_path, ref, perso).a_completer == ("donnees.sante",)
