"""Documents du dossier en OpenDocument texte (`.odt`, ISO/IEC 26300, format du référentiel général
d'interopérabilité), écrits avec odfdo (extra optionnel `bureautique`, importé seulement ici)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ...echappement import echapper
from ...moteur.dossier import DocumentRempli, Dossier
from .bureautique import Morceau, rendre_document, rendre_index

if TYPE_CHECKING:
    from odfdo import Paragraph

_FORT = "iag_fort"


class _Odt:
    def __init__(self, titre: str) -> None:
        from odfdo import Document, Style

        self.doc = Document("text")
        self.doc.body.clear()
        self.doc.meta.set_title(echapper(titre))
        self.doc.meta.set_language("fr-FR")
        self.doc.insert_style(Style("text", name=_FORT, bold=True), automatic=True)

    def titre(self, niveau: int, texte: str) -> None:
        from odfdo import Header

        # Styles du gabarit d'odfdo : titres de la suite bureautique (plan du document, navigateur).
        self.doc.body.append(Header(niveau, texte, style=f"Heading_20_{niveau}"))

    def _paragraphe(self, morceaux: list[Morceau]) -> "Paragraph":
        from odfdo import Paragraph, Span

        p = Paragraph(style="Text_20_body")
        for texte, fort in morceaux:
            if fort:
                p.append(Span(texte, style=_FORT))
            else:
                p.append_plain_text(texte)
        return p

    def paragraphe(self, morceaux: list[Morceau]) -> None:
        self.doc.body.append(self._paragraphe(morceaux))

    def liste(self, elements: list[str]) -> None:
        from odfdo import List

        self.doc.body.append(List(elements, style="List_20_1"))  # liste à puces du gabarit

    def tableau(self, entetes: list[str], lignes: list[list[Morceau]]) -> None:
        from odfdo import Cell, Column, HeaderRows, Row, Table

        def rangee(morceaux: list[Morceau]) -> Row:
            r = Row()
            for morceau in morceaux:
                cellule = Cell()
                cellule.append(self._paragraphe([morceau]))
                r.append(cellule)
            return r

        table = Table(f"Tableau{len(self.doc.body.tables) + 1}")
        table.append(Column(repeated=len(entetes)))
        entete = HeaderRows()  # lignes d'en-tête : répétées à chaque page, lues comme telles
        entete.append(rangee([(e, True) for e in entetes]))
        table.append(entete)
        for ligne in lignes:
            table.append(rangee(ligne))
        self.doc.body.append(table)

    def octets(self) -> bytes:
        flux = io.BytesIO()
        self.doc.save(flux)
        return flux.getvalue()


def document(d: DocumentRempli, dossier: Dossier) -> bytes:
    return rendre_document(d, dossier, _Odt(d.titre))


def index(dossier: Dossier, extension: str) -> bytes:
    return rendre_index(dossier, extension, _Odt(f"Dossier : {dossier.titre}"))
