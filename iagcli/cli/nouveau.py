"""Famille « nouveau » : `iag nouveau`, le modèle commenté d'un cas d'usage, ou son dialogue
(`--interactif`) suivi de l'évaluation.

Comme les consultations (`cli/consultation.py`, dont il reprend le choix du référentiel et l'affichage
des erreurs), ce module n'importe que Typer au chargement.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn, Optional

import typer

from ..codes import SORTIE_ECHEC, SORTIE_INTERRUPTION, pire
from .commun import (
    OPTION_REFERENTIEL,
    OPTION_SANS_CONFIG,
    OPTION_SHA256,
    SORTIE_CAS_INVALIDE,
    SORTIE_OK,
    SORTIE_USAGE,
    CommandeFr,
    drapeau_env,
    famille,
)
from .consultation import SORTIE_INTROUVABLE, erreur, referentiel_consulte, referentiel_silencieux

if TYPE_CHECKING:
    from ..moteur.referentiel import Referentiel

app = famille()


@app.command("nouveau", cls=CommandeFr)
def nouveau(
    fichier: Optional[str] = typer.Argument(
        None, metavar="FICHIER", help="Fichier YAML à écrire ; sans fichier (ou -), le modèle va sur la sortie standard."
    ),
    interactif: bool = typer.Option(
        False, "--interactif", "-i", help="Pose les questions une à une, écrit le fichier puis l'évalue."
    ),
    force: bool = typer.Option(False, "--force", help="Remplace le fichier s'il existe déjà."),
    reprendre: bool = typer.Option(
        False, "--reprendre", help="Avec --interactif : reprend FICHIER (brouillon d'un Ctrl-C) et ne pose que les questions à compléter."
    ),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
) -> None:
    """Écrit un modèle commenté de cas d'usage, ou le remplit en posant les questions.

    Le modèle est généré depuis le schéma du cas d'usage : chaque question, son explication,
    ses valeurs permises (« inconnu » là où il est accepté). Aucune réponse n'est pré-remplie :
    chaque question porte « À compléter » ; tant qu'il en reste, `iag evaluer` dit le cas incomplet,
    cote le pire cas et échoue. En mode interactif, « ? » laisse une question à compléter, une
    question sans objet (domaine sans décision, contenu sans corpus) est sautée, et Ctrl-C écrit un
    brouillon des réponses données, repris par --reprendre. Un fichier existant n'est jamais
    remplacé sans --force (ou --reprendre).

    \b
    Exemples :
      iag nouveau mon-projet.yaml
      iag nouveau > mon-projet.yaml
      iag nouveau --interactif mon-projet.yaml
      iag nouveau --interactif --reprendre mon-projet.yaml

    Codes de sortie : 0 écrit ; 1 fichier déjà existant (sans --force) ; 3 le fichier écrit ne se
    valide pas ; 2 erreur d'usage, écriture impossible ou référentiel invalide.
    """
    import os

    from ..moteur.consultation import questionnaire as KQ

    # `cible` : le fichier à écrire, None pour la sortie standard (sans FICHIER, ou « - »).
    cible = None if fichier in (None, "-") else fichier
    if interactif and cible is None:
        erreur("--interactif demande le FICHIER à écrire, ex. : iag nouveau --interactif mon-projet.yaml", SORTIE_USAGE)
    if reprendre and not interactif:
        erreur("--reprendre s'emploie avec --interactif", SORTIE_USAGE)
    if reprendre and (cible is None or not os.path.exists(cible)):
        erreur(f"--reprendre : le fichier « {fichier} » n'existe pas", SORTIE_USAGE)
    if cible is not None and os.path.exists(cible) and not (force or reprendre):
        erreur(f"le fichier « {fichier} » existe déjà ; ajoutez --force pour le remplacer", SORTIE_INTROUVABLE)

    # Le référentiel sert à lister les mesures (et à évaluer en mode interactif) ; sans option,
    # un référentiel illisible n'empêche pas d'écrire le modèle.
    # Un référentiel épinglé est vérifié, comme partout.
    strict = bool(referentiel or interactif or referentiel_sha256)
    sans_config = drapeau_env(sans_config, "IAG_SANS_CONFIG")
    if sans_config and not strict:
        from .commun import charger_configuration

        charger_configuration(None, sans_config)  # --sans-config et IAG_CONFIG : refusés ensemble, comme partout
    ref = referentiel_consulte(referentiel, sans_config, referentiel_sha256) if strict else referentiel_silencieux(None, sans_config)
    mesures = [(m.id, m.titre) for m in ref.mesures.values()] if ref is not None else []

    if not interactif:
        texte = KQ.modele_yaml(mesures=mesures)
        if cible is None:
            from ..es.flux import ecrire_document

            ecrire_document(texte)
            raise typer.Exit(SORTIE_OK)
        _ecrire(cible, texte, force)
        from ..echappement import echapper

        print(f"Modèle écrit dans {echapper(cible)}. Complétez-le puis : iag evaluer {echapper(cible)}", file=sys.stderr)
        raise typer.Exit(SORTIE_OK)

    # --interactif sans FICHIER est refusé plus haut ; en mode interactif, le référentiel est chargé (ou code 2).
    assert cible is not None and ref is not None
    if sys.stdin is None:  # `<&-` : avant, RuntimeError et « erreur interne »
        erreur("entrée standard fermée : --interactif lit les réponses au clavier ; rien n'a été écrit", SORTIE_USAGE)
    en_cours: dict[tuple[str, ...], Any] = _reponses_du_brouillon(cible) if reprendre else {}
    deja = dict(en_cours)
    try:
        texte = _interroger(ref, mesures, en_cours, reprendre)
    except (typer.Abort, KeyboardInterrupt) as e:
        # Click change la fin de l'entrée en Abort ; le contexte dit si c'était une fin de fichier
        # (entrée vide ou épuisée, comme `< /dev/null`) plutôt qu'un Ctrl-C.
        if isinstance(e.__context__, EOFError):
            print(file=sys.stderr)
            erreur("entrée standard terminée avant la fin des questions ; rien n'a été écrit", SORTIE_USAGE)
        # Ctrl-C : les réponses données sont gardées dans un brouillon (écriture atomique), les autres
        # questions y restent « À compléter » ; --reprendre le relit.
        if en_cours != deja or not os.path.exists(cible):
            _ecrire_atomique(cible, KQ.modele_yaml(en_cours, mesures, entete=KQ.ENTETE_BROUILLON))
        print(file=sys.stderr)
        erreur(f"interrompu : brouillon écrit dans {cible} ; reprendre : iag nouveau --interactif --reprendre {cible}",
               SORTIE_INTERRUPTION)
    if reprendre:
        _ecrire_atomique(cible, texte)
    else:
        _ecrire(cible, texte, force)
    _evaluer_apres(cible, ref)


def _reponses_du_brouillon(fichier: str) -> dict[tuple[str, ...], Any]:
    """Réponses d'un fichier repris (chemin -> valeur telle qu'écrite) ; « À compléter » n'en est pas une."""
    from ..controleur import nom_affiche
    from ..erreurs import ErreurFichier, ErreurLecture
    from ..es.chargeur import lire_document
    from ..modeles.types import est_a_completer
    from ..moteur.consultation import questionnaire as KQ

    try:
        document = lire_document(fichier, nom_affiche(fichier))
    except (ErreurLecture, ErreurFichier) as e:
        for d in e.diagnostics:
            print(str(d), file=sys.stderr)
        raise typer.Exit(SORTIE_USAGE) from None
    sortie: dict[tuple[str, ...], Any] = {}
    for q in KQ.questions():
        if not isinstance(q, KQ.Question):
            continue
        v: Any = document.donnees
        for cle in q.chemin:
            v = v.get(cle) if isinstance(v, dict) else None
        if v is not None and not est_a_completer(v):
            sortie[q.chemin] = v
    return sortie


