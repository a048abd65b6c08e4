"""Conversion différée des paramètres (cli/coercion.py, issue 22) : même résultat que Typer, et le
TypeAdapter de Typer n'est plus construit quand il ne sert pas."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer._click as click
from typer._coercion import build_runtime_param
from typer.main import get_command

from iagcli.cli import coercion
from iagcli.cli.racine import app

from conftest import RACINE


def _commandes():
    racine = get_command(app)
    ctx = click.Context(racine)
    yield "iag", racine, ctx
    for nom in racine.list_commands(ctx):
        sous = racine.get_command(ctx, nom)
        yield nom, sous, click.Context(sous, parent=ctx)
        if hasattr(sous, "list_commands"):
            for n2 in sous.list_commands(ctx):
                yield f"{nom} {n2}", sous.get_command(ctx, n2), ctx


VALEURS = {str: ["texte", "", "é ü 🙂", "--x"], bool: [True, False, "true", "1", "no"], int: ["3", "0"]}


def test_chaque_parametre_converti_comme_par_typer():
    vus = set()
    for nom, commande, ctx in _commandes():
        for p in commande.get_params(ctx):
            d = getattr(p, "type_descriptor", None)
            if d is None:
                continue
            p._runtime_param = None
            coercion.poser([p])
            differe = p._runtime_param
            assert isinstance(differe, coercion.Differe), (nom, p.name)
            reel = build_runtime_param(d)
            base = d.annotation.__args__[0] if d.annotation == list[str] else d.annotation
            valeurs = VALEURS.get(base, [])
            if d.annotation == list[str]:
                valeurs = [["a", "b"], ("c",), []]
            for v in [None, *valeurs]:
                attendu = reel.coerce(v, param=p, ctx=ctx)
                obtenu = differe.coerce(v, param=p, ctx=ctx)
                assert obtenu == attendu and type(obtenu) is type(attendu), (nom, p.name, v)
            vus.add(d.annotation if not isinstance(d.annotation, type) else d.annotation.__name__)
    assert {"str", "bool"} <= {v for v in vus if isinstance(v, str)}  # le parcours a bien vu des options


def test_un_convertisseur_deja_pose_n_est_pas_remplace():
    racine = get_command(app)
    p = racine.get_params(click.Context(racine))[0]
    p._runtime_param = marque = object()
    coercion.poser([p])
    assert p._runtime_param is marque


@pytest.mark.parametrize("args", [["evaluer", "exemples/synthese-comptes-rendus.yaml"], ["risques", "R01"]])
def test_aucun_type_adapter_de_typer_au_demarrage(args):
    code = ("import sys; sys.argv = ['iag', *sys.argv[1:]]\n"
            "from iagcli.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('typer._adapters' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, *args], cwd=RACINE, capture_output=True, text=True, timeout=60)
    assert r.stderr.strip().splitlines()[-1] == "False", r.stderr
