"""Fixtures for the browsers layer: the user's seed page, built by real Hugo and served on
loopback with the bundle, opened once per engine (Chromium, Firefox ESR, WebKitGTK).

Each engine's ready time (navigation to data-state=ready, performance.now() in the page) is
written to .cache/browsers-ready.json for the bench and printed at the end of the run."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from engines import BINARIES, ENGINES, start
from support import COMPONENT_CONFIG, REPO, SHARED, BUNDLE_DIR, StaticServer, hugo_build, write_site

READY_FILE = Path(os.environ.get("BACKPROP_CACHE", REPO / ".cache")) / "browsers-ready.json"
READY: dict[str, dict] = {}


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory):
    """(page URL, the loopback server's request log) for the seed page in a fresh site."""
    seeds = sorted(SHARED.glob("seeds/000_*.txt"))
    if not seeds:
        pytest.skip(f"{SHARED}/seeds is absent here; CI has it")
    if not (BUNDLE_DIR / "pyodide-lock.json").exists():
        pytest.fail(f"No bundle in {BUNDLE_DIR}: run `python3 build.py bundle` first")
    text = seeds[0].read_text("utf-8")
    tmp = tmp_path_factory.mktemp("seed")
    config = COMPONENT_CONFIG.replace('baseURL = "https://example.org/"', 'baseURL = "/"')
    site = write_site(tmp / "site", {"hugo.toml": config, "content/leccion.md": text})
    result = hugo_build(site, tmp / "public", env={"HUGO_RESOURCEDIR": str(tmp / "resources")})
    assert result.returncode == 0, result.stderr + result.stdout
    slug = next(line.split(":", 1)[1].strip().strip('"') for line in text.splitlines()
                if line.startswith("slug:"))
    # A private copy: a `build.py bundle` run by someone else meanwhile must not swap files mid-load.
    bundle = shutil.copytree(BUNDLE_DIR, tmp / "bundle")
    requests: list[str] = []
    with StaticServer(tmp / "public", {"/backpropagation/": bundle}, requests=requests) as server:
        yield f"{server.url}/{slug}/", requests


@pytest.fixture(scope="module", params=list(ENGINES))
def engine(request, seed_site):
    """One browser of each engine, with the seed page opened (not necessarily ready yet)."""
    name = request.param
    missing = [path for path in BINARIES[name] if not Path(path).exists()]
    if missing:
        pytest.fail(f"{name}: {', '.join(missing)} missing; `python3 build.py test browsers` installs them")
    url, requests = seed_site
    browser = start(name)
    browser.served_from = len(requests)  # this engine's part of the server log starts here
    browser.server_log = requests
    try:
        browser.open(url)
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def ready_times() -> dict[str, dict]:
    """Engine name -> {version, ready_ms, late_watch}; the tests fill it, the session writes it."""
    return READY


def pytest_sessionfinish(session, exitstatus):
    if not READY:
        return
    READY_FILE.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    READY_FILE.write_text(json.dumps({"date": time.strftime("%Y-%m-%dT%H:%M:%S"), "load_average_1min": load,
                                      "page": "seeds/000 (navigation to data-state=ready)",
                                      "engines": READY}, indent=1) + "\n")


def pytest_terminal_summary(terminalreporter):
    if READY:
        times = ", ".join(f"{name} {r['version']} {r['ready_ms']} ms" for name, r in READY.items())
        terminalreporter.write_line(f"ready times (navigation to data-state=ready): {times}")
        terminalreporter.write_line(f"written to {READY_FILE}")
