"""Toute sortie, par produit puis par format : `rendus/<produit>/<format>.py`.

Produits : `evaluation/` (iag evaluer, valider), `plan/`, `dossier/`, `observatoire/` (synthese,
registre), `referentiel/` (iag referentiel …), `consultation.py` (look-ups Rich) et `questionnaire.py`
(iag nouveau --interactif). `commun/` : briques Rich et HTML partagées. Un rendu met en forme ce que le
moteur a décidé ; il ne calcule rien.
"""
