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
    return r.output


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
