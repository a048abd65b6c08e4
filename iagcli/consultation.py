"""Consultation du référentiel et rédaction d'un cas d'usage : la logique, sans affichage.

- recherche plein texte tolérante (casse, accents, petites fautes de frappe), classement par
  pertinence et positions des mots trouvés, pour `iag recommandations` ;
- résolution des identifiants (risques, mesures, règles, recommandations) et suggestions ;
- textes français dérivés des données (effets des mesures, placement dans la matrice) ;
- questions du cas d'usage dérivées du modèle `CasUsage` : modèle YAML commenté pour
  `iag nouveau` et lecture des réponses du mode interactif.

Rien n'est écrit à l'écran ici : `affichage_consultation` met en forme, `cli_consultation`
lit les options.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import textwrap
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Sequence

if TYPE_CHECKING:
    from .referentiel import Referentiel
    from .resultat import Evaluation

# --- Normalisation et découpage en mots --------------------------------------------------------

_MOT = re.compile(r"[^\W_]+")
_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}

# Mots trop fréquents pour discriminer ; « ia » n'en fait pas partie.
MOTS_VIDES = frozenset(
    "a à au aux avec c ce ces d dans de des du elle en est et il j l la le les leur leurs lui ma "
    "mais me mes n ne ni nos notre on ou par pas pour qu que qui s sa se ses son sont sur ta te "
    "un une vos votre y".split()
)


def forme(mot: str) -> str:
    """Forme de comparaison d'un mot : minuscules, sans accents ni ligatures."""
    mot = mot.lower()
    for lig, rempl in _LIGATURES.items():
        mot = mot.replace(lig, rempl)
    decompose = unicodedata.normalize("NFKD", mot)
    return "".join(c for c in decompose if not unicodedata.combining(c))


def jetons(texte: str) -> list[tuple[int, int, str]]:
    """Mots d'un texte : (début, fin, forme), les positions portant sur le texte d'origine."""
    return [(m.start(), m.end(), forme(m.group())) for m in _MOT.finditer(texte)]


def termes_requete(termes: Iterable[str]) -> list[str]:
    """Formes des mots cherchés, sans mots vides (sauf si la requête n'a que ceux-là)."""
    tous = [f for t in termes for _, _, f in jetons(t)]
    utiles = [f for f in tous if f not in MOTS_VIDES]
    return list(dict.fromkeys(utiles or tous))


def _racine(f: str) -> str:
    """Racine grossière : pluriel puis féminin (« données » et « donnée » se rejoignent)."""
    if len(f) > 3 and f[-1] in "sx":
        f = f[:-1]
    if len(f) > 3 and f[-1] == "e":
        f = f[:-1]
    return f


def tolerance(longueur: int) -> int:
    """Nombre de fautes tolérées selon la longueur du mot cherché."""
    if longueur <= 4:
        return 0
    return 1 if longueur <= 8 else 2


def distance(a: str, b: str, maximum: int) -> int:
    """Distance de Damerau-Levenshtein (transpositions adjacentes) ; `maximum + 1` au-delà."""
    if abs(len(a) - len(b)) > maximum:
        return maximum + 1
    precedente2: list[int] = []
    precedente = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        courante = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cout = 0 if a[i - 1] == b[j - 1] else 1
            courante[j] = min(precedente[j] + 1, courante[j - 1] + 1, precedente[j - 1] + cout)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                courante[j] = min(courante[j], precedente2[j - 2] + 1)
        if min(courante) > maximum:
            return maximum + 1
        precedente2, precedente = precedente, courante
    return min(precedente[-1], maximum + 1)


def qualite(terme: str, mot: str) -> float:
    """Ressemblance entre un terme cherché et un mot du texte (deux formes), de 0 à 1."""
    if terme == mot:
        return 1.0
    if _racine(terme) == _racine(mot):
        return 0.95
    if len(terme) >= 4 and mot.startswith(terme):
        return 0.8
    seuil = tolerance(len(terme))
    if seuil:
        d = distance(terme, mot, seuil)
        if d <= seuil:
            return 0.75 - 0.1 * (d - 1)
    return 0.0


