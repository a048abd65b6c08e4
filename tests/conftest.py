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
