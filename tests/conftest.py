import copy
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from iagcli.es.chargeur import lire_document
from iagcli.modeles.cas_usage import CasUsage
from iagcli.moteur.referentiel import charger

ICI = Path(__file__).parent
DONNEES = ICI / "donnees"
MINI = DONNEES / "referentiel-mini"
RACINE = ICI.parent


_CACHE: dict[str, object] = {}

# Test de mutation (bench/mutation.sh, mutmut) : mutmut crédite à un test les fonctions mutées appelées
# pendant ce test, fixtures comprises, puis ne rejoue pour un mutant que les tests crédités. Les
# conditions sont compilées au chargement du référentiel : chargé une fois par session, il ne créditerait
# que le premier test qui le demande. Pendant un run de mutation (MUTANT_UNDER_TEST posé par mutmut avant
# l'import de ce fichier), le référentiel est donc rechargé pour chaque test. Hors mutation : une fois.
PORTEE_REFERENTIEL = "function" if "MUTANT_UNDER_TEST" in os.environ else "session"


def pytest_configure(config):
    """Jamais le cache de l'utilisateur : IAG_CACHE_DIR pour ce processus et CliRunner, et
    XDG_CACHE_HOME pour les sous-processus dont l'environnement retire les variables IAG_*.
    Posés avant la collecte (des modules de test chargent le référentiel à l'import) et dans
    os.environ, pour que les sous-processus en héritent."""
    base = tempfile.mkdtemp(prefix="iag-cache-tests-")
    _CACHE["base"] = base
    _CACHE["avant"] = {v: os.environ.get(v) for v in ("IAG_CACHE_DIR", "XDG_CACHE_HOME", "IAG_CACHE")}
    os.environ["IAG_CACHE_DIR"] = os.path.join(base, "iag")
    os.environ["XDG_CACHE_HOME"] = base
    os.environ.pop("IAG_CACHE", None)


def pytest_unconfigure(config):
    for v, valeur in _CACHE.get("avant", {}).items():
        if valeur is None:
            os.environ.pop(v, None)
        else:
            os.environ[v] = valeur
    if "base" in _CACHE:
        shutil.rmtree(_CACHE["base"], ignore_errors=True)


@pytest.fixture(scope=PORTEE_REFERENTIEL)
def ref_mini():
    return charger(MINI)


@pytest.fixture(scope=PORTEE_REFERENTIEL)
def ref_defaut():
    return charger()


@pytest.fixture(scope="session")
def base_dict():
    return lire_document(str(DONNEES / "cas-base.yaml")).donnees


def cas_modifie(base: dict, contexte: dict | None = None, **modifs) -> CasUsage:
    """Cas `base` modifié par des chemins dont `__` sépare les niveaux (`donnees__volume`)."""
    d = copy.deepcopy(base)
    for chemin, valeur in modifs.items():
        *parents, feuille = chemin.split("__")
        cible = d
        for p in parents:
            cible = cible.setdefault(p, {})
        cible[feuille] = valeur
    return CasUsage.model_validate(d, context=contexte)


@pytest.fixture
def cas(base_dict):
    """Fabrique : cas de base modifié par des chemins pointés (voir `cas_modifie`)."""

    def fabriquer(**modifs) -> CasUsage:
        return cas_modifie(base_dict, **modifs)

    return fabriquer


# --- Référentiel d'épreuve (issue 26) : trace, crédit, règles dans le temps -----------------------
#
# Le référentiel minimal, plus :
# - T1 ne s'applique plus qu'avec une relecture au mieux ponctuelle (pour qu'aucun risque ne s'applique) ;
# - T3, qui s'applique si le projet lit des contenus extérieurs : base P3 G2, plancher P3 G2, et cinq
#   pondérations dans cet ordre : une baisse (UE), une hausse et baisse mêlées (entraînement), une hausse
#   (utilisateurs), une baisse de gravité de 2 (agent seul), une baisse de probabilité de 2 (plateforme
#   de l'État) ;
# - trois mesures sur T3, dans cet ordre : MF G-2 (démentie par un accès grand public, ou par la
#   réutilisation pour l'entraînement), MC P-2, MD P-1 G-1 ; une recommandation C3 sur T3 et T1 ;
# - en tête des règles : JF (à venir le 2027-01-01, minimum « critique » si hors UE), JE (interdiction
#   échue fin 2024 si hors UE), JI2 (interdiction : reconnaissance des émotions).
# Chaque cas donne explicitement toutes les réponses que ces conditions lisent.


