"""Rapports lisibles par machine (json, sarif, gitlab, github, junit) et markdown.

Les résultats viennent du vrai chemin : référentiel mini, `executer`, fichiers de
tests/donnees/rapports/ (un cas élevé, un interdit, un à réponses inconnues, un invalide, un
dont le texte essaie d'injecter du balisage Rich, ANSI, HTML, Markdown et des commandes GitHub).
"""

import io
import json
import shutil
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from iagcli import __version__
from iagcli.controleur import executer
from iagcli.es.chemins import developper
from iagcli.moteur.referentiel import charger
from iagcli.rendus.evaluation import FORMATS, creer
from iagcli.rendus.evaluation.github import echapper_donnee, echapper_propriete
from iagcli.rendus.evaluation.markdown import echapper

from conftest import DONNEES, MINI, RACINE

RAPPORTS = DONNEES / "rapports"
# Chemins relatifs à la racine du dépôt, comme en CI (les rapports les reprennent tels quels).
BASE = "tests/donnees/cas-base.yaml"
ELEVE = "tests/donnees/rapports/eleve.yaml"
INTERDIT = "tests/donnees/rapports/interdit.yaml"
INCERTAIN = "tests/donnees/rapports/incertain.yaml"
INVALIDE = "tests/donnees/rapports/invalide.yaml"
INJECTION = "tests/donnees/rapports/injection.yaml"
TOUS = [BASE, ELEVE, INTERDIT, INCERTAIN, INVALIDE, INJECTION]

# Ce que le référentiel mini donne, calculé à la main :
# - base : T1 P2 G1 (G 1-1 borné à 1) -> faible ;
# - eleve : T2 P2 G3 -> élevé (données personnelles), T1 P3 G1 (revue ponctuelle) -> modéré ;
# - interdit : notation sociale -> JI, verdict interdit ; T1 faible ;
# - incertain : T2 P2+2 (hébergement inconnu) G3+1 (sensibles, volume inconnu) -> P4 G4 critique ;
#   T1 P2 G1 -> MA en place -> P1 G1 faible ; JO (plancher élevé), JP (incertaine : volume inconnu) ;
# - injection : T2 P4 G3 (hors UE) -> critique ; T1 faible.
VERDICTS = {BASE: "faible", ELEVE: "élevé", INTERDIT: "interdit", INCERTAIN: "critique", INJECTION: "critique"}
INJECTE = "\n::add-mask::secret"


@pytest.fixture(scope="module", autouse=True)
def depuis_la_racine():
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(RACINE)
        yield


@pytest.fixture(scope="module")
def ref():
    return charger(MINI)


def produire(fmt, ref, chemins=TOUS, seuil="élevé", **options):
    flux = io.StringIO()
    bilan = executer(developper(chemins), ref, [creer(fmt, flux, ref, seuil=seuil, **options)], seuil)
    return flux.getvalue(), bilan


def test_formats_enregistres():
    assert {"texte", "json", "sarif", "gitlab", "github", "markdown", "junit"} <= set(FORMATS)


def test_options_inconnues_acceptees(ref):
    # Le CLI passe les mêmes options à tous les rapporteurs (erreurs, silencieux, matrice, ...).
    for fmt in FORMATS:
        if fmt == "texte":
            continue
        sortie, _ = produire(fmt, ref, [BASE], erreurs=io.StringIO(), silencieux=True, matrice=True, vers_fichier=True)
        assert sortie or fmt == "github"  # cas faible : aucune annotation


# --- JSON -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rapport_json(ref):
    sortie, bilan = produire("json", ref)
    return json.loads(sortie), bilan


