"""Propriétés (hypothesis) : chargeur jamais pris en défaut, cotation monotone, grille monotone.

(a) N'importe quels octets, n'importe quel YAML généré puis abîmé : soit un cas d'usage valide
    (que la cotation évalue sans erreur), soit une `ErreurFichier` aux diagnostics positionnés.
(b) Sur le référentiel par défaut : une mesure de plus ne fait jamais monter un niveau résiduel ;
    `inconnu` ne fait jamais baisser ; une réponse plus risquée ne fait jamais baisser le verdict.
(c) La grille du référentiel par défaut ne baisse jamais quand P ou G augmente.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import unicodedata

import pytest
import yaml
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from iagcli.erreurs import ErreurFichier
from iagcli.es.chargeur import analyser, decoder, lire_document, valider
from iagcli.modeles import cas_usage as M
from iagcli.modeles.cas_usage import CasUsage
from iagcli.modeles.types import A_COMPLETER, INCONNU
from iagcli.moteur.champs import champs, par_chemin
from iagcli.moteur.evaluation import evaluer
from iagcli.moteur.referentiel import charger

from conftest import DONNEES, MINI

REGLAGES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROPRIETES_COTATION = settings(max_examples=100, deadline=None)
NOM = "propositions/cas.yaml"
REF = charger()
BASE = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")


# --- (a) chargeur et validation : une valeur ou une erreur propre ---------------------------------


def _verifier_erreur(e: ErreurFichier) -> None:
    assert e.diagnostics, "ErreurFichier sans diagnostic"
    for d in e.diagnostics:
        assert d.fichier == NOM
        assert type(d.ligne) is int and d.ligne >= 1, d
        assert type(d.colonne) is int and d.colonne >= 1, d
        assert d.message.strip(), d
        # aucun caractère de contrôle ne sort d'un message (ESC, saut de ligne, bidi…)
        assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in d.message), repr(d.message)


def _charger(octets: bytes):
    """Le chemin de `lire_document` sans le disque : décodage, analyse, validation, cotation."""
    try:
        doc = analyser(decoder(octets, NOM), NOM)
        cas = valider(doc, CasUsage, {"mesures": REF.mesures})
    except ErreurFichier as e:
        _verifier_erreur(e)
        return None
    evaluer(cas, REF)  # un cas accepté est toujours évaluable
    return cas


@REGLAGES
@given(st.binary(max_size=3000))
def test_octets_quelconques(octets):
    _charger(octets)


@REGLAGES
@given(st.binary(max_size=400))
def test_octets_quelconques_apres_un_cas_valide(suffixe):
    # un début valide pousse l'analyse plus loin que des octets purement aléatoires
    _charger(BASE.encode() + suffixe)


@pytest.fixture(scope="module")
def fichier(tmp_path_factory):
    return tmp_path_factory.mktemp("proprietes") / "cas.yaml"


@settings(max_examples=50, deadline=None)
@given(octets=st.binary(max_size=2000))
def test_octets_quelconques_par_le_disque(fichier, octets):
    fichier.write_bytes(octets)
    try:
        valider(lire_document(str(fichier), NOM), CasUsage, {"mesures": REF.mesures})
    except ErreurFichier as e:
        _verifier_erreur(e)


CLES = sorted({*CasUsage.model_fields, *M.Outil.model_fields, *M.Donnees.model_fields, *M.Decision.model_fields,
               *M.SourcesConnaissances.model_fields})
VALEURS_ENUM = sorted({v for c in champs().values() for v in c.enum.valeurs()})
SCALAIRES = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.dates()
    | st.sampled_from(VALEURS_ENUM) | st.sampled_from(["NO", "off", "1.10", "0755", "2024-01-01", "~", "<<", "oui", "inconnu", "M01", "M99"])
)
ARBRES = st.recursive(
    SCALAIRES,
    lambda enfants: st.lists(enfants, max_size=4) | st.dictionaries(st.sampled_from(CLES) | st.text(max_size=8), enfants, max_size=5),
    max_leaves=25,
)
BASE_DICT = yaml.safe_load(BASE)
MORCEAUX = [
    "&a ", "*a", "<<: ", "!!python/name:os.system ", "!!python/object/apply:os.system ['true'] ", "!x ", "---\n", "...\n",
    "\t", "\x00", "\x1b", "\x01", "\ufeff", "\u2028", "\x85", "\r", ": ", "- ", "[", "]", "{", "}", "'", '"', "\\", "? ",
    "|", ">", "#", "\n", "  ", "%YAML 1.1\n", "%TAG ! tag:x,\n", "\"\\e[31m\"", "\"\\n::add-mask::x\"", "é",
]


@st.composite
def documents_yaml(draw):
    """Un cas de base dont des sous-arbres sont remplacés, ou un arbre quelconque ; puis du texte abîmé."""
    if draw(st.booleans()):
        donnees = copy.deepcopy(BASE_DICT)
        for _ in range(draw(st.integers(0, 4))):
            cible = donnees
            cle = draw(st.sampled_from(sorted(cible)))
            while isinstance(cible[cle], dict) and cible[cle] and draw(st.booleans()):
                cible = cible[cle]
                cle = draw(st.sampled_from(sorted(cible)))
            if draw(st.booleans()):
                cible[cle] = draw(ARBRES)
            else:
                del cible[cle]
                if not cible:
                    break
    else:
        donnees = draw(ARBRES)
    texte = yaml.safe_dump(
        donnees, allow_unicode=draw(st.booleans()), sort_keys=False,
        default_flow_style=draw(st.sampled_from([None, False, True])),
    )
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(texte)))
        if draw(st.booleans()):
            texte = texte[:i] + draw(st.sampled_from(MORCEAUX) | st.text(max_size=3)) + texte[i:]
        else:
            texte = texte[:i] + texte[i + draw(st.integers(1, 5)):]
    encodage = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16"]))
    return texte.encode(encodage, errors="surrogatepass")


@REGLAGES
@given(documents_yaml())
def test_yaml_genere_et_abime(octets):
    _charger(octets)


def test_le_yaml_genere_atteint_des_cas_valides_et_invalides():
    # garde-fou de la stratégie : elle produit les deux issues (sinon la propriété ne dit rien)
    find(documents_yaml(), lambda o: _charger(o) is not None, settings=settings(max_examples=500, database=None))
    find(documents_yaml(), lambda o: _charger(o) is None, settings=settings(max_examples=500, database=None))


# --- (b) cotation -----------------------------------------------------------------------------------


def _valeurs(enum, connues: bool = False) -> list[str]:
    return [v for v in enum.valeurs() if not (connues and v == INCONNU)]


def _liste(enum, min_size: int = 0):
    return st.lists(st.sampled_from(enum.valeurs()), min_size=min_size, max_size=len(enum.valeurs()), unique=True)


@st.composite
def cas_valides(draw, ref=REF, sans_reponse: bool = True):
    """Un dict accepté par `CasUsage.model_validate`, tiré des énumérations du modèle. Avec
    `sans_reponse`, une question sur dix environ reste sans réponse (clé retirée ou « À compléter »)."""
    type_decision = draw(st.sampled_from(_valeurs(M.TypeDecision)))
    domaines = st.sampled_from(_valeurs(M.DomaineDecision))
    utilise = draw(st.sampled_from(["oui", "non"]))
    d = {
        "titre": "Cas", "description": "Cas généré.", "service": "Service", "contact": "x@example.org",
        "statut": draw(st.sampled_from(_valeurs(M.Statut))),
        "prochaine_revue": dt.date(2027, 1, 15),
        "taches": draw(_liste(M.Tache, 1)),
        "outil": {"nom": "Outil", "fournisseur": "Éditeur", "type_modele": draw(st.sampled_from(_valeurs(M.TypeModele))),
                  "usage_general": draw(st.sampled_from(["oui", "non", None]))},
        "acces": draw(st.sampled_from(_valeurs(M.Acces))),
        "hebergement": draw(st.sampled_from(_valeurs(M.Hebergement))),
        "reutilisation_entrainement": draw(st.sampled_from(["oui", "non", INCONNU])),
        "donnees": {"categories": draw(_liste(M.CategorieDonnees, 1)), "volume": draw(st.sampled_from(_valeurs(M.Volume))),
                    "sante": draw(st.sampled_from(OUI_NON_INCONNU_ABSENT))},
        "destinataires": draw(st.sampled_from(_valeurs(M.Destinataires))),
        "interaction_directe_usagers": draw(st.sampled_from(["oui", "non"])),
        "public_atteint": draw(st.sampled_from(_valeurs(M.PublicAtteint))),
        "lit_contenus_externes": draw(st.sampled_from(["oui", "non", INCONNU])),
        "decision_individuelle": {
            "type": type_decision,
            "domaine": draw(domaines if type_decision != "aucune" else st.none() | domaines),
        },
        "revue_humaine": draw(st.sampled_from(_valeurs(M.RevueHumaine))),
        "actions_sur_systemes": draw(st.sampled_from(["oui", "non"])),
        "sources_connaissances": {"utilise": utilise,
                                  "contenu": draw(_liste(M.ContenuSources)) if utilise == "oui" else draw(st.just([]) | st.none())},
        "nombre_utilisateurs": draw(st.sampled_from(_valeurs(M.NombreUtilisateurs))),
        "personnes_concernees": draw(_liste(M.PersonnesConcernees)),
        # rarement : une pratique interdite rend le verdict « interdit » et les propriétés triviales
        "fonctionnalites_sensibles": [draw(st.sampled_from(_valeurs(M.Fonctionnalite)))] if draw(st.integers(0, 9)) == 0 else [],
        "mesures_en_place": draw(st.lists(st.sampled_from(sorted(ref.mesures)), unique=True, max_size=6)),
        # questions de l'issue 21 : absentes (None), elles ne valent jamais le meilleur cas une fois « inconnu »
        **{cle: draw(st.sampled_from(OUI_NON_INCONNU_ABSENT)) for cle in ("referendum_local", "periode_electorale")},
    }
    # Circonstances d'une identification biométrique (art. 5, § 1, h) : affirmées seulement s'il y en a une
    # (sinon le cas se contredirait, et la contradiction compte au pire cas : issue 20).
    identifie = "identification_biométrique" in d["fonctionnalites_sensibles"]
    for cle in ("identification_temps_reel", "identification_espace_public", "finalite_repressive"):
        d[cle] = draw(st.sampled_from(OUI_NON_INCONNU_ABSENT if identifie else ["non", INCONNU, None]))
    if d["sources_connaissances"]["contenu"] is None:
        del d["sources_connaissances"]["contenu"]
    if sans_reponse:
        for chemin in QUESTIONS:
            if draw(st.integers(0, 29)) == 0:
                _sans_reponse(d, chemin, draw(st.booleans()))
    return d


# Toutes les questions qu'une condition peut lire (réponses énumérées), et le statut/les textes.
QUESTIONS = sorted(champs())


def _sans_reponse(d: dict, chemin: str, retirer: bool) -> None:
    """Laisse la question sans réponse : clé retirée (si le schéma le permet) ou « À compléter »."""
    cible, feuille = _acces(d, chemin)
    if retirer and not par_chemin()[chemin].obligatoire:
        cible.pop(feuille, None)
    else:
        cible[feuille] = A_COMPLETER


OUI_NON_INCONNU_ABSENT = ["oui", "non", INCONNU, None]


def _evaluer(d, ref=REF):
    return evaluer(CasUsage.model_validate(d, context={"mesures": ref.mesures}), ref)


def _acces(d: dict, chemin: str) -> tuple[dict, str]:
    *parents, feuille = chemin.split(".")
    for p in parents:
        d = d[p]
    return d, feuille


def _verdict_ne_baisse_pas(avant, apres, ref=REF) -> None:
    """Le verdict ne baisse pas, et les règles en vigueur déclenchées restent déclenchées.

    Un cas aux réponses contradictoires est hors de la propriété : ses réponses douteuses comptent
    déjà au pire cas et il est incomplet (la porte échoue) ; changer une réponse qui résout la
    contradiction peut donc le faire baisser, c'est voulu (voir `test_une_contradiction_...`)."""
    if avant.contradictions:
        return
    assert ref.rang[apres.verdict] >= ref.rang[avant.verdict], (avant.verdict, avant.motif, apres.verdict, apres.motif)
    # une obligation de haut risque devenue « sans objet » parce que le cas est désormais interdit (issue 21)
    # n'a pas disparu : elle est couverte par l'interdiction
    # Seules les obligations et interdictions comptent : une information peut s'effacer quand le cas devient plus
    # strict (J30, dérogation de l'art. 6, § 3, disparaît avec un profilage, qui l'exclut).
    def exigences(ev, *statuts):
        return {r.id for r in ev.regles if r.statut in statuts and ref.regles[r.id].nature != "information"}

    assert exigences(avant, "applicable") <= exigences(apres, "applicable", "sans_objet")


