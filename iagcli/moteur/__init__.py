"""Le cœur : cotation, conditions, plan, observatoire, dossier, consultation, maintenance.

Fonctions pures de (cas d'usage, référentiel, date) ; rien n'y est écrit à l'écran ni sur disque.
Seul `referentiel.charger` lit des fichiers, par `es/` (chargeur et cache).
"""
