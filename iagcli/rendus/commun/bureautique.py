"""L'extra optionnel `bureautique` (`pip install 'iag[bureautique]'`) : les bibliothèques des formats
bureautiques (dossier en .odt et .docx, registre en .xlsx), importées seulement par la commande qui
s'en sert, et le message français quand l'une manque (la commande finit alors avec le code 2)."""

from __future__ import annotations

import importlib
from typing import Optional

EXTRA = "bureautique"
# format -> module Python de la bibliothèque dont il a besoin
BIBLIOTHEQUES = {"odt": "odfdo", "docx": "docx", "xlsx": "xlsxwriter"}


def manque(format: str) -> Optional[str]:
    """Le message à dire si la bibliothèque du format n'est pas installée, sinon None."""
    module = BIBLIOTHEQUES.get(format)
    if module is None:
        return None
    try:
        importlib.import_module(module)
    except ImportError:
        return (f"le format {format} demande l'extra optionnel « {EXTRA} » (bibliothèque {module} absente) : "
                f"pip install 'iag[{EXTRA}]'")
    return None
