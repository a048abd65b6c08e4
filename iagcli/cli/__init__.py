"""CLI `iag` : le groupe racine (`racine.app`) et l'enregistrement des familles de commandes.

Une ligne par famille : `enregistrer("<module de iagcli/cli/>", "<commande>", …)`. Le module n'est
importé qu'à l'appel d'une de ses commandes (voir `racine`).
"""

from .commun import JAMAIS
from .racine import app, enregistrer

__all__ = ["JAMAIS", "app"]

enregistrer("evaluation", "evaluer", "valider", "schema")
enregistrer("consultation", "recommandations", "risques", "matrice")
enregistrer("nouveau", "nouveau", "migrer")
enregistrer("plan", "plan")
enregistrer("dossier", "dossier")
enregistrer("observatoire", "synthese", "registre")
enregistrer("referentiel", "referentiel")  # sous-groupe : verifier, exporter, comparer
enregistrer("avis", "avis")  # sous-groupe : signer, verifier
