"""Avis signés du DPO et du RSSI (issue 25) : de vraies clés SSH générées ici, ssh-keygen pour signer et
vérifier, la porte d'`iag evaluer --signataires`, `iag avis signer|verifier`, l'état de chaque avis dans
chaque format."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_securite import erreurs, lancer

from iagcli.es.chargeur import document_de
from iagcli.modeles.avis import AUTRE_ROLE, SIGNATURE_VALIDE, AvisSigne, ControleSignature, ReferentielSigne, ReponsesSignees
from iagcli.moteur.avis import apprecier_avis, empreinte_reponses, message
from iagcli.moteur.referentiel import charger

from conftest import RACINE

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) absent")

EXEMPLES = RACINE / "exemples"
ELEVE = EXEMPLES / "tri-candidatures-rh.yaml"  # élevé ; prochaine_revue 2027-02-01
CRITIQUE = EXEMPLES / "chatbot-usagers-hors-ue.yaml"
INTERDIT = EXEMPLES / "reconnaissance-emotions-accueil.yaml"
JOUR = "2026-12-04"


def _cle(dossier: Path, nom: str) -> Path:
    chemin = dossier / nom
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", nom, "-f", str(chemin)], check=True)
    return chemin


def _publique(cle: Path) -> str:
    return " ".join(cle.with_suffix(".pub").read_text().split()[:2])


@pytest.fixture(scope="module")
def cles(tmp_path_factory):
    """Clés du DPO, du RSSI et d'un tiers (absent du fichier des signataires) ; fichier des signataires."""
    d = tmp_path_factory.mktemp("cles")
    dpo, rssi, tiers = _cle(d, "dpo"), _cle(d, "rssi"), _cle(d, "tiers")
    signataires = d / "signataires"
    signataires.write_text(f'dpo@ville.fr namespaces="iag-avis-dpo" {_publique(dpo)}\n'
                           f'rssi@ville.fr namespaces="iag-avis-rssi" {_publique(rssi)}\n')
    return {"dpo": dpo, "rssi": rssi, "tiers": tiers, "signataires": signataires}


@pytest.fixture
def depot(tmp_path):
    d = tmp_path / "depot"
    (d / ".git").mkdir(parents=True)
    (d / "propositions").mkdir()
    for c in (ELEVE, CRITIQUE, INTERDIT):
        shutil.copy(c, d / "propositions" / c.name)
    return d


def signer(depot, cas, role, identite, cle, decision="favorable", *options):
    return lancer(depot, "avis", "signer", f"propositions/{cas}", "--role", role, "--identite", identite, "--cle", cle,
                  "--decision", decision, "--date", JOUR, "--sans-config", *options)


def signer_les_deux(depot, cles, cas=ELEVE.name):
    assert signer(depot, cas, "dpo", "dpo@ville.fr", cles["dpo"], "favorable", "--reserve", "revue à 6 mois").returncode == 0
    assert signer(depot, cas, "rssi", "rssi@ville.fr", cles["rssi"]).returncode == 0


def evaluer_json(depot, *args, date=JOUR):
    r = lancer(depot, "evaluer", "propositions/", "-f", "json", "--sans-config", "--date", date, *args)
    return r.returncode, json.loads(r.stdout)


def cas_json(rapport, nom=ELEVE.name):
    return next(c for c in rapport["cas"] if c["fichier"].endswith(nom))


# --- empreinte canonique -----------------------------------------------------------------------


def test_empreinte_ignore_commentaires_et_ordre_pas_les_reponses():
    a = document_de(b"titre: A\nservice: B  # commentaire\ntaches: [synthese]\n", "a.yaml")
    b = document_de(b"# en-tete\ntaches:\n  - synthese\nservice: B\ntitre: A\n", "b.yaml")
    c = document_de(b"titre: A\nservice: C\ntaches: [synthese]\n", "c.yaml")
    avec_avis = document_de(b"titre: A\nservice: B\ntaches: [synthese]\navis: [x]\n", "d.yaml")
    assert empreinte_reponses(a.donnees) == empreinte_reponses(b.donnees) == empreinte_reponses(avec_avis.donnees)
    total_c, par_cle_c = empreinte_reponses(c.donnees)
    total_a, par_cle_a = empreinte_reponses(a.donnees)
    assert total_c != total_a
    assert [k for k in par_cle_a if par_cle_a[k] != par_cle_c[k]] == ["service"]


