"""Famille « dossier » : `iag dossier` : les documents qu'un verdict exige, préremplis."""

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
    SORTIE_USAGE,
    CommandeFr,
    empreinte_attendue,
    epingler,
    famille,
    pire,
    preparer,
    signataires_retenus,
    sortir,
    usage,
)

app = famille()

DOSSIER_DEFAUT = "dossier-iag"


@app.command("dossier", cls=CommandeFr)
def dossier(
    chemins: list[str] = typer.Argument(..., metavar="CAS", help="Fichiers ou dossiers de cas d'usage YAML ; - pour l'entrée standard."),
    sortie: str = typer.Option(
        DOSSIER_DEFAUT, "--sortie", "-o", metavar="DOSSIER",
        help=f"Dossier où écrire les documents (défaut : {DOSSIER_DEFAUT}) ; pour plusieurs cas, un sous-dossier par cas.",
    ),
    format: str = typer.Option(
        "markdown", "--format", "-f", metavar="FORMAT",
        help="markdown (défaut), html (pages autonomes, comme les rapports HTML), odt (OpenDocument texte, à éditer "
             "dans une suite bureautique) ou docx ; odt et docx demandent pip install 'iag[bureautique]'.",
    ),
    force: bool = typer.Option(False, "--force", help="Remplace aussi les documents modifiés depuis qu'iag les a écrits."),
    seuil: Optional[str] = typer.Option(
        None, "--seuil", "-s", envvar="IAG_SEUIL", metavar="NIVEAU",
        help=f"Seuil, comme pour iag evaluer (code 1 au seuil ou au-dessus ; la fiche montre le plan le plus court en dessous) ; {JAMAIS} pour aucun.",
    ),
    date: Optional[str] = typer.Option(
        None, "--date", "-d", envvar="IAG_DATE", metavar="AAAA-MM-JJ", help="Date d'évaluation, comme pour iag evaluer.",
    ),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    nom_stdin: Optional[str] = OPTION_NOM_STDIN,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
    documents_sha256: Optional[str] = typer.Option(
        None, "--documents-sha256", envvar="IAG_DOCUMENTS_SHA256", metavar="SHA256",
        help="Refuse (code 2) un documents.yaml dont l'empreinte diffère : sha256sum documents.yaml, dans le dossier "
             "du référentiel (--referentiel-sha256 ne couvre que risques.yaml et recommandations.yaml).",
    ),
    signataires: Optional[str] = OPTION_SIGNATAIRES,
) -> None:
    """Écrit les documents que le verdict exige (fiche de validation, AIPD, analyse d'impact, textes de
    transparence, consultations), préremplis d'après le cas, avec un index qui dit pourquoi chacun est exigé.

    Exemples : iag dossier exemples/tri-candidatures-rh.yaml -o dossier-rh ;
    iag dossier exemples/tri-candidatures-rh.yaml -f odt -o dossier-rh ;
    iag dossier propositions/ -o dossiers

    Codes de sortie : 0 documents écrits, aucun cas au seuil ou au-dessus ; 1 un cas au seuil ou au-dessus
    (ses documents sont écrits) ; 3 un fichier de cas d'usage invalide ; 2 erreur d'usage, chemin
    illisible, référentiel ou configuration invalide, document modifié depuis qu'iag l'a écrit (sans --force),
    dossier refusé (lien qui sort de la sortie). Le plus grave l'emporte : 2 > 3 > 1 > 0.
    """
    import os

    from ..controleur import executer
    from ..erreurs import ErreurReferentiel
    from ..es.chemins import Ignores, developper
    from ..moteur.dossier import charger_modeles
    from ..rendus.commun.bureautique import manque
    from ..rendus.dossier import FORMATS_DOSSIER, EcrivainDossier
    from ..rendus.evaluation import OptionsRapport

    if format not in FORMATS_DOSSIER:
        usage(f"format « {format} » inconnu pour iag dossier ; formats : {', '.join(FORMATS_DOSSIER)}")
    absente = manque(format)
    if absente:
        usage(absente)
    documents_attendus = empreinte_attendue(documents_sha256, "--documents-sha256")
    fichier_signataires = signataires_retenus(signataires)
    prep = preparer(referentiel, config, sans_config, referentiel_sha256, date, seuil, evalues=chemins)
    ref, seuil_retenu, date_evaluation = prep.ref, prep.seuil, prep.date
    try:
        modeles = charger_modeles(ref)
    except ErreurReferentiel as e:
        sortir(e.diagnostics, SORTIE_USAGE, "Référentiel invalide :")
    # Épinglage à part : l'empreinte du référentiel garde sa valeur pour evaluer (voir README, « dossier »).
    epingler("documents.yaml", modeles.empreinte, modeles.document.nom, documents_attendus, "--documents-sha256")
    # Un fichier : ses documents dans DOSSIER ; un lot (plusieurs chemins, ou un dossier) : un sous-dossier par cas.
    lot = len(chemins) > 1 or any(os.path.isdir(c) for c in chemins)
    options = OptionsRapport(seuil=seuil_retenu, date=date_evaluation, erreurs=sys.stderr)
    ecrivain = EcrivainDossier(sys.stdout, ref, options, modeles.fichier, format, sortie, lot, force)
    # Le contrôleur lit, valide, cote et décide « au seuil » comme pour iag evaluer : un seul chemin.
    bilan = executer(developper(chemins, Ignores()), ref, [ecrivain], seuil_retenu, nom_stdin, date_evaluation,
                     signataires=fichier_signataires)
    raise typer.Exit(pire(bilan.code_sortie(), ecrivain.code))
