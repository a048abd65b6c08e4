"""Relie chargeur, validation, cotation et rapporteurs ; rend le code de sortie.

Le CLI ne fait que lire ses options et appeler `executer`. Rien ici n'écrit à l'écran :
les rapporteurs s'en chargent.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Optional, Protocol, Sequence

from .echappement import echapper
from .erreurs import Diagnostic, ErreurFichier, ErreurLecture
from .es.chargeur import Document, lire_document, valider
from .modeles.cas_usage import CasUsage, doublons_mesures
from .moteur.evaluation import evaluer
from .moteur.referentiel import Referentiel
from .moteur.resultat import Bilan, ResultatFichier

if TYPE_CHECKING:
    from .es.chemins import Ignores
    from .moteur.avis import Validation
    from .moteur.maintenance.comparaison import Changement, Comparaison


class Rapporteur(Protocol):
    """Ce que le contrôleur attend d'un rapporteur (`rendus.evaluation.Base` le réalise) : défini ici
    pour que le contrôleur ne dépende pas des rendus, qui dépendent de lui."""

    def resultat(self, resultat: ResultatFichier) -> None: ...

    def fin(self, bilan: Bilan) -> None: ...


AUCUN_YAML = "aucun fichier YAML (*.yaml, *.yml) dans ce dossier"


def nom_affiche(chemin: str, nom_stdin: Optional[str] = None) -> str:
    """Nom d'un chemin dans les messages et les rapports (voir `echappement`)."""
    return echapper((nom_stdin or "<stdin>") if chemin == "-" else chemin)


def lire_cas(chemin: str, ref: Referentiel, nom: Optional[str] = None) -> tuple[Document, CasUsage]:
    """Lit et valide un cas d'usage ; lève ErreurLecture (chemin) ou ErreurFichier (contenu)."""
    document = lire_document(chemin, nom)
    return document, valider_cas(document, ref)


def valider_cas(document: Document, ref: Referentiel) -> CasUsage:
    """Valide un document déjà lu face aux mesures d'un référentiel (`iag referentiel comparer` lit
    une fois et valide sous chaque version) ; lève ErreurFichier."""
    donnees = document.donnees
    if not donnees.keys() & CasUsage.model_fields.keys():
        # Un autre YAML du dépôt (.gitlab-ci.yml…) : un seul message plutôt que vingt clés manquantes.
        premiere = next(iter(donnees))
        raise ErreurFichier([document.erreur(
            "ce fichier ne ressemble pas à un cas d'usage (aucune clé connue, comme « titre » ou « taches ») ; "
            "gabarit : iag nouveau", (premiere,), cle=True)])
    cas = valider(document, CasUsage, {"mesures": ref.mesures})
    doublons = doublons_mesures(cas)
    if doublons:
        raise ErreurFichier([document.erreur(message, chemin) for chemin, message in doublons])
    return cas


def evaluer_fichier(chemin: str, ref: Referentiel, nom: Optional[str] = None, date: Optional[dt.date] = None,
                    coter: bool = True) -> ResultatFichier:
    """Lit, valide et (sauf `coter=False`, pour `iag valider`) évalue un fichier de cas d'usage."""
    nom = nom or chemin
    try:
        document, cas = lire_cas(chemin, ref, nom)
    except ErreurLecture as e:
        return ResultatFichier(nom, diagnostics=tuple(e.diagnostics), illisible=True)
    except ErreurFichier as e:
        return ResultatFichier(nom, diagnostics=tuple(e.diagnostics))
    return ResultatFichier(nom, document, cas, evaluer(cas, ref, date) if coter else None)


def apprecier_avis(resultat: ResultatFichier, chemin: str, ref: Referentiel, date: Optional[dt.date],
                   signataires: Optional[str]) -> Optional[Validation]:
    """Les avis signés du cas (fichier voisin `CAS.avis`), vérifiés contre le fichier des signataires,
    appréciés par `moteur.avis` ; None pour un cas qui n'en porte pas, sauf au seuil avec un fichier des
    signataires (les rôles y sont alors « manquants »)."""
    from .modeles.avis import fichier_avis

    if resultat.evaluation is None or resultat.document is None:
        return None
    if not (resultat.au_seuil and signataires is not None) and not os.path.lexists(fichier_avis(chemin)):
        return None  # ni avis ni porte à lever : rien à lire, ni ssh-keygen ni modèles des avis à charger
    from .es.signatures import ErreurSignature, lire_avis, verifier
    from .moteur.avis import apprecier, message

    jour = date or dt.date.today()
    try:
        lu = lire_avis(chemin)
    except (ErreurFichier, ErreurLecture) as e:
        return apprecier(nom_affiche(fichier_avis(chemin)), [], resultat.document, resultat.evaluation.verdict, ref, jour,
                         signataires is not None, tuple(map(str, e.diagnostics)))
    if lu is None and not (resultat.au_seuil and signataires is not None):
        # Sans avis ni fichier des signataires, rien ne change : pas de ligne « rôle manquant » pour
        # qui n'utilise pas les avis (la porte échoue comme avant).
        return None
    if lu is None:
        return apprecier(None, [], resultat.document, resultat.evaluation.verdict, ref, jour, signataires is not None)
    document_avis, fichier = lu
    try:
        controles = [(a, verifier(message(a), a.signature, a.identite, a.role, signataires)) for a in fichier.avis]
    except ErreurSignature as e:
        return apprecier(document_avis.nom, [], resultat.document, resultat.evaluation.verdict, ref, jour,
                         signataires is not None, (f"vérification impossible : {e}",))
    return apprecier(nom_affiche(document_avis.nom), controles, resultat.document, resultat.evaluation.verdict, ref, jour,
                     signataires is not None)


