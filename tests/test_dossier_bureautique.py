"""iag dossier -f odt|docx (issue 23, point 4) : des documents que l'on édite dans une suite bureautique,
relus par leur bibliothèque et par leur XML ; l'AIPD en mots (libellés, finalité, numéros, cause) ;
l'extra optionnel absent donne un message clair et le code 2."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
import zipfile

import docx
import odfdo
import pytest
import yaml
from typer.testing import CliRunner

from iagcli.cli import app

from conftest import RACINE

DATE = "2026-11-30"
runner = CliRunner()

TITRES_AIPD = [
    "Analyse d'impact relative à la protection des données (AIPD)",
    "Exigé par",
    "Pourquoi une AIPD (critères du CEPD et liste de la CNIL)",
    "1.1 Contexte : présentation du traitement",
    "1.2 Contexte : finalité, données, destinataires, durées de conservation",
    "2. Principes fondamentaux",
    "3.1 Risques : mesures existantes",
    "3.2 Risques : mesures prévues",
    "3.3 Risques : les trois événements redoutés",
    "4. Validation : avis du délégué à la protection des données",
]
# Un jeton de réponse : des mots liés par « _ » (hébergé_collectivité, aide_à_la_décision, rh_recrutement).
JETON = re.compile(r"\b\w+_\w+\b")


def _iag(*args: str):
    return runner.invoke(app, ["dossier", *args, "--date", DATE, "--sans-config"])


def _cas(tmp_path):
    """Le score de risque de fraude (AIPD, FRIA), avec l'AIPD elle-même (M09) parmi les mesures prévues,
    comme après `iag plan --ecrire`."""
    donnees = yaml.safe_load((RACINE / "exemples" / "score-risque-fraude-aides.yaml").read_text(encoding="utf-8"))
    donnees["mesures_en_place"] = [m for m in donnees["mesures_en_place"] if m != "M09"]
    donnees["mesures_prevues"] = [{"id": "M09", "echeance": "2027-03-01", "responsable": "DPO"},
                                  {"id": "M10", "echeance": "2027-03-01"}]
    chemin = tmp_path / "fraude.yaml"
    chemin.write_text(yaml.safe_dump(donnees, allow_unicode=True), encoding="utf-8")
    return chemin, donnees


def _elements_odt(chemin) -> list[str]:
    """Le texte de chaque élément de liste d'un .odt, lu dans son content.xml."""
    with zipfile.ZipFile(chemin) as z:
        racine = ET.fromstring(z.read("content.xml"))
    return ["".join(i.itertext()).strip() for i in racine.iter("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}list-item")]


def _tableaux_odt(doc) -> list[list[list[str]]]:
    return [[[c.text_content.strip() for c in r.get_cells()] for r in t.get_rows()] for t in doc.body.tables]


