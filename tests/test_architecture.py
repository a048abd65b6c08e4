"""Règles d'architecture (issues 11 et 22), vérifiées sur le code : aucun cycle d'imports entre modules
d'iagcli, même de noms de types ou d'imports différés ; chaque dossier n'importe que les étages du
dessous ; une dizaine de modules au plus à plat sous iagcli/ ; aucun module de plus de 400 lignes sans
une raison dans sa docstring."""

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


def _imports(modules: dict[str, Path], tous: bool = True) -> dict[str, set[str]]:
    """Arêtes module -> module importé : tous les imports (`if TYPE_CHECKING:` et imports différés
    compris : un cercle de noms de types reste un cercle de dépendances), ou seulement ceux du niveau
    du module (`tous=False`)."""
    graphe: dict[str, set[str]] = {m: set() for m in modules}
    for module, chemin in modules.items():
        arbre = ast.parse(chemin.read_text(encoding="utf-8"))
        paquet = chemin.name == "__init__.py"
        for noeud in (ast.walk(arbre) if tous else arbre.body):
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
    assert _cycles(_imports(_modules(), tous=False)) == []


def test_aucun_cycle_meme_de_noms_de_types():
    assert _cycles(_imports(_modules())) == []


# Étages, du bas vers le haut : un module n'importe que son étage ou ceux du dessous.
ETAGES = {
    "iagcli": 0, "iagcli.modeles": 0, "iagcli.erreurs": 0, "iagcli.messages": 0, "iagcli.codes": 0,
    "iagcli.echappement": 0,
    "iagcli.es": 1,
    "iagcli.moteur": 2,
    "iagcli.controleur": 3,
    "iagcli.rendus": 4,
    "iagcli.cli": 5,
    "iagcli.__main__": 6,
}


def _etage(module: str) -> int:
    parties = module.split(".")
    return ETAGES[".".join(parties[:2])]


def test_chaque_dossier_n_importe_que_les_etages_du_dessous():
    graphe = _imports(_modules())
    montees = sorted(f"{a} -> {b}" for a, cibles in graphe.items() for b in cibles if _etage(b) > _etage(a))
    assert montees == []


def test_tout_module_a_un_etage_et_peu_restent_a_plat():
    modules = _modules()
    for m in modules:
        _etage(m)  # KeyError : dossier ou module nouveau à ranger dans ETAGES
    a_plat = [c.name for c in PAQUET.glob("*.py")]
    assert len(a_plat) <= 10, a_plat


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
