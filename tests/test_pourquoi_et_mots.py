"""Issue 23, points 1 et 2 : les raisons d'un risque à traiter (réponse et ligne) dans chaque rapport pour
les personnes, et des mots au lieu des jetons des réponses."""

import html
import re

import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.controleur import executer
from iagcli.es.chemins import developper
from iagcli.moteur.referentiel import charger
from iagcli.rendus.evaluation import creer

from conftest import RACINE

EXEMPLES = sorted((RACINE / "exemples").glob("*.yaml"))
RH = str(RACINE / "exemples" / "tri-candidatures-rh.yaml")
# R15 du pré-tri des candidatures : élevé, donc à traiter ; la pondération du domaine, lue ligne 30
RAISON_R15 = ("R15 parce que : le risque s'applique (réponses lues : rôle dans les décisions : aide à la décision, "
              "l. 29) ; domaine à fort enjeu pour les droits des personnes (domaine des décisions : ressources "
              "humaines et recrutement, l. 30)")


def iag(*args: str) -> str:
    r = CliRunner().invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "100"})
    return r.stdout


def a_plat(texte: str) -> str:
    """Le texte d'un rapport sans balises ni mise en forme, espaces (insécables compris) réunis."""
    texte = html.unescape(re.sub(r"<[^>]+>", "", texte)).replace("**", "").replace("\\", "")
    return " ".join(texte.split())


@pytest.mark.parametrize("format", ["texte", "markdown", "html"])
def test_raison_d_un_risque_a_traiter_avec_sa_ligne(format):
    sortie = a_plat(iag("evaluer", "-f", format, RH))
    assert RAISON_R15 in sortie
    # R16 (faible) n'est pas à traiter : ses raisons ne sont données qu'avec --details
    assert "R16 parce que" not in sortie


def rapport(format: str, **options: object) -> str:
    """Le rapport d'`iag evaluer` sur le pré-tri des candidatures, avec ces options de rapport."""
    import io

    ref = charger(None)
    flux = io.StringIO()
    executer(developper([RH]), ref, [creer(format, flux, ref, **options)])
    return flux.getvalue()


@pytest.mark.parametrize("format", ["texte", "markdown", "html"])
def test_details_donne_les_raisons_de_chaque_risque(format):
    # --details : `toutes_raisons` (cli/evaluation.py le pose d'après --details)
    sortie = a_plat(rapport(format, toutes_raisons=True))
    assert RAISON_R15 in sortie
    for rid in ("R12", "R15", "R06", "R03", "R01", "R18", "R19", "R21", "R10", "R16"):
        assert f"{rid} parce que : " in sortie
    assert "R16 parce que : aucune réponse ne l'a fait monter (cotation de base du référentiel)" in sortie


@pytest.mark.parametrize("format", ["texte", "markdown", "html"])
def test_option_details_de_la_ligne_de_commande(format):
    sortie = a_plat(iag("evaluer", "-f", format, "--details", RH))
    assert RAISON_R15 in sortie
    assert "R16 parce que : aucune réponse ne l'a fait monter (cotation de base du référentiel)" in sortie


# --- Point 2 : des mots, jamais les jetons des réponses ----------------------------------------------

JETON = re.compile(r"[\w./-]*\w_\w[\w./-]*")


def jetons(texte: str) -> set[str]:
    """Les mots à « _ » d'une sortie, hors noms de fichiers (avec extension) et identifiants R/M/J/REC."""
    return {j for j in JETON.findall(texte) if not re.search(r"\.(ya?ml|md|html|csv|json|xlsx|odt|docx)$", j)
            and not re.fullmatch(r"(R|M|J|REC)\d+", j)}


@pytest.mark.parametrize("exemple", EXEMPLES, ids=lambda p: p.stem)
def test_aucun_jeton_dans_les_sorties_pour_les_personnes(exemple, tmp_path):
    sorties = {f: iag("evaluer", "-f", f, "--details", str(exemple)) for f in ("texte", "markdown", "html")}
    iag("dossier", str(exemple), "-o", str(tmp_path / "dossier"))
    sorties |= {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "dossier").rglob("*.md")}
    assert len(sorties) > 3  # des documents ont été écrits
    for nom, texte in sorties.items():
        assert jetons(texte) == set(), nom


