"""Mise en forme Rich des consultations : recommandations, risques, mesures, règles (briques communes,
niveaux et matrice : `commun/affichage.py`).

Tout texte venu du référentiel passe par `Text` (jamais interprété comme balisage Rich) ; les
mots trouvés sont surlignés par `Text.stylize` sur leurs positions. La largeur suit le terminal
(80 colonnes au moins lisibles) et plafonne à `LARGEUR_MAX` pour la prose.

Une fonction de rendu par vue (listes, fiches de risque, de mesure, de règle, recherche), sans
logique propre ; le questionnaire interactif (`poser_questions`) est dans `consultation/questionnaire.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence

from rich import box
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..modeles.referentiel import DATE_NON_REVENDIQUEE
from ..modeles.types import accord, nombre
from ..moteur.conditions import decrire
from ..moteur.consultation import recherche as KR
from ..moteur.consultation import textes_referentiel as KT
from .commun import affichage
from .commun.affichage import (  # noqa: F401  (placer_matrice, afficher_matrice : réexportés)
    DISCRET,
    SURLIGNAGE,
    TITRE,
    afficher_matrice,
    fond_niveau,
    placer_matrice,
    puces,
    style_niveau,
    texte_niveau,
)
from .evaluation.constats import date_fr

if TYPE_CHECKING:
    from ..modeles.referentiel import Recommandation, Theme
    from ..moteur.referentiel import Referentiel




def console(fichier: Any = None) -> Console:
    """Console des consultations (voir `affichage.console`) ; les paramètres `console` des fonctions
    ci-dessous la masquent, d'où cette fonction plutôt qu'un import."""
    return affichage.console(fichier)


# --- Briques communes ------------------------------------------------------------------------


def _prose(texte: str) -> str:
    return " ".join(texte.split())


def _titre(console: Console, ident: str, titre: str, genre: str) -> None:
    t = Text()
    t.append(ident, style=TITRE)
    t.append(" · ")
    t.append(titre, style=TITRE)
    t.append(f"  ({genre})", style=DISCRET)
    console.print(t)


def _rubrique(console: Console, titre: str) -> None:
    console.print()
    console.print(Text(titre, style=Style(bold=True, underline=True)))


def _champs(console: Console, lignes: Sequence[tuple[str, Text | str]]) -> None:
    """« Libellé : valeur » alignés, la valeur repliée sous elle-même."""
    grille = Table.grid(padding=(0, 1))
    grille.add_column(no_wrap=True, style=DISCRET)
    grille.add_column(ratio=1)
    for libelle, valeur in lignes:
        grille.add_row(f"{libelle} :", valeur if isinstance(valeur, Text) else Text(valeur))
    console.print(grille)


def _id_titre(ident: str, titre: str, suite: Optional[str] = None) -> Text:
    t = Text()
    t.append(ident, style=TITRE)
    t.append(f"  {titre}")
    if suite:
        t.append(f" : {suite}", style=DISCRET)
    return t


def _sources(console: Console, ref: "Referentiel", ids: Sequence[str]) -> None:
    if not ids:
        return
    _rubrique(console, "Sources")
    lignes = []
    for ident in ids:
        s = ref.sources.get(ident)
        t = Text()
        t.append(ident, style=TITRE)
        if s is not None:
            t.append(f"  {s.titre}")
            details = ", ".join(x for x in (s.editeur, s.date) if x)
            if details:
                t.append(f" ({details})", style=DISCRET)
            if s.url:
                t.append("\n")
                t.append(s.url, style=Style(color="blue", underline=True))
        lignes.append(t)
    puces(console, lignes)


# --- Recommandations -------------------------------------------------------------------------


def afficher_liste_recommandations(console: Console, ref: "Referentiel", groupes: Sequence[tuple["Theme", Sequence["Recommandation"]]]) -> None:
    """Toutes les recommandations (filtrées), par thème."""
    total = 0
    for theme, recos in groupes:
        _rubrique(console, f"{theme.titre} ({theme.id})")
        puces(console, [_id_titre(r.id, r.titre) for r in recos], puce=" ")
        total += len(recos)
    console.print()
    console.print(Text(f"{nombre(total, 'recommandation')}. Détail : iag recommandations ID", style=DISCRET))


def _surligner(texte: str, positions: Sequence[tuple[int, int]], style: Style | str = "") -> Text:
    t = Text(texte, style=style)
    for debut, fin in positions:
        t.stylize(SURLIGNAGE, debut, fin)
    return t


def texte_trouvaille(ref: "Referentiel", fiche: KR.Fiche, trouvaille: KR.Trouvaille) -> Text:
    """Titre, thème, extrait du texte et mots-clés trouvés, mots trouvés surlignés."""
    reco = ref.recommandations[fiche.id]
    titre = next(((fiche.zones[i].texte, pos) for i, pos in trouvaille.positions(fiche, "titre")), (fiche.zones[0].texte, []))
    t = _surligner(titre[0], titre[1], TITRE)
    theme = ref.themes.get(reco.theme)
    nom_theme = theme.titre if theme else reco.theme
    pos_theme = [(d, f) for i, pos in trouvaille.positions(fiche, "theme") for d, f in pos if f <= len(nom_theme)]
    t.append("  [", style=DISCRET)
    t.append_text(_surligner(nom_theme, pos_theme, DISCRET))
    t.append("]", style=DISCRET)
    texte = next(((fiche.zones[i].texte, pos) for i, pos in trouvaille.positions(fiche, "texte")), None)
    if texte is None:
        texte = (fiche.zones[1].texte, [])
    passage, positions = KR.extrait(*texte)
    t.append("\n")
    t.append_text(_surligner(passage, positions))
    mots = [(fiche.zones[i].texte, pos) for i, pos in trouvaille.positions(fiche, "mots_cles")]
    if mots:
        t.append("\nmots-clés : ", style=DISCRET)
        for k, (mot, pos) in enumerate(mots):
            if k:
                t.append(", ")
            t.append_text(_surligner(mot, pos))
    return t


def afficher_recherche(console: Console, ref: "Referentiel", requete: str, fiches: dict[str, KR.Fiche],
                       trouvailles: Sequence[KR.Trouvaille], partiel: bool) -> None:
    entete = Text(f"{nombre(len(trouvailles), 'recommandation')} pour « {requete} »", style=TITRE)
    if partiel:
        entete.append(" (aucune ne contient tous les termes : correspondances partielles)", style=DISCRET)
    console.print(entete)
    grille = Table.grid(padding=(0, 2))
    grille.add_column(no_wrap=True, style=TITRE)
    grille.add_column(ratio=1)
    for i, t in enumerate(trouvailles):
        if i:
            grille.add_row("", "")
        grille.add_row(t.id, texte_trouvaille(ref, fiches[t.id], t))
    console.print(grille)
    console.print()
    console.print(Text("Détail : iag recommandations ID", style=DISCRET))


def afficher_sans_resultat(console: Console, ref: "Referentiel", requete: str, proches: Sequence[str],
                           themes_proches: Sequence[str], hors_filtres: int = 0) -> None:
    console.print(Text(f"Aucune recommandation ne correspond à « {requete} ».", style=TITRE))
    if hors_filtres:
        console.print(Text(f"{nombre(hors_filtres, 'recommandation')} {accord(hors_filtres, 'correspond', 'correspondent')} hors des filtres --theme / --public."))
    if proches:
        console.print(Text("Termes proches : " + ", ".join(proches)))
    themes = themes_proches or list(ref.themes)
    libelle = "Thèmes proches" if themes_proches else "Thèmes"
    console.print(Text(f"{libelle} : " + ", ".join(f"{t} ({ref.themes[t].titre})" for t in themes)))
    console.print(Text("Toutes les recommandations d'un thème : iag recommandations --theme THÈME", style=DISCRET))


def afficher_recommandation(console: Console, ref: "Referentiel", ident: str) -> None:
    reco = ref.recommandations[ident]
    _titre(console, reco.id, reco.titre, "recommandation")
    theme = ref.themes.get(reco.theme)
    publics = ", ".join(ref.publics[p].titre if p in ref.publics else p for p in reco.publics)
    _champs(console, [("Thème", f"{theme.titre} ({reco.theme})" if theme else reco.theme), ("Publics", publics)])
    console.print()
    console.print(Text(_prose(reco.texte)))
    if reco.mots_cles:
        console.print()
        _champs(console, [("Mots-clés", ", ".join(reco.mots_cles))])
    if reco.risques:
        _rubrique(console, "Risques traités")
        puces(console, [_id_titre(r, ref.risques[r].titre if r in ref.risques else "") for r in reco.risques])
    _sources(console, ref, reco.sources)


def afficher_recommandations_du_risque(console: Console, ref: "Referentiel", risque: str) -> None:
    ids = ref.recommandations_par_risque.get(risque, [])
    console.print(Text(f"Recommandations liées au risque {risque} · {ref.risques[risque].titre}", style=TITRE))
    if not ids:
        console.print(Text("Aucune recommandation n'est liée à ce risque.", style=DISCRET))
        return
    puces(console, [_id_titre(i, ref.recommandations[i].titre) for i in ids], puce=" ")
    console.print(Text("Détail : iag recommandations ID ; le risque : iag risques " + risque, style=DISCRET))


# --- Risques, mesures, règles ------------------------------------------------------------------


def afficher_liste_risques(console: Console, ref: "Referentiel") -> None:
    """Risques par catégorie, avec probabilité et gravité de base et le niveau qu'elles donnent."""
    for cat, risques in KT.risques_par_categorie(ref):
        table = Table(title=Text(cat.titre, style=TITRE), title_justify="left", box=box.SIMPLE_HEAD,
                      pad_edge=False, expand=True)
        table.add_column("ID", no_wrap=True, style=TITRE)
        table.add_column("Risque", ratio=1)
        table.add_column("P", justify="center", no_wrap=True)
        table.add_column("G", justify="center", no_wrap=True)
        table.add_column("Niveau de base", no_wrap=True)
        for r in risques:
            niveau = ref.niveau_grille(r.probabilite, r.gravite)
            table.add_row(Text(r.id), Text(r.titre), str(r.probabilite), str(r.gravite), texte_niveau(ref, niveau))
        console.print(table)
    console.print(Text(
        "P, G : probabilité et gravité de base, avant les pondérations propres à chaque cas. "
        "Détail : iag risques ID ; mesures : iag risques --mesures ; règles juridiques : "
        "iag risques --regles ; grille : iag matrice", style=DISCRET))


