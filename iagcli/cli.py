"""Interface en ligne de commande `iag` : lit les options, appelle le cœur, rend un code de sortie.

Les imports lourds (pydantic, rich, référentiel) sont faits dans les commandes, pas au chargement,
pour que `iag --help` et `iag --version` restent rapides.
"""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from typing import Optional

import typer

from . import __version__
from .cli_fr import CommandeFr, GroupeFr

app = typer.Typer(
    name="iag",
    cls=GroupeFr,  # aide et usage en français (voir cli_fr)
    help="Évaluer un usage d'IA générative face au référentiel de risques d'une collectivité.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # pas de trace ni de variables locales dans les journaux de CI
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

SEUIL_DEFAUT = "élevé"
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


def _sortir(diagnostics, code: int, entete: Optional[str] = None):
    if entete:
        print(entete, file=sys.stderr)
    for d in diagnostics:
        print(str(d), file=sys.stderr)
    raise typer.Exit(code)


def _charger_referentiel(dossier: Optional[str]):
    from .erreurs import ErreurReferentiel
    from .referentiel import charger

    try:
        return charger(dossier)
    except ErreurReferentiel as e:
        _sortir(e.diagnostics, 2, "Référentiel invalide :")


def _configuration(chemin: Optional[str]):
    from . import configuration
    from .erreurs import ErreurIag

    try:
        return configuration.charger(chemin)
    except ErreurIag as e:
        _sortir(e.diagnostics, 2, "Configuration invalide :")


def _usage(message: str):
    print(f"iag : {message}", file=sys.stderr)
    raise typer.Exit(2)


def _seuil(texte: str, ref) -> Optional[str]:
    from .modeles.types import normaliser

    if normaliser(texte) == JAMAIS:
        return None
    for ident in ref.rang:
        if normaliser(ident) == normaliser(texte):
            return ident
    _usage(f"seuil « {texte} » inconnu ; valeurs permises : {', '.join(ref.rang)}, {JAMAIS}")


@contextmanager
def _sortie_tamponnee(encodage: Optional[str] = None):
    """Sortie standard tamponnée même sous PYTHONUNBUFFERED=1 (courant dans les images de CI) :
    sinon chaque petit morceau écrit par un rapporteur devient un appel système.

    `encodage` : imposé pour les formats lus par des outils (UTF-8), sinon celui du terminal."""
    from .flux import SortieProtegee

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
        yield flux
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

    def __init__(self, flux, chemin: str):
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

    def __getattr__(self, nom):
        return getattr(self._flux, nom)


@contextmanager
def _fichier_rapport(chemin: str):
    """Rapport `-o` écrit de façon atomique ; une erreur nomme le chemin demandé, pas le temporaire."""
    from . import sorties

    try:
        with sorties.ecriture_atomique(chemin) as flux:
            yield _FluxRapport(flux, chemin)
    except (OSError, _EchecRapport) as e:
        if isinstance(e, _EchecRapport) and e.chemin != chemin:
            raise  # l'échec d'un autre rapport : c'est son contexte qui le dira
        from .echappement import echapper
        from .messages import erreur_systeme

        erreur = e.erreur if isinstance(e, _EchecRapport) else e
        _usage(f"écriture du rapport « {echapper(chemin)} » impossible : {erreur_systeme(erreur)}")


OPTION_REFERENTIEL = typer.Option(
    None, "--referentiel", "-r", envvar="IAG_REFERENTIEL", metavar="DOSSIER",
    help="Dossier du référentiel (risques.yaml, recommandations.yaml). Par défaut : celui fourni avec iag.",
)
OPTION_CONFIG = typer.Option(
    None, "--config", envvar="IAG_CONFIG", metavar="FICHIER",
    help="Fichier de configuration. Par défaut : .iag.yaml le plus proche en remontant depuis le dossier courant.",
)
OPTION_NOM_STDIN = typer.Option(None, "--nom-stdin", metavar="NOM", help="Nom donné à l'entrée standard (-) dans les rapports.")


@app.command("evaluer", cls=CommandeFr)
def evaluer(
    chemins: list[str] = typer.Argument(..., metavar="CHEMIN", help="Fichiers ou dossiers de cas d'usage YAML ; - pour l'entrée standard."),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    seuil: Optional[str] = typer.Option(
        None, "--seuil", "-s", envvar="IAG_SEUIL", metavar="NIVEAU",
        help=f"Niveau à partir duquel la commande échoue (code 1) : faible, modéré, élevé, critique, interdit ou {JAMAIS}. Défaut : {SEUIL_DEFAUT}.",
    ),
    format: Optional[str] = typer.Option(
        None, "--format", "-f", envvar="IAG_FORMAT", metavar="FORMAT",
        help="Format sur la sortie standard : texte (défaut), json, markdown, sarif, junit, gitlab, github.",
    ),
    rapports: list[str] = typer.Option(
        [], "--rapport", "-o", envvar="IAG_RAPPORTS", metavar="FORMAT:FICHIER",
        help="Écrit aussi un rapport dans un fichier (répétable), ex. -o json:iag.json -o sarif:iag.sarif.",
    ),
    silencieux: bool = typer.Option(False, "--silencieux", "-q", help="N'affiche que ce qui échoue (cas au-dessus du seuil, fichiers invalides)."),
    matrice: bool = typer.Option(False, "--matrice", help="Place les risques du cas dans la grille, avant et après les mesures."),
    nom_stdin: Optional[str] = OPTION_NOM_STDIN,
    config: Optional[str] = OPTION_CONFIG,
) -> None:
    """Évalue des cas d'usage : risques, obligations légales, mesures et recommandations.

    Exemples : iag evaluer exemples/traduction-site-web.yaml ;
    iag evaluer propositions/ --seuil critique -o sarif:iag.sarif

    Codes de sortie : 0 rien au niveau du seuil ou au-dessus ; 1 un cas au seuil ou au-dessus, ou un
    fichier de cas d'usage invalide ; 2 erreur d'usage, chemin illisible, référentiel ou configuration invalide.
    """
    from contextlib import ExitStack

    from . import configuration
    from .chemins import developper
    from .controleur import executer
    from .erreurs import ErreurIag
    from .rapports import FORMATS, creer

    conf = _configuration(config)
    ref = _charger_referentiel(referentiel or conf.relatif(conf.config.referentiel))
    niveau_seuil = _seuil(seuil or conf.config.seuil or SEUIL_DEFAUT, ref)
    format_sortie = format or conf.config.format or "texte"
    try:
        fichiers = [configuration.rapport_depuis_texte(t, "--rapport") for x in rapports for t in x.split(",") if t] if rapports else [
            (r.format, conf.relatif(r.fichier)) for r in conf.config.rapports
        ]
    except ErreurIag as e:
        _sortir(e.diagnostics, 2)
    for fmt in [format_sortie, *(f for f, _ in fichiers)]:
        if fmt not in FORMATS:
            _usage(f"format « {fmt} » inconnu ; formats : {', '.join(FORMATS)}")

    options = {"seuil": niveau_seuil, "erreurs": sys.stderr, "silencieux": silencieux, "matrice": matrice}
    with ExitStack() as pile:
        # Seul le texte suit l'encodage du terminal (caractères impossibles échappés) ; les autres
        # formats sont lus par des outils ou redirigés dans des fichiers : UTF-8, comme les rapports -o.
        sortie = pile.enter_context(_sortie_tamponnee(None if format_sortie == "texte" else "utf-8"))
        rapporteurs = [creer(format_sortie, sortie, ref, **options)]
        for fmt, chemin in fichiers:
            flux = pile.enter_context(_fichier_rapport(chemin))
            rapporteurs.append(creer(fmt, flux, ref, **{**options, "silencieux": False, "vers_fichier": True}))
        bilan = executer(developper(chemins), ref, rapporteurs, niveau_seuil, nom_stdin)
    raise typer.Exit(bilan.code_sortie())


@app.command("valider", cls=CommandeFr)
def valider(
    chemins: list[str] = typer.Argument(..., metavar="CHEMIN", help="Fichiers ou dossiers de cas d'usage YAML ; - pour l'entrée standard."),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    nom_stdin: Optional[str] = OPTION_NOM_STDIN,
    config: Optional[str] = OPTION_CONFIG,
) -> None:
    """Vérifie seulement le schéma des cas d'usage (même format d'erreur, mêmes codes de sortie).

    Exemple : iag valider propositions/

    Codes de sortie : 0 tous valides ; 1 au moins un fichier invalide ; 2 usage, chemin illisible ou référentiel invalide.
    """
    from .chemins import developper
    from .controleur import lire_cas
    from .echappement import echapper
    from .erreurs import ErreurFichier, ErreurLecture

    conf = _configuration(config)
    ref = _charger_referentiel(referentiel or conf.relatif(conf.config.referentiel))
    code = 0
    for chemin, trouve in developper(chemins):
        nom = (nom_stdin or "<stdin>") if chemin == "-" else chemin
        if not trouve:
            print(f"{echapper(chemin)}: aucun fichier YAML (*.yaml, *.yml) dans ce dossier", file=sys.stderr)
            code = 2
            continue
        try:
            lire_cas(chemin, ref, nom)
            print(f"{echapper(nom)}: valide")
        except ErreurLecture as e:
            for d in e.diagnostics:
                print(str(d), file=sys.stderr)
            code = 2
        except ErreurFichier as e:
            for d in e.diagnostics:
                print(str(d), file=sys.stderr)
            code = max(code, 1)
    raise typer.Exit(code)


@app.command("schema", cls=CommandeFr)
def schema() -> None:
    """Affiche le schéma JSON des fichiers de cas d'usage (pour les éditeurs : yaml-language-server).

    Exemple : iag schema > schemas/cas-usage.schema.json
    """
    from .flux import ecrire_document
    from .schema import schema_cas_usage_json

    ecrire_document(schema_cas_usage_json())


from . import cli_consultation  # noqa: E402,F401  (enregistre recommandations, risques, matrice, nouveau)
