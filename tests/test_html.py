"""Rapports HTML : page autonome et sûre, vérifiée par un analyseur HTML5, puis dans Chromium."""

import os
import re
import shutil

import html5lib
import navigateur
import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.rendus.commun.html import CSP

from conftest import RACINE

EXEMPLES = RACINE / "exemples"
HOSTILE = RACINE / "tests" / "corpus" / "hostile"
DATE = "2026-11-30"
NS = "{http://www.w3.org/1999/xhtml}"


def iag(*args):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def balises(page: str) -> set[tuple[str, frozenset]]:
    """(élément, noms d'attributs) de chaque élément, tels qu'un navigateur les construit (WHATWG)."""
    arbre = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=True)
    return {(e.tag.split("}")[-1], frozenset(e.attrib)) for e in arbre.iter() if isinstance(e.tag, str)}


def elements(page: str) -> set[str]:
    return {nom for nom, _ in balises(page)}


@pytest.fixture(scope="module")
def gabarit(tmp_path_factory):
    """Éléments et attributs du gabarit : pages des exemples (cas évalués, fichier invalide) et du
    modèle d'`iag nouveau` intact (cas incomplet, règles à confirmer)."""
    modele = tmp_path_factory.mktemp("gabarit") / "modele.yaml"
    iag("nouveau", str(modele))
    ensemble = set()
    for args in (["evaluer", str(modele), "-f", "html"],["evaluer", str(EXEMPLES), "-f", "html"],
                 ["synthese", str(EXEMPLES), str(HOSTILE / "mauvais-types.yaml"), "-f", "html", "--horizon", "13"],
                 ["registre", str(EXEMPLES), "-f", "html"],
                 ["evaluer", str(HOSTILE / "vide.yaml"), "-f", "html"]):
        ensemble |= balises(iag(*args, "--date", DATE).stdout)
    return ensemble


def hostiles(tmp_path):
    """Le corpus hostile, plus un cas valide dont chaque texte et le nom de fichier tentent une injection."""
    d = tmp_path / "hostile"
    shutil.copytree(HOSTILE, d, ignore=shutil.ignore_patterns("configurations"))
    piege = '"><img src=x onerror=alert(1)><script>alert(2)</script></title><style>*{display:none}</style>'
    modele = (EXEMPLES / "traduction-site-web.yaml").read_text(encoding="utf-8")
    cas = re.sub(r"^titre: .*$", f"titre: '{piege} <svg onload=alert(3)>'", modele, count=1, flags=re.M)
    cas = cas.replace("service: Direction de la communication", f"service: '{piege}'")
    cas += f"mesures_prevues:\n  - {{id: M10, echeance: 2026-10-01, responsable: '{piege}'}}\n"
    (d / "<b onmouseover=x>nom.yaml").write_text(cas, encoding="utf-8")
    return d


