"""Point d'entrée `iag` : chemin court pour --version, filet contre toute trace Python."""

from __future__ import annotations

import os
import sys


class Signal(BaseException):
    """SIGTERM ou SIGHUP reçu. Levée comme KeyboardInterrupt pour SIGINT : les blocs `finally` et
    `except BaseException` s'exécutent, si bien que les temporaires `.iag-*.tmp` des rapports sont
    supprimés (avant, l'arrêt par le système les laissait derrière lui)."""

    def __init__(self, numero: int, nom: str):
        super().__init__(nom)
        self.numero = numero
        self.nom = nom


def _installer_signaux() -> None:
    import signal

    def lever(numero, _cadre):
        # Une seule fois : un second signal pendant le nettoyage ne doit pas l'interrompre.
        for s in signaux:
            signal.signal(s, signal.SIG_IGN)
        raise Signal(numero, signal.Signals(numero).name)

    signaux = [getattr(signal, nom) for nom in ("SIGTERM", "SIGHUP") if hasattr(signal, nom)]
    for s in signaux:
        try:
            if signal.getsignal(s) is signal.SIG_IGN:
                continue  # `nohup iag …` : le signal ignoré par le parent le reste
            signal.signal(s, lever)
        except (OSError, ValueError):  # hors du fil principal : on laisse le comportement par défaut
            pass


def main() -> int:
    argv = sys.argv[1:]
    if argv in (["--version"], ["-V"]):  # sans importer typer ni pydantic
        from . import __version__

        print(f"iag {__version__}")
        return 0
    # iag n'utilise aucun greffon pydantic : sans cela, pydantic parcourt les métadonnées de tous
    # les paquets installés à chaque démarrage (une dizaine de millisecondes).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _installer_signaux()
    try:
        from .cli import app

        app(prog_name="iag")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    except KeyboardInterrupt:
        print("interrompu", file=sys.stderr)
        return 130
    except Signal as s:
        print(f"interrompu ({s.nom})", file=sys.stderr)
        return 128 + s.numero
    except Exception as e:  # dernier filet : un message, jamais de trace
        print(f"iag : erreur interne ({type(e).__name__}: {e}). Merci de la signaler.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