T3_EPREUVE = """
  - id: T3
    titre: Trace d'épreuve
    categorie: fiabilite
    description: Lecture de contenus extérieurs.
    exemples: [un, deux]
    probabilite: 3
    gravite: 2
    plancher: {probabilite: 3, gravite: 2}
    s_applique_si: {champ: lit_contenus_externes, egal: oui}
    ponderations:
      - si: {champ: hebergement, egal: ue}
        probabilite: -1
        raison: hébergement dans l'UE
      - si: {champ: reutilisation_entrainement, egal: oui}
        probabilite: 2
        gravite: -1
        raison: réutilisation pour l'entraînement
      - si: {champ: nombre_utilisateurs, au_moins: 100_à_1000}
        gravite: 2
        raison: nombreux utilisateurs
      - si: {champ: destinataires, egal: agent_seul}
        gravite: -2
        raison: l'agent seul lit
      - si: {champ: acces, egal: plateforme_état}
        probabilite: -2
        raison: plateforme de l'État
    sources: [test]
mesures:
  - id: MF
    titre: Comptes gérés
    nature: préventive
    description: Comptes professionnels.
    preuves: [procédure]
    effets:
      - {risque: T3, gravite: -2}
    contredite_si:
      - si: {champ: acces, egal: grand_public}
        raison: accès grand public déclaré
      - si: {champ: reutilisation_entrainement, egal: oui}
        raison: réutilisation déclarée
    sources: [test]
  - id: MC
    titre: Filtrage
    nature: préventive
    description: Filtrer.
    preuves: [procédure]
    effets:
      - {risque: T3, probabilite: -2}
    sources: [test]
  - id: MD
    titre: Cloisonnement
    nature: préventive
    description: Cloisonner (préventive, car une mesure corrective ne baisse pas la probabilité).
    preuves: [procédure]
    effets:
      - {risque: T3, probabilite: -1, gravite: -1}
    sources: [test]
"""

REGLES_EPREUVE = """regles_juridiques:
  - id: JF
    applicable_depuis: 2027-01-01
    titre: Obligation future
    texte: Texte futur
    nature: obligation
    niveau_minimum: critique
    si: {champ: hebergement, egal: hors_ue}
    consequence: Plus tard.
    sources: [test]
  - id: JE
    applicable_depuis: 2020-01-01
    applicable_jusqu_au: 2024-12-31
    titre: Interdiction échue
    texte: Texte abrogé
    nature: interdiction
    si: {champ: hebergement, egal: hors_ue}
    consequence: Plus rien.
    sources: [test]
  - id: JI2
    applicable_depuis: 2025-02-02
    titre: Émotions
    texte: AI Act art. 5
    nature: interdiction
    si: {champ: fonctionnalites_sensibles, contient: reconnaissance_émotions}
    consequence: Arrêt.
    sources: [test]
"""

C3_EPREUVE = """  - id: C3
    titre: Filtrer
    texte: Filtrer les contenus lus.
    theme: bon_usage
    publics: [agents]
    mots_cles: [filtrage]
    risques: [T3, T1]
    sources: [test]
"""


@pytest.fixture(scope="module" if PORTEE_REFERENTIEL == "session" else PORTEE_REFERENTIEL)
def ref_trace(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("trace")
    risques = (MINI / "risques.yaml").read_text(encoding="utf-8")
    risques = risques.replace("    sources: [test]\nmesures:\n", "    sources: [test]\n" + T3_EPREUVE, 1)
    risques = risques.replace("regles_juridiques:\n", REGLES_EPREUVE, 1)
    risques = risques.replace("    probabilite: 2\n    gravite: 1\n    ponderations:",
                              "    probabilite: 2\n    gravite: 1\n    s_applique_si: {champ: revue_humaine, au_moins: ponctuelle}\n    ponderations:", 1)
    (dossier / "risques.yaml").write_text(risques, encoding="utf-8")
    shutil.copy(MINI / "recommandations.yaml", dossier / "recommandations.yaml")
    with open(dossier / "recommandations.yaml", "a", encoding="utf-8") as f:
        f.write(C3_EPREUVE)
    return charger(dossier)


def cas_epreuve(cas, **modifs):
    """Cas de base où T3 s'applique ; toutes les réponses lues par le référentiel d'épreuve sont données."""
    reponses_ = dict(lit_contenus_externes="oui", fonctionnalites_sensibles=[], reutilisation_entrainement="non", hebergement="hors_ue",
                     nombre_utilisateurs="moins_de_10", destinataires="usagers", acces="compte_professionnel", revue_humaine="systématique",
                     donnees={"categories": ["publiques"], "volume": "limité"}, decision_individuelle={"type": "aucune"})
    reponses_.update(modifs)
    return cas(**reponses_)
