"""Le registre public (issue 23, point 3) : seuls les usages en service sont publiés ; la page HTML se lit
à 1280 px et s'imprime en A4 (une fiche par usage, vérifié dans Chromium) ; un classeur .xlsx à côté du CSV."""

from __future__ import annotations

import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

import html5lib
import navigateur
import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.moteur.observatoire import COLONNES

from conftest import RACINE

EXEMPLES = RACINE / "exemples"
DATE = "2026-11-30"
PUBLIES = 5  # les 9 exemples, moins les 4 au stade de l'idée
NS = {"h": "http://www.w3.org/1999/xhtml"}
XL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def iag(*args):
    return CliRunner().invoke(app, [*args, "--sans-config"])


def test_page_html_une_fiche_par_usage(tmp_path):
    r = iag("registre", str(EXEMPLES), "--date", DATE, "-f", "html")
    assert r.exit_code == 0
    arbre = html5lib.parse(r.stdout, treebuilder="etree")
    fiches = arbre.findall(".//h:article", NS)
    assert len(fiches) == PUBLIES
    for fiche in fiches:
        # titre de l'usage, puis une définition par autre colonne du registre, dans l'ordre
        assert fiche.find("h:h3", NS) is not None
        assert ["".join(dt.itertext()) for dt in fiche.iterfind(".//h:dt", NS)] == [c.titre for c in COLONNES if c.cle != "titre"]
    titres = ["".join(f.find("h:h3", NS).itertext()) for f in fiches]
    assert "Pré-tri des candidatures aux offres d'emploi" not in titres  # idée : non publié
    # Aucun tableau d'usages : le seul tableau est celui des définitions (trois colonnes).
    assert [len(t.findall(".//h:thead//h:th", NS)) for t in arbre.iterfind(".//h:table", NS)] == [3]


pytestmark_navigateur = pytest.mark.skipif(not navigateur.disponible() and not os.environ.get("CI"),
                                           reason="Chromium absent (.ci/run l'installe)")
MESURES = {
    "largeur_document": "document.documentElement.scrollWidth",
    "bord_droit": "Math.max(...[...document.querySelectorAll('main *')].map(e => e.getBoundingClientRect().right))",
    "fiches": "document.querySelectorAll('article.usage').length",
}


@pytestmark_navigateur
def test_registre_se_lit_a_1280_px_et_s_imprime_en_a4(tmp_path):
    fichier = tmp_path / "registre.html"
    assert iag("registre", str(EXEMPLES), "--date", DATE, "-o", f"html:{fichier}").exit_code == 0
    b = navigateur.Navigateur()
    try:
        ecran = b.ouvrir(fichier, largeur=1280, mesures=MESURES)
        # A4 portrait moins les marges de 15 mm de la feuille d'impression : 180 mm, soit 680 px CSS.
        papier = b.ouvrir(fichier, largeur=680, media="print", mesures=MESURES, imprimer=True)
    finally:
        b.fermer()
    assert ecran.erreurs_console == [] and ecran.requetes == []
    assert ecran.mesures["fiches"] == PUBLIES
    assert ecran.mesures["largeur_document"] == 1280  # aucun défilement horizontal (2 846 px avant)
    assert ecran.mesures["bord_droit"] <= 1280
    assert papier.mesures["largeur_document"] == 680
    assert papier.mesures["bord_droit"] <= 680
    assert papier.pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", papier.pdf)) >= 2


def _classeur(chemin) -> tuple[list[list[str]], list[list[str]], str]:
    """(lignes de la feuille Registre, lignes de la feuille Colonnes, XML de la première feuille)."""
    with zipfile.ZipFile(chemin) as z:
        partagees = ["".join(si.itertext()) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{XL}si")]
        feuilles = []
        for n in (1, 2):
            xml = z.read(f"xl/worksheets/sheet{n}.xml").decode("utf-8")
            lignes = []
            for row in ET.fromstring(xml).iter(f"{XL}row"):
                cellules = []
                for c in row.iter(f"{XL}c"):
                    assert c.get("t") == "s" and c.find(f"{XL}f") is None  # texte, jamais une formule
                    cellules.append(partagees[int(c.find(f"{XL}v").text)])
                lignes.append(cellules)
            feuilles.append((lignes, xml))
        noms = [s.get("name") for s in ET.fromstring(z.read("xl/workbook.xml")).iter(f"{XL}sheet")]
    assert noms == ["Registre", "Colonnes"]
    return feuilles[0][0], feuilles[1][0], feuilles[0][1]


def test_classeur_xlsx_a_cote_du_csv(tmp_path):
    modele = (EXEMPLES / "traduction-site-web.yaml").read_text(encoding="utf-8")
    cas = tmp_path / "cas"
    cas.mkdir()
    (cas / "formule.yaml").write_text(modele.replace("service: Direction de la communication", 'service: "=HYPERLINK(\\"x\\")"'),
                                      encoding="utf-8")
    (cas / "traduction.yaml").write_text(modele, encoding="utf-8")
    (cas / "idee.yaml").write_text(modele.replace("statut: expérimentation", "statut: idée"), encoding="utf-8")
    classeur = tmp_path / "registre.xlsx"
    r = iag("registre", str(cas), "--date", DATE, "-o", f"xlsx:{classeur}")
    assert r.exit_code == 0, r.output
    assert r.stderr == (f"iag : 1 projet au stade de l'idée non publié (seuls les statuts expérimentation et production "
                        f"le sont) : {cas / 'idee.yaml'}\n")
    registre, colonnes, xml = _classeur(classeur)
    assert registre[0] == [c.titre for c in COLONNES]
    assert len(registre) == 1 + 2
    par_service = {ligne[2]: dict(zip([c.cle for c in COLONNES], ligne, strict=True)) for ligne in registre[1:]}
    assert set(par_service) == {'=HYPERLINK("x")', "Direction de la communication"}  # la formule reste du texte
    assert par_service["Direction de la communication"]["date_evaluation"] == DATE
    assert colonnes[0] == ["Colonne", "Définition", "Fiche Etalab"]
    assert [ligne[0] for ligne in colonnes[1:]] == [c.titre for c in COLONNES]
    assert re.search(r"<pane [^>]*state=\"frozen\"", xml)  # en-têtes et nom de l'usage figés
    # Le CSV, sur la sortie standard, a les mêmes lignes.
    assert r.stdout_bytes.count(b"\r\n") == 1 + 2


def test_xlsx_sur_la_sortie_standard_refuse(tmp_path):
    r = iag("registre", str(EXEMPLES), "-f", "xlsx")
    assert r.exit_code == 2
    assert r.stderr == "iag : le format xlsx s'écrit dans un fichier : -o xlsx:registre.xlsx\n"


def test_xlsx_sans_l_extra_bureautique(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    classeur = tmp_path / "registre.xlsx"
    r = iag("registre", str(EXEMPLES), "-o", f"xlsx:{classeur}")
    assert r.exit_code == 2
    assert r.stderr == ("iag : le format xlsx demande l'extra optionnel « bureautique » (bibliothèque xlsxwriter absente) : "
                        "pip install 'iag[bureautique]'\n")
    assert not classeur.exists() and r.stdout == ""
