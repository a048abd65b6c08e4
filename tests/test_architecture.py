"""Règles d'architecture de l'issue 11, vérifiées sur le code : aucun cycle d'imports entre modules
d'iagcli au chargement, et aucun module de plus de 400 lignes sans une raison dans sa docstring."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import RACINE

PAQUET = RACINE / "iagcli"
LIMITE = 400


def _modules() -> dict[str, Path]:
    modules = {}
    for chemin in sorted(PAQUET.rglob("*.py")):
        parties = list(chemin.relative_to(RACINE).with_suffix("").parts)
        if parties[-1] == "__init__":
            parties.pop()
        modules[".".join(parties)] = chemin
    return modules


def _cible(module: str, paquet: bool, noeud: ast.ImportFrom) -> str:
    if not noeud.level:
        return noeud.module or ""
    parties = module.split(".") if paquet else module.split(".")[:-1]
    parties = parties[: len(parties) - (noeud.level - 1)]
    return ".".join(parties + ([noeud.module] if noeud.module else []))


def _imports_au_chargement(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Arêtes module -> module importé au niveau du module (hors `if TYPE_CHECKING:` et hors des
    fonctions : un import différé ne peut pas faire échouer un import circulaire)."""
    graphe: dict[str, set[str]] = {m: set() for m in modules}
    for module, chemin in modules.items():
        arbre = ast.parse(chemin.read_text(encoding="utf-8"))
        paquet = chemin.name == "__init__.py"
        for noeud in arbre.body:
            if isinstance(noeud, ast.ImportFrom):
                base = _cible(module, paquet, noeud)
                for nom in [base, *(f"{base}.{a.name}" for a in noeud.names)]:
                    if nom in modules and nom != module:
                        graphe[module].add(nom)
            elif isinstance(noeud, ast.Import):
                graphe[module].update(a.name for a in noeud.names if a.name in modules and a.name != module)
    return graphe


def _cycles(graphe: dict[str, set[str]]) -> list[list[str]]:
    """Composantes fortement connexes de plus d'un module (Tarjan, itératif sur la pile d'appels)."""
    index: dict[str, int] = {}
    bas: dict[str, int] = {}
    pile: list[str] = []
    sur_pile: set[str] = set()
    cycles: list[list[str]] = []

    def visiter(v: str) -> None:
        index[v] = bas[v] = len(index)
        pile.append(v)
        sur_pile.add(v)
        for w in sorted(graphe[v]):
            if w not in index:
                visiter(w)
                bas[v] = min(bas[v], bas[w])
            elif w in sur_pile:
                bas[v] = min(bas[v], index[w])
        if bas[v] == index[v]:
            composante = []
            while True:
                w = pile.pop()
                sur_pile.discard(w)
                composante.append(w)
                if w == v:
                    break
            if len(composante) > 1:
                cycles.append(sorted(composante))

    for v in sorted(graphe):
        if v not in index:
            visiter(v)
    return cycles


def test_aucun_cycle_d_imports():
    assert _cycles(_imports_au_chargement(_modules())) == []


def test_le_detecteur_voit_un_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_grands_modules_justifies():
    sans_raison = []
    for module, chemin in _modules().items():
        texte = chemin.read_text(encoding="utf-8")
        if texte.count("\n") > LIMITE:
            docstring = ast.get_docstring(ast.parse(texte)) or ""
            if "400 lignes" not in docstring:
                sans_raison.append(module)
    assert sans_raison == []
