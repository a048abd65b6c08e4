"""Documents du dossier en Office Open XML (`.docx`), écrits avec python-docx (extra optionnel
`bureautique`, importé seulement ici)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ...echappement import echapper
from ...moteur.dossier import DocumentRempli, Dossier
from .bureautique import Morceau, rendre_document, rendre_index

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


class _Docx:
    def __init__(self, titre: str) -> None:
        from docx import Document

        self.doc = Document()
        self.doc.core_properties.title = echapper(titre)
        self.doc.core_properties.language = "fr-FR"

    def titre(self, niveau: int, texte: str) -> None:
        self.doc.add_heading(texte, level=niveau)

    @staticmethod
    def _remplir(p: "Paragraph", morceaux: list[Morceau]) -> None:
        for texte, fort in morceaux:
            p.add_run(texte).bold = fort or None

    def paragraphe(self, morceaux: list[Morceau]) -> None:
        self._remplir(self.doc.add_paragraph(), morceaux)

    def liste(self, elements: list[str]) -> None:
        for e in elements:
            self.doc.add_paragraph(e, style="List Bullet")

    def tableau(self, entetes: list[str], lignes: list[list[Morceau]]) -> None:
        from docx.oxml import OxmlElement

        table = self.doc.add_table(rows=1, cols=len(entetes))
        table.style = "Table Grid"
        # Ligne d'en-tête répétée à chaque page et lue comme telle (w:tblHeader).
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cellule, e in zip(table.rows[0].cells, entetes, strict=True):
            self._remplir(cellule.paragraphs[0], [(e, True)])
        for ligne in lignes:
            for cellule, morceau in zip(table.add_row().cells, ligne, strict=True):
                self._remplir(cellule.paragraphs[0], [morceau])

    def octets(self) -> bytes:
        flux = io.BytesIO()
        self.doc.save(flux)
        return flux.getvalue()


def document(d: DocumentRempli, dossier: Dossier) -> bytes:
    return rendre_document(d, dossier, _Docx(d.titre))


def index(dossier: Dossier, extension: str) -> bytes:
    return rendre_index(dossier, extension, _Docx(f"Dossier : {dossier.titre}"))
