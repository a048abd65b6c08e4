"""Conversion des paramètres sans TypeAdapter pydantic quand elle n'en a pas besoin (démarrage, issue 22).

Typer 0.29 convertit chaque paramètre par un `TypeAdapter` pydantic construit à sa première lecture,
même quand l'option est absente : ~20 ms pour importer `pydantic.type_adapter`, puis ~1 ms par
paramètre, à chaque commande. Or :
- une option absente vaut `None` (ou `()`) sans que l'adaptateur serve (`RuntimeParam.coerce`) ;
- pour un texte (`str`) ou une liste de textes (`list[str]`) sans analyseur propre, la conversion
  de Typer se réduit à `str(valeur)` (`typer._adapters._parse_cli_str`).
On pose donc d'avance, sur chaque paramètre, un convertisseur qui fait ces deux cas lui-même et,
pour tout autre type ou valeur, construit le convertisseur de Typer et lui délègue : même résultat,
adaptateur construit seulement s'il sert.

Dépend d'un interne de Typer (`typer._coercion`, attribut `_runtime_param`), série 0.29 seule
(`pyproject.toml`) ; si l'un ou l'autre change, rien n'est posé et Typer convertit comme d'habitude
(plus lent, jamais faux). Un test compare les deux conversions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

try:
    from typer._coercion import RuntimeParam, build_runtime_param
except ImportError:  # autre version de Typer : on laisse faire Typer
    RuntimeParam = None  # type: ignore[assignment,misc]


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class Differe(RuntimeParam):
        """Texte ou liste de textes : la valeur telle quelle ; autre type : le convertisseur de Typer."""

        descripteur: Any
        texte: bool

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.texte:
                return [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
            reel = build_runtime_param(self.descripteur)
            param._runtime_param = reel  # les valeurs suivantes passent par Typer directement
            return reel._coerce_value(value, param=param, ctx=ctx)


def poser(parametres: Iterable[Any]) -> None:
    """Pose le convertisseur différé sur les paramètres d'une commande, avant l'analyse."""
    if RuntimeParam is None:
        return
    for p in parametres:
        d = getattr(p, "type_descriptor", None)
        if d is None or getattr(p, "_runtime_param", 0) is not None:
            continue
        info = d.parameter_info
        texte = (d.file_annotation is None and getattr(info, "parser", None) is None
                 and (d.annotation is str or d.annotation == list[str]))
        p._runtime_param = Differe(parameter_info=info, annotation=d.annotation, descripteur=d, texte=texte)