@PROPRIETES_COTATION
@given(cas_valides(), st.data())
def test_une_mesure_de_plus_ne_fait_rien_monter(d, data):
    absentes = sorted(set(REF.mesures) - set(d["mesures_en_place"]))
    mesure = data.draw(st.sampled_from(absentes))
    avant = _evaluer(d)
    apres = _evaluer({**d, "mesures_en_place": [*d["mesures_en_place"], mesure]})
    assert REF.rang[apres.verdict] <= REF.rang[avant.verdict]
    residuels = {e.id: e.residuel for e in apres.risques}
    assert set(residuels) == {e.id for e in avant.risques}  # les mesures ne changent pas l'applicabilité
    for e in avant.risques:
        r = residuels[e.id]
        assert REF.rang[r.niveau] <= REF.rang[e.residuel.niveau], (e.id, mesure)
        assert r.probabilite <= e.residuel.probabilite and r.gravite <= e.residuel.gravite, (e.id, mesure)


CHAMPS_INCONNU = sorted(c for c, champ in champs().items() if champ.accepte_inconnu)


def test_champs_acceptant_inconnu():
    assert CHAMPS_INCONNU == [
        "donnees.sante", "donnees.volume", "finalite_repressive", "hebergement", "identification_espace_public",
        "identification_temps_reel", "lit_contenus_externes", "nombre_utilisateurs", "outil.type_modele",
        "periode_electorale", "public_atteint", "referendum_local", "reutilisation_entrainement",
    ]


