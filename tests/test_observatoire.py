"""Observatoire : `iag synthese` et `iag registre`, comptes exacts sur un portefeuille fait des
exemples et de cas générés ; formats json (schémas), csv (tableur français), markdown, html."""

import csv
import datetime as dt
import io
import json
import shutil

import html5lib
import jsonschema
import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.es.progression import SEUIL_FICHIERS, suivre
from iagcli.moteur.observatoire import COLONNES, ajouter_mois

from conftest import RACINE

EXEMPLES = RACINE / "exemples"
DATE = "2026-11-30"
GENERES = 4  # copies de la traduction du site (faible), autre service, en production, revue dépassée


def iag(*args):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def portefeuille(tmp_path_factory):
    """Les 9 exemples, 4 cas générés et un fichier invalide : 14 fichiers."""
    d = tmp_path_factory.mktemp("portefeuille")
    shutil.copytree(EXEMPLES, d / "exemples")
    modele = (EXEMPLES / "traduction-site-web.yaml").read_text(encoding="utf-8")
    genere = (modele.replace("service: Direction de la communication", "service: Service des sports")
              .replace("statut: expérimentation", "statut: production")
              .replace("prochaine_revue: 2027-03-01", "prochaine_revue: 2026-06-30"))
    assert genere.count("Service des sports") == 1 and "2026-06-30" in genere
    for i in range(GENERES):
        (d / "generes").mkdir(exist_ok=True)
        (d / "generes" / f"sport-{i}.yaml").write_text(genere.replace("titre: ", f"titre: Sport {i} — ", 1), encoding="utf-8")
    (d / "invalide.yaml").write_text(modele.replace("hebergement: ue", "hebergement: lune"), encoding="utf-8")
    return d


def synthese_json(chemin, *options):
    r = iag("synthese", str(chemin), "--date", DATE, "-f", "json", *options)
    return r, json.loads(r.stdout)


# interdit : reconnaissance des émotions ; haut risque : score de fraude (5 a), tri des candidatures (4) ;
# transparence : agent conversationnel (50, § 1), visuels (50, § 4) ; les autres, dont les 4 copies : minimal
CLASSES_PORTEFEUILLE = [("interdit", 1), ("haut_risque", 2), ("transparence", 2), ("minimal", 8)]


