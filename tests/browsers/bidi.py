"""A minimal WebDriver BiDi client for Debian's Firefox ESR (no geckodriver there): start the
browser with its remote agent on a free loopback port and talk to it over one websocket."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import websocket

# Firefox's remote agent already applies its recommended automation preferences; these add
# what keeps a test browser quiet on the network (updates, telemetry, safe browsing, portals).
PREFS = {
    "app.update.disabledForTesting": True,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.page": 0,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
    "extensions.update.enabled": False,
    "remote.log.level": "Warn",
}
LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")


class BiDiError(RuntimeError):
    pass


class BiDi:
    """One BiDi session: send(method, params) -> result; events land in `events` (method, params)."""

    def __init__(self, url: str, timeout: float):
        self.ws = websocket.create_connection(url, timeout=None, suppress_origin=True)
        self.timeout = timeout
        self.ids = itertools.count(1)
        self.replies: dict[int, dict] = {}
        self.events: list[tuple[str, dict]] = []
        self.cond = threading.Condition()
        self.closed = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        try:
            while True:
                msg = json.loads(self.ws.recv())
                with self.cond:
                    if msg.get("type") == "event":
                        self.events.append((msg["method"], msg["params"]))
                    elif "id" in msg:
                        self.replies[msg["id"]] = msg
                    self.cond.notify_all()
        except (websocket.WebSocketException, OSError, ValueError):
            with self.cond:
                self.closed = True
                self.cond.notify_all()

    def send(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        cmd_id = next(self.ids)
        self.ws.send(json.dumps({"id": cmd_id, "method": method, "params": params or {}}))
        with self.cond:
            ok = self.cond.wait_for(lambda: cmd_id in self.replies or self.closed, timeout or self.timeout)
            reply = self.replies.pop(cmd_id, None)
        if not ok or reply is None:
            raise BiDiError(f"{method}: no reply ({'connection closed' if self.closed else 'timeout'})")
        if reply.get("type") == "error":
            raise BiDiError(f"{method}: {reply.get('error')}: {reply.get('message')}")
        return reply["result"]

    def close(self) -> None:
        try:
            self.ws.close()
        except (websocket.WebSocketException, OSError):
            pass


class Firefox:
    """Headless Firefox ESR with a fresh profile, driven over BiDi."""

    def __init__(self, binary: str, timeout: float = 60):
        self.profile = Path(tempfile.mkdtemp(prefix="bp-firefox-"))
        (self.profile / "user.js").write_text(
            "".join(f'user_pref("{k}", {json.dumps(v)});\n' for k, v in PREFS.items()))
        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-remote", "--profile", str(self.profile),
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.stderr: list[str] = []
        url = self._wait_listening(timeout)
        self.bidi = BiDi(url + "/session", timeout)
        caps = self.bidi.send("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": False}}})
        self.version = caps["capabilities"].get("browserVersion", "?")
        self.context = self.bidi.send("browsingContext.getTree", {})["contexts"][0]["context"]

    def _wait_listening(self, timeout: float) -> str:
        found: list[str] = []
        done = threading.Event()

        def pump() -> None:  # keep draining stderr so the browser never blocks on it
            for line in self.proc.stderr:
                self.stderr.append(line)
                match = LISTENING.search(line)
                if match and not found:
                    found.append(match.group(1))
                    done.set()
            done.set()

        threading.Thread(target=pump, daemon=True).start()
        done.wait(timeout)
        if not found:
            self.close()
            raise BiDiError("Firefox did not start its BiDi agent:\n" + "".join(self.stderr[-20:]))
        return found[0]

    def close(self) -> None:
        if getattr(self, "bidi", None):
            try:
                self.bidi.send("browser.close", {}, timeout=10)
            except BiDiError:
                pass
            self.bidi.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