def _ecrire_atomique(fichier: str, texte: str) -> None:
    from ..es.sorties import ecriture_atomique

    try:
        with ecriture_atomique(fichier) as f:
            f.write(texte)
    except OSError as e:
        from ..messages import erreur_systeme

        erreur(f"écriture de « {fichier} » impossible : {erreur_systeme(e)}", SORTIE_USAGE)


def _interroger(ref: "Referentiel", mesures: list[tuple[str, str]], en_cours: dict[tuple[str, ...], Any],
                reprendre: bool = False) -> str:
    """Pose les questions (sauf celles que les réponses rendent sans objet ; en reprise, seulement
    celles à compléter), valide les réponses (et repose celles qui fautent), rend le YAML.
    `en_cours` reçoit chaque réponse dès qu'elle est donnée."""
    from pydantic import ValidationError
    from rich.text import Text

    from ..es.chargeur import analyser, diagnostics_pydantic
    from ..modeles.cas_usage import CasUsage
    from ..moteur.consultation import questionnaire as KQ
    from ..rendus import consultation as A
    from ..rendus.questionnaire import poser_questions

    console = A.console()
    from ..moteur.completude import pertinente as est_pertinente

    console.print(Text(f"Nouveau cas d'usage : répondez à chaque question ; « {KQ.PLUS_TARD} » la laisse « {KQ.A_COMPLETER} » "
                       "(le cas restera incomplet) ; Ctrl-C garde un brouillon.", style="bold"))
    toutes = [q for q in KQ.questions() if isinstance(q, KQ.Question)]

    def pertinente(chemin: tuple[str, ...], reponses: dict[tuple[str, ...], Any]) -> bool:
        return est_pertinente(ref, ".".join(chemin), {".".join(c): v for c, v in reponses.items()})

    def demander(texte: str, default: Optional[str] = None) -> str:
        return str(typer.prompt(texte, default=default, prompt_suffix=" : "))

    seulement = [q for q in toutes if q.chemin not in en_cours] if reprendre else None
    reponses = poser_questions(console, demander, mesures, dict(en_cours), seulement, pertinente, en_cours)
    while True:
        texte = KQ.modele_yaml(reponses, mesures, entete=KQ.ENTETE_INTERACTIF)
        document = analyser(texte, "réponses")
        try:
            CasUsage.model_validate(document.donnees, context={"mesures": ref.mesures})
            return texte
        except ValidationError as e:
            console.print()
            console.print(Text("Certaines réponses sont à revoir :", style="bold red"))
            for d in diagnostics_pydantic(document, e, CasUsage):
                console.print(Text(f"  {d.message}", style="red"))
            a_reposer = KQ.chemins_en_erreur(e.errors(include_url=False), toutes) or toutes
            reponses = poser_questions(console, demander, mesures, reponses, a_reposer, pertinente, en_cours)


