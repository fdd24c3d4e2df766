"""The user's own page (seeds/000_*.txt), unchanged, builds in a site that uses the module."""

from __future__ import annotations

import json
import re

import pytest

from hugosite import page, problems, site_files
from support import SHARED


@pytest.fixture(scope="module")
def seed_text() -> str:
    seeds = sorted(SHARED.glob("seeds/000_*.txt"))
    if not seeds:
        pytest.skip(f"{SHARED}/seeds is absent here; CI has it")
    return seeds[0].read_text("utf-8")


def test_seed_page_builds_unchanged_with_every_shortcode(build, seed_text):
    result, public = build(site_files({"leccion.md": seed_text}),
                           "--printI18nWarnings", "--printPathWarnings")
    assert result.returncode == 0, result.stderr + result.stdout
    assert problems(result) == []
    slug = re.search(r'^slug:\s*"?([^"\n]+)"?', seed_text, re.M).group(1)
    html = page(public, slug)  # draft: true, built because the site sets buildDrafts
    text = html.all_text

    assert html.find("aside", class_="bp-medical-hospital")
    assert "Nivel: avanzado" in text
    scenario = re.search(r'scenario="([^"]+)"', seed_text).group(1)
    assert scenario in text
    title = re.search(r'demo-wrapper title="([^"]+)"', seed_text).group(1)
    assert title in text and html.find("figure", class_="bp-demo")
    assert html.find("section", class_="bp-intro", lang="es")
    widgets = html.find("backprop-widget")
    assert len(widgets) == 1
    config = json.loads(widgets[0]["data-config"])
    assert set(config) >= {"dataset", "hidden", "activation", "learning_rate", "optimizer",
                           "batch_size", "seed"}
    styles = re.findall(r'\{\{% notice style="(\w+)"', seed_text)
    assert [a["class"].split()[-1] for a in html.find("div", class_="bp-callout")] == \
        [f"bp-callout-{s}" for s in styles]
    for notice_title in re.findall(r'\{\{% notice [^%]*title="([^"]+)"', seed_text):
        assert notice_title in text
    assert html.find("backprop-terminal", class_="bp-terminal")
    assert len(html.find("script", type="module")) == 1
