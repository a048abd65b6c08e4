"""Socle du CLI `iag` : application racine, registre paresseux des commandes, options partagées,
codes de sortie et aides communes aux familles de commandes (`cli/evaluation.py`,
`cli/consultation.py`…).

Une famille de commandes est un module de `iagcli/cli/` qui crée `app = famille()` et y déclare ses
commandes (`@app.command("nom", cls=CommandeFr)`) ; elle s'enregistre par une ligne dans
`cli/__init__.py` : `enregistrer("module", "commande", …)`. Le module n'est importé, et ses
paramètres convertis par Typer, que lorsqu'une de ses commandes est appelée (ou pour l'aide
générale) : `iag evaluer` ne paie pas la conversion des options de `iag recommandations`.

Les imports lourds (pydantic, rich, référentiel) sont faits dans les fonctions, pas au chargement,
pour que `iag --help` et `iag --version` restent rapides.
"""

from __future__ import annotations

import importlib
import io
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, Optional, TextIO, cast

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from .. import __version__
from ..cli_fr import CommandeFr, GroupeFr
from ..codes import SORTIE_ECHEC, SORTIE_OK, SORTIE_TUBE_ROMPU, SORTIE_USAGE

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from ..chemins import Ignores
    from ..configuration import ConfigurationChargee
    from ..erreurs import Diagnostic
    from ..referentiel import Referentiel

__all__ = [
    "SORTIE_ECHEC", "SORTIE_OK", "SORTIE_TUBE_ROMPU", "SORTIE_USAGE", "CommandeFr", "app", "enregistrer", "famille",
]

# --- Registre paresseux des commandes --------------------------------------------------------

# nom de la commande -> module de sa famille dans iagcli/cli/, dans l'ordre de l'aide.
_REGISTRE: dict[str, str] = {}


def enregistrer(module: str, *commandes: str) -> None:
    """Déclare les commandes d'une famille, définies dans `iagcli/cli/<module>.py`."""
    for nom in commandes:
        _REGISTRE[nom] = module


def famille() -> typer.Typer:
    """Application Typer d'une famille de commandes (jamais lancée seule : le groupe racine y puise)."""
    return typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


def _construire(nom: str) -> TyperCommand | TyperGroup:
    """Importe la famille de `nom` et convertit cette seule commande en commande Click (API publique
    `typer.main.get_command` sur une application d'une commande)."""
    module = importlib.import_module(f"{__package__}.{_REGISTRE[nom]}")
    source: typer.Typer = module.app
    for info in source.registered_commands:
        if info.name == nom:
            seule = famille()
            seule.registered_commands.append(info)
            commande = typer.main.get_command(seule)
            assert isinstance(commande, TyperCommand)
            return commande
    for groupe in source.registered_groups:
        if groupe.name == nom and groupe.typer_instance is not None:
            # Sous-groupe (`iag referentiel …`) : ses commandes sont converties ensemble, à la demande.
            sous_groupe = typer.main.get_command(groupe.typer_instance)
            assert isinstance(sous_groupe, TyperGroup)
            return sous_groupe
    raise LookupError(f"commande {nom} enregistrée mais absente de iagcli.cli.{_REGISTRE[nom]}")


class _Commandes(MutableMapping[str, Any]):
    """Commandes du groupe racine : les noms viennent du registre, chaque commande est construite à
    la première demande. Typer et Click ne lisent que ce dictionnaire (`get_command`,
    `list_commands`, suggestions d'une commande mal tapée)."""

    def __init__(self) -> None:
        self._faites: dict[str, Any] = {}

    def __getitem__(self, nom: str) -> Any:
        if nom not in self._faites:
            if nom not in _REGISTRE:
                raise KeyError(nom)
            self._faites[nom] = _construire(nom)
        return self._faites[nom]

    def __setitem__(self, nom: str, commande: Any) -> None:
        self._faites[nom] = commande

    def __delitem__(self, nom: str) -> None:
        del self._faites[nom]

    def __iter__(self) -> Iterator[str]:
        return iter(list(_REGISTRE) + [n for n in self._faites if n not in _REGISTRE])

    def __len__(self) -> int:
        return len(set(_REGISTRE) | set(self._faites))


