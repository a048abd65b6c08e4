"""Fausses alertes et alertes manquées du titre et de la description lus contre les réponses.

    .venv/bin/python bench/lexiques.py

Corpus : tests/donnees/descriptions.yaml (descriptions bénignes et contradictoires, réponses de
tests/donnees/cas-base.yaml) et les exemples (leurs propres réponses). Imprime les deux taux.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from iagcli.controleur import lire_cas  # noqa: E402
from iagcli.es.chargeur import lire_document  # noqa: E402
from iagcli.modeles.cas_usage import CasUsage  # noqa: E402
from iagcli.moteur.evaluation import evaluer  # noqa: E402
from iagcli.moteur.referentiel import charger  # noqa: E402


def alertes(ref, base: dict, titre: str, description: str) -> set[str]:
    d = copy.deepcopy(base)
    d["titre"], d["description"] = titre, description
    ev = evaluer(CasUsage.model_validate(d, context={"mesures": ref.mesures}), ref)
    return {f"{a.champ}:{a.valeur}" for a in ev.alertes_texte}


def mesurer() -> dict[str, object]:
    ref = charger()
    base = lire_document(str(RACINE / "tests" / "donnees" / "cas-base.yaml")).donnees
    corpus = lire_document(str(RACINE / "tests" / "donnees" / "descriptions.yaml")).donnees
    fausses = [(x["titre"], sorted(a)) for x in corpus["benignes"] if (a := alertes(ref, base, x["titre"], x["description"]))]
    manquees, detectees = [], 0
    for x in corpus["contradictoires"]:
        trouvees = alertes(ref, base, x["titre"], x["description"])
        manque = sorted(set(x["attendu"]) - trouvees)
        if manque:
            manquees.append((x["titre"], manque))
        else:
            detectees += 1
    exemples = []
    for f in sorted((RACINE / "exemples").glob("*.yaml")):
        _, cas = lire_cas(str(f), ref)
        ev = evaluer(cas, ref)
        if ev.alertes_texte:
            exemples.append((f.name, [f"{a.champ}:{a.valeur}" for a in ev.alertes_texte]))
    return {"benignes": len(corpus["benignes"]), "fausses": fausses, "contradictoires": len(corpus["contradictoires"]),
            "detectees": detectees, "manquees": manquees, "exemples": len(list((RACINE / "exemples").glob("*.yaml"))),
            "fausses_exemples": exemples}


if __name__ == "__main__":
    m = mesurer()
    print(f"descriptions bénignes : {len(m['fausses'])} fausse(s) alerte(s) sur {m['benignes']}")  # type: ignore[arg-type]
    for titre, a in m["fausses"]:  # type: ignore[attr-defined]
        print(f"  {titre} : {', '.join(a)}")
    print(f"exemples : {len(m['fausses_exemples'])} alerte(s) sur {m['exemples']}")  # type: ignore[arg-type]
    for nom, a in m["fausses_exemples"]:  # type: ignore[attr-defined]
        print(f"  {nom} : {', '.join(a)}")
    print(f"descriptions contradictoires : {m['detectees']} entièrement détectée(s) sur {m['contradictoires']}")
    for titre, a in m["manquees"]:  # type: ignore[attr-defined]
        print(f"  manquée(s) dans {titre} : {', '.join(a)}")
