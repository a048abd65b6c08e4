"""Commandes de l'observatoire : `iag synthese` (le portefeuille) et `iag registre` (le registre public).

Famille de commandes enregistrée dans `cli/__init__.py`. Mêmes chemins qu'`iag evaluer`, même préparation
(`commun.preparer` : configuration, référentiel épinglé, seuil, date) ;
le contrôleur évalue, le cœur (`moteur/observatoire.py`) agrège, une vue par format (`rendus/observatoire/`) met en forme.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional, TextIO, Union

import typer

from .commun import (
    JAMAIS,
    OPTION_CONFIG,
    OPTION_NOM_STDIN,
    OPTION_REFERENTIEL,
    OPTION_SANS_CONFIG,
    OPTION_SHA256,
    OPTION_SIGNATAIRES,
    OPTION_VERBEUX,
    CommandeFr,
    famille,
    preparer,
    signaler_ignores,
    signataires_retenus,
    usage,
)
from .sortie import fichier_rapport, sortie_tamponnee

if TYPE_CHECKING:
    from ..moteur.observatoire import CollecteurRegistre, CollecteurSynthese
    from ..moteur.referentiel import Referentiel
    from ..moteur.resultat import Bilan, ResultatFichier
    from ..rendus.evaluation import Base

app = famille()

ARGUMENT_CHEMINS = typer.Argument(..., metavar="CHEMIN", help="Fichiers ou dossiers de cas d'usage YAML ; - pour l'entrée standard.")
OPTION_DATE = typer.Option(
    None, "--date", "-d", envvar="IAG_DATE", metavar="AAAA-MM-JJ",
    help="Date d'évaluation (droit applicable, revues en retard, échéances). Défaut : aujourd'hui.",
)
OPTION_SILENCIEUX = typer.Option(False, "--silencieux", "-q", help="Pas de barre de progression.")


def _option_rapports(exemple: str) -> Any:  # typer.Option est typé Any (valeur par défaut du paramètre)
    # L'exemple est celui de la commande : `iag registre --help` ne montre pas un fichier de synthèse.
    return typer.Option(
        [], "--rapport", "-o", metavar="FORMAT:FICHIER",
        help=f"Écrit aussi la vue dans un fichier (répétable), ex. -o {exemple}.",
    )


def _fichiers(rapports: list[str], formats: tuple[str, ...], chemins: list[str]) -> list[tuple[str, str]]:
    from ..erreurs import ErreurIag
    from ..es import configuration
    from ..es.sorties import verifier_cibles

    try:
        fichiers = [configuration.rapport_depuis_texte(t, "--rapport") for t in rapports]
    except ErreurIag as e:
        usage(e.diagnostics[0].message)
    for fmt, _ in fichiers:
        if fmt not in formats:
            usage(f"format « {fmt} » inconnu ; formats : {', '.join(formats)}")
    conflit = verifier_cibles(fichiers, chemins)
    if conflit:
        usage(conflit)
    return fichiers


def _comme_rapporteur(collecteur: Union["CollecteurSynthese", "CollecteurRegistre"], ref: "Referentiel") -> "Base":
    """Le collecteur présenté au contrôleur comme un rapporteur : il n'écrit rien, la vue est rendue
    après le lot (le cœur `moteur/observatoire.py` ne dépend pas des rapporteurs)."""
    from ..rendus.evaluation import Base, OptionsRapport

    class Collecte(Base):
        def resultat(self, resultat: "ResultatFichier") -> None:
            collecteur.resultat(resultat)

        def fin(self, bilan: "Bilan") -> None:
            collecteur.fin(bilan)

    return Collecte(sys.stdout, ref, OptionsRapport())


def _evaluer_lot(chemins: list[str], ref: "Referentiel", collecteur: Union["CollecteurSynthese", "CollecteurRegistre"],
                 seuil: Optional[str], nom_stdin: Optional[str], date: dt.date, silencieux: bool, verbeux: bool,
                 signataires: Optional[str] = None) -> "Bilan":
    """Le lot passe par le contrôleur d'`evaluer` ; le collecteur y tient le rôle d'un rapporteur."""
    from ..controleur import executer
    from ..es.chemins import Ignores, developper
    from ..es.progression import suivre

    ignores = Ignores()
    bilan = executer(suivre(developper(chemins, ignores), silencieux), ref, [_comme_rapporteur(collecteur, ref)], seuil, nom_stdin, date,
                     signataires=signataires)
    signaler_ignores(ignores, verbeux)
    return bilan


def _ecrire(format_sortie: str, fichiers: list[tuple[str, str]], rendre: Callable[[str, TextIO], None]) -> None:
    """La vue sur la sortie standard (UTF-8 sauf le texte), puis chaque fichier -o (écriture atomique)."""
    with sortie_tamponnee(None if format_sortie == "texte" else "utf-8") as sortie:
        rendre(format_sortie, sortie)
    for fmt, chemin in fichiers:
        with fichier_rapport(chemin) as flux:
            rendre(fmt, flux)


@app.command("synthese", cls=CommandeFr)
def synthese(
    chemins: list[str] = ARGUMENT_CHEMINS,
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    seuil: Optional[str] = typer.Option(
        None, "--seuil", "-s", envvar="IAG_SEUIL", metavar="NIVEAU",
        help=f"Niveau des risques à recenser, et à partir duquel la commande échoue (code 1), comme pour evaluer. "
             f"Défaut : parametres.seuil_defaut du référentiel (élevé pour celui fourni) ; {JAMAIS} : jamais.",
    ),
    format: str = typer.Option("texte", "--format", "-f", metavar="FORMAT", help="texte (défaut), json, markdown, html."),
    rapports: list[str] = _option_rapports("html:synthese.html"),
    horizon: int = typer.Option(12, "--horizon", min=0, max=600, metavar="MOIS",
                                help="Échéances juridiques signalées : celles des N prochains mois (défaut 12)."),
    date: Optional[str] = OPTION_DATE,
    silencieux: bool = OPTION_SILENCIEUX,
    nom_stdin: Optional[str] = OPTION_NOM_STDIN,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
    verbeux: bool = OPTION_VERBEUX,
) -> None:
    """Vue d'ensemble d'un portefeuille de cas : verdicts par statut et par service, risques fréquents,
    carte des risques, mesures, travail juridique, revues en retard, échéances.

    Exemple : iag synthese propositions/ -f html > synthese.html

    Codes de sortie : comme evaluer (1 : un cas au seuil ou au-dessus ; 3 : un fichier de cas invalide ;
    2 : usage, chemin illisible, référentiel ou configuration invalide).
    """
    from ..moteur.observatoire import CollecteurSynthese
    from ..rendus.observatoire import FORMATS_SYNTHESE, module

    if format not in FORMATS_SYNTHESE:
        usage(f"format « {format} » inconnu ; formats : {', '.join(FORMATS_SYNTHESE)}")
    fichiers = _fichiers(rapports, FORMATS_SYNTHESE, chemins)
    prep = preparer(referentiel, config, sans_config, referentiel_sha256, date, seuil, verbeux=verbeux, evalues=chemins)
    ref, date_evaluation, seuil_retenu = prep.ref, prep.date, prep.seuil
    collecteur = CollecteurSynthese(ref, date_evaluation, horizon, seuil_retenu)
    bilan = _evaluer_lot(chemins, ref, collecteur, seuil_retenu, nom_stdin, date_evaluation, silencieux, verbeux)
    vue = collecteur.synthese()
    _ecrire(format, fichiers, lambda fmt, flux: module(fmt).synthese(vue, ref, flux))
    raise typer.Exit(bilan.code_sortie())


@app.command("registre", cls=CommandeFr)
def registre(
    chemins: list[str] = ARGUMENT_CHEMINS,
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    format: str = typer.Option("csv", "--format", "-f", metavar="FORMAT",
                               help="csv (défaut ; UTF-8 avec BOM, « ; »), json, html ; xlsx seulement dans un fichier (-o)."),
    rapports: list[str] = _option_rapports("xlsx:registre.xlsx"),
    date: Optional[str] = OPTION_DATE,
    silencieux: bool = OPTION_SILENCIEUX,
    nom_stdin: Optional[str] = OPTION_NOM_STDIN,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
    verbeux: bool = OPTION_VERBEUX,
    signataires: Optional[str] = OPTION_SIGNATAIRES,
) -> None:
    """Registre public des usages (CRPA L312-1-3) : une entrée par usage en expérimentation ou en
    production (un projet au stade de l'idée n'est pas publié, il est nommé sur l'erreur standard),
    seulement des champs publiables (jamais le contact ni le nom du fichier). Les fichiers invalides
    sont signalés sur l'erreur standard.

    Exemple : iag registre propositions/ -o xlsx:registre.xlsx > registre.csv

    Codes de sortie : 0 ; 3 un fichier de cas invalide ; 2 usage, chemin illisible, référentiel ou configuration invalide.
    """
    from ..moteur.observatoire import CollecteurRegistre
    from ..rendus.observatoire import FORMATS_FICHIER_SEUL, FORMATS_REGISTRE, module

    if format not in FORMATS_REGISTRE:
        usage(f"format « {format} » inconnu ; formats : {', '.join(FORMATS_REGISTRE)}")
    if format in FORMATS_FICHIER_SEUL:
        usage(f"le format {format} s'écrit dans un fichier : -o {format}:registre.{format}")
    fichiers = _fichiers(rapports, FORMATS_REGISTRE, chemins)
    fichier_signataires = signataires_retenus(signataires)
    from ..rendus.commun.bureautique import manque

    for fmt in {f for f, _ in fichiers}:
        absente = manque(fmt)
        if absente:
            usage(absente)
    # Le registre liste tous les usages : pas de seuil. Le référentiel sert à évaluer les cas.
    prep = preparer(referentiel, config, sans_config, referentiel_sha256, date, avec_seuil=False, verbeux=verbeux, evalues=chemins)
    ref, date_evaluation = prep.ref, prep.date
    collecteur = CollecteurRegistre(ref, date_evaluation)
    bilan = _evaluer_lot(chemins, ref, collecteur, None, nom_stdin, date_evaluation, silencieux, verbeux, fichier_signataires)
    for i in collecteur.invalides:  # jamais omis en silence : sur l'erreur standard, comme evaluer
        for d in i.diagnostics:
            print(str(d), file=sys.stderr)
    if collecteur.non_publies:  # écartés, mais dits : rien de caché
        from ..echappement import echapper
        from ..moteur.observatoire import STATUTS_PUBLIES

        n = len(collecteur.non_publies)
        print(f"iag : {n} projet{'s' if n > 1 else ''} au stade de l'idée non publié{'s' if n > 1 else ''} "
              f"(seuls les statuts {' et '.join(STATUTS_PUBLIES)} le sont) : "
              f"{echapper(', '.join(collecteur.non_publies))}", file=sys.stderr)
    _ecrire(format, fichiers, lambda fmt, flux: module(fmt).registre(collecteur, ref, flux))
    raise typer.Exit(bilan.code_sortie())
