"""Ce que partagent les familles de commandes (`cli/evaluation.py`, `cli/consultation.py`…) :
options (OPTION_*), codes de sortie, la préparation unique (`preparer` : configuration, référentiel
épinglé, seuil, date), les erreurs d'usage et l'écriture des sorties. `famille` et `app` viennent de
`racine.py` (application racine et registre paresseux), réexportés ici pour les familles.

Les imports lourds (pydantic, rich, référentiel) sont faits dans les fonctions, pas au chargement,
pour que `iag --help` et `iag --version` restent rapides. Les sorties (sortie standard tamponnée, rapports
`-o`) sont dans `sortie.py`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NamedTuple, NoReturn, Optional

import typer

from ..codes import SORTIE_CAS_INVALIDE, SORTIE_ECHEC, SORTIE_OK, SORTIE_TUBE_ROMPU, SORTIE_USAGE, pire
from .cli_fr import CommandeFr
from .racine import app, enregistrer, famille, sous_groupe

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Sequence

    from ..erreurs import Diagnostic
    from ..es.chemins import Ignores
    from ..es.configuration import ConfigurationChargee
    from ..moteur.referentiel import Referentiel

__all__ = [
    "SORTIE_CAS_INVALIDE", "SORTIE_ECHEC", "SORTIE_OK", "SORTIE_TUBE_ROMPU", "SORTIE_USAGE", "pire", "CommandeFr", "app", "enregistrer", "famille", "sous_groupe",
]

JAMAIS = "jamais"  # même mot que modeles.referentiel.SEUIL_JAMAIS (non importé ici : pydantic est lent à charger)


def sortir(diagnostics: "Iterable[Diagnostic]", code: int, entete: Optional[str] = None) -> NoReturn:
    if entete:
        print(entete, file=sys.stderr)
    for d in diagnostics:
        print(str(d), file=sys.stderr)
    raise typer.Exit(code)


def empreinte_attendue(valeur: Optional[str], option: str = "--referentiel-sha256") -> Optional[str]:
    """L'empreinte d'une option d'épinglage, vérifiée avant toute lecture (64 chiffres hexadécimaux)."""
    import re

    if not valeur:
        return None
    attendue = valeur.strip().lower()
    if not re.fullmatch("[0-9a-f]{64}", attendue):
        usage(f"{option} « {valeur} » invalide : 64 chiffres hexadécimaux attendus")
    return attendue


def epingler(quoi: str, obtenue: str, ou: str, attendue: Optional[str], option: str = "--referentiel-sha256") -> None:
    """Épinglage : un fichier remplacé (par une configuration du dépôt évalué, par exemple) est refusé (code 2)."""
    if attendue is not None and obtenue != attendue:
        usage(f"{quoi} refusé : son sha256 est {obtenue} ({ou}), {option} attend {attendue}")


def charger_referentiel(dossier: Optional[str], sha256: Optional[str] = None, verbeux: bool = False,
                        evalues: "Sequence[str]" = ()) -> "Referentiel":
    """Le référentiel de `dossier` (None : celui fourni avec iag), épinglé par `sha256` s'il est donné ;
    avec `verbeux`, dit sur l'erreur standard pourquoi une entrée du cache a été ignorée.

    Épinglé, il est toujours relu du YAML, jamais du cache : l'empreinte porte sur les octets lus, et
    une entrée du cache écrite par un autre processus du même compte (exécuteur de CI partagé) ne doit
    pas pouvoir lui substituer un autre contenu."""
    from ..erreurs import ErreurReferentiel
    from ..moteur.referentiel import charger

    attendu = empreinte_attendue(sha256)
    try:
        ref = charger(dossier, cache=attendu is None, signaler=dire if verbeux else None, evalues=evalues)
    except ErreurReferentiel as e:
        sortir(e.diagnostics, 2, "Référentiel invalide :")
    epingler("référentiel", ref.empreinte, ref.dossier, attendu)
    return ref


