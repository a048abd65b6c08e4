"""Documents du dossier pour une suite bureautique (`odt.py`, `docx.py`) : le parcours d'un document,
commun aux deux formats (l'extra optionnel `bureautique` :
`rendus/commun/bureautique.py`).

Même contenu et même ordre que les formats Markdown et HTML : titre, cas et verdict, « Exigé par »,
puis chaque section (texte, éléments calculés, tableau des champs, le marqueur « à compléter » en gras).
Un format n'écrit que des titres, des paragraphes, des listes et des tableaux (`Constructeur`) ; la
bibliothèque du format échappe le texte (XML), aucun texte n'y devient du balisage.
"""

from __future__ import annotations

from typing import Protocol

from ...echappement import echapper
from ...moteur.dossier import DocumentRempli, Dossier

Morceau = tuple[str, bool]  # (texte, en gras)


class _Echappe:
    """Le constructeur d'un format, chaque texte passé d'abord par `echapper` : un caractère de contrôle
    venu d'un cas (interdit en XML) devient son écriture visible au lieu de faire échouer l'écriture."""

    def __init__(self, c: "Constructeur") -> None:
        self.c = c

    def titre(self, niveau: int, texte: str) -> None:
        self.c.titre(niveau, echapper(texte))

    def paragraphe(self, morceaux: list[Morceau]) -> None:
        self.c.paragraphe([(echapper(x), fort) for x, fort in morceaux])

    def liste(self, elements: list[str]) -> None:
        self.c.liste([echapper(x) for x in elements])

    def tableau(self, entetes: list[str], lignes: list[list[Morceau]]) -> None:
        self.c.tableau([echapper(x) for x in entetes], [[(echapper(x), fort) for x, fort in ligne] for ligne in lignes])

    def octets(self) -> bytes:
        return self.c.octets()


class Constructeur(Protocol):
    def titre(self, niveau: int, texte: str) -> None: ...
    def paragraphe(self, morceaux: list[Morceau]) -> None: ...
    def liste(self, elements: list[str]) -> None: ...
    def tableau(self, entetes: list[str], lignes: list[list[Morceau]]) -> None: ...
    def octets(self) -> bytes: ...


def _sous_titre(dossier: Dossier) -> str:
    date = dossier.date.isoformat() if dossier.date else "date du jour"
    return f"Cas d'usage : {dossier.titre} — verdict : {dossier.verdict} — évalué au {date}."


def rendre_document(d: DocumentRempli, dossier: Dossier, format: Constructeur) -> bytes:
    c = _Echappe(format)
    c.titre(1, d.titre)
    c.paragraphe([(_sous_titre(dossier), False)])
    c.titre(2, "Exigé par")
    c.liste([r.phrase(str) for r in d.raisons])
    for s in d.sections:
        c.titre(2, s.titre)
        if s.texte:
            c.paragraphe([(s.texte, False)])
        if s.elements:
            c.liste(list(s.elements))
        if s.champs:
            c.tableau(["champ", "valeur"], [[(x.libelle, False), (x.valeur, False) if x.valeur is not None
                                             else (dossier.a_completer, True)] for x in s.champs])
    c.paragraphe([("Document préparé par iag : chaque ", False), (dossier.a_completer, True),
                  (" reste à renseigner par le projet.", False)])
    return c.octets()


def rendre_index(dossier: Dossier, extension: str, format: Constructeur) -> bytes:
    c = _Echappe(format)
    c.titre(1, f"Dossier : {dossier.titre}")
    c.paragraphe([(_sous_titre(dossier), False)])
    c.tableau(["document", "fichier", "exigé par"],
              [[(d.titre, False), (d.fichier + extension, False), (" ; ".join(r.phrase(str) for r in d.raisons), False)]
               for d in dossier.documents])
    return c.octets()
