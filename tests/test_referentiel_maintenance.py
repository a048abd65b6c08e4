"""`iag referentiel verifier|exporter|comparer` : constats positionnés, documents publiés, différences
exactes entre deux référentiels et nouvelle cotation des propositions (issue 14)."""

import csv
import io
import json
import shutil
from html.parser import HTMLParser

import jsonschema
import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.controleur import comparer_referentiels as comparer
from iagcli.moteur.conditions import decrire
from iagcli.moteur.maintenance.comparaison import Changement, differences
from iagcli.moteur.maintenance.verification import verifier
from iagcli.moteur.referentiel import charger, dossier_defaut

from conftest import DONNEES, MINI, RACINE

DATE = "2026-11-30"


def iag(*args):
    return CliRunner().invoke(app, ["referentiel", *args], catch_exceptions=False)


def copie(tmp_path, source, nom, remplacements=(), fichier="risques.yaml"):
    """Copie d'un référentiel où chaque remplacement doit porter exactement une fois."""
    cible = tmp_path / nom
    shutil.copytree(source, cible)
    texte = (cible / fichier).read_text(encoding="utf-8")
    for avant, apres in remplacements:
        assert texte.count(avant) == 1, avant
        texte = texte.replace(avant, apres)
    (cible / fichier).write_text(texte, encoding="utf-8")
    return cible


def position(chemin, extrait, apres=""):
    """(ligne, colonne) de `extrait` dans le fichier (cherché après `apres`), comptées à partir de 1."""
    texte = chemin.read_text(encoding="utf-8")
    i = texte.index(extrait, texte.index(apres) if apres else 0)
    return texte.count("\n", 0, i) + 1, i - texte.rfind("\n", 0, i)


# --- verifier --------------------------------------------------------------------------------

T3 = """  - id: T3
    titre: Jamais applicable
    categorie: fiabilite
    description: Condition contradictoire.
    exemples: [un, deux]
    probabilite: 1
    gravite: 1
    s_applique_si:
      toutes:
        - {champ: revue_humaine, egal: aucune}
        - {champ: revue_humaine, egal: systématique}
    sources: [test]
mesures:
"""

MC = """regles_juridiques:
"""


@pytest.fixture
def ref_fautif(tmp_path):
    """Le référentiel minimal avec un exemple de chaque constat des mainteneurs."""
    d = copie(tmp_path, MINI, "fautif", [
        ("    editeur: iag\n", "    editeur: iag\n  - id: inutile\n    titre: Jamais citée\n    editeur: iag\n"),
        # critique absent de la grille : niveau inatteignable
        ("  - {probabilite: 2, niveaux: [faible, modéré, élevé, critique]}\n  - {probabilite: 3, niveaux: [modéré, élevé, élevé, critique]}\n"
         "  - {probabilite: 4, niveaux: [modéré, élevé, critique, critique]}",
         "  - {probabilite: 2, niveaux: [faible, modéré, élevé, élevé]}\n  - {probabilite: 3, niveaux: [modéré, élevé, élevé, élevé]}\n"
         "  - {probabilite: 4, niveaux: [modéré, élevé, élevé, élevé]}"),
        # même déclencheur que la pondération n° 1, sur l'autre dimension
        ("        raison: relecture partielle ou absente\n",
         "        raison: relecture partielle ou absente\n      - si: {champ: revue_humaine, egal: ponctuelle}\n"
         "        gravite: 1\n        raison: relecture partielle, gravité\n"),
        # vraie chaque fois que T2 s'applique
        ("        raison: hébergement hors UE\n",
         "        raison: hébergement hors UE\n      - si: {champ: donnees.categories, contient_un_de: [personnelles, sensibles]}\n"
         "        probabilite: 1\n        raison: données personnelles\n"),
        ("    sources: [test]\nmesures:\n", "    plancher: {gravite: 4}\n    sources: [test]\n" + T3),
        ("regles_juridiques:\n", "  - id: MC\n    titre: Sans effet\n    nature: corrective\n    description: Baisse sous le plancher.\n"
         "    preuves: [rien]\n    effets:\n      - {risque: T2, gravite: -1}\n    sources: [test]\n" + MC),
    ])
    reco = d / "recommandations.yaml"
    reco.write_text(reco.read_text(encoding="utf-8") + "  - id: C3\n    titre: Orpheline\n    texte: Liée à rien.\n    theme: bon_usage\n"
                    "    publics: [agents]\n    sources: [test]\n", encoding="utf-8")
    return d


