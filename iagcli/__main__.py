"""Point d'entrée `iag` : chemin court pour --version, filet contre toute trace Python."""

from __future__ import annotations

import os
import sys


def main() -> int:
    argv = sys.argv[1:]
    if argv in (["--version"], ["-V"]):  # sans importer typer ni pydantic
        from . import __version__

        print(f"iag {__version__}")
        return 0
    # iag n'utilise aucun greffon pydantic : sans cela, pydantic parcourt les métadonnées de tous
    # les paquets installés à chaque démarrage (une dizaine de millisecondes).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        from .cli import app

        app(prog_name="iag")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    except KeyboardInterrupt:
        print("interrompu", file=sys.stderr)
        return 130
    except Exception as e:  # dernier filet : un message, jamais de trace
        print(f"iag : erreur interne ({type(e).__name__}: {e}). Merci de la signaler.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