@PROPRIETES_COTATION
@given(cas_valides(), st.sampled_from(CHAMPS_INCONNU))
def test_inconnu_ne_compte_jamais_moins_qu_une_reponse_connue(d, chemin):
    cible, feuille = _acces(d, chemin)
    if cible.get(feuille) == INCONNU:
        return
    d2 = copy.deepcopy(d)
    cible2, _ = _acces(d2, chemin)
    cible2[feuille] = INCONNU
    avant, apres = _evaluer(d), _evaluer(d2)
    if avant.contradictions:
        return
    _verdict_ne_baisse_pas(avant, apres)
    residuels = {e.id: e.residuel for e in apres.risques}
    for e in avant.risques:
        assert e.id in residuels, f"{e.id} ne s'applique plus quand {chemin} devient inconnu"
        assert REF.rang[residuels[e.id].niveau] >= REF.rang[e.residuel.niveau], (e.id, chemin, cible[feuille])


ORDONNES = [
    "decision_individuelle.type", "destinataires", "donnees.volume", "hebergement", "nombre_utilisateurs",
    "public_atteint", "revue_humaine",
]


def test_liste_des_reponses_ordonnees_a_jour():
    # une nouvelle énumération @ordonnee doit rejoindre la propriété ci-dessous
    assert ORDONNES == sorted(c for c, champ in champs().items() if champ.ordonne)