# --- Index et recherche ----------------------------------------------------------------------


@dataclass
class Zone:
    """Un texte cherchable d'une fiche (titre, texte, un mot-clé, thème) et son poids."""

    nom: str
    poids: float
    texte: str
    mots: list[tuple[int, int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.texte = " ".join(self.texte.split())
        self.mots = jetons(self.texte)


@dataclass
class Fiche:
    id: str
    zones: list[Zone]


@dataclass
class Trouvaille:
    id: str
    score: float
    couverture: int  # nombre de termes trouvés
    surlignages: dict[int, list[tuple[int, int]]]  # indice de zone -> positions trouvées

    def positions(self, fiche: Fiche, nom: str) -> list[tuple[int, list[tuple[int, int]]]]:
        """(indice, positions) des zones de ce nom qui contiennent un terme trouvé."""
        return [(i, self.surlignages[i]) for i, z in enumerate(fiche.zones) if z.nom == nom and i in self.surlignages]


POIDS = {"titre": 3.0, "mots_cles": 2.5, "theme": 1.5, "texte": 1.0}


def fiche_recommandation(reco, themes: dict) -> Fiche:
    zones = [Zone("titre", POIDS["titre"], reco.titre), Zone("texte", POIDS["texte"], reco.texte)]
    zones += [Zone("mots_cles", POIDS["mots_cles"], m) for m in reco.mots_cles]
    theme = themes.get(reco.theme)
    zones.append(Zone("theme", POIDS["theme"], f"{theme.titre} {reco.theme}" if theme else reco.theme))
    return Fiche(reco.id, zones)


def fiche_risque(risque) -> Fiche:
    zones = [Zone("titre", POIDS["titre"], risque.titre), Zone("texte", POIDS["texte"], risque.description)]
    zones += [Zone("texte", POIDS["texte"], e) for e in risque.exemples]
    return Fiche(risque.id, zones)


# Au-delà, une requête n'est plus une recherche : `iag recommandations` la refuse (code 2).
TERMES_MAX = 32
CARACTERES_MAX = 1000


class Index:
    """Les mots distincts des fiches, indexés une fois : pour chaque terme cherché, sa ressemblance
    avec chaque mot distinct est calculée une seule fois (`qualite`), puis chaque fiche n'est plus
    qu'une suite de consultations de table. Le coût d'un terme ne dépend donc ni du nombre de
    termes de la requête ni du nombre de fois qu'un mot revient dans le référentiel."""

    def __init__(self, fiches: Iterable[Fiche]):
        self.formes = sorted({mot for f in fiches for z in f.zones for _, _, mot in z.mots})
        self._ressemblances: dict[str, dict[str, float]] = {}

    def ressemblances(self, terme: str) -> dict[str, float]:
        """forme d'un mot -> qualité de sa ressemblance avec `terme` (mots ressemblants seulement)."""
        if terme not in self._ressemblances:
            self._ressemblances[terme] = {m: q for m in self.formes if (q := qualite(terme, m))}
        return self._ressemblances[terme]

    def table(self, termes: Sequence[str]) -> dict[str, list[tuple[int, float]]]:
        """forme -> [(indice du terme, qualité)] pour les mots qui ressemblent à au moins un terme."""
        table: dict[str, list[tuple[int, float]]] = {}
        for it, terme in enumerate(termes):
            for mot, q in self.ressemblances(terme).items():
                table.setdefault(mot, []).append((it, q))
        return table


def chercher(fiches: Sequence[Fiche], termes: Sequence[str], index: Optional[Index] = None) -> tuple[list[Trouvaille], bool]:
    """Fiches qui contiennent les termes, de la plus à la moins pertinente.

    Rend (trouvailles, partiel) : si aucune fiche ne contient tous les termes, on garde celles
    qui en contiennent au moins un et `partiel` vaut True. `index` (qui doit couvrir ces fiches)
    sert d'une recherche à l'autre dans une même commande.
    """
    if not termes:
        return [], False
    table = (index or Index(fiches)).table(termes)
    trouvailles = [t for f in fiches if (t := _noter(f, len(termes), table)) is not None]
    if not trouvailles:
        return [], False
    complet = [t for t in trouvailles if t.couverture == len(termes)]
    retenues = complet or trouvailles
    retenues.sort(key=lambda t: (-t.couverture, -t.score, t.id))
    return retenues, not complet


def _noter(fiche: Fiche, nombre: int, table: dict[str, list[tuple[int, float]]]) -> Optional[Trouvaille]:
    meilleurs = [0.0] * nombre
    surlignages: dict[int, set[tuple[int, int]]] = {}
    trouves: dict[tuple[int, int], set[int]] = {}  # (zone, mot) -> termes trouvés à cet endroit
    occurrences = 0
    for iz, zone in enumerate(fiche.zones):
        for im, (debut, fin, mot) in enumerate(zone.mots):
            for it, q in table.get(mot, ()):
                meilleurs[it] = max(meilleurs[it], q * zone.poids)
                trouves.setdefault((iz, im), set()).add(it)
                occurrences += 1
                surlignages.setdefault(iz, set()).add((debut, fin))
    couverture = sum(1 for m in meilleurs if m > 0)
    if not couverture:
        return None
    # Bonus d'expression : deux termes consécutifs trouvés côte à côte (« données personnelles »),
    # compté une fois par paire de termes, au poids de la première zone (dans l'ordre du texte) où
    # on les trouve. Un seul passage sur les endroits trouvés.
    premier: dict[int, float] = {}
    for (iz, im), ts in trouves.items():
        suivants = trouves.get((iz, im + 1))
        if suivants:
            for it in ts:
                if it + 1 in suivants and it not in premier:
                    premier[it] = fiche.zones[iz].poids
    bonus = sum(0.5 * poids for poids in premier.values())
    score = sum(meilleurs) + bonus + 0.05 * min(occurrences, 10)
    return Trouvaille(fiche.id, round(score, 4), couverture, {k: sorted(v) for k, v in surlignages.items()})


def vocabulaire(fiches: Sequence[Fiche], zones: tuple[str, ...] = ("titre", "mots_cles", "theme")) -> dict[str, str]:
    """forme -> mot tel qu'écrit (première occurrence), hors mots vides et mots de moins de 3 lettres."""
    vocab: dict[str, str] = {}
    for f in fiches:
        for z in f.zones:
            if z.nom in zones:
                for debut, fin, mot in z.mots:
                    if len(mot) >= 3 and mot not in MOTS_VIDES:
                        vocab.setdefault(mot, z.texte[debut:fin].lower())
    return vocab


def termes_proches(termes: Sequence[str], vocab: dict[str, str], n: int = 5) -> list[str]:
    """Mots du vocabulaire les plus proches des termes cherchés (pour « vouliez-vous dire »)."""
    proches: list[str] = []
    formes = list(vocab)
    for t in termes:
        for f in difflib.get_close_matches(t, formes, n=3, cutoff=0.6):
            if vocab[f] not in proches:
                proches.append(vocab[f])
    return proches[:n]


def themes_proches(ref: "Referentiel", termes: Sequence[str]) -> list[str]:
    """Thèmes dont un mot (de plus de 3 lettres) ressemble à un terme cherché, à 2 fautes près."""
    return [
        t.id for t in ref.themes.values()
        if any(len(f) > 3 and (qualite(m, f) or distance(m, f, 2) <= 2)
               for m in termes for _, _, f in jetons(f"{t.titre} {t.id}"))
    ]


def extrait(texte: str, positions: list[tuple[int, int]], largeur: int = 220) -> tuple[str, list[tuple[int, int]]]:
    """Passage du texte autour de la première position trouvée, positions recalées."""
    if len(texte) <= largeur:
        return texte, list(positions)
    premier = min((d for d, _ in positions), default=0)
    debut = max(0, premier - largeur // 4)
    if debut > 0:
        espace = texte.find(" ", debut)
        debut = espace + 1 if 0 <= espace < premier else debut
    fin = min(len(texte), debut + largeur)
    if fin < len(texte):
        espace = texte.rfind(" ", debut, fin)
        fin = espace if espace > debut else fin
    prefixe = "…" if debut > 0 else ""
    suffixe = "…" if fin < len(texte) else ""
    decalage = len(prefixe) - debut
    recalees = [(d + decalage, f + decalage) for d, f in positions if d >= debut and f <= fin]
    return prefixe + texte[debut:fin] + suffixe, recalees


# --- Identifiants ------------------------------------------------------------------------------

GENRES = ("risque", "mesure", "regle", "recommandation")


def _tables(ref: "Referentiel") -> dict[str, dict]:
    return {"risque": ref.risques, "mesure": ref.mesures, "regle": ref.regles, "recommandation": ref.recommandations}


def identifiants(ref: "Referentiel", genres: Sequence[str] = GENRES) -> list[tuple[str, str, str]]:
    """(genre, id, titre) de tous les éléments des genres demandés, dans l'ordre du référentiel."""
    tables = _tables(ref)
    return [(g, ident, x.titre) for g in genres for ident, x in tables[g].items()]


def resoudre_id(ref: "Referentiel", texte: str, genres: Sequence[str] = GENRES) -> Optional[tuple[str, str]]:
    """(genre, id) si `texte` est un identifiant connu, sans tenir compte de la casse ni des accents."""
    cle = forme(texte.strip())
    for genre, ident, _ in identifiants(ref, genres):
        if forme(ident) == cle:
            return genre, ident
    return None


_ALLURE_ID = re.compile(r"^[^\W\d_]{1,6}[-_.]?\d{1,4}$")


def ressemble_a_un_id(texte: str) -> bool:
    """« REC99 », « r19 », « M-01 » : des lettres suivies d'un numéro."""
    return bool(_ALLURE_ID.match(texte.strip()))


def ids_proches(ref: "Referentiel", texte: str, genres: Sequence[str] = GENRES, n: int = 3) -> list[str]:
    """Identifiants ressemblants ; « rec5 » désigne sans ambiguïté « REC05 »."""
    tous = [ident for _, ident, _ in identifiants(ref, genres)]
    cle = forme(texte.strip())

    def sans_zeros(f: str) -> str:
        return re.sub(r"(?<=\D)0+(?=\d)", "", f)

    exacts = [i for i in tous if sans_zeros(forme(i)) == sans_zeros(cle)]
    if exacts:
        return exacts[:n]
    formes = {forme(i): i for i in tous}
    proches = [formes[f] for f in difflib.get_close_matches(cle, list(formes), n=n, cutoff=0.6)]
    if proches:
        return proches
    # Identifiants courts (« T3 ») : même préfixe de lettres, numéro le plus proche.
    m = re.fullmatch(r"([^\W\d_]+)[-_.]?(\d+)", cle)
    if not m:
        return []
    voisins = []
    for i in tous:
        mi = re.fullmatch(r"([^\W\d_]+)[-_.]?(\d+)", forme(i))
        if mi and mi.group(1) == m.group(1):
            voisins.append((abs(int(mi.group(2)) - int(m.group(2))), i))
    return [i for _, i in sorted(voisins)[:n]]


def resoudre_parmi(valeur: str, elements: dict) -> Optional[str]:
    """Identifiant d'un thème ou d'un public désigné par son identifiant, son titre, ou un début
    d'identifiant sans ambiguïté (« secu » pour « securite »)."""
    cle = forme(valeur.strip()).replace(" ", "_")
    for ident, x in elements.items():
        if cle in (forme(ident), forme(x.titre).replace(" ", "_")):
            return ident
    debuts = [ident for ident in elements if cle and forme(ident).startswith(cle)]
    return debuts[0] if len(debuts) == 1 else None


# --- Recommandations -------------------------------------------------------------------------


def filtrer_recommandations(ref: "Referentiel", themes: Sequence[str] = (), publics: Sequence[str] = ()) -> list:
    """Recommandations des thèmes et publics donnés (identifiants déjà résolus), ordre du fichier."""
    return [
        r for r in ref.recommandations.values()
        if (not themes or r.theme in themes) and (not publics or set(r.publics) & set(publics))
    ]


def par_theme(ref: "Referentiel", recommandations: Sequence) -> list[tuple[Any, list]]:
    """[(thème, [recommandations])] dans l'ordre des thèmes du fichier ; thèmes vides omis."""
    groupes = []
    for ident, theme in ref.themes.items():
        membres = [r for r in recommandations if r.theme == ident]
        if membres:
            groupes.append((theme, membres))
    return groupes


# --- Risques, mesures, matrice ----------------------------------------------------------------

MOINS = "\u2212"  # signe moins typographique


def signe(n: int) -> str:
    return f"+{n}" if n > 0 else (f"{MOINS}{-n}" if n < 0 else "0")




def formater_effet(probabilite: int, gravite: int) -> str:
    """« probabilité −1, gravité −1 » ; seules les variations non nulles sont dites."""
    parties = []
    if probabilite:
        parties.append(f"probabilité {signe(probabilite)}")
    if gravite:
        parties.append(f"gravité {signe(gravite)}")
    return ", ".join(parties) or "sans effet"


def risques_par_categorie(ref: "Referentiel") -> list[tuple[Any, list]]:
    groupes = []
    for ident, cat in ref.categories.items():
        membres = [r for r in ref.risques.values() if r.categorie == ident]
        if membres:
            groupes.append((cat, membres))
    return groupes


def libelle_palier(ref: "Referentiel", axe: str, valeur: int) -> str:
    for p in getattr(ref.risques_yaml.echelles, axe):
        if p.valeur == valeur:
            return p.libelle
    return str(valeur)


def placements(ref: "Referentiel", evaluation: "Evaluation") -> tuple[dict[tuple[int, int], list[str]], dict[tuple[int, int], list[str]]]:
    """Identifiants des risques par case (probabilité, gravité) : avant puis après les mesures."""
    avant: dict[tuple[int, int], list[str]] = {}
    apres: dict[tuple[int, int], list[str]] = {}
    for e in evaluation.risques:
        avant.setdefault((e.initial.probabilite, e.initial.gravite), []).append(e.id)
        apres.setdefault((e.residuel.probabilite, e.residuel.gravite), []).append(e.id)
    for cases in (avant, apres):
        for ids in cases.values():
            ids.sort()
    return avant, apres


# --- Questions du cas d'usage ----------------------------------------------------------------

A_COMPLETER = "À compléter"


@dataclass(frozen=True)
class Question:
    """Une question du cas d'usage, dérivée d'un champ de `CasUsage`."""

    chemin: tuple[str, ...]
    titre: str
    description: str
    genre: str  # "texte", "date", "choix", "liste" (de choix), "identifiants" (mesures)
    valeurs: tuple[str, ...] = ()  # valeurs permises (choix, liste), `inconnu` compris s'il est permis
    obligatoire: bool = True  # sans valeur par défaut
    minimum: int = 0  # nombre minimal d'éléments d'une liste
    facultatif: bool = False  # réponse absente permise (champ optionnel sans liste)
    definitions: tuple[str, ...] = ()  # définition de chaque valeur (parallèle à `valeurs`), si décrites
    exemple: Any = None  # valeur proposée par le schéma (`examples`), pré-remplie dans le modèle

    @property
    def cle(self) -> str:
        return self.chemin[-1]

    @property
    def nom(self) -> str:
        return ".".join(self.chemin)

    @property
    def accepte_inconnu(self) -> bool:
        from .modeles.types import INCONNU

        return INCONNU in self.valeurs


@dataclass(frozen=True)
class Section:
    """Un groupe de questions (sous-modèle : outil, données, décision…)."""

    chemin: tuple[str, ...]
    titre: str
    description: str


def _deballer(annotation) -> tuple[Any, bool, bool]:
    """(type, est_liste, optionnel) : retire Annotated, Optional et list."""
    liste = optionnel = False
    while True:
        origine = typing.get_origin(annotation)
        if origine is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origine in (typing.Union, types.UnionType):
            args = typing.get_args(annotation)
            autres = [a for a in args if a is not type(None)]
            optionnel = optionnel or len(autres) < len(args)
            annotation = autres[0]
        elif origine is list:
            liste = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, liste, optionnel


def _minimum(info) -> int:
    for m in info.metadata:
        if hasattr(m, "min_length"):
            return int(m.min_length)
    return 0


def questions(modele=None, prefixe: tuple[str, ...] = ()) -> list:
    """Sections et questions du modèle, dans l'ordre de déclaration (jamais écrites à la main)."""
    from pydantic import BaseModel

    from .modeles.cas_usage import CasUsage
    from .modeles.types import EnumFr

    modele = modele or CasUsage
    sortie: list = []
    for nom, info in modele.model_fields.items():
        chemin = prefixe + (nom,)
        typ, liste, optionnel = _deballer(info.annotation)
        titre = info.title or nom.replace("_", " ")
        description = info.description or ""
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            sortie.append(Section(chemin, titre, description or " ".join((typ.__doc__ or "").split())))
            sortie.extend(questions(typ, chemin))
            continue
        commun = dict(chemin=chemin, titre=titre, description=description, obligatoire=info.is_required())
        if isinstance(typ, type) and issubclass(typ, EnumFr):
            genre = "liste" if liste else "choix"
            textes = typ.descriptions()
            sortie.append(Question(genre=genre, valeurs=tuple(typ.valeurs()), minimum=_minimum(info),
                                   facultatif=optionnel and not liste,
                                   definitions=tuple(textes.get(v, "") for v in typ.valeurs()) if textes else (),
                                   **commun))
        elif typ is dt.date:
            sortie.append(Question(genre="date", **commun))
        elif liste:
            sortie.append(Question(genre="identifiants", minimum=_minimum(info), **commun))
        else:
            extra: dict = {}
            if callable(info.json_schema_extra):
                info.json_schema_extra(extra)
            elif isinstance(info.json_schema_extra, dict):
                extra = info.json_schema_extra
            exemple = (extra.get("examples") or [None])[0]
            sortie.append(Question(genre="texte", facultatif=optionnel, exemple=exemple, **commun))
    return sortie


def valeur_initiale(q: Question, aujourdhui: Optional[dt.date] = None):
    """Réponse pré-remplie : la première valeur permise ; liste vide si la liste peut l'être.

    Une réponse facultative reste absente (None).
    """
    if q.exemple is not None:
        return q.exemple
    if q.genre == "texte":
        return None if q.facultatif else A_COMPLETER
    if q.genre == "date":
        return ((aujourdhui or dt.date.today()) + dt.timedelta(days=182)).isoformat()
    if q.genre == "choix":
        return None if q.facultatif else q.valeurs[0]
    if q.genre == "liste":
        return list(q.valeurs[: q.minimum])
    return []


def _scalaire_yaml(v: Any) -> str:
    import yaml

    texte = str(v)
    if re.fullmatch(r"[^\W\d][\w.-]*|\d[\w.-]*_[\w.-]*", texte) and yaml.safe_load(texte) == texte:
        return texte
    return json.dumps(texte, ensure_ascii=False)  # chaîne JSON = scalaire YAML entre guillemets


def valeur_yaml(q: Question, v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_scalaire_yaml(x) for x in v) + "]"
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    if q.genre == "texte":
        return json.dumps(str(v), ensure_ascii=False)
    if q.genre == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(v)):
        return str(v)  # le chargeur d'iag garde le texte ; le schéma en fait une date
    return _scalaire_yaml(v)


LARGEUR_MODELE = 79


def _commentaire(texte: str, retrait: str, suite: str = "") -> list[str]:
    return textwrap.wrap(
        texte, width=LARGEUR_MODELE, initial_indent=f"{retrait}# ", subsequent_indent=f"{retrait}# {suite}",
        break_on_hyphens=False, break_long_words=False,
    )


def aide_valeurs(q: Question) -> Optional[str]:
    """« Valeurs : a | b | c » selon le genre de la question ; None si texte libre."""
    permises = " | ".join(q.valeurs)
    if q.genre == "choix":
        return ("Facultatif. " if q.facultatif else "") + f"Valeurs : {permises}"
    if q.genre == "liste":
        quantite = "Une ou plusieurs valeurs" if q.minimum else "Aucune, une ou plusieurs valeurs"
        return f"{quantite} parmi : {permises}"
    if q.genre == "identifiants":
        return "Liste d'identifiants, éventuellement vide."
    return None


ENTETE_MODELE = (
    "Cas d'usage d'IA générative : modèle généré par « iag nouveau » depuis le schéma "
    "d'iag {version}. Chaque question est précédée de son explication et des valeurs permises. "
    "Les réponses pré-remplies sont des exemples (la première valeur permise) : relisez-les "
    "toutes. « inconnu », là où il est proposé, compte comme le pire cas.",
    "Vérifier puis évaluer : iag evaluer FICHIER",
)
ENTETE_INTERACTIF = (
    "Cas d'usage d'IA générative rédigé avec « iag nouveau --interactif » (iag {version}). "
    "Les commentaires rappellent chaque question et ses valeurs permises.",
    "Évaluer : iag evaluer FICHIER",
)


def modele_yaml(
    reponses: Optional[dict[tuple[str, ...], Any]] = None,
    mesures: Sequence[tuple[str, str]] = (),
    aujourdhui: Optional[dt.date] = None,
    entete: Sequence[str] = ENTETE_MODELE,
) -> str:
    """Fichier YAML commenté d'un cas d'usage : toutes les questions du modèle, dans l'ordre.

    `reponses` (chemin -> valeur) remplace les réponses pré-remplies ; `mesures` [(id, titre)]
    liste les mesures du référentiel sous la question `mesures_en_place`.
    """
    from . import __version__

    reponses = reponses or {}
    lignes: list[str] = []
    for paragraphe in entete:
        lignes += _commentaire(paragraphe.format(version=__version__), "")
    precedent = None
    for element in questions():
        retrait = "  " * (len(element.chemin) - 1)
        if not isinstance(precedent, Section):  # pas de ligne vide juste sous « outil: »
            lignes.append("")
        precedent = element
        if isinstance(element, Section):
            lignes += _commentaire(element.description or element.titre[:1].upper() + element.titre[1:] + ".", retrait)
            lignes.append(f"{retrait}{element.chemin[-1]}:")
            continue
        q = element
        if q.description:
            lignes += _commentaire(q.description, retrait)
        aide = aide_valeurs(q)
        if aide:
            lignes += _commentaire(aide, retrait, "  ")
        for valeur, definition in zip(q.valeurs, q.definitions, strict=False):
            lignes += _commentaire(f"  {valeur} : {definition}", retrait, "    ")
        if q.genre == "identifiants" and mesures:
            lignes.append(f"{retrait}# Mesures du référentiel :")
            for ident, titre in mesures:
                lignes += _commentaire(f"  {ident}  {titre}", retrait, "      ")
        v = reponses[q.chemin] if q.chemin in reponses else valeur_initiale(q, aujourdhui)
        if v is None:
            exemple = q.valeurs[0] if q.valeurs else A_COMPLETER
            lignes.append(f"{retrait}# {q.cle}: {valeur_yaml(q, exemple)}")
        else:
            lignes.append(f"{retrait}{q.cle}: {valeur_yaml(q, v)}")
    return "\n".join(lignes) + "\n"


# --- Lecture des réponses du mode interactif --------------------------------------------------


class ReponseInvalide(ValueError):
    """Réponse refusée ; le message dit ce qui est attendu."""


AUCUNE_REPONSE = ("", "-", "aucun", "aucune")


def _aucune(texte: str) -> bool:
    """Réponse vide, « - », « aucun » ou « aucune »."""
    return forme(texte.strip()) in AUCUNE_REPONSE


def lire_choix(q: Question, texte: str) -> Optional[str]:
    """Une valeur parmi `q.valeurs`, donnée par son numéro, sa valeur ou un début sans ambiguïté."""
    from .modeles.types import normaliser, suggestion

    brut = texte.strip()
    if q.facultatif and _aucune(brut):
        return None
    if brut.isdigit():
        n = int(brut)
        if 1 <= n <= len(q.valeurs):
            return q.valeurs[n - 1]
        raise ReponseInvalide(f"numéro {n} hors de la liste (1 à {len(q.valeurs)})")
    cle = normaliser(brut)
    for v in q.valeurs:
        if normaliser(v) == cle:
            return v
    debuts = [v for v in q.valeurs if cle and normaliser(v).startswith(cle)]
    if len(debuts) == 1:
        return debuts[0]
    raise ReponseInvalide(
        f"réponse « {brut} » invalide ; valeurs permises : {', '.join(q.valeurs)}{suggestion(brut, list(q.valeurs))}"
    )


def lire_liste(q: Question, texte: str) -> list[str]:
    """Valeurs séparées par des virgules (numéros ou valeurs) ; vide ou « - » pour aucune."""
    if _aucune(texte):
        valeurs: list[str] = []
    else:
        morceaux = [m for m in re.split(r"[,;]", texte) if m.strip()]
        sans_aucune = Question(q.chemin, q.titre, q.description, "choix", q.valeurs)
        # `sans_aucune` n'est pas facultative : lire_choix rend une valeur ou lève ReponseInvalide.
        valeurs = list(dict.fromkeys(v for m in morceaux if (v := lire_choix(sans_aucune, m)) is not None))
    if len(valeurs) < q.minimum:
        raise ReponseInvalide(f"au moins {q.minimum} valeur(s) attendue(s), séparées par des virgules")
    return valeurs


def lire_date(texte: str) -> str:
    try:
        return dt.date.fromisoformat(texte.strip()).isoformat()
    except ValueError:
        raise ReponseInvalide(f"date « {texte.strip()} » invalide ; format attendu : AAAA-MM-JJ") from None


def lire_texte(q: Question, texte: str) -> Optional[str]:
    valeur = " ".join(texte.split())
    if not valeur:
        if q.facultatif:
            return None
        raise ReponseInvalide("réponse obligatoire")
    return valeur


def lire_identifiants(texte: str, connus: Sequence[str]) -> list[str]:
    """Identifiants de mesures séparés par des virgules, sans tenir compte de la casse."""
    from .modeles.types import suggestion

    if _aucune(texte):
        return []
    table = {forme(c): c for c in connus}
    sortie = []
    for morceau in (m.strip() for m in re.split(r"[,;\s]+", texte)):
        if not morceau:
            continue
        if connus and forme(morceau) not in table:
            raise ReponseInvalide(f"mesure « {morceau} » inconnue{suggestion(morceau, list(connus))}")
        sortie.append(table.get(forme(morceau), morceau))
    return list(dict.fromkeys(sortie))


def lire_reponse(q: Question, texte: str, mesures: Sequence[str] = ()):
    """Réponse saisie -> valeur du cas d'usage ; lève ReponseInvalide."""
    if q.genre == "choix":
        return lire_choix(q, texte)
    if q.genre == "liste":
        return lire_liste(q, texte)
    if q.genre == "date":
        return lire_date(texte)
    if q.genre == "identifiants":
        return lire_identifiants(texte, mesures)
    return lire_texte(q, texte)


def texte_defaut(q: Question, v: Any) -> str:
    """Valeur par défaut telle qu'on la tape (pour l'invite)."""
    if v is None:
        return "-"
    if isinstance(v, list):
        return ", ".join(v) if v else "-"
    return str(v)


def chemins_en_erreur(erreurs: "Iterable[Mapping[str, Any]]", toutes: Sequence[Question]) -> list[Question]:
    """Questions à reposer après une erreur de validation pydantic (par préfixe de chemin)."""
    noms = {q.chemin for q in toutes}
    prefixes = set()
    for err in erreurs:
        chemin: tuple = ()
        for element in err.get("loc", ()):
            if not isinstance(element, str):
                break
            candidat = chemin + (element,)
            if not any(c[: len(candidat)] == candidat for c in noms):
                break
            chemin = candidat
        if chemin:
            prefixes.add(chemin)
    return [q for q in toutes if any(q.chemin[: len(p)] == p for p in prefixes)]


def titres(ref: "Referentiel") -> dict[str, str]:
    """id -> titre pour tous les éléments identifiés du référentiel."""
    return {ident: titre for _, ident, titre in identifiants(ref)}