def _valeurs(x: object) -> list[str]:
    if isinstance(x, dict):
        return [v for k, y in x.items() if k != "cle" for v in _valeurs(y)]  # « cle » : nom de colonne
    if isinstance(x, list):
        return [v for y in x for v in _valeurs(y)]
    return [x] if isinstance(x, str) else []


def test_aucun_jeton_dans_le_registre():
    import json

    dossier = str(RACINE / "exemples")
    for f in ("html", "csv"):
        assert jetons(iag("registre", "-f", f, dossier)) == set(), f
    # JSON : les clés sont pour les outils, les valeurs pour les personnes
    assert jetons("\n".join(_valeurs(json.loads(iag("registre", "-f", "json", dossier))))) == set()


def test_registre_en_mots():
    sortie = iag("registre", "-f", "csv", str(RACINE / "exemples"))
    # relances (production) : hébergé par un autre organisme public, étape administrative dans un domaine « autre »
    assert ('"hébergé par un autre organisme public";"autre organisme public en France";"données personnelles";'
            '"usagers";"étape administrative (autre)"') in sortie
    assert "compte professionnel" in sortie and "compte_professionnel" not in sortie


def test_reponse_inconnue_par_la_question_et_sa_ligne():
    sortie = a_plat(iag("evaluer", str(RACINE / "exemples" / "chatbot-usagers-hors-ue.yaml")))
    assert "Réponses « inconnu » comptées comme le pire cas : réutilisation pour l'entraînement (l. 20)" in sortie


def test_pluriels():
    from iagcli.modeles.types import accord, nombre

    assert [nombre(n, "fichier") for n in (0, 1, 3)] == ["0 fichier", "1 fichier", "3 fichiers"]
    assert nombre(2, "chemin ignoré") == "2 chemins ignorés" and accord(1, "comptée") == "comptée"
    un = iag("evaluer", "-s", "élevé", RH, str(RACINE / "exemples" / "traduction-site-web.yaml"))
    assert "Bilan : 2 fichiers · 1 faible · 1 élevé" in un
    assert "1 cas sous le seuil résumé en une ligne" in un
    tous = a_plat(iag("evaluer", "-f", "markdown", str(RACINE / "exemples")))
    assert "9 fichiers · 1 faible · 4 modérés · 2 élevés · 1 critique · 1 interdit" in tous
    assert "(s)" not in tous


def test_commande_suggeree_jamais_coupee(tmp_path, monkeypatch):
    import shutil

    (tmp_path / "lot").mkdir()
    for nom in ("chatbot-usagers-hors-ue.yaml", "traduction-site-web.yaml"):
        shutil.copy(RACINE / "exemples" / nom, tmp_path / "lot" / nom)
    monkeypatch.chdir(tmp_path)
    for largeur in ("50", "60", "70", "80"):
        r = CliRunner().invoke(app, ["evaluer", "-s", "modéré", "lot"], env={"COLUMNS": largeur})
        lignes = [lg.strip() for lg in r.stdout.splitlines()]
        # « Sous le seuil : le plan le plus court par » ne tient pas avec la commande : elle passe entière à la ligne
        assert "iag plan lot/chatbot-usagers-hors-ue.yaml" in lignes, largeur


def test_pliage_rapide_identique_a_rich():
    """Le pliage des textes d'un seul style (raisons des risques) est celui de Rich, en moins cher."""
    import random

    from rich.console import Console
    from rich.text import Text

    from iagcli.rendus.commun.affichage import _plier_mots, plier

    console = Console(width=200)
    hasard = random.Random(2)
    for _ in range(2000):
        largeur = hasard.randint(8, 100)
        mots = ["".join(hasard.choice("abcdé(),;:") for _ in range(hasard.randint(1, min(largeur, 25))))
                for _ in range(hasard.randint(1, 40))]
        texte = " ".join(mots)
        attendu = [x.plain.rstrip() for x in Text(texte).wrap(console, largeur, overflow="fold")]
        assert _plier_mots(texte, largeur) == attendu
        assert [x.plain for x in plier(console, Text(texte), largeur)] == attendu
