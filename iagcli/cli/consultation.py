"""Famille « consultation » : recommandations, risques, matrice.

Ce module n'importe que Typer au chargement ; Rich, pydantic et le référentiel sont importés
dans les commandes, pour que `iag --help` reste rapide.

`iag nouveau` est dans `cli/nouveau.py` ; il reprend d'ici `referentiel_consulte`, `referentiel_silencieux`
et `erreur`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn, Optional

import typer

from .commun import (
    OPTION_REFERENTIEL,
    OPTION_SANS_CONFIG,
    OPTION_SHA256,
    SORTIE_ECHEC,
    SORTIE_OK,
    SORTIE_USAGE,
    CommandeFr,
    famille,
)

if TYPE_CHECKING:
    from ..moteur.referentiel import Referentiel

app = famille()
# Pour les consultations, l'échec (code 1) est un identifiant introuvable ou un fichier existant non remplacé.
SORTIE_INTROUVABLE = SORTIE_ECHEC


def referentiel_consulte(dossier: Optional[str], sans_config: bool, sha256: Optional[str]) -> "Referentiel":
    """Référentiel de l'option, sinon de la configuration (.iag.yaml, sauf --sans-config), sinon celui
    fourni avec iag ; épinglé par --referentiel-sha256. La préparation d'`iag evaluer`, sans seuil ni
    date : une consultation ne cote rien."""
    from .commun import preparer

    return preparer(dossier, None, sans_config, sha256, avec_seuil=False, avertir=False).ref


def erreur(message: str, code: int) -> NoReturn:
    from rich.text import Text

    from ..echappement import echapper
    from ..es.terminal import console

    # `Text` n'interprète pas le balisage Rich mais laisse passer ESC : le message cite des arguments.
    console(sys.stderr, soft_wrap=True).print(Text(f"iag : {echapper(message)}"))
    raise typer.Exit(code)


# --- Complétion des identifiants (chargement paresseux du référentiel) ------------------------


def referentiel_silencieux(ctx: Optional[typer.Context], sans_config: bool = False) -> "Optional[Referentiel]":
    """Référentiel pour la complétion : jamais de message ni d'erreur, None s'il est illisible."""
    try:
        from ..moteur.referentiel import charger

        params = ctx.params if ctx is not None else {}
        dossier = params.get("referentiel")
        if dossier is None:
            import os

            from ..es import configuration

            # --sans-config ou IAG_SANS_CONFIG (même vocabulaire ; une valeur invalide : pas de complétion).
            from ..modeles.types import booleen

            sans_config = sans_config or bool(params.get("sans_config")) or bool(booleen(os.environ.get("IAG_SANS_CONFIG", "")))
            conf = configuration.charger(None, sans_config=sans_config)
            dossier = conf.relatif(conf.config.referentiel)
        return charger(dossier)
    except Exception:  # noqa: BLE001  (la complétion ne doit jamais écrire dans le terminal de l'utilisateur)
        return None


def _completer(ctx: typer.Context, incomplete: str, genres: tuple[str, ...]) -> list[tuple[str, str]]:
    ref = referentiel_silencieux(ctx)
    if ref is None:
        return []
    from ..moteur.consultation.identifiants import identifiants
    from ..moteur.consultation.recherche import forme

    debut = forme(incomplete)
    # Typer ne garde que les propositions qui commencent par la saisie, casse comprise : pour
    # « r0 », on propose « r01 », que `iag risques` accepte comme « R01 ».
    minuscules = incomplete != incomplete.upper()
    return [
        (ident.lower() if minuscules else ident, titre)
        for _, ident, titre in identifiants(ref, genres) if forme(ident).startswith(debut)
    ]


def completer_elements(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Identifiants de risques, de mesures et de règles juridiques."""
    return _completer(ctx, incomplete, ("risque", "mesure", "regle"))


