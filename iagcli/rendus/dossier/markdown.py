"""Documents du dossier en Markdown. Tout texte (cas d'usage, référentiel, évaluation) passe par
l'échappement des rapports Markdown : une valeur d'une proposition ne devient jamais du balisage."""

from __future__ import annotations

from ...moteur.dossier import DocumentRempli, Dossier, Raison
from ..evaluation.markdown import echapper


def _a_completer(dossier: Dossier) -> str:
    # Un seul marqueur, en gras, partout : facile à chercher et impossible à prendre pour une réponse.
    return f"**{echapper(dossier.a_completer)}**"


def _raison(r: Raison) -> str:
    return r.phrase(echapper)


def _entete(dossier: Dossier) -> list[str]:
    date = dossier.date.isoformat() if dossier.date else "date du jour"
    return [f"Cas d'usage : {echapper(dossier.titre)} — verdict : {echapper(dossier.verdict)} — évalué au {date}.", ""]


def document(d: DocumentRempli, dossier: Dossier) -> str:
    lignes = [f"# {echapper(d.titre)}", ""]
    lignes += _entete(dossier)
    lignes += ["Exigé par :", ""]
    lignes += [f"- {_raison(r)}" for r in d.raisons]
    lignes.append("")
    for s in d.sections:
        lignes += [f"## {echapper(s.titre)}", ""]
        if s.texte:
            lignes += [echapper(s.texte), ""]
        if s.elements:
            lignes += [f"- {echapper(e)}" for e in s.elements]
            lignes.append("")
        if s.champs:
            lignes += ["| champ | valeur |", "| --- | --- |"]
            for c in s.champs:
                valeur = echapper(c.valeur) if c.valeur is not None else _a_completer(dossier)
                lignes.append(f"| {echapper(c.libelle)} | {valeur} |")
            lignes.append("")
    lignes.append(f"Document préparé par iag : chaque {_a_completer(dossier)} reste à renseigner par le projet.")
    return "\n".join(lignes) + "\n"


def index(dossier: Dossier, extension: str) -> str:
    lignes = [f"# Dossier : {echapper(dossier.titre)}", ""]
    lignes += _entete(dossier)
    lignes += ["| document | fichier | exigé par |", "| --- | --- | --- |"]
    for d in dossier.documents:
        raisons = " ; ".join(_raison(r) for r in d.raisons)
        lignes.append(f"| {echapper(d.titre)} | [{echapper(d.fichier + extension)}]({d.fichier}{extension}) | {raisons} |")
    return "\n".join(lignes) + "\n"
