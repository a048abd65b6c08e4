"""Consultation du référentiel et rédaction d'un cas d'usage : la logique, sans affichage.

- `recherche` : recherche plein texte tolérante, index, extraits ;
- `identifiants` : résolution des identifiants et suggestions ;
- `textes_referentiel` : textes dérivés des données (effets des mesures, placement dans la matrice) ;
- `questionnaire` : questions dérivées du modèle `CasUsage`, modèle YAML pour `iag nouveau`,
  lecture des réponses et questionnaire interactif (`poser_questions`).

Rien n'est écrit à l'écran hors `poser_questions` : `affichage_consultation` met en forme,
`cli/consultation.py` lit les options.
"""
