"""Un module par format de sortie des commandes `iag referentiel` (texte, json, sarif, markdown,
html, csv) ; chacun rend les résultats des cœurs purs de `maintenance`, sans rien recalculer."""
