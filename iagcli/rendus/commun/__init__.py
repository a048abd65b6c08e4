"""Briques partagées des rendus : `affichage` (Rich : styles des niveaux, puces, matrice) et `html`
(gabarit, style, grille SVG, échappement HTML)."""