def drapeau_env(option: bool, nom: str) -> bool:
    """Une option booléenne, ou sa variable d'environnement `nom`, lue avec le vocabulaire des cas
    d'usage (oui/non, vrai/faux, 1/0) : le seul endroit où ces variables sont lues. Vide ou absente :
    l'option seule ; autre valeur : refus en français (code 2)."""
    import os

    from ..echappement import echapper
    from ..modeles.types import BOOLEENS_PERMIS, booleen

    valeur = os.environ.get(nom, "")
    if option or not valeur.strip():
        return option
    lue = booleen(valeur)
    if lue is None:
        usage(f"{nom}=« {echapper(valeur)} » invalide : {BOOLEENS_PERMIS}")
    return lue


def charger_configuration(chemin: Optional[str], sans_config: bool = False) -> "ConfigurationChargee":
    import os

    from ..erreurs import ErreurIag
    from ..es import configuration

    sans_config = drapeau_env(sans_config, "IAG_SANS_CONFIG")
    # IAG_CONFIG aussi : les commandes sans option --config (consultations) le liraient sinon.
    if sans_config and (chemin or os.environ.get("IAG_CONFIG")):
        usage("--sans-config (ou IAG_SANS_CONFIG) ignore toute configuration : il exclut --config et IAG_CONFIG")
    try:
        return configuration.charger(chemin, sans_config=sans_config)
    except ErreurIag as e:
        sortir(e.diagnostics, 2, "Configuration invalide :")


def dire(message: str) -> None:
    """Une ligne « iag : … » sur l'erreur standard ; le message cite des valeurs venues d'options, de
    variables IAG_*, de .iag.yaml ou du disque : échappé."""
    from ..echappement import echapper

    print(f"iag : {echapper(message)}", file=sys.stderr)


def usage(message: str) -> NoReturn:
    dire(message)
    raise typer.Exit(2)


def faute_config(conf: "ConfigurationChargee", message: str, chemin: tuple[str | int, ...]) -> NoReturn:
    """Valeur fautive venue du fichier de configuration : placée à sa ligne et sa colonne."""
    sortir([conf.erreur(message, chemin)], 2, "Configuration invalide :")


def lire_date(texte: Optional[str], conf: "ConfigurationChargee") -> "dt.date":
    """Date d'évaluation : --date ou IAG_DATE, sinon `date:` de la configuration, sinon aujourd'hui."""
    import datetime as dt

    if texte is None:
        return conf.config.date or dt.date.today()
    return analyser_date(texte)


def analyser_date(texte: str, quoi: str = "date", exemple: str = "2027-12-02") -> "dt.date":
    """Une date AAAA-MM-JJ donnée en option ; sinon erreur d'usage qui nomme `quoi`."""
    import datetime as dt
    import re

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", texte.strip()):
            raise ValueError
        return dt.date.fromisoformat(texte.strip())
    except ValueError:
        usage(f"{quoi} « {texte} » invalide : attendu AAAA-MM-JJ (ex. {exemple})")


def avertir_si_perime(ref: "Referentiel", date: "dt.date") -> None:
    """Une ligne sur l'erreur standard quand la vérification juridique du référentiel a dépassé sa limite."""
    if ref.perime_le(date):
        from ..rendus.evaluation.constats import avertissement_peremption

        print(f"iag : avertissement : {avertissement_peremption(ref, date)}", file=sys.stderr)


def niveau_seuil(texte: str, ref: "Referentiel", conf: "Optional[ConfigurationChargee]" = None) -> Optional[str]:
    """Identifiant du niveau seuil ; `conf` : la valeur vient du fichier de configuration."""
    from ..modeles.types import normaliser

    if normaliser(texte) == JAMAIS:
        return None
    for ident in ref.rang:
        if normaliser(ident) == normaliser(texte):
            return ident
    message = f"seuil « {texte} » inconnu ; valeurs permises : {', '.join(ref.rang)}, {JAMAIS}"
    if conf is not None:
        faute_config(conf, message, ("seuil",))
    usage(message)