def test_page_autonome_accessible():
    page = iag("evaluer", str(EXEMPLES / "tri-candidatures-rh.yaml"), "--date", DATE, "-f", "html").stdout
    arbre = html5lib.parse(page, treebuilder="etree")
    assert arbre.get("lang") == "fr"
    csp = [m for m in arbre.iter(f"{NS}meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert [m.get("content") for m in csp] == [CSP]
    noms = elements(page)
    assert not noms & {"script", "link", "iframe", "object", "embed", "img", "form", "base"}
    # Titres dans l'ordre : un h1, puis des h2 et h3 sans saut de niveau.
    niveaux = [int(e.tag[-1]) for e in arbre.iter() if isinstance(e.tag, str) and re.fullmatch(rf"{re.escape(NS)}h[1-6]", e.tag)]
    assert niveaux[0] == 1 and niveaux.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(niveaux, niveaux[1:], strict=False))
    # En-têtes de tableaux réels, niveaux écrits en toutes lettres.
    assert all(th.get("scope") in ("col", "row") for th in arbre.iter(f"{NS}th"))
    assert "Verdict : Élevé" in "".join(arbre.itertext())
    assert "@media print" in page and "size: A4" in page and "page-break-before: always" in page
    assert page.count("<svg") == 2 and "<text" in page


def test_corpus_hostile_n_ajoute_ni_element_ni_attribut(tmp_path, gabarit):
    d = hostiles(tmp_path)
    for args in (["evaluer", str(d), "-f", "html"], ["synthese", str(d), "-f", "html"], ["registre", str(d), "-f", "html"]):
        r = iag(*args, "--date", DATE)
        assert r.exit_code == 3, r.output  # le corpus contient des fichiers invalides
        trouvees = balises(r.stdout)
        assert trouvees <= gabarit, trouvees - gabarit
        assert "<script" not in r.stdout and "onerror=" not in r.stdout.replace("onerror=alert", "")
    page = iag("evaluer", str(d / "<b onmouseover=x>nom.yaml"), "--date", DATE, "-f", "html").stdout
    texte = "".join(html5lib.parse(page, treebuilder="etree").itertext())
    assert "<svg onload=alert(3)>" in texte  # affiché comme du texte, pas interprété
    assert "<b onmouseover=x>nom.yaml" in texte


def cas_avec_prevues(tmp_path):
    """Un cas au-dessus du seuil « modéré », une mesure prévue en retard au responsable hostile, une à venir."""
    cas = tmp_path / "cr.yaml"
    cas.write_text((EXEMPLES / "synthese-comptes-rendus.yaml").read_text(encoding="utf-8")
                   + "mesures_prevues:\n"
                   + "  - {id: M10, echeance: 2026-10-01, responsable: '<img src=x onerror=alert(1)>DSI & co'}\n"
                   + "  - {id: M05, echeance: 2027-03-01}\n", encoding="utf-8")
    return cas


def _section(arbre, titre: str):
    """Les éléments qui suivent le h3 `titre` dans sa section, jusqu'au h3 suivant."""
    for section in arbre.iter(f"{NS}section"):
        enfants = list(section)
        for i, e in enumerate(enfants):
            if e.tag == f"{NS}h3" and "".join(e.itertext()) == titre:
                suite = []
                for x in enfants[i + 1:]:
                    if x.tag == f"{NS}h3":
                        break
                    suite.append(x)
                return suite
    raise AssertionError(f"pas de section « {titre} »")


def test_mesures_prevues_et_plan_dans_le_html(tmp_path):
    """Issue 11f : le HTML montre ce que montrent le texte et le Markdown (mesures prévues, plan)."""
    cas = cas_avec_prevues(tmp_path)
    r = iag("evaluer", str(cas), "--date", DATE, "--seuil", "modéré", "-f", "html")
    assert r.exit_code == 1, r.output
    arbre = html5lib.parse(r.stdout, treebuilder="etree")
    suite = _section(arbre, "Mesures prévues")
    (table,) = [e for e in suite if e.tag == f"{NS}table"]
    rangees = [["".join(c.itertext()) for c in tr] for tr in table.iter(f"{NS}tr")]
    assert rangees == [
        ["Mesure", "Intitulé", "Échéance", "Responsable", "État"],
        ["M10", "Contrat de sous-traitance conforme à l'article 28 du RGPD", "2026-10-01", "<img src=x onerror=alert(1)>DSI & co",
         "EN RETARD (échéance passée)"],
        ["M05", "Filtrage des entrées et des sorties", "2027-03-01", "non renseigné", "dans les délais"],
    ]
    assert "img" not in elements(r.stdout)  # le responsable reste du texte
    # le retard est écrit, pas seulement signalé par la couleur
    assert [s.text for s in table.iter(f"{NS}strong")] == ["EN RETARD (échéance passée)"]
    paragraphes = ["".join(p.itertext()) for p in suite if p.tag == f"{NS}p"]
    assert paragraphes == ["Après les mesures prévues (M10, M05) : « Modéré »",
                           "Mesures prévues en retard : M10 (échéance 2026-10-01)",
                           "Sous le seuil : plan le plus court vers « Faible » : 1 étape : L06 (iag plan)"]
    # mot pour mot les lignes de fin du Markdown, dans le même ordre
    markdown = iag("evaluer", str(cas), "--date", DATE, "--seuil", "modéré", "-f", "markdown").stdout
    fin = markdown.split("**Recommandations**", 1)[1].split("### Synthèse", 1)[0]
    assert [x[2:-2] for x in fin.splitlines() if x.startswith("**") and x != "**Mesures prévues**"] == paragraphes
    # et le même tableau des mesures prévues (responsable, échéance, état écrit)
    assert [x for x in fin.splitlines() if x.startswith("| M") and not x.startswith("| Mesure")] == [
        "| M10 | Contrat de sous-traitance conforme à l'article 28 du RGPD | 2026-10-01 | &lt;img src=x onerror=alert(1)&gt;DSI &amp; co | **EN RETARD (échéance passée)** |",
        "| M05 | Filtrage des entrées et des sorties | 2027-03-01 | non renseigné | dans les délais |",
    ]
    # le texte aussi, une puce par mesure prévue
    texte = CliRunner().invoke(app, ["evaluer", str(cas), "--date", DATE, "--seuil", "modéré"], env={"COLUMNS": "200"}).stdout
    bloc = texte.split("Mesures prévues\n", 1)[1].split("\n\n", 1)[0]
    assert [x.strip() for x in bloc.splitlines() if x.lstrip().startswith("•")] == [
        "• M10 Contrat de sous-traitance conforme à l'article 28 du RGPD — échéance 1er octobre 2026, responsable <img src=x onerror=alert(1)>DSI & co : EN RETARD (échéance passée)",
        "• M05 Filtrage des entrées et des sorties — échéance 1er mars 2027, responsable non renseigné : dans les délais",
    ]


def test_html_sans_mesure_prevue_ni_plan(tmp_path):
    """Sous le seuil et sans mesure prévue : aucune section vide."""
    page = iag("evaluer", str(EXEMPLES / "synthese-comptes-rendus.yaml"), "--date", DATE, "--seuil", "élevé", "-f", "html").stdout
    assert "Verdict : " in page and "Mesures prévues" not in page and "Plan sous le seuil" not in page
    page = iag("evaluer", str(EXEMPLES / "synthese-comptes-rendus.yaml"), "--date", DATE, "--seuil", "modéré", "-f", "html").stdout
    arbre = html5lib.parse(page, treebuilder="etree")
    assert ["".join(p.itertext()) for p in _section(arbre, "Plan sous le seuil")] == [
        "Sous le seuil : plan le plus court vers « Faible » : 1 étape : L06 (iag plan)"]


# --- Dans un vrai navigateur -------------------------------------------------------------

# En CI (variable CI), jamais sauté : .ci/run installe Chromium, un navigateur absent doit faire échouer.
pytestmark_navigateur = pytest.mark.skipif(not navigateur.disponible() and not os.environ.get("CI"),
                                           reason="Chromium absent (.ci/run l'installe)")


@pytest.fixture(scope="module")
def chromium():
    b = navigateur.Navigateur()
    yield b
    b.fermer()


@pytestmark_navigateur
def test_le_detecteur_voit_requetes_et_erreurs(chromium, tmp_path):
    """Sans ce témoin, « aucune requête, aucune erreur » ne prouverait rien."""
    page = tmp_path / "temoin.html"
    page.write_text('<!DOCTYPE html><html lang="fr"><meta charset="utf-8"><body><p>témoin</p><img src="http://127.0.0.1:9/x.png">'
                    "<script>console.error('erreur témoin')</script></body></html>", encoding="utf-8")
    p = chromium.ouvrir(page)
    assert p.requetes == ["http://127.0.0.1:9/x.png"]
    assert "erreur témoin" in p.erreurs_console
    vide = tmp_path / "vide.html"
    vide.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    assert navigateur.part_non_blanche(chromium.ouvrir(vide).capture) == 0


@pytestmark_navigateur
@pytest.mark.parametrize("commande, attendu", [
    (["evaluer", str(EXEMPLES), "-f", "html"], ["Verdict : Interdit", "Verdict : Faible", "Bilan", "Retour au bilan"]),
    (["evaluer", str(EXEMPLES / "score-risque-fraude-aides.yaml"), "-f", "html"], ["Verdict : Élevé"]),
    (["synthese", str(EXEMPLES), "-f", "html"], ["Synthèse du portefeuille", "Interdit", "Travail juridique à prévoir"]),
    (["registre", str(EXEMPLES), "-f", "html"], ["Registre des usages", "Modéré", "5 usages publiés · 4 projets au stade de l'idée, non publiés"]),
])
def test_rapports_dans_chromium(chromium, tmp_path, commande, attendu):
    fichier = tmp_path / "rapport.html"
    r = iag(*commande, "--date", DATE, "-o", f"html:{fichier}")
    assert r.exit_code in (0, 1), r.output
    p = chromium.ouvrir(fichier)
    assert p.erreurs_console == []
    assert p.requetes == []
    assert navigateur.part_non_blanche(p.capture) > 0.01
    for texte in attendu:
        assert texte in p.texte


@pytestmark_navigateur
def test_mesures_prevues_dans_chromium(chromium, tmp_path):
    fichier = tmp_path / "prevues.html"
    r = iag("evaluer", str(cas_avec_prevues(tmp_path)), "--date", DATE, "--seuil", "modéré", "-o", f"html:{fichier}")
    assert r.exit_code == 1, r.output
    p = chromium.ouvrir(fichier)
    assert p.erreurs_console == [] and p.requetes == []
    for texte in ("Mesures prévues", "<img src=x onerror=alert(1)>DSI & co", "EN RETARD (échéance passée)",
                  "Sous le seuil : plan le plus court vers « Faible » : 1 étape : L06 (iag plan)"):
        assert texte in p.texte


@pytestmark_navigateur
def test_corpus_hostile_dans_chromium(chromium, tmp_path):
    d = hostiles(tmp_path)
    fichier = tmp_path / "hostile.html"
    iag("evaluer", str(d), "--date", DATE, "-o", f"html:{fichier}", "-q")
    p = chromium.ouvrir(fichier)
    assert p.erreurs_console == [] and p.requetes == []
    assert "<svg onload=alert(3)>" in p.texte


def _luminance(couleur: str) -> float:
    def canal(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(couleur[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * canal(r) + 0.7152 * canal(g) + 0.0722 * canal(b)


def _contraste(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrastes_rgaa():
    """Chaque couple texte / fond des pages dépasse 4,5:1 (pastilles de niveau, cases de la grille, en-têtes)."""
    from iagcli.rendus.commun import html as html_commun

    for rang, fond in enumerate(html_commun._FONDS):
        encre = "#ffffff" if rang >= html_commun._TEXTE_CLAIR_A_PARTIR else "#1a1a1a"
        assert _contraste(encre, fond) >= 4.5, (fond, encre)
        assert re.search(rf"\.n{rang} {{ background: {fond};", html_commun.STYLE), fond  # même palette en CSS et en SVG
    for encre, fond in (("#1a1a1a", "#ffffff"), ("#3d3d3d", "#ffffff"), ("#1a1a1a", "#e8e8e8")):
        assert _contraste(encre, fond) >= 4.5


# --- Rapport d'un lot (issue 23, point 7) : bilan d'abord, sommaire, grille lisible ---------------------

def _lot_dense(tmp_path):
    """Les exemples, plus un cas dont beaucoup de risques tombent dans les mêmes cases de la grille."""
    d = tmp_path / "lot"
    shutil.copytree(EXEMPLES, d)
    modele = (EXEMPLES / "chatbot-usagers-hors-ue.yaml").read_text(encoding="utf-8")
    (d / "dense.yaml").write_text(modele.replace("titre: ", "titre: Dense — ", 1), encoding="utf-8")
    return d


def test_lot_bilan_d_abord_et_sommaire_avec_liens(tmp_path):
    r = iag("evaluer", str(_lot_dense(tmp_path)), "-f", "html", "--date", DATE)
    assert r.exit_code == 1
    arbre = html5lib.parse(r.stdout, treebuilder="etree")
    assert arbre.get("lang") == "fr"
    corps = arbre.find(f"{NS}body/{NS}main")
    titres = [(e.tag.split("}")[-1], "".join(e.itertext())) for e in corps.iter() if e.tag in (f"{NS}h1", f"{NS}h2")]
    assert titres[:2] == [("h1", "Évaluation iag"), ("h2", "Bilan")]  # le bilan d'abord
    sections = corps.findall(f"{NS}section")
    assert sections[0].get("id") == "bilan" and all(s.get("class") == "cas" for s in sections[1:])
    assert len(sections) == 1 + 10
    nav = sections[0].find(f"{NS}nav")
    assert nav.get("aria-label") == "Sommaire des cas"
    # une ligne par cas (en-tête de ligne th scope=row), chacune liée à sa section, dans l'ordre du rapport
    lignes = nav.findall(f".//{NS}tbody/{NS}tr")
    assert len(lignes) == 10 and all(ligne[0].tag == f"{NS}th" and ligne[0].get("scope") == "row" for ligne in lignes)
    cibles = [ligne.find(f".//{NS}a").get("href") for ligne in lignes]
    assert cibles == [f"#{s.get('id')}" for s in sections[1:]] == [f"#cas-{i}" for i in range(1, 11)]
    # chaque ligne nomme le cas de la section qu'elle vise
    for ligne, section in zip(lignes, sections[1:], strict=True):
        assert "".join(ligne[1].itertext()) == "".join(section.find(f"{NS}h2").itertext())
    assert [th.get("scope") for th in nav.iterfind(f".//{NS}thead//{NS}th")] == ["col"] * 3
    assert "".join(sections[0].find(f"{NS}p").itertext()).startswith("10 fichier")


@pytestmark_navigateur
def test_lot_dans_chromium_liens_et_grille_lisible(chromium, tmp_path):
    fichier = tmp_path / "lot.html"
    r = iag("evaluer", str(_lot_dense(tmp_path)), "-f", "html", "--date", DATE, "-o", f"html:{fichier}")
    assert r.exit_code == 1
    mesures = {
        "premier_titre": "document.querySelector('main h2').textContent",
        "liens_sans_cible": "[...document.querySelectorAll('nav a')].filter(a => !document.getElementById(a.hash.slice(1))).length",
        "liens": "document.querySelectorAll('nav a').length",
        # Chaque texte d'une case de grille tient dans sa case (2 px de marge) : « R03 R07 R10 » débordait (93 px pour 92).
        "debordements": """(() => { const sortie = [];
            for (const svg of document.querySelectorAll('svg')) {
              const cases = [...svg.querySelectorAll('rect')].map(r => r.getBBox());
              for (const texte of svg.querySelectorAll('text')) {
                const b = texte.getBBox(), cx = b.x + b.width / 2, cy = b.y + b.height / 2;
                const c = cases.find(r => cx >= r.x && cx <= r.x + r.width && cy >= r.y && cy <= r.y + r.height);
                if (c && (b.x < c.x + 2 || b.x + b.width > c.x + c.width - 2 || b.y < c.y || b.y + b.height > c.y + c.height))
                  sortie.push(texte.textContent + ' : ' + Math.round(b.width) + ' px');
              } }
            return sortie; })()""",
        "textes_de_cases": "[...document.querySelectorAll('svg text[font-weight=bold]')].length",
        "largeur": "document.documentElement.scrollWidth",
    }
    p = chromium.ouvrir(fichier, largeur=1280, mesures=mesures)
    assert p.erreurs_console == [] and p.requetes == []
    assert p.mesures["premier_titre"] == "Bilan"
    assert p.mesures["liens"] == 20 and p.mesures["liens_sans_cible"] == 0  # fichier et titre de chaque cas
    assert p.mesures["textes_de_cases"] > 50  # la mesure porte bien sur des identifiants
    assert p.mesures["debordements"] == []
    assert p.mesures["largeur"] == 1280