class GroupeIag(GroupeFr):
    """Groupe racine : aide en français (GroupeFr) et commandes construites à la demande."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commandes()


app = typer.Typer(
    name="iag",
    cls=GroupeIag,  # aide et usage en français (voir cli_fr), commandes paresseuses
    help="Évaluer un usage d'IA générative face au référentiel de risques d'une collectivité.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # pas de trace ni de variables locales dans les journaux de CI
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JAMAIS = "jamais"  # même mot que modeles.referentiel.SEUIL_JAMAIS (non importé ici : pydantic est lent à charger)


def _version(valeur: bool) -> None:
    if valeur:
        print(f"iag {__version__}")
        raise typer.Exit()


@app.callback()
def principal(
    version: bool = typer.Option(False, "--version", "-V", help="Affiche la version et quitte.", callback=_version, is_eager=True),
) -> None:
    """Évaluer un usage d'IA générative face au référentiel de risques d'une collectivité.

    Exemple : iag evaluer exemples/
    """


def sortir(diagnostics: "Iterable[Diagnostic]", code: int, entete: Optional[str] = None) -> NoReturn:
    if entete:
        print(entete, file=sys.stderr)
    for d in diagnostics:
        print(str(d), file=sys.stderr)
    raise typer.Exit(code)


def charger_referentiel(dossier: Optional[str], sha256: Optional[str] = None, verbeux: bool = False) -> "Referentiel":
    import re

    from ..echappement import echapper
    from ..erreurs import ErreurReferentiel
    from ..referentiel import charger

    def signaler(message: str) -> None:  # avec --verbeux : une entrée du cache ignorée, et pourquoi
        print(f"iag : {echapper(message)}", file=sys.stderr)

    attendu = None
    if sha256:
        attendu = sha256.strip().lower()
        if not re.fullmatch("[0-9a-f]{64}", attendu):
            usage(f"--referentiel-sha256 « {sha256} » invalide : 64 chiffres hexadécimaux attendus")
    try:
        ref = charger(dossier, signaler=signaler if verbeux else None)
    except ErreurReferentiel as e:
        sortir(e.diagnostics, 2, "Référentiel invalide :")
    if attendu is not None and ref.empreinte != attendu:
        # Épinglage : un référentiel remplacé (par une configuration du dépôt évalué, par exemple) est refusé.
        usage(f"référentiel refusé : son sha256 est {ref.empreinte} ({ref.dossier}), "
               f"--referentiel-sha256 attend {attendu}")
    return ref


def charger_configuration(chemin: Optional[str], sans_config: bool = False) -> "ConfigurationChargee":
    from .. import configuration
    from ..erreurs import ErreurIag

    if sans_config and chemin:
        usage("--sans-config (ou IAG_SANS_CONFIG) ignore toute configuration : il exclut --config et IAG_CONFIG")
    try:
        return configuration.charger(chemin, sans_config=sans_config)
    except ErreurIag as e:
        sortir(e.diagnostics, 2, "Configuration invalide :")


def usage(message: str) -> NoReturn:
    from ..echappement import echapper

    # Le message cite des valeurs venues d'options, de variables IAG_* ou de .iag.yaml : échappées.
    print(f"iag : {echapper(message)}", file=sys.stderr)
    raise typer.Exit(2)


def faute_config(conf: "ConfigurationChargee", message: str, chemin: tuple[str | int, ...]) -> NoReturn:
    """Valeur fautive venue du fichier de configuration : placée à sa ligne et sa colonne."""
    sortir([conf.erreur(message, chemin)], 2, "Configuration invalide :")


def lire_date(texte: Optional[str], conf: "ConfigurationChargee") -> "dt.date":
    """Date d'évaluation : --date ou IAG_DATE, sinon `date:` de la configuration, sinon aujourd'hui."""
    import datetime as dt
    import re

    if texte is None:
        return conf.config.date or dt.date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", texte.strip()):
            raise ValueError
        return dt.date.fromisoformat(texte.strip())
    except ValueError:
        usage(f"date « {texte} » invalide : attendu AAAA-MM-JJ (ex. 2027-12-02)")


def avertir_si_perime(ref: "Referentiel", date: "dt.date") -> None:
    """Une ligne sur l'erreur standard quand la vérification juridique du référentiel a dépassé sa limite."""
    if ref.perime_le(date):
        from ..rapports.constats import avertissement_peremption

        print(f"iag : avertissement : {avertissement_peremption(ref, date)}", file=sys.stderr)