def test_verifier_chaque_controle_a_sa_position(ref_fautif):
    import datetime as dt

    r, c = ref_fautif / "risques.yaml", ref_fautif / "recommandations.yaml"
    constats = verifier(charger(ref_fautif), dt.date(2028, 1, 1))
    obtenus = [(c_.fichier.rsplit("/", 1)[-1], c_.ligne, c_.colonne, c_.gravite, c_.regle) for c_ in constats]
    attendus = [
        ("recommandations.yaml", *position(c, "C3"), "avertissement", "iag-ref/recommandation-orpheline"),
        ("risques.yaml", *position(r, "inutile"), "avertissement", "iag-ref/source-non-citee"),
        ("risques.yaml", *position(r, "critique", "niveaux:"), "avertissement", "iag-ref/niveau-inatteignable"),
        ("risques.yaml", *position(r, "{champ: revue_humaine, egal: ponctuelle}", "raison: relecture partielle ou absente"),
         "avertissement", "iag-ref/double-comptage"),
        ("risques.yaml", *position(r, "{champ: donnees.categories, contient_un_de: [personnelles, sensibles]}", "hébergement hors UE"),
         "avertissement", "iag-ref/double-comptage"),
        ("risques.yaml", *position(r, "toutes:", "id: T3"), "avertissement", "iag-ref/risque-inapplicable"),
        ("risques.yaml", *position(r, "- {risque: T2, gravite: -1}"), "avertissement", "iag-ref/mesure-sans-effet"),
        ("risques.yaml", *position(r, "2026-11-30", "veille_juridique"), "avertissement", "iag-ref/veille-perimee"),
    ]
    assert sorted(obtenus) == sorted(attendus)


def test_verifier_codes_de_sortie_et_strict(ref_fautif):
    propre = iag("verifier", str(MINI), "--date", DATE)
    assert propre.exit_code == 0, propre.output
    assert propre.stdout.endswith(": 0 erreur, 0 avertissement\n")
    r = iag("verifier", str(ref_fautif), "--date", DATE)
    assert r.exit_code == 0, r.output  # des avertissements seulement
    assert "7 avertissements" in r.stdout
    ligne, colonne = position(ref_fautif / "risques.yaml", "inutile")
    assert f"risques.yaml:{ligne}:{colonne}: avertissement : source « inutile » déclarée mais jamais citée [iag-ref/source-non-citee]" in r.stdout
    assert iag("verifier", str(ref_fautif), "--date", DATE, "--strict").exit_code == 2
    assert iag("verifier", str(MINI), "--date", DATE, "--strict").exit_code == 0


def test_verifier_reprend_les_erreurs_du_chargeur(tmp_path):
    # date impossible (une date absente est permise depuis l'issue 21 : aucune date revendiquée)
    d = copie(tmp_path, MINI, "date-fausse", [("  - id: JO\n    applicable_depuis: 2025-02-02\n", "  - id: JO\n    applicable_depuis: 2025-02-30\n")])
    r = iag("verifier", str(d), "-f", "json")
    assert r.exit_code == 2
    sortie = json.loads(r.stdout)
    assert sortie["referentiel"] is None
    [c] = sortie["constats"]
    ligne, colonne = position(d / "risques.yaml", "2025-02-30")
    assert (c["ligne"], c["colonne"], c["gravite"], c["regle"]) == (ligne, colonne, "erreur", "iag-ref/chargement")
    assert "date invalide" in c["message"]
    assert sortie["bilan"] == {"erreurs": 1, "avertissements": 0}