def test_odt_se_relit_et_contient_les_sections(tmp_path):
    cas, donnees = _cas(tmp_path)
    sortie = tmp_path / "d"
    r = _iag(str(cas), "-f", "odt", "-o", str(sortie))
    assert r.exit_code == 1, r.output  # élevé : au seuil par défaut, documents écrits
    assert sorted(p.name for p in sortie.iterdir()) == [
        ".iag-dossier.json", "aipd.odt", "analyse-droits-fondamentaux.odt", "consultations.odt",
        "fiche-validation.odt", "index.odt", "transparence.odt",
    ]
    chemin = sortie / "aipd.odt"
    # Le paquet OpenDocument : « mimetype » en premier, non compressé ; content.xml bien formé.
    with zipfile.ZipFile(chemin) as z:
        premier = z.infolist()[0]
        assert (premier.filename, premier.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        racine = ET.fromstring(z.read("content.xml"))
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
    assert ["".join(h.itertext()) for h in racine.iterfind(".//text:h", ns)] == TITRES_AIPD
    doc = odfdo.Document(str(chemin))
    assert [h.text for h in doc.body.headers] == TITRES_AIPD
    assert [h.get_attribute("text:outline-level") for h in doc.body.headers] == ["1"] + ["2"] * 9
    assert doc.meta.get_language() == "fr-FR"
    lignes = {ligne[0]: ligne[1] for t in _tableaux_odt(doc) for ligne in t}
    assert lignes["Finalité"] == " ".join(donnees["description"].split())
    assert lignes["Tâches confiées à l'outil"] == "analyse et classement"
    assert lignes["Hébergement"] == "prestataire dans l'Union européenne"
    assert lignes["Catégories de données"] == "données personnelles, données hautement personnelles, données de personnes vulnérables"
    assert lignes["Destinataires des productions"] == "l'agent seul"
    assert lignes["Responsable du traitement"] == "« à compléter »"
    texte = doc.get_formatted_text()
    assert not JETON.findall(texte), JETON.findall(texte)
    # L'AIPD (M09) n'est pas une mesure de l'AIPD ; M10 en est une.
    mesures = _elements_odt(chemin)
    assert any(m.startswith("M10 ") for m in mesures) and not any(m.startswith("M09 ") for m in mesures)
    # « à compléter » en gras (style automatique), jamais pris pour une réponse
    gras = {s.text for s in doc.body.get_spans(style="iag_fort")}
    assert "« à compléter »" in gras
    # En-tête de tableau lu comme tel
    assert racine.find(".//{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table-header-rows") is not None


def test_fiche_de_validation_dit_la_cause_en_mots(tmp_path):
    cas, _ = _cas(tmp_path)
    sortie = tmp_path / "d"
    assert _iag(str(cas), "-f", "odt", "-o", str(sortie)).exit_code == 1
    elements = _elements_odt(sortie / "fiche-validation.odt")
    (cause,) = [e for e in elements if e.startswith("Cause : ")]
    assert re.fullmatch(r"Cause : niveau résiduel le plus haut : « [^»]+ » \(R\d\d\)", cause), cause
    # La fiche, elle, recense bien l'AIPD prévue (M09) : seule l'AIPD ne se liste pas elle-même.
    assert any(e.startswith("M09 Analyse d'impact") for e in elements)


def test_docx_se_relit_et_contient_les_sections(tmp_path):
    cas, donnees = _cas(tmp_path)
    sortie = tmp_path / "d"
    r = _iag(str(cas), "-f", "docx", "-o", str(sortie))
    assert r.exit_code == 1, r.output
    chemin = sortie / "aipd.docx"
    with zipfile.ZipFile(chemin) as z:
        corps = ET.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert corps.find(f".//{w}tblHeader") is not None
    doc = docx.Document(str(chemin))
    titres = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith(("Heading", "Title"))]
    assert titres == TITRES_AIPD
    assert doc.core_properties.language == "fr-FR"
    lignes = {t.rows[i].cells[0].text: t.rows[i].cells[1].text for t in doc.tables for i in range(1, len(t.rows))}
    assert lignes["Finalité"] == " ".join(donnees["description"].split())
    assert lignes["Hébergement"] == "prestataire dans l'Union européenne"
    texte = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells])
    assert not JETON.findall(texte), JETON.findall(texte)
    assert any(run.bold and run.text == "« à compléter »" for t in doc.tables for row in t.rows
               for c in row.cells for p in c.paragraphs for run in p.runs)


def test_odt_modifie_n_est_pas_remplace_sans_force(tmp_path):
    cas, _ = _cas(tmp_path)
    sortie = tmp_path / "d"
    assert _iag(str(cas), "-f", "odt", "-o", str(sortie)).exit_code == 1
    aipd = sortie / "aipd.odt"
    doc = odfdo.Document(str(aipd))
    doc.body.append(odfdo.Paragraph("Avis du DPO : favorable."))
    doc.save(str(aipd))
    modifie = aipd.read_bytes()
    r = _iag(str(cas), "-f", "odt", "-o", str(sortie))
    assert r.exit_code == 2
    assert "aipd.odt" in r.stderr and "--force pour remplacer" in r.stderr
    assert aipd.read_bytes() == modifie  # rien de ce que le DPO a écrit n'est perdu


@pytest.mark.parametrize(("format", "module"), [("odt", "odfdo"), ("docx", "docx")])
def test_extra_bureautique_absent_message_et_code_2(tmp_path, monkeypatch, format, module):
    monkeypatch.setitem(sys.modules, module, None)  # import impossible, comme sans l'extra
    sortie = tmp_path / "d"
    r = _iag(str(RACINE / "exemples" / "traduction-site-web.yaml"), "-f", format, "-o", str(sortie))
    assert r.exit_code == 2
    assert r.stderr == (f"iag : le format {format} demande l'extra optionnel « bureautique » (bibliothèque {module} "
                        f"absente) : pip install 'iag[bureautique]'\n")
    assert not sortie.exists()


@pytest.mark.parametrize("format", ["odt", "docx"])
def test_texte_hostile_et_caracteres_de_controle(tmp_path, format):
    """Un caractère de contrôle (interdit en XML) devient son écriture visible ; du balisage reste du texte."""
    modele = (RACINE / "exemples" / "traduction-site-web.yaml").read_text(encoding="utf-8")
    cas = tmp_path / "hostile.yaml"
    titre = 'titre: "<text:p>Titre\\x01</text:p> & co"'  # \x01 : échappement YAML d'un caractère de contrôle
    cas.write_text(re.sub(r"^titre: .*$", lambda _: titre, modele, count=1, flags=re.M), encoding="utf-8")
    sortie = tmp_path / "d"
    r = _iag(str(cas), "-f", format, "-o", str(sortie))
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(sortie / f"fiche-validation.{format}") as z:
        xml = z.read("content.xml" if format == "odt" else "word/document.xml").decode("utf-8")
    ET.fromstring(xml)  # bien formé
    assert "&lt;text:p&gt;Titre\\x01&lt;/text:p&gt; &amp; co" in xml
