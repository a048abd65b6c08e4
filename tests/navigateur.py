"""Petit client du protocole DevTools de Chromium, pour les tests (bibliothèque standard seulement).

Chromium est lancé sans interface avec `--remote-debugging-pipe` : il lit les commandes JSON sur
son descripteur 3 et écrit réponses et événements sur le 4, chaque message terminé par un octet
nul. Ni port réseau, ni websocket, ni téléchargement. `ouvrir(chemin)` charge une page et rend ce
qu'un test doit vérifier : erreurs de console, requêtes réseau, texte rendu, capture PNG.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

CHROMIUM = os.environ.get("IAG_CHROMIUM", "/usr/bin/chromium")
OPTIONS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--window-size=1200,1600",
           "--remote-debugging-pipe"]
DELAI = 60.0  # garde-fou contre un navigateur bloqué : jamais une mesure de performance


def disponible() -> bool:
    return shutil.which(CHROMIUM) is not None or os.access(CHROMIUM, os.X_OK)


@dataclass
class Page:
    url: str
    texte: str = ""
    capture: bytes = b""
    erreurs_console: list[str] = field(default_factory=list)
    requetes: list[str] = field(default_factory=list)  # requêtes autres que la page elle-même
    mesures: dict[str, object] = field(default_factory=dict)  # expressions JavaScript demandées -> valeur
    pdf: bytes = b""  # la page imprimée en A4 (si demandée)


class Navigateur:
    def __init__(self) -> None:
        self.profil = tempfile.mkdtemp(prefix="iag-chromium-")
        cmd_lu, self._cmd = os.pipe()  # nous écrivons ; Chromium lit sur son fd 3
        self._rep, rep_ecrit = os.pipe()  # Chromium écrit sur son fd 4 ; nous lisons

        def descripteurs() -> None:
            a, b = os.dup(cmd_lu), os.dup(rep_ecrit)  # copies d'abord : 3 ou 4 peuvent être pris
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen([CHROMIUM, *OPTIONS, f"--user-data-dir={self.profil}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=descripteurs, close_fds=False)
        os.close(cmd_lu)
        os.close(rep_ecrit)
        self._tampon = b""
        self._id = 0
        self.evenements: list[dict] = []

    def _envoyer(self, methode: str, params: Optional[dict] = None, session: Optional[str] = None) -> dict:
        self._id += 1
        message = {"id": self._id, "method": methode, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._cmd, json.dumps(message).encode() + b"\0")
        attendu = self._id
        while True:
            m = self._lire()
            if m.get("id") == attendu:
                if "error" in m:
                    raise RuntimeError(f"{methode} : {m['error']}")
                return m.get("result", {})
            self.evenements.append(m)

    def _lire(self) -> dict:
        limite = time.monotonic() + DELAI
        while b"\0" not in self._tampon:
            reste = limite - time.monotonic()
            prets, _, _ = select.select([self._rep], [], [], max(reste, 0))
            if not prets:
                raise TimeoutError("Chromium ne répond plus")
            morceau = os.read(self._rep, 1 << 20)
            if not morceau:
                raise RuntimeError("Chromium s'est arrêté")
            self._tampon += morceau
        message, self._tampon = self._tampon.split(b"\0", 1)
        return json.loads(message)

    def _attendre(self, methode: str, session: str) -> dict:
        for i, m in enumerate(self.evenements):
            if m.get("method") == methode and m.get("sessionId") == session:
                return self.evenements.pop(i)
        while True:
            m = self._lire()
            if m.get("method") == methode and m.get("sessionId") == session:
                return m
            self.evenements.append(m)

    def ouvrir(self, chemin: Path, largeur: Optional[int] = None, media: Optional[str] = None,
               mesures: Optional[dict[str, str]] = None, imprimer: bool = False) -> Page:
        """`largeur` : fenêtre de cette largeur en px CSS ; `media` : « print » pour la feuille d'impression ;
        `mesures` : nom -> expression JavaScript évaluée après le chargement ; `imprimer` : PDF en A4."""
        url = Path(chemin).resolve().as_uri()
        cible = self._envoyer("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._envoyer("Target.attachToTarget", {"targetId": cible, "flatten": True})["sessionId"]
        for domaine in ("Runtime", "Log", "Network", "Page"):
            self._envoyer(f"{domaine}.enable", session=session)
        if largeur is not None:
            self._envoyer("Emulation.setDeviceMetricsOverride", {"width": largeur, "height": 900, "deviceScaleFactor": 1,
                                                                 "mobile": False}, session=session)
        if media is not None:
            self._envoyer("Emulation.setEmulatedMedia", {"media": media}, session=session)
        self.evenements.clear()
        self._envoyer("Page.navigate", {"url": url}, session=session)
        self._attendre("Page.loadEventFired", session)
        page = Page(url)
        page.texte = self._envoyer("Runtime.evaluate", {"expression": "document.body.innerText", "returnByValue": True},
                                   session=session)["result"].get("value", "")
        page.capture = base64.b64decode(self._envoyer("Page.captureScreenshot", {"format": "png"}, session=session)["data"])
        for nom, expression in (mesures or {}).items():
            page.mesures[nom] = self._envoyer("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                              session=session)["result"].get("value")
        if imprimer:  # A4 : 210 × 297 mm, en pouces ; marges de la feuille de style (@page)
            page.pdf = base64.b64decode(self._envoyer("Page.printToPDF", {
                "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True, "printBackground": True},
                session=session)["data"])
        for m in self.evenements:
            if m.get("sessionId") != session:
                continue
            p = m.get("params", {})
            if m["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                page.erreurs_console.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m["method"] == "Runtime.exceptionThrown":
                page.erreurs_console.append(p.get("exceptionDetails", {}).get("text", "exception"))
            elif m["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                page.erreurs_console.append(p["entry"].get("text", ""))
            elif m["method"] == "Network.requestWillBeSent":
                demande = p.get("request", {}).get("url", "")
                if demande != url and not demande.startswith("data:"):
                    page.requetes.append(demande)
        self._envoyer("Target.closeTarget", {"targetId": cible})
        return page

    def fermer(self) -> None:
        try:
            self._envoyer("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=DELAI)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._cmd, self._rep):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profil, ignore_errors=True)


def pixels_png(png: bytes) -> tuple[int, int, int, bytes]:
    """(largeur, hauteur, octets par pixel, pixels bruts) d'un PNG 8 bits RGB ou RGBA non entrelacé."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "pas un PNG"
    pos, idat = 8, b""
    largeur = hauteur = bpp = 0
    while pos < len(png):
        longueur, genre = struct.unpack(">I4s", png[pos:pos + 8])
        donnees = png[pos + 8:pos + 8 + longueur]
        if genre == b"IHDR":
            largeur, hauteur, profondeur, couleur, _, _, entrelace = struct.unpack(">IIBBBBB", donnees)
            assert profondeur == 8 and couleur in (2, 6) and entrelace == 0, "PNG non pris en charge"
            bpp = 3 if couleur == 2 else 4
        elif genre == b"IDAT":
            idat += donnees
        pos += 12 + longueur
    brut = zlib.decompress(idat)
    ligne = largeur * bpp
    sortie = bytearray()
    precedente = bytearray(ligne)
    for y in range(hauteur):
        filtre = brut[y * (ligne + 1)]
        courante = bytearray(brut[y * (ligne + 1) + 1:(y + 1) * (ligne + 1)])
        for i in range(ligne):
            a = courante[i - bpp] if i >= bpp else 0
            b = precedente[i]
            c = precedente[i - bpp] if i >= bpp else 0
            if filtre == 1:
                courante[i] = (courante[i] + a) & 0xFF
            elif filtre == 2:
                courante[i] = (courante[i] + b) & 0xFF
            elif filtre == 3:
                courante[i] = (courante[i] + (a + b) // 2) & 0xFF
            elif filtre == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                courante[i] = (courante[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        sortie += courante
        precedente = courante
    return largeur, hauteur, bpp, bytes(sortie)


def part_non_blanche(png: bytes) -> float:
    """Part des pixels qui ne sont pas du fond (blanc) : 0 pour une page vide."""
    largeur, hauteur, bpp, px = pixels_png(png)
    fond = px[:3]
    differents = sum(1 for i in range(0, len(px), bpp * 4) if px[i:i + 3] != fond)  # un pixel sur quatre
    return differents / max(1, (largeur * hauteur) // 4)