def afficher_liste_mesures(console: Console, ref: "Referentiel") -> None:
    """Mesures du référentiel et risques qu'elles traitent."""
    table = Table(title=Text("Mesures", style=TITRE), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    table.add_column("ID", no_wrap=True, style=TITRE)
    table.add_column("Mesure", ratio=3)
    table.add_column("Traite", ratio=1)
    for m in ref.mesures.values():
        table.add_row(Text(m.id), Text(m.titre), Text(", ".join(e.risque for e in m.effets)))
    console.print(table)
    console.print(Text("Détail et effets : iag risques ID", style=DISCRET))


def afficher_liste_regles(console: Console, ref: "Referentiel") -> None:
    """Règles juridiques du référentiel et leur nature."""
    table = Table(title=Text("Règles juridiques", style=TITRE), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    table.add_column("ID", no_wrap=True, style=TITRE)
    table.add_column("Règle", ratio=1)
    table.add_column("Nature", no_wrap=True)
    table.add_column("Applicable", no_wrap=True)
    for j in ref.regles.values():
        periode = f"dès le {j.applicable_depuis.isoformat()}" if j.applicable_depuis else DATE_NON_REVENDIQUEE
        if j.applicable_jusqu_au is not None:
            periode += f" jusqu'au {j.applicable_jusqu_au.isoformat()}"
        table.add_row(Text(j.id), Text(j.titre), Text(NATURES.get(j.nature, j.nature)), Text(periode))
    console.print(table)
    console.print(Text("Conditions et conséquences : iag risques ID", style=DISCRET))


def _cotation(ref: "Referentiel", p: int, g: int) -> Text:
    t = Text(f"probabilité {p} ({KT.libelle_palier(ref, 'probabilite', p)}), "
             f"gravité {g} ({KT.libelle_palier(ref, 'gravite', g)}) → ")
    t.append_text(texte_niveau(ref, ref.niveau_grille(p, g)))
    return t


def _majuscule(texte: str) -> str:
    return texte[:1].upper() + texte[1:]


def afficher_risque(console: Console, ref: "Referentiel", ident: str) -> None:
    r = ref.risques[ident]
    rc = ref.compile_par_risque[ident]
    _titre(console, r.id, r.titre, "risque")
    cat = ref.categories.get(r.categorie)
    champs_risque: list[tuple[str, Text | str]] = [
        ("Catégorie", cat.titre if cat else r.categorie),
        ("Cotation de base", _cotation(ref, r.probabilite, r.gravite)),
    ]
    if r.plancher is not None:
        champs_risque.append(("Plancher résiduel", f"probabilité {r.plancher.probabilite}, gravité {r.plancher.gravite} (aucune mesure ne descend en dessous)"))
    _champs(console, champs_risque)
    console.print()
    console.print(Text(_prose(r.description)))
    _rubrique(console, "Exemples")
    puces(console, [Text(_prose(e)) for e in r.exemples])
    _rubrique(console, "Quand s'applique-t-il ?")
    if r.s_applique_si is None:
        console.print(Text("À tout cas d'usage."))
    else:
        console.print(Text(f"Si {decrire(r.s_applique_si)}."))
    if r.ponderations:
        _rubrique(console, "Pondérations selon les réponses")
        lignes = []
        for p in r.ponderations:
            t = Text(_majuscule(KT.formater_effet(p.probabilite, p.gravite)), style=TITRE)
            t.append(f" si {decrire(p.si)}")
            t.append(f"\n{_prose(p.raison)}", style=DISCRET)
            lignes.append(t)
        puces(console, lignes)
    _rubrique(console, "Mesures qui le traitent")
    if rc.mesures:
        puces(console, [_id_titre(m.id, m.titre, KT.formater_effet(e.probabilite, e.gravite)) for m, e in rc.mesures])
    else:
        console.print(Text("Aucune mesure du référentiel ne traite ce risque.", style=DISCRET))
    refs = r.references
    lignes_refs = [(nom, ", ".join(v)) for nom, v in (
        ("OWASP LLM", refs.owasp_llm), ("NIST AI 600-1", refs.nist_ai_600_1), ("Textes", refs.textes), ("ANSSI", refs.anssi),
    ) if v]
    if lignes_refs:
        _rubrique(console, "Références")
        _champs(console, lignes_refs)
    _sources(console, ref, r.sources)
    recos = ref.recommandations_par_risque.get(ident, [])
    if recos:
        _rubrique(console, "Recommandations liées")
        puces(console, [_id_titre(i, ref.recommandations[i].titre) for i in recos])


def afficher_mesure(console: Console, ref: "Referentiel", ident: str) -> None:
    m = ref.mesures[ident]
    _titre(console, m.id, m.titre, "mesure")
    _champs(console, [("Nature", m.nature)])
    console.print()
    console.print(Text(_prose(m.description)))
    _rubrique(console, "Preuves attendues")
    puces(console, [Text(_prose(p)) for p in m.preuves])
    _rubrique(console, "Effets sur les risques")
    puces(console, [
        _id_titre(e.risque, ref.risques[e.risque].titre if e.risque in ref.risques else "", KT.formater_effet(e.probabilite, e.gravite))
        for e in m.effets
    ])
    if m.contredite_si:
        _rubrique(console, "Non créditée quand les réponses la démentent")
        puces(console, [Text(f"Si {decrire(c.si)} : {_prose(c.raison)}") for c in m.contredite_si])
    _sources(console, ref, m.sources)


NATURES = {"interdiction": "interdiction", "obligation": "obligation", "information": "information"}


def afficher_regle(console: Console, ref: "Referentiel", ident: str) -> None:
    j = ref.regles[ident]
    _titre(console, j.id, j.titre, "règle juridique")
    lignes: list[tuple[str, Text | str]] = [("Nature", NATURES.get(j.nature, j.nature)), ("Texte", j.texte)]
    if j.niveau_minimum:
        lignes.append(("Niveau minimum", texte_niveau(ref, j.niveau_minimum)))
    lignes.append(("Applicable depuis", f"{date_fr(j.applicable_depuis)} ({j.applicable_depuis.isoformat()})"
                   if j.applicable_depuis else DATE_NON_REVENDIQUEE))
    if j.applicable_jusqu_au is not None:
        lignes.append(("Applicable jusqu'au", f"{date_fr(j.applicable_jusqu_au)} ({j.applicable_jusqu_au.isoformat()})"))
    _champs(console, lignes)
    _rubrique(console, "Quand s'applique-t-elle ?")
    console.print(Text(f"Si {decrire(j.si)}."))
    _rubrique(console, "Conséquence")
    console.print(Text(_prose(j.consequence)))
    _sources(console, ref, j.sources)


def afficher_element(console: Console, ref: "Referentiel", genre: str, ident: str) -> None:
    {
        "risque": afficher_risque,
        "mesure": afficher_mesure,
        "regle": afficher_regle,
        "recommandation": afficher_recommandation,
    }[genre](console, ref, ident)


# --- Mode interactif de `iag nouveau` -------------------------------------------------------