def test_synthese_comptes_exacts(portefeuille):
    r, s = synthese_json(portefeuille, "--horizon", "13")
    assert r.exit_code == 3  # cas au seuil (élevé) et fichier invalide : 3 l’emporte, comme evaluer
    assert (s["total"], s["evalues"]) == (14, 13)
    assert [i["fichier"] for i in s["invalides"]] == [str(portefeuille / "invalide.yaml")]
    assert s["invalides"][0]["messages"][0].startswith("19:14: valeur « lune » invalide")
    assert s["par_verdict_statut"] == {
        "interdit": {"idée": 1, "expérimentation": 0, "production": 0},
        "critique": {"idée": 1, "expérimentation": 0, "production": 0},
        "élevé": {"idée": 2, "expérimentation": 0, "production": 0},
        "modéré": {"idée": 0, "expérimentation": 3, "production": 1},
        "faible": {"idée": 0, "expérimentation": 1, "production": GENERES},
    }
    assert s["par_service"]["Service des sports"] == {"faible": GENERES}
    assert s["par_service"]["Direction de la communication"] == {"modéré": 1, "faible": 1}
    # Revues : seules les 4 copies ont une revue passée (30 juin -> 30 novembre : 153 jours).
    assert [(x["titre"][:7], x["jours_de_retard"]) for x in s["revues_en_retard"]] == [(f"Sport {i}", 153) for i in range(GENERES)]
    # Échéances sur 13 mois : l'annexe III le 2 décembre 2027. Issue 21, point 7 : ni J27 (une affiche
    # n'est pas un générateur d'images intimes), ni les obligations de haut risque du cas interdit
    # (reconnaissance des émotions, « sans objet »).
    assert [(e["date"], e["regle"], len(e["cas"])) for e in s["echeances"]] == [
        ("2027-12-02", "J09", 1), ("2027-12-02", "J10", 1), ("2027-12-02", "J30", 1),
        ("2027-12-02", "J32", 2), ("2027-12-02", "J33", 2), ("2027-12-02", "J34", 2),
    ]
    assert {c["fichier"].split("/")[-1] for c in next(e for e in s["echeances"] if e["regle"] == "J33")["cas"]} == {
        "score-risque-fraude-aides.yaml", "tri-candidatures-rh.yaml"}
    demarches = {d["id"]: (d["applicables"], d["a_venir"]) for d in s["demarches"]}
    assert demarches["aidf"] == (0, 2) and demarches["enregistrement_ue"] == (0, 2)
    # Issue 21, §2 : classes de l'AI Act du portefeuille, distinctes des verdicts
    assert [(c["classe"], c["cas"]) for c in s["par_classe_ai_act"]] == CLASSES_PORTEFEUILLE
    assert demarches["aipd"] == (4, 0)
    # Carte : chaque risque de chaque cas est dans une case, avant comme après les mesures.
    inh = sum(c["risques"] for c in s["carte"]["inherente"])
    res = sum(c["risques"] for c in s["carte"]["residuelle"])
    assert inh == res and len(s["carte"]["inherente"]) == 16
    assert s["risques_au_seuil"][0] in ({"id": "R03", "titre": s["risques_au_seuil"][0]["titre"], "cas": 3},
                                        {"id": "R12", "titre": s["risques_au_seuil"][0]["titre"], "cas": 3})
    assert s["mesures_suggerees"][0]["cas"] >= s["mesures_suggerees"][-1]["cas"]


def test_horizon_douze_mois_ne_prend_pas_l_annexe_iii(portefeuille):
    _, s = synthese_json(portefeuille)  # fin de l'horizon : 30 novembre 2027, avant le 2 décembre 2027
    assert s["fin_horizon"] == "2027-11-30"
    assert [(e["date"], e["regle"]) for e in s["echeances"]] == []