def decider_seuil(option: Optional[str], ref: "Referentiel", conf: "ConfigurationChargee") -> Optional[str]:
    """Le seuil d'une commande, décidé ici seulement : --seuil (ou IAG_SEUIL), sinon `seuil:` de la
    configuration (erreur placée dans ce fichier), sinon `parametres.seuil_defaut` du référentiel."""
    if option:
        return niveau_seuil(option, ref)
    if conf.config.seuil:
        return niveau_seuil(conf.config.seuil, ref, conf)
    return ref.seuil_defaut


class Contexte(NamedTuple):
    """Configuration retenue et date d'évaluation d'une commande."""

    conf: "ConfigurationChargee"
    date: "dt.date"


class Preparation(NamedTuple):
    """Ce que toute commande qui lit le référentiel reçoit de `preparer`."""

    conf: "ConfigurationChargee"
    ref: "Referentiel"
    date: "dt.date"
    seuil: Optional[str]  # None : jamais (ou commande sans seuil)


def contexte(config: Optional[str], sans_config: bool, date: Optional[str] = None) -> Contexte:
    """Configuration (aucune avec --sans-config ou IAG_SANS_CONFIG) et date (--date, sinon `date:` de la
    configuration, sinon aujourd'hui) : le début de `preparer`, seul pour les commandes dont le
    référentiel est un argument (`iag referentiel …`)."""
    conf = charger_configuration(config, sans_config)
    return Contexte(conf, lire_date(date, conf))


def preparer(referentiel: Optional[str], config: Optional[str], sans_config: bool, referentiel_sha256: Optional[str],
             date: Optional[str] = None, seuil: Optional[str] = None, *,
             avec_seuil: bool = True, avertir: bool = True, verbeux: bool = False,
             evalues: "Sequence[str]" = ()) -> Preparation:
    """La préparation de toutes les commandes qui lisent le référentiel, dans cet ordre : configuration,
    référentiel (--referentiel, sinon `referentiel:` de la configuration, sinon celui fourni), épinglé par
    --referentiel-sha256, seuil (`decider_seuil`, si `avec_seuil`), date, puis l'avertissement d'une veille
    juridique périmée (si `avertir` : pas pour les commandes qui ne cotent pas). `verbeux` : dit pourquoi une
    entrée du cache du référentiel a été ignorée. `evalues` : les chemins évalués (jamais de cache dessous)."""
    conf = charger_configuration(config, sans_config)
    ref = charger_referentiel(referentiel or conf.relatif(conf.config.referentiel), referentiel_sha256, verbeux, evalues)
    seuil_retenu = decider_seuil(seuil, ref, conf) if avec_seuil else None
    jour = lire_date(date, conf)
    if avertir:
        avertir_si_perime(ref, jour)
    return Preparation(conf, ref, jour, seuil_retenu)


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
    False, "--sans-config",
    help="Ignore tout fichier .iag.yaml (seuil et référentiel viennent des options et des variables) : "
         "pour évaluer des propositions qui ne sont pas de confiance, en CI. Aussi IAG_SANS_CONFIG=oui.",
)
OPTION_SHA256 = typer.Option(
    None, "--referentiel-sha256", envvar="IAG_REFERENTIEL_SHA256", metavar="SHA256",
    help="Refuse (code 2) tout référentiel dont l'empreinte diffère : "
         "sha256sum risques.yaml recommandations.yaml | sha256sum, dans son dossier (documents.yaml : --documents-sha256).",
)
OPTION_SIGNATAIRES = typer.Option(
    None, "--signataires", envvar="IAG_SIGNATAIRES", metavar="FICHIER",
    help="Fichier des signataires d'OpenSSH (allowed signers ; namespaces=\"iag-avis-dpo\" ou \"iag-avis-rssi\" lie une "
         "clé à un rôle) : un cas au seuil passe si les avis du DPO et du RSSI (fichier CAS.avis) sont tous valides. "
         "Jamais lu de .iag.yaml : à donner par une variable ou un fichier protégé de la CI.",
)
OPTION_VERBEUX = typer.Option(False, "--verbeux", "-v", help="Dit aussi, sur l'erreur standard, quels fichiers des dossiers ont été ignorés (cachés, non YAML) et pourquoi une entrée du cache du référentiel n'a pas servi.")


