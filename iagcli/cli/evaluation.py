"""Famille « évaluation » : `iag evaluer`, `iag valider`, `iag schema`."""

from __future__ import annotations

import sys
from typing import Optional

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
    drapeau_env,
    famille,
    preparer,
    rapports_demandes,
    signaler_ignores,
    signataires_retenus,
    usage,
)
from .sortie import fichier_rapport, sortie_tamponnee

app = famille()


@app.command("evaluer", cls=CommandeFr)
def evaluer(
    chemins: list[str] = typer.Argument(..., metavar="CHEMIN", help="Fichiers ou dossiers de cas d'usage YAML ; - pour l'entrée standard."),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    seuil: Optional[str] = typer.Option(
        None, "--seuil", "-s", envvar="IAG_SEUIL", metavar="NIVEAU",
        help=f"Niveau à partir duquel la commande échoue (code 1) : faible, modéré, élevé, critique, interdit ou {JAMAIS}. Défaut : parametres.seuil_defaut du référentiel (élevé pour celui fourni).",
    ),
    format: Optional[str] = typer.Option(
        None, "--format", "-f", envvar="IAG_FORMAT", metavar="FORMAT",
        help="Format sur la sortie standard : texte (défaut), json, markdown, html, sarif, junit, gitlab, github.",
    ),
    rapports: list[str] = typer.Option(
        [], "--rapport", "-o", metavar="FORMAT:FICHIER",
        help="Écrit aussi un rapport dans un fichier (répétable), ex. -o json:iag.json -o sarif:iag.sarif. "
             "Variable : IAG_RAPPORTS (rapports séparés par des virgules).",
    ),
    silencieux: bool = typer.Option(False, "--silencieux", "-q", help="N'affiche que ce qui échoue (cas au-dessus du seuil, fichiers invalides)."),
    matrice: bool = typer.Option(False, "--matrice", help="Place les risques du cas dans la grille, avant et après les mesures."),
    details: bool = typer.Option(
        False, "--details",
        help="Texte : détaille chaque cas d'un lot (par défaut, une ligne par cas et le détail des seuls cas au seuil ou au-dessus).",
    ),
    date: Optional[str] = typer.Option(
        None, "--date", "-d", envvar="IAG_DATE", metavar="AAAA-MM-JJ",
        help="Date d'évaluation : les règles pas encore applicables à cette date sont signalées « à venir ». Défaut : aujourd'hui.",
    ),
    nom_stdin: Optional[str] = OPTION_NOM_STDIN,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
    verbeux: bool = OPTION_VERBEUX,
    echeances: bool = typer.Option(False, "--echeances", help="Échoue aussi (code 1) si une mesure prévue a dépassé son échéance à la date d'évaluation. Aussi IAG_ECHEANCES=oui."),
    signataires: Optional[str] = OPTION_SIGNATAIRES,
    alertes_description_echec: bool = typer.Option(
        False, "--alertes-description-echec",
        help="Échoue aussi (code 1) si le titre ou la description évoque ce que les réponses nient "
             "(ou « alertes_description_echec: true » dans .iag.yaml)."),
) -> None:
    """Évalue des cas d'usage : risques, obligations légales, mesures et recommandations.

    Exemples : iag evaluer exemples/traduction-site-web.yaml ;
    iag evaluer propositions/ --seuil critique -o sarif:iag.sarif

    Codes de sortie : 0 rien au niveau du seuil ou au-dessus ; 1 un cas au seuil ou au-dessus ; 3 un
    fichier de cas d'usage invalide ; 2 erreur d'usage, chemin illisible, référentiel ou configuration
    invalide, rapport impossible à écrire. Le plus grave l'emporte : 2 > 3 > 1 > 0.
    """
    import os
    from contextlib import ExitStack
    from dataclasses import replace

    from ..controleur import executer
    from ..es.chemins import Ignores, developper
    from ..es.sorties import verifier_cibles
    from ..rendus.evaluation import FORMATS, Format, OptionsRapport, creer, format_inconnu

    # Les options fautives d'abord : rien n'est lu (ni averti) pour une commande mal formée.
    if format is not None and format not in FORMATS:
        usage(format_inconnu(format))
    echeances = drapeau_env(echeances, "IAG_ECHEANCES")
    prep = preparer(referentiel, config, sans_config, referentiel_sha256, date, seuil, verbeux=verbeux, evalues=chemins)
    ref, conf, seuil_retenu, date_evaluation = prep.ref, prep.conf, prep.seuil, prep.date
    # Le format de la configuration est validé à son chargement.
    format_sortie = Format(format or conf.config.format or Format.TEXTE)
    fichiers = rapports_demandes(rapports, conf)
    for fmt, _ in fichiers:
        if fmt not in FORMATS:
            usage(format_inconnu(fmt))
    fichier_signataires = signataires_retenus(signataires)
    conflit = verifier_cibles(fichiers, chemins)
    if conflit:
        usage(conflit)
    ignores = Ignores()

    # Un seul fichier nommé (ou l'entrée standard) : son détail, quel que soit son verdict.
    un_fichier = len(chemins) == 1 and (chemins[0] == "-" or not os.path.isdir(chemins[0]))
    options = OptionsRapport(seuil=seuil_retenu, date=date_evaluation, erreurs=sys.stderr, silencieux=silencieux,
                             matrice=matrice, details=details or un_fichier, toutes_raisons=details)
    with ExitStack() as pile:
        # Seul le texte suit l'encodage du terminal (caractères impossibles échappés) ; les autres
        # formats sont lus par des outils ou redirigés dans des fichiers : UTF-8, comme les rapports -o.
        sortie = pile.enter_context(sortie_tamponnee(None if format_sortie is Format.TEXTE else "utf-8"))
        rapporteurs = [creer(format_sortie, sortie, ref, options)]
        for fmt, chemin in fichiers:
            flux = pile.enter_context(fichier_rapport(chemin))
            rapporteurs.append(creer(fmt, flux, ref, replace(options, silencieux=False, vers_fichier=True)))
        from ..es.progression import suivre

        bilan = executer(suivre(developper(chemins, ignores), silencieux), ref, rapporteurs, seuil_retenu, nom_stdin, date_evaluation, echeances=echeances,
                         signataires=fichier_signataires, ignores=ignores,
                         alertes_echec=alertes_description_echec or conf.config.alertes_description_echec)
    signaler_ignores(ignores, verbeux)
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

    Codes de sortie : 0 tous valides ; 3 au moins un fichier invalide ; 2 usage, chemin illisible ou référentiel invalide.
    """
    from ..controleur import executer
    from ..es.chemins import Ignores, developper
    from ..rendus.evaluation import OptionsRapport
    from ..rendus.evaluation.validation import Rapporteur

    # Sans cotation : ni seuil ni avertissement de péremption.
    ref = preparer(referentiel, config, sans_config, referentiel_sha256, avec_seuil=False, avertir=False, verbeux=verbeux, evalues=chemins).ref
    ignores = Ignores()
    rapporteur = Rapporteur(sys.stdout, ref, OptionsRapport(erreurs=sys.stderr))
    bilan = executer(developper(chemins, ignores), ref, [rapporteur], None, nom_stdin, coter=False, ignores=ignores)
    signaler_ignores(ignores, verbeux)
    raise typer.Exit(bilan.code_sortie())


@app.command("schema", cls=CommandeFr)
def schema() -> None:
    """Affiche le schéma JSON des fichiers de cas d'usage (pour les éditeurs : yaml-language-server).

    Exemple : iag schema > schemas/cas-usage.schema.json
    """
    from ..es.flux import ecrire_document
    from ..moteur.schema import schema_cas_usage_json

    ecrire_document(schema_cas_usage_json())


