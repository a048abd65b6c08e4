"""Documents du dossier en HTML : une page autonome par document, selon les règles de `rendus/commun/html.py`
(tout texte échappé par `t`, aucun script ni ressource externe, politique CSP, `lang="fr"`)."""

from __future__ import annotations

from ...moteur.dossier import DocumentRempli, Dossier, Raison
from ..commun.html import FIN_PAGE, debut_page, t, tableau


def _a_completer(dossier: Dossier) -> str:
    return f"<strong>{t(dossier.a_completer)}</strong>"


def _raison(r: Raison) -> str:
    return r.phrase(t)


def _sous_titre(dossier: Dossier) -> str:
    date = dossier.date.isoformat() if dossier.date else "date du jour"
    return f"Cas d'usage : {dossier.titre} — verdict : {dossier.verdict} — évalué au {date}."


def document(d: DocumentRempli, dossier: Dossier) -> str:
    sortie = [debut_page(d.titre, _sous_titre(dossier)), "<h2>Exigé par</h2>", "<ul>"]
    sortie += [f"<li>{_raison(r)}</li>" for r in d.raisons]
    sortie.append("</ul>")
    for s in d.sections:
        sortie.append(f"<h2>{t(s.titre)}</h2>")
        if s.texte:
            sortie.append(f"<p>{t(s.texte)}</p>")
        if s.elements:
            sortie.append("<ul>" + "".join(f"<li>{t(e)}</li>" for e in s.elements) + "</ul>")
        if s.champs:
            lignes = [[t(c.libelle), t(c.valeur) if c.valeur is not None else _a_completer(dossier)] for c in s.champs]
            sortie.append(tableau(["champ", "valeur"], lignes))
    sortie.append(f"<p>Document préparé par iag : chaque {_a_completer(dossier)} reste à renseigner par le projet.</p>")
    return "\n".join(sortie) + "\n" + FIN_PAGE


def index(dossier: Dossier, extension: str) -> str:
    # `fichier` suit le motif [a-z0-9-] vérifié au chargement : un lien relatif sûr.
    lignes = [[t(d.titre), f'<a href="{t(d.fichier + extension)}">{t(d.fichier + extension)}</a>',
               "<br>".join(_raison(r) for r in d.raisons)] for d in dossier.documents]
    return debut_page(f"Dossier : {dossier.titre}", _sous_titre(dossier)) + tableau(
        ["document", "fichier", "exigé par"], lignes) + FIN_PAGE
