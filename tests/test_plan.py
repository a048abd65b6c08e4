"""`iag plan` : plans exacts sur les exemples, cibles hors d'atteinte (interdiction, plancher
juridique, crédit borné), égalités, propriété (appliquer le plan et réévaluer donne le niveau
annoncé ; aucun ensemble plus petit n'atteint la cible, vérifié par force brute), mesures prévues,
--ecrire par insertion de texte."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import shutil

import jsonschema
import pytest
from typer.testing import CliRunner

from iagcli.cli import app
from iagcli.controleur import lire_cas
from iagcli.erreurs import ErreurFichier, ErreurReferentiel
from iagcli.es.chargeur import lire_document
from iagcli.moteur.evaluation import evaluer
from iagcli.moteur.insertion import InsertionImpossible, inserer_prevues
from iagcli.moteur.plan import appliquer, cible_par_defaut, levier_possible, phrase_obstacle, planifier
from iagcli.moteur.referentiel import charger

from conftest import MINI, PORTEE_REFERENTIEL, RACINE, cas_epreuve

JOUR = dt.date(2026, 11, 30)
EXEMPLES = RACINE / "exemples"


def _cas(ref, nom):
    return lire_cas(str(EXEMPLES / nom), ref)[1]


def _etapes(plan):
    return [(p.id, p.verdict) for p in plan.pas]


# --- Plans exacts sur les exemples ------------------------------------------------------------


def test_assistant_documentaire_vers_faible(ref_defaut):
    plan = planifier(_cas(ref_defaut, "assistant-documentaire-rag.yaml"), ref_defaut, "faible", JOUR)
    assert plan.atteint and plan.verdict_initial == "modéré" and plan.niveau_final == "faible"
    assert _etapes(plan) == [("M08", "modéré"), ("M03", "faible")]
    assert [(b.risque, b.avant, b.apres) for b in plan.pas[0].baisses] == [("R17", "modéré", "faible")]
    assert [(b.risque, b.avant, b.apres) for b in plan.pas[1].baisses] == [("R01", "modéré", "faible")]
    assert plan.equivalents == 2 and plan.borne is None and plan.obstacles == ()


def test_synthese_vers_faible_par_un_levier(ref_defaut):
    plan = planifier(_cas(ref_defaut, "synthese-comptes-rendus.yaml"), ref_defaut, "faible", JOUR)
    assert _etapes(plan) == [("L06", "faible")]
    pas = plan.pas[0]
    assert pas.genre == "levier" and pas.changement == ("donnees.categories", ["internes", "personnelles"], ["internes"])
    assert "anonymisation" in pas.cout
    assert plan.equivalents == 1


def test_chatbot_critique_vers_modere(ref_defaut):
    cas = _cas(ref_defaut, "chatbot-usagers-hors-ue.yaml")
    plan = planifier(cas, ref_defaut, "modéré", JOUR)
    assert plan.atteint and plan.verdict_initial == "critique" and plan.niveau_final == "modéré"
    assert _etapes(plan) == [
        ("L05", "critique"), ("L03", "critique"), ("M12", "critique"), ("M08", "critique"), ("M22", "élevé"),
        ("M16", "élevé"), ("M06", "élevé"), ("L01", "élevé"), ("M02", "modéré"),
    ]
    # issue 21 : crédit selon la nature des mesures et plancher de l'injection (R06) : le plan passe
    # par M06 au lieu de M05, et il y a moins de plans de même taille
    assert plan.equivalents == 2
    # propriété : le plan appliqué puis réévalué donne exactement le niveau annoncé
    assert evaluer(appliquer(cas, ref_defaut, [p.id for p in plan.pas]), ref_defaut, JOUR).verdict == "modéré"


def test_deja_sous_la_cible(ref_defaut):
    plan = planifier(_cas(ref_defaut, "traduction-site-web.yaml"), ref_defaut, "modéré", JOUR)
    assert plan.atteint and plan.pas == () and plan.niveau_final == "faible"


# --- Cibles hors d'atteinte : les trois raisons ---------------------------------------------


def test_hors_d_atteinte_interdiction(ref_defaut):
    plan = planifier(_cas(ref_defaut, "reconnaissance-emotions-accueil.yaml"), ref_defaut, "modéré", JOUR)
    assert not plan.atteint and plan.niveau_final == "interdit" and plan.pas == ()
    assert [(o.genre, o.id, o.niveau) for o in plan.obstacles] == [("interdiction", "J02", "interdit")]


def test_hors_d_atteinte_plancher_juridique(ref_defaut):
    # Le jour de l'annexe III : le tri de candidatures relève de J09 (niveau minimum « élevé »).
    plan = planifier(_cas(ref_defaut, "tri-candidatures-rh.yaml"), ref_defaut, "modéré", dt.date(2027, 12, 2))
    assert not plan.atteint and plan.niveau_final == "élevé"
    assert ("plancher_juridique", "J09", "élevé") in [(o.genre, o.id, o.niveau) for o in plan.obstacles]


def test_hors_d_atteinte_plancher_juridique_seul(ref_mini, cas):
    # JO impose « élevé » ; sans lui, relire suffirait : le plancher est la seule raison.
    c = cas(decision_individuelle={"type": "aide_à_la_décision", "domaine": "rh_recrutement"})
    plan = planifier(c, ref_mini, "modéré", JOUR)
    assert not plan.atteint and plan.niveau_final == "élevé"
    assert [(o.genre, o.id, o.niveau) for o in plan.obstacles] == [("plancher_juridique", "JO", "élevé")]


def test_hors_d_atteinte_credit_borne(ref_defaut):
    plan = planifier(_cas(ref_defaut, "tri-candidatures-rh.yaml"), ref_defaut, "modéré", JOUR)
    assert not plan.atteint and plan.niveau_final == "élevé"
    assert [(o.genre, o.id, o.niveau) for o in plan.obstacles] == [("credit_borne", "R12", "élevé")]


def test_hors_d_atteinte_meilleur_niveau_et_son_plan(ref_defaut):
    cas = _cas(ref_defaut, "chatbot-usagers-hors-ue.yaml")
    plan = planifier(cas, ref_defaut, "faible", JOUR)
    assert not plan.atteint and plan.niveau_final == "modéré"
    assert len(plan.pas) == 9  # le plan le plus court vers « modéré »
    genres = {o.genre for o in plan.obstacles}
    assert genres == {"plancher_juridique", "credit_borne"}
    assert evaluer(appliquer(cas, ref_defaut, [p.id for p in plan.pas]), ref_defaut, JOUR).verdict == "modéré"


def test_cible_par_defaut(ref_defaut):
    assert cible_par_defaut(ref_defaut, "élevé") == "modéré"
    assert cible_par_defaut(ref_defaut, "faible") is None
    assert cible_par_defaut(ref_defaut, None) is None


# --- Propriété et force brute sur un petit référentiel ---------------------------------------

AJOUT_MESURES = """
  - id: MC
    titre: Relecture croisée
    nature: préventive
    description: Relire à deux.
    preuves: [procédure]
    effets:
      - {risque: T1, gravite: -1}
    sources: [test]
  - id: MD
    titre: Chiffrement
    nature: préventive
    description: Chiffrer.
    preuves: [contrat]
    effets:
      - {risque: T2, probabilite: -1}
    sources: [test]
  - id: ME
    titre: Minimisation
    nature: préventive
    description: Minimiser.
    preuves: [procédure]
    effets:
      - {risque: T2, gravite: -1}
      - {risque: T1, probabilite: -1}
    sources: [test]
