"""Plancher de la pile imposée à iag (issue 22) : le travail d'`iag evaluer FICHIER`, réduit à rien.

Les quatre bibliothèques que le projet doit employer, chacune pour ce qu'iag en fait, et rien
d'autre : une commande Typer avec les options qu'on lui passe, le fichier lu par PyYAML (chargeur C),
validé par un modèle pydantic de quatre champs, un cadre et un tableau Rich à l'écran. Aucun
référentiel, aucune cotation, aucune position d'erreur. Ce qu'`iag evaluer` ne peut pas battre :
`python3 bench/bench.py --demarrage 15` le mesure face à check-jsonschema, dans les mêmes tours.
Ce n'est pas du code d'iag : rien ici n'est importé par le paquet.
"""

from pathlib import Path
from typing import Literal, Optional

import typer
import yaml
from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

app = typer.Typer(add_completion=False)


class Cas(BaseModel):
    model_config = ConfigDict(extra="ignore")

    titre: str = Field(min_length=1)
    statut: Literal["idée", "projet", "expérimentation", "production"] = "projet"
    donnees: dict[str, object] = {}
    service: Optional[str] = None


@app.command()
def evaluer(fichier: Path, seuil: str = "élevé", format: str = "texte") -> None:
    with fichier.open("rb") as f:
        cas = Cas.model_validate(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    console = Console()
    console.print(Panel(f"{cas.titre}\n{cas.service or ''} · {cas.statut}\nVerdict : (aucun, seuil {seuil})"))
    tableau = Table("Question", "Réponse")
    for question, reponse in cas.donnees.items():
        tableau.add_row(question, str(reponse))
    console.print(tableau)


if __name__ == "__main__":
    app()
