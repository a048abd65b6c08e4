"""Ce que partagent les pages HTML (rapport d'`evaluer`, synthèse, registre) : gabarit, feuille de
style, grille en SVG.

Règles de sûreté et d'accessibilité, pour toutes les pages :
- tout texte venu d'un fichier de cas, du référentiel ou d'un nom de fichier passe par `t` (échappement
  HTML, guillemets compris, après `echapper` qui rend visibles les caractères de contrôle) : il ne
  peut créer ni élément ni attribut ;
- une page autonome : style en ligne, aucun script, aucune ressource externe ; la politique CSP du
  `<meta>` interdit tout chargement (un texte mal échappé ne pourrait rien aller chercher) ;
- `lang="fr"`, titres dans l'ordre (h1 puis h2, h3), en-têtes de tableaux `<th scope>`, niveaux
  toujours écrits en toutes lettres (la couleur ne fait que doubler le texte), contrastes ≥ 4,5:1 ;
- impression A4, un cas par page (`@media print`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from ...echappement import echapper

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Couleurs de fond par rang de niveau (du plus faible à « interdit »), texte #1a1a1a ou blanc :
# chaque couple dépasse 4,5:1 de contraste (RGAA 3.2). La couleur double le libellé, jamais seule.
_FONDS = ("#d9f2dd", "#fbefc0", "#fbd9bd", "#f6c3c3", "#6b0f0f")
_TEXTE_CLAIR_A_PARTIR = 4

STYLE = """
:root { color: #1a1a1a; background: #ffffff; font-family: system-ui, sans-serif; line-height: 1.45; }
body { max-width: 60rem; margin: 1rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; border-bottom: 1px solid #555; margin-top: 2rem; }
h3 { font-size: 1.1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
th, td { border: 1px solid #595959; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
td.n, th.n { text-align: right; }
.niveau { display: inline-block; padding: 0 .35rem; border: 1px solid #1a1a1a; border-radius: .2rem; font-weight: bold; }
.n0 { background: #d9f2dd; } .n1 { background: #fbefc0; } .n2 { background: #fbd9bd; }
.n3 { background: #f6c3c3; } .n4 { background: #6b0f0f; color: #ffffff; }
.meta { color: #3d3d3d; }
.grilles { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; } figcaption { font-weight: bold; }
svg text { font-family: system-ui, sans-serif; }
.alerte { border-left: .3rem solid #8a1c1c; padding-left: .5rem; }
section.cas { page-break-inside: auto; }
article.usage { border: 1px solid #595959; border-radius: .3rem; padding: .2rem .8rem .5rem; margin: 0 0 1rem; }
article.usage h3 { margin: .4rem 0; }
article.usage dl { display: grid; grid-template-columns: minmax(10rem, 16rem) 1fr; gap: .15rem 1rem; margin: 0; }
article.usage dl div { display: contents; }
article.usage dt { font-weight: bold; } article.usage dd { margin: 0; overflow-wrap: anywhere; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  section.cas, section.vue { break-before: page; page-break-before: always; }
  section.cas:first-of-type, section.vue:first-of-type { break-before: auto; page-break-before: auto; }
  table, figure, tr, article.usage { break-inside: avoid; page-break-inside: avoid; }
  .niveau { border-width: 2px; }
}
"""


def t(texte: object) -> str:
    """Texte venu de l'extérieur, inerte en HTML (contenu d'élément comme valeur d'attribut)."""
    return html.escape(echapper(texte), quote=True)


def classe_niveau(ref: "Referentiel", niveau: str) -> str:
    return f"n{_rang_couleur(ref, niveau)}"


def _rang_couleur(ref: "Referentiel", niveau: str) -> int:
    """Rang de couleur : « interdit » (le plus haut rang) a la sienne ; les autres niveaux d'un
    référentiel qui en compterait plus de quatre partagent la plus forte."""
    rang = ref.rang[niveau]
    if rang == max(ref.rang.values()):
        return len(_FONDS) - 1
    return min(rang, len(_FONDS) - 2)


def niveau(ref: "Referentiel", ident: str) -> str:
    """Le niveau en toutes lettres, dans une pastille colorée (la couleur double le texte)."""
    return f'<span class="niveau {classe_niveau(ref, ident)}">{t(ref.niveau_par_id[ident].libelle)}</span>'


def debut_page(titre: str, sous_titre: Optional[str] = None) -> str:
    entete = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{t(titre)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{t(titre)}</h1>",
    ]
    if sous_titre:
        entete.append(f'<p class="meta">{t(sous_titre)}</p>')
    return "\n".join(entete) + "\n"


FIN_PAGE = "</main>\n</body>\n</html>\n"


def tableau(entetes: Iterable[str], lignes: Iterable[Iterable[str]], legende: Optional[str] = None,
            numeriques: Iterable[int] = ()) -> str:
    """Tableau : `entetes` et `legende` sont échappés ici ; les cellules arrivent déjà en HTML sûr.
    La première cellule de chaque ligne est l'en-tête de ligne (`th scope="row"`)."""
    nums = set(numeriques)
    sortie = ["<table>"]
    if legende:
        sortie.append(f"<caption>{t(legende)}</caption>")
    classe = ' class="n"'
    sortie.append("<thead><tr>" + "".join(
        f'<th scope="col"{classe if i in nums else ""}>{t(e)}</th>' for i, e in enumerate(entetes)) + "</tr></thead>")
    sortie.append("<tbody>")
    for ligne in lignes:
        cellules = list(ligne)
        rendu = []
        for i, c in enumerate(cellules):
            balise = "th" if i == 0 else "td"
            attr = ' scope="row"' if i == 0 else ""
            if i in nums:
                attr += ' class="n"'
            rendu.append(f"<{balise}{attr}>{c}</{balise}>")
        sortie.append("<tr>" + "".join(rendu) + "</tr>")
    sortie.append("</tbody></table>")
    return "\n".join(sortie) + "\n"


# Caractères par ligne dans une case de _CASE px (4 px de marge de chaque côté) : 0,65 em par caractère
# au plus en gras (identifiants « R12 »), 0,6 em pour le libellé du niveau.
_CASE = 92
_CARACTERES_CASE = int((_CASE - 8) / (0.65 * 13))  # 9 : deux identifiants par ligne
_CARACTERES_NIVEAU = int((_CASE - 8) / (0.6 * 11))  # 12


def grille_svg(ref: "Referentiel", titre: str, contenu: Callable[[int, int], str]) -> str:
    """La grille probabilité × gravité en SVG inline, chaque case nommée par son niveau en texte.

    `contenu(p, g)` : texte de la case (identifiants de risques, nombre), échappé ici."""
    case, marge_g, marge_h = _CASE, 40, 10
    pm, gm = ref.p_max, ref.g_max
    largeur, hauteur = marge_g + gm * case + 10, marge_h + pm * case + 40
    morceaux = [
        f'<figure><figcaption>{t(titre)}</figcaption>',
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{largeur}" height="{hauteur}" '
        f'viewBox="0 0 {largeur} {hauteur}" aria-label="{t(titre)}">',
        f"<title>{t(titre)}</title>",
    ]
    for p in range(pm, 0, -1):
        y = marge_h + (pm - p) * case
        morceaux.append(f'<text x="{marge_g - 8}" y="{y + case // 2 + 5}" text-anchor="end" font-size="13">P{p}</text>')
        for g in range(1, gm + 1):
            x = marge_g + (g - 1) * case
            niv = ref.grille[(p, g)]
            rang = _rang_couleur(ref, niv)
            fond = _FONDS[rang]
            encre = "#ffffff" if rang >= _TEXTE_CLAIR_A_PARTIR else "#1a1a1a"
            morceaux.append(f'<rect x="{x}" y="{y}" width="{case}" height="{case}" fill="{fond}" stroke="#1a1a1a"/>')
            # Chaque texte tient dans sa case : coupé au nombre de caractères que la case contient
            # (vérifié dans Chromium : tests/test_html.py) ; le libellé du niveau sur deux lignes au plus.
            etiquette = _couper(ref.niveau_par_id[niv].libelle, _CARACTERES_NIVEAU)[:2]
            for k, bout in enumerate(etiquette):
                morceaux.append(f'<text x="{x + 4}" y="{y + 14 + 12 * k}" font-size="11" fill="{encre}">{t(bout)}</text>')
            texte = contenu(p, g)
            if texte:
                for k, bout in enumerate(_couper(texte, _CARACTERES_CASE)[:4]):
                    morceaux.append(f'<text x="{x + case // 2}" y="{y + 24 + 12 * len(etiquette) + 15 * k}" text-anchor="middle" '
                                    f'font-size="13" font-weight="bold" fill="{encre}">{t(bout)}</text>')
    for g in range(1, gm + 1):
        x = marge_g + (g - 1) * case
        morceaux.append(f'<text x="{x + case // 2}" y="{marge_h + pm * case + 18}" text-anchor="middle" font-size="13">G{g}</text>')
    morceaux.append(f'<text x="{marge_g + gm * case // 2}" y="{hauteur - 4}" text-anchor="middle" font-size="12">'
                    f'gravité → (P : probabilité)</text>')
    morceaux.append("</svg></figure>")
    return "\n".join(morceaux) + "\n"


def _couper(texte: str, largeur: int) -> list[str]:
    lignes: list[str] = []
    courant = ""
    for mot in texte.split():
        if courant and len(courant) + 1 + len(mot) > largeur:
            lignes.append(courant)
            courant = mot
        else:
            courant = f"{courant} {mot}".strip()
    if courant:
        lignes.append(courant)
    return lignes
