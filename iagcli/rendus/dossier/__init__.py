"""`iag dossier` : un consommateur des résultats du contrôleur (comme un rapporteur) qui, pour
chaque cas évalué, compose ses documents, les rend dans le format choisi (un module par format) et
les écrit dans son dossier (`ecriture_dossier` : atomique, jamais par-dessus un fichier modifié)."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from typing import TYPE_CHECKING, Callable, TextIO

from ...codes import SORTIE_OK, SORTIE_USAGE
from ...echappement import echapper
from ...es.ecriture_dossier import Refus, ecrire_dossier
from ...es.sorties import arbre_demande
from ...messages import erreur_systeme
from ...modeles.documents import FichierDocuments
from ...moteur.avis import lignes_fiche
from ...moteur.dossier import DocumentRempli, Dossier, composer
from ...moteur.observatoire import ligne_registre
from ...moteur.plan import cible_par_defaut, planifier
from ..evaluation import Base, OptionsRapport
from . import docx, html, markdown, odt

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ResultatFichier

# format -> (extension, rendu d'un document, rendu de l'index) ; texte (Markdown, HTML) ou octets
# (OpenDocument, Office Open XML : extra optionnel `bureautique`, voir `bureautique.manque`).
FORMATS_DOSSIER: dict[str, tuple[str, Callable[[DocumentRempli, Dossier], str | bytes], Callable[[Dossier, str], str | bytes]]] = {
    "markdown": (".md", markdown.document, markdown.index),
    "html": (".html", html.document, html.index),
    "odt": (".odt", odt.document, odt.index),
    "docx": (".docx", docx.document, docx.index),
}


class EcrivainDossier(Base):
    """Reçoit les résultats d'`executer` comme un rapporteur : `flux` reçoit une ligne par cas écrit,
    `options.erreurs` les diagnostics ; `code` : SORTIE_USAGE si un dossier n'a pas pu être écrit."""

    def __init__(self, flux: TextIO, ref: "Referentiel", options: OptionsRapport, modeles: FichierDocuments,
                 format: str, sortie: str, lot: bool, force: bool) -> None:
        super().__init__(flux, ref, options)
        self.modeles, self.sortie, self.lot, self.force = modeles, sortie, lot, force
        self.erreurs: TextIO = options.erreurs or sys.stderr
        self.extension, self.rendre_document, self.rendre_index = FORMATS_DOSSIER[format]
        self.code = SORTIE_OK
        self._pris: set[str] = set()

    def resultat(self, r: "ResultatFichier") -> None:
        if r.cas is None or r.evaluation is None:
            for d in r.diagnostics:  # fichier invalide ou illisible : le bilan en fait le code
                print(str(d), file=self.erreurs)
            return
        cas, ev = r.cas, r.evaluation
        # La fiche montre le plan le plus court sous le seuil (celui d'`iag plan`) si le cas l'atteint.
        cible = cible_par_defaut(self.ref, self.seuil) if r.au_seuil else None
        plan = planifier(cas, self.ref, cible, self.date) if cible is not None else None
        registre = ligne_registre(r, self.ref, self.date or dt.date.today())
        assert r.document is not None
        avis = lignes_fiche(r.fichier, r.document, ev.verdict, self.ref, r.validation)
        contenu = composer(cas, ev, self.ref, self.modeles, plan, registre, avis)
        fichiers = {d.fichier + self.extension: self.rendre_document(d, contenu) for d in contenu.documents}
        fichiers["index" + self.extension] = self.rendre_index(contenu, self.extension)
        dossier = os.path.join(self.sortie, self._sous_dossier(r.fichier)) if self.lot else self.sortie
        try:
            bilan = ecrire_dossier(dossier, fichiers, self.force, arbre_demande(self.sortie, dossier=True))
        except Refus as e:
            if e.special:
                self._echec(f"{r.fichier}: rien n'est écrit dans « {echapper(dossier)} » : pas un fichier ordinaire "
                            f"(lien, dossier, périphérique), jamais remplacé : {echapper(', '.join(e.fichiers))}")
            else:
                self._echec(f"{r.fichier}: rien n'est écrit dans « {echapper(dossier)} » : modifié depuis qu'iag l'a "
                            f"écrit (ou pas écrit par iag) : {echapper(', '.join(e.fichiers))} ; --force pour remplacer")
            return
        except OSError as e:
            self._echec(f"{r.fichier}: écriture dans « {echapper(dossier)} » impossible : {erreur_systeme(e)}")
            return
        n = len(contenu.documents)
        print(f"{r.fichier}: {ev.verdict} ; {n} document{'s' if n > 1 else ''} dans {echapper(dossier)} "
              f"({', '.join(d.fichier + self.extension for d in contenu.documents)})", file=self.flux)
        for garde in bilan.gardes:
            print(f"{r.fichier}: {echapper(garde)} ne s'applique plus mais a été modifié : gardé", file=self.erreurs)

    def fin(self, bilan: "Bilan") -> None:
        pass

    def _echec(self, message: str) -> None:
        print(f"iag : {message}", file=self.erreurs)
        self.code = SORTIE_USAGE

    def _sous_dossier(self, nom: str) -> str:
        """Le nom du fichier sans extension, en caractères sûrs, rendu unique dans le lot."""
        base = re.sub(r"[^\w.-]", "_", os.path.splitext(os.path.basename(nom))[0]).lstrip(".") or "cas"
        choisi, n = base, 1
        while choisi in self._pris:
            n += 1
            choisi = f"{base}-{n}"
        self._pris.add(choisi)
        return choisi