def _avis(**modifs) -> AvisSigne:
    document = document_de(ELEVE.read_bytes(), "cas.yaml")
    sha, par_cle = empreinte_reponses(document.donnees)
    champs = dict(role="dpo", identite="dpo@ville.fr", decision="favorable", reserves=[], date=dt.date(2026, 12, 4),
                  jusqu_au=dt.date(2027, 2, 1), verdict="élevé", reponses=ReponsesSignees(sha256=sha, par_cle=par_cle),
                  referentiel=ReferentielSigne(version="x", sha256="0" * 64), signature="-")
    champs.update(modifs)
    return AvisSigne(**champs)


def test_verdict_change_et_cle_d_autre_role_dans_le_coeur():
    """Le cœur décide seul : verdict signé ≠ verdict courant, clé liée à une autre identité, verdict non signable."""
    ref = charger()
    document = document_de(ELEVE.read_bytes(), "cas.yaml")
    jour = dt.date(2026, 12, 4)
    ok = apprecier_avis(_avis(), ControleSignature(SIGNATURE_VALIDE), document, "élevé", ref, jour)
    assert ok.valide and ok.etat == "valide"
    change = apprecier_avis(_avis(verdict="modéré"), ControleSignature(SIGNATURE_VALIDE), document, "élevé", ref, jour)
    assert change.codes == ("verdict_changé",)
    assert change.motifs == ("verdict changé : signé « modéré », aujourd'hui « élevé »",)
    autre = apprecier_avis(_avis(), ControleSignature(AUTRE_ROLE, ("rssi@ville.fr",)), document, "élevé", ref, jour)
    assert autre.codes == ("autre_rôle",)
    assert "le fichier des signataires la lie à rssi@ville.fr, pas à dpo@ville.fr pour l'espace iag-avis-dpo" in autre.motifs[0]
    critique = apprecier_avis(_avis(verdict="critique"), ControleSignature(SIGNATURE_VALIDE), document, "critique", ref, jour)
    assert critique.codes == ("verdict_non_signable",)
    # le message signé couvre tout l'avis sauf la signature
    assert message(_avis(signature="a")) == message(_avis(signature="b")) != message(_avis(reserves=["r"]))


# --- signer ----------------------------------------------------------------------------------------


def test_signer_ecrit_le_fichier_voisin_sans_toucher_le_cas(depot, cles):
    cas = depot / "propositions" / ELEVE.name
    avant = cas.read_bytes()
    r = signer(depot, ELEVE.name, "dpo", "dpo@ville.fr", cles["dpo"], "favorable", "--reserve", "revue à 6 mois")
    assert r.returncode == 0, erreurs(r)
    assert cas.read_bytes() == avant
    texte = (depot / "propositions" / f"{ELEVE.name}.avis").read_text()
    assert "role: dpo" in texte and "identite: dpo@ville.fr" in texte and "verdict: élevé" in texte
    assert "jusqu_au: '2027-02-01'" in texte  # défaut : prochaine_revue du cas
    assert "- revue à 6 mois" in texte and "signature: |\n    -----BEGIN SSH SIGNATURE-----" in texte
    # un nouvel avis du même rôle et de la même identité remplace l'ancien
    assert signer(depot, ELEVE.name, "dpo", "dpo@ville.fr", cles["dpo"], "défavorable").returncode == 0
    texte = (depot / "propositions" / f"{ELEVE.name}.avis").read_text()
    assert texte.count("role: dpo") == 1 and "decision: défavorable" in texte


