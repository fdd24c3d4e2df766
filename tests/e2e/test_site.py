"""The Hugo module's pages in real Chromium: the example site, the user's seed page built in a
fresh site, several widgets sharing one worker, and a site under a sub-path."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from support import COMPONENT_CONFIG, SHARED, hugo_build, write_site

LOAD_TIMEOUT = 90_000  # Pyodide + numpy on a busy 2-core machine

THREE = """---
title: Tres redes
---

{{< backpropagation >}}

{{< backpropagation dataset="moons" >}}

{{< demo-wrapper title="Una más" >}}
{{< backpropagation layers="3" >}}
{{< /demo-wrapper >}}
"""


def make_site(root: Path, base_url: str, content: dict[str, str]) -> Path:
    """A fresh site that uses the module as a theme component from the repository."""
    config = COMPONENT_CONFIG.replace('baseURL = "https://example.org/"', f'baseURL = "{base_url}"')
    return write_site(root, {"hugo.toml": config, **{f"content/{k}": v for k, v in content.items()}})


def build_site(tmp: Path, base_url: str, content: dict[str, str]) -> Path:
    site = make_site(tmp / "site", base_url, content)
    public = tmp / "public"
    result = hugo_build(site, public, env={"HUGO_RESOURCEDIR": str(tmp / "resources")})
    assert result.returncode == 0, result.stderr + result.stdout
    return public


def expect_ready(widget) -> float:
    expect(widget).to_have_attribute("data-state", "ready", timeout=LOAD_TIMEOUT)
    loss = float(widget.get_attribute("data-loss"))
    assert loss > 0
    return loss


@pytest.fixture(scope="module")
def three_site(tmp_path_factory, serve, bundle_dir) -> str:
    public = build_site(tmp_path_factory.mktemp("three"), "/", {"tres.md": THREE})
    return serve(public, {"/backpropagation/": bundle_dir})


def test_seed_like_example_page_shows_callout_frame_intro_and_a_working_widget(page, example_site):
    page.goto(f"{example_site}/backpropagation-aprendizaje/")
    expect(page.locator("aside.bp-medical")).to_be_visible()
    expect(page.locator("aside.bp-medical .bp-level")).to_have_text("Nivel: avanzado")
    expect(page.locator("figure.bp-demo > figcaption")).to_be_visible()
    expect(page.locator("figure.bp-demo section.bp-intro")).to_be_visible()
    expect(page.locator(".bp-callout")).to_have_count(3)
    expect(page.locator(".bp-terminal")).to_be_visible()
    widget = page.locator("figure.bp-demo backprop-widget")
    expect_ready(widget)
    # The module's stylesheet applied: the frame has its border (SRI did not block it).
    border = page.locator("figure.bp-demo").evaluate("el => getComputedStyle(el).borderTopStyle")
    assert border == "solid"
    assert not page.console_errors, page.console_errors


def test_the_seed_page_itself_works_in_a_fresh_site(page, tmp_path, serve, bundle_dir):
    seeds = sorted(SHARED.glob("seeds/000_*.txt"))
    if not seeds:
        pytest.skip(f"{SHARED}/seeds is absent here; CI has it")
    text = seeds[0].read_text("utf-8")
    public = build_site(tmp_path, "/", {"leccion.md": text})
    base = serve(public, {"/backpropagation/": bundle_dir})
    page.goto(f"{base}/backpropagation-aprendizaje/")
    expect(page.locator("aside.bp-medical")).to_be_visible()
    expect(page.locator("section.bp-intro")).to_be_visible()
    expect_ready(page.locator("backprop-widget"))
    assert not page.console_errors, page.console_errors


def test_three_widgets_share_one_worker(page, three_site):
    workers, scripts = [], []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.on("request", lambda r: "/backprop-widget/widget." in r.url and scripts.append(r.url))
    page.goto(f"{three_site}/tres/")
    widgets = page.locator("backprop-widget")
    expect(widgets).to_have_count(3)
    for i in range(3):
        expect_ready(widgets.nth(i))
    assert len(workers) == 1, workers
    # One script tag, one download of the widget's code.
    assert len(scripts) == 1, scripts
    assert not page.console_errors, page.console_errors


def test_a_site_under_a_sub_path_loads_the_bundle(page, tmp_path, serve, bundle_dir):
    public = build_site(tmp_path, "https://example.org/curso/", {"tres.md": THREE})
    # Serve the built site at /curso/ and the bundle where the page expects it.
    empty = tmp_path / "root"
    empty.mkdir()
    base = serve(empty, {"/curso/backpropagation/": bundle_dir, "/curso/": public})
    page.goto(f"{base}/curso/tres/")
    expect_ready(page.locator("backprop-widget").first)
    requested = " ".join(page.requested_urls)
    assert f"{base}/curso/backpropagation/pyodide.asm.wasm" in requested
    assert f"{base}/curso/backprop-widget/worker." in requested
    assert not page.console_errors, page.console_errors
