"""Issue 20 : `iag migrer` ajoute chaque question absente « À compléter », sans rien deviner ni
toucher au reste du fichier ; le résultat est relu et vérifié avant l'écriture."""

import difflib

import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.es.chargeur import document_de, lire_document
from iagcli.modeles.types import A_COMPLETER
from iagcli.moteur.champs import champs, par_chemin
from iagcli.moteur.insertion import InsertionImpossible
from iagcli.moteur.migration import migrer

from conftest import DONNEES, RACINE

EXEMPLES = sorted((RACINE / "exemples").glob("*.yaml"))
FACULTATIVES = [c for c in champs() if not par_chemin()[c].obligatoire]


def iag(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def _sans(texte: str, cle: str) -> str:
    """Le texte sans la ligne de cette clé (réponse sur une ligne)."""
    feuille = cle.split(".")[-1]
    lignes = texte.splitlines(keepends=True)
    garde = [lg for lg in lignes if not lg.lstrip().startswith(f"{feuille}:")]
    assert len(garde) == len(lignes) - 1, cle
    return "".join(garde)


@pytest.mark.parametrize("exemple", EXEMPLES, ids=lambda p: p.name)
def test_exemple_ampute_migre_sans_rien_changer_d_autre(exemple, ref_defaut):
    texte = exemple.read_text(encoding="utf-8")
    for cle in FACULTATIVES:
        feuille = cle.split(".")[-1]
        if not any(lg.lstrip().startswith(f"{feuille}:") for lg in texte.splitlines()):
            continue  # sans objet dans cet exemple
        ampute = _sans(texte, cle)
        doc = document_de(ampute.encode("utf-8"), "cas.yaml")
        m = migrer(doc, ref_defaut)
        # la question retirée, plus celles dont elle décidait la pertinence (sans elle, pertinence inconnue :
        # fonctionnalités sensibles retirées, les circonstances d'une identification biométrique se posent)
        dependantes = {p.champ for p in ref_defaut.pertinences if cle in p.champs}
        assert cle in m.ajoutees and set(m.ajoutees) - {cle} <= dependantes, m.ajoutees
        apres = m.octets.decode("utf-8")
        # seules des lignes ajoutées : commentaire de la question, puis la clé « À compléter »
        diff = [d for d in difflib.ndiff(ampute.splitlines(), apres.splitlines()) if d[:1] in "+-"]
        assert all(d.startswith("+ ") for d in diff), diff
        assert any(d.strip().endswith(f'{feuille}: "{A_COMPLETER}"') for d in diff)
        relu = document_de(m.octets, "cas.yaml").donnees
        for ajoutee in m.ajoutees:
            cible = relu
            for p in ajoutee.split(".")[:-1]:
                cible = cible[p]
            assert cible.pop(ajoutee.split(".")[-1]) == A_COMPLETER
        assert relu == doc.donnees  # toutes les autres réponses, intactes
        assert migrer(document_de(m.octets, "cas.yaml"), ref_defaut).ajoutees == ()  # idempotent


def test_crlf_et_groupe_absent(ref_defaut):
    texte = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")
    debut, fin = texte.index("outil:\n"), texte.index("acces:")
    texte = (texte[:debut] + texte[fin:]).replace("\n", "\r\n")
    m = migrer(document_de(texte.encode("utf-8"), "cas.yaml"), ref_defaut)
    assert m.ajoutees == ("outil",)
    apres = m.octets.decode("utf-8")
    assert "\n" not in apres.replace("\r\n", "")  # fins de ligne gardées
    outil = document_de(m.octets, "cas.yaml").donnees["outil"]
    assert outil == {"nom": A_COMPLETER, "fournisseur": A_COMPLETER, "type_modele": A_COMPLETER, "usage_general": A_COMPLETER}


def test_question_sans_objet_non_ajoutee(ref_defaut):
    texte = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")  # pas de corpus, pas de décision
    assert migrer(document_de(texte.encode("utf-8"), "cas.yaml"), ref_defaut).ajoutees == ()
    avec_corpus = texte.replace("  utilise: non", "  utilise: oui")
    assert migrer(document_de(avec_corpus.encode("utf-8"), "cas.yaml"), ref_defaut).ajoutees == ("sources_connaissances.contenu",)


def test_style_flux_refuse_fichier_intact(tmp_path):
    texte = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8").replace(
        "outil:\n  nom: Outil\n  fournisseur: Éditeur\n  type_modele: propriétaire\n  usage_general: non\n",
        "outil: {nom: Outil, fournisseur: Éditeur, type_modele: propriétaire}\n")
    f = tmp_path / "flux.yaml"
    f.write_text(texte, encoding="utf-8")
    r = iag("migrer", f)
    assert r.exit_code == 1 and f.read_text(encoding="utf-8") == texte
    assert f"{f}:8:1: « outil » est écrit en style flux" in r.stderr
    with pytest.raises(InsertionImpossible):
        migrer(lire_document(str(f)), __import__("iagcli.moteur.referentiel", fromlist=["charger"]).charger())


def test_cli_verifier_puis_migrer(tmp_path):
    f = tmp_path / "ancien.yaml"
    ancien = _sans((DONNEES / "cas-base.yaml").read_text(encoding="utf-8"), "fonctionnalites_sensibles")
    f.write_text(ancien, encoding="utf-8")
    r = iag("migrer", "--verifier", f)
    assert r.exit_code == 1 and f.read_text(encoding="utf-8") == ancien
    # sans les fonctionnalités sensibles, les circonstances d'une identification biométrique se posent aussi
    assert r.stderr.strip() == (f"{f} : 4 questions à ajouter : fonctionnalites_sensibles, identification_temps_reel, "
                                "identification_espace_public, finalite_repressive")
    assert iag("evaluer", f).exit_code == 1  # incomplet avant comme après : la migration ne devine rien
    r = iag("migrer", f)
    assert r.exit_code == 0
    assert f.read_text(encoding="utf-8").startswith(ancien)
    assert 'fonctionnalites_sensibles: "À compléter"\n' in f.read_text(encoding="utf-8").removeprefix(ancien)
    assert iag("migrer", "--verifier", f).exit_code == 0
