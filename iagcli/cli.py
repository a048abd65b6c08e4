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


def _charger_referentiel(dossier: Optional[str], sha256: Optional[str] = None):
    import re

    from .erreurs import ErreurReferentiel
    from .referentiel import charger

    attendu = None
    if sha256:
        attendu = sha256.strip().lower()
        if not re.fullmatch("[0-9a-f]{64}", attendu):
            _usage(f"--referentiel-sha256 « {sha256} » invalide : 64 chiffres hexadécimaux attendus")
    try:
        ref = charger(dossier)
    except ErreurReferentiel as e:
        _sortir(e.diagnostics, 2, "Référentiel invalide :")
    if attendu is not None and ref.empreinte != attendu:
        # Épinglage : un référentiel remplacé (par une configuration du dépôt évalué, par exemple) est refusé.
        _usage(f"référentiel refusé : son sha256 est {ref.empreinte} ({ref.dossier}), "
               f"--referentiel-sha256 attend {attendu}")
    return ref


def _configuration(chemin: Optional[str], sans_config: bool = False):
    from . import configuration
    from .erreurs import ErreurIag

    if sans_config and chemin:
        _usage("--sans-config (ou IAG_SANS_CONFIG) ignore toute configuration : il exclut --config et IAG_CONFIG")
    try:
        return configuration.charger(chemin, sans_config=sans_config)
    except ErreurIag as e:
        _sortir(e.diagnostics, 2, "Configuration invalide :")


def _usage(message: str):
    from .echappement import echapper

    # Le message cite des valeurs venues d'options, de variables IAG_* ou de .iag.yaml : échappées.
    print(f"iag : {echapper(message)}", file=sys.stderr)
    raise typer.Exit(2)


def _faute_config(conf, message: str, chemin: tuple):
    """Valeur fautive venue du fichier de configuration : placée à sa ligne et sa colonne."""
    _sortir([conf.erreur(message, chemin)], 2, "Configuration invalide :")


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


def _seuil(texte: str, ref, conf=None) -> Optional[str]:
    """Identifiant du niveau seuil ; `conf` : la valeur vient du fichier de configuration."""
    from .modeles.types import normaliser

    if normaliser(texte) == JAMAIS:
        return None
    for ident in ref.rang:
        if normaliser(ident) == normaliser(texte):
            return ident
    message = f"seuil « {texte} » inconnu ; valeurs permises : {', '.join(ref.rang)}, {JAMAIS}"
    if conf is not None:
        _faute_config(conf, message, ("seuil",))
    _usage(message)


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


def _signaler_ignores(ignores, verbeux: bool) -> None:
    """Avec --verbeux : chaque chemin ignoré par le parcours des dossiers, puis leur nombre."""
    from .echappement import echapper

    if not verbeux:
        return
    for genre, chemins in (("caché", ignores.caches), ("sans extension .yaml ou .yml", ignores.non_yaml),
                           ("lien vers un dossier, non suivi", ignores.liens)):
        for c in chemins:
            print(f"{echapper(c)}: ignoré ({genre})", file=sys.stderr)
    print(f"iag : {ignores.total} chemin(s) ignoré(s) : {len(ignores.caches)} caché(s), "
          f"{len(ignores.non_yaml)} sans extension .yaml ou .yml, {len(ignores.liens)} lien(s) vers un dossier",
          file=sys.stderr)