def _ecrire(fichier: str, texte: str, force: bool) -> None:
    from ..es.sorties import verifier_arbre

    try:
        verifier_arbre(fichier)  # la règle de toute écriture : jamais par un lien qui sort de l'arbre demandé
        with open(fichier, "w" if force else "x", encoding="utf-8") as f:
            f.write(texte)
    except FileExistsError:
        erreur(f"le fichier « {fichier} » existe déjà ; ajoutez --force pour le remplacer", SORTIE_INTROUVABLE)
    except OSError as e:
        from ..messages import erreur_systeme

        erreur(f"écriture de « {fichier} » impossible : {erreur_systeme(e)}", SORTIE_USAGE)


def _evaluer_apres(fichier: str, ref: "Referentiel") -> NoReturn:
    from rich.text import Text

    from ..controleur import evaluer_fichier, nom_affiche
    from ..rendus import consultation as A
    from ..rendus.evaluation import Format, OptionsRapport, creer

    console = A.console()
    console.print()
    console.print(Text(f"Cas d'usage écrit dans {nom_affiche(fichier)}. Son évaluation :", style="bold"))
    console.print()
    import datetime as dt

    aujourd_hui = dt.date.today()  # comme `iag evaluer` sans --date
    resultat = evaluer_fichier(fichier, ref, nom_affiche(fichier), date=aujourd_hui)
    creer(Format.TEXTE, sys.stdout, ref, OptionsRapport(erreurs=sys.stderr, date=aujourd_hui)).resultat(resultat)
    raise typer.Exit(SORTIE_OK if resultat.evaluation is not None else SORTIE_USAGE if resultat.illisible else SORTIE_CAS_INVALIDE)


