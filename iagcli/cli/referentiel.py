"""Famille « referentiel » : `iag referentiel verifier|exporter|comparer`, pour les mainteneurs.

Un sous-groupe Typer (enregistré comme une seule commande de la racine, construite à la demande) :
ce module lit les options et appelle les cœurs purs de `maintenance` (vérification, publication,
comparaison), puis un module de rendu par format. Options et aides communes (référentiel épinglé
par --referentiel-sha256, configuration et date par `commun.contexte`, rapports atomiques, codes de
sortie) viennent de `commun`.
"""

from __future__ import annotations

import sys
from typing import Any, Optional

import typer

from .commun import (
    OPTION_CONFIG,
    OPTION_NOM_STDIN,
    OPTION_SANS_CONFIG,
    CommandeFr,
    charger_referentiel,
    contexte,
    empreinte_attendue,
    epingler,
    famille,
    sous_groupe,
    usage,
)
from .sortie import fichier_rapport, sortie_tamponnee

app = famille()
referentiel_app = sous_groupe(app, "referentiel", "Vérifier, exporter et comparer des référentiels (pour leurs mainteneurs).")

FORMATS_VERIFIER = ("texte", "json", "sarif")
FORMATS_EXPORTER = ("markdown", "html", "csv")
FORMATS_COMPARER = ("texte", "json", "markdown")

OPTION_DATE = typer.Option(
    None, "--date", "-d", envvar="IAG_DATE", metavar="AAAA-MM-JJ",
    help="Date d'évaluation (péremption de la veille juridique, règles applicables). Défaut : aujourd'hui.",
)


def _format(valeur: str, permis: tuple[str, ...]) -> str:
    if valeur not in permis:
        usage(f"format « {valeur} » inconnu ; formats : {', '.join(permis)}")
    return valeur


def _option_sha256(quoi: str) -> Any:  # typer.Option est typé Any (valeur par défaut du paramètre)
    # Même option et même variable qu'`iag evaluer` : un référentiel épinglé l'est pour toutes les commandes.
    return typer.Option(
        None, "--referentiel-sha256", envvar="IAG_REFERENTIEL_SHA256", metavar="SHA256",
        help=f"Refuse (code 2) {quoi} si son empreinte diffère : sha256sum risques.yaml recommandations.yaml | sha256sum, "
             "dans son dossier.",
    )


@referentiel_app.command("verifier", cls=CommandeFr)
def verifier(
    dossier: str = typer.Argument(..., metavar="DOSSIER", help="Dossier du référentiel (risques.yaml, recommandations.yaml)."),
    format: str = typer.Option("texte", "--format", "-f", metavar="FORMAT", help="texte (défaut), json ou sarif."),
    strict: bool = typer.Option(False, "--strict", help="Les avertissements font aussi échouer (code 2)."),
    date: Optional[str] = OPTION_DATE,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = _option_sha256("le référentiel DOSSIER"),
) -> None:
    """Vérifie un référentiel : les contrôles du chargement, puis ceux des mainteneurs.

    Exemple : iag referentiel verifier mon-referentiel/ -f sarif > referentiel.sarif

    Codes de sortie : 0 aucune erreur (avertissements permis) ; 2 une erreur, un avertissement avec
    --strict, ou une erreur d'usage.
    """
    from ..erreurs import ErreurReferentiel
    from ..moteur.maintenance import verification as V
    from ..moteur.referentiel import charger
    from ..rendus.referentiel import json as fjson
    from ..rendus.referentiel import sarif as fsarif
    from ..rendus.referentiel import texte as ftexte

    _format(format, FORMATS_VERIFIER)
    attendu = empreinte_attendue(referentiel_sha256)
    jour = contexte(config, sans_config, date).date
    ref = None
    try:
        ref = charger(dossier)
    except ErreurReferentiel as e:
        constats = V.constats_chargement(e.diagnostics)
    else:
        # Un référentiel qui ne se charge pas n'a pas d'empreinte : ses erreurs suffisent (code 2).
        epingler("référentiel", ref.empreinte, ref.dossier, attendu)
        constats = V.verifier(ref, jour)
    with sortie_tamponnee(None if format == "texte" else "utf-8") as sortie:
        if format == "json":
            fjson.verification(sortie, constats, ref)
        elif format == "sarif":
            fsarif.verification(sortie, constats, V.CONTROLES)
        else:
            ftexte.verification(sortie, constats, dossier)
    raise typer.Exit(V.code_sortie(constats, strict))