@pytest.mark.parametrize("exemple,verdict", [(CRITIQUE, "critique"), (INTERDIT, "interdit")])
def test_signer_un_verdict_critique_ou_interdit_est_refuse(depot, cles, exemple, verdict):
    cas = depot / "propositions" / exemple.name
    avant = cas.read_bytes()
    r = signer(depot, exemple.name, "dpo", "dpo@ville.fr", cles["dpo"])
    assert r.returncode == 1
    assert erreurs(r)[0].startswith(f"iag : signature refusée : le verdict de propositions/{exemple.name} est « {verdict} »")
    assert cas.read_bytes() == avant
    assert not (depot / "propositions" / f"{exemple.name}.avis").exists()


def test_signer_options_fautives(depot, cles):
    r = signer(depot, ELEVE.name, "maire", "x@ville.fr", cles["dpo"])
    assert (r.returncode, erreurs(r)) == (2, ["iag : rôle « maire » inconnu ; rôles : dpo, rssi"])
    r = signer(depot, ELEVE.name, "dpo", "dpo@ville.fr", cles["dpo"], "peut-être")
    assert (r.returncode, erreurs(r)) == (2, ["iag : décision « peut-être » inconnue ; décisions : favorable, défavorable"])
    r = signer(depot, ELEVE.name, "dpo", "dpo@ville.fr", depot / "absente")
    assert r.returncode == 2 and erreurs(r) == [f"iag : clé « {depot / 'absente'} » introuvable"]
    r = signer(depot, ELEVE.name, "dpo", "dpo@ville.fr", cles["dpo"], "favorable", "--jusqu-au", "2026-01-01")
    assert (r.returncode, erreurs(r)) == (2, ["iag : fin de validité 2026-01-01 antérieure à la date de signature 2026-12-04"])
    assert not (depot / "propositions" / f"{ELEVE.name}.avis").exists()


# --- la porte ---------------------------------------------------------------------------------------


def test_porte_passe_avec_les_deux_avis_valides(depot, cles):
    signer_les_deux(depot, cles)
    code, rapport = evaluer_json(depot, "--signataires", cles["signataires"], "--seuil", "élevé")
    # critique et interdit échouent toujours : le cas élevé, lui, passe
    c = cas_json(rapport)
    assert c["au_dessus_du_seuil"] is True
    assert c["validation"]["accordee"] is True and c["validation"]["porte_levee"] is True
    assert [(a["role"], a["valide"], a["etat"], a["reserves"]) for a in c["validation"]["avis"]] == [
        ("dpo", True, "valide", ["revue à 6 mois"]), ("rssi", True, "valide", [])]
    assert rapport["bilan"]["valides_par_avis"] == 1 and rapport["bilan"]["au_dessus_du_seuil"] == 2
    assert code == 1
    # seul, le cas élevé validé passe la porte : code 0
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--date", JOUR, "--signataires", cles["signataires"])
    assert r.returncode == 0, r.stdout.decode()
    texte = r.stdout.decode()
    assert "Validation conjointe du DPO et du RSSI : accordée (la porte passe)" in texte
    # la variable d'environnement vaut l'option
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--date", JOUR,
               env={"IAG_SIGNATAIRES": str(cles["signataires"])})
    assert r.returncode == 0


def test_sans_fichier_des_signataires_les_avis_sont_inverifiables(depot, cles):
    signer_les_deux(depot, cles)
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--date", JOUR, "-f", "json")
    assert r.returncode == 1
    v = json.loads(r.stdout)["cas"][0]["validation"]
    assert v["verifiable"] is False and v["accordee"] is False
    assert [a["codes"] for a in v["avis"]] == [["invérifiable"], ["invérifiable"]]


def test_un_seul_role_ne_suffit_pas(depot, cles):
    assert signer(depot, ELEVE.name, "dpo", "dpo@ville.fr", cles["dpo"]).returncode == 0
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--date", JOUR, "-f", "json",
               "--signataires", cles["signataires"])
    assert r.returncode == 1
    v = json.loads(r.stdout)["cas"][0]["validation"]
    assert v["roles_manquants"] == ["rssi"] and [a["valide"] for a in v["avis"]] == [True]


