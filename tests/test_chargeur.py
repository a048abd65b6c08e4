"""Chargeur YAML : refus des constructions dangereuses et positions exactes des erreurs."""

import pytest

from iagcli.erreurs import ErreurFichier, ErreurLecture
from iagcli.es.chargeur import TAILLE_MAX, analyser, decoder, lire_document, valider
from iagcli.modeles.cas_usage import CasUsage

from conftest import DONNEES


def erreur_de(texte: str) -> str:
    with pytest.raises(ErreurFichier) as e:
        analyser(texte, "f.yaml")
    assert len(e.value.diagnostics) == 1
    return str(e.value.diagnostics[0])


def diagnostics_cas(tmp_path, texte: str, contexte=None) -> list[str]:
    p = tmp_path / "cas.yaml"
    p.write_text(texte, encoding="utf-8")
    with pytest.raises(ErreurFichier) as e:
        valider(lire_document(str(p), "cas.yaml"), CasUsage, contexte)
    return [str(d) for d in e.value.diagnostics]


BASE = (DONNEES / "cas-base.yaml").read_text(encoding="utf-8")


def test_scalaires_non_quotes_restent_du_texte():
    doc = analyser("a: NO\nb: 1.10\nc: 0755\nd: 2024-01-01\ne: off\nf:\ng: ~\nh: 'x'\n", "f.yaml")
    assert doc.donnees == {"a": "NO", "b": "1.10", "c": "0755", "d": "2024-01-01", "e": "off", "f": None, "g": None, "h": "x"}


def test_positions_des_cles_et_valeurs():
    doc = analyser("a:\n  b: [x, y]\n", "f.yaml")
    assert doc.position(("a", "b"), cle=True)._asdict() == {"ligne": 2, "colonne": 3}
    assert doc.position(("a", "b", 1))._asdict() == {"ligne": 2, "colonne": 10}


