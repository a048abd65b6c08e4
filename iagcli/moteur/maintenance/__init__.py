"""Outils des mainteneurs du référentiel (`iag referentiel verifier|exporter|comparer`).

Cœurs purs : `verification` (linter), `publication` (document du référentiel), `comparaison`
(différences et nouvelle cotation des propositions) ; un module de rendu par format dans `formats/`.
"""