def _etat(depot, cles, date=JOUR):
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--date", date, "-f", "json",
               "--signataires", cles["signataires"])
    return r.returncode, {a["role"]: a for a in json.loads(r.stdout)["cas"][0]["validation"]["avis"]}


def test_cle_hors_du_fichier_des_signataires(depot, cles):
    signer_les_deux(depot, cles)
    assert signer(depot, ELEVE.name, "dpo", "dpo@ville.fr", cles["tiers"]).returncode == 0  # remplace l'avis du DPO
    code, avis = _etat(depot, cles)
    assert code == 1
    assert avis["dpo"]["codes"] == ["clé_inconnue"]
    assert avis["dpo"]["etat"] == "clé inconnue : elle n'est pas dans le fichier des signataires"
    assert avis["rssi"]["valide"] is True


def test_cle_liee_a_l_autre_role(depot, cles):
    """Le RSSI signe un avis « DPO » avec sa clé (et son identité, ou celle du DPO) : refusé."""
    signer_les_deux(depot, cles)
    assert signer(depot, ELEVE.name, "dpo", "dpo@ville.fr", cles["rssi"]).returncode == 0
    code, avis = _etat(depot, cles)
    assert code == 1 and avis["dpo"]["codes"] == ["autre_rôle"]
    assert "le fichier des signataires la lie à rssi@ville.fr, pas à dpo@ville.fr pour l'espace iag-avis-dpo" in avis["dpo"]["etat"]
    (depot / "propositions" / f"{ELEVE.name}.avis").unlink()
    assert signer(depot, ELEVE.name, "rssi", "rssi@ville.fr", cles["rssi"]).returncode == 0
    assert signer(depot, ELEVE.name, "dpo", "rssi@ville.fr", cles["rssi"]).returncode == 0
    code, avis = _etat(depot, cles)
    assert code == 1 and avis["dpo"]["codes"] == ["autre_rôle"]


def test_reponse_changee_dit_laquelle_et_sa_ligne(depot, cles):
    signer_les_deux(depot, cles)
    cas = depot / "propositions" / ELEVE.name
    texte = cas.read_text()
    # un commentaire et une ligne vide ne changent rien
    cas.write_text("# relu par le service\n" + texte + "\n# fin\n")
    assert _etat(depot, cles)[0] == 0
    lignes = cas.read_text().splitlines()
    n = next(i for i, ligne in enumerate(lignes) if ligne.startswith("revue_humaine:"))
    lignes[n] = "revue_humaine: aucune"
    cas.write_text("\n".join(lignes) + "\n")
    code, avis = _etat(depot, cles)
    assert code == 1
    assert avis["dpo"]["reponses_changees"] == [{"champ": "revue_humaine", "ligne": n + 1}]
    assert f"réponses changées depuis la signature : « revue_humaine » (ligne {n + 1})" in avis["dpo"]["motifs"]


def test_avis_expire(depot, cles):
    signer_les_deux(depot, cles)
    assert _etat(depot, cles, "2027-02-01")[0] == 0  # le dernier jour compte
    code, avis = _etat(depot, cles, "2027-02-02")
    assert code == 1
    assert avis["dpo"]["codes"] == ["expiré"]
    assert avis["dpo"]["etat"] == "expiré le 2027-02-01 (date d'évaluation 2027-02-02)"


def test_avis_defavorable_avec_ses_reserves(depot, cles):
    signer_les_deux(depot, cles)
    assert signer(depot, ELEVE.name, "rssi", "rssi@ville.fr", cles["rssi"], "défavorable", "--reserve", "hébergement hors UE").returncode == 0
    code, avis = _etat(depot, cles)
    assert code == 1
    assert avis["rssi"]["codes"] == ["défavorable"] and avis["rssi"]["etat"] == "avis défavorable : hébergement hors UE"


def test_avis_retouche_a_la_main(depot, cles):
    """Changer la décision, la date ou l'échéance dans le fichier des avis casse la signature."""
    signer_les_deux(depot, cles)
    fichier = depot / "propositions" / f"{ELEVE.name}.avis"
    fichier.write_text(fichier.read_text().replace("jusqu_au: '2027-02-01'", "jusqu_au: '2030-01-01'", 1))
    code, avis = _etat(depot, cles)
    assert code == 1 and avis["dpo"]["codes"] == ["signature_invalide"]


