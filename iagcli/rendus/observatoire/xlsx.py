"""Registre public en classeur `.xlsx` (à côté du CSV), écrit avec XlsxWriter (extra optionnel
`bureautique`, importé seulement ici) : feuille « Registre » (une ligne par usage, en-têtes figés,
filtre automatique, texte renvoyé à la ligne), feuille « Colonnes » (définitions, fiche Etalab).

Chaque cellule est écrite comme du texte (`write_string`) : une valeur qui commence par `=` reste du
texte, jamais une formule, et une adresse n'est pas transformée en lien. Les caractères de contrôle
sont rendus visibles comme dans le CSV (`echapper`). Date de création du classeur : la date
d'évaluation (même lot, même fichier).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, TextIO

from ...echappement import echapper
from ...moteur.observatoire import COLONNES

if TYPE_CHECKING:
    from ...moteur.observatoire import CollecteurRegistre
    from ...moteur.referentiel import Referentiel

# Largeur des colonnes (en caractères) : les textes longs sont renvoyés à la ligne.
_LARGES = {"finalite": 60, "titre": 30, "taches": 30, "donnees": 30, "personnes_concernees": 24, "decision_individuelle": 30}


def octets(c: "CollecteurRegistre") -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]  # sans annotations de types publiées

    tampon = io.BytesIO()
    classeur = xlsxwriter.Workbook(tampon, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    classeur.set_properties({"title": "Registre des usages de l'IA générative", "created": dt.datetime.combine(c.date, dt.time())})
    entete = classeur.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8E8E8", "border": 1})
    texte = classeur.add_format({"text_wrap": True, "valign": "top"})
    feuille = classeur.add_worksheet("Registre")
    for j, col in enumerate(COLONNES):
        feuille.set_column(j, j, _LARGES.get(col.cle, 18), texte)
        feuille.write_string(0, j, col.titre, entete)
    for i, ligne in enumerate(c.lignes, 1):
        for j, col in enumerate(COLONNES):
            feuille.write_string(i, j, echapper(ligne[col.cle]), texte)
    feuille.freeze_panes(1, 1)  # en-têtes et nom de l'usage toujours visibles
    feuille.autofilter(0, 0, max(len(c.lignes), 1), len(COLONNES) - 1)
    definitions = classeur.add_worksheet("Colonnes")
    for j, (titre, largeur) in enumerate((("Colonne", 30), ("Définition", 70), ("Fiche Etalab", 50))):
        definitions.set_column(j, j, largeur, texte)
        definitions.write_string(0, j, titre, entete)
    for i, col in enumerate(COLONNES, 1):
        for j, valeur in enumerate((col.titre, col.definition, col.etalab)):
            definitions.write_string(i, j, valeur, texte)
    classeur.close()
    return tampon.getvalue()


def registre(c: "CollecteurRegistre", ref: "Referentiel", flux: TextIO) -> None:
    """Écrit le classeur dans `flux`, un fichier -o ouvert en écriture atomique : par son tampon binaire."""
    contenu = octets(c)
    flux.flush()
    flux.buffer.write(contenu)
