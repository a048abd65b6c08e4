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
    SORTIE_ECHEC,
    SORTIE_OK,
    SORTIE_USAGE,
    CommandeFr,
    avertir_si_perime,
    charger_configuration,
    charger_referentiel,
    famille,
    lire_date,
    niveau_seuil,
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
    format: str = typer.Option("markdown", "--format", "-f", metavar="FORMAT", help="markdown (défaut)."),
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
) -> None:
    """Écrit les documents que le verdict exige (fiche de validation, AIPD, analyse d'impact, textes de
    transparence, consultations), préremplis d'après le cas, avec un index qui dit pourquoi chacun est exigé.

    Exemples : iag dossier exemples/tri-candidatures-rh.yaml -o dossier-rh ;
    iag dossier propositions/ -o dossiers

    Codes de sortie : 0 documents écrits, aucun cas au seuil ou au-dessus ; 1 un cas au seuil ou au-dessus
    (ses documents sont écrits), ou un fichier de cas d'usage invalide ; 2 erreur d'usage, chemin
    illisible, référentiel ou configuration invalide, document modifié depuis qu'iag l'a écrit (sans --force).
    """
    import os

    from ..chemins import Ignores, developper
    from ..controleur import AUCUN_YAML, evaluer_fichier, nom_affiche
    from ..dossier import charger_modeles, composer
    from ..echappement import echapper
    from ..ecriture_dossier import Refus, ecrire_dossier
    from ..erreurs import ErreurReferentiel
    from ..messages import erreur_systeme
    from ..plan import cible_par_defaut, planifier
    from ..rapports.dossier import FORMATS_DOSSIER

    if format not in FORMATS_DOSSIER:
        usage(f"format « {format} » inconnu pour iag dossier ; formats : {', '.join(FORMATS_DOSSIER)}")
    extension, rendre_document, rendre_index = FORMATS_DOSSIER[format]
    conf = charger_configuration(config, sans_config)
    ref = charger_referentiel(referentiel or conf.relatif(conf.config.referentiel), referentiel_sha256)
    try:
        modeles = charger_modeles(ref)
    except ErreurReferentiel as e:
        sortir(e.diagnostics, SORTIE_USAGE, "Référentiel invalide :")
    seuil_retenu = niveau_seuil(seuil, ref) if seuil else niveau_seuil(conf.config.seuil, ref, conf) if conf.config.seuil else ref.seuil_defaut
    date_evaluation = lire_date(date, conf)
    avertir_si_perime(ref, date_evaluation)
    entrees = list(developper(chemins, Ignores()))
    code = SORTIE_OK
    noms_pris: set[str] = set()
    for chemin, etat in entrees:
        nom = nom_affiche(chemin, nom_stdin)
        if etat is not True:
            print(f"{nom}: {AUCUN_YAML if etat is False else etat}", file=sys.stderr)
            code = max(code, SORTIE_USAGE)
            continue
        resultat = evaluer_fichier(chemin, ref, nom, date_evaluation)
        if resultat.cas is None or resultat.evaluation is None:
            for d in resultat.diagnostics:
                print(str(d), file=sys.stderr)
            code = max(code, SORTIE_USAGE if resultat.illisible else SORTIE_ECHEC)
            continue
        cas, ev = resultat.cas, resultat.evaluation
        au_dessus = seuil_retenu is not None and ref.rang[ev.verdict] >= ref.rang[seuil_retenu]
        cible = cible_par_defaut(ref, seuil_retenu) if au_dessus else None
        plan = planifier(cas, ref, cible, date_evaluation) if cible is not None else None
        contenu = composer(cas, ev, ref, modeles.fichier, plan)
        fichiers = {d.fichier + extension: rendre_document(d, contenu) for d in contenu.documents}
        fichiers["index" + extension] = rendre_index(contenu, extension)
        cible_dossier = sortie if len(entrees) == 1 else os.path.join(sortie, _sous_dossier(chemin, nom_stdin, noms_pris))
        try:
            bilan = ecrire_dossier(cible_dossier, fichiers, force)
        except Refus as e:
            usage_sans_sortie(f"{nom}: rien n'est écrit dans « {echapper(cible_dossier)} » : modifié depuis qu'iag "
                              f"l'a écrit (ou pas écrit par iag) : {echapper(', '.join(e.fichiers))} ; --force pour remplacer")
            code = max(code, SORTIE_USAGE)
            continue
        except OSError as e:
            usage_sans_sortie(f"{nom}: écriture dans « {echapper(cible_dossier)} » impossible : {erreur_systeme(e)}")
            code = max(code, SORTIE_USAGE)
            continue
        n = len(contenu.documents)
        print(f"{nom}: {ev.verdict} ; {n} document{'s' if n > 1 else ''} dans {echapper(cible_dossier)} "
              f"({', '.join(d.fichier + extension for d in contenu.documents)})")
        for garde in bilan.gardes:
            print(f"{nom}: {echapper(garde)} ne s'applique plus mais a été modifié : gardé", file=sys.stderr)
        if au_dessus:
            code = max(code, SORTIE_ECHEC)
    raise typer.Exit(code)


def usage_sans_sortie(message: str) -> None:
    print(f"iag : {message}", file=sys.stderr)


def _sous_dossier(chemin: str, nom_stdin: Optional[str], pris: set[str]) -> str:
    """Un sous-dossier par cas : le nom du fichier sans extension, rendu unique dans le lot."""
    import os
    import re

    base = os.path.splitext(os.path.basename(nom_stdin or "stdin" if chemin == "-" else chemin))[0]
    base = re.sub(r"[^\w.-]", "_", base).lstrip(".") or "cas"
    nom, n = base, 1
    while nom in pris:
        n += 1
        nom = f"{base}-{n}"
    pris.add(nom)
    return nom
