"""Recherche plein texte tolérante (casse, accents, petites fautes de frappe) dans les fiches du
référentiel : normalisation des mots, index, classement par pertinence et positions des mots
trouvés, pour `iag recommandations` et `iag risques`. Pur, sans affichage."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping, Optional, Sequence

if TYPE_CHECKING:
    from ...modeles.referentiel import Recommandation, Risque, Theme
    from ..referentiel import Referentiel

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


def fiche_recommandation(reco: "Recommandation", themes: Mapping[str, "Theme"]) -> Fiche:
    zones = [Zone("titre", POIDS["titre"], reco.titre), Zone("texte", POIDS["texte"], reco.texte)]
    zones += [Zone("mots_cles", POIDS["mots_cles"], m) for m in reco.mots_cles]
    theme = themes.get(reco.theme)
    zones.append(Zone("theme", POIDS["theme"], f"{theme.titre} {reco.theme}" if theme else reco.theme))
    return Fiche(reco.id, zones)


def fiche_risque(risque: "Risque") -> Fiche:
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
