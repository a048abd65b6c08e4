"""Briques Rich communes aux rendus pour le terminal : console bornée, styles des niveaux, listes à
puces, matrice probabilité × gravité (carte de chaleur, placement des risques d'un cas).

Partagé par le rapport texte (`rendus/evaluation/texte.py`) et les consultations (`rendus/consultation.py`) :
un rapporteur n'importe pas l'affichage des consultations. Tout texte venu du référentiel ou d'un cas
passe par `Text` (jamais interprété comme balisage Rich).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Optional, TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Evaluation

LARGEUR_MAX = 100
SURLIGNAGE = Style(bold=True, color="yellow", underline=True)
TITRE = Style(bold=True)
DISCRET = Style(dim=True)


# commande suggérée, gardée sur une ligne : « iag plan FICHIER », « iag risques ID »
_COMMANDE = re.compile(r"\biag [a-z]+(?: [^\s;,()]+)?")
_INSECABLE = "\ue000"  # caractère privé, une colonne, jamais dans un rapport


def _plier_mots(texte: str, largeur: int) -> list[str]:
    """Pliage glouton aux espaces d'un texte dont chaque mot tient sur une ligne : celui de Rich
    (`Text.wrap`) pour un texte d'un seul style et de caractères d'une colonne, quatre fois moins cher."""
    lignes: list[str] = []
    courante = ""
    for mot in texte.split(" "):
        if courante and len(courante) + 1 + len(mot) <= largeur:
            courante += " " + mot
        else:
            if courante:
                lignes.append(courante)
            courante = mot
    lignes.append(courante)
    return lignes


def _proteger(texte: str) -> str:
    """Les espaces des commandes suggérées remplacés par `_INSECABLE`, le temps du pliage."""
    return _COMMANDE.sub(lambda m: m.group(0).replace(" ", _INSECABLE), texte) if "iag " in texte else texte


def _plier_glouton(protege: str, largeur: int) -> Optional[list[str]]:
    if "  " not in protege and not protege.startswith(" ") and "\n" not in protege \
            and cell_len(protege) == len(protege) and max(map(len, protege.split(" "))) <= largeur:
        # plié ici exactement comme Rich (tests/test_pourquoi_et_mots.py le vérifie), bien moins cher
        return [ligne.rstrip().replace(_INSECABLE, " ") for ligne in _plier_mots(protege, largeur)]
    return None


def plier_simple(texte: str, largeur: int) -> Optional[list[str]]:
    """Les lignes d'un texte d'un seul style plié à la largeur comme le ferait `plier`, quand le pliage
    glouton suffit (une colonne par caractère, chaque mot tient sur une ligne) ; None sinon."""
    return _plier_glouton(_proteger(texte), largeur)


def plier(console: Console, texte: Text, largeur: int) -> list[Text]:
    """Le texte plié à la largeur, sans jamais couper une commande suggérée (« iag plan exemples/x.yaml ») :
    ses espaces deviennent le temps du pliage un caractère de même largeur qui n'en est pas un (Rich plie
    aux espaces). Une commande plus longue que la ligne est repliée au caractère, comme tout mot trop long."""
    protege = _proteger(texte.plain)
    simples = None if texte.spans else _plier_glouton(protege, largeur)
    if simples is not None:
        return [Text(ligne, style=texte.style) for ligne in simples]
    if protege != texte.plain:
        texte = texte.copy()
        texte.plain = protege
    lignes = list(texte.wrap(console, largeur, overflow="fold"))
    for ligne in lignes:
        if _INSECABLE in ligne.plain:
            ligne.plain = ligne.plain.replace(_INSECABLE, " ")
    return lignes


def console(fichier: Optional[TextIO] = None) -> Console:
    """Console de sortie : largeur du terminal plafonnée, pas de coloration automatique."""
    from ...es.terminal import console as console_bornee

    return console_bornee(fichier or sys.stdout, LARGEUR_MAX)


def style_niveau(ref: "Referentiel", niveau: str) -> Style:
    # La couleur est validée au chargement du référentiel (modeles.referentiel.Niveau) : rien à rattraper.
    return Style.parse(ref.niveau_par_id[niveau].couleur)


def fond_niveau(ref: "Referentiel", niveau: str) -> Style:
    """Style de case de la carte de chaleur : la couleur du niveau en fond, texte contrasté."""
    style = style_niveau(ref, niveau)
    if style.bgcolor is not None or style.color is None:
        return style
    couleur = style.color
    try:
        if couleur.number is not None and couleur.number < 16:
            # Couleurs ANSI : leur rendu dépend du thème du terminal ; vert, jaune, cyan, blanc et
            # les teintes vives sont claires partout.
            sombre = couleur.number in (0, 1, 4, 5, 8, 9, 12, 13)
        else:
            r, v, b = couleur.get_truecolor()
            sombre = (0.299 * r + 0.587 * v + 0.114 * b) < 140
    except (AttributeError, ValueError, TypeError):  # couleur sans équivalent RVB (défaut du terminal)
        sombre = True
    return Style(color="white" if sombre else "black", bgcolor=couleur, bold=True)


def texte_niveau(ref: "Referentiel", niveau: str) -> Text:
    return Text(ref.niveau_par_id[niveau].libelle, style=style_niveau(ref, niveau))


def puces(console: Console, elements: Sequence[Text], puce: str = "•", retrait: int = 2) -> None:
    """Liste à puces avec retrait suspendu (les lignes suivantes s'alignent sur le texte). Une seule
    grille par liste : une grille par élément coûtait le tiers du temps de rendu d'un rapport."""
    grille = Table.grid(padding=(0, 1))
    grille.add_column(no_wrap=True)
    grille.add_column(ratio=1, overflow="fold")
    for e in elements:
        grille.add_row(puce, e)
    console.print(Padding(grille, (0, 0, 0, retrait)) if retrait else grille)


# --- Matrice ---------------------------------------------------------------------------------


def _grille(console: Console, ref: "Referentiel", case: Callable[[int, int, str], Text], titre: Optional[str] = None) -> Group:
    """Tableau probabilité (lignes, de la plus forte en haut à 1 en bas) × gravité (colonnes).

    Colonnes de gravité de largeur égale ; chaque case prend la couleur de son niveau en fond.
    """
    from ...moteur.consultation import textes_referentiel as KT  # ici : le rapport texte sans --matrice n'en a pas besoin

    etiquettes_g = [f"{g}\n{KT.libelle_palier(ref, 'gravite', g)}" for g in range(1, ref.g_max + 1)]
    etiquettes_p = [f"{p} {KT.libelle_palier(ref, 'probabilite', p)}" for p in range(ref.p_max, 0, -1)]
    # Colonne des probabilités : ses libellés sur une ligne si la place le permet.
    mot_long = max(len(m) for e in etiquettes_g for m in e.split())
    mot_long = max([mot_long] + [len(n.libelle) + 2 for n in ref.niveaux])  # « Critique » et ses marges
    gauche = max([len(e) + 2 for e in etiquettes_p] + [len("probabilité ↑") + 2])
    if (console.width - gauche - ref.g_max - 1) // ref.g_max < mot_long:
        gauche = max(16, console.width - ref.g_max - 1 - mot_long * ref.g_max)
    largeur = max(mot_long, min(max(len(e) for e in etiquettes_g) + 2, (console.width - gauche - ref.g_max - 1) // ref.g_max))
    table = Table(box=box.SQUARE, show_lines=True, padding=0, expand=False)
    table.add_column(Padding(Text("probabilité ↑\ngravité →", style=DISCRET), (0, 1)), width=gauche, vertical="middle")
    for e in etiquettes_g:
        table.add_column(Text(e, justify="center", overflow="fold"), justify="center", width=largeur)
    for p, etiquette in zip(range(ref.p_max, 0, -1), etiquettes_p, strict=True):
        cellules = []
        for g in range(1, ref.g_max + 1):
            niveau = ref.niveau_grille(p, g)
            contenu = case(p, g, niveau)
            contenu.justify = "center"
            cellules.append(Padding(contenu, (0, 1), style=fond_niveau(ref, niveau), expand=True))
        table.add_row(Padding(Text(etiquette), (0, 1)), *cellules)
    # Titre hors du tableau : replié à la largeur du terminal, pas à celle de la grille.
    return Group(Text(titre, style=TITRE), table) if titre else Group(table)


def legende(ref: "Referentiel") -> Table:
    grille = Table.grid(padding=(0, 1))
    grille.add_column(no_wrap=True)
    grille.add_column(ratio=1)
    for n in [*ref.niveaux, ref.risques_yaml.interdit]:
        pastille = Text(f" {n.libelle} ", style=fond_niveau(ref, n.id))
        grille.add_row(pastille, Text(" ".join(n.exigences.split()), style=DISCRET))
    return grille


def afficher_matrice(console: Console, ref: "Referentiel") -> None:
    """La grille du référentiel en carte de chaleur, échelles et niveaux libellés."""
    table = _grille(console, ref, lambda p, g, niveau: Text(ref.niveau_par_id[niveau].libelle), "Matrice des risques")
    console.print(table)
    console.print(Text("Niveaux et exigences", style=TITRE))
    console.print(legende(ref))


def placer_matrice(console: Console, ref: "Referentiel", evaluation: "Evaluation") -> None:
    """Place les risques d'une évaluation dans la grille, avant puis après les mesures en place.

    Sert à `iag evaluer FICHIER --matrice`. Une seule grille si aucune mesure ne change la cotation.
    """
    if not evaluation.risques:
        console.print(Text("Aucun risque à placer dans la matrice.", style=DISCRET))
        return
    from ...moteur.consultation import textes_referentiel as KT

    avant, apres = KT.placements(ref, evaluation)

    def remplir(cases: dict[tuple[int, int], list[str]]) -> Callable[[int, int, str], Text]:
        def case(p: int, g: int, niveau: str) -> Text:
            # Le libellé du niveau reste lisible sans couleur (NO_COLOR, journaux de CI).
            libelle = Text(ref.niveau_par_id[niveau].libelle.lower(), style=Style(dim=True, bold=False))
            ids = cases.get((p, g))
            if not ids:
                return libelle
            t = Text(" ".join(ids), style=Style(bold=True))
            t.append("\n")
            t.append_text(libelle)
            return t
        return case

    if avant == apres:
        console.print(_grille(console, ref, remplir(avant), "Risques dans la matrice (aucune mesure en place ne change leur cotation)"))
        return
    grilles = [
        _grille(console, ref, remplir(avant), "Avant les mesures (risque inhérent)"),
        _grille(console, ref, remplir(apres), "Après les mesures en place (risque résiduel)"),
    ]
    if console.width >= 150:
        cote = Table.grid(padding=(0, 3))
        cote.add_row(*grilles)
        console.print(cote)
    else:
        console.print(Group(grilles[0], Text(""), grilles[1]))