@app.command("migrer", cls=CommandeFr)
def migrer(
    fichiers: list[str] = typer.Argument(..., metavar="FICHIER...", help="Cas d'usage à amener au schéma courant."),
    verifier: bool = typer.Option(False, "--verifier", help="N'écrit rien : code 1 si un fichier a des questions à ajouter (CI)."),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
) -> None:
    """Ajoute à un cas d'usage chaque question qu'il ne contient pas, « À compléter ».

    Chaque question absente est insérée à sa place, précédée de son texte en commentaire ; aucune
    réponse n'est devinée, et les commentaires, l'ordre et la mise en forme du fichier restent tels
    quels. Une question sans objet (contenu du corpus sans corpus, domaine sans décision) n'est pas
    ajoutée. Le résultat est relu et vérifié avant l'écriture (atomique).

    \b
    Exemples :
      iag migrer propositions/ancien-projet.yaml
      iag migrer --verifier propositions/*.yaml

    Codes de sortie : 0 rien à ajouter, ou fichiers migrés ; 1 avec --verifier, une question est à
    ajouter, ou un fichier ne peut être migré sans risque ; 3 fichier de cas illisible ou invalide ;
    2 erreur d'usage, chemin absent ou référentiel invalide (le plus grave l'emporte : 2 > 3 > 1 > 0).
    """
    from ..controleur import nom_affiche
    from ..erreurs import ErreurFichier, ErreurLecture
    from ..es.chargeur import document_de, lire_document
    from ..es.reecriture import ReecritureRefusee, remplacer
    from ..moteur.insertion import InsertionImpossible
    from ..moteur.migration import migrer as migrer_document

    ref = referentiel_consulte(referentiel, sans_config, referentiel_sha256)
    code = SORTIE_OK
    for fichier in fichiers:
        nom = nom_affiche(fichier)
        try:
            document = lire_document(fichier, nom)
            resultat = migrer_document(document, ref)
        except ErreurLecture as e:
            for d in e.diagnostics:
                print(str(d), file=sys.stderr)
            code = pire(code, SORTIE_USAGE)
            continue
        except ErreurFichier as e:
            for d in e.diagnostics:
                print(str(d), file=sys.stderr)
            code = pire(code, SORTIE_CAS_INVALIDE)
            continue
        except InsertionImpossible as e:
            for d in e.diagnostics:
                print(str(d), file=sys.stderr)
            code = pire(code, SORTIE_ECHEC)
            continue
        if not resultat.ajoutees:
            print(f"{nom} : à jour, aucune question à ajouter", file=sys.stderr)
            continue
        from ..modeles.types import accord, nombre

        n = len(resultat.ajoutees)
        quoi = nombre(n, "question") + (" à ajouter" if verifier else f" {accord(n, 'ajoutée')} « À compléter »")
        print(f"{nom} : {quoi} : {', '.join(resultat.ajoutees)}", file=sys.stderr)
        if verifier:
            code = pire(code, SORTIE_ECHEC)
            continue
        try:
            # La règle de toute réécriture d'un fichier de l'utilisateur (es/reecriture) : relu, inchangé
            # depuis sa lecture, écrit d'un coup, jamais par un lien qui sort de l'arbre demandé.
            remplacer(fichier, document.octets, resultat.octets, document_de(resultat.octets, nom).donnees, nom)
        except ReecritureRefusee as e:
            print(f"iag : {e.message}", file=sys.stderr)
            code = pire(code, SORTIE_USAGE if e.modifie else SORTIE_ECHEC)
        except (OSError, ErreurLecture) as e:
            from ..messages import erreur_systeme

            raison = erreur_systeme(e) if isinstance(e, OSError) else "; ".join(map(str, e.diagnostics))
            print(f"iag : écriture de « {nom} » impossible : {raison}", file=sys.stderr)
            code = pire(code, SORTIE_USAGE)
    raise typer.Exit(code)