@pytest.mark.parametrize("chemin", ORDONNES)
def test_reponse_ordonnee_plus_risquee_ne_baisse_jamais_le_verdict(chemin):
    enum = champs()[chemin].enum
    connues = _valeurs(enum, connues=True)

    @settings(max_examples=50, deadline=None)
    @given(cas_valides())
    def propriete(d):
        cible, feuille = _acces(d, chemin)
        if cible.get(feuille) not in connues[:-1]:
            return
        d2 = copy.deepcopy(d)
        cible2, _ = _acces(d2, chemin)
        cible2[feuille] = connues[connues.index(cible[feuille]) + 1]  # un cran vers le plus risqué
        # Le domaine n'est jamais rempli ici : devenu pertinent, il est non répondu (pire cas) ; lui
        # donner une valeur, ce serait répondre à une question, pas monter d'un cran.
        _verdict_ne_baisse_pas(_evaluer(d), _evaluer(d2))

    propriete()


@PROPRIETES_COTATION
@given(cas_valides(), st.data())
def test_une_categorie_de_donnees_de_plus_ne_baisse_jamais_le_verdict(d, data):
    absentes = [c for c in _valeurs(M.CategorieDonnees) if c not in d["donnees"]["categories"]]
    if not absentes or not isinstance(d["donnees"]["categories"], list):
        return
    d2 = copy.deepcopy(d)
    d2["donnees"]["categories"].append(data.draw(st.sampled_from(absentes)))
    _verdict_ne_baisse_pas(_evaluer(d), _evaluer(d2))


