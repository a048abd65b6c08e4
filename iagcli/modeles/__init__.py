"""Modèles pydantic : le cas d'usage et le référentiel."""