regles_juridiques:
"""

LEVIERS = """
leviers:
  - {id: LH, titre: Héberger dans l'UE, champ: hebergement, de: [hors_ue, inconnu], vers: ue, cout: migration, sources: [test]}
  - {id: LR, titre: Relire tout, champ: revue_humaine, de: [aucune, ponctuelle], vers: systématique, cout: temps, sources: [test]}
  - {id: LP, titre: Anonymiser, champ: donnees.categories, de: [personnelles], vers: internes, cout: une étape, sources: [test]}
"""


def _mini_avec(tmp_path, texte_leviers=LEVIERS):
    dossier = tmp_path / "ref"
    dossier.mkdir(exist_ok=True)
    shutil.copy(MINI / "recommandations.yaml", dossier / "recommandations.yaml")
    texte = (MINI / "risques.yaml").read_text(encoding="utf-8")
    texte = texte.replace("regles_juridiques:\n", AJOUT_MESURES, 1) + texte_leviers
    (dossier / "risques.yaml").write_text(texte, encoding="utf-8")
    return dossier


@pytest.fixture(scope="module" if PORTEE_REFERENTIEL == "session" else PORTEE_REFERENTIEL)
def ref_plan(tmp_path_factory):
    return charger(_mini_avec(tmp_path_factory.mktemp("plan")))


def _force_brute(cas, ref, date):
    """Pour chaque sous-ensemble des étapes possibles : (taille, nombre de leviers, verdict)."""
    etapes = [m for m in ref.mesures if m not in cas.mesures_en_place]
    etapes += [x.id for x in ref.leviers.values() if levier_possible(cas, x)]
    sortie = []
    for taille in range(len(etapes) + 1):
        for combi in itertools.combinations(etapes, taille):
            verdict = evaluer(appliquer(cas, ref, combi), ref, date).verdict
            sortie.append((taille, sum(1 for e in combi if e in ref.leviers), ref.rang[verdict]))
    return sortie


def test_plan_minimal_par_force_brute(ref_plan, cas):
    verifies = 0
    for revue, hebergement, categories, volume, en_place in itertools.product(
        ("systématique", "ponctuelle", "aucune"), ("ue", "hors_ue", "inconnu"),
        (["publiques"], ["personnelles"], ["personnelles", "sensibles"]), ("limité", "grande_échelle"), ([], ["MA"]),
    ):
        c = cas(revue_humaine=revue, hebergement=hebergement, donnees={"categories": categories, "volume": volume},
                mesures_en_place=en_place)
        brute = _force_brute(c, ref_plan, JOUR)
        for cible in ("faible", "modéré", "élevé"):
            rang = ref_plan.rang[cible]
            plan = planifier(c, ref_plan, cible, JOUR)
            # appliquer le plan et réévaluer donne exactement le niveau annoncé
            final = evaluer(appliquer(c, ref_plan, [p.id for p in plan.pas]), ref_plan, JOUR).verdict
            assert final == plan.niveau_final
            assert plan.pas[-1].verdict == final if plan.pas else True
            meilleur = min(v for _, _, v in brute)
            vise = rang if meilleur <= rang else meilleur
            assert plan.atteint == (meilleur <= rang)
            assert ref_plan.rang[final] <= vise
            # aucun ensemble plus petit n'atteint le niveau visé ; égalités comptées exactement
            taille_min = min(t for t, _, v in brute if v <= vise)
            assert len(plan.pas) == taille_min
            leviers_min = min(n for t, n, v in brute if v <= vise and t == taille_min)
            assert len(plan.leviers) == leviers_min  # à taille égale, les mesures avant les leviers
            assert plan.equivalents == sum(1 for t, n, v in brute if v <= vise and t == taille_min and n == leviers_min)
            verifies += 1
    assert verifies == 324


def test_levier_invalide_refuse_a_sa_position(tmp_path):
    faux = LEVIERS.replace("champ: hebergement", "champ: hebergment").replace("vers: internes", "vers: publiqe")
    with pytest.raises(ErreurReferentiel) as e:
        charger(_mini_avec(tmp_path, faux))
    messages = [str(d) for d in e.value.diagnostics]
    assert any("risques.yaml:" in m and "champ « hebergment » inconnu" in m and "hebergement" in m for m in messages)
    assert any("valeur « publiqe » impossible pour « donnees.categories »" in m for m in messages)
    texte = (tmp_path / "ref" / "risques.yaml").read_text(encoding="utf-8").splitlines()
    ligne = next(i for i, t in enumerate(texte, 1) if "hebergment" in t)
    assert any(m.split(":")[1] == str(ligne) for m in messages if "hebergment" in m)


def test_levier_sans_changement_refuse(tmp_path):
    faux = LEVIERS.replace("de: [hors_ue, inconnu], vers: ue", "de: [hors_ue, ue], vers: ue")
    with pytest.raises(ErreurReferentiel) as e:
        charger(_mini_avec(tmp_path, faux))
    assert any("figure aussi dans « de »" in str(d) for d in e.value.diagnostics)


# --- Mesures prévues ------------------------------------------------------------------------

CAS_PREVU = (RACINE / "tests" / "donnees" / "cas-base.yaml").read_text(encoding="utf-8")


def _ecrire(tmp_path, texte, nom="cas.yaml"):
    chemin = tmp_path / nom
    chemin.write_bytes(texte.encode("utf-8"))
    return chemin


def test_mesure_prevue_et_en_place_refusee_a_sa_position(tmp_path, ref_mini):
    texte = CAS_PREVU + "mesures_en_place: [MA]\nmesures_prevues:\n  - {id: MA, echeance: 2027-03-01}\n"
    chemin = _ecrire(tmp_path, texte)
    with pytest.raises(ErreurFichier) as e:
        lire_cas(str(chemin), ref_mini)
    ligne = texte.splitlines().index("  - {id: MA, echeance: 2027-03-01}") + 1
    assert [str(d) for d in e.value.diagnostics] == [
        f"{chemin}:{ligne}:10: mesure « MA » à la fois en place et prévue : la retirer de l'une des deux listes"]


def test_mesure_prevue_inconnue_refusee_a_sa_position(tmp_path, ref_mini):
    texte = CAS_PREVU + "mesures_prevues:\n  - id: MZ\n    echeance: 2027-03-01\n"
    chemin = _ecrire(tmp_path, texte)
    with pytest.raises(ErreurFichier) as e:
        lire_cas(str(chemin), ref_mini)
    ligne = texte.splitlines().index("  - id: MZ") + 1
    assert len(e.value.diagnostics) == 1
    d = e.value.diagnostics[0]
    assert (d.ligne, d.colonne) == (ligne, 9) and "mesure « MZ » absente du référentiel" in d.message


def test_evaluer_apres_mesures_prevues_et_retard(tmp_path, ref_mini):
    texte = CAS_PREVU.replace("revue_humaine: systématique", "revue_humaine: aucune") + \
        "mesures_prevues:\n  - {id: MA, echeance: 2026-10-01, responsable: DSI}\n  - {id: MC, echeance: 2027-10-01}\n"
    ref = charger(_mini_avec(tmp_path))
    _, c = lire_cas(str(_ecrire(tmp_path, texte)), ref)
    ev = evaluer(c, ref, JOUR)
    assert ev.verdict == "modéré"
    attendu = evaluer(c.model_copy(update={"mesures_en_place": ["MA", "MC"], "mesures_prevues": []}), ref, JOUR).verdict
    assert ev.verdict_apres_prevues == attendu
    assert ev.prevues_en_retard == ("MA",)


def test_cli_echeances_fait_echouer(tmp_path):
    texte = CAS_PREVU + "mesures_prevues:\n  - {id: M03, echeance: 2026-10-01}\n"
    chemin = _ecrire(tmp_path, texte)
    runner = CliRunner()
    sans = runner.invoke(app, ["evaluer", str(chemin), "--date", "2026-11-30", "--sans-config", "-q"])
    avec = runner.invoke(app, ["evaluer", str(chemin), "--date", "2026-11-30", "--sans-config", "-q", "--echeances"])
    assert (sans.exit_code, avec.exit_code) == (0, 1)
    sortie = runner.invoke(app, ["evaluer", str(chemin), "--date", "2026-11-30", "--sans-config", "-f", "json"])
    cas_json = json.loads(sortie.stdout)["cas"][0]
    assert cas_json["mesures_prevues"][0]["en_retard"] is True
    assert cas_json["mesures_prevues"][0]["ligne"] == len(CAS_PREVU.splitlines()) + 2


# --- La commande ------------------------------------------------------------------------------


def test_cli_plan_json_conforme_au_schema():
    runner = CliRunner()
    r = runner.invoke(app, ["plan", str(EXEMPLES / "assistant-documentaire-rag.yaml"), "--cible", "faible",
                            "--date", "2026-11-30", "--sans-config", "-f", "json"])
    assert r.exit_code == 0
    donnees = json.loads(r.stdout)
    schema = json.loads((RACINE / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(donnees, schema)
    assert [(e["id"], e["verdict_apres"]) for e in donnees["etapes"]] == [("M08", "modéré"), ("M03", "faible")]


def test_cli_plan_json_garde_les_listes_en_listes():
    """Un levier sur `donnees.categories` : avant et après sont des listes en JSON, jointes en texte."""
    runner = CliRunner()
    args = ["plan", str(EXEMPLES / "synthese-comptes-rendus.yaml"), "--cible", "faible", "--date", "2026-11-30", "--sans-config"]
    r = runner.invoke(app, [*args, "-f", "json"])
    assert r.exit_code == 0, r.output
    donnees = json.loads(r.stdout)
    jsonschema.validate(donnees, json.loads((RACINE / "schemas" / "plan.schema.json").read_text(encoding="utf-8")))
    [etape] = donnees["etapes"]
    assert etape["changement"] == {"champ": "donnees.categories", "avant": ["internes", "personnelles"], "apres": ["internes"]}
    r = runner.invoke(app, [*args, "-f", "markdown"])
    assert "(`donnees.categories` : internes, personnelles → internes ;" in r.stdout


def test_cli_plan_codes_de_sortie():
    runner = CliRunner()
    r = runner.invoke(app, ["plan", str(EXEMPLES / "tri-candidatures-rh.yaml"), "--date", "2026-11-30", "--sans-config"])
    assert r.exit_code == 1 and "Cible hors d'atteinte" in r.stdout and "R12" in r.stdout
    r = runner.invoke(app, ["plan", str(EXEMPLES / "tri-candidatures-rh.yaml"), "--cible", "nulle", "--sans-config"])
    assert r.exit_code == 2 and "cible « nulle » inconnue" in r.stderr
    r = runner.invoke(app, ["plan", str(EXEMPLES / "tri-candidatures-rh.yaml"), "--seuil", "faible", "--sans-config"])
    assert r.exit_code == 2 and "préciser --cible" in r.stderr


def test_cli_plan_markdown():
    runner = CliRunner()
    r = runner.invoke(app, ["plan", str(EXEMPLES / "chatbot-usagers-hors-ue.yaml"), "--date", "2026-11-30", "--sans-config",
                            "-f", "markdown"])
    assert r.exit_code == 0
    lignes = [x for x in r.stdout.splitlines() if x.startswith("| ") and x[2].isdigit()]
    assert len(lignes) == 9 and lignes[-1].endswith("| Modéré | R04 → Modéré, R03 → Modéré, R05 → Modéré, R10 → Faible |")
    assert "2 plans équivalents" in r.stdout


def test_evaluer_finit_par_le_plan(tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["evaluer", str(EXEMPLES / "tri-candidatures-rh.yaml"), "--date", "2026-11-30", "--sans-config",
                            "-f", "markdown"])
    assert "**Sous le seuil : « Modéré » hors d'atteinte : crédit borné : R12 ne descend pas sous « Élevé »" in r.stdout
    r = runner.invoke(app, ["evaluer", str(EXEMPLES / "assistant-documentaire-rag.yaml"), "--date", "2026-11-30",
                            "--sans-config", "--seuil", "modéré", "-f", "markdown"])
    assert "**Sous le seuil : plan le plus court vers « Faible » : 2 étapes : M08, M03 (iag plan)**" in r.stdout


# --- --ecrire ---------------------------------------------------------------------------------

AVEC_COMMENTAIRES = (EXEMPLES / "assistant-documentaire-rag.yaml").read_text(encoding="utf-8").replace(
    "hebergement: ", "# contrat 2025-14\nhebergement: ", 1)


def test_ecrire_garde_chaque_ligne(tmp_path):
    chemin = _ecrire(tmp_path, AVEC_COMMENTAIRES)
    avant = chemin.read_text(encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["plan", str(chemin), "--cible", "faible", "--date", "2026-11-30", "--sans-config",
                            "--ecrire", "--responsable", "DSI", "--echeance", "2027-02-01"])
    assert r.exit_code == 0, r.stderr
    apres = chemin.read_text(encoding="utf-8")
    assert apres.startswith(avant)  # rien d'autre n'a bougé
    ajout = apres[len(avant):]
    assert ajout == ('mesures_prevues:\n  - {id: M08, echeance: 2027-02-01, responsable: "DSI"}\n'
                     '  - {id: M03, echeance: 2027-02-01, responsable: "DSI"}\n')
    # le fichier modifié se relit : les mesures prévues font descendre le verdict à « faible »
    r = runner.invoke(app, ["evaluer", str(chemin), "--date", "2026-11-30", "--sans-config", "-f", "json"])
    assert json.loads(r.stdout)["cas"][0]["verdict_apres_prevues"] == "faible"


def test_ecrire_allonge_une_liste_existante(tmp_path):
    texte = CAS_PREVU + "mesures_prevues:\n  # engagée en comité\n  - id: MA\n    echeance: 2027-01-01\n# fin\n"
    chemin = _ecrire(tmp_path, texte)
    doc = lire_document(str(chemin))
    nouveau = inserer_prevues(doc, ["MB"], dt.date(2027, 2, 1), None).decode("utf-8")
    assert nouveau == CAS_PREVU + ("mesures_prevues:\n  # engagée en comité\n  - id: MA\n    echeance: 2027-01-01\n"
                                   "  - {id: MB, echeance: 2027-02-01}\n# fin\n")


def test_ecrire_refuse_une_liste_en_flux(tmp_path):
    chemin = _ecrire(tmp_path, CAS_PREVU + "mesures_prevues: [{id: MA, echeance: 2027-01-01}]\n")
    with pytest.raises(InsertionImpossible) as e:
        inserer_prevues(lire_document(str(chemin)), ["MB"], dt.date(2027, 2, 1), None)
    assert "style flux" in str(e.value.diagnostics[0])


def test_ecrire_refuse_un_fichier_modifie_entre_temps(tmp_path, monkeypatch):
    chemin = _ecrire(tmp_path, AVEC_COMMENTAIRES)
    from iagcli.moteur import plan as module_plan

    vrai = module_plan.planifier

    def planifier_puis_modifier(*args, **kwargs):
        resultat = vrai(*args, **kwargs)
        chemin.write_text(AVEC_COMMENTAIRES + "# modifié par quelqu'un d'autre\n", encoding="utf-8")
        return resultat

    monkeypatch.setattr(module_plan, "planifier", planifier_puis_modifier)
    r = CliRunner().invoke(app, ["plan", str(chemin), "--cible", "faible", "--date", "2026-11-30", "--sans-config", "--ecrire"])
    assert r.exit_code == 2 and "a changé depuis sa lecture" in r.stderr
    assert chemin.read_text(encoding="utf-8") == AVEC_COMMENTAIRES + "# modifié par quelqu'un d'autre\n"
    assert hashlib.sha256(chemin.read_bytes()).hexdigest()


@pytest.mark.parametrize("nom", sorted(p.name for p in EXEMPLES.glob("*.yaml")))
def test_propriete_sur_les_exemples(ref_defaut, nom):
    """Sur chaque exemple et chaque cible, aux deux dates : le plan appliqué puis réévalué donne
    exactement le niveau annoncé, et la dernière étape l'annonce aussi."""
    cas = _cas(ref_defaut, nom)
    for date in (JOUR, dt.date(2027, 12, 2)):
        for cible in ("faible", "modéré", "élevé"):
            plan = planifier(cas, ref_defaut, cible, date)
            final = evaluer(appliquer(cas, ref_defaut, [p.id for p in plan.pas]), ref_defaut, date).verdict
            assert final == plan.niveau_final
            assert plan.atteint == (ref_defaut.rang[final] <= ref_defaut.rang[cible])
            if plan.pas:
                assert plan.pas[-1].verdict == final
            assert plan.borne is None


# --- --ecrire : corpus des dispositions (issue 24, points 4 et 5) ----------------------------------
# Chaque disposition : --ecrire réussit et le fichier relu contient exactement les données d'avant
# plus M08 et M03, chaque ligne d'origine gardée dans l'ordre (sauf une valeur vide `[]`, `~`
# retirée), dans l'encodage d'origine ; ou il refuse (code 2), fichier intact octet pour octet.
# Jamais « ajoutées » avec un fichier invalide ou changé. Les dispositions 6, 7, 9, 14 et 16
# abîmaient le fichier (ou perdaient les mesures dans un texte) ; 21 et 22 finissaient en erreur interne.

BASE_RAG = (EXEMPLES / "assistant-documentaire-rag.yaml").read_text(encoding="utf-8")
PREVUE = "mesures_prevues:\n  - id: M22\n    echeance: 2027-01-01\n"
DISPOSITIONS = {
    "01-cle-absente": BASE_RAG,
    "02-sans-fin-de-ligne": BASE_RAG.rstrip("\n"),
    "03-crlf": BASE_RAG.replace("\n", "\r\n"),
    "04-bom-utf8": "\ufeff" + BASE_RAG,
    "05-debut-de-document": "---\n" + BASE_RAG,
    "06-fin-de-document": BASE_RAG + "...\n",
    "07-racine-indentee": "".join("  " + ligne for ligne in BASE_RAG.splitlines(keepends=True)),
    "08-vide-et-commentaire": BASE_RAG + "mesures_prevues: []  # à compléter\n",
    "09-crochets-ligne-suivante": BASE_RAG + "mesures_prevues:\n  []\n",
    "10-nulle": BASE_RAG + "mesures_prevues:\n",
    "10b-tilde": BASE_RAG + "mesures_prevues: ~\n",
    "11-commentaire-interne": BASE_RAG + "mesures_prevues:\n  # engagée en comité\n  - id: M22\n    echeance: 2027-01-01\n# fin\n",
    "12-tirets-non-indentes": BASE_RAG + "mesures_prevues:\n- id: M22\n  echeance: 2027-01-01\n",
    "13-elements-en-flux": BASE_RAG + "mesures_prevues:\n  - {id: M22, echeance: 2027-01-01}\n",
    "14-plie": BASE_RAG + PREVUE + "    responsable: >-\n      DSI et\n      DPO\n",
    "15-litteral": BASE_RAG + PREVUE + "    responsable: |\n      DSI\n\n",
    "16-guillemets-doubles-deux-lignes": BASE_RAG + PREVUE + '    responsable: "DSI et\n      DPO"\n',
    "17-guillemets-simples-deux-lignes": BASE_RAG + PREVUE + "    responsable: 'DSI et\n      DPO'\n",
    "18-texte-simple-continue": BASE_RAG + PREVUE + "    responsable: DSI et\n      DPO\n",
    "19-au-milieu": BASE_RAG.replace("destinataires:", PREVUE + "    responsable: >-\n      DSI\n# suite\ndestinataires:", 1),
    "20-flux-non-vide": BASE_RAG + "mesures_prevues: [{id: M22, echeance: 2027-01-01}]\n",
    "21-utf16-le": BASE_RAG,
    "22-utf16-be": BASE_RAG,
    "23-liste-puis-fin-de-document": BASE_RAG + PREVUE + "...\n",
    "24-racine-indentee-avec-liste": "".join("  " + ligne for ligne in (BASE_RAG + PREVUE).splitlines(keepends=True)),
}
REFUSEES = {"20-flux-non-vide"}
INVALIDES = {"10-nulle", "10b-tilde"}  # une liste est attendue : fichier de cas invalide, code 3, rien n'est écrit
VALEUR_RETIREE = {"08-vide-et-commentaire", "09-crochets-ligne-suivante", "10b-tilde"}


def _octets(nom, texte):
    if nom == "21-utf16-le":
        return b"\xff\xfe" + texte.encode("utf-16-le")
    if nom == "22-utf16-be":
        return b"\xfe\xff" + texte.encode("utf-16-be")
    return texte.encode("utf-8")


def _lignes(octets):
    from iagcli.es.chargeur import decoder

    return decoder(octets, "x").splitlines()


@pytest.mark.parametrize("nom", sorted(DISPOSITIONS))
def test_ecrire_corpus_de_dispositions(tmp_path, nom):
    chemin = tmp_path / "cas.yaml"
    avant = _octets(nom, DISPOSITIONS[nom])
    chemin.write_bytes(avant)
    donnees = lire_document(str(chemin)).donnees
    r = CliRunner().invoke(app, ["plan", str(chemin), "--cible", "faible", "--date", "2026-11-30", "--sans-config",
                                 "--ecrire", "--responsable", "DSI", "--echeance", "2027-02-01"])
    if nom in REFUSEES | INVALIDES:
        assert (r.exit_code, "style flux" in r.stderr) == ((2, True) if nom in REFUSEES else (3, False))
        assert chemin.read_bytes() == avant
        return
    assert r.exit_code == 0, r.stderr
    assert r.stderr.endswith("mesures prévues ajoutées : M08, M03\n")
    apres = chemin.read_bytes()
    ajout = [{"id": m, "echeance": "2027-02-01", "responsable": "DSI"} for m in ("M08", "M03")]
    assert lire_document(str(chemin)).donnees == {**donnees, "mesures_prevues": list(donnees.get("mesures_prevues") or []) + ajout}
    assert apres[:3] == avant[:3]  # même encodage, BOM compris
    # chaque ligne d'origine est gardée, dans l'ordre (la valeur vide retirée mise à part)
    nouvelles = iter(_lignes(apres))
    for ligne in _lignes(avant):
        if nom in VALEUR_RETIREE and ("[]" in ligne or "~" in ligne):
            continue
        assert any(ligne == n for n in nouvelles), ligne
    assert list(tmp_path.iterdir()) == [chemin]


def test_ecrire_guillemets_sur_deux_lignes_sans_perte(tmp_path):
    """Les mesures ajoutées étaient avalées dans le texte entre guillemets : fichier valide, mesures perdues."""
    chemin = tmp_path / "cas.yaml"
    chemin.write_text(DISPOSITIONS["16-guillemets-doubles-deux-lignes"], encoding="utf-8")
    r = CliRunner().invoke(app, ["plan", str(chemin), "--cible", "faible", "--date", "2026-11-30", "--sans-config", "--ecrire"])
    assert r.exit_code == 0, r.stderr
    prevues = lire_document(str(chemin)).donnees["mesures_prevues"]
    assert [p["id"] for p in prevues] == ["M22", "M08", "M03"]
    assert prevues[0]["responsable"] == "DSI et DPO"


def test_ecrire_refuse_sans_toucher_si_la_relecture_differe(tmp_path, monkeypatch):
    """Une insertion qui produirait un YAML valide mais d'autres données (simulée : une valeur
    changée ailleurs) est refusée par la relecture : code 2, fichier intact, aucun temporaire."""
    from iagcli.moteur import insertion

    chemin = tmp_path / "cas.yaml"
    chemin.write_text(BASE_RAG, encoding="utf-8")
    avant = chemin.read_bytes()
    vrai = insertion.encoder
    monkeypatch.setattr(insertion, "encoder", lambda texte, forme: vrai(texte.replace("statut: expérimentation", "statut: production"), forme))
    r = CliRunner().invoke(app, ["plan", str(chemin), "--cible", "faible", "--date", "2026-11-30", "--sans-config", "--ecrire"])
    assert r.exit_code == 2
    assert "--ecrire n'a pas pu ajouter les mesures sans rien changer d'autre : le résultat relu ne contiendrait pas " \
           "exactement les données voulues" in r.stderr
    assert ("fichier laissé intact ; ajoutez-les à la main sous mesures_prevues : - {id: M08, echeance: 2027-04-01} ; "
            "- {id: M03, echeance: 2027-04-01}\n") in r.stderr
    assert chemin.read_bytes() == avant
    assert list(tmp_path.iterdir()) == [chemin]


def test_relecture_reutilisable():
    """es.reecriture.relire : la vérification de tout écrivain du fichier d'un utilisateur."""
    from iagcli.es.reecriture import relire

    assert relire(b"a: 1\n", "f.yaml", {"a": "1"}) is None
    assert relire(b"a: 1\n", "f.yaml", {"a": "2"}) == \
        "le résultat relu ne contiendrait pas exactement les données voulues (d'autres valeurs auraient changé)"
    assert relire(b"a: [\n", "f.yaml", {"a": []}).startswith("le résultat ne se relirait pas (ligne 2) : ")
# --- Bornes de la recherche, mesures démenties, ordre et niveau final (issue 26) ---------------


def test_borne_des_evaluations_atteinte(ref_defaut, monkeypatch):
    from iagcli.moteur import plan as module_plan

    monkeypatch.setattr(module_plan, "EVALUATIONS_MAX", 1)
    plan = planifier(_cas(ref_defaut, "chatbot-usagers-hors-ue.yaml"), ref_defaut, "modéré", JOUR)
    assert (plan.atteint, plan.verdict_initial, plan.niveau_final, plan.pas, plan.equivalents, plan.obstacles) == (
        False, "critique", "critique", (), 0, ())
    assert plan.borne == "recherche arrêtée après 1 évaluations" and plan.cible == "modéré"
    assert plan.evaluations == 2


def test_borne_des_combinaisons_atteinte(ref_defaut, monkeypatch):
    from iagcli.moteur import plan as module_plan

    monkeypatch.setattr(module_plan, "NOEUDS_MAX", 3)
    plan = planifier(_cas(ref_defaut, "chatbot-usagers-hors-ue.yaml"), ref_defaut, "modéré", JOUR)
    assert (plan.atteint, plan.niveau_final, plan.pas) == (False, "critique", ())
    assert plan.borne == "recherche arrêtée après 3 combinaisons de mesures"


def test_sans_borne_la_recherche_le_dit(ref_defaut):
    plan = planifier(_cas(ref_defaut, "chatbot-usagers-hors-ue.yaml"), ref_defaut, "modéré", JOUR)
    assert plan.borne is None
    # M06 plutôt que M05 depuis le crédit selon la nature des mesures (issue 21)
    assert plan.mesures == ("M12", "M08", "M22", "M16", "M06", "M02")
    assert plan.leviers == ("L05", "L03", "L01")


MESURE_DEMENTIE = """
  - id: M0
    titre: Hébergement déclaré
    nature: préventive
    description: Héberger dans l'UE.
    preuves: [contrat]
    effets:
      - {risque: T2, probabilite: -2}
    contredite_si:
      - si: {champ: hebergement, egal: hors_ue}
        raison: hébergement hors UE déclaré
    sources: [test]
regles_juridiques:
"""


@pytest.fixture(scope="module" if PORTEE_REFERENTIEL == "session" else PORTEE_REFERENTIEL)
def ref_dementie(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("dementie")
    shutil.copy(MINI / "recommandations.yaml", dossier / "recommandations.yaml")
    texte = (MINI / "risques.yaml").read_text(encoding="utf-8").replace("regles_juridiques:\n", MESURE_DEMENTIE, 1)
    (dossier / "risques.yaml").write_text(texte, encoding="utf-8")
    return charger(dossier)


def test_mesure_candidate_dementie_par_les_reponses(ref_dementie, cas):
    # T2 : P2 +2 (hors UE) G3 -> critique. M0 (P-2) suffirait et vient avant MB, mais le cas la dément :
    # le plan prend MB (P-2 G-1 : P2 G2 -> modéré).
    c = cas(hebergement="hors_ue", donnees={"categories": ["personnelles"], "volume": "limité"}, revue_humaine="systématique",
            destinataires="agent_seul", fonctionnalites_sensibles=[], decision_individuelle={"type": "aucune"})
    assert evaluer(c, ref_dementie, JOUR).verdict == "critique"
    plan = planifier(c, ref_dementie, "élevé", JOUR)
    assert plan.atteint and plan.niveau_final == "modéré"
    assert [(p.genre, p.id, p.verdict, [(b.risque, b.avant, b.apres) for b in p.baisses]) for p in plan.pas] == [
        ("mesure", "MB", "modéré", [("T2", "critique", "modéré")])]
    assert plan.equivalents == 1
    # hébergé dans l'UE : T2 P2 G3 (élevé) ; M0 n'est plus démentie, P0 borné à 1 -> modéré ; MB aussi (égalité)
    c_ue = cas(hebergement="ue", donnees={"categories": ["personnelles"], "volume": "limité"}, revue_humaine="systématique",
               destinataires="agent_seul", fonctionnalites_sensibles=[], decision_individuelle={"type": "aucune"})
    plan = planifier(c_ue, ref_dementie, "modéré", JOUR)
    assert [p.id for p in plan.pas] == ["M0"] and plan.equivalents == 2 and plan.niveau_final == "modéré"


def test_obstacles_plancher_juridique_apres_des_regles_hors_vigueur_et_credit_borne(ref_trace, cas):
    # Référentiel d'épreuve (conftest) : T3 P4 G4 (critique) ; MF démentie (entraînement inconnu) ;
    # MC + MD : P-3 plafonné à -2, puis plancher P3 : T3 ne descend pas sous « élevé ». JF (à venir)
    # et JE (échue) précèdent JO (en vigueur, minimum « élevé ») : seule JO fait obstacle.
    c = cas_epreuve(cas, hebergement="inconnu", reutilisation_entrainement="inconnu", nombre_utilisateurs="plus_de_1000",
                    decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"})
    plan = planifier(c, ref_trace, "modéré", JOUR)
    assert (plan.atteint, plan.verdict_initial, plan.niveau_final) == (False, "critique", "élevé")
    assert [(o.genre, o.id, o.niveau, o.detail) for o in plan.obstacles] == [
        ("plancher_juridique", "JO", "élevé", "Haut risque"),
        ("credit_borne", "T3", "élevé", "crédit des mesures plafonné à 2 paliers par dimension ; plancher du risque"),
    ]
    assert [phrase_obstacle(o, ref_trace) for o in plan.obstacles] == [
        "plancher juridique : la règle JO (Haut risque) impose au moins « Élevé »",
        "crédit borné : T3 ne descend pas sous « Élevé » (crédit des mesures plafonné à 2 paliers par dimension ; plancher du risque)",
    ]
    # le meilleur niveau atteignable, « élevé », et son plan le plus court : MD seule (P3 G3)
    assert [(p.genre, p.id, p.verdict, [(b.risque, b.avant, b.apres) for b in p.baisses]) for p in plan.pas] == [
        ("mesure", "MD", "élevé", [("T3", "critique", "élevé")])]
    assert plan.equivalents == 1 and plan.borne is None


def test_obstacle_credit_borne_sans_etape_possible(ref_trace, cas):
    # T3 P3 G4 (critique) ; MC et MF en place : P1 G2, relevé par le plancher à P3 G2 (élevé) ; MD
    # n'y change rien (P-3 plafonné à -2) : aucune étape, « élevé » au mieux.
    c = cas_epreuve(cas, hebergement="collectivité", nombre_utilisateurs="plus_de_1000", mesures_en_place=["MC", "MF"])
    plan = planifier(c, ref_trace, "modéré", JOUR)
    assert (plan.atteint, plan.verdict_initial, plan.niveau_final, plan.pas, plan.equivalents) == (False, "élevé", "élevé", (), 1)
    assert [(o.genre, o.id, o.niveau, o.detail) for o in plan.obstacles] == [
        ("credit_borne", "T3", "élevé", "crédit des mesures plafonné à 2 paliers par dimension ; plancher du risque")]


def test_phrase_d_une_interdiction():
    ref = charger(MINI)
    from iagcli.moteur.plan import Obstacle

    assert phrase_obstacle(Obstacle("interdiction", "JI", "interdit", "Notation sociale"), ref) == (
        "pratique interdite en vigueur : JI (Notation sociale)")


def test_cible_par_defaut_sous_interdit_et_sous_critique(ref_mini):
    assert cible_par_defaut(ref_mini, "interdit") == "critique"
    assert cible_par_defaut(ref_mini, "critique") == "élevé"
    assert cible_par_defaut(ref_mini, "modéré") == "faible"


def _cas_plan(cas, **modifs):
    """Toutes les réponses lues par le référentiel minimal, données explicitement."""
    reponses_ = dict(revue_humaine="aucune", destinataires="usagers", hebergement="hors_ue", fonctionnalites_sensibles=[],
                     donnees={"categories": ["personnelles"], "volume": "limité"}, decision_individuelle={"type": "aucune"})
    reponses_.update(modifs)
    return cas(**reponses_)


def test_une_mesure_qui_couvre_deux_risques_bloquants(ref_mini, cas):
    # T1 P4 G2 (élevé) demande MA et MB ; T2 P4 G3 (critique) demande MB, déjà dans l'ensemble de T1.
    plan = planifier(_cas_plan(cas), ref_mini, "modéré", JOUR)
    assert (plan.atteint, plan.verdict_initial, plan.niveau_final, plan.equivalents) == (True, "critique", "modéré", 1)
    assert [(p.genre, p.id, p.verdict, [(b.risque, b.avant, b.apres) for b in p.baisses]) for p in plan.pas] == [
        ("mesure", "MB", "élevé", [("T2", "critique", "modéré")]),
        ("mesure", "MA", "modéré", [("T1", "élevé", "modéré")]),
    ]
    assert plan.evaluations == 4


def test_hors_d_atteinte_compte_ses_evaluations(ref_mini, cas):
    plan = planifier(_cas_plan(cas), ref_mini, "faible", JOUR)
    assert (plan.atteint, plan.niveau_final, [p.id for p in plan.pas]) == (False, "modéré", ["MB", "MA"])
    assert [(o.genre, o.id, o.niveau, o.detail) for o in plan.obstacles] == [
        ("credit_borne", "T2", "modéré", "aucune mesure disponible ne le baisse davantage"),
        ("credit_borne", "T1", "modéré", "aucune mesure disponible ne le baisse davantage"),
    ]
    # essai sans levier (1), explication avec toutes les candidates (1), ordre : deux essais puis un (3) ;
    # la recherche vers « modéré » réutilise l'essai sans levier
    assert plan.evaluations == 5
    assert plan.equivalents == 1


def test_hors_d_atteinte_borne_des_combinaisons_au_noeud_pres(ref_mini, cas, monkeypatch):
    # Vers « faible » puis, hors d'atteinte, vers « modéré » seulement (au-dessus de la cible, sous le
    # verdict initial : « élevé » n'est essayé que si « modéré » échoue) : 10 combinaisons.
    from iagcli.moteur import plan as module_plan

    monkeypatch.setattr(module_plan, "NOEUDS_MAX", 10)
    assert planifier(_cas_plan(cas), ref_mini, "faible", JOUR).borne is None
    monkeypatch.setattr(module_plan, "NOEUDS_MAX", 9)
    assert planifier(_cas_plan(cas), ref_mini, "faible", JOUR).borne == "recherche arrêtée après 9 combinaisons de mesures"


def test_deja_a_la_cible_sans_recherche(ref_mini, cas):
    plan = planifier(_cas_plan(cas, revue_humaine="systématique", destinataires="agent_seul", hebergement="ue",
                               donnees={"categories": ["publiques"], "volume": "limité"}), ref_mini, "faible", JOUR)
    assert (plan.cible, plan.verdict_initial, plan.atteint, plan.niveau_final, plan.pas, plan.equivalents) == ("faible", "faible", True, "faible", (), 1)
    assert plan.evaluations == 0


def test_plans_equivalents_comptes_jusqu_a_la_borne(ref_defaut, monkeypatch):
    from iagcli.moteur import plan as module_plan

    monkeypatch.setattr(module_plan, "PLANS_COMPTES_MAX", 1)
    plan = planifier(_cas(ref_defaut, "assistant-documentaire-rag.yaml"), ref_defaut, "faible", JOUR)
    assert _etapes(plan) == [("M08", "modéré"), ("M03", "faible")]
    assert plan.equivalents == 1  # deux sans la borne (test_assistant_documentaire_vers_faible)


def test_levier_sur_une_reponse_simple(ref_plan, cas):
    # T1 P4 G2 (élevé) : trois mesures (MA, MB, MC) ou un levier (relire tout : P2 G1, faible)
    c = _cas_plan(cas, donnees={"categories": ["publiques"], "volume": "limité"})
    plan = planifier(c, ref_plan, "faible", JOUR)
    assert [(p.genre, p.id, p.titre, p.cout, p.changement, p.verdict) for p in plan.pas] == [
        ("levier", "LR", "Relire tout", "temps", ("revue_humaine", "aucune", "systématique"), "faible")]
    assert plan.leviers == ("LR",) and plan.mesures == ()
    assert [(b.risque, b.avant, b.apres) for b in plan.pas[0].baisses] == [("T1", "élevé", "faible")]
    # essais : sans levier, LH, LR (LP n'est pas possible : aucune donnée personnelle) ; ordre : un essai
    assert plan.evaluations == 4


def test_borne_des_combinaisons_au_noeud_pres(ref_plan, cas, monkeypatch):
    # T1 élevé, T2 critique ; trois leviers possibles : la recherche vers « modéré » visite exactement
    # 36 combinaisons de mesures, en réutilisant les ensembles suffisants d'un risque d'un essai de
    # leviers à l'autre quand ses réponses n'ont pas changé (sans cela : 56).
    from iagcli.moteur import plan as module_plan

    c = _cas_plan(cas, donnees={"categories": ["personnelles", "sensibles"], "volume": "important"})
    monkeypatch.setattr(module_plan, "NOEUDS_MAX", 36)
    plan = planifier(c, ref_plan, "modéré", JOUR)
    assert (plan.borne, _etapes(plan), plan.evaluations) == (None, [("MB", "élevé"), ("ME", "modéré")], 10)
    monkeypatch.setattr(module_plan, "NOEUDS_MAX", 35)
    plan = planifier(c, ref_plan, "modéré", JOUR)
    assert (plan.borne, plan.pas, plan.niveau_final) == ("recherche arrêtée après 35 combinaisons de mesures", (), "critique")


def test_levier_possible_sur_une_reponse_simple_et_sur_une_liste(ref_plan, cas):
    lh, lp = ref_plan.leviers["LH"], ref_plan.leviers["LP"]
    assert [levier_possible(_cas_plan(cas, hebergement=h), lh) for h in ("hors_ue", "inconnu", "ue")] == [True, True, False]
    lire = [levier_possible(_cas_plan(cas, donnees={"categories": cats, "volume": "limité"}), lp)
            for cats in (["personnelles"], ["publiques", "personnelles"], ["publiques"])]
    assert lire == [True, True, False]


def test_appliquer_un_levier_de_liste_et_des_mesures(ref_plan, cas):
    c = _cas_plan(cas, donnees={"categories": ["personnelles", "internes", "publiques"], "volume": "limité"}, mesures_en_place=["MA"])
    apres = appliquer(c, ref_plan, ["LP", "MA", "MB", "inconnue"])
    # « personnelles » devient « internes », déjà présente : une seule fois, à la place de la première
    assert [m.value for m in apres.donnees.categories] == ["internes", "publiques"]
    assert apres.mesures_en_place == ["MA", "MB"]
    assert c.mesures_en_place == ["MA"] and [m.value for m in c.donnees.categories] == ["personnelles", "internes", "publiques"]


def test_obstacle_d_interdiction_et_sa_raison(ref_mini, cas):
    plan = planifier(_cas_plan(cas, fonctionnalites_sensibles=["notation_sociale"]), ref_mini, "élevé", JOUR)
    assert (plan.atteint, plan.niveau_final, plan.pas, plan.equivalents) == (False, "interdit", (), 1)
    assert [(o.genre, o.id, o.niveau, o.detail) for o in plan.obstacles] == [("interdiction", "JI", "interdit", "Notation sociale")]


LEVIER_VOLUME = (
    "  - {id: LV, titre: Réduire le volume, champ: donnees.volume, de: [important, grande_échelle], vers: limité, cout: moins de dossiers, sources: [test]}\n"
    "  - {id: LX, titre: Cantonner l'outil, champ: decision_individuelle.type, de: [aide_à_la_décision, décision_automatisée],"
    " vers: étape_administrative, cout: une instruction sans l'outil, sources: [test]}\n"
)


@pytest.fixture(scope="module" if PORTEE_REFERENTIEL == "session" else PORTEE_REFERENTIEL)
def ref_plan_volume(tmp_path_factory):
    return charger(_mini_avec(tmp_path_factory.mktemp("plan-volume"), LEVIERS + LEVIER_VOLUME))


def _cas_t2(cas, **modifs):
    # T2 P4 (hors UE) G4 (sensibles en nombre) ; T1 P2 G1 (relue, agent seul), faible avec toute mesure
    return _cas_plan(cas, revue_humaine="systématique", destinataires="agent_seul",
                     donnees={"categories": ["personnelles", "sensibles"], "volume": "important"}, **modifs)


def test_deux_leviers_seuls_equivalents(ref_plan_volume, cas):
    # MB, MD, ME en place : T2 P4 G4 -> P2 G2 (modéré), plus aucune mesure pour T2. Vers « faible » :
    # héberger dans l'UE (P2 G4 -> P1 G2) ou réduire le volume (P4 G3 -> P2 G1), chacun seul.
    plan = planifier(_cas_t2(cas, mesures_en_place=["MB", "MD", "ME"]), ref_plan_volume, "faible", JOUR)
    assert [(p.genre, p.id, p.changement, p.verdict) for p in plan.pas] == [("levier", "LH", ("hebergement", "hors_ue", "ue"), "faible")]
    assert (plan.atteint, plan.equivalents) == (True, 2)


def test_deux_plans_d_un_levier_et_une_mesure(ref_plan_volume, cas):
    # ME en place : T2 P4 G3 (critique) ; les mesures seules plafonnent à P2 G2. Un levier et MB :
    # UE (P2 G3 -> P1 G2) ou volume réduit (P4 G2 -> P2 G1) : deux plans de deux étapes.
    plan = planifier(_cas_t2(cas, mesures_en_place=["ME"]), ref_plan_volume, "faible", JOUR)
    assert sorted(p.id for p in plan.pas) == ["LH", "MB"]
    assert [(p.id, p.verdict) for p in plan.pas] == [("MB", "modéré"), ("LH", "faible")]
    assert (plan.atteint, plan.equivalents, plan.niveau_final) == (True, 2, "faible")


def test_regle_qui_bloque_sans_levier_puis_levier_qui_la_leve(ref_plan_volume, cas):
    # JO (aide à la décision sur les aides sociales) impose « élevé » : sans levier, aucune mesure n'y
    # peut rien ; la recherche continue avec les leviers, et cantonner l'outil lève la règle.
    c = _cas_plan(cas, revue_humaine="systématique", destinataires="agent_seul", donnees={"categories": ["publiques"], "volume": "limité"},
                  decision_individuelle={"type": "aide_à_la_décision", "domaine": "aides_sociales"})
    assert (evaluer(c, ref_plan_volume, JOUR).verdict, evaluer(c, ref_plan_volume, JOUR).motif) == ("élevé", "niveau minimum imposé par la règle JO")
    plan = planifier(c, ref_plan_volume, "modéré", JOUR)
    assert (plan.atteint, plan.niveau_final, plan.obstacles) == (True, "faible", ())
    assert [(p.genre, p.id, p.changement, p.verdict) for p in plan.pas] == [
        ("levier", "LX", ("decision_individuelle.type", "aide_à_la_décision", "étape_administrative"), "faible")]


def test_meilleur_niveau_cherche_au_dessus_de_la_cible_seulement(ref_mini, cas, monkeypatch):
    # T2 P4 G4 (critique) ; MB seule : P2 G3 (élevé), « modéré » hors d'atteinte. Vers « modéré », puis
    # « élevé » : 4 combinaisons ; aucun niveau sous la cible n'est cherché.
    from iagcli.moteur import plan as module_plan

    c = _cas_plan(cas, revue_humaine="systématique", destinataires="agent_seul", donnees={"categories": ["sensibles"], "volume": "important"})
    monkeypatch.setattr(module_plan, "NOEUDS_MAX", 4)
    plan = planifier(c, ref_mini, "modéré", JOUR)
    assert (plan.atteint, plan.verdict_initial, plan.niveau_final, _etapes(plan), plan.borne) == (False, "critique", "élevé", [("MB", "élevé")], None)
    assert [(o.genre, o.id, o.niveau) for o in plan.obstacles] == [("credit_borne", "T2", "élevé")]
    monkeypatch.setattr(module_plan, "NOEUDS_MAX", 3)
    assert planifier(c, ref_mini, "modéré", JOUR).borne == "recherche arrêtée après 3 combinaisons de mesures"
