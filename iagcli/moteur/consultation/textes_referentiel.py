"""Textes français dérivés du référentiel : recommandations filtrées et groupées par thème,
risques par catégorie, effets des mesures, paliers des échelles et placement dans la matrice.
Pur, sans affichage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from ...modeles.referentiel import Categorie, Recommandation, Risque, Theme
    from ..referentiel import Referentiel
    from ..resultat import Evaluation

# --- Recommandations -------------------------------------------------------------------------


def filtrer_recommandations(ref: "Referentiel", themes: Sequence[str] = (), publics: Sequence[str] = ()) -> list["Recommandation"]:
    """Recommandations des thèmes et publics donnés (identifiants déjà résolus), ordre du fichier."""
    return [
        r for r in ref.recommandations.values()
        if (not themes or r.theme in themes) and (not publics or set(r.publics) & set(publics))
    ]


def par_theme(ref: "Referentiel", recommandations: Sequence["Recommandation"]) -> list[tuple["Theme", list["Recommandation"]]]:
    """[(thème, [recommandations])] dans l'ordre des thèmes du fichier ; thèmes vides omis."""
    groupes = []
    for ident, theme in ref.themes.items():
        membres = [r for r in recommandations if r.theme == ident]
        if membres:
            groupes.append((theme, membres))
    return groupes


# --- Risques, mesures, matrice ----------------------------------------------------------------

MOINS = "\u2212"  # signe moins typographique


def signe(n: int) -> str:
    return f"+{n}" if n > 0 else (f"{MOINS}{-n}" if n < 0 else "0")




def formater_effet(probabilite: int, gravite: int) -> str:
    """« probabilité −1, gravité −1 » ; seules les variations non nulles sont dites."""
    parties = []
    if probabilite:
        parties.append(f"probabilité {signe(probabilite)}")
    if gravite:
        parties.append(f"gravité {signe(gravite)}")
    return ", ".join(parties) or "sans effet"


def risques_par_categorie(ref: "Referentiel") -> list[tuple["Categorie", list["Risque"]]]:
    groupes = []
    for ident, cat in ref.categories.items():
        membres = [r for r in ref.risques.values() if r.categorie == ident]
        if membres:
            groupes.append((cat, membres))
    return groupes


def libelle_palier(ref: "Referentiel", axe: str, valeur: int) -> str:
    for p in getattr(ref.risques_yaml.echelles, axe):
        if p.valeur == valeur:
            return str(p.libelle)
    return str(valeur)


def placements(ref: "Referentiel", evaluation: "Evaluation") -> tuple[dict[tuple[int, int], list[str]], dict[tuple[int, int], list[str]]]:
    """Identifiants des risques par case (probabilité, gravité) : avant puis après les mesures."""
    avant: dict[tuple[int, int], list[str]] = {}
    apres: dict[tuple[int, int], list[str]] = {}
    for e in evaluation.risques:
        avant.setdefault((e.initial.probabilite, e.initial.gravite), []).append(e.id)
        apres.setdefault((e.residuel.probabilite, e.residuel.gravite), []).append(e.id)
    for cases in (avant, apres):
        for ids in cases.values():
            ids.sort()
    return avant, apres