@PROPRIETES_COTATION
@given(cas_valides(), st.data())
def test_une_tache_de_plus_ne_baisse_jamais_le_verdict(d, data):
    absentes = [t for t in _valeurs(M.Tache) if t not in d["taches"]]
    if not absentes or not isinstance(d["taches"], list):
        return
    d2 = copy.deepcopy(d)
    d2["taches"].append(data.draw(st.sampled_from(absentes)))
    _verdict_ne_baisse_pas(_evaluer(d), _evaluer(d2))


@pytest.mark.parametrize("chemin", ["actions_sur_systemes", "interaction_directe_usagers", "reutilisation_entrainement"])
def test_oui_au_lieu_de_non_ne_baisse_jamais_le_verdict(chemin):
    @settings(max_examples=50, deadline=None)
    @given(cas_valides())
    def propriete(d):
        if d.get(chemin) != "non":
            return
        _verdict_ne_baisse_pas(_evaluer(d), _evaluer({**d, chemin: "oui"}))

    propriete()


# --- Aucune absence de réponse n'est le meilleur cas (issue 20) ---------------------------------


def _contredite_par_pertinence(ev, chemin: str) -> bool:
    """La réponse retirée était celle d'une contradiction de pertinence (contenu sans corpus…) :
    la retirer résout la contradiction, le cas redevient complet sur ce point."""
    return any(x.id == f"pertinence:{chemin}" for x in ev.contradictions)


@PROPRIETES_COTATION
@given(cas_valides(), st.sampled_from(QUESTIONS), st.booleans())
def test_retirer_une_reponse_ne_baisse_jamais_le_verdict(d, chemin, retirer):
    avant = _evaluer(d)
    d2 = copy.deepcopy(d)
    _sans_reponse(d2, chemin, retirer)
    apres = _evaluer(d2)
    if _contredite_par_pertinence(avant, chemin):
        return
    _verdict_ne_baisse_pas(avant, apres)
    if not avant.contradictions:
        # sauf une question que le référentiel peut dire sans objet (`pertinence`) : absente, elle n'est pas due
        assert apres.incomplet or chemin in {p.champ for p in REF.pertinences}


