"""Famille « plan » : `iag plan` : le plus court chemin sous le seuil, et son inscription dans le fichier."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Optional

import typer

from .commun import (
    JAMAIS,
    OPTION_CONFIG,
    OPTION_REFERENTIEL,
    OPTION_SANS_CONFIG,
    OPTION_SHA256,
    SORTIE_CAS_INVALIDE,
    SORTIE_ECHEC,
    SORTIE_OK,
    SORTIE_USAGE,
    CommandeFr,
    famille,
    lire_date,
    preparer,
    usage,
)
from .sortie import sortie_tamponnee

if TYPE_CHECKING:
    from ..es.chargeur import Document

app = famille()


@app.command("plan", cls=CommandeFr)
def plan(
    chemin: str = typer.Argument(..., metavar="CAS", help="Fichier de cas d'usage YAML."),
    cible: Optional[str] = typer.Option(
        None, "--cible", "-c", metavar="NIVEAU",
        help="Niveau à atteindre. Défaut : le plus haut niveau sous le seuil (configuration ou --seuil).",
    ),
    seuil: Optional[str] = typer.Option(
        None, "--seuil", "-s", envvar="IAG_SEUIL", metavar="NIVEAU",
        help="Seuil d'échec, comme pour iag evaluer (défaut : parametres.seuil_defaut du référentiel) ; la cible par défaut est juste en dessous.",
    ),
    format: str = typer.Option("texte", "--format", "-f", metavar="FORMAT", help="texte (défaut), json ou markdown."),
    ecrire: bool = typer.Option(
        False, "--ecrire",
        help="Ajoute les mesures du plan à mesures_prevues dans le fichier (insertion de texte : les autres lignes "
             "et les commentaires sont gardés) ; refuse si le fichier a changé entre-temps.",
    ),
    echeance: Optional[str] = typer.Option(
        None, "--echeance", metavar="AAAA-MM-JJ", help="Échéance des mesures écrites par --ecrire. Défaut : prochaine_revue du cas.",
    ),
    responsable: Optional[str] = typer.Option(None, "--responsable", metavar="NOM", help="Responsable des mesures écrites par --ecrire."),
    date: Optional[str] = typer.Option(
        None, "--date", "-d", envvar="IAG_DATE", metavar="AAAA-MM-JJ", help="Date d'évaluation, comme pour iag evaluer.",
    ),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
) -> None:
    """Le plus petit ensemble de mesures et de leviers qui amène le cas au niveau cible.

    Exemples : iag plan exemples/tri-candidatures-rh.yaml ; iag plan cas.yaml --cible faible -f markdown ;
    iag plan cas.yaml --ecrire --responsable "DSI"

    Codes de sortie : 0 la cible est atteinte par le plan ; 1 cible hors d'atteinte ; 3 fichier de cas
    d'usage invalide ; 2 erreur d'usage, chemin illisible, référentiel ou configuration invalide,
    fichier modifié pendant --ecrire, mesures que --ecrire ne peut pas ajouter sans toucher au reste.
    """
    from ..controleur import lire_cas, nom_affiche
    from ..erreurs import ErreurFichier, ErreurLecture
    from ..modeles.types import normaliser
    from ..moteur.plan import cible_par_defaut, planifier
    from ..rendus.plan import FORMATS_PLAN
    from ..rendus.plan import ecrire as ecrire_plan

    if format not in FORMATS_PLAN:
        usage(f"format « {format} » inconnu pour iag plan ; formats : {', '.join(FORMATS_PLAN)}")
    if ecrire and chemin == "-":
        usage("--ecrire demande un fichier : l'entrée standard ne peut pas être modifiée")
    prep = preparer(referentiel, config, sans_config, referentiel_sha256, date, seuil, evalues=[chemin])
    ref, seuil_retenu, date_evaluation = prep.ref, prep.seuil, prep.date
    date_echeance = lire_date(echeance, prep.conf) if echeance else None
    if cible is not None:
        niveau_cible = next((n.id for n in ref.niveaux if normaliser(n.id) == normaliser(cible)), None)
        if niveau_cible is None:
            usage(f"cible « {cible} » inconnue ; valeurs permises : {', '.join(n.id for n in ref.niveaux)}")
    else:
        niveau_cible = cible_par_defaut(ref, seuil_retenu)
        if niveau_cible is None:
            usage(f"aucun niveau sous le seuil « {seuil_retenu or JAMAIS} » : préciser --cible")
    assert niveau_cible is not None  # usage() est sorti (code 2) sinon
    nom = nom_affiche(chemin)
    try:
        document, cas = lire_cas(chemin, ref, nom)
    except ErreurLecture as e:
        for d in e.diagnostics:
            print(str(d), file=sys.stderr)
        raise typer.Exit(SORTIE_USAGE) from None
    except ErreurFichier as e:
        for d in e.diagnostics:
            print(str(d), file=sys.stderr)
        raise typer.Exit(SORTIE_CAS_INVALIDE) from None
    resultat = planifier(cas, ref, niveau_cible, date_evaluation)
    with sortie_tamponnee(None if format == "texte" else "utf-8") as sortie:
        ecrire_plan(format, sortie, resultat, ref, nom, date_evaluation)
    if ecrire:
        a_ecrire = [m for m in resultat.mesures if m not in {p.id for p in cas.mesures_prevues}]
        if resultat.leviers:
            print(f"iag : les leviers ({', '.join(resultat.leviers)}) changent des réponses du projet : "
                  "ils ne sont pas écrits, à vous de modifier ces réponses", file=sys.stderr)
        echeance_retenue = date_echeance or cas.prochaine_revue
        if a_ecrire and echeance_retenue is None:
            usage("la prochaine revue du cas est à compléter : donnez l'échéance des mesures (--echeance AAAA-MM-JJ)")
        if a_ecrire and echeance_retenue is not None:
            _ecrire_prevues(chemin, document, a_ecrire, echeance_retenue, responsable)
            print(f"{nom}: mesures prévues ajoutées : {', '.join(a_ecrire)}", file=sys.stderr)
        else:
            print(f"{nom}: aucune mesure à ajouter", file=sys.stderr)
    raise typer.Exit(SORTIE_OK if resultat.atteint else SORTIE_ECHEC)


def _ecrire_prevues(chemin: str, document: Document, mesures: list[str], echeance: dt.date, responsable: Optional[str]) -> None:
    from ..echappement import echapper
    from ..erreurs import ErreurFichier, ErreurLecture
    from ..es.reecriture import ReecritureRefusee, remplacer
    from ..messages import erreur_systeme
    from ..moteur.insertion import InsertionImpossible, donnees_apres, inserer_prevues

    try:
        nouveau = inserer_prevues(document, mesures, echeance, responsable)
        # La règle de tout écrivain du fichier d'un utilisateur : relu, inchangé depuis sa lecture, atomique.
        remplacer(chemin, document.octets, nouveau, donnees_apres(document, mesures, echeance, responsable), document.nom)
    except (InsertionImpossible, ErreurLecture, ErreurFichier) as e:
        for d in e.diagnostics:
            print(str(d), file=sys.stderr)
        raise typer.Exit(SORTIE_USAGE) from None
    except ReecritureRefusee as e:
        usage(f"{e.message} ; relancer iag plan --ecrire" if e.modifie else e.message)
    except OSError as e:
        usage(f"écriture de « {echapper(chemin)} » impossible : {erreur_systeme(e)}")
