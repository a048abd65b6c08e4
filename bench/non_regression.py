#!/usr/bin/env python3
"""Non-régression des verdicts entre deux arbres du dépôt (issue 21) : aucun verdict ne baisse
pour un cas dont les faits n'ont pas changé.

    git worktree add /tmp/avant <commit>      # ou : git archive <commit> | tar -x -C /tmp/avant
    python3 bench/non_regression.py /tmp/avant .  [--generes 3000]

Chaque arbre est évalué dans un processus à part (son propre paquet `iagcli` et son propre
`data/`), aux dates du 4 décembre 2026 et du 15 janvier 2028, sur les mêmes entrées : les cas YAML
de `exemples/` et de `tests/donnees/` de l'arbre courant, plus `--generes` cas tirés par le
générateur des tests de propriétés de l'arbre « avant » (graine fixe). Un cas invalide d'un côté
seulement (valeur retirée, question neuve) est compté à part : ses faits s'écrivent autrement.
Affiche les compteurs (égal, hausse, baisse, invalide) et chaque baisse ; code 1 s'il y en a une.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

DATES = ("2026-12-04", "2028-01-15")
RANGS = {"faible": 0, "modéré": 1, "élevé": 2, "critique": 3, "interdit": 4}

# Exécuté dans un processus par arbre : argv = racine, fichier des cas générés, nombre à générer.
_EVALUER = r'''
import datetime as dt, glob, json, sys
racine, generes, nombre = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path[:0] = [racine, racine + "/tests"]
from iagcli.moteur.referentiel import charger
from iagcli.modeles.cas_usage import CasUsage
from iagcli.moteur.evaluation import evaluer
from iagcli.es.chargeur import lire_document
ref = charger(racine + "/data", cache=False)
if nombre:
    from hypothesis import HealthCheck, given, seed, settings
    from test_proprietes import cas_valides
    cas = []
    @seed(21)
    @settings(max_examples=nombre, database=None, suppress_health_check=list(HealthCheck), deadline=None)
    @given(cas_valides())
    def collecter(d):
        cas.append(d)
    collecter()
    json.dump(cas, open(generes, "w"), ensure_ascii=False, default=str)
entrees = {f"généré {i}": d for i, d in enumerate(json.load(open(generes)))}
for f in sorted(glob.glob("exemples/**/*.yaml", recursive=True) + glob.glob("tests/donnees/**/*.yaml", recursive=True)):
    try:
        entrees[f] = lire_document(f).donnees
    except Exception:
        continue
sortie = {}
for nom, d in entrees.items():
    try:
        c = CasUsage.model_validate(d, context={"mesures": ref.mesures})
    except Exception:
        sortie[nom] = None
        continue
    sortie[nom] = [evaluer(c, ref, dt.date.fromisoformat(x)).verdict for x in __DATES__]
json.dump(sortie, sys.stdout, ensure_ascii=False)
'''.replace("__DATES__", repr(DATES))


def verdicts(racine: Path, generes: Path, nombre: int) -> dict[str, list[str] | None]:
    sortie = subprocess.run([sys.executable, "-c", _EVALUER, str(racine.resolve()), str(generes), str(nombre)],
                            capture_output=True, text=True, check=True)
    resultat: dict[str, list[str] | None] = json.loads(sortie.stdout)
    return resultat


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("avant", type=Path)
    p.add_argument("apres", type=Path)
    p.add_argument("--generes", type=int, default=3000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        generes = Path(tmp) / "generes.json"
        avant = verdicts(args.avant, generes, args.generes)
        apres = verdicts(args.apres, generes, 0)
    compte = {"égal": 0, "hausse": 0, "baisse": 0, "invalide avant": 0, "invalide après": 0}
    baisses = []
    for nom, va in avant.items():
        vb = apres.get(nom)
        if va is None or vb is None:
            compte["invalide avant" if va is None else "invalide après"] += 1
            continue
        for date, x, y in zip(DATES, va, vb, strict=True):
            cle = "égal" if x == y else "hausse" if RANGS[y] > RANGS[x] else "baisse"
            compte[cle] += 1
            if cle == "baisse":
                baisses.append(f"{nom} au {date} : {x} -> {y}")
    print(f"{len(avant)} cas, {len(DATES)} dates : " + ", ".join(f"{k} {v}" for k, v in compte.items()))
    print("\n".join(baisses))
    return 1 if baisses else 0


if __name__ == "__main__":
    sys.exit(main())
