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

from . import __version__, cli_fr

cli_fr.installer()

app = typer.Typer(
    name="iag",
    help="Évaluer un usage d'IA générative face au référentiel de risques d'une collectivité.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # pas de trace ni de variables locales dans les journaux de CI
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

SEUIL_DEFAUT = "élevé"
JAMAIS = "jamais"


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


def _date(texte: Optional[str], conf):
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
        _usage(f"date « {texte} » invalide : attendu AAAA-MM-JJ (ex. 2027-12-02)")


def _avertir_si_perime(ref, date) -> None:
    """Une ligne sur l'erreur standard quand la vérification juridique du référentiel a dépassé sa limite."""
    if ref.perime_le(date):
        from .rapports.constats import avertissement_peremption

        print(f"iag : avertissement : {avertissement_peremption(ref, date)}", file=sys.stderr)


def _seuil(texte: str, ref) -> Optional[str]:
    from .modeles.types import normaliser

    if normaliser(texte) == JAMAIS:
        return None
    for ident in ref.rang:
        if normaliser(ident) == normaliser(texte):
            return ident
    _usage(f"seuil « {texte} » inconnu ; valeurs permises : {', '.join(ref.rang)}, {JAMAIS}")


@contextmanager
def _sortie_tamponnee():
    """Sortie standard tamponnée même sous PYTHONUNBUFFERED=1 (courant dans les images de CI) :
    sinon chaque petit morceau écrit par un rapporteur devient un appel système."""
    try:
        brut = sys.stdout.buffer
    except AttributeError:  # flux de test sans tampon binaire
        yield sys.stdout
        return
    sys.stdout.flush()
    # Sur un terminal, ligne par ligne : les rapports restent entrelacés avec les erreurs (stderr).
    flux = io.TextIOWrapper(brut, encoding=sys.stdout.encoding or "utf-8", errors=sys.stdout.errors or "strict",
                            line_buffering=brut.isatty(), write_through=False)
    try:
        yield flux
    finally:
        flux.flush()
        flux.detach()  # ne ferme pas la vraie sortie standard


OPTION_REFERENTIEL = typer.Option(
    None, "--referentiel", "-r", envvar="IAG_REFERENTIEL", metavar="DOSSIER",
    help="Dossier du référentiel (risques.yaml, recommandations.yaml). Par défaut : celui fourni avec iag.",
)
OPTION_CONFIG = typer.Option(
    None, "--config", envvar="IAG_CONFIG", metavar="FICHIER",
    help="Fichier de configuration. Par défaut : .iag.yaml le plus proche en remontant depuis le dossier courant.",
)
OPTION_NOM_STDIN = typer.Option(None, "--nom-stdin", metavar="NOM", help="Nom donné à l'entrée standard (-) dans les rapports.")


@app.command("evaluer")
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
    date: Optional[str] = typer.Option(
        None, "--date", "-d", envvar="IAG_DATE", metavar="AAAA-MM-JJ",
        help="Date d'évaluation : les règles pas encore applicables à cette date sont signalées « à venir ». Défaut : aujourd'hui.",
    ),
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
    from .sorties import ecriture_atomique

    conf = _configuration(config)
    ref = _charger_referentiel(referentiel or conf.relatif(conf.config.referentiel))
    niveau_seuil = _seuil(seuil or conf.config.seuil or SEUIL_DEFAUT, ref)
    date_evaluation = _date(date, conf)
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

    _avertir_si_perime(ref, date_evaluation)
    options = {"seuil": niveau_seuil, "erreurs": sys.stderr, "silencieux": silencieux, "matrice": matrice, "date": date_evaluation}
    try:
        with ExitStack() as pile:
            sortie = pile.enter_context(_sortie_tamponnee())
            rapporteurs = [creer(format_sortie, sortie, ref, **options)]
            for fmt, chemin in fichiers:
                flux = pile.enter_context(ecriture_atomique(chemin))
                rapporteurs.append(creer(fmt, flux, ref, **{**options, "silencieux": False, "vers_fichier": True}))
            bilan = executer(developper(chemins), ref, rapporteurs, niveau_seuil, nom_stdin, date_evaluation)
    except OSError as e:
        _usage(f"écriture du rapport impossible : {e.filename or ''} {e.strerror or e}".strip())
    raise typer.Exit(bilan.code_sortie())


@app.command("valider")
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
    from .modeles.cas_usage import notes_schema
    from .rapports.constats import chemin_champ

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
            document, cas = lire_cas(chemin, ref, nom)
            print(f"{echapper(nom)}: valide")
            for n in notes_schema(cas):  # fichier antérieur au schéma courant : avertissement, pas erreur
                pos = document.position(chemin_champ(n.champ), cle=True)
                ou = f"{pos.ligne}:{pos.colonne}:" if pos else ""
                print(f"{echapper(nom)}:{ou} avertissement : {n.message}", file=sys.stderr)
        except ErreurLecture as e:
            for d in e.diagnostics:
                print(str(d), file=sys.stderr)
            code = 2
        except ErreurFichier as e:
            for d in e.diagnostics:
                print(str(d), file=sys.stderr)
            code = max(code, 1)
    raise typer.Exit(code)


@app.command("schema")
def schema() -> None:
    """Affiche le schéma JSON des fichiers de cas d'usage (pour les éditeurs : yaml-language-server).

    Exemple : iag schema > schemas/cas-usage.schema.json
    """
    from .schema import schema_cas_usage_json

    sys.stdout.write(schema_cas_usage_json())


from . import cli_consultation  # noqa: E402,F401  (enregistre recommandations, risques, matrice, nouveau)
