"""Format HTML du référentiel publié : un seul fichier autonome (aucune ressource externe, CSP qui
interdit toute requête), `lang="fr"`, chaque texte échappé par `html.escape`."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, TextIO

from ...moteur.maintenance.publication import Liste, Paragraphe, Tableau
from ..evaluation.constats import nettoyer

if TYPE_CHECKING:
    from ...moteur.maintenance.publication import Section

# Styles en ligne seulement (autorisés par la CSP) ; ni script, ni image, ni police externe.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
         "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .5rem;vertical-align:top;text-align:left}"
         "th{background:#eee}h2{border-bottom:2px solid #333;margin-top:2.5rem}")


def _e(texte: object) -> str:
    return escape(nettoyer(texte), quote=True)


def publication(flux: TextIO, titre: str, sections: "list[Section]") -> None:
    flux.write('<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
               f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
               '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
               f"<title>{_e(titre)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{_e(titre)}</h1>\n")
    flux.write("<nav><ul>\n" + "".join(f'<li><a href="#{_e(s.ancre)}">{_e(s.titre)}</a></li>\n' for s in sections if s.niveau == 2) + "</ul></nav>\n")
    for s in sections:
        ancre = f' id="{_e(s.ancre)}"' if s.ancre else ""
        flux.write(f"<h{s.niveau}{ancre}>{_e(s.titre)}</h{s.niveau}>\n")
        for b in s.blocs:
            if isinstance(b, Paragraphe):
                flux.write(f"<p>{_e(b.texte)}</p>\n")
            elif isinstance(b, Liste):
                flux.write("<ul>\n" + "".join(f"<li>{_e(x)}</li>\n" for x in b.elements) + "</ul>\n")
            elif isinstance(b, Tableau):
                flux.write("<table>\n<thead><tr>" + "".join(f"<th>{_e(x)}</th>" for x in b.entetes) + "</tr></thead>\n<tbody>\n")
                flux.write("".join("<tr>" + "".join(f"<td>{_e(x)}</td>" for x in ligne) + "</tr>\n" for ligne in b.lignes))
                flux.write("</tbody>\n</table>\n")
    flux.write("</body>\n</html>\n")