@PROPRIETES_COTATION
@given(cas_valides(), st.sampled_from([c for c, ch in champs().items() if ch.liste]), st.data())
def test_un_element_de_plus_dans_une_liste_de_risque_ne_baisse_jamais_le_verdict(d, chemin, data):
    cible, feuille = _acces(d, chemin)
    actuelle = cible.get(feuille)
    if not isinstance(actuelle, list):
        return
    absentes = [v for v in _valeurs(champs()[chemin].enum) if v not in actuelle]
    if not absentes:
        return
    d2 = copy.deepcopy(d)
    cible2, _ = _acces(d2, chemin)
    cible2[feuille] = [*actuelle, data.draw(st.sampled_from(absentes))]
    _verdict_ne_baisse_pas(_evaluer(d), _evaluer(d2))


@PROPRIETES_COTATION
@given(cas_valides(), st.data())
def test_retirer_une_mesure_ne_baisse_jamais_le_verdict(d, data):
    if not d["mesures_en_place"]:
        return
    retiree = data.draw(st.sampled_from(d["mesures_en_place"]))
    _verdict_ne_baisse_pas(_evaluer(d), _evaluer({**d, "mesures_en_place": [m for m in d["mesures_en_place"] if m != retiree]}))


@PROPRIETES_COTATION
@given(cas_valides(), st.sampled_from(REF.risques_yaml.contradictions))
def test_une_contradiction_compte_au_moins_autant_que_chaque_reponse_reelle(d, contradiction):
    """Réponses contradictoires : les douteuses comptent au pire cas, donc au moins autant que toute
    réponse qu'on y mettrait ; et la contradiction est signalée, le cas incomplet."""
    ev = _evaluer(d)
    if contradiction.id not in {x.id for x in ev.contradictions}:
        return
    assert ev.incomplet
    for chemin in contradiction.douteuses:
        for v in _valeurs(champs()[chemin].enum):
            d2 = copy.deepcopy(d)
            cible, feuille = _acces(d2, chemin)
            cible[feuille] = [v] if champs()[chemin].liste else v
            assert REF.rang[_evaluer(d2).verdict] <= REF.rang[ev.verdict], (chemin, v)


EXEMPLES = sorted((DONNEES.parent.parent / "exemples").glob("*.yaml"))


@pytest.mark.parametrize("exemple", EXEMPLES, ids=lambda p: p.name)
def test_exemples_chaque_question_retiree_ou_a_completer_ne_baisse_jamais(exemple):
    """Exhaustif sur les exemples : chaque question retirée, ou mise à « À compléter », donne un verdict
    au moins égal, un cas incomplet (sauf question sans objet), et les mêmes règles en vigueur au moins."""
    base = lire_document(str(exemple)).donnees
    avant = _evaluer(base)
    assert not avant.incomplet, avant.a_completer
    for chemin in QUESTIONS:
        for retirer in (True, False):
            d = copy.deepcopy(base)
            try:
                _acces(d, chemin)
            except KeyError:
                continue
            _sans_reponse(d, chemin, retirer)
            apres = _evaluer(d)
            _verdict_ne_baisse_pas(avant, apres)


def test_la_propriete_d_absence_detecte_une_absence_lue_comme_aucune(monkeypatch):
    """Garde-fou : si une question absente redevenait « aucune » (l'ancien comportement), la propriété
    le verrait : retirer `fonctionnalites_sensibles` d'un cas interdit le ferait baisser."""
    from iagcli.moteur import completude

    vraie = completude.reponses

    def ancienne(cas):
        lues = vraie(cas)
        # une liste absente lue comme « aucune » (les autres questions gardent la lecture actuelle)
        return {c: [] if champs()[c].liste and v is completude.NON_REPONDUE else v for c, v in lues.items()}

    monkeypatch.setattr(completude, "reponses", ancienne)
    base = lire_document(str(DONNEES.parent.parent / "exemples" / "reconnaissance-emotions-accueil.yaml")).donnees
    avant = _evaluer(base)
    d = copy.deepcopy(base)
    del d["fonctionnalites_sensibles"]
    with pytest.raises(AssertionError):
        _verdict_ne_baisse_pas(avant, _evaluer(d))