def niveau_seuil(texte: str, ref: "Referentiel", conf: "Optional[ConfigurationChargee]" = None) -> Optional[str]:
    """Identifiant du niveau seuil ; `conf` : la valeur vient du fichier de configuration."""
    from ..modeles.types import normaliser

    if normaliser(texte) == JAMAIS:
        return None
    for ident in ref.rang:
        if normaliser(ident) == normaliser(texte):
            return ident
    message = f"seuil « {texte} » inconnu ; valeurs permises : {', '.join(ref.rang)}, {JAMAIS}"
    if conf is not None:
        faute_config(conf, message, ("seuil",))
    usage(message)


def decider_seuil(option: Optional[str], ref: "Referentiel", conf: "ConfigurationChargee") -> Optional[str]:
    """Le seuil d'une commande, décidé ici seulement : --seuil (ou IAG_SEUIL), sinon `seuil:` de la
    configuration (erreur placée dans ce fichier), sinon `parametres.seuil_defaut` du référentiel."""
    if option:
        return niveau_seuil(option, ref)
    if conf.config.seuil:
        return niveau_seuil(conf.config.seuil, ref, conf)
    return ref.seuil_defaut


@contextmanager
def sortie_tamponnee(encodage: Optional[str] = None) -> "Iterator[TextIO]":
    """Sortie standard tamponnée même sous PYTHONUNBUFFERED=1 (courant dans les images de CI) :
    sinon chaque petit morceau écrit par un rapporteur devient un appel système.

    `encodage` : imposé pour les formats lus par des outils (UTF-8), sinon celui du terminal."""
    from ..flux import SortieProtegee

    try:
        brut = sys.stdout.buffer
    except AttributeError:  # flux de test sans tampon binaire
        yield sys.stdout
        return
    sys.stdout.flush()
    # Sur un terminal, ligne par ligne : les rapports restent entrelacés avec les erreurs (stderr).
    tampon = io.TextIOWrapper(brut, encoding=encodage or sys.stdout.encoding or "utf-8", errors="backslashreplace",
                              line_buffering=brut.isatty(), write_through=False)
    # Protégée : un tube rompu ou un disque plein sur la sortie standard n'arrête pas le lot, les
    # rapports -o restent complets (voir flux.py pour le code de sortie).
    flux = SortieProtegee(tampon)
    try:
        yield cast(TextIO, flux)  # SortieProtegee imite TextIO (write, flush, encoding…)
    finally:
        flux.flush()
        try:
            # Détacher sans fermer la vraie sortie standard (un TextIOWrapper abandonné la fermerait).
            # Après un échec, la sortie est déjà /dev/null : le reste du tampon s'y perd sans erreur.
            tampon.detach()
        except (OSError, ValueError):
            pass


class _EchecRapport(Exception):
    def __init__(self, chemin: str, erreur: OSError):
        super().__init__(chemin)
        self.chemin, self.erreur = chemin, erreur


class _FluxRapport:
    """Flux d'un rapport `-o` : une erreur d'écriture emporte le chemin demandé. Plusieurs rapports
    sont ouverts à la fois ; sans cela, l'erreur d'un disque plein serait attribuée au dernier ouvert."""

    def __init__(self, flux: TextIO, chemin: str):
        self._flux, self._chemin = flux, chemin

    def write(self, texte: str) -> int:
        try:
            return self._flux.write(texte)
        except OSError as e:
            raise _EchecRapport(self._chemin, e) from None

    def flush(self) -> None:
        try:
            self._flux.flush()
        except OSError as e:
            raise _EchecRapport(self._chemin, e) from None

    def __getattr__(self, nom: str) -> Any:
        return getattr(self._flux, nom)