def test_verifier_sarif(ref_fautif):
    r = iag("verifier", str(ref_fautif), "-f", "sarif", "--date", "2028-01-01")
    assert r.exit_code == 0
    sarif = json.loads(r.stdout)
    run = sarif["runs"][0]
    regles = [x["id"] for x in run["tool"]["driver"]["rules"]]
    assert sorted({x["ruleId"] for x in run["results"]}) == sorted({
        "iag-ref/recommandation-orpheline", "iag-ref/source-non-citee", "iag-ref/niveau-inatteignable", "iag-ref/double-comptage",
        "iag-ref/risque-inapplicable", "iag-ref/mesure-sans-effet", "iag-ref/veille-perimee"})
    for x in run["results"]:
        assert regles[x["ruleIndex"]] == x["ruleId"]
        assert x["level"] == "warning"
        assert x["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert len({x["partialFingerprints"]["iag/v1"] for x in run["results"]}) == 8


def test_verifier_referentiel_fourni():
    # Le référentiel fourni passe même en --strict : aucune erreur, aucun avertissement.
    r = iag("verifier", str(dossier_defaut()), "--date", DATE, "--strict")
    assert r.exit_code == 0, r.output
    assert r.stdout.endswith(" : 0 erreur, 0 avertissement\n")


# --- exporter --------------------------------------------------------------------------------


def test_exporter_markdown_phrases_du_generateur(ref_defaut):
    r = iag("exporter", str(dossier_defaut()), "-f", "markdown")
    assert r.exit_code == 0, r.output
    texte = r.stdout
    from iagcli.rendus.evaluation.markdown import echapper

    r01 = ref_defaut.risques["R01"]
    for p in r01.ponderations:  # même générateur que `iag risques`
        assert echapper(f"si {decrire(p.si)}") in texte
    assert ref_defaut.empreinte in texte
    for section in ("## Échelles et grille", "## Ce que chaque niveau exige", "## Risques", "## Mesures",
                    "## Règles juridiques", "## Recommandations", "## Catalogue des sources"):
        assert section in texte
    assert "Applicable depuis le 2027-12-02." in texte  # règles de l'annexe III datées


class _Balises(HTMLParser):
    def __init__(self):
        super().__init__()
        self.balises, self.attributs = [], []

    def handle_starttag(self, tag, attrs):
        self.balises.append(tag)
        self.attributs.extend(attrs)


def test_exporter_html_autonome_et_echappe(tmp_path):
    d = copie(tmp_path, MINI, "hostile", [("    titre: Toujours présent\n", '    titre: "<script>alert(1)</script> <img src=http://x/y.png>"\n')])
    sortie = tmp_path / "ref.html"
    r = iag("exporter", str(d), "-f", "html", "-o", str(sortie))
    assert r.exit_code == 0, r.output
    html = sortie.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "default-src 'none'" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    p = _Balises()
    p.feed(html)
    assert "script" not in p.balises and "img" not in p.balises and "link" not in p.balises
    assert not [v for k, v in p.attributs if k in ("src", "href") and v and not v.startswith("#")]


def test_exporter_csv_pour_tableur(ref_mini):
    r = iag("exporter", str(MINI), "-f", "csv")
    assert r.exit_code == 0
    octets = r.stdout_bytes  # CliRunner.stdout ramène les fins de ligne à \n
    assert octets.startswith("\ufeffgenre;id;titre;texte;details;sources\r\n".encode("utf-8"))
    lignes = list(csv.reader(io.StringIO(octets.decode("utf-8-sig"), newline=""), delimiter=";"))
    par_id = {(ligne[0], ligne[1]): ligne for ligne in lignes[1:]}
    assert par_id[("risque", "T1")][4] == ("base : probabilité 2, gravité 1 ; s'applique toujours ; "
                                          "probabilité +1 si relecture humaine : « ponctuelle » ; "
                                          "probabilité +2, gravité +1 si relecture humaine : « aucune » ; "
                                          "gravité −1 si destinataires des productions : « agent_seul »")
    assert par_id[("grille", "P2")][4] == "G1 : faible ; G2 : modéré ; G3 : élevé ; G4 : critique"
    assert par_id[("règle juridique", "JO")][0] == "règle juridique"
    assert all(len(ligne) == 6 for ligne in lignes)


def test_exporter_csv_formule_neutralisee(tmp_path):
    d = copie(tmp_path, MINI, "formule", [("    titre: Toujours présent\n", '    titre: "=HYPERLINK(\\"http://x\\")"\n')])
    r = iag("exporter", str(d), "-f", "csv")
    lignes = list(csv.reader(io.StringIO(r.stdout_bytes.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [ligne[2] for ligne in lignes if ligne[1] == "T1"] == ["'=HYPERLINK(\"http://x\")"]


def test_exporter_usage(tmp_path):
    assert iag("exporter", str(MINI), "-f", "pdf").exit_code == 2
    assert iag("exporter", str(tmp_path / "absent"), "-f", "csv").exit_code == 2


# --- comparer --------------------------------------------------------------------------------


def test_differences_exactes_petits_referentiels(tmp_path, ref_mini):
    d = copie(tmp_path, MINI, "v2", [
        ("  - {probabilite: 1, niveaux: [faible, faible, modéré, élevé]}", "  - {probabilite: 1, niveaux: [faible, modéré, modéré, élevé]}"),
        ("        probabilite: 2\n        raison: hébergement hors UE", "        probabilite: 1\n        raison: hébergement hors UE"),
        ("    applicable_depuis: 2025-02-02\n    titre: Haut risque", "    applicable_depuis: 2027-12-02\n    titre: Haut risque"),
        ("  - {id: modéré, libelle: Modéré, couleur: yellow, exigences: suivi}",
         "  - {id: modéré, libelle: Modéré, couleur: yellow, exigences: suivi par le DPO}"),
        ("  - id: MA\n    titre: Relecture\n", "  - id: MA\n    titre: Relecture croisée\n"),
    ])
    assert differences(ref_mini, charger(d)) == [
        Changement("niveaux", "modéré", "modifié", "exigences", "suivi", "suivi par le DPO"),
        Changement("risques", "T2", "modifié", "ponderations", "probabilité +2 si hébergement des données : « hors_ue »",
                   "probabilité +1 si hébergement des données : « hors_ue »"),
        Changement("mesures", "MA", "modifié", "titre", "Relecture", "Relecture croisée"),
        Changement("regles_juridiques", "JO", "modifié", "applicable_depuis", "2025-02-02", "2027-12-02"),
        Changement("grille", "grille P1×G2", "modifié", "niveau", "faible", "modéré"),
    ]


def test_differences_ajouts_et_retraits(tmp_path, ref_mini):
    d = copie(tmp_path, MINI, "v3", [("  - id: JP\n", "  - id: JQ\n"), ('version: "test-1"', 'version: "test-2"')])
    assert differences(ref_mini, charger(d)) == [
        Changement("regles_juridiques", "JP", "retiré", avant="AIPD"),
        Changement("regles_juridiques", "JQ", "ajouté", apres="AIPD"),
        Changement("version", "version", "modifié", None, "test-1", "test-2"),
    ]
    assert differences(ref_mini, ref_mini) == []


def test_comparer_propositions_mini(tmp_path, ref_mini):
    # Le cas de base (relecture systématique, agent seul) : T1 en P2×G1 ; une case relevée le fait monter.
    d = copie(tmp_path, MINI, "v2", [("  - {probabilite: 2, niveaux: [faible, modéré, élevé, critique]}",
                                      "  - {probabilite: 2, niveaux: [modéré, modéré, élevé, critique]}")])
    import datetime as dt

    resultat = comparer(ref_mini, charger(d), [(str(DONNEES / "cas-base.yaml"), True)], dt.date(2026, 11, 30))
    [p] = resultat.propositions
    assert (p.verdict_avant, p.verdict_apres, p.sens) == ("faible", "modéré", "hausse")
    assert [(x.id, x.avant, x.apres, x.causes) for x in p.risques] == [("T1", "faible", "modéré", ("grille P2×G1",))]
    assert p.causes == ("grille P2×G1",)
    assert (resultat.total, resultat.hausses, resultat.baisses, resultat.code_sortie()) == (1, 1, 0, 1)


@pytest.fixture(scope="module")
def ref_modifie(tmp_path_factory):
    """Le référentiel fourni, avec une case de la grille, une pondération et une règle datée changées."""
    d = copie(tmp_path_factory.mktemp("ref"), dossier_defaut(), "modifie", [
        ("  - probabilite: 1\n    niveaux: [faible, faible, modéré, élevé]", "  - probabilite: 1\n    niveaux: [faible, faible, élevé, élevé]"),
        ("      - si: {champ: destinataires, au_moins: usagers}\n        gravite: 1\n        raison: Une erreur qui sort",
         "      - si: {champ: destinataires, au_moins: usagers}\n        gravite: 2\n        raison: Une erreur qui sort"),
    ])
    texte = (d / "risques.yaml").read_text(encoding="utf-8")
    debut = texte.index("  - id: J10\n")
    i = texte.index('applicable_depuis: "2027-12-02"', debut)
    assert i < texte.index("  - id: J", debut + 5)  # dans la règle J10
    (d / "risques.yaml").write_text(texte[:i] + 'applicable_depuis: "2026-08-02"' + texte[i + 31:], encoding="utf-8")
    return d


PONDERATION_R01 = "pondération « Une erreur qui sort du service atteint des usagers ou le public. » : gravité +1 → gravité +2"


def test_comparer_exemples_sous_le_referentiel_modifie(ref_defaut, ref_modifie):
    import datetime as dt

    from iagcli.es.chemins import Ignores, developper

    resultat = comparer(ref_defaut, charger(ref_modifie), developper([str(RACINE / "exemples")], Ignores()), dt.date(2026, 11, 30))
    assert [(c.section, c.id, c.nature, c.champ, c.avant, c.apres) for c in resultat.changements] == [
        ("risques", "R01", "modifié", "ponderations", "gravité +1 si destinataires des productions : « usagers » ou au-delà",
         "gravité +2 si destinataires des productions : « usagers » ou au-delà"),
        ("regles_juridiques", "J10", "modifié", "applicable_depuis", "2027-12-02", "2026-08-02"),
        ("grille", "grille P1×G3", "modifié", "niveau", "modéré", "élevé"),
    ]
    obtenu = {p.fichier.rsplit("/", 1)[-1]: (p.verdict_avant, p.verdict_apres, p.sens,
                                             [(x.id, x.avant, x.apres, x.causes) for x in p.risques],
                                             [(x.id, x.avant, x.apres, x.causes) for x in p.regles]) for p in resultat.propositions}
    R01 = ("R01 (ponderations)", PONDERATION_R01)
    assert obtenu == {
        "chatbot-usagers-hors-ue.yaml": ("critique", "critique", "inchangé",
                                         [("R01", "élevé", "critique", R01), ("R07", "modéré", "élevé", ("grille P1×G3",))], []),
        "relances-recouvrement.yaml": ("modéré", "élevé", "hausse",
                                       [("R19", "modéré", "élevé", ("grille P1×G3",)), ("R01", "faible", "élevé", (*R01, "grille P1×G3"))], []),
        "score-risque-fraude-aides.yaml": ("élevé", "élevé", "inchangé",
                                           [("R05", "modéré", "élevé", ("grille P1×G3",)), ("R15", "modéré", "élevé", ("grille P1×G3",))],
                                           [("J10", "à_venir", "applicable", ("J10 (applicable_depuis)",))]),
        "synthese-comptes-rendus.yaml": ("modéré", "élevé", "hausse", [("R03", "modéré", "élevé", ("grille P1×G3",))], []),
        "tri-candidatures-rh.yaml": ("élevé", "élevé", "inchangé", [("R03", "modéré", "élevé", ("grille P1×G3",))], []),
        "visuels-campagne-communication.yaml": ("modéré", "élevé", "hausse",
                                                [("R20", "modéré", "élevé", ("grille P1×G3",)), ("R01", "faible", "élevé", (*R01, "grille P1×G3"))], []),
    }
    assert (resultat.total, resultat.hausses, resultat.baisses) == (9, 3, 0)


def test_comparer_cli_codes_et_formats(ref_modifie):
    exemples = str(RACINE / "exemples")
    defaut = str(dossier_defaut())
    r = iag("comparer", defaut, str(ref_modifie), exemples, "--date", DATE)
    assert r.exit_code == 1, r.output
    assert r.stdout.endswith("9 propositions, 3 changent de verdict (3 en hausse, 0 en baisse)\n")
    assert "~ grille grille P1×G3 niveau : modéré → élevé\n" in r.stdout
    # Dans l'autre sens, les verdicts baissent : rien à revoir.
    r = iag("comparer", str(ref_modifie), defaut, exemples, "--date", DATE, "-f", "json")
    assert r.exit_code == 0, r.output
    sortie = json.loads(r.stdout)
    schema = json.loads((RACINE / "schemas" / "comparaison.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(sortie)
    assert sortie["bilan"] == {"propositions": 9, "hausses": 0, "baisses": 3, "illisibles": 0, "invalides": 0, "code_sortie": 0}
    r = iag("comparer", defaut, str(ref_modifie), exemples, "--date", DATE, "-f", "markdown")
    assert r.exit_code == 1
    assert r.stdout.startswith("## Changement de référentiel : 2026.11 → 2026.11\n\n**9 propositions, 3 changent de verdict")
    assert "| grille | grille P1×G3 | modifié | niveau | modéré | élevé |" in r.stdout
    # Sans proposition : les seules différences, code 0.
    r = iag("comparer", defaut, str(ref_modifie))
    assert r.exit_code == 0 and "3 changements" in r.stdout
    assert iag("comparer", defaut, defaut, exemples).stdout.endswith("0 change de verdict (0 en hausse, 0 en baisse)\n")


def test_comparer_usage_et_chemins(tmp_path):
    defaut = str(dossier_defaut())
    assert iag("comparer", defaut, str(tmp_path / "absent")).exit_code == 2
    assert iag("comparer", defaut, defaut, "-f", "sarif").exit_code == 2
    r = iag("comparer", defaut, defaut, str(tmp_path / "absent.yaml"))
    assert r.exit_code == 2
    assert "absent.yaml" in r.stderr


def test_comparer_mesure_retiree_rend_la_proposition_invalide(tmp_path, ref_mini):
    import datetime as dt

    # La mesure MB disparaît : un cas qui la déclare devient invalide sous le nouveau référentiel.
    d = copie(tmp_path, MINI, "sans-mb", [("      - {risque: T2, probabilite: -2, gravite: -1}\n      - {risque: T1, probabilite: -1}\n    sources: [test]\n", "")])
    texte = (d / "risques.yaml").read_text(encoding="utf-8")
    debut = texte.index("  - id: MB\n")
    fin = texte.index("regles_juridiques:")
    (d / "risques.yaml").write_text(texte[:debut] + texte[fin:], encoding="utf-8")
    cas = tmp_path / "cas.yaml"
    cas.write_text((DONNEES / "cas-base.yaml").read_text(encoding="utf-8") + "mesures_en_place: [MB]\n", encoding="utf-8")
    assert "mesures_en_place: [MB]" in cas.read_text(encoding="utf-8")
    resultat = comparer(ref_mini, charger(d), [(str(cas), True)], dt.date(2026, 11, 30))
    [p] = resultat.propositions
    assert (p.verdict_avant, p.verdict_apres, p.sens) == ("faible", None, "hausse")
    assert "MB" in p.erreurs[0]
    assert resultat.code_sortie() == 1


def test_exporter_ne_remplace_jamais_le_referentiel(tmp_path):
    d = copie(tmp_path, MINI, "ref")
    avant = (d / "risques.yaml").read_bytes()
    r = iag("exporter", str(d), "-f", "markdown", "-o", str(d / "risques.yaml"))
    assert r.exit_code == 2
    assert "écraserait" in r.stderr
    assert (d / "risques.yaml").read_bytes() == avant


def test_differences_condition_dite_en_francais(tmp_path, ref_mini):
    d = copie(tmp_path, MINI, "condition", [("      contient_un_de: [personnelles, sensibles]\n", "      contient_un_de: [sensibles]\n")])
    assert differences(ref_mini, charger(d)) == [
        Changement("risques", "T2", "modifié", "s_applique_si",
                   "catégories de données : dont « personnelles » ou « sensibles »", "catégories de données : dont « sensibles »"),
    ]


def test_verifier_source_inconnue_erreur_positionnee(tmp_path):
    d = copie(tmp_path, MINI, "source-inconnue", [("    mots_cles: [relecture]\n    risques: [T1]\n    sources: [test]\n",
                                                  "    mots_cles: [relecture]\n    risques: [T1]\n    sources: [tset]\n")],
              fichier="recommandations.yaml")
    r = iag("verifier", str(d))
    assert r.exit_code == 2
    ligne, colonne = position(d / "recommandations.yaml", "tset")
    assert (f"recommandations.yaml:{ligne}:{colonne}: erreur : source « tset » introuvable dans le référentiel"
            in r.stdout)
    assert "[iag-ref/chargement]" in r.stdout


def test_verifier_cle_inconnue_dans_une_condition_facultative_suggeree(tmp_path):
    # `s_applique_si` (facultative) et `si` (obligatoire) : la même suggestion pour une clé mal écrite.
    d = copie(tmp_path, MINI, "cle-condition", [("    s_applique_si:\n      champ: donnees.categories\n",
                                                "    s_applique_si:\n      chmp: x\n      champ: donnees.categories\n")])
    r = iag("verifier", str(d))
    assert r.exit_code == 2
    ligne, colonne = position(d / "risques.yaml", "chmp")
    assert f"risques.yaml:{ligne}:{colonne}: erreur : clé inconnue « chmp » ; vouliez-vous dire « champ » ?" in r.stdout


def test_comparer_yaml_etranger_un_seul_message(tmp_path, ref_mini):
    import datetime as dt

    # Un autre YAML du dépôt (.gitlab-ci.yml…) : le même message unique que `iag evaluer`.
    autre = tmp_path / "ci.yaml"
    autre.write_text("stages: [test]\n", encoding="utf-8")
    resultat = comparer(ref_mini, ref_mini, [(str(autre), True)], dt.date(2026, 11, 30))
    [p] = resultat.propositions
    assert p.erreurs == (f"{autre}:1:1: ce fichier ne ressemble pas à un cas d'usage (aucune clé connue, comme « titre » ou « taches ») ; "
                         "gabarit : iag nouveau",)
    assert resultat.code_sortie() == 3  # invalide sous l’ancien référentiel : une proposition cassée (sortait 0)