def test_fichier_des_avis_invalide(depot, cles):
    (depot / "propositions" / f"{ELEVE.name}.avis").write_text("cas: x\navis: [{role: maire}]\n")
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--date", JOUR, "-f", "json",
               "--signataires", cles["signataires"])
    assert r.returncode == 1
    v = json.loads(r.stdout)["cas"][0]["validation"]
    assert v["accordee"] is False and v["erreurs"][0].startswith(f"propositions/{ELEVE.name}.avis:2:")


def test_un_dossier_ne_prend_jamais_le_fichier_des_avis_pour_un_cas(depot, cles):
    signer_les_deux(depot, cles)
    code, rapport = evaluer_json(depot, "--signataires", cles["signataires"])
    assert rapport["bilan"]["total"] == 3 and not any(c["fichier"].endswith(".avis") for c in rapport["cas"])


# --- le fichier des signataires vient de la CI, jamais du dépôt -------------------------------------------


def test_configuration_du_depot_ne_peut_pas_nommer_ses_signataires(depot, cles):
    (depot / ".iag.yaml").write_text("seuil: élevé\nsignataires: signataires-complaisants\n")
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--date", JOUR)
    assert r.returncode == 2
    assert erreurs(r)[0] == "Configuration invalide :"
    assert erreurs(r)[1].startswith(f"{depot / '.iag.yaml'}:2:1: « signataires » refusé : le fichier des signataires des avis ne se donne jamais dans .iag.yaml")


def test_fichier_des_signataires_illisible_ou_ssh_keygen_absent(depot, cles):
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--signataires", depot / "absent")
    assert r.returncode == 2 and erreurs(r)[0].startswith(f"iag : fichier des signataires « {depot / 'absent'} » illisible")
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--signataires", cles["signataires"],
               env={"PATH": str(depot / "vide")})
    assert r.returncode == 2
    assert erreurs(r) == ["iag : ssh-keygen introuvable : installer OpenSSH (paquet Debian/Ubuntu « openssh-client », "
                          "Alpine « openssh-keygen ») ; il vérifie et crée les signatures des avis"]


# --- iag avis verifier -------------------------------------------------------------------------------


def test_avis_verifier(depot, cles):
    signer_les_deux(depot, cles)
    r = lancer(depot, "avis", "verifier", f"propositions/{ELEVE.name}", "--signataires", cles["signataires"], "--date", JOUR, "--sans-config")
    assert r.returncode == 0
    assert r.stdout.decode().splitlines() == [
        f"propositions/{ELEVE.name} (verdict élevé)",
        f"  ✓ Validation conjointe du DPO et du RSSI : accordée ; avis lus dans propositions/{ELEVE.name}.avis",
        "  ✓ DPO dpo@ville.fr : favorable, signé le 2026-12-04 jusqu'au 2027-02-01 (verdict « élevé ») ; réserves : revue à 6 mois — valide",
        "  ✓ RSSI rssi@ville.fr : favorable, signé le 2026-12-04 jusqu'au 2027-02-01 (verdict « élevé ») — valide",
    ]
    r = lancer(depot, "avis", "verifier", f"propositions/{ELEVE.name}", "--signataires", cles["signataires"], "--date", "2027-03-01", "--sans-config")
    assert r.returncode == 1 and "NON VALIDE : expiré le 2027-02-01" in r.stdout.decode()
    r = lancer(depot, "avis", "verifier", f"propositions/{ELEVE.name}", "--sans-config")
    assert r.returncode == 2