@referentiel_app.command("exporter", cls=CommandeFr)
def exporter(
    dossier: str = typer.Argument(..., metavar="DOSSIER", help="Dossier du référentiel à publier."),
    format: str = typer.Option(..., "--format", "-f", metavar="FORMAT", help="markdown, html ou csv."),
    sortie_fichier: Optional[str] = typer.Option(None, "--sortie", "-o", metavar="FICHIER",
                                                 help="Écrit le document dans ce fichier (remplacé d'un coup) plutôt que sur la sortie standard."),
    referentiel_sha256: Optional[str] = _option_sha256("le référentiel DOSSIER"),
) -> None:
    """Exporte tout le référentiel en un document publiable (Markdown, HTML autonome, CSV pour tableur).

    Exemple : iag referentiel exporter data/ -f html -o referentiel.html

    Codes de sortie : 0 document écrit ; 2 référentiel invalide, usage ou écriture impossible.
    """
    from contextlib import ExitStack

    from ..es.sorties import verifier_cibles
    from ..moteur.maintenance import publication
    from ..rendus.referentiel import csv as fcsv
    from ..rendus.referentiel import html as fhtml
    from ..rendus.referentiel import markdown as fmd

    _format(format, FORMATS_EXPORTER)
    ref = charger_referentiel(dossier, referentiel_sha256)
    if sortie_fichier is not None:
        conflit = verifier_cibles([(format, sortie_fichier)], [dossier])
        if conflit:
            usage(conflit)
    with ExitStack() as pile:
        flux = pile.enter_context(fichier_rapport(sortie_fichier) if sortie_fichier else sortie_tamponnee("utf-8"))
        if format == "csv":
            fcsv.publication(flux, publication.lignes_csv(ref))
        else:
            titre, sections = publication.document(ref)
            (fhtml if format == "html" else fmd).publication(flux, titre, sections)


@referentiel_app.command("comparer", cls=CommandeFr)
def comparer(
    ancien: str = typer.Argument(..., metavar="ANCIEN", help="Dossier du référentiel actuel."),
    nouveau: str = typer.Argument(..., metavar="NOUVEAU", help="Dossier du référentiel proposé."),
    chemins: list[str] = typer.Argument(None, metavar="CHEMIN", help="Propositions (fichiers ou dossiers) à coter sous les deux versions."),
    format: str = typer.Option("texte", "--format", "-f", metavar="FORMAT", help="texte (défaut), json ou markdown (commentaire de merge request)."),
    date: Optional[str] = OPTION_DATE,
    nom_stdin: Optional[str] = OPTION_NOM_STDIN,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = _option_sha256("ANCIEN, le référentiel actuel (NOUVEAU est la proposition)"),
) -> None:
    """Compare deux référentiels : éléments ajoutés, retirés, modifiés, puis chaque proposition cotée
    sous les deux, avec la cause de ce qui change.

    Exemple : iag referentiel comparer data/ nouveau/ propositions/ -f markdown

    Codes de sortie : 0 aucun verdict ne monte ; 1 au moins un verdict monte (ou une proposition
    devient invalide sous le nouveau) ; 3 une proposition invalide sous l'ancien référentiel ; 2 usage,
    chemin illisible ou référentiel invalide. Le plus grave l'emporte : 2 > 3 > 1 > 0.
    """
    from ..controleur import comparer_referentiels
    from ..es.chemins import Ignores, developper
    from ..rendus.referentiel import json as fjson
    from ..rendus.referentiel import markdown as fmd
    from ..rendus.referentiel import texte as ftexte

    _format(format, FORMATS_COMPARER)
    jour = contexte(config, sans_config, date).date
    ref_a = charger_referentiel(ancien, referentiel_sha256, evalues=chemins or [])
    ref_b = charger_referentiel(nouveau, evalues=chemins or [])
    resultat = comparer_referentiels(ref_a, ref_b, developper(chemins or [], Ignores()), jour, nom_stdin)
    with sortie_tamponnee(None if format == "texte" else "utf-8") as sortie:
        if format == "json":
            fjson.comparaison(sortie, resultat, ref_a, ref_b, jour)
        elif format == "markdown":
            fmd.comparaison(sortie, resultat, ref_a, ref_b)
        else:
            ftexte.comparaison(sortie, resultat, ancien, nouveau)
    for p in resultat.propositions:  # chemins illisibles : aussi sur l'erreur standard, comme `evaluer`
        if p.verdict_avant is None and p.verdict_apres is None:
            for e in p.erreurs:
                print(e, file=sys.stderr)
    raise typer.Exit(resultat.code_sortie())
