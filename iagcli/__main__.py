"""Point d'entrée `iag` : chemin court pour --version, flux standard qui survivent, erreurs de
Click en français, filet contre toute trace Python."""

from __future__ import annotations

import os
import sys
from types import ModuleType

from .codes import SORTIE_ECHEC, SORTIE_INTERRUPTION, SORTIE_OK, SORTIE_USAGE


class Signal(BaseException):
    """SIGTERM ou SIGHUP reçu. Levée comme KeyboardInterrupt pour SIGINT : les blocs `finally` et
    `except BaseException` s'exécutent, si bien que les temporaires `.iag-*.tmp` des rapports sont
    supprimés (avant, l'arrêt par le système les laissait derrière lui)."""

    def __init__(self, numero: int, nom: str):
        super().__init__(nom)
        self.numero = numero
        self.nom = nom


# Signaux reçus : une bibliothèque qui attrape toute exception (pydantic-core enveloppe celle levée
# pendant la construction d'un schéma dans une SchemaError) ne change pas un arrêt demandé en
# « erreur interne » (course vue dans la suite de tests).
_RECUS: list[Signal] = []


def _installer_signaux() -> None:
    import signal

    def lever(numero: int, _cadre: object) -> None:
        # Une seule fois : un second signal pendant le nettoyage ne doit pas l'interrompre.
        for s in signaux:
            signal.signal(s, signal.SIG_IGN)
        _RECUS.append(Signal(numero, signal.Signals(numero).name))
        raise _RECUS[-1]

    signaux = [getattr(signal, nom) for nom in ("SIGTERM", "SIGHUP") if hasattr(signal, nom)]
    for s in signaux:
        try:
            if signal.getsignal(s) is signal.SIG_IGN:
                continue  # `nohup iag …` : le signal ignoré par le parent le reste
            signal.signal(s, lever)
        except (OSError, ValueError):  # hors du fil principal : on laisse le comportement par défaut
            pass


_CHARGEUR_GREFFONS = "pydantic.plugin._loader"


def _sans_greffons_pydantic() -> None:
    """Pas de greffon pydantic dans la commande `iag`.

    Un greffon pydantic est du code d'un autre paquet du même environnement, découvert par ses
    métadonnées, qui s'insère dans chaque validation : celle du référentiel et des cas d'usage
    doit dépendre d'iag seul, et iag n'en utilise aucun. `PYDANTIC_DISABLE_PLUGINS=__all__` évite le
    parcours des métadonnées de tous les paquets installés ; mais le module qui ferait ce parcours
    importe encore `importlib.metadata` (et avec lui email, socket, zipfile…) : ~25 ms à chaque
    démarrage. Tant que la désactivation est complète, ce module est remplacé par un module qui
    n'a pas de greffon à rendre ; tout autre nom qu'on lui demanderait charge le vrai module.
    Qui définit lui-même PYDANTIC_DISABLE_PLUGINS garde le comportement de pydantic."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] != "__all__" or _CHARGEUR_GREFFONS in sys.modules:
        return
    module = ModuleType(_CHARGEUR_GREFFONS, "Aucun greffon pydantic : voir iagcli.__main__._sans_greffons_pydantic.")

    def get_plugins() -> tuple[()]:
        return ()

    def __getattr__(nom: str) -> object:  # noqa: N807  (getattr de module, PEP 562)
        import importlib

        if nom.startswith("__"):  # `__path__`, `__spec__`… que l'import interroge : un module simple
            raise AttributeError(nom)
        del sys.modules[_CHARGEUR_GREFFONS]
        return getattr(importlib.import_module(_CHARGEUR_GREFFONS), nom)

    vars(module).update(get_plugins=get_plugins, __getattr__=__getattr__)
    sys.modules[_CHARGEUR_GREFFONS] = module


def _message(texte: str) -> None:
    # Sur l'erreur standard, ou sur la sortie standard quand l'erreur standard était fermée.
    for flux in (sys.stderr, sys.stdout):
        if flux is not None:
            try:
                print(texte, file=flux)
                flux.flush()
                return
            except (OSError, ValueError):
                continue


def main() -> int:
    from .es import flux

    code = _executer(flux)
    code, message = flux.code_apres_sortie(code)
    if message:
        _message(message)
    return code


def _executer(flux: ModuleType) -> int:
    # Un flux fermé au lancement vaut None dans `sys` : le message va sur l'autre.
    descripteurs = flux.descripteurs_fermes()
    fermes = [nom for fd, nom in ((1, "la sortie standard"), (2, "l'erreur standard")) if fd in descripteurs]
    if fermes:
        verbe, pronom = ("sont fermées", "les") if len(fermes) == 2 else ("est fermée", "la")
        _message(f"iag : {' et '.join(fermes)} {verbe} ; redirigez-{pronom} vers un fichier ou /dev/null "
                 f"plutôt que de {pronom} fermer (>&-)")
        return SORTIE_USAGE
    flux.encodage_tolerant()
    flux.proteger_sortie()
    try:
        os.getcwd()
    except OSError:
        _message("iag : le dossier courant n'existe plus (supprimé ?) ; placez-vous dans un dossier existant")
        return SORTIE_USAGE

    argv = sys.argv[1:]
    if argv in (["--version"], ["-V"]):  # sans importer typer ni pydantic
        from . import __version__

        print(f"iag {__version__}")
        return SORTIE_OK
    _sans_greffons_pydantic()
    _installer_signaux()
    try:
        import typer

        from .cli import app, cli_fr

        try:
            # standalone_mode=False : les erreurs d'usage remontent ici, écrites en français.
            code = app(prog_name="iag", standalone_mode=False)
        except typer.TyperException as e:  # UsageError et autres erreurs de Click en dérivent
            return cli_fr.afficher_erreur(e)
        except typer.Abort:
            _message("Abandon.")
            return SORTIE_ECHEC  # comme Click : une invite abandonnée
        return code if isinstance(code, int) else SORTIE_OK
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (SORTIE_OK if e.code is None else SORTIE_USAGE)
    except KeyboardInterrupt:
        _message("interrompu")
        return SORTIE_INTERRUPTION
    except Signal as s:
        return _interrompu(s)
    except OSError as e:  # erreur du système hors des cas prévus : en français, sans trace
        if _RECUS:
            return _interrompu(_RECUS[0])
        from .echappement import echapper
        from .messages import erreur_systeme

        cible = f" ({echapper(e.filename)})" if getattr(e, "filename", None) else ""
        _message(f"iag : erreur du système{cible} : {erreur_systeme(e)}")
        return SORTIE_USAGE
    except Exception as e:  # noqa: BLE001  (dernier filet : un message, jamais de trace)
        if _RECUS:  # le signal, enveloppé par une bibliothèque : c'est lui la cause
            return _interrompu(_RECUS[0])
        _message(f"iag : erreur interne ({type(e).__name__}: {e}). Merci de la signaler.")
        return SORTIE_USAGE


def _interrompu(s: Signal) -> int:
    _message(f"interrompu ({s.nom})")
    return 128 + s.numero


if __name__ == "__main__":
    sys.exit(main())
