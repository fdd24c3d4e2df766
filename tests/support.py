"""Helpers shared by the CPython test layers (Hugo builds, end-to-end)."""

from __future__ import annotations

import functools
import mimetypes
import os
import shutil
import subprocess
import textwrap
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
BUNDLE_DIR = REPO / "dist" / "backpropagation"
MODULE_DIR = REPO / "hugo-shortcodes"
EXAMPLE_SITE = MODULE_DIR / "exampleSite"
# Debian's Chromium as the e2e layer and the bench launch it.
CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def find_hugo() -> str:
    """The Hugo binary: $HUGO_BIN (set by build.py), the one in .venv, or one on PATH."""
    env = os.environ.get("HUGO_BIN")
    if env and Path(env).exists():
        return env
    for candidate in sorted((REPO / ".venv").glob("lib/python*/site-packages/hugo/binaries/hugo*")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("hugo")
    if found:
        return found
    raise RuntimeError("Hugo not found: run `python3 build.py test` (it installs Hugo in .venv/)")


def hugo_build(source: Path, dest: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a real `hugo` build of `source` into `dest`; never raises on a failed build."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    # Hugo writes its cache next to the site unless told otherwise; keep source trees clean.
    full_env.setdefault("HUGO_CACHEDIR", str(dest.parent / ".hugo_cache"))
    full_env.setdefault("HUGO_RESOURCEDIR", str(dest.parent / ".hugo_resources"))
    cmd = [find_hugo(), "--source", str(source), "--destination", str(dest), "--noBuildLock", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=300)


def write_site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


# A theme-component site: the module comes from the repository root as themesDir.
COMPONENT_CONFIG = f"""
baseURL = "https://example.org/"
title = "Prueba"
defaultContentLanguage = "es"
theme = "hugo-shortcodes"
themesDir = "{REPO.as_posix()}"
buildDrafts = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[markup.goldmark.renderer]
  unsafe = true
"""



mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/javascript", ".js")


class _Handler(SimpleHTTPRequestHandler):
    mounts: dict[str, Path] = {}
    cache = False
    cors = False
    requests: list | None = None
    faults: dict = {}   # path suffix -> HTTP status to answer instead, or "stall" (never answers)
    extra_headers: dict = {}  # extra headers on every response (e.g. a Content-Security-Policy)

    def send_head(self):
        clean = self.path.split("?", 1)[0]
        for suffix, fault in self.faults.items():
            if clean.endswith(suffix):
                if fault == "stall":
                    threading.Event().wait(600)
                    return None
                self.send_error(int(fault))
                return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, root in sorted(self.mounts.items(), key=lambda kv: -len(kv[0])):
            if clean.startswith(prefix):
                rest = clean[len(prefix):]
                target = (root / rest).resolve()
                if root.resolve() in target.parents or target == root.resolve():
                    return str(target)
                return str(root / "__forbidden__")
        return super().translate_path(path)

    def end_headers(self) -> None:
        # Tests must never see a stale copy; benchmarks opt into caching to measure warm loads.
        self.send_header("Cache-Control", "no-cache" if self.cache else "no-store")
        if self.cors:  # a stand-in for a CDN on another origin
            self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:  # keep test output readable
        pass

    def log_request(self, code="-", size="-") -> None:
        if self.requests is not None:  # the server's own log, for tests that check what was asked
            self.requests.append(self.path)


class StaticServer:
    """A loopback HTTP server for a folder, with extra URL prefixes mapped to other folders.

    For fault tests, ``faults`` maps a path suffix to the HTTP status sent instead of the file
    (or ``"stall"``: no answer), and ``headers`` adds headers to every response."""

    def __init__(self, root: Path, mounts: dict[str, Path] | None = None, cache: bool = False,
                 cors: bool = False, requests: list | None = None, faults: dict | None = None,
                 headers: dict | None = None):
        handler = type("Handler", (_Handler,), {"mounts": {k: Path(v) for k, v in (mounts or {}).items()},
                                                "cache": cache, "cors": cors, "requests": requests,
                                                "faults": faults if faults is not None else {},
                                                "extra_headers": dict(headers or {})})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "StaticServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