def test_avis_sur_un_fichier_de_cas_invalide_code_3(depot, cles):
    """Un cas qui ne se valide pas : code 3 (issue 24), comme les autres commandes qui lisent des cas ;
    avec un chemin absent dans le même appel, 2 l'emporte."""
    (depot / "propositions" / "casse.yaml").write_text("titre: [\n", encoding="utf-8")
    r = signer(depot, "casse.yaml", "dpo", "dpo@ville.fr", cles["dpo"])
    assert r.returncode == 3 and not (depot / "propositions" / "casse.yaml.avis").exists()
    assert "casse.yaml:" in r.stderr.decode()
    base = ("--signataires", cles["signataires"], "--date", JOUR, "--sans-config")
    assert lancer(depot, "avis", "verifier", "propositions/casse.yaml", *base).returncode == 3
    assert lancer(depot, "avis", "verifier", "propositions/casse.yaml", "propositions/absent.yaml", *base).returncode == 2


# --- chaque format montre l'état de chaque avis -------------------------------------------------------


@pytest.mark.parametrize("format,attendu", [
    ("texte", "DPO dpo@ville.fr : favorable, signé le 2026-12-04"),
    ("markdown", "❌ RSSI rssi@"),
    ("html", "DPO dpo@ville.fr : favorable, signé le 2026-12-04"),
    ("junit", "RSSI rssi@ville.fr : défavorable"),
    ("sarif", "iag/avis"),
    ("gitlab", "avis RSSI rssi@ville.fr : défavorable"),
    ("github", "avis RSSI rssi@ville.fr : défavorable"),
])
def test_chaque_format_montre_l_etat_des_avis(depot, cles, format, attendu):
    signer_les_deux(depot, cles)
    assert signer(depot, ELEVE.name, "rssi", "rssi@ville.fr", cles["rssi"], "défavorable", "--reserve", "journalisation").returncode == 0
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--date", JOUR, "-f", format,
               "--signataires", cles["signataires"])
    sortie = r.stdout.decode()
    assert r.returncode == 1
    assert attendu in sortie
    assert "journalisation" in sortie


# --- registre, dossier, action GitHub ------------------------------------------------------------------


def _publiable(depot, cas):
    """Le registre ne publie pas un projet au stade de l'idée (issue 23) : le cas passe en expérimentation."""
    f = depot / "propositions" / cas.name
    f.write_text(f.read_text(encoding="utf-8").replace("statut: idée", "statut: expérimentation"), encoding="utf-8")


def test_registre_montre_la_validation_sans_l_identite(depot, cles):
    _publiable(depot, ELEVE)
    _publiable(depot, CRITIQUE)
    signer_les_deux(depot, cles)
    r = lancer(depot, "registre", f"propositions/{ELEVE.name}", "-f", "json", "--sans-config", "--date", JOUR,
               "--signataires", cles["signataires"])
    assert r.returncode == 0
    usage = json.loads(r.stdout)["usages"][0]
    assert usage["validation"] == ("accordée : DPO favorable le 2026-12-04 (réserves : revue à 6 mois) ; "
                                   "RSSI favorable le 2026-12-04")
    assert "ville.fr" not in r.stdout.decode()
    r = lancer(depot, "registre", f"propositions/{CRITIQUE.name}", "-f", "json", "--sans-config", "--date", JOUR)
    assert json.loads(r.stdout)["usages"][0]["validation"] == "aucun avis signé"


def test_fiche_de_validation_dit_ce_qui_sera_signe_et_les_avis(depot, cles):
    from iagcli.moteur.avis import empreinte_reponses as empreinte

    sha, _ = empreinte(document_de((depot / "propositions" / ELEVE.name).read_bytes(), "x").donnees)
    assert signer(depot, ELEVE.name, "dpo", "dpo@ville.fr", cles["dpo"], "défavorable", "--reserve", "AIPD à compléter").returncode == 0
    r = lancer(depot, "dossier", f"propositions/{ELEVE.name}", "-o", depot / "dossier", "--sans-config", "--date", JOUR,
               "--signataires", cles["signataires"])
    assert r.returncode == 1  # au seuil, sans validation accordée
    fiche = (depot / "dossier" / "fiche-validation.md").read_text()
    assert "## Avis signés du DPO et du RSSI" in fiche
    assert f"- Empreinte des réponses : {sha}" in fiche
    assert "- Verdict signé : élevé" in fiche
    assert "- Validation conjointe : non accordée" in fiche
    assert "réserves : AIPD à compléter — NON VALIDE : avis défavorable : AIPD à compléter" in fiche
    assert "- RSSI : aucun avis" in fiche


