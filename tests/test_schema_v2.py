"""Schéma v2 du cas d'usage (issue 9, partie 4) : valeurs définies, migration des fichiers antérieurs."""

import json

import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.es.chargeur import lire_document
from iagcli.modeles import cas_usage as M
from iagcli.modeles.cas_usage import CasUsage, notes_schema
from iagcli.moteur.consultation.questionnaire import modele_yaml
from iagcli.moteur.schema import schema_cas_usage

from conftest import DONNEES, MINI

BASE = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")
# cas-base.yaml, ligne 16 : « donnees: » ; 17 : « categories » ; 32 : première ligne libre en fin de fichier


@pytest.fixture
def runner():
    return CliRunner()


def ecrire(dossier, nom, texte):
    p = dossier / nom
    p.write_text(texte, encoding="utf-8")
    return str(p)


def iag(runner, *args):
    return runner.invoke(app, list(args), catch_exceptions=False)


# --- Valeurs scindées : refusées avec la consigne exacte -----------------------------------------


@pytest.mark.parametrize("ecrite", ["profilage_prédictif", "profilage_predictif", "Profilage prédictif"])
def test_profilage_predictif_refuse_avec_ce_qu_il_faut_ecrire(runner, tmp_path, ecrite):
    f = ecrire(tmp_path, "cas.yaml", BASE.replace("fonctionnalites_sensibles: []\n", "") + f"fonctionnalites_sensibles: [{ecrite}]\n")
    r = iag(runner, "evaluer", f, "-r", str(MINI))
    assert r.exit_code == 3
    assert r.stderr.strip() == (
        f"{f}:31:29: valeur « profilage_prédictif » retirée : écrire « prédiction_infractions » pour la prédiction "
        "d'infractions pénales (AI Act art. 5, § 1, d), ou « profilage » pour un profilage au sens du RGPD (score "
        "de risque, évaluation de situation)"
    )


def test_categorisation_biometrique_refusee_avec_les_deux_remplacements(runner, tmp_path):
    f = ecrire(tmp_path, "cas.yaml", BASE.replace("fonctionnalites_sensibles: []\n", "") + "fonctionnalites_sensibles: [catégorisation_biométrique]\n")
    r = iag(runner, "valider", f)
    assert r.exit_code == 3
    assert r.stderr.strip() == (
        f"{f}:31:29: valeur « catégorisation_biométrique » retirée : écrire "
        "« catégorisation_biométrique_caractéristiques_protégées » (origine, opinions, syndicat, convictions, vie ou "
        "orientation sexuelle) ou « catégorisation_biométrique_autres_attributs » (âge, genre…)"
    )


# --- Sens précisés : acceptés, avec un avertissement tant que la version n'est pas déclarée ---------


def test_fichier_v1_avec_sensibles_accepte_avec_un_avertissement_positionne(runner, tmp_path):
    ancien = BASE.replace("categories: [publiques]", "categories: [personnelles, sensibles]")
    f = ecrire(tmp_path, "ancien.yaml", ancien)
    r = iag(runner, "evaluer", f, "-r", str(MINI), "-f", "json", "--seuil", "jamais")
    assert r.exit_code == 0, r.output
    [cas] = json.loads(r.stdout)["cas"]
    assert cas["valide"] is True and cas["version_schema"] == 1
    assert [(n["champ"], n["valeur"], n["ligne"], n["colonne"]) for n in cas["notes_schema"]] == [
        ("donnees.categories", "sensibles", 17, 3)
    ]
    assert "« hautement_personnelles »" in cas["notes_schema"][0]["message"]
    texte = iag(runner, "evaluer", f, "-r", str(MINI), "--seuil", "jamais")
    assert texte.exit_code == 0 and "Avertissement (donnees.categories)" in texte.stdout
    github = iag(runner, "evaluer", f, "-r", str(MINI), "-f", "github", "--seuil", "jamais")
    assert f"::warning file={f},line=17,col=3,title=iag/valeur-precisee" in github.stdout
    valide = iag(runner, "valider", f)
    assert valide.exit_code == 0 and valide.stdout == f"{f}: valide\n"
    assert valide.stderr.startswith(f"{f}:17:3: avertissement : « sensibles » désigne désormais")


def test_meme_fichier_declarant_la_version_2_sans_avertissement(runner, tmp_path):
    f = ecrire(tmp_path, "v2.yaml", BASE.replace("categories: [publiques]", "categories: [personnelles, sensibles]")
               + "version_schema: 2\n")
    r = iag(runner, "evaluer", f, "-r", str(MINI), "-f", "json", "--seuil", "jamais")
    [cas] = json.loads(r.stdout)["cas"]
    assert (cas["version_schema"], cas["notes_schema"]) == (2, [])


