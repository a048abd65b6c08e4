"""iag : évaluer un usage d'IA générative face à une matrice de risques tenue en données."""

__version__ = "0.1.0"