def test_action_github_avec_les_signataires_en_variable(depot, cles):
    import os

    import yaml
    from test_securite import IAG

    signer_les_deux(depot, cles)
    (depot / "propositions" / CRITIQUE.name).unlink()
    (depot / "propositions" / INTERDIT.name).unlink()
    action = yaml.safe_load((RACINE / "action.yml").read_text(encoding="utf-8"))
    etape = action["runs"]["steps"][-1]
    valeurs = {"inputs.chemins": "propositions/", "inputs.seuil": "élevé", "inputs.referentiel": "",
               "inputs.referentiel-sha256": "", "inputs.sarif": "", "inputs.signataires": cles["signataires"].read_text()}
    env = {k: valeurs.get(v.strip("${} "), v) for k, v in etape["env"].items()}
    env["PATH"] = str(IAG.parent) + os.pathsep + os.environ.get("PATH", "")
    env["RUNNER_TEMP"] = str(depot.parent)
    env["IAG_DATE"] = JOUR
    environnement = {k: v for k, v in os.environ.items() if not k.startswith(("IAG_", "GITHUB_"))}
    r = subprocess.run(["bash", "-c", etape["run"]], cwd=depot, env={**environnement, **env}, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "::notice" in r.stdout and "DPO dpo@ville.fr : favorable" in r.stdout
    # sans l'entrée, les avis sont invérifiables : la porte échoue
    env["IAG_SIGNATAIRES_CONTENU"] = ""
    r = subprocess.run(["bash", "-c", etape["run"]], cwd=depot, env={**environnement, **env}, capture_output=True, text=True)
    assert r.returncode == 1


def test_fichier_des_signataires_dans_le_depot_averti(depot, cles):
    shutil.copy(cles["signataires"], depot / "signataires")
    signer_les_deux(depot, cles)
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--sans-config", "--date", JOUR, "--signataires", "signataires")
    assert r.returncode == 0  # un avertissement, pas un refus : le fichier peut être protégé (CODEOWNERS)
    assert erreurs(r) == [f"iag : avertissement : le fichier des signataires « signataires » est dans le dépôt évalué ({depot}) : "
                          "une merge request peut le modifier ; le donner depuis une variable ou un fichier protégés de la CI "
                          "(docs/avis.md)"]


def test_signer_sans_ssh_keygen(depot, cles):
    cas = depot / "propositions" / ELEVE.name
    avant = cas.read_bytes()
    r = lancer(depot, "avis", "signer", f"propositions/{ELEVE.name}", "--role", "dpo", "--identite", "dpo@ville.fr",
               "--cle", cles["dpo"], "--decision", "favorable", "--date", JOUR, "--sans-config", env={"PATH": str(depot / "vide")})
    assert r.returncode == 2 and erreurs(r)[0].startswith("iag : ssh-keygen introuvable : installer OpenSSH")
    assert cas.read_bytes() == avant and not (depot / "propositions" / f"{ELEVE.name}.avis").exists()


def test_configuration_ne_peut_pas_epingler_son_referentiel(depot):
    (depot / ".iag.yaml").write_text("referentiel_sha256: " + "0" * 64 + "\n")
    r = lancer(depot, "evaluer", f"propositions/{ELEVE.name}", "--date", JOUR)
    assert r.returncode == 2
    assert erreurs(r)[1].startswith(f"{depot / '.iag.yaml'}:1:1: « referentiel_sha256 » refusé : l'empreinte du référentiel")


def test_entree_standard_au_seuil_avec_signataires(depot, cles):
    r = lancer(depot, "evaluer", "-", "--sans-config", "--date", JOUR, "-f", "json", "--signataires", cles["signataires"],
               stdin=ELEVE.open("rb"))
    assert r.returncode == 1
    assert json.loads(r.stdout)["cas"][0]["validation"]["roles_manquants"] == ["dpo", "rssi"]
