"""Score du test de mutation du moteur (bench/mutation.sh), lu dans les résultats de mutmut.

Lit `mutants/<module>.py.meta` (écrits par `mutmut run`) pour chaque module muté par
`[tool.mutmut] only_mutate` de pyproject.toml, retire de N les seuls mutants équivalents listés
dans bench/mutation-equivalents.txt (un par ligne : nom du mutant, puis sa raison), et imprime le
score par module, les mutants restés vivants, puis en dernière ligne
`mutation: K/N killed (P %)`. Bibliothèque standard seule.

Un mutant est tué quand un test échoue (ou dépasse son temps : boucle sans fin) ; « sans test »
(aucun test ne passe par sa fonction) et « survécu » comptent comme vivants.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
EQUIVALENTS = RACINE / "bench" / "mutation-equivalents.txt"

# Codes de sortie enregistrés par mutmut 3.8 (mutmut/stats.py, status_by_exit_code).
TUES = {1: "tué", 3: "tué"}
TEMPS = {-24: "temps dépassé", 24: "temps dépassé", 152: "temps dépassé", 255: "temps dépassé", 36: "temps dépassé"}
VIVANTS = {0: "survécu", 5: "sans test", 33: "sans test", None: "non essayé"}


def equivalents(chemin: Path) -> dict[str, str]:
    """Nom du mutant -> raison ; une ligne sans raison est refusée (la raison est exigée)."""
    sortie: dict[str, str] = {}
    if not chemin.exists():
        return sortie
    for n, ligne in enumerate(chemin.read_text(encoding="utf-8").splitlines(), 1):
        ligne = ligne.strip()
        if not ligne or ligne.startswith("#"):
            continue
        nom, _, raison = ligne.partition(" ")
        if not raison.strip():
            sys.exit(f"{chemin}:{n}:1: mutant « {nom} » sans raison d'une ligne")
        sortie[nom] = raison.strip()
    return sortie


def main() -> int:
    modules = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["only_mutate"]
    equiv = equivalents(EQUIVALENTS)
    total_k = total_n = 0
    vivants: list[str] = []
    vus: set[str] = set()
    for module in modules:
        meta = RACINE / "mutants" / f"{module}.meta"
        if not meta.exists():
            print(f"{module} : aucun résultat ({meta} absent) : lancer bench/mutation.sh", file=sys.stderr)
            return 2
        codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        k = n = e = temps = 0
        for nom, code in sorted(codes.items()):
            vus.add(nom)
            tue = code in TUES or code in TEMPS
            if nom in equiv:
                if tue:
                    print(f"attention : {nom} est listé équivalent mais un test le tue : le retirer de {EQUIVALENTS.name}")
                    tue = True
                else:
                    e += 1
                    continue
            n += 1
            if tue:
                k += 1
                temps += code in TEMPS
            else:
                vivants.append(f"  {nom} ({VIVANTS.get(code, f'code {code}')})")
        p = 100 * k / n if n else 100.0
        print(f"{module} : {k}/{n} tués ({p:.1f} %) ; {e} équivalent(s) exclu(s) ; {temps} par dépassement de temps")
        total_k += k
        total_n += n
    for nom in sorted(set(equiv) - vus):
        print(f"attention : {nom} listé dans {EQUIVALENTS.name} n'existe plus (source changée ?)")
    if vivants:
        print(f"mutants vivants ({len(vivants)}) : `mutmut show NOM` montre le changement")
        print("\n".join(vivants))
    p = 100 * total_k / total_n if total_n else 100.0
    print(f"mutation: {total_k}/{total_n} killed ({p:.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