def _rapports_demandes(rapports: list[str], conf) -> list[tuple[str, str]]:
    """(format, chemin) des rapports en fichiers : -o, sinon IAG_RAPPORTS, sinon la configuration.

    Chaque -o est pris en entier (seul le premier « : » sépare) : un nom peut contenir une virgule.
    IAG_RAPPORTS est lu ici, pas par Click, pour séparer ses rapports par des virgules seulement."""
    import os

    from . import configuration
    from .erreurs import ErreurIag
    from .rapports import FORMATS

    try:
        if rapports:
            return [configuration.rapport_depuis_texte(t, "--rapport") for t in rapports]
        if os.environ.get("IAG_RAPPORTS"):
            return configuration.rapports_environnement(os.environ["IAG_RAPPORTS"])
        fichiers = []
        for i, r in enumerate(conf.config.rapports):
            if r.format not in FORMATS:
                _faute_config(conf, f"format « {r.format} » inconnu ; formats : {', '.join(FORMATS)}", ("rapports", i, "format"))
            fichiers.append((r.format, conf.chemin_rapport(i)))
        return fichiers
    except ErreurIag as e:
        _sortir(e.diagnostics, 2, "Configuration invalide :" if not rapports and not os.environ.get("IAG_RAPPORTS") else None)


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
        [], "--rapport", "-o", metavar="FORMAT:FICHIER",
        help="Écrit aussi un rapport dans un fichier (répétable), ex. -o json:iag.json -o sarif:iag.sarif. "
             "Variable : IAG_RAPPORTS (rapports séparés par des virgules).",
    ),
    silencieux: bool = typer.Option(False, "--silencieux", "-q", help="N'affiche que ce qui échoue (cas au-dessus du seuil, fichiers invalides)."),
    matrice: bool = typer.Option(False, "--matrice", help="Place les risques du cas dans la grille, avant et après les mesures."),
    date: Optional[str] = typer.Option(
        None, "--date", "-d", envvar="IAG_DATE", metavar="AAAA-MM-JJ",
        help="Date d'évaluation : les règles pas encore applicables à cette date sont signalées « à venir ». Défaut : aujourd'hui.",
    ),
    nom_stdin: Optional[str] = OPTION_NOM_STDIN,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
    verbeux: bool = OPTION_VERBEUX,
) -> None:
    """Évalue des cas d'usage : risques, obligations légales, mesures et recommandations.

    Exemples : iag evaluer exemples/traduction-site-web.yaml ;
    iag evaluer propositions/ --seuil critique -o sarif:iag.sarif

    Codes de sortie : 0 rien au niveau du seuil ou au-dessus ; 1 un cas au seuil ou au-dessus, ou un
    fichier de cas d'usage invalide ; 2 erreur d'usage, chemin illisible, référentiel ou configuration invalide.
    """
    from contextlib import ExitStack

    from .chemins import Ignores, developper
    from .controleur import executer
    from .rapports import FORMATS, creer
    from .sorties import verifier_cibles

    conf = _configuration(config, sans_config)
    ref = _charger_referentiel(referentiel or conf.relatif(conf.config.referentiel), referentiel_sha256)
    niveau_seuil = _seuil(seuil, ref) if seuil else _seuil(conf.config.seuil, ref, conf) if conf.config.seuil else _seuil(SEUIL_DEFAUT, ref)
    date_evaluation = _date(date, conf)
    format_sortie = format or conf.config.format or "texte"
    if format_sortie not in FORMATS:
        message = f"format « {format_sortie} » inconnu ; formats : {', '.join(FORMATS)}"
        if not format:
            _faute_config(conf, message, ("format",))
        _usage(message)
    fichiers = _rapports_demandes(rapports, conf)
    for fmt, _ in fichiers:
        if fmt not in FORMATS:
            _usage(f"format « {fmt} » inconnu ; formats : {', '.join(FORMATS)}")
    conflit = verifier_cibles(fichiers, chemins)
    if conflit:
        _usage(conflit)
    ignores = Ignores()

    _avertir_si_perime(ref, date_evaluation)
    options = {"seuil": niveau_seuil, "erreurs": sys.stderr, "silencieux": silencieux, "matrice": matrice, "date": date_evaluation}
    with ExitStack() as pile:
        # Seul le texte suit l'encodage du terminal (caractères impossibles échappés) ; les autres
        # formats sont lus par des outils ou redirigés dans des fichiers : UTF-8, comme les rapports -o.
        sortie = pile.enter_context(_sortie_tamponnee(None if format_sortie == "texte" else "utf-8"))
        rapporteurs = [creer(format_sortie, sortie, ref, **options)]
        for fmt, chemin in fichiers:
            flux = pile.enter_context(_fichier_rapport(chemin))
            rapporteurs.append(creer(fmt, flux, ref, **{**options, "silencieux": False, "vers_fichier": True}))
        bilan = executer(developper(chemins, ignores), ref, rapporteurs, niveau_seuil, nom_stdin, date_evaluation)
    _signaler_ignores(ignores, verbeux)
    raise typer.Exit(bilan.code_sortie())


@app.command("valider", cls=CommandeFr)
def valider(
    chemins: list[str] = typer.Argument(..., metavar="CHEMIN", help="Fichiers ou dossiers de cas d'usage YAML ; - pour l'entrée standard."),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    nom_stdin: Optional[str] = OPTION_NOM_STDIN,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
    verbeux: bool = OPTION_VERBEUX,
) -> None:
    """Vérifie seulement le schéma des cas d'usage (même format d'erreur, mêmes codes de sortie).

    Exemple : iag valider propositions/

    Codes de sortie : 0 tous valides ; 1 au moins un fichier invalide ; 2 usage, chemin illisible ou référentiel invalide.
    """
    from .chemins import Ignores, developper
    from .controleur import AUCUN_YAML, lire_cas, nom_affiche
    from .echappement import echapper
    from .erreurs import ErreurFichier, ErreurLecture
    from .modeles.cas_usage import notes_schema
    from .rapports.constats import chemin_champ

    conf = _configuration(config, sans_config)
    ref = _charger_referentiel(referentiel or conf.relatif(conf.config.referentiel), referentiel_sha256)
    code = 0
    ignores = Ignores()
    for chemin, etat in developper(chemins, ignores):
        nom = nom_affiche(chemin, nom_stdin)
        if etat is not True:
            print(f"{nom}: {AUCUN_YAML if etat is False else etat}", file=sys.stderr)
            code = 2
            continue
        try:
            document, cas = lire_cas(chemin, ref, nom)
            print(f"{nom}: valide")
            for n in notes_schema(cas):  # fichier antérieur au schéma courant : avertissement, pas erreur
                pos = document.position(chemin_champ(n.champ), cle=True)
                ou = f"{pos.ligne}:{pos.colonne}:" if pos else ""
                print(f"{nom}:{ou} avertissement : {echapper(n.message)}", file=sys.stderr)
        except ErreurLecture as e:
            for d in e.diagnostics:
                print(str(d), file=sys.stderr)
            code = 2
        except ErreurFichier as e:
            for d in e.diagnostics:
                print(str(d), file=sys.stderr)
            code = max(code, 1)
    _signaler_ignores(ignores, verbeux)
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
from . import cli_referentiel  # noqa: E402,F401  (enregistre le groupe referentiel : verifier, exporter, comparer)
