"""Consultation du référentiel et rédaction d'un cas d'usage : la logique, sans affichage.

- `recherche` : recherche plein texte tolérante, index, extraits ;
- `identifiants` : résolution des identifiants et suggestions ;
- `textes_referentiel` : textes dérivés des données (effets des mesures, placement dans la matrice) ;
- `questionnaire` : questions dérivées du modèle `CasUsage`, modèle YAML pour `iag nouveau`,
  lecture des réponses.

Rien n'est écrit à l'écran : `rendus/consultation.py` met en forme, `rendus/questionnaire.py` pose les questions,
`cli/consultation.py` lit les options.
"""
