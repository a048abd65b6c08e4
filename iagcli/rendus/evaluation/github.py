"""Annotations GitHub Actions (commandes de workflow), plus un résumé de job en Markdown.

Une ligne `::error file=F,line=L,col=C,title=T::message` (ou `::warning`, `::notice`) par
constat, les mêmes que SARIF (voir `constats`) : interdit, critique, élevé et fichiers invalides
-> error ; modéré -> warning ; faible -> notice.

Échappement selon les règles du runner : dans le message `%` -> `%25`, `\\r` -> `%0D`, `\\n` -> `%0A` ;
dans les propriétés, en plus, `:` -> `%3A` et `,` -> `%2C`. Les autres caractères de contrôle
(séquences ANSI) sont remplacés. Un titre de cas d'usage contenant « \\n::add-mask::x » reste
donc du texte dans une seule commande.

GitHub n'affiche que 10 erreurs et 10 avertissements par étape : quand `GITHUB_STEP_SUMMARY`
est défini (et que ce rapport va sur la sortie standard), le rapport Markdown (rendu par le
format `markdown`) est ajouté à ce fichier, dans la limite de 1 Mio que GitHub impose : au-delà,
le détail des derniers cas, puis leurs lignes de synthèse, sont omis (les compteurs restent justes).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Optional, TextIO

from . import Base, OptionsRapport, markdown
from .constats import INCOMPLET, INTERDIT, INVALIDE, Constat, avertissement_peremption, constats, constats_ignores, nettoyer

if TYPE_CHECKING:
    from ...moteur.referentiel import Referentiel
    from ...moteur.resultat import Bilan, ResultatFichier

COMMANDES = {"faible": "notice", "modéré": "warning", "élevé": "error", "critique": "error", INTERDIT: "error", INVALIDE: "error", INCOMPLET: "error"}
TAILLE_RESUME = 1024 * 1024  # limite de GitHub pour le résumé d'une étape
MARGE_RESUME = 16 * 1024


def echapper_donnee(texte: object) -> str:
    return nettoyer(texte).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def echapper_propriete(texte: object) -> str:
    return echapper_donnee(texte).replace(":", "%3A").replace(",", "%2C")


def commande(nom: str, message: str, **proprietes: object) -> str:
    props = ",".join(f"{cle}={echapper_propriete(valeur)}" for cle, valeur in proprietes.items() if valeur is not None)
    return f"::{nom} {props}::{echapper_donnee(message)}" if props else f"::{nom}::{echapper_donnee(message)}"


def titre(c: Constat) -> str:
    prefixe = c.regle if c.regle.startswith("iag/") else f"iag {c.regle}"
    return f"{prefixe} : {c.titre}"


class Rapporteur(Base):
    def __init__(self, flux: TextIO, referentiel: "Referentiel", options: OptionsRapport):
        super().__init__(flux, referentiel, options)
        self.erreurs = options.erreurs or sys.stderr
        self.averti = False
        self.resume: Optional[markdown.Rapporteur] = None
        self._fichier_resume = None
        # Le résumé n'est écrit que par le rapporteur de la sortie standard (celui dont GitHub lit les
        # annotations) : un second rapport github vers un fichier ne le dupliquerait pas.
        chemin = None if options.vers_fichier else os.environ.get("GITHUB_STEP_SUMMARY")
        if chemin:
            self._chemin_resume = chemin
            try:
                self._fichier_resume = open(chemin, "a", encoding="utf-8")
                deja = self._fichier_resume.tell()
            except OSError as e:
                self._abandonner_resume(e)
            else:
                self.resume = markdown.Rapporteur(
                    self._fichier_resume, referentiel,
                    OptionsRapport(seuil=self.seuil, date=self.date, taille_max=max(TAILLE_RESUME - deja - MARGE_RESUME, 0)),
                )

    def _avertir(self) -> None:
        """Référentiel périmé à la date d'évaluation : une annotation d'avertissement, une fois."""
        if not self.averti and self.date is not None and self.ref.perime_le(self.date):
            self.flux.write(commande("warning", avertissement_peremption(self.ref, self.date), title="iag : référentiel périmé") + "\n")
        self.averti = True

    def resultat(self, r: "ResultatFichier") -> None:
        self._avertir()
        for c in constats(r, self.ref):
            self.flux.write(commande(
                COMMANDES[c.gravite], c.message,
                file=c.fichier, line=c.ligne, col=c.colonne, title=titre(c),
            ) + "\n")
        if self.resume is not None:
            try:
                self.resume.resultat(r)
            except OSError as e:
                self._abandonner_resume(e)

    def fin(self, bilan: "Bilan") -> None:
        self._avertir()
        for c in constats_ignores(bilan):
            self.flux.write(commande(COMMANDES[c.gravite], c.message, file=c.fichier, title=titre(c)) + "\n")
        self.flux.flush()
        if self.resume is not None:
            try:
                self.resume.fin(bilan)
                if self._fichier_resume is not None:
                    self._fichier_resume.close()
            except OSError as e:
                self._abandonner_resume(e)

    def _abandonner_resume(self, e: OSError) -> None:
        """Le résumé est un complément des annotations : qu'il soit impossible à ouvrir (dossier) ou
        à écrire (disque plein, /dev/full), c'est un avertissement, jamais un échec du lot."""
        from ...echappement import echapper
        from ...messages import erreur_systeme

        print(f"iag : résumé GitHub impossible ({echapper(self._chemin_resume)} : {erreur_systeme(e)})", file=self.erreurs)
        if self._fichier_resume is not None:
            try:
                self._fichier_resume.close()
            except OSError:
                pass  # le tampon non écrit est perdu : l'avertissement vient d'être donné
        self._fichier_resume = None
        self.resume = None