@pytest.mark.parametrize(
    "texte, attendu",
    [
        ("a: 1\nb:\n  c: 2\n  c: 3\n", "f.yaml:4:3: clé « c » en double (déjà définie ligne 3)"),
        ("a: &x [1]\nb: *x\n", "f.yaml:1:4: ancre YAML « &x » refusée : les ancres et alias ne sont pas acceptés"),
        ("a: *x\n", "f.yaml:1:4: alias YAML « *x » refusé : écrivez la valeur en entier"),
        ("a:\n  <<: {b: 1}\n", "f.yaml:2:3: clé de fusion YAML « << » refusée : écrivez les clés en entier"),
        ("a: !!python/object/apply:os.system ['ls']\n", "f.yaml:1:4: étiquette YAML « tag:yaml.org,2002:python/object/apply:os.system » refusée"),
        ("a: !perso x\n", "f.yaml:1:4: étiquette YAML « !perso » refusée"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: plusieurs documents YAML dans un même fichier : un seul est attendu"),
        ("", "f.yaml:1:1: fichier vide : une table de réponses (clé: valeur) est attendue"),
        ("# rien\n", "f.yaml:1:1: fichier vide : une table de réponses (clé: valeur) est attendue"),
        ("null\n", "f.yaml:1:1: fichier vide : une table de réponses (clé: valeur) est attendue"),
        ("- a\n- b\n", "f.yaml:1:1: le document est une liste : une table (clé: valeur) est attendue"),
        ("bonjour\n", "f.yaml:1:1: le document est une valeur seule : une table (clé: valeur) est attendue"),
        ("a:\n\tb: 1\n", "f.yaml:2:1: syntaxe YAML : tabulation interdite : indentez avec des espaces"),
        ("? [a, b]\n: 1\n", "f.yaml:1:3: clé invalide : une clé doit être un texte simple"),
        ("a: 'x\n", "f.yaml:2:1: syntaxe YAML : fin de fichier inattendue (guillemet ou crochet non fermé ?)"),
    ],
)
def test_refus_positionnes(texte, attendu):
    assert erreur_de(texte) == attendu


def test_imbrication_profonde_refusee_sans_recursion():
    texte = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    # selon la version de libyaml, son propre plafond ou le nôtre se déclenche en premier
    message = erreur_de(texte)
    assert message.startswith("f.yaml:1:") and message.endswith(": imbrication trop profonde (plus de 64 niveaux)")


def test_bombe_d_alias_refusee_au_premier_alias():
    lignes = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    assert erreur_de("\n".join(lignes)) == "f.yaml:1:4: ancre YAML « &a » refusée : les ancres et alias ne sont pas acceptés"


def test_encodages():
    assert decoder("é: 1".encode("utf-16"), "f") == "é: 1"
    assert decoder(b"\xef\xbb\xbfa: 1", "f") == "a: 1"
    with pytest.raises(ErreurFichier) as e:
        decoder(b"a: 1\nb: caf\xe9\n", "f.yaml")
    assert str(e.value) == "f.yaml:2:7: octet 0xe9 invalide : le fichier doit être en UTF-8"
    with pytest.raises(ErreurFichier) as e:
        decoder(b"a: 1\nbc\x00\n", "f.yaml")
    assert str(e.value) == "f.yaml:2:3: caractère NUL interdit dans un fichier YAML"


def test_fichier_trop_gros_refuse_avant_lecture(tmp_path):
    p = tmp_path / "gros.yaml"
    with open(p, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # fichier creux : rien n'est lu
    with pytest.raises(ErreurFichier) as e:
        lire_document(str(p))
    assert str(e.value) == f"{p}:1:1: fichier trop volumineux ({50 * 1024 * 1024} octets ou plus ; maximum {TAILLE_MAX})"


def test_chemins_illisibles(tmp_path):
    with pytest.raises(ErreurLecture) as e:
        lire_document(str(tmp_path / "absent.yaml"))
    assert str(e.value).endswith("absent.yaml: fichier introuvable")
    with pytest.raises(ErreurLecture) as e:
        lire_document(str(tmp_path))
    assert str(e.value).endswith(": c'est un dossier, pas un fichier")


def test_cle_inconnue_suggere_la_plus_proche(tmp_path):
    texte = BASE.replace("hebergement: ue", "hebergment: ue")
    assert diagnostics_cas(tmp_path, texte) == [
        "cas.yaml:1:1: clé obligatoire manquante : « hebergement » (hébergement des données)",
        "cas.yaml:14:1: clé inconnue « hebergment » ; vouliez-vous dire « hebergement » ?",
    ]


def test_valeur_invalide_liste_les_valeurs_permises(tmp_path):
    texte = BASE.replace("revue_humaine: systématique", "revue_humaine: parfois")
    assert diagnostics_cas(tmp_path, texte) == [
        "cas.yaml:23:16: valeur « parfois » invalide ; valeurs permises : systématique, ponctuelle, aucune"
    ]


def test_cle_manquante_pointe_la_table_parente(tmp_path):
    texte = BASE.replace("  volume: limité\n", "")
    assert diagnostics_cas(tmp_path, texte) == ["cas.yaml:17:3: clé obligatoire manquante : « volume » (volume de données)"]


def test_pieges_yaml_11_gardent_le_texte(tmp_path):
    texte = BASE.replace("titre: Cas de base", "titre: NO").replace("contact: test@example.org", "contact: 0755")
    p = tmp_path / "cas.yaml"
    p.write_text(texte, encoding="utf-8")
    cas = valider(lire_document(str(p)), CasUsage)
    assert (cas.titre, cas.contact) == ("NO", "0755")


def test_mauvais_types(tmp_path):
    texte = BASE.replace("taches: [traduction]", "taches: traduction").replace("prochaine_revue: 2027-01-15", "prochaine_revue: bientôt")
    assert diagnostics_cas(tmp_path, texte) == [
        "cas.yaml:6:18: date invalide : attendu AAAA-MM-JJ",
        "cas.yaml:7:9: attendu une liste (éléments précédés de « - »)",
    ]


def test_mesure_absente_du_referentiel(tmp_path):
    texte = BASE + "mesures_en_place: [MA, MZ]\n"
    assert diagnostics_cas(tmp_path, texte, {"mesures": {"MA", "MB"}}) == [
        "cas.yaml:32:24: mesure « MZ » absente du référentiel"
    ]