def completer_recommandations(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Identifiants de recommandations (et de risques, pour lister leurs recommandations)."""
    return _completer(ctx, incomplete, ("recommandation", "risque"))


def _completer_parmi(ctx: typer.Context, incomplete: str, attribut: str) -> list[tuple[str, str]]:
    ref = referentiel_silencieux(ctx)
    if ref is None:
        return []
    from ..moteur.consultation.recherche import forme

    return [(i, x.titre) for i, x in getattr(ref, attribut).items() if forme(i).startswith(forme(incomplete))]


def completer_themes(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completer_parmi(ctx, incomplete, "themes")


def completer_publics(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completer_parmi(ctx, incomplete, "publics")


# --- iag recommandations ---------------------------------------------------------------------


def _resoudre_filtres(valeurs: list[str], elements: dict[str, Any], option: str) -> list[str]:
    from ..modeles.types import suggestion
    from ..moteur.consultation.identifiants import resoudre_parmi

    sortie = []
    for brut in valeurs:
        for v in (x for x in brut.split(",") if x.strip()):
            ident = resoudre_parmi(v, elements)
            if ident is None:
                erreur(f"{option} « {v} » inconnu ; valeurs : {', '.join(elements)}{suggestion(v, list(elements))}", SORTIE_USAGE)
            sortie.append(ident)
    return sortie


@app.command("recommandations", cls=CommandeFr)
def recommandations(
    termes: Optional[list[str]] = typer.Argument(
        None, metavar="TERMES", autocompletion=completer_recommandations,
        help="Mots cherchés (sans tenir compte des accents ni de la casse, petites fautes tolérées), "
        "ou un identifiant : REC05 pour une recommandation, R01 pour celles d'un risque.",
    ),
    theme: list[str] = typer.Option(
        [], "--theme", "-t", metavar="THÈME", autocompletion=completer_themes,
        help="Seulement ce thème (identifiant ou titre ; répétable).",
    ),
    public: list[str] = typer.Option(
        [], "--public", "-p", metavar="PUBLIC", autocompletion=completer_publics,
        help="Seulement les recommandations destinées à ce public (répétable).",
    ),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
) -> None:
    """Cherche dans les recommandations du référentiel, ou les liste par thème.

    Cherche dans les titres, textes, mots-clés et thèmes ; les résultats sont classés par
    pertinence, mots trouvés surlignés. Sans terme : toutes les recommandations, par thème.

    \b
    Exemples :
      iag recommandations donnees personnelles
      iag recommandations --theme securite --public agents
      iag recommandations REC05

    Codes de sortie : 0 résultats affichés, ou recherche sans résultat (message et termes
    proches) ; 1 identifiant inconnu (avec suggestion) ; 2 thème ou public inconnu, référentiel
    invalide.
    """
    from ..moteur.consultation import identifiants as KI
    from ..moteur.consultation import recherche as KR
    from ..moteur.consultation import textes_referentiel as KT
    from ..rendus import consultation as A

    ref = referentiel_consulte(referentiel, sans_config, referentiel_sha256)
    themes = _resoudre_filtres(theme, ref.themes, "thème")
    publics = _resoudre_filtres(public, ref.publics, "public")
    termes = [t for t in (termes or []) if t.strip()]
    console = A.console()

    if len(termes) == 1:
        trouve = KI.resoudre_id(ref, termes[0])
        if trouve is not None:
            genre, ident = trouve
            if genre == "risque":
                A.afficher_recommandations_du_risque(console, ref, ident)
            else:
                A.afficher_element(console, ref, genre, ident)
            raise typer.Exit(SORTIE_OK)

    candidates = KT.filtrer_recommandations(ref, themes, publics)
    if not termes:
        A.afficher_liste_recommandations(console, ref, KT.par_theme(ref, candidates))
        raise typer.Exit(SORTIE_OK)

    requete = " ".join(termes)
    mots = KR.termes_requete(termes)
    if len(mots) > KR.TERMES_MAX or len(requete) > KR.CARACTERES_MAX:
        erreur(f"recherche trop longue ({len(mots)} mots, {len(requete)} caractères) : au plus {KR.TERMES_MAX} mots "
                f"et {KR.CARACTERES_MAX} caractères ; gardez les mots qui comptent", SORTIE_USAGE)
    fiches = {r.id: KR.fiche_recommandation(r, ref.themes) for r in ref.recommandations.values()}
    index = KR.Index(fiches.values())  # mots du référentiel indexés une fois pour les deux recherches
    trouvailles, partiel = KR.chercher([fiches[r.id] for r in candidates], mots, index)
    if trouvailles:
        A.afficher_recherche(console, ref, requete, fiches, trouvailles, partiel)
        raise typer.Exit(SORTIE_OK)

    if len(termes) == 1 and KI.ressemble_a_un_id(termes[0]):
        proches = KI.ids_proches(ref, termes[0], ("recommandation", "risque"))
        conseil = f" ; vouliez-vous dire {' ou '.join(f'« {p} »' for p in proches)} ?" if proches else ""
        erreur(f"aucune recommandation ni risque « {termes[0]} »{conseil}", SORTIE_INTROUVABLE)

    tout, _ = KR.chercher(list(fiches.values()), mots, index)
    hors_filtres = len(tout) if (themes or publics) else 0
    vocab = KR.vocabulaire(list(fiches.values()))
    A.afficher_sans_resultat(console, ref, requete, KR.termes_proches(mots, vocab), KR.themes_proches(ref, mots), hors_filtres)
    raise typer.Exit(SORTIE_OK)


# --- iag risques -------------------------------------------------------------------------------


@app.command("risques", cls=CommandeFr)
def risques(
    ident: Optional[str] = typer.Argument(
        None, metavar="ID", autocompletion=completer_elements,
        help="Identifiant d'un risque (R01), d'une mesure (M01), d'une règle juridique (J01) "
        "ou d'une recommandation.",
    ),
    mesures: bool = typer.Option(False, "--mesures", help="Liste les mesures et les risques qu'elles traitent."),
    regles: bool = typer.Option(False, "--regles", help="Liste les règles juridiques."),
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
) -> None:
    """Liste les risques par catégorie, ou détaille un risque, une mesure ou une règle.

    Sans identifiant : chaque risque avec sa probabilité (P) et sa gravité (G) de base
    (--mesures, --regles : les mesures, les règles juridiques).
    Avec un identifiant de risque : description, exemples, conditions d'application et
    pondérations écrites en français depuis le référentiel, mesures et leurs effets,
    références, sources et recommandations liées.

    \b
    Exemples :
      iag risques
      iag risques R01
      iag risques --mesures
      iag risques M03

    Codes de sortie : 0 affiché ; 1 identifiant inconnu (avec suggestion) ; 2 référentiel invalide.
    """
    from ..moteur.consultation import identifiants as KI
    from ..moteur.consultation import recherche as KR
    from ..rendus import consultation as A

    ref = referentiel_consulte(referentiel, sans_config, referentiel_sha256)
    console = A.console()
    if ident is None:
        if mesures or regles:
            if mesures:
                A.afficher_liste_mesures(console, ref)
            if regles:
                A.afficher_liste_regles(console, ref)
        else:
            A.afficher_liste_risques(console, ref)
        raise typer.Exit(SORTIE_OK)
    trouve = KI.resoudre_id(ref, ident)
    if trouve is None:
        # Identifiants proches, puis risques dont le texte ressemble à ce qui a été tapé.
        proches = KI.ids_proches(ref, ident, ("risque", "mesure", "regle"))
        # Suggestion seulement : un « identifiant » de mille mots n'en cherche que les premiers.
        mots = KR.termes_requete([ident[:KR.CARACTERES_MAX]])[:KR.TERMES_MAX]
        par_texte, _ = KR.chercher([KR.fiche_risque(r) for r in ref.risques.values()], mots)
        proches += [t.id for t in par_texte[:3] if t.id not in proches]
        titres = KI.titres(ref)
        conseil = ""
        if proches:
            conseil = " ; vouliez-vous dire " + " ou ".join(f"« {p} » ({titres[p]})" for p in proches[:4]) + " ?"
        montre = ident if len(ident) <= 80 else ident[:60] + "…"
        erreur(f"aucun risque, mesure ni règle « {montre} »{conseil}\nLa liste des risques : iag risques", SORTIE_INTROUVABLE)
    A.afficher_element(console, ref, *trouve)
    raise typer.Exit(SORTIE_OK)


# --- iag matrice -------------------------------------------------------------------------------


@app.command("matrice", cls=CommandeFr)
def matrice(
    referentiel: Optional[str] = OPTION_REFERENTIEL,
    sans_config: bool = OPTION_SANS_CONFIG,
    referentiel_sha256: Optional[str] = OPTION_SHA256,
) -> None:
    """Affiche la grille probabilité × gravité en carte de chaleur, avec ses niveaux.

    Lignes : probabilité, de la plus forte (en haut) à 1 ; colonnes : gravité. Les couleurs
    et les exigences de chaque niveau viennent du référentiel. Pour placer les risques d'un
    cas d'usage dans la grille : iag evaluer FICHIER --matrice

    \b
    Exemple :
      iag matrice
    """
    from ..rendus import consultation as A
    from ..rendus.commun.affichage import afficher_matrice

    ref = referentiel_consulte(referentiel, sans_config, referentiel_sha256)
    afficher_matrice(A.console(), ref)