def test_ajouter_mois_fin_de_mois():
    assert ajouter_mois(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert ajouter_mois(dt.date(2026, 11, 30), 13) == dt.date(2027, 12, 30)


def test_synthese_json_conforme_au_schema(portefeuille):
    _, s = synthese_json(portefeuille)
    jsonschema.validate(s, json.loads((RACINE / "schemas" / "synthese.schema.json").read_text(encoding="utf-8")))


def test_synthese_texte_et_markdown_listent_l_invalide(portefeuille):
    for fmt in ("texte", "markdown"):
        r = iag("synthese", str(portefeuille), "--date", DATE, "-f", fmt)
        assert r.exit_code == 3
        assert "invalide.yaml" in r.stdout and "14 fichiers" in r.stdout


def test_synthese_seuil_jamais_et_format_inconnu(tmp_path):
    r = iag("synthese", str(EXEMPLES / "traduction-site-web.yaml"), "--date", DATE, "--seuil", "jamais", "-f", "json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["risques_au_seuil"] == []
    r = iag("synthese", str(EXEMPLES), "-f", "sarif")
    assert r.exit_code == 2 and "format « sarif » inconnu ; formats : texte, json, markdown, html" in r.stderr
    r = iag("registre", str(EXEMPLES), "-o", "texte:" + str(tmp_path / "r.txt"))
    assert r.exit_code == 2 and "format « texte » inconnu ; formats : csv, json, html" in r.stderr
    assert not (tmp_path / "r.txt").exists()


def test_synthese_rapport_fichier(portefeuille, tmp_path):
    sortie = tmp_path / "synthese.html"
    r = iag("synthese", str(portefeuille), "--date", DATE, "-f", "json", "-o", f"html:{sortie}")
    assert r.exit_code == 3
    assert sortie.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads(r.stdout)["total"] == 14


# --- Mesures prévues en retard ---------------------------------------------------------------

RESPONSABLE_PIEGE = "DSI | <b>x</b>"


@pytest.fixture(scope="module")
def portefeuille_prevues(tmp_path_factory):
    """a.yaml : une mesure prévue en retard (M03, responsable piégé) et une à venir (M05) ; b.yaml : une en
    retard d'un jour sans responsable (M10) et une dont l'échéance est la date d'évaluation (M06 : pas en
    retard) ; c.yaml : aucune mesure prévue."""
    d = tmp_path_factory.mktemp("prevues")
    modele = (EXEMPLES / "traduction-site-web.yaml").read_text(encoding="utf-8")
    (d / "a.yaml").write_text(modele + "mesures_prevues:\n"
                              f"  - {{id: M03, echeance: 2026-10-01, responsable: \"{RESPONSABLE_PIEGE}\"}}\n"
                              "  - {id: M05, echeance: 2027-03-01, responsable: \"DSI\"}\n", encoding="utf-8")
    (d / "b.yaml").write_text(modele.replace("titre: ", "titre: Bis — ", 1) + "mesures_prevues:\n"
                              "  - {id: M06, echeance: 2026-11-30}\n"
                              "  - {id: M10, echeance: 2026-11-29}\n", encoding="utf-8")
    (d / "c.yaml").write_text(modele, encoding="utf-8")
    return d


def test_synthese_mesures_prevues_en_retard_liste_exacte(portefeuille_prevues):
    r, s = synthese_json(portefeuille_prevues)
    assert r.exit_code == 0
    jsonschema.validate(s, json.loads((RACINE / "schemas" / "synthese.schema.json").read_text(encoding="utf-8")))
    assert s["format_version"] == "1.2"
    # Rangées comme les revues : par échéance, puis fichier ; M05 (à venir) et M06 (échéance le jour même) absentes.
    assert [(x["fichier"].split("/")[-1], x["mesure"], x["echeance"], x["responsable"], x["jours_de_retard"])
            for x in s["mesures_prevues_en_retard"]] == [
        ("a.yaml", {"id": "M03", "titre": "Vérification humaine formalisée des productions"}, "2026-10-01", RESPONSABLE_PIEGE, 60),
        ("b.yaml", {"id": "M10", "titre": "Contrat de sous-traitance conforme à l'article 28 du RGPD"}, "2026-11-29", None, 1),
    ]
    premier = s["mesures_prevues_en_retard"][0]
    assert (premier["titre"], premier["service"], premier["verdict"]) == (
        "Traduction des pages publiques du site de la ville", "Direction de la communication", "faible")
    assert s["revues_en_retard"] == []
    # Un jour plus tôt, M10 n'est pas encore en retard ; M03 l'est d'un jour de moins.
    _, veille = synthese_json(portefeuille_prevues, "--date", "2026-11-29")
    assert [(x["mesure"]["id"], x["jours_de_retard"]) for x in veille["mesures_prevues_en_retard"]] == [("M03", 59)]


def test_mesures_prevues_en_retard_dans_chaque_vue(portefeuille_prevues):
    texte = " ".join(iag("synthese", str(portefeuille_prevues), "--date", DATE).stdout.split())
    assert "Mesures prévues en retard (2) :" in texte
    assert ("mesure M03 Vérification humaine formalisée des productions, échéance le 2026-10-01, "
            f"responsable : {RESPONSABLE_PIEGE}, 60 jours de retard") in texte
    assert "mesure M10 Contrat de sous-traitance conforme à l'article 28 du RGPD, échéance le 2026-11-29, 1 jour" in texte
    assert "M05" not in texte and "M06" not in texte

    md = iag("synthese", str(portefeuille_prevues), "--date", DATE, "-f", "markdown").stdout
    attention = md.split("### À surveiller")[1]
    assert "| M03 Vérification humaine formalisée des productions | 2026-10-01 | DSI \\| &lt;b&gt;x&lt;/b&gt; | 60 |" in attention
    assert "| M10 Contrat de sous-traitance conforme à l'article 28 du RGPD | 2026-11-29 | — | 1 |" in attention
    assert "M05" not in md and "<b>" not in md

    page = iag("synthese", str(portefeuille_prevues), "--date", DATE, "-f", "html").stdout
    arbre = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    assert not list(arbre.iter("b"))  # le responsable piégé est du texte, pas une balise
    tableau = next(t for t in arbre.iter("table") if any("Responsable" in (th.text or "") for th in t.iter("th")))
    lignes = [["".join(c.itertext()) for c in tr] for tr in tableau.iter("tr")][1:]
    assert [(x[0][:4], x[3][:3], x[4], x[5], x[6]) for x in lignes] == [
        ("Trad", "M03", "2026-10-01", RESPONSABLE_PIEGE, "60"), ("Bis ", "M10", "2026-11-29", "—", "1")]


def test_aucune_mesure_prevue_en_retard(portefeuille):
    _, s = synthese_json(portefeuille)
    assert s["mesures_prevues_en_retard"] == []
    for fmt, attendu in (("texte", "Aucune mesure prévue en retard."), ("markdown", "Aucune mesure prévue en retard."),
                         ("html", "<p>Aucune mesure prévue en retard.</p>")):
        assert attendu in iag("synthese", str(portefeuille), "--date", DATE, "-f", fmt).stdout
    r = iag("registre", str(EXEMPLES), "--date", DATE, "-f", "json")
    assert json.loads(r.stdout)["format_version"] == "1.1"  # 1.1 : classe_ai_act


# --- Registre -------------------------------------------------------------------------------

IDEES = ("chatbot-usagers-hors-ue", "reconnaissance-emotions-accueil", "score-risque-fraude-aides", "tri-candidatures-rh")

def test_registre_csv_pour_tableur_francais(portefeuille):
    r = iag("registre", str(portefeuille), "--date", DATE)
    assert r.exit_code == 3
    idees = ", ".join(str(portefeuille / "exemples" / f"{x}.yaml") for x in IDEES)
    assert r.stderr.splitlines() == [
        f"{portefeuille / 'invalide.yaml'}:19:14: valeur « lune » invalide ; valeurs permises : "
        "collectivité, organisme_public, ue, hors_ue, inconnu ; vouliez-vous dire « ue » ?",
        # CRPA L312-1-3 : un projet au stade de l'idée n'est pas publié, mais il est nommé (rien de caché).
        f"iag : 4 projets au stade de l'idée non publiés (seuls les statuts expérimentation et production le sont) : {idees}",
    ]
    brut = r.stdout_bytes
    assert brut.startswith("\ufeff".encode("utf-8"))  # BOM : Excel lit alors de l'UTF-8
    lignes = list(csv.reader(io.StringIO(brut.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert lignes[0] == [c.titre for c in COLONNES]
    assert len(lignes) == 1 + 13 - len(IDEES)
    assert all(len(x) == len(COLONNES) for x in lignes)
    assert b"\r\n" in brut
    # Jamais le contact (nom ou adresse de l'agent) ni le nom du fichier.
    for ex in EXEMPLES.glob("*.yaml"):
        contact = next(x for x in ex.read_text(encoding="utf-8").splitlines() if x.startswith("contact:")).split(":", 1)[1].strip()
        assert contact not in brut.decode("utf-8")
    assert ".yaml" not in brut.decode("utf-8")
    rag = next(x for x in lignes if x[0] == "Assistant documentaire pour les assistantes administratives")
    par_cle = dict(zip([c.cle for c in COLONNES], rag, strict=True))
    assert par_cle["verdict"] == "Modéré" and par_cle["date_evaluation"] == DATE and par_cle["statut"] == "expérimentation"
    assert not any(x[0].startswith("Pré-tri des candidatures") for x in lignes)  # au stade de l'idée


def _exemples_en_experimentation(tmp_path):
    """Les exemples, chaque projet au stade de l'idée passé en expérimentation : tous publiés."""
    d = tmp_path / "exemples"
    d.mkdir()
    for ex in EXEMPLES.glob("*.yaml"):
        (d / ex.name).write_text(ex.read_text(encoding="utf-8").replace("statut: idée", "statut: expérimentation"), encoding="utf-8")
    return d


def test_registre_mentions_selon_les_regles(tmp_path):
    r = iag("registre", str(_exemples_en_experimentation(tmp_path)), "--date", DATE, "-f", "json")
    assert r.exit_code == 0 and r.stderr == ""
    d = json.loads(r.stdout)
    jsonschema.validate(d, json.loads((RACINE / "schemas" / "registre.schema.json").read_text(encoding="utf-8")))
    usages = {u["titre"]: u for u in d["usages"]}
    assert len(usages) == 9
    chatbot = next(u for u in d["usages"] if u["outil"] == "Service de chatbot en ligne")
    assert (chatbot["mention_contenu_genere"], chatbot["mention_decision"], chatbot["verdict"]) == ("requise", "non requise", "Critique")
    assert sum(u["mention_decision"] == "requise" for u in d["usages"]) == 3


def test_registre_csv_desamorce_les_formules(tmp_path):
    modele = (EXEMPLES / "traduction-site-web.yaml").read_text(encoding="utf-8")
    (tmp_path / "f.yaml").write_text(modele.replace("service: Direction de la communication", 'service: "=HYPERLINK(\\"x\\")"'),
                                     encoding="utf-8")
    r = iag("registre", str(tmp_path / "f.yaml"), "--date", DATE)
    assert r.exit_code == 0
    ligne = list(csv.reader(io.StringIO(r.stdout_bytes.decode("utf-8-sig"), newline=""), delimiter=";"))[1]
    assert ligne[2] == "'=HYPERLINK(\"x\")"


def test_schema_registre_suit_les_colonnes():
    schema = json.loads((RACINE / "schemas" / "registre.schema.json").read_text(encoding="utf-8"))
    proprietes = schema["properties"]["usages"]["items"]["properties"]
    assert list(proprietes) == [c.cle for c in COLONNES]
    assert [p["title"] for p in proprietes.values()] == [c.titre for c in COLONNES]


# --- Barre de progression -----------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("ci, silencieux, tty, attendue", [
    (None, False, True, True), ("true", False, True, False), (None, True, True, False), (None, False, False, False),
])
def test_barre_de_progression(monkeypatch, ci, silencieux, tty, attendue):
    monkeypatch.delenv("CI", raising=False)
    if ci:
        monkeypatch.setenv("CI", ci)
    flux = Terminal() if tty else io.StringIO()
    elements = list(range(SEUIL_FICHIERS + 1))
    assert list(suivre(iter(elements), silencieux, flux=flux)) == elements
    assert (flux.getvalue() != "") is attendue


def test_pas_de_barre_pour_un_petit_lot(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    flux = Terminal()
    assert list(suivre(iter(range(SEUIL_FICHIERS)), False, flux=flux)) == list(range(SEUIL_FICHIERS))
    assert flux.getvalue() == ""


def test_demarche_qui_cite_une_regle_inconnue_refusee(tmp_path):
    ref = tmp_path / "ref"
    shutil.copytree(RACINE / "data", ref)
    risques = ref / "risques.yaml"
    texte = risques.read_text(encoding="utf-8")
    ligne = texte.count("\n") + 1 + 2  # la ligne de « regles: » ajoutée ci-dessous
    risques.write_text(texte + "  - id: bidon\n    libelle: Démarche fautive\n    regles: [J16, J99]\n", encoding="utf-8")
    r = iag("synthese", str(EXEMPLES / "traduction-site-web.yaml"), "-r", str(ref), "--date", DATE)
    assert r.exit_code == 2
    assert f"{risques}:{ligne}:19: règle juridique « J99 » introuvable dans le référentiel" in r.stderr
    assert r.stdout == ""
