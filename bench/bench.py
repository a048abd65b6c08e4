#!/usr/bin/env python3
"""Banc de mesure d'iag (issue 6) : temps de bout en bout et mémoire de pointe, rejouable.

Une exécution, sur la machine courante :

1. crée (ou réutilise) un environnement isolé `bench/out/venv` où iag est installé depuis le
   dépôt (installation normale, pas éditable) avec `check-jsonschema` (version épinglée) ;
2. génère des cas d'usage valides, variés, à graine fixe : les exemples de `exemples/` servent de
   modèles, les réponses fermées sont tirées des énumérations du schéma JSON
   (`schemas/cas-usage.schema.json`), les mesures des identifiants du référentiel ; chaque lot
   contient aussi les exemples fournis, et il est validé une fois par `iag valider` ;
3. mesure chaque commande (processus entier) : une exécution de chauffe, puis `--runs`
   exécutions entrelacées (une de chaque commande par tour) ; temps mural médian
   (`time.perf_counter` autour du lancement et de `os.wait4`), temps CPU (`wait4`), mémoire de
   pointe (ru_maxrss relevé par GNU time `-f %M`, voir `lancer`) ;
4. affiche le tableau, les rapports iag / check-jsonschema et iag / python, les cibles de
   l'issue 6, et écrit le tout avec la description de la machine dans `bench/RESULTS.md`.

    python3 bench/bench.py            # complet : 1 000 et 10 000 cas, 5 tours
    python3 bench/bench.py --quick    # vérification rapide : 100 et 1 000 cas, 3 tours
    python3 bench/bench.py --profil   # à la place : -X importtime et pyinstrument (bench/out/profil/)

Aucune dépendance hors bibliothèque standard pour le lancer : le script se relance lui-même
avec l'interpréteur de l'environnement isolé une fois celui-ci prêt.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ICI = Path(__file__).resolve().parent
DEPOT = ICI.parent
SORTIE = ICI / "out"
VENV = SORTIE / "venv"
VENV_PY = VENV / "bin" / "python"
DONNEES = SORTIE / "donnees"
JOURNAUX = SORTIE / "journaux"
PROFIL = SORTIE / "profil"
# Cache du référentiel du banc : hors du dépôt, qu'iag refuse comme lieu de cache (un cache dans l'arbre
# évalué pourrait y avoir été déposé par l'auteur d'une proposition, issue 24) ; jamais celui de l'utilisateur.
CACHE_BANC = Path(tempfile.gettempdir()) / f"iag-banc-cache-{os.getuid()}"

CHECK_JSONSCHEMA = "check-jsonschema==0.39.0"
PYINSTRUMENT = "pyinstrument==5.1.3"
GRAINE = 20260611
VERSION_GENERATEUR = 2  # à incrémenter si la génération change (invalide les lots en cache)
ESSAIS_MAX = 200  # tirages au plus pour une proposition complète (voir Generateur.ecrire_lot)
SCHEMA = DEPOT / "schemas" / "cas-usage.schema.json"
EXEMPLES = DEPOT / "exemples"
EXEMPLE_UNIQUE = EXEMPLES / "synthese-comptes-rendus.yaml"
# `iag plan` sur le cas le plus coûteux des exemples (critique, neuf étapes, sept plans équivalents),
# comparé à `iag evaluer` sur le même fichier, à la même date (issue 12 : < 0,5 s).
EXEMPLE_PLAN = EXEMPLES / "chatbot-usagers-hors-ue.yaml"
DATE_PLAN = "2026-11-30"
CIBLE_PLAN_SECONDES = 0.5
MARQUE_INTERNE = "IAG_BENCH_DANS_VENV"

MIO = 1024 * 1024

# Cibles de l'issue 6 : (libellé, clé du rapport, maximum)
CIBLES_RAPPORTS = [
    # Issue 11 : au plus 0,8 (cible 0,6, celle de l'issue 6).
    ("iag evaluer, 1 fichier / check-jsonschema, 1 fichier", ("evaluer-1", "cjs-1"), 0.8),
    ("iag evaluer, 1 000 cas / check-jsonschema, 1 000 cas", ("evaluer-1000", "cjs-1000"), 0.6),
    ("iag evaluer, 10 000 cas / check-jsonschema, 10 000 cas", ("evaluer-10000", "cjs-10000"), 0.5),
    ("iag --version / python -c pass", ("version", "python"), 4.0),
    # Issue 13 : la synthèse d'un portefeuille coûte au plus 1,5 fois l'évaluation en JSON du même lot.
    ("iag synthese -f json, 10 000 cas / iag evaluer -f json, 10 000 cas", ("synthese-10000", "evaluer-json-10000"), 1.5),
    ("iag synthese -f json, 1 000 cas / iag evaluer -f json, 1 000 cas", ("synthese-1000", "evaluer-json-1000"), 1.5),
    ("iag --help / python -c pass", ("help", "python"), 8.0),
    # issue 14 : chaque proposition cotée sous deux référentiels, en un seul processus
    ("iag referentiel comparer, 1 000 cas / iag evaluer, 1 000 cas", ("comparer-1000", "evaluer-1000"), 2.5),
    # Issue 11 : le lot en texte, cas au seuil détaillés, contre le JSON complet du même lot.
    ("iag evaluer, 1 000 cas en texte / iag evaluer -f json, 1 000 cas", ("texte-1000", "evaluer-json-1000"), 2.0),
    ("iag evaluer, 1 fichier avec cache / sans cache", ("evaluer-1", "evaluer-1-sans-cache"), 1.0),
]
CIBLE_MEMOIRE = ("pic mémoire, iag evaluer sur 10 000 cas", "evaluer-10000", 150.0)


def journal(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- 1. environnement isolé ----------------------------------------------------------------


def empreinte_depot() -> str:
    """Empreinte de ce qui part dans la roue d'iag : on réinstalle quand elle change."""
    h = hashlib.sha256()
    fichiers = [DEPOT / "pyproject.toml", DEPOT / "README.md"]
    for dossier in ("iagcli", "data"):
        fichiers += sorted(p for p in (DEPOT / dossier).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for p in fichiers:
        if p.exists():
            h.update(str(p.relative_to(DEPOT)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def pip(*args: str) -> None:
    commande = [str(VENV_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args]
    journal("pip install " + " ".join(args))
    subprocess.run(commande, check=True)


def preparer_venv(profil: bool) -> None:
    if not VENV_PY.exists():
        journal(f"création de l'environnement isolé {VENV}")
        base = getattr(sys, "_base_executable", sys.executable)  # pas un venv dans un venv
        subprocess.run([base, "-m", "venv", str(VENV)], check=True)
    marque = VENV / ".bench-installe.json"
    etat = json.loads(marque.read_text()) if marque.exists() else {}
    voulu = {"iag": empreinte_depot(), "cjs": CHECK_JSONSCHEMA, "depot": etat.get("depot")}
    if etat.get("cjs") != voulu["cjs"]:
        pip(CHECK_JSONSCHEMA)
    for _ in range(3):  # le dépôt peut changer pendant l'installation : on recommence
        if etat.get("iag") == voulu["iag"]:
            break
        voulu["depot"] = etat_git()  # l'état du dépôt au moment où on l'installe
        if not any(VENV.glob("lib/python*/site-packages/iagcli")):
            pip(str(DEPOT))
        else:  # même numéro de version : forcer la réinstallation d'iag seul, puis ses dépendances
            pip("--force-reinstall", "--no-deps", str(DEPOT))
            if subprocess.run([str(VENV_PY), "-m", "pip", "check"], capture_output=True).returncode:
                pip(str(DEPOT))
        etat = {**etat, "iag": voulu["iag"]}
        voulu["iag"] = empreinte_depot()
    if profil:
        if etat.get("pyinstrument") != PYINSTRUMENT:
            pip(PYINSTRUMENT)
        voulu["pyinstrument"] = PYINSTRUMENT
    elif "pyinstrument" in etat:
        voulu["pyinstrument"] = etat["pyinstrument"]
    if voulu != etat:
        marque.write_text(json.dumps(voulu))


def etat_git() -> str:
    """Commit du dépôt, plus « modifications locales » si iagcli/, data/ ou pyproject.toml diffèrent."""
    def git(*args):
        r = subprocess.run(["git", "-C", str(DEPOT), *args], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else "?"

    modifies = git("status", "--porcelain", "--", "iagcli", "data", "pyproject.toml")
    return git("rev-parse", "--short", "HEAD") + (" + modifications locales (iagcli/, data/)" if modifies else "")


def installe() -> dict:
    marque = VENV / ".bench-installe.json"
    return json.loads(marque.read_text()) if marque.exists() else {}


def dans_le_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


# --- 2. génération des cas d'usage ----------------------------------------------------------


class Generateur:
    """Cas d'usage valides : un exemple fourni comme modèle, des réponses tirées du schéma."""

    def __init__(self, graine: int):
        import yaml

        self.yaml = yaml
        self.schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        self.defs = self.schema.get("$defs", {})
        self.modeles = []
        for p in sorted(EXEMPLES.glob("*.yaml")):
            donnees = yaml.safe_load(p.read_text(encoding="utf-8"))
            self.modeles.append((p.stem, donnees))
        referentiel = yaml.safe_load((DEPOT / "data" / "risques.yaml").read_text(encoding="utf-8"))
        self.mesures = [m["id"] for m in referentiel["mesures"]]
        self.graine = graine

    def resoudre(self, noeud: dict) -> dict:
        while True:
            if "$ref" in noeud:
                noeud = {**self.defs[noeud["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in noeud.items() if k != "$ref"}}
            elif "anyOf" in noeud:  # Optional[X] : on garde X
                noeud = next(n for n in noeud["anyOf"] if n.get("type") != "null")
            else:
                return noeud

    def varier(self, rng: random.Random, schema: dict, valeur, chemin: str, numero: int):
        """Nouvelle valeur pour `chemin`, tirée du schéma (ou la valeur du modèle, parfois)."""
        s = self.resoudre(schema)
        if "enum" in s:
            return rng.choice(s["enum"]) if valeur is None or rng.random() < 0.6 else valeur
        genre = s.get("type")
        if genre == "object":
            sortie = {}
            valeur = valeur or {}
            requis = set(s.get("required", ()))
            for cle, sous in s.get("properties", {}).items():
                if cle in valeur or cle in requis or rng.random() < 0.5:
                    sortie[cle] = self.varier(rng, sous, valeur.get(cle), f"{chemin}.{cle}".lstrip("."), numero)
            return sortie
        if genre == "array":
            items = self.resoudre(s.get("items", {}))
            minimum = s.get("minItems", 0)
            if chemin == "mesures_en_place":
                return sorted(rng.sample(self.mesures, rng.choice([0, 0, 1, 2, 3, 5])))
            if "enum" in items:
                if valeur is not None and rng.random() < 0.4:
                    return valeur
                if minimum == 0 and rng.random() < (0.85 if chemin == "fonctionnalites_sensibles" else 0.3):
                    return []
                k = rng.randint(max(1, minimum), min(3, len(items["enum"])))
                return rng.sample(items["enum"], k)
            return valeur if valeur is not None else []
        if genre == "string":
            if s.get("format") == "date":
                return (dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))).isoformat()
            texte = str(valeur) if valeur else f"{chemin} {numero}"
            if chemin in ("titre", "description"):
                texte = f"{texte} (variante {numero})"
                if "maxLength" in s:
                    texte = texte[: s["maxLength"]]
            return texte
        return valeur

    def cas(self, numero: int, essai: int = 0) -> dict:
        rng = random.Random(f"{self.graine}-{numero}" + (f"-{essai}" if essai else ""))
        _, modele = self.modeles[numero % len(self.modeles)]
        modele = copy.deepcopy(modele)
        cas = self.varier(rng, self.schema, modele, "", numero)
        # contrainte du modèle pydantic absente du schéma JSON : domaine requis sauf si « aucune »
        decision = cas["decision_individuelle"]
        if decision["type"] == "aucune":
            decision.pop("domaine", None)
        elif not decision.get("domaine"):
            decision["domaine"] = rng.choice(self.resoudre({"$ref": "#/$defs/DomaineDecision"})["enum"])
        return cas

    def ecrire_lot(self, dossier: Path, taille: int) -> None:
        """`taille` fichiers : les exemples fournis, complétés par des cas générés."""
        if dossier.exists():
            shutil.rmtree(dossier)
        dossier.mkdir(parents=True)
        exemples = sorted(EXEMPLES.glob("*.yaml"))[:taille]
        for p in exemples:
            shutil.copyfile(p, dossier / p.name)
        # Une proposition qui arrive en CI a répondu à tout sans se contredire (iag nouveau, puis la
        # porte elle-même) : un tirage qu'iag trouve incomplet (question due sans réponse, réponses
        # contradictoires) est retiré et remplacé par le suivant. Tirer les réponses une à une au hasard
        # en contredit beaucoup ; sans ce tri, le lot mesurait surtout le détail des cas incomplets.
        from iagcli.controleur import evaluer_fichier
        from iagcli.moteur.referentiel import charger

        ref = charger(cache=False)
        tirages = 0
        for numero in range(1, taille - len(exemples) + 1):
            cible = dossier / f"proposition-{numero:05d}.yaml"
            for essai in range(ESSAIS_MAX):
                tirages += 1
                texte = self.yaml.safe_dump(self.cas(numero, essai), allow_unicode=True, sort_keys=False, width=100)
                cible.write_text(texte, encoding="utf-8")
                r = evaluer_fichier(str(cible), ref)
                if r.evaluation is not None and not r.evaluation.incomplet:
                    break
            else:
                raise SystemExit(f"{cible} : aucun tirage complet en {ESSAIS_MAX} essais (générateur à revoir)")
        journal(f"{taille - len(exemples)} cas générés, {tirages} tirages (les incomplets sont retirés)")


def preparer_lots(tailles: list[int]) -> dict[int, Path]:
    """Lots en cache dans bench/out/donnees/n<taille>, régénérés si la recette change."""
    recette = {
        "graine": GRAINE,
        "generateur": VERSION_GENERATEUR,
        "schema": hashlib.sha256(SCHEMA.read_bytes()).hexdigest(),
        "exemples": hashlib.sha256(b"".join(p.read_bytes() for p in sorted(EXEMPLES.glob("*.yaml")))).hexdigest(),
        "referentiel": hashlib.sha256((DEPOT / "data" / "risques.yaml").read_bytes()).hexdigest(),
    }
    generateur = None
    lots = {}
    for taille in tailles:
        dossier = DONNEES / f"n{taille}"
        marque = dossier / ".bench-recette.json"  # fichier caché : ignoré par iag
        attendu = {**recette, "taille": taille}
        if not (marque.exists() and json.loads(marque.read_text()) == attendu):
            generateur = generateur or Generateur(GRAINE)
            journal(f"génération de {taille} cas dans {dossier}")
            generateur.ecrire_lot(dossier, taille)
            verifier_lot(dossier, taille)
            marque.write_text(json.dumps(attendu))
        lots[taille] = dossier
    return lots


def verifier_lot(dossier: Path, taille: int) -> None:
    """Tous les fichiers du lot doivent être valides pour iag (et donc pour le schéma)."""
    fichiers = sorted(dossier.glob("*.yaml"))
    if len(fichiers) != taille:
        raise SystemExit(f"lot {dossier} : {len(fichiers)} fichiers au lieu de {taille}")
    r = subprocess.run([str(VENV / "bin" / "iag"), "valider", str(dossier)], capture_output=True, text=True, env=environnement())
    if r.returncode != 0:
        raise SystemExit(f"lot {dossier} invalide pour iag (code {r.returncode}) :\n{r.stderr[:3000]}")
    journal(f"lot n{taille} : {taille} fichiers valides (iag valider)")


# --- 3. mesure -------------------------------------------------------------------------------


def environnement() -> dict:
    """Environnement neutre : ni configuration iag, ni couleur forcée, ni option Python."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IAG_", "PYTHON")) and k not in ("FORCE_COLOR", MARQUE_INTERNE)}
    env["NO_COLOR"] = "1"
    # Cache du référentiel validé du banc (CACHE_BANC), jamais celui de l'utilisateur : rempli par la
    # chauffe, il sert aux tours mesurés, comme à la deuxième commande d'un utilisateur.
    env["IAG_CACHE_DIR"] = str(CACHE_BANC)
    return env


TIME = shutil.which("time", path="/usr/bin:/bin")  # GNU time : petit processus C


def lancer(argv: list[str], cwd: Path, env: dict, journal_: Path) -> tuple[int, float, float, float]:
    """Lance une commande ; rend (code de sortie, temps mural en s, pic mémoire en Mio, temps CPU en s).

    Le temps CPU (utilisateur + système, processus et descendants, d'après `wait4`) dépend peu
    de la charge de la machine : il aide à lire une mesure faite sur une machine partagée.

    Le pic vient de `wait4` (ru_maxrss, en Kio sous Linux). Un processus créé par fork/vfork
    hérite du pic de mémoire de son parent (le noyau le reporte à l'exec) : lancé directement
    depuis ce script, il ne pourrait pas descendre sous la taille de ce script. On passe donc par
    GNU time (`/usr/bin/time -f %M`), petit programme C qui fait lui-même le fork et le wait4 ;
    le surcoût (un fork/exec de plus, moins d'une milliseconde) touche toutes les commandes.
    Sans GNU time, on lit le wait4 du processus direct et le plancher est noté dans les résultats.
    """
    memoire = journal_.with_suffix(".maxrss")
    complet = [TIME, "-q", "-f", "%M", "-o", str(memoire), *argv] if TIME else argv
    with open(journal_.with_suffix(".stdout"), "wb") as out, open(journal_.with_suffix(".stderr"), "wb") as err:
        debut = time.perf_counter()
        p = subprocess.Popen(complet, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, statut, usage = os.wait4(p.pid, 0)
        duree = time.perf_counter() - debut
    p.returncode = code = os.waitstatus_to_exitcode(statut)
    kio = usage.ru_maxrss
    if TIME:
        lignes = memoire.read_text().split()
        kio = int(lignes[-1]) if lignes and lignes[-1].isdigit() else kio
    cpu = usage.ru_utime + usage.ru_stime
    return code, duree, kio * 1024 / MIO, cpu


def plancher_memoire() -> float:
    """Pic mémoire rapporté pour /bin/true : ce que la méthode ne sait pas mesurer en dessous."""
    vrai = shutil.which("true") or "/bin/true"
    JOURNAUX.mkdir(parents=True, exist_ok=True)
    return lancer([vrai], SORTIE, environnement(), JOURNAUX / "true")[2]


class Commande:
    def __init__(self, cle: str, libelle: str, argv: list[str], cwd: Path, outil: str, taille: int | None = None,
                 rapport: Path | None = None, variables: dict[str, str] | None = None):
        self.cle, self.libelle, self.argv, self.cwd = cle, libelle, argv, cwd
        self.outil, self.taille, self.rapport = outil, taille, rapport
        self.variables = variables or {}  # ajoutées à l'environnement neutre, pour cette commande seule
        self.temps: list[float] = []
        self.memoire: list[float] = []
        self.cpu: list[float] = []
        self.codes: set[int] = set()

    def executer(self, env: dict, garder: bool) -> None:
        JOURNAUX.mkdir(parents=True, exist_ok=True)
        code, duree, pic, cpu = lancer(self.argv, self.cwd, {**env, **self.variables}, JOURNAUX / self.cle)
        if code not in (0, 1) or (code == 1 and self.outil != "iag"):
            stderr = (JOURNAUX / f"{self.cle}.stderr").read_text(errors="replace")[:3000]
            raise SystemExit(f"« {' '.join(self.argv[:6])} … » a échoué (code {code}) :\n{stderr}")
        self.codes.add(code)
        if garder:
            self.temps.append(duree)
            self.memoire.append(pic)
            self.cpu.append(cpu)

    @property
    def mediane(self) -> float:
        return statistics.median(self.temps)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def pic(self) -> float:
        return max(self.memoire)


def liste_fichiers(dossier: Path) -> list[str]:
    """Chemins relatifs au dossier de données, comme le développerait `n1000/*.yaml`."""
    return [str(p.relative_to(DONNEES)) for p in sorted(dossier.glob("*.yaml"))]


def commandes_cjs(fichiers: list[str]) -> list[list[str]]:
    """Un seul appel si la ligne de commande tient (comme `check-jsonschema … n10000/*.yaml`),
    sinon des paquets comme le ferait `xargs` à la limite du système."""
    base = [str(VENV / "bin" / "check-jsonschema"), "--schemafile", str(SCHEMA)]
    limite = os.sysconf("SC_ARG_MAX") - sum(len(k) + len(v) + 2 for k, v in environnement().items()) - 4096
    paquets, courant, longueur = [], [], sum(len(a) + 1 for a in base)
    for f in fichiers:
        if courant and longueur + len(f) + 1 > limite:
            paquets.append(base + courant)
            courant, longueur = [], sum(len(a) + 1 for a in base)
        courant.append(f)
        longueur += len(f) + 1
    paquets.append(base + courant)
    return paquets


IMPORTS_SEULS = "import typer, yaml, rich.console, rich.table, rich.panel; from pydantic import BaseModel"


def preparer_commandes(lots: dict[int, Path], format_rapport: str) -> list[Commande]:
    iag = str(VENV / "bin" / "iag")
    py = str(VENV_PY)
    rapports = SORTIE / "rapports"
    rapports.mkdir(parents=True, exist_ok=True)
    cmds = [
        Commande("python", "python -c pass", [py, "-c", "pass"], DONNEES, "python"),
        # Plancher imposé par la pile du projet : importer seulement Typer, pydantic, PyYAML et Rich
        # (sans rien faire) ; à comparer à check-jsonschema sur un fichier.
        Commande("imports", "imports seuls : typer, pydantic, yaml, rich", [py, "-c", IMPORTS_SEULS], DONNEES, "python", 1),
        Commande("version", "iag --version", [iag, "--version"], DONNEES, "iag"),
        Commande("help", "iag --help", [iag, "--help"], DONNEES, "iag"),
        Commande("help-evaluer", "iag evaluer --help", [iag, "evaluer", "--help"], DONNEES, "iag"),
        Commande("evaluer-1", "iag evaluer, 1 fichier (texte)", [iag, "evaluer", str(EXEMPLE_UNIQUE), "--seuil", "jamais"], DONNEES, "iag", 1),
        # Le même sans le cache du référentiel validé (premier lancement, ou IAG_CACHE=0).
        Commande("evaluer-1-sans-cache", "iag evaluer, 1 fichier (texte), sans cache (IAG_CACHE=0)",
                 [iag, "evaluer", str(EXEMPLE_UNIQUE), "--seuil", "jamais"], DONNEES, "iag", 1, variables={"IAG_CACHE": "0"}),
        Commande("cjs-1", "check-jsonschema, 1 fichier", commandes_cjs([str(EXEMPLE_UNIQUE)])[0], DONNEES, "cjs", 1),
        Commande("plan-1", "iag plan, 1 fichier (chatbot, critique -> modéré)",
                 [iag, "plan", str(EXEMPLE_PLAN), "--date", DATE_PLAN, "--sans-config"], DONNEES, "iag", 1),
        Commande("evaluer-plan", "iag evaluer, même fichier, même date",
                 [iag, "evaluer", str(EXEMPLE_PLAN), "--date", DATE_PLAN, "--sans-config", "--seuil", "jamais"], DONNEES, "iag", 1),
    ]
    for taille, dossier in lots.items():
        rapport = rapports / f"n{taille}.json"
        if format_rapport == "json":
            sorties, libelle = ["-o", f"json:{rapport}", "-q"], "-o json:FICHIER -q"
        else:
            sorties, libelle, rapport = ["-f", "texte", "-q"], "-f texte -q (repli)", None
        cmds.append(Commande(f"evaluer-{taille}", f"iag evaluer, {taille} cas ({libelle})",
                             [iag, "evaluer", dossier.name + "/", "--seuil", "jamais", *sorties], DONNEES, "iag", taille, rapport))
        # Synthèse du portefeuille contre l'évaluation en JSON sur la sortie standard, même lot (issue 13).
        cmds.append(Commande(f"evaluer-json-{taille}", f"iag evaluer -f json, {taille} cas",
                             [iag, "evaluer", dossier.name + "/", "--seuil", "jamais", "-f", "json", "-q"], DONNEES, "iag", taille))
        if taille == 1000:
            # Issue 11 : un lot en texte (une ligne par cas, le détail des cas au seuil `élevé` par défaut,
            # ici la plupart) reste dans 2 fois le JSON du même lot. Largeur fixée : sortie vers un fichier.
            cmds.append(Commande(f"texte-{taille}", f"iag evaluer, {taille} cas, rapport texte (seuil par défaut)",
                                 [iag, "evaluer", dossier.name + "/"], DONNEES, "iag", taille, variables={"COLUMNS": "100"}))
        cmds.append(Commande(f"synthese-{taille}", f"iag synthese -f json, {taille} cas",
                             [iag, "synthese", dossier.name + "/", "--seuil", "jamais", "-f", "json", "-q"], DONNEES, "iag", taille))
        if taille == 1000:
            nouveau = referentiel_modifie()
            cmds.append(Commande("comparer-1000", "iag referentiel comparer, 1 000 cas (-f json)",
                                 [iag, "referentiel", "comparer", str(DEPOT / "data"), str(nouveau), dossier.name + "/", "-f", "json"],
                                 DONNEES, "iag", taille))
        paquets = commandes_cjs(liste_fichiers(dossier))
        if len(paquets) == 1:
            cmds.append(Commande(f"cjs-{taille}", f"check-jsonschema, {taille} cas (1 appel)", paquets[0], DONNEES, "cjs", taille))
        else:  # le shell refuserait la ligne : xargs, comme le ferait un utilisateur
            argv = ["sh", "-c", f'printf "%s\\0" {dossier.name}/*.yaml | xargs -0 "$@"', "sh", *paquets[0][:3]]
            cmds.append(Commande(f"cjs-{taille}", f"check-jsonschema, {taille} cas (xargs, {len(paquets)} appels)", argv, DONNEES, "cjs", taille))
    return cmds


def referentiel_modifie() -> Path:
    """Copie du référentiel fourni dont une case de la grille change (P2×G2 : modéré -> élevé) :
    `comparer` a des changements de verdict à tracer, comme pour une vraie nouvelle version."""
    cible = SORTIE / "referentiel-modifie"
    shutil.rmtree(cible, ignore_errors=True)
    shutil.copytree(DEPOT / "data", cible)
    risques = cible / "risques.yaml"
    texte = risques.read_text(encoding="utf-8")
    ancien = "  - probabilite: 2\n    niveaux: [faible, modéré, élevé, critique]"
    if ancien in texte:
        texte = texte.replace(ancien, "  - probabilite: 2\n    niveaux: [faible, élevé, élevé, critique]")
    risques.write_text(texte, encoding="utf-8")
    return cible


def sonder_format_json(env: dict) -> str:
    """Le format json est-il enregistré dans l'iag installé ? Sinon repli sur le texte."""
    essai = SORTIE / "rapports" / "sonde.json"
    essai.parent.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([str(VENV / "bin" / "iag"), "evaluer", str(EXEMPLE_UNIQUE), "--seuil", "jamais", "-q", "-o", f"json:{essai}"],
                       capture_output=True, text=True, env=env, cwd=DONNEES)
    if r.returncode == 0 and essai.exists():
        try:
            json.loads(essai.read_text(encoding="utf-8"))
            return "json"
        except ValueError:
            journal("le rapport json de la sonde n'est pas du JSON valide : repli sur -f texte -q")
            return "texte"
    journal(f"-o json indisponible (code {r.returncode} : {r.stderr.strip()[:200]}) : repli sur -f texte -q")
    return "texte"


def verifier_rapport(c: Commande) -> str:
    if c.rapport is None:
        return ""
    donnees = json.loads(c.rapport.read_text(encoding="utf-8"))
    bilan = donnees.get("bilan", {})
    if bilan.get("total") != c.taille or bilan.get("invalides"):
        raise SystemExit(f"rapport {c.rapport} : bilan inattendu {bilan}")
    taille = f"{c.rapport.stat().st_size / MIO:.1f} Mio"
    c.rapport.unlink()  # jusqu'à plusieurs centaines de Mio : vérifié, il ne sert plus
    return taille


CHARGE: dict[str, float] = {}


def mesurer(cmds: list[Commande], tours: int) -> None:
    env = environnement()
    CHARGE["avant"] = os.getloadavg()[0]
    for tour in range(tours + 1):
        journal("chauffe" if tour == 0 else f"tour {tour}/{tours}")
        for c in cmds:  # entrelacé : une dérive de la machine touche toutes les commandes
            c.executer(env, garder=tour > 0)
        if tour == (tours + 1) // 2:
            CHARGE["milieu"] = os.getloadavg()[0]
    CHARGE["après"] = os.getloadavg()[0]


def demarrage(tours: int, series: int) -> str:
    """Démarrage d'`iag evaluer` sur un fichier face à check-jsonschema sur le même fichier (issue 22).

    Chaque tour lance, l'une après l'autre, quatre commandes sur le même fichier : `iag evaluer` (rapport
    texte), `iag evaluer -f json`, le plancher de la pile imposée (`bench/plancher.py` : Typer, PyYAML,
    pydantic et Rich faisant le même travail réduit à rien) et check-jsonschema. L'ordre tourne d'un
    tour à l'autre (chaque commande passe à chaque place) ; le rapport de chaque commande à
    check-jsonschema est pris dans le même tour, à quelques millisecondes : une dérive de la machine
    les touche tous. On rend, série par série, la médiane des rapports par tour."""
    fichier = str(EXEMPLE_UNIQUE)
    commandes = {
        "iag": [str(VENV / "bin" / "iag"), "evaluer", fichier, "--seuil", "jamais"],
        "iag-json": [str(VENV / "bin" / "iag"), "evaluer", fichier, "--seuil", "jamais", "-f", "json"],
        "plancher": [str(VENV_PY), str(ICI / "plancher.py"), fichier, "--seuil", "jamais"],
        "cjs": [str(VENV / "bin" / "check-jsonschema"), "--schemafile", str(SCHEMA), fichier],
    }
    env = environnement()
    JOURNAUX.mkdir(parents=True, exist_ok=True)

    def une(cle: str) -> float:
        argv = commandes[cle]
        code, duree, _, _ = lancer(argv, DONNEES, env, JOURNAUX / f"demarrage-{cle}")
        if code != 0:
            raise SystemExit(f"« {' '.join(argv[:4])} … » a échoué (code {code})")
        return duree

    for cle in commandes:  # chauffe : cache du référentiel rempli, fichiers .pyc écrits
        une(cle)
    cles = list(commandes)
    lignes = [f"## Démarrage sur un fichier : rapport à check-jsonschema ({tours} tours par série, ordre tournant)", "",
              "| série | iag evaluer (texte) | iag evaluer -f json | plancher de la pile | iag texte − plancher (ms) "
              "| médianes iag / json / plancher / check-jsonschema (ms) | charge |",
              "| --- | ---: | ---: | ---: | ---: | --- | ---: |"]
    for serie in range(1, series + 1):
        temps: dict[str, list[float]] = {cle: [] for cle in cles}
        for i in range(tours):
            for cle in cles[i % len(cles):] + cles[:i % len(cles)]:
                temps[cle].append(une(cle))

        rapports = {cle: statistics.median(x / y for x, y in zip(temps[cle], temps["cjs"], strict=True)) for cle in cles}
        ecart = statistics.median(x - y for x, y in zip(temps["iag"], temps["plancher"], strict=True))
        medianes = " / ".join(f"{statistics.median(temps[cle]) * 1000:.0f}" for cle in cles)
        lignes.append(f"| {serie} | {rapports['iag']:.2f}× | {rapports['iag-json']:.2f}× | {rapports['plancher']:.2f}× "
                      f"| {ecart * 1000:.0f} | {medianes} | {os.getloadavg()[0]:.2f} |")
        journal(lignes[-1])
    lignes += ["", "Cible (issue 22) : `iag evaluer` au plus 0,8× check-jsonschema dans chaque série. Le plancher est "
               "`bench/plancher.py` : les quatre bibliothèques imposées faisant le même travail réduit à rien.", ""]
    return "\n".join(lignes)


# --- 4. rapport -------------------------------------------------------------------------------


def machine() -> dict:
    from importlib import metadata

    modele = "inconnu"
    try:
        for ligne in Path("/proc/cpuinfo").read_text().splitlines():
            if ligne.startswith("model name"):
                modele = ligne.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memoire = ""
    try:
        for ligne in Path("/proc/meminfo").read_text().splitlines():
            if ligne.startswith("MemTotal"):
                memoire = f"{int(ligne.split()[1]) / MIO:.1f} Gio"
    except OSError:
        pass
    paquets = {}
    noms = ["iag"] + [_nom_exigence(e) for e in (metadata.requires("iag") or []) if "extra ==" not in e]
    noms += ["pydantic_core", "click", "check-jsonschema", "jsonschema", "ruamel.yaml", "pyinstrument"]
    for nom in noms:
        try:
            paquets[nom] = metadata.version(nom)
        except metadata.PackageNotFoundError:
            pass
    import yaml

    etat = installe()
    depot = f"{etat.get('depot') or '?'}, sources installées d'empreinte {str(etat.get('iag', '?'))[:12]}"
    if etat.get("iag") != empreinte_depot():
        depot += " (le dépôt a changé depuis : les mesures portent sur l'état installé)"
    return {
        "processeur": modele,
        "coeurs": f"{os.cpu_count()} (utilisables : {len(os.sched_getaffinity(0))})",
        "mémoire": memoire,
        "système": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": sys.version.split()[0] + f" ({platform.python_implementation()})",
        "libyaml": "oui" if getattr(yaml, "__with_libyaml__", False) else "non",
        "dépôt": depot,
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "paquets": paquets,
    }


def _nom_exigence(exigence: str) -> str:
    import re

    return re.split(r"[\s<>=!~;\[(]", exigence, maxsplit=1)[0]


def rapport(cmds: list[Commande], tours: int, format_rapport: str, tailles: list[int], rapide: bool, plancher: float) -> str:
    par = {c.cle: c for c in cmds}
    base = par["python"].mediane
    lignes = []
    ligne = lignes.append
    m = machine()
    ligne("# Banc d'iag : résultats" + (" (mode rapide, indicatif)" if rapide else ""))
    ligne("")
    ligne(f"Produit par `python3 bench/bench.py{' --quick' if rapide else ''}` le {m['date']}. Médiane de {tours} exécutions après une chauffe, "
      "processus entier ; mémoire : pic du plus gros processus (ru_maxrss, "
      + ("relevé par GNU time `-f %M`" if TIME else "relevé par `os.wait4`")
      + f", plancher de la méthode : {plancher:.1f} Mio pour /bin/true), maximum sur les exécutions. "
      "Les rapports (ratios), pas les temps absolus, sont les chiffres à citer.")
    ligne("")
    ligne("## Machine")
    ligne("")
    for cle in ("processeur", "coeurs", "mémoire", "système", "python", "libyaml", "dépôt"):
        ligne(f"- {cle} : {m[cle]}")
    if CHARGE:
        ligne("- charge moyenne sur 1 min (os.getloadavg) : " + " ; ".join(f"{k} {v:.2f}" for k, v in CHARGE.items())
          + " (au-delà de 0,5 environ, d'autres processus partageaient la machine : écarts plus larges)")
    ligne("- paquets : " + ", ".join(f"{k} {v}" for k, v in m["paquets"].items()))
    ligne("")
    # `comparer` rend 1 quand un verdict monte (la case modifiée de la grille le veut) : attendu.
    # Code 1 attendu pour `comparer` (des verdicts changent) et le lot en texte au seuil par défaut (des cas l'atteignent).
    codes_1 = [c.libelle for c in cmds if 1 in c.codes and not c.cle.startswith(("comparer", "texte-"))]
    if codes_1:
        ligne("> **Attention** : code de sortie 1 (fichier invalide ?) pour : " + ", ".join(codes_1) + ".")
        ligne("")
    if format_rapport != "json":
        ligne("> **Attention** : `-o json:FICHIER` n'était pas disponible dans l'iag installé ; les lots ont été mesurés avec "
          "`-f texte -q` (résumé texte seul). À relancer quand le format json sera enregistré.")
        ligne("")
    ligne("## Mesures")
    ligne("")
    ligne("| commande | temps médian (ms) | min – max (ms) | CPU médian (ms) | pic mémoire (Mio) | / python -c pass | / check-jsonschema |")
    ligne("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c in cmds:
        vs_cjs = ""
        if c.outil != "cjs" and c.taille is not None and f"cjs-{c.taille}" in par:
            vs_cjs = f"{c.mediane / par[f'cjs-{c.taille}'].mediane:.2f}×"
        ligne(f"| {c.libelle} | {c.mediane * 1000:.1f} | {min(c.temps) * 1000:.1f} – {max(c.temps) * 1000:.1f} | {c.cpu_median * 1000:.0f} | {c.pic:.1f} | "
          f"{c.mediane / base:.1f}× | {vs_cjs} |")
    ligne("")
    if len(tailles) >= 2:
        a, b = sorted(tailles)[-2:]
        ligne(f"Coût marginal par fichier (entre {a} et {b} cas) : "
          + " ; ".join(f"{nom} {(par[f'{k}-{b}'].mediane - par[f'{k}-{a}'].mediane) / (b - a) * 1e6:.0f} µs"
                       for nom, k in (("iag evaluer", "evaluer"), ("check-jsonschema", "cjs"))) + ".")
        ligne("")
    ligne("## Cibles (issues 6, 11, 12, 13 et 14)")
    ligne("")
    ligne("| cible | mesuré (rapport des médianes) | maximum | verdict | contrôle : médiane des rapports par tour | contrôle : rapport des temps CPU |")
    ligne("| --- | ---: | ---: | --- | ---: | ---: |")
    for libelle, (num, den), maximum in CIBLES_RAPPORTS:
        if num in par and den in par:
            a, b = par[num], par[den]
            ratio = a.mediane / b.mediane
            apparie = statistics.median(x / y for x, y in zip(a.temps, b.temps, strict=False))
            ligne(f"| {libelle} | {ratio:.2f}× | {maximum}× | {'atteinte' if ratio <= maximum else '**manquée**'} | "
              f"{apparie:.2f}× | {a.cpu_median / b.cpu_median:.2f}× |")
        else:
            ligne(f"| {libelle} | non mesuré | {maximum}× | — | | |")
    if "plan-1" in par and "evaluer-plan" in par:
        a, b = par["plan-1"], par["evaluer-plan"]
        ligne("")
        ligne(f"`iag plan` sur {EXEMPLE_PLAN.name} : {a.mediane * 1000:.0f} ms (médiane ; cible < {CIBLE_PLAN_SECONDES * 1000:.0f} ms : "
          f"{'atteinte' if a.mediane < CIBLE_PLAN_SECONDES else '**manquée**'}), soit {a.mediane / b.mediane:.2f}× `iag evaluer` "
          "sur le même fichier.")
    libelle, cle, maximum = CIBLE_MEMOIRE
    if cle in par:
        pic = par[cle].pic
        ligne(f"| {libelle} | {pic:.1f} Mio | {maximum:.0f} Mio | {'atteinte' if pic <= maximum else '**manquée**'} | | |")
    else:
        ligne(f"| {libelle} | non mesuré | {maximum:.0f} Mio | — | | |")
    ligne("")
    ligne("Le verdict porte sur le rapport des médianes (issue 6). Les deux colonnes de contrôle servent sur une machine "
      "chargée : les commandes d'un même tour subissent la même charge, et le temps CPU en dépend peu.")
    ligne("")
    ligne("## Comment")
    ligne("")
    ligne(f"- Lots : `bench/out/donnees/n<taille>/`, les {len(list(EXEMPLES.glob('*.yaml')))} exemples fournis plus des cas générés "
      f"(graine {GRAINE}), tous validés par `iag valider` à la génération.")
    ligne("- iag : `iag evaluer n<taille>/ --seuil jamais -o json:FICHIER -q` (un fichier : `iag evaluer exemples/synthese-comptes-rendus.yaml "
      "--seuil jamais`, rapport texte), lancé depuis `bench/out/donnees`, sortie standard vers un fichier.")
    ligne("- check-jsonschema : `check-jsonschema --schemafile schemas/cas-usage.schema.json n<taille>/*.yaml`, un seul appel "
      "quand la ligne de commande tient sous ARG_MAX (sinon `xargs -0`, indiqué dans le libellé).")
    details = [f"{c.cle} : {verifier_rapport(c)}" for c in cmds if c.rapport is not None]
    if details:
        ligne("- Taille des rapports JSON vérifiés (bilan : total attendu, aucun invalide) : " + " ; ".join(details) + ".")
    return "\n".join(lignes) + "\n"


# --- 5. profil (facultatif) -----------------------------------------------------------------


def profiler(lots: dict[int, Path], format_rapport: str) -> None:
    PROFIL.mkdir(parents=True, exist_ok=True)
    env = environnement()
    ailleurs = PROFIL  # hors du dépôt : `-m iagcli` importe le paquet installé, pas les sources
    un = ["evaluer", str(EXEMPLE_UNIQUE), "--seuil", "jamais"]
    for nom, args in (("version", ["--version"]), ("help", ["--help"]), ("help-evaluer", ["evaluer", "--help"]), ("evaluer-1", un)):
        with open(PROFIL / f"importtime-{nom}.txt", "wb") as err:
            subprocess.run([str(VENV_PY), "-X", "importtime", "-m", "iagcli", *args], stdout=subprocess.DEVNULL, stderr=err, cwd=ailleurs, env=env)
        journal(f"importtime {nom} -> {PROFIL / f'importtime-{nom}.txt'}")
    taille = 1000 if 1000 in lots else min(lots)
    sorties = ["-o", f"json:{SORTIE / 'rapports' / 'profil.json'}", "-q"] if format_rapport == "json" else ["-f", "texte", "-q"]
    pyinstrument = str(VENV / "bin" / "pyinstrument")
    for nom, args in (("help-evaluer", ["evaluer", "--help"]), ("evaluer-1", un),
                      (f"evaluer-{taille}", ["evaluer", str(lots[taille]), "--seuil", "jamais", *sorties])):
        session = PROFIL / f"pyinstrument-{nom}.pyisession"
        subprocess.run([pyinstrument, "-r", "session", "-o", str(session), "-i", "0.0002", "-m", "iagcli", *args],
                       stdout=subprocess.DEVNULL, cwd=ailleurs, env=env, check=True)
        # iag installé vit dans site-packages : pyinstrument le masquerait comme une bibliothèque
        rendus = {
            "arbre.txt": ["-r", "text", "--show", "*/iagcli/*", "--no-color", "--unicode"],
            "plat.txt": ["-r", "text", "-p", "flat=true", "--show-all", "--no-color"],
            "arbre.html": ["-r", "html", "--show", "*/iagcli/*"],
        }
        for suffixe, options in rendus.items():
            sortie = PROFIL / f"pyinstrument-{nom}-{suffixe}"
            subprocess.run([pyinstrument, "--load", str(session), *options, "-o", str(sortie)], cwd=ailleurs, env=env, check=True)
        session.unlink()  # plusieurs dizaines de Mio
        journal(f"pyinstrument {nom} -> {PROFIL}/pyinstrument-{nom}-*")


# --- programme principal --------------------------------------------------------------------


def main() -> int:
    p = argparse.ArgumentParser(description="Banc de mesure d'iag contre check-jsonschema et python -c pass (issue 6).")
    p.add_argument("--sizes", default=None, help="tailles des lots, séparées par des virgules (défaut : 1000,10000)")
    p.add_argument("--runs", type=int, default=None, help="exécutions mesurées après la chauffe (défaut : 5)")
    p.add_argument("--quick", action="store_true", help="vérification rapide : lots de 100 et 1000, 3 exécutions")
    p.add_argument("--profil", action="store_true", help="au lieu de mesurer, profile (python -X importtime, pyinstrument) "
                   "dans bench/out/profil/ ; installe pyinstrument dans l'environnement isolé")
    p.add_argument("--demarrage", type=int, default=None, metavar="TOURS",
                   help="au lieu du banc complet : démarrage d'iag evaluer (texte et JSON) et du plancher de la pile "
                   "(bench/plancher.py) sur un fichier face à check-jsonschema, TOURS tours (au moins 15) à ordre "
                   "tournant, deux séries ; écrit bench/out/RESULTS-demarrage.md")
    p.add_argument("--resultats", default=None, help="fichier Markdown des résultats (défaut : bench/RESULTS.md ; "
                   "bench/out/RESULTS-rapide.md avec --quick)")
    args = p.parse_args()
    tailles = [int(t) for t in (args.sizes or ("100,1000" if args.quick else "1000,10000")).split(",") if t.strip()]
    tours = args.runs or (3 if args.quick else 5)
    if any(t < 1 for t in tailles) or tours < 1:
        p.error("tailles et nombre d'exécutions doivent être positifs")
    if args.demarrage is not None and args.demarrage < 15:
        p.error("--demarrage : au moins 15 tours")
    resultats = Path(args.resultats) if args.resultats else (SORTIE / "RESULTS-rapide.md" if args.quick else ICI / "RESULTS.md")

    SORTIE.mkdir(parents=True, exist_ok=True)
    if not dans_le_venv():
        preparer_venv(args.profil)
        os.environ[MARQUE_INTERNE] = "1"
        os.execv(str(VENV_PY), [str(VENV_PY), str(Path(__file__).resolve()), *sys.argv[1:]])
    if not os.environ.get(MARQUE_INTERNE):  # lancé directement avec l'interpréteur du venv
        preparer_venv(args.profil)

    DONNEES.mkdir(parents=True, exist_ok=True)
    if args.demarrage is not None:
        texte = demarrage(args.demarrage, 2)
        print(texte)
        cible = Path(args.resultats) if args.resultats else SORTIE / "RESULTS-demarrage.md"
        cible.write_text(f"Produit par `python3 bench/bench.py --demarrage {args.demarrage}` le "
                         f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, dépôt {etat_git()}.\n\n{texte}", encoding="utf-8")
        journal(f"résultats écrits dans {cible}")
        return 0
    for d in (DONNEES, *DONNEES.parents):
        if (d / ".iag.yaml").exists() or (d / ".iag.yml").exists():
            journal(f"attention : {d}/.iag.yaml sera lu par iag pendant les mesures")
    lots = preparer_lots(tailles)
    env = environnement()
    format_rapport = sonder_format_json(env)
    if args.profil:  # profil seul : pas de mesures, RESULTS.md intact
        profiler(lots, format_rapport)
        return 0
    cmds = preparer_commandes(lots, format_rapport)
    debut = time.perf_counter()
    mesurer(cmds, tours)
    journal(f"mesures terminées en {time.perf_counter() - debut:.0f} s")
    texte = rapport(cmds, tours, format_rapport, tailles, args.quick, plancher_memoire())
    print(texte)
    resultats.parent.mkdir(parents=True, exist_ok=True)
    resultats.write_text(texte, encoding="utf-8")
    journal(f"résultats écrits dans {resultats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