@contextmanager
def fichier_rapport(chemin: str) -> "Iterator[TextIO]":
    """Rapport `-o` écrit de façon atomique ; une erreur nomme le chemin demandé, pas le temporaire."""
    from .. import sorties

    try:
        with sorties.ecriture_atomique(chemin) as flux:
            yield cast(TextIO, _FluxRapport(flux, chemin))  # imite TextIO (write, flush, le reste délégué)
    except (OSError, _EchecRapport) as e:
        if isinstance(e, _EchecRapport) and e.chemin != chemin:
            raise  # l'échec d'un autre rapport : c'est son contexte qui le dira
        from ..echappement import echapper
        from ..messages import erreur_systeme

        erreur = e.erreur if isinstance(e, _EchecRapport) else e
        usage(f"écriture du rapport « {echapper(chemin)} » impossible : {erreur_systeme(erreur)}")


OPTION_REFERENTIEL = typer.Option(
    None, "--referentiel", "-r", envvar="IAG_REFERENTIEL", metavar="DOSSIER",
    help="Dossier du référentiel (risques.yaml, recommandations.yaml). Par défaut : celui fourni avec iag.",
)
OPTION_CONFIG = typer.Option(
    None, "--config", envvar="IAG_CONFIG", metavar="FICHIER",
    help="Fichier de configuration. Par défaut : .iag.yaml le plus proche en remontant depuis le dossier courant, "
         "sans dépasser la racine du dépôt (.git) ni $HOME.",
)
OPTION_NOM_STDIN = typer.Option(None, "--nom-stdin", metavar="NOM", help="Nom donné à l'entrée standard (-) dans les rapports.")
OPTION_SANS_CONFIG = typer.Option(
    False, "--sans-config", envvar="IAG_SANS_CONFIG",
    help="Ignore tout fichier .iag.yaml (seuil et référentiel viennent des options et des variables) : "
         "pour évaluer des propositions qui ne sont pas de confiance, en CI.",
)
OPTION_SHA256 = typer.Option(
    None, "--referentiel-sha256", envvar="IAG_REFERENTIEL_SHA256", metavar="SHA256",
    help="Refuse (code 2) tout référentiel dont l'empreinte diffère : "
         "sha256sum risques.yaml recommandations.yaml | sha256sum, dans son dossier.",
)
OPTION_VERBEUX = typer.Option(False, "--verbeux", "-v", help="Dit aussi, sur l'erreur standard, quels fichiers des dossiers ont été ignorés (cachés, non YAML).")


def signaler_ignores(ignores: "Ignores", verbeux: bool) -> None:
    """Avec --verbeux : chaque chemin ignoré par le parcours des dossiers, puis leur nombre."""
    from ..echappement import echapper

    if not verbeux:
        return
    for genre, chemins in (("caché", ignores.caches), ("sans extension .yaml ou .yml", ignores.non_yaml),
                           ("lien vers un dossier, non suivi", ignores.liens)):
        for c in chemins:
            print(f"{echapper(c)}: ignoré ({genre})", file=sys.stderr)
    print(f"iag : {ignores.total} chemin(s) ignoré(s) : {len(ignores.caches)} caché(s), "
          f"{len(ignores.non_yaml)} sans extension .yaml ou .yml, {len(ignores.liens)} lien(s) vers un dossier",
          file=sys.stderr)


def rapports_demandes(rapports: list[str], conf: "ConfigurationChargee") -> list[tuple[str, str]]:
    """(format, chemin) des rapports en fichiers : -o, sinon IAG_RAPPORTS, sinon la configuration.

    Chaque -o est pris en entier (seul le premier « : » sépare) : un nom peut contenir une virgule.
    IAG_RAPPORTS est lu ici, pas par Click, pour séparer ses rapports par des virgules seulement."""
    import os

    from .. import configuration
    from ..erreurs import ErreurIag
    try:
        if rapports:
            return [configuration.rapport_depuis_texte(t, "--rapport") for t in rapports]
        if os.environ.get("IAG_RAPPORTS"):
            return configuration.rapports_environnement(os.environ["IAG_RAPPORTS"])
        # Formats de la configuration déjà validés au chargement (avec leur position).
        return [(r.format, conf.chemin_rapport(i)) for i, r in enumerate(conf.config.rapports)]
    except ErreurIag as e:
        sortir(e.diagnostics, 2, "Configuration invalide :" if not rapports and not os.environ.get("IAG_RAPPORTS") else None)