def signaler_ignores(ignores: "Ignores", verbeux: bool) -> None:
    """Avec --verbeux : chaque chemin ignoré par le parcours des dossiers, puis leur nombre."""
    from ..echappement import echapper

    if not verbeux:
        return
    for genre, chemins in (("caché", ignores.caches), ("sans extension .yaml ou .yml", ignores.non_yaml),
                           ("lien vers un dossier, non suivi", ignores.liens)):
        for c in chemins:
            print(f"{echapper(c)}: ignoré ({genre})", file=sys.stderr)
    from ..modeles.types import nombre

    print(f"iag : {nombre(ignores.total, 'chemin ignoré')} : {nombre(len(ignores.caches), 'caché')}, "
          f"{len(ignores.non_yaml)} sans extension .yaml ou .yml, {nombre(len(ignores.liens), 'lien')} vers un dossier",
          file=sys.stderr)


def rapports_demandes(rapports: list[str], conf: "ConfigurationChargee") -> list[tuple[str, str]]:
    """(format, chemin) des rapports en fichiers : -o, sinon IAG_RAPPORTS, sinon la configuration.

    Chaque -o est pris en entier (seul le premier « : » sépare) : un nom peut contenir une virgule.
    IAG_RAPPORTS est lu ici, pas par Click, pour séparer ses rapports par des virgules seulement."""
    import os

    from ..erreurs import ErreurIag
    from ..es import configuration
    try:
        if rapports:
            return [configuration.rapport_depuis_texte(t, "--rapport") for t in rapports]
        if os.environ.get("IAG_RAPPORTS"):
            return configuration.rapports_environnement(os.environ["IAG_RAPPORTS"])
        # Formats de la configuration déjà validés au chargement (avec leur position).
        return [(r.format, conf.chemin_rapport(i)) for i, r in enumerate(conf.config.rapports)]
    except ErreurIag as e:
        sortir(e.diagnostics, 2, "Configuration invalide :" if not rapports and not os.environ.get("IAG_RAPPORTS") else None)




def signataires_retenus(chemin: Optional[str]) -> Optional[str]:
    """Le fichier des signataires (--signataires ou IAG_SIGNATAIRES, jamais la configuration du dépôt),
    vérifié avant toute évaluation : lisible, et ssh-keygen présent (sinon code 2, message en français)."""
    if not chemin:
        return None
    from ..es.signatures import ErreurSignature, disponible, verifier_signataires

    try:
        verifier_signataires(chemin)
        disponible()
    except ErreurSignature as e:
        usage(str(e))
    _avertir_signataires_dans_le_depot(chemin)
    return chemin


def _avertir_signataires_dans_le_depot(chemin: str) -> None:
    """Un fichier des signataires rangé dans le dépôt courant (dossier de `.git` au-dessus du dossier
    courant) est modifiable par qui propose : avertissement sur l'erreur standard, le code n'en dépend pas."""
    import os

    reel = os.path.realpath(chemin)
    dossier = os.path.realpath(os.getcwd())
    while True:
        if os.path.exists(os.path.join(dossier, ".git")):
            if os.path.commonpath([dossier, reel]) == dossier:
                dire(f"avertissement : le fichier des signataires « {chemin} » est dans le dépôt évalué ({dossier}) : "
                     "une merge request peut le modifier ; le donner depuis une variable ou un fichier protégés de la CI "
                     "(docs/avis.md)")
            return
        parent = os.path.dirname(dossier)
        if parent == dossier:
            return
        dossier = parent
