"""Fixtures for the end-to-end layer: real Chromium (Debian's), real bundle, loopback only."""

from __future__ import annotations

import shutil
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlparse

import pytest

from support import BUNDLE_DIR, CHROMIUM, CHROMIUM_ARGS, EXAMPLE_SITE, StaticServer, hugo_build

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in LOCAL_HOSTS


@pytest.fixture(scope="session")
def bundle_dir(tmp_path_factory) -> Path:
    if not (BUNDLE_DIR / "pyodide-lock.json").exists():
        pytest.fail(f"No bundle in {BUNDLE_DIR}: run `python3 build.py bundle` first")
    # A private copy: a `build.py bundle` run meanwhile must not swap files under a loading page.
    return Path(shutil.copytree(BUNDLE_DIR, tmp_path_factory.mktemp("bundle") / "backpropagation"))


@pytest.fixture(scope="session")
def serve():
    """serve(root, mounts={"/prefix/": Path}) -> base URL of a loopback server (closed at the end)."""
    with ExitStack() as stack:
        def start(root: Path, mounts: dict | None = None) -> str:
            return stack.enter_context(StaticServer(Path(root), mounts)).url
        yield start


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `apt-get install chromium`")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page; the test fails if the page requested any URL outside loopback."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    context.on("request", lambda request: requested.append(request.url))
    page.requested_urls = requested
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    yield page
    context.close()
    outside = sorted({url for url in requested if not is_local(url)})
    assert not outside, f"the page requested non-local URLs: {outside}"


@pytest.fixture(scope="session")
def example_public(tmp_path_factory) -> Path:
    """The example site built by real Hugo (drafts included, as `build.py serve` shows them)."""
    dest = tmp_path_factory.mktemp("example-site") / "public"
    result = hugo_build(EXAMPLE_SITE, dest, "--baseURL", "/", "--buildDrafts")
    assert result.returncode == 0, result.stderr + result.stdout
    return dest


@pytest.fixture(scope="session")
def example_site(example_public, serve, bundle_dir) -> str:
    """Base URL of the built example site, served with the bundle at /backpropagation/."""
    return serve(example_public, {"/backpropagation/": bundle_dir})