def test_les_proprietes_detectent_une_ponderation_non_monotone(tmp_path):
    """Garde-fou : sur un référentiel piégé (hausse sur une valeur du milieu), la propriété échoue."""
    for nom in ("risques.yaml", "recommandations.yaml"):
        shutil.copy(MINI / nom, tmp_path / nom)
    risques = (tmp_path / "risques.yaml").read_text(encoding="utf-8")
    piege = "      - si: {champ: destinataires, egal: usagers}\n        gravite: 2\n        raison: piège\n"
    risques = risques.replace("      - si: {champ: destinataires, egal: agent_seul}\n", piege + "      - si: {champ: destinataires, egal: agent_seul}\n", 1)
    (tmp_path / "risques.yaml").write_text(risques, encoding="utf-8")
    ref = charger(tmp_path)

    def baisse(d):
        if d["destinataires"] != "usagers":
            return False
        return ref.rang[_evaluer({**d, "destinataires": "publication"}, ref).verdict] < ref.rang[_evaluer(d, ref).verdict]

    exemple = find(cas_valides(ref), baisse, settings=settings(max_examples=500, database=None))
    assert exemple["destinataires"] == "usagers"


# --- (c) la grille -------------------------------------------------------------------------------------


@REGLAGES
@given(st.data())
def test_grille_monotone(data):
    p1 = data.draw(st.integers(1, REF.p_max))
    p2 = data.draw(st.integers(p1, REF.p_max))
    g1 = data.draw(st.integers(1, REF.g_max))
    g2 = data.draw(st.integers(g1, REF.g_max))
    assert REF.rang[REF.niveau_grille(p1, g1)] <= REF.rang[REF.niveau_grille(p2, g2)], (p1, g1, p2, g2)


# --- (d) crédit des mesures borné, mesures contredites --------------------------------------------

MESURES_CONTREDISABLES = sorted(m for m, c in REF.contradictions.items() if c)


@PROPRIETES_COTATION
@given(cas_valides(), st.lists(st.sampled_from(sorted(REF.mesures)), unique=True, max_size=len(REF.mesures)))
def test_des_mesures_ne_baissent_jamais_un_risque_plus_que_la_borne(d, mesures):
    sans = _evaluer({**d, "mesures_en_place": []})
    avec = _evaluer({**d, "mesures_en_place": mesures})
    borne = REF.credit.max_par_dimension
    residuels = {e.id: e for e in avec.risques}
    for e in sans.risques:
        r = residuels[e.id]
        assert r.initial == e.initial  # les mesures ne changent que le résiduel
        assert e.initial.probabilite - r.residuel.probabilite <= borne, (e.id, mesures)
        assert e.initial.gravite - r.residuel.gravite <= borne, (e.id, mesures)
        plancher = REF.risques[e.id].plancher
        if plancher is not None:
            assert r.residuel.probabilite >= min(plancher.probabilite, e.initial.probabilite)
            assert r.residuel.gravite >= min(plancher.gravite, e.initial.gravite)


@PROPRIETES_COTATION
@given(cas_valides(), st.sampled_from(MESURES_CONTREDISABLES))
def test_une_mesure_contredite_ne_change_jamais_le_resultat(d, mesure):
    autres = [m for m in d["mesures_en_place"] if m != mesure]
    sans = _evaluer({**d, "mesures_en_place": autres})
    avec = _evaluer({**d, "mesures_en_place": [*autres, mesure]})
    if mesure not in {m.id for m in avec.mesures_contredites}:
        return
    assert (avec.verdict, avec.motif) == (sans.verdict, sans.motif)
    assert [(e.id, e.initial, e.residuel, e.mesures_appliquees) for e in avec.risques] == [
        (e.id, e.initial, e.residuel, e.mesures_appliquees) for e in sans.risques
    ]
    assert avec.regles == sans.regles


def test_les_mesures_contredites_le_sont_souvent_dans_les_cas_generes():
    # garde-fou : la propriété précédente n'est pas vide (M03 démentie par « revue_humaine: aucune »)
    assert "M03" in MESURES_CONTREDISABLES and "M01" in MESURES_CONTREDISABLES
