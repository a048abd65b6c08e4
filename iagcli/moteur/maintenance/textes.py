"""Textes partagés par les commandes du référentiel : une pondération ou une condition dite en
français par le même générateur que `iag risques` (`conditions.decrire`,
`consultation.textes_referentiel.formater_effet`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..conditions import decrire
from ..consultation.textes_referentiel import formater_effet

if TYPE_CHECKING:
    from ...modeles.referentiel import Ponderation


def phrase_ponderation(p: "Ponderation") -> str:
    """« probabilité +1 si revue humaine : « aucune » » : la phrase de `iag risques`."""
    return f"{formater_effet(p.probabilite, p.gravite)} si {decrire(p.si)}"


def texte_valeur(valeur: Any) -> str:
    """Une valeur du référentiel en une ligne : conditions décrites, dates ISO, listes jointes."""
    from pydantic import BaseModel

    from ...modeles.conditions import AuMoinsUne, Feuille, Non, Parmi, Toujours, Toutes
    from ...modeles.referentiel import Contradiction, Effet, Ponderation

    if valeur is None:
        return "—"
    if isinstance(valeur, (Feuille, Toutes, AuMoinsUne, Non, Parmi, Toujours)):
        return decrire(valeur)
    if isinstance(valeur, Ponderation):
        return phrase_ponderation(valeur)
    if isinstance(valeur, Effet):
        return f"{valeur.risque} : {formater_effet(valeur.probabilite, valeur.gravite)}"
    if isinstance(valeur, Contradiction):
        return f"si {decrire(valeur.si)} : {valeur.raison}"
    if isinstance(valeur, dt.date):
        return valeur.isoformat()
    if isinstance(valeur, BaseModel):
        return ", ".join(f"{k} : {texte_valeur(getattr(valeur, k))}" for k in type(valeur).model_fields
                         if getattr(valeur, k) not in (None, [], ""))
    if isinstance(valeur, (list, tuple)):
        return " ; ".join(texte_valeur(v) for v in valeur) if valeur else "—"
    return " ".join(str(valeur).split())
