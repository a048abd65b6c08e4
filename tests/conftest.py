import copy
from pathlib import Path

import pytest

from iagcli.chargeur import lire_document
from iagcli.modeles.cas_usage import CasUsage
from iagcli.referentiel import charger

ICI = Path(__file__).parent
DONNEES = ICI / "donnees"
MINI = DONNEES / "referentiel-mini"
RACINE = ICI.parent


@pytest.fixture(scope="session")
def ref_mini():
    return charger(MINI)


@pytest.fixture(scope="session")
def ref_defaut():
    return charger()


@pytest.fixture(scope="session")
def base_dict():
    return lire_document(str(DONNEES / "cas-base.yaml")).donnees


@pytest.fixture
def cas(base_dict):
    """Fabrique : cas de base modifié par des chemins pointés (`donnees.volume`)."""

    def fabriquer(**modifs) -> CasUsage:
        d = copy.deepcopy(base_dict)
        for chemin, valeur in modifs.items():
            *parents, feuille = chemin.split("__")
            cible = d
            for p in parents:
                cible = cible.setdefault(p, {})
            cible[feuille] = valeur
        return CasUsage.model_validate(d)

    return fabriquer
