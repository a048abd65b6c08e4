"""Compte rendu de `iag valider` : « FICHIER: valide » sur la sortie standard ; diagnostics et
avertissements du schéma (fichier antérieur au schéma courant) sur l'erreur standard.

Pas un format de `--format` : le contrôleur l'alimente comme les autres rapporteurs (`executer`
avec `coter=False`), si bien que `valider` et `evaluer` lisent, valident et comptent de la même façon.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ...echappement import echapper
from . import Base

if TYPE_CHECKING:
    from ...moteur.resultat import ResultatFichier


class Rapporteur(Base):
    def resultat(self, r: "ResultatFichier") -> None:
        from ...modeles.cas_usage import notes_schema
        from .constats import chemin_champ

        erreurs = self.options.erreurs or sys.stderr
        if r.cas is None:
            for d in r.diagnostics:
                print(str(d), file=erreurs)
            return
        print(f"{r.fichier}: valide", file=self.flux)
        for n in notes_schema(r.cas):  # fichier antérieur au schéma courant : avertissement, pas erreur
            pos = r.document.position(chemin_champ(n.champ), cle=True) if r.document is not None else None
            ou = f"{pos.ligne}:{pos.colonne}:" if pos else ""
            print(f"{r.fichier}:{ou} avertissement : {echapper(n.message)}", file=erreurs)
