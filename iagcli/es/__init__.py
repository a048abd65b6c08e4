"""Entrées-sorties : tout ce qui touche au système de fichiers et aux flux.

Lecture du YAML avec positions (`chargeur`), cache du référentiel validé (`cache`), écriture atomique
des rapports et des dossiers (`sorties`, `ecriture_dossier`), flux standard (`flux`), dossiers ->
fichiers (`chemins`), configuration `.iag.yaml` (`configuration`), console (`terminal`) et barre de
progression (`progression`). N'importe que la couche basse (`modeles`, `erreurs`, `messages`, `codes`,
`echappement`) : jamais le moteur ni les rendus.
"""
