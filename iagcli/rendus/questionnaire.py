"""Questionnaire interactif d'`iag nouveau --interactif` : pose les questions dérivées du schéma
(`moteur.consultation.questionnaire`) dans le terminal, avec Rich importé à l'appel. La lecture d'une
réponse est injectée (`demander`) par le CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from ..moteur.consultation.questionnaire import (
    A_COMPLETER,
    Question,
    ReponseInvalide,
    Section,
    lire_reponse,
    questions,
    texte_defaut,
    valeur_initiale,
)

if TYPE_CHECKING:
    from rich.columns import Columns
    from rich.console import Console
    from rich.table import Table


def _choix(q: Question, compact: bool = False) -> "Table | Columns":
    """Valeurs numérotées, en colonnes ; un numéro n'est jamais séparé de sa valeur.

    Des valeurs définies (schéma v2) sont listées une par ligne, chacune suivie de sa définition ;
    `compact` : chaque définition tient sur sa ligne (coupée), pour que la question reste visible.
    """
    from rich.columns import Columns
    from rich.table import Table
    from rich.text import Text

    from .commun.affichage import DISCRET, TITRE

    if q.definitions:
        grille = Table.grid(padding=(0, 1))
        grille.add_column(justify="right", style=TITRE, no_wrap=True)
        grille.add_column(no_wrap=True)
        grille.add_column(style=DISCRET, no_wrap=compact, overflow="ellipsis" if compact else "fold")
        for i, (v, d) in enumerate(zip(q.valeurs, q.definitions, strict=False), 1):
            grille.add_row(str(i), v, d)
        return grille
    elements = []
    for i, v in enumerate(q.valeurs, 1):
        t = Text()
        t.append(f"{i}", style=TITRE)
        t.append(f" {v}")
        elements.append(t)
    return Columns(elements, padding=(0, 3))


# Lignes gardées pour le titre de la question, les consignes et l'invite sous la liste des valeurs.
MARGE_QUESTION = 10


def poser_questions(
    console: "Console",
    demander: Callable[..., str],
    mesures: Sequence[tuple[str, str]] = (),
    reponses_initiales: Optional[dict[tuple[str, ...], Any]] = None,
    seulement: Optional[Sequence[Question]] = None,
    pertinente: Optional[Callable[[tuple[str, ...], dict[tuple[str, ...], Any]], bool]] = None,
    en_cours: Optional[dict[tuple[str, ...], Any]] = None,
) -> dict[tuple[str, ...], Any]:
    """Pose chaque question (ou seulement celles données) ; rend {chemin: valeur}.

    `demander(texte, default=...)` lit une réponse (typer.prompt) ; une réponse refusée est
    expliquée puis redemandée. `pertinente(chemin, réponses)` : faux pour une question que les
    réponses déjà données rendent sans objet (le référentiel le dit : `pertinence`) ; elle est sautée
    et reste absente du fichier. `en_cours` reçoit chaque réponse dès qu'elle est donnée (brouillon
    sur Ctrl-C).
    """
    from rich.padding import Padding
    from rich.style import Style
    from rich.text import Text

    from .commun.affichage import DISCRET, TITRE, puces
    from .consultation import _id_titre, _majuscule

    reponses = en_cours if en_cours is not None else {}
    reponses.update(reponses_initiales or {})
    a_poser = set(q.chemin for q in seulement) if seulement is not None else None
    ids_mesures = [i for i, _ in mesures]
    premiers: dict[tuple[str, ...], str] = {}  # section -> première question posée
    for q in questions():
        if isinstance(q, Question) and (a_poser is None or q.chemin in a_poser) and not (
            a_poser is None and not q.obligatoire and q.exemple is not None
        ):
            premiers.setdefault(q.chemin[:-1], q.chemin[-1])
    for element in questions():
        if isinstance(element, Section):
            if a_poser is None or any(c[: len(element.chemin)] == element.chemin for c in a_poser):
                console.print()
                console.print(Text(_majuscule(element.titre), style=Style(bold=True, underline=True)))
            continue
        q = element
        if a_poser is not None and q.chemin not in a_poser:
            continue
        if not q.obligatoire and q.exemple is not None and a_poser is None:
            # Réponse proposée par le schéma (version du schéma) : gardée sans question.
            continue
        if pertinente is not None and not pertinente(q.chemin, reponses):
            reponses[q.chemin] = None  # sans objet : la clé reste absente (commentée) dans le fichier
            continue
        if len(q.chemin) == 1 or q.chemin[-1] != premiers.get(q.chemin[:-1]):
            console.print()  # pas de ligne vide entre un titre de section et sa première question
        entete = Text(_majuscule(q.titre), style=TITRE)
        if q.description:
            entete.append(f" — {q.description}", style=DISCRET)
        console.print(entete)
        if q.genre in ("choix", "liste"):
            # La question reste à l'écran : si la liste et ses définitions dépassent la hauteur du
            # terminal (40 lignes, par exemple), chaque définition est réduite à une ligne.
            choix = Padding(_choix(q), (0, 0, 0, 2))
            if len(console.render_lines(choix, console.options, pad=False)) > console.height - MARGE_QUESTION:
                choix = Padding(_choix(q, compact=True), (0, 0, 0, 2))
                console.print(choix)
                console.print(Text("  Définitions complètes : commentaires du modèle (iag nouveau), ou iag schema.", style=DISCRET))
            else:
                console.print(choix)
            if q.genre == "liste":
                console.print(Text("  Plusieurs réponses possibles, séparées par des virgules (numéros ou valeurs)"
                                   + ("" if q.minimum else ", - pour aucune") + ".", style=DISCRET))
            elif q.facultatif:
                console.print(Text("  Facultatif : - pour ne pas répondre.", style=DISCRET))
        elif q.genre == "identifiants":
            if mesures:
                puces(console, [_id_titre(i, t) for i, t in mesures], puce=" ")
            console.print(Text("  Identifiants séparés par des virgules, - pour aucune.", style=DISCRET))
        initiale = reponses.get(q.chemin, valeur_initiale(q))
        # Jamais de réponse proposée par défaut : Entrée seule ne répond pas à la place du porteur.
        defaut = None if initiale in (None, A_COMPLETER) else texte_defaut(q, initiale)
        while True:
            saisie = demander("Réponse", default=defaut)
            try:
                reponses[q.chemin] = lire_reponse(q, str(saisie), ids_mesures)
                break
            except ReponseInvalide as e:
                console.print(Text(f"  {e}", style=Style(color="red")))
    return reponses
