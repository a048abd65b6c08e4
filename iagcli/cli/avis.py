"""Famille « avis » : `iag avis signer|verifier`, les avis signés du DPO et du RSSI.

Un avis est signé par `ssh-keygen -Y sign` (es.signatures) et rangé dans le fichier voisin du cas,
`CAS.avis` ; ce qu'il couvre et s'il vaut encore sont décidés par `moteur.avis`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Optional

import typer

from .commun import (
    OPTION_CONFIG,
    OPTION_REFERENTIEL,
    OPTION_SANS_CONFIG,
    OPTION_SHA256,
    OPTION_SIGNATAIRES,
    SORTIE_CAS_INVALIDE,
    SORTIE_ECHEC,
    SORTIE_OK,
    SORTIE_USAGE,
    CommandeFr,
    analyser_date,
    dire,
    famille,
    pire,
    preparer,
    signataires_retenus,
    sortir,
    sous_groupe,
    usage,
)
from .sortie import sortie_tamponnee

if TYPE_CHECKING:
    import datetime as dt
    from typing import TextIO

    from ..moteur.referentiel import Referentiel

app = famille()
avis_app = sous_groupe(app, "avis", "Signer et vérifier les avis du DPO et du RSSI sur un cas d'usage (signatures SSH).")

OPTION_DATE = typer.Option(
    None, "--date", "-d", envvar="IAG_DATE", metavar="AAAA-MM-JJ",
    help="Date de la signature (signer) ou de la vérification (verifier). Défaut : aujourd'hui.",
)


@avis_app.command("signer", cls=CommandeFr)
def signer(
    cas: str = typer.Argument(..., metavar="CAS", help="Fichier du cas d'usage (YAML) à signer."),
    role: str = typer.Option(..., "--role", metavar="ROLE", help="dpo ou rssi."),
    identite: str = typer.Option(..., "--identite", metavar="EMAIL", help="Identité du signataire, celle du fichier des signataires."),
    cle: str = typer.Option(..., "--cle", metavar="CLE_PRIVEE", help="Clé SSH privée du signataire (ou sa clé publique si elle est dans ssh-agent)."),
    decision: str = typer.Option(..., "--decision", metavar="DECISION", help="favorable ou défavorable."),
    reserves: list[str] = typer.Option([], "--reserve", metavar="TEXTE", help="Réserve, condition ou motif (répétable)."),
    jusqu_au: Optional[str] = typer.Option(None, "--jusqu-au", metavar="AAAA-MM-JJ", help="Fin de validité de l'avis. Défaut : prochaine_revue du cas."),
    date: Optional[str] = OPTION_DATE,
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
) -> None:
    """Signe l'avis du DPO ou du RSSI sur un cas : il couvre ses réponses et son verdict d'aujourd'hui.

    L'avis est écrit dans CAS.avis (ex. cas.yaml.avis), à committer avec le cas ; un nouvel avis du
    même rôle et de la même identité remplace l'ancien. Le cas n'est jamais modifié. Un verdict
    critique ou interdit ne se signe pas.

    Exemple : iag avis signer propositions/tri.yaml --role dpo --identite dpo@ville.fr
    --cle ~/.ssh/id_ed25519 --decision favorable --reserve "revue à 6 mois"

    Codes de sortie : 0 avis écrit ; 1 verdict qui ne se signe pas ; 3 fichier de cas invalide ; 2 usage,
    clé, ssh-keygen ou fichier des avis en défaut.
    """
    from ..controleur import evaluer_fichier
    from ..erreurs import ErreurFichier, ErreurLecture
    from ..es.chargeur import document_de, valider
    from ..es.signatures import ErreurSignature, ecrire_avis, lire_avis, texte_avis
    from ..es.signatures import signer as signer_ssh
    from ..modeles.avis import ROLES, AvisSigne, FichierAvis, ReferentielSigne, ReponsesSignees, fichier_avis
    from ..modeles.types import normaliser
    from ..moteur.avis import empreinte_reponses, message, non_signables

    roles = {normaliser(r): r for r in ROLES}
    if normaliser(role) not in roles:
        usage(f"rôle « {role} » inconnu ; rôles : {', '.join(ROLES)}")
    role = roles[normaliser(role)]
    decisions = {"favorable": "favorable", "defavorable": "défavorable"}
    if normaliser(decision) not in decisions:
        usage(f"décision « {decision} » inconnue ; décisions : favorable, défavorable")
    decision = decisions[normaliser(decision)]
    if not identite.strip():
        usage("--identite vide : l'adresse du signataire, telle qu'écrite dans le fichier des signataires")
    if cas == "-":
        usage("un avis se range à côté du fichier du cas : l'entrée standard ne peut pas être signée")
    prep = preparer(referentiel, config, sans_config, referentiel_sha256, date, avec_seuil=False, avertir=False)
    ref, jour = prep.ref, prep.date
    r = evaluer_fichier(cas, ref, date=jour)
    if r.evaluation is None or r.cas is None or r.document is None:
        sortir(r.diagnostics, SORTIE_USAGE if r.illisible else SORTIE_CAS_INVALIDE)
    verdict = r.evaluation.verdict
    if verdict in non_signables(ref):
        dire(f"signature refusée : le verdict de {cas} est « {verdict} » ; un avis ne lève jamais un verdict "
             f"{' ou '.join(non_signables(ref))} (le cas doit d'abord changer : iag plan {cas}). Aucun fichier écrit.")
        raise typer.Exit(SORTIE_ECHEC)
    if r.evaluation.incomplet:
        dire(f"signature refusée : {cas} est incomplet (questions à compléter ou réponses contradictoires) ; son "
             f"verdict n'est qu'un majorant : compléter le cas d'abord (iag evaluer {cas}). Aucun fichier écrit.")
        raise typer.Exit(SORTIE_ECHEC)
    fin = analyser_date(jusqu_au, "--jusqu-au", "2027-06-30") if jusqu_au else r.cas.prochaine_revue
    if fin is None:
        usage(f"{cas} ne dit pas sa prochaine revue : donner --jusqu-au AAAA-MM-JJ")
    if fin < jour:
        usage(f"fin de validité {fin.isoformat()} antérieure à la date de signature {jour.isoformat()}"
              + ("" if jusqu_au else " (prochaine_revue du cas : la mettre à jour, ou donner --jusqu-au)"))
    try:
        existant = lire_avis(cas)
    except (ErreurFichier, ErreurLecture) as e:
        sortir(e.diagnostics, 2, f"Fichier des avis invalide ({fichier_avis(cas)}), laissé tel quel :")
    sha, par_cle = empreinte_reponses(r.document.donnees)
    brouillon = AvisSigne(role=role, identite=identite.strip(), decision=decision,
                          reserves=[x.strip() for x in reserves if x.strip()], date=jour, jusqu_au=fin, verdict=verdict,
                          reponses=ReponsesSignees(sha256=sha, par_cle=par_cle),
                          referentiel=ReferentielSigne(version=ref.version, sha256=ref.empreinte), signature="-")
    try:
        nouveau = brouillon.model_copy(update={"signature": signer_ssh(message(brouillon), cle, role)})
    except ErreurSignature as e:
        usage(str(e))
    autres = [a for a in (existant[1].avis if existant else []) if (a.role, a.identite) != (role, nouveau.identite)]
    contenu = FichierAvis(cas=cas.rsplit("/", 1)[-1], avis=[*autres, nouveau])
    # Relecture avant écriture : ce qui sera écrit se relit à l'identique (même message signé).
    try:
        relu = valider(document_de(texte_avis(contenu).encode("utf-8"), fichier_avis(cas)), FichierAvis)
    except ErreurFichier as e:
        sortir(e.diagnostics, 2, "Avis non écrit : sa relecture échoue (signalez-le) :")
    if [message(a) for a in relu.avis] != [message(a) for a in contenu.avis]:
        usage("avis non écrit : sa relecture diffère de ce qui a été signé (signalez-le)")
    try:
        chemin = ecrire_avis(cas, contenu)
    except OSError as e:
        from ..messages import erreur_systeme

        usage(f"écriture de {fichier_avis(cas)} impossible : {erreur_systeme(e)}")
    from ..echappement import echapper

    with sortie_tamponnee() as sortie:
        sortie.write(echapper(f"Avis {decision} du {role.upper()} ({nouveau.identite}) sur « {r.cas.titre} » : verdict "
                              f"{verdict}, valable jusqu'au {fin.isoformat()}, écrit dans {chemin} (à committer avec le cas).") + "\n")
    raise typer.Exit(SORTIE_OK)


@avis_app.command("verifier", cls=CommandeFr)
def verifier(
    chemins: list[str] = typer.Argument(..., metavar="CAS", help="Fichiers de cas d'usage (ou dossiers) dont vérifier les avis."),
    signataires: Optional[str] = OPTION_SIGNATAIRES,
    date: Optional[str] = OPTION_DATE,
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    config: Optional[str] = OPTION_CONFIG,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
) -> None:
    """Liste les avis de chaque cas et leur état : valide, ou pourquoi pas.

    Exemple : iag avis verifier propositions/tri.yaml --signataires signataires

    Codes de sortie : 0 chaque cas a les avis valides des deux rôles ; 1 un avis invalide ou un rôle
    manquant ; 3 un fichier de cas invalide ; 2 usage, fichier des signataires illisible, ssh-keygen
    absent (le plus grave l'emporte : 2 > 3 > 1 > 0).
    """
    fichier_signataires = signataires_retenus(signataires)
    if fichier_signataires is None:
        usage("--signataires (ou IAG_SIGNATAIRES) manquant : le fichier des signataires d'OpenSSH qui lie chaque clé à son rôle")
    prep = preparer(referentiel, config, sans_config, referentiel_sha256, date, avec_seuil=False, avertir=False)
    code = SORTIE_OK
    with sortie_tamponnee() as sortie:
        code = _verifier_tous(chemins, prep.ref, prep.date, fichier_signataires, sortie)
    raise typer.Exit(code)


def _verifier_tous(chemins: list[str], ref: "Referentiel", jour: "dt.date", fichier_signataires: str, sortie: "TextIO") -> int:
    from dataclasses import replace

    from ..controleur import apprecier_avis, evaluer_fichier
    from ..echappement import echapper
    from ..es.chemins import Ignores, developper
    from ..rendus.evaluation.vue import phrases_validation

    code = SORTIE_OK
    for chemin, etat in developper(chemins, Ignores()):
        if etat is not True:
            dire(f"{chemin}: {'aucun fichier YAML' if etat is False else etat}")
            code = pire(code, SORTIE_USAGE)
            continue
        r = evaluer_fichier(chemin, ref, date=jour)
        if r.evaluation is None:
            for d in r.diagnostics:
                print(str(d), file=sys.stderr)
            code = pire(code, SORTIE_USAGE if r.illisible else SORTIE_CAS_INVALIDE)
            continue
        validation = apprecier_avis(replace(r, au_seuil=True), chemin, ref, jour, fichier_signataires)
        assert validation is not None
        sortie.write(f"{echapper(chemin)} (verdict {r.evaluation.verdict})\n")
        for ok, phrase in phrases_validation(validation, False):
            sortie.write(f"  {'✓' if ok else '✗'} {echapper(phrase)}\n")
        if not validation.accordee:
            code = pire(code, SORTIE_ECHEC)
    return code