def test_version_de_schema_inconnue_refusee(runner, tmp_path):
    f = ecrire(tmp_path, "v3.yaml", BASE + "version_schema: 3\n")
    r = iag(runner, "valider", f)
    assert r.exit_code == 3
    assert r.stderr.strip() == f"{f}:32:17: attendu une valeur inférieure ou égale à 2"


@pytest.mark.parametrize("champ, valeur", list(M.SENS_PRECISES))
def test_chaque_sens_precise_donne_une_note(champ, valeur):
    d = lire_document(str(DONNEES / "cas-base.yaml")).donnees
    parent, _, feuille = champ.rpartition(".")
    cible = d
    for p in filter(None, parent.split(".")):
        cible = cible.setdefault(p, {})
    if feuille == "domaine":
        cible["type"] = "aide_à_la_décision"
    cible[feuille] = [valeur] if feuille in ("categories", "fonctionnalites_sensibles") else valeur
    notes = notes_schema(CasUsage.model_validate(d))
    assert [(n.champ, n.valeur) for n in notes] == [(champ, valeur)]


# --- Valeurs nouvelles, définies partout ----------------------------------------------------------


def test_chaque_valeur_de_chaque_enumeration_a_une_definition_dans_le_schema_json():
    schema = schema_cas_usage()
    enums = {n: d for n, d in schema["$defs"].items() if "enum" in d and n not in ("OuiNon", "OuiNonInconnu")}
    assert len(enums) == 16
    for nom, definition in enums.items():
        assert len(definition["enumDescriptions"]) == len(definition["enum"]), nom
        assert all(definition["enumDescriptions"]), nom
    assert "relance avant recouvrement" in enums["TypeDecision"]["description"]
    assert "« profilage_prédictif »" in enums["Fonctionnalite"]["description"]  # valeur retirée et sa consigne
    assert schema["properties"]["version_schema"]["default"] == 1


def test_nouveau_propose_les_definitions_et_declare_la_version():
    texte = modele_yaml()
    assert "\nversion_schema: 2\n" in texte
    assert "  #   étape_administrative : étape d'une procédure qui n'est pas une" in texte
    assert "  #   hautement_personnelles : données à caractère hautement personnel" in texte


def test_un_projet_reel_se_decrit_avec_les_nouvelles_valeurs(runner, tmp_path):
    """Relances avant recouvrement, tri de courriels, hébergées par l'université, noms d'agents seulement."""
    texte = (
        BASE.replace("taches: [traduction]", "taches: [analyse_classement, rédaction]")
        .replace("acces: compte_professionnel", "acces: hébergé_organisme_public")
        .replace("hebergement: ue", "hebergement: organisme_public")
        .replace("categories: [publiques]", "categories: [internes, contacts_professionnels_agents, hautement_personnelles]")
        .replace("destinataires: agent_seul", "destinataires: usagers")
        .replace("  type: aucune", "  type: étape_administrative\n  domaine: autre")
        .replace("public_atteint: aucun", "public_atteint: 1000_à_50000")
        .replace("lit_contenus_externes: non", "lit_contenus_externes: oui")
        + "version_schema: 2\n"
    )
    f = ecrire(tmp_path, "relances.yaml", texte)
    r = iag(runner, "valider", f)
    assert r.exit_code == 0, r.output


def test_referentiel_personnalise_avec_une_valeur_scindee_dit_quoi_ecrire(runner, tmp_path):
    import shutil

    dossier = tmp_path / "ref"
    shutil.copytree(MINI, dossier)
    risques = dossier / "risques.yaml"
    ancien = "    si: {champ: fonctionnalites_sensibles, contient: notation_sociale}"
    texte = risques.read_text(encoding="utf-8")
    assert ancien in texte
    ligne = texte[: texte.index(ancien)].count("\n") + 1
    risques.write_text(texte.replace(ancien, ancien.replace("notation_sociale", "profilage_prédictif")), encoding="utf-8")
    r = iag(runner, "evaluer", str(DONNEES / "cas-base.yaml"), "-r", str(dossier))
    assert r.exit_code == 2
    assert r.stderr.splitlines()[1] == (
        f"{risques}:{ligne}:54: valeur « profilage_prédictif » retirée du schéma des cas d'usage : écrire "
        "« prédiction_infractions » pour la prédiction d'infractions pénales (AI Act art. 5, § 1, d), ou "
        "« profilage » pour un profilage au sens du RGPD (score de risque, évaluation de situation)"
    )