def executer(
    chemins: Iterable[tuple[str, bool | str]],
    ref: Referentiel,
    rapporteurs: "Sequence[Rapporteur]",
    seuil: Optional[str] = None,
    nom_stdin: Optional[str] = None,
    date: Optional[dt.date] = None,
    coter: bool = True,
    echeances: bool = False,
    signataires: Optional[str] = None,
    ignores: "Optional[Ignores]" = None,
    alertes_echec: bool = False,
) -> Bilan:
    """Évalue chaque fichier, le transmet aux rapporteurs au fil de l'eau, rend le bilan.

    `chemins` vient de `chemins.developper` : (chemin, état) ; un dossier sans YAML arrive
    avec l'état False, un dossier illisible avec son message : les deux comptent comme chemin illisible.
    `coter=False` : validation seule (`iag valider`), les résultats n'ont pas d'évaluation.
    `signataires` : fichier *allowed signers* d'OpenSSH ; un cas au seuil ne fait pas échouer si les
    avis du DPO et du RSSI (fichier voisin `CAS.avis`) sont tous valides (voir `moteur.avis`). Sans lui,
    les avis sont « invérifiables » et la porte échoue comme sans avis.
    `ignores` : ce que `developper` a laissé de côté, rempli au fil du parcours ; passé au bilan (noms
    échappés) pour que chaque format le liste.
    """
    bilan = Bilan(echeances=echeances, alertes_echec=alertes_echec)
    rang_seuil = ref.rang[seuil] if seuil is not None else None
    for chemin, etat in chemins:
        # Le nom est une donnée : échappé une fois ici (octets non UTF-8, contrôles, bidi), il est le
        # même dans tous les rapports et ne peut ni casser leur encodage ni leur faire perdre le lot.
        nom = nom_affiche(chemin, nom_stdin)
        if etat is True:
            resultat = evaluer_fichier(chemin, ref, nom, date, coter)
            if resultat.evaluation is not None and rang_seuil is not None:
                resultat = replace(resultat, au_seuil=ref.rang[resultat.evaluation.verdict] >= rang_seuil)
            if resultat.evaluation is not None:  # l'entrée standard n'a pas de fichier des avis (rôles manquants)
                resultat = replace(resultat, validation=apprecier_avis(resultat, chemin, ref, date, signataires))
        else:
            message = AUCUN_YAML if etat is False else str(etat)
            resultat = ResultatFichier(nom, diagnostics=(Diagnostic(nom, None, None, message),), illisible=True)
        bilan.compter(resultat)
        for r in rapporteurs:
            r.resultat(resultat)
    if ignores is not None:
        bilan.ignores = tuple((nom_affiche(c), raison) for c, raison in ignores.liste())
    for r in rapporteurs:
        r.fin(bilan)
    return bilan


def comparer_referentiels(ancien: Referentiel, nouveau: Referentiel, chemins: Iterable[tuple[str, object]] = (),
             date: Optional[dt.date] = None, nom_stdin: Optional[str] = None) -> Comparaison:
    """`iag referentiel comparer` : différences des deux versions (cœur pur : `moteur.maintenance.comparaison`),
    puis chaque proposition lue une fois et cotée sous l'une et l'autre."""
    from .moteur.maintenance.comparaison import Comparaison, Proposition, comparer_evaluations, differences, sens_du_changement

    changements = differences(ancien, nouveau)
    modifies: dict[str, list[Changement]] = {}
    for c in changements:
        modifies.setdefault(c.cle, []).append(c)
    resultat = Comparaison(changements)
    memes_mesures = ancien.mesures.keys() == nouveau.mesures.keys()
    for chemin, etat in chemins:
        nom = nom_affiche(chemin, nom_stdin)
        resultat.total += 1
        if etat is not True:
            resultat.illisibles += 1
            resultat.propositions.append(Proposition(nom, None, None, "inchangé", erreurs=(f"{nom}: {AUCUN_YAML if etat is False else etat}",)))
            continue
        try:
            document = lire_document(chemin, nom)
        except (ErreurLecture, ErreurFichier) as e:
            resultat.illisibles += isinstance(e, ErreurLecture)
            resultat.invalides += isinstance(e, ErreurFichier)
            resultat.propositions.append(Proposition(nom, None, None, "inchangé", erreurs=tuple(map(str, e.diagnostics))))
            continue
        # Lu une fois, validé sous chaque version (les mesures déclarées doivent exister dans chacune).
        cas: list[Optional[CasUsage]] = []
        erreurs: list[str] = []
        for ref in (ancien, nouveau):
            if cas and ref is nouveau and memes_mesures:
                cas.append(cas[0])
                continue
            try:
                cas.append(valider_cas(document, ref))
            except ErreurFichier as e:
                cas.append(None)
                erreurs.extend(map(str, e.diagnostics))
        ca, cb = cas
        resultat.invalides += ca is None  # cassée sous l'ancien ; devenir invalide sous le nouveau est une hausse
        if ca is None or cb is None:
            va = evaluer(ca, ancien, date).verdict if ca is not None else None
            vb = evaluer(cb, nouveau, date).verdict if cb is not None else None
            resultat.propositions.append(Proposition(nom, va, vb, sens_du_changement(ancien, nouveau, va, vb) if va != vb else "inchangé",
                                                     erreurs=tuple(erreurs)))
            continue
        p = comparer_evaluations(nom, ancien, nouveau, evaluer(ca, ancien, date), evaluer(cb, nouveau, date), modifies)
        if p.change:
            resultat.propositions.append(p)
    return resultat