def valider_schema(doc):
    schema = json.loads((RACINE / "schemas" / "rapport.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_json_valide_contre_le_schema(rapport_json):
    valider_schema(rapport_json[0])


def test_json_entete_et_bilan(rapport_json, ref):
    doc, bilan = rapport_json
    assert doc["format_version"] == "1.2"
    assert doc["outil"] == {"nom": "iag", "version": __version__}
    assert doc["referentiel"]["version"] == "test-1"
    assert set(doc["referentiel"]["sha256"]) == {"risques.yaml", "recommandations.yaml"}
    assert sorted(doc["referentiel"]["sha256"].values()) == sorted(ref.empreintes.values())
    assert doc["seuil"] == "élevé"
    assert [c["fichier"] for c in doc["cas"]] == TOUS
    assert doc["bilan"] == {
        "total": 6,
        "par_verdict": {"faible": 1, "élevé": 1, "critique": 2, "interdit": 1},  # dans l'ordre des niveaux
        "invalides": 1,
        "illisibles": 0,
        "incomplets": 0,
        "alertes_description": 0,
        "ignores": [],
        "au_dessus_du_seuil": 4,
        "valides_par_avis": 0,
        "code_sortie": 3,  # un invalide et quatre au seuil : 3 l’emporte
    }
    assert bilan.total == 6


def test_json_verdicts_et_niveaux_exacts(rapport_json):
    cas = {c["fichier"]: c for c in rapport_json[0]["cas"]}
    assert {f: c["verdict"] for f, c in cas.items() if c["valide"]} == VERDICTS
    assert cas[BASE]["au_dessus_du_seuil"] is False and cas[ELEVE]["au_dessus_du_seuil"] is True

    eleve = {r["id"]: r for r in cas[ELEVE]["risques"]}
    assert [r["id"] for r in cas[ELEVE]["risques"]] == ["T2", "T1"]  # du plus grave au moins grave
    assert eleve["T2"]["initial"] == eleve["T2"]["residuel"] == {"probabilite": 2, "gravite": 3, "niveau": "élevé"}
    assert eleve["T1"]["residuel"] == {"probabilite": 3, "gravite": 1, "niveau": "modéré"}
    assert cas[ELEVE]["motif"] == "niveau résiduel le plus haut : T2"
    assert cas[ELEVE]["mesures_suggerees"] == ["MB", "MA"]
    assert cas[ELEVE]["recommandations"] == ["C2", "C1"]
    # champs déterminants avec la ligne de leur clé dans le fichier
    assert eleve["T2"]["champs_determinants"] == [{"champ": "donnees.categories", "ligne": 17, "colonne": 3}]
    assert eleve["T1"]["champs_determinants"] == [{"champ": "revue_humaine", "ligne": 24, "colonne": 1}]
    # la trace complète, étape par étape
    assert [(e["genre"], e["probabilite"], e["gravite"]) for e in eleve["T1"]["trace"]] == [
        ("base", 2, 1), ("ponderation", 1, 0), ("ponderation", 0, -1), ("bornage", 0, 1),
    ]
    assert eleve["T1"]["trace"][1]["champs"] == [{"champ": "revue_humaine", "reponse": "ponctuelle"}]
    assert eleve["T2"]["trace"][0]["champs"] == [{"champ": "donnees.categories", "reponse": ["personnelles"]}]


def test_json_regles_mesures_et_inconnus(rapport_json):
    cas = {c["fichier"]: c for c in rapport_json[0]["cas"]}
    interdit = cas[INTERDIT]
    assert interdit["motif"] == "pratique interdite : JI"
    assert interdit["regles"] == [{
        "id": "JI", "nature": "interdiction", "titre": "Notation sociale", "texte": "AI Act art. 5",
        "consequence": "Arrêt.", "niveau_minimum": None, "incertaine": False,
        "champs": [{"champ": "fonctionnalites_sensibles", "reponse": ["notation_sociale"], "ligne": 29, "colonne": 1}],
        "statut": "applicable", "applicable_depuis": "2025-02-02", "applicable_jusqu_au": None, "avant_revue": False,
    }]
    assert interdit["mesures_contredites"] == []

    incertain = cas[INCERTAIN]
    regles = {r["id"]: r for r in incertain["regles"]}
    assert set(regles) == {"JO", "JP"}
    assert regles["JO"]["niveau_minimum"] == "élevé" and regles["JO"]["incertaine"] is False
    assert regles["JP"]["incertaine"] is True
    assert incertain["reponses_inconnues"] == ["outil.type_modele", "hebergement", "reutilisation_entrainement", "donnees.volume"]
    t2, t1 = incertain["risques"]
    assert t2["id"] == "T2" and t2["incertain"] is True
    assert t2["residuel"] == {"probabilite": 4, "gravite": 4, "niveau": "critique"}
    assert t1["mesures_appliquees"] == ["MA"]
    assert t1["initial"] == {"probabilite": 2, "gravite": 1, "niveau": "faible"}
    assert t1["residuel"] == {"probabilite": 1, "gravite": 1, "niveau": "faible"}
    assert t1["trace"][-1] == {"genre": "mesure", "texte": "Relecture", "probabilite": -1, "gravite": 0, "champs": [], "incertain": False, "mesure": "MA"}


def test_json_fichier_invalide_et_texte_intact(rapport_json):
    cas = {c["fichier"]: c for c in rapport_json[0]["cas"]}
    invalide = cas[INVALIDE]
    assert invalide["valide"] is False and invalide["illisible"] is False
    assert "titre" not in invalide and "verdict" not in invalide
    assert [(d["ligne"], d["colonne"]) for d in invalide["diagnostics"]] == [(1, 1), (12, 14)]
    assert invalide["diagnostics"][0]["message"] == "clé obligatoire manquante : « contact »"
    # JSON rend le texte tel quel : c'est au consommateur de l'échapper pour son support.
    assert cas[INJECTION]["titre"].startswith("[critique] \x1b[31m")
    assert cas[INJECTION]["titre"].endswith(INJECTE)


def test_json_sans_resultat_et_illisible(ref, tmp_path):
    sortie, _ = produire("json", ref, [])
    doc = json.loads(sortie)
    valider_schema(doc)
    assert doc["cas"] == [] and doc["bilan"]["total"] == 0
    sortie, _ = produire("json", ref, [str(tmp_path / "absent.yaml")], seuil=None)
    doc = json.loads(sortie)
    valider_schema(doc)
    assert doc["seuil"] is None
    assert doc["cas"] == [{"fichier": str(tmp_path / "absent.yaml"), "valide": False, "illisible": True, "diagnostics": [
        {"fichier": str(tmp_path / "absent.yaml"), "ligne": None, "colonne": None, "message": "fichier introuvable"}]}]
    assert doc["bilan"]["code_sortie"] == 2


def test_json_ecrit_au_fil_de_l_eau(ref):
    """Chaque cas est écrit dès son arrivée : rien n'attend la fin."""
    flux = io.StringIO()
    rapporteur = creer("json", flux, ref, seuil=None)

    class Espion:
        def __init__(self):
            self.longueurs = []

        def resultat(self, r):
            self.longueurs.append(len(flux.getvalue()))

        def fin(self, bilan):
            pass

    espion = Espion()
    executer(developper([BASE, ELEVE, INTERDIT]), ref, [rapporteur, espion])
    a, b, c = espion.longueurs
    assert 0 < a < b < c
    assert flux.getvalue().count('"fichier"') == 3


# --- SARIF ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif(ref):
    return json.loads(produire("sarif", ref)[0])


def resultats(doc, fichier=None, regle=None):
    return [
        r for r in doc["runs"][0]["results"]
        if (fichier is None or r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == fichier)
        and (regle is None or r["ruleId"] == regle)
    ]


def test_sarif_enveloppe_et_regles(sarif, ref):
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    assert len(sarif["runs"]) == 1
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "iag" and driver["version"] == __version__
    ids = [r["id"] for r in driver["rules"]]
    assert ids == ["T1", "T2", "JI", "JO", "JP", "iag/invalide", "iag/illisible", "iag/mesure-contredite", "iag/valeur-precisee",
                   "iag/classe-ai-act", "iag/a-completer", "iag/reponses-contradictoires", "iag/description-contredit",
                   "iag/mesure-prevue", "iag/avis", "iag/avis-manquant"]
    assert driver["rules"][1]["shortDescription"] == {"text": "Données personnelles"}
    for r in sarif["runs"][0]["results"]:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert sarif["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 3}]  # un fichier invalide dans le lot


def test_sarif_resultats_niveaux_et_lignes(sarif):
    # eleve : T2 élevé -> error sur la clé « categories » (ligne 17, colonne 3) ; T1 modéré -> warning
    t2, t1 = resultats(sarif, ELEVE)
    assert (t2["ruleId"], t2["level"]) == ("T2", "error")
    assert t2["locations"][0]["physicalLocation"]["region"] == {"startLine": 17, "startColumn": 3}
    assert (t1["ruleId"], t1["level"]) == ("T1", "warning")
    assert t1["locations"][0]["physicalLocation"]["region"] == {"startLine": 24, "startColumn": 1}
    # base : T1 faible, sous le niveau de suggestion des mesures -> aucun résultat
    assert resultats(sarif, BASE) == []
    # interdit : la règle JI sur la clé fonctionnalites_sensibles ; T1 faible absent
    [ji] = resultats(sarif, INTERDIT)
    assert (ji["ruleId"], ji["level"]) == ("JI", "error")
    assert ji["locations"][0]["physicalLocation"]["region"]["startLine"] == 29
    # incertain : JO (plancher élevé) error, JP (sans plancher) warning, T2 critique error
    assert [(r["ruleId"], r["level"]) for r in resultats(sarif, INCERTAIN)] == [("JO", "error"), ("JP", "warning"), ("T2", "error")]
    assert resultats(sarif, INCERTAIN, "JO")[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 23
    # invalide : un résultat par diagnostic
    invalides = resultats(sarif, INVALIDE)
    assert [(r["ruleId"], r["level"]) for r in invalides] == [("iag/invalide", "error")] * 2
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in invalides] == [1, 12]


def test_sarif_ligne_exacte_d_un_constat_du_a_l_hebergement(ref, tmp_path):
    """Un risque né du seul hébergement est situé sur la clé `hebergement`."""
    dossier = tmp_path / "ref"
    shutil.copytree(MINI, dossier)
    risques = dossier / "risques.yaml"
    texte = risques.read_text(encoding="utf-8")
    applicabilite = "    s_applique_si:\n      champ: donnees.categories\n      contient_un_de: [personnelles, sensibles]\n"
    assert applicabilite in texte
    risques.write_text(texte.replace(applicabilite, ""), encoding="utf-8")  # T2 s'applique à tout cas
    ref_heb = charger(dossier)
    cas = tmp_path / "heb.yaml"
    cas.write_text((DONNEES / "cas-base.yaml").read_text(encoding="utf-8").replace("hebergement: ue", "hebergement: hors_ue"), encoding="utf-8")
    doc = json.loads(produire("sarif", ref_heb, [str(cas)])[0])
    [t2] = resultats(doc, regle="T2")
    assert t2["properties"]["champ"] == "hebergement"
    assert t2["locations"][0]["physicalLocation"]["region"] == {"startLine": 14, "startColumn": 1}
    assert t2["level"] == "error"  # P4 G3 : critique


def test_sarif_uri(ref, tmp_path):
    from iagcli.rendus.evaluation.sarif import uri

    assert uri("propositions/a b.yaml") == "propositions/a%20b.yaml"
    assert uri("c:x.yaml") == "c%3Ax.yaml"  # pas un schéma d'URI
    assert uri(str(tmp_path / "x.yaml")).startswith("file:///")


# --- GitLab -----------------------------------------------------------------------------


def test_gitlab_structure_et_gravites(ref):
    constats = json.loads(produire("gitlab", ref)[0])
    assert isinstance(constats, list) and constats
    for c in constats:
        assert set(c) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert c["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(c["location"]["lines"]["begin"], int)
    par = {(c["location"]["path"], c["check_name"]): c for c in constats}
    assert par[(ELEVE, "T2")]["severity"] == "major"
    assert par[(ELEVE, "T2")]["location"]["lines"]["begin"] == 17
    assert par[(ELEVE, "T1")]["severity"] == "minor"
    assert par[(INTERDIT, "JI")]["severity"] == "blocker"
    assert par[(INCERTAIN, "T2")]["severity"] == "critical"
    assert par[(INVALIDE, "iag/invalide")]["severity"] == "major"
    assert len({c["fingerprint"] for c in constats}) == len(constats)  # toutes distinctes


def test_gitlab_vide(ref):
    assert json.loads(produire("gitlab", ref, [BASE])[0]) == []


def test_gitlab_empreintes_stables(ref, tmp_path):
    cas = tmp_path / "cas.yaml"
    invalide = tmp_path / "invalide.yaml"
    originaux = {cas: (RAPPORTS / "incertain.yaml").read_text(encoding="utf-8"), invalide: (RAPPORTS / "invalide.yaml").read_text(encoding="utf-8")}

    def lancer():
        doc = json.loads(produire("gitlab", ref, [str(cas), str(invalide)])[0])
        return {(c["location"]["path"], c["check_name"], c["description"]): (c["fingerprint"], c["location"]["lines"]["begin"]) for c in doc}

    for p, t in originaux.items():
        p.write_text(t, encoding="utf-8")
    premier, second = lancer(), lancer()
    assert premier == second  # deux exécutions identiques

    for p, t in originaux.items():  # des lignes ajoutées en tête : les constats descendent, les empreintes restent
        p.write_text("# yaml-language-server: $schema=../schemas/cas-usage.schema.json\n\n\n" + t, encoding="utf-8")
    deplace = lancer()
    assert deplace.keys() == premier.keys()
    for cle, (empreinte, ligne) in premier.items():
        assert deplace[cle] == (empreinte, ligne + 3)


# --- GitHub -----------------------------------------------------------------------------


def test_github_echappement():
    assert echapper_donnee("a%b\r\nc") == "a%25b%0D%0Ac"
    assert echapper_propriete("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert echapper_donnee("rouge \x1b[31m") == "rouge \ufffd[31m"


def test_github_annotations(ref, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    sortie, _ = produire("github", ref)
    lignes = sortie.splitlines()
    assert lignes and sortie.endswith("\n")
    for ligne in lignes:
        assert ligne.startswith(("::error ", "::warning ", "::notice "))
    assert "::error file=" + ELEVE + ",line=17,col=3,title=iag T2 %3A Données personnelles::" in sortie
    assert any(lg.startswith(f"::warning file={ELEVE},line=24,col=1,") for lg in lignes)
    assert any(lg.startswith(f"::error file={INVALIDE},line=12,col=14,title=iag/invalide %3A") for lg in lignes)
    # le texte injecté reste dans sa commande : aucune ligne ne commence par lui
    assert not any(lg.startswith(("::add-mask::", "::error::x")) for lg in lignes)
    assert "\x1b" not in sortie
    [invalide] = [lg for lg in lignes if ",line=12,col=14," in lg]
    assert "lune\\n::add-mask::secret" in invalide


def test_github_proprietes_echappees(ref, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    f = tmp_path / "a,b:c.yaml"
    f.write_text((RAPPORTS / "eleve.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    sortie, _ = produire("github", ref, [str(f)])
    attendu = str(f).replace(":", "%3A").replace(",", "%2C")
    assert all(lg.startswith(("::error file=" + attendu + ",", "::warning file=" + attendu + ",")) for lg in sortie.splitlines())


def test_github_resume_de_job(ref, tmp_path, monkeypatch):
    resume = tmp_path / "resume.md"
    resume.write_text("Avant\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(resume))
    sortie, _ = produire("github", ref)
    texte = resume.read_text(encoding="utf-8")
    assert texte.startswith("Avant\n## Évaluation iag")  # ajouté, pas écrasé
    assert "### Synthèse" in texte and "| Fichier | Cas d'usage | Verdict |" in texte
    # même rendu que le format markdown
    assert texte[len("Avant\n"):] == produire("markdown", ref)[0]
    # un second rapport github vers un fichier n'ajoute pas de résumé
    produire("github", ref, vers_fichier=True)
    assert resume.read_text(encoding="utf-8") == texte


def test_markdown_taille_max(ref):
    """Le résumé de job GitHub est limité (1 Mio) : au-delà, le détail des cas est omis, pas la synthèse."""

    def rendre(taille_max):
        flux = io.StringIO()
        executer(developper(TOUS), ref, [creer("markdown", flux, ref, seuil="élevé", taille_max=taille_max)], "élevé")
        texte = flux.getvalue()
        assert len(texte.encode("utf-8")) <= taille_max
        return texte

    complet = produire("markdown", ref)[0]
    assert rendre(len(complet.encode("utf-8")) * 2) == complet

    texte = rendre(8500)  # la fin du détail de chaque cas porte le plan sous le seuil (et les raisons des risques)
    assert "*Détail de 1 cas omis (taille maximale du rapport atteinte).*" in texte
    assert "### Cas de base" in texte  # les premiers cas sont détaillés
    assert f"Fichier : {INJECTION}" not in texte  # le dernier ne l'est plus
    assert len([lg for lg in texte.splitlines() if lg.startswith("| tests/")]) == len(TOUS)  # synthèse complète
    assert "6 fichiers · 1 faible" in texte

    texte = rendre(3000)  # même la synthèse déborde : lignes omises, compteurs justes
    assert "| … 6 autres fichiers | | |" in texte
    assert "6 fichiers · 1 faible" in texte


# --- JUnit ------------------------------------------------------------------------------


def test_junit(ref):
    sortie, bilan = produire("junit", ref)
    racine = ET.fromstring(sortie.encode("utf-8"))
    [suite] = racine.findall("testsuite")
    assert suite.get("name") == "iag"
    cas = suite.findall("testcase")
    assert len(cas) == int(suite.get("tests")) == 6
    echecs = [c for c in cas if c.find("failure") is not None]
    assert int(suite.get("failures")) == len(echecs) == bilan.au_dessus_du_seuil == 4
    assert {c.get("classname") for c in echecs} == {ELEVE, INTERDIT, INCERTAIN, INJECTION}
    assert int(suite.get("errors")) == 1
    [erreur] = [c for c in cas if c.find("error") is not None]
    assert erreur.get("classname") == INVALIDE
    assert "clé obligatoire manquante" in erreur.find("error").text
    eleve = next(c for c in cas if c.get("classname") == ELEVE)
    assert eleve.get("name") == "Données personnelles dans l’UE"
    echec = eleve.find("failure")
    assert echec.get("type") == "élevé"
    assert "niveau résiduel le plus haut : T2" in echec.get("message")
    assert "T2 Données personnelles : élevé (P2 G3)" in echec.text and "T1 Toujours présent" in echec.text
    # titre injecté : XML bien formé (caractère ESC remplacé), texte intact sinon
    injection = next(c for c in cas if c.get("classname") == INJECTION)
    assert injection.get("name").startswith("[critique] \ufffd[31mrouge")
    assert "<script>" in injection.get("name")


def test_junit_sans_seuil_aucun_echec(ref):
    racine = ET.fromstring(produire("junit", ref, seuil=None)[0])
    assert racine.find("testsuite").get("failures") == "0"
    assert racine.find("testsuite").get("errors") == "1"


def test_junit_seuil_interdit(ref):
    racine = ET.fromstring(produire("junit", ref, seuil="interdit")[0])
    echecs = [c.get("classname") for c in racine.iter("testcase") if c.find("failure") is not None]
    assert echecs == [INTERDIT]


# --- Markdown ---------------------------------------------------------------------------


def test_markdown_echappement():
    assert echapper("a|b") == "a\\|b"
    assert echapper("<script>") == "&lt;script&gt;"
    assert echapper("**x** _y_ `z` [l](u) ~s~ $m$") == "\\*\\*x\\*\\* \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~ \\$m\\$"
    assert echapper("ligne 1\nligne 2\r\n| x") == "ligne 1 ligne 2 \\| x"
    assert echapper("\x1b[31m") == "\ufffd\\[31m"
    assert echapper("@equipe") == "@\u200bequipe"


def test_markdown(ref):
    sortie, _ = produire("markdown", ref)
    assert "### Données personnelles dans l’UE" in sortie
    assert "**Verdict : Élevé** (niveau résiduel le plus haut : T2) : au-dessus du seuil (Élevé)" in sortie
    assert "| ID | Risque | P | G | Inhérent → résiduel |" in sortie
    assert "| T2 | Données personnelles | 2 | 3 | Élevé |" in sortie
    assert "| T1 | Toujours présent | 2→1 | 1 | Faible |" in sortie  # mesure MA : P baisse, niveau inchangé
    assert "- **INTERDIT** JI Notation sociale (AI Act art. 5) : Arrêt." in sortie
    assert "- MB Hébergement maîtrisé : traite T2, T1" in sortie
    assert "### tests/donnees/rapports/invalide.yaml : fichier invalide" in sortie
    assert "- ligne 12, colonne 14 : valeur « lune\\\\n::add-mask::secret » invalide" in sortie
    assert "### Synthèse" in sortie
    assert "6 fichiers · 1 faible · 1 élevé · 2 critiques · 1 interdit · 1 invalide · 4 au-dessus du seuil (élevé)" in sortie


def test_markdown_texte_injecte_neutralise(ref):
    sortie, _ = produire("markdown", ref, [INJECTION])
    titre = "### \\[critique\\] \ufffd\\[31mrouge\ufffd\\[0m &lt;script&gt;alert(1)&lt;/script&gt; \\|\\*\\*x\\*\\*\\| ::error::x ::add-mask::secret"
    assert titre + "\n" in sortie
    assert "<script>" not in sortie and "<b>" not in sortie and "\x1b" not in sortie
    # chaque ligne du tableau de synthèse garde ses 3 colonnes : aucun « | » non échappé venu du texte
    [ligne] = [lg for lg in sortie.splitlines() if lg.startswith("| tests/")]
    assert len([i for i, c in enumerate(ligne) if c == "|" and ligne[i - 1] != "\\"]) == 4
    # rien ne commence une ligne hormis notre propre balisage
    assert not any(lg.startswith("::") for lg in sortie.splitlines())


def test_texte_en_couleur_garde_le_style_des_lignes_d_un_seul_style(ref, tmp_path, monkeypatch):
    """Une ligne d'un seul style (cadre à la couleur du verdict, « INCOMPLET » en rouge gras) est écrite
    avec sa couleur : `Text.render` ne pose le style d'un texte que sur ses portions stylées."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    texte = (RACINE / "exemples" / "tri-candidatures-rh.yaml").read_text(encoding="utf-8")
    cas = tmp_path / "cas.yaml"
    cas.write_text(texte.replace("hebergement: ue", "hebergement: À compléter"), encoding="utf-8")  # question due : incomplet
    flux = io.StringIO()
    executer(developper([str(cas)]), ref, [creer("texte", flux, ref, seuil="élevé")], "élevé")
    lignes = flux.getvalue().splitlines()
    assert lignes[0].startswith("\x1b[31m╭"), lignes[0]  # cadre rouge : verdict critique
    incomplet = next(x for x in lignes if "INCOMPLET" in x)
    assert incomplet.startswith("\x1b[1;31mINCOMPLET"), incomplet
    # sans couleur (fichier, tube) : le même texte, sans aucune séquence
    monkeypatch.delenv("FORCE_COLOR")
    flux = io.StringIO()
    executer(developper([str(cas)]), ref, [creer("texte", flux, ref, seuil="élevé")], "élevé")
    sans = flux.getvalue()
    assert "\x1b" not in sans
    assert sans.splitlines()[0].startswith("╭") and any(x.startswith("INCOMPLET") for x in sans.splitlines())
