"""The example site's widgets, as Hugo writes their data-config, name the first-view files
build.py ships (the widget's key of data-config and data-lang; tests/build/test_first_view.py
checks the widget computes the key as the engine's firstview does)."""

import json
import shutil
import sys
from pathlib import Path

import pytest

from hugosite import Tags
from support import EXAMPLE_SITE, REPO, hugo_build

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "python"))
import build  # noqa: E402
from backprop.firstview import canonical_config, config_key  # noqa: E402


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("site")
    shutil.rmtree(EXAMPLE_SITE / "resources", ignore_errors=True)
    public = tmp_path / "public"
    result = hugo_build(EXAMPLE_SITE, public, env={"HUGO_RESOURCEDIR": str(tmp_path / "resources")})
    assert result.returncode == 0, result.stderr + result.stdout
    return public


@pytest.fixture(scope="module")
def shipped():
    return {config_key(canonical_config(c["config"], c["lang"]))
            for c in build.preset_configs(build.preset_files())}


def test_every_preset_on_the_example_site_finds_its_file(public, shipped):
    found: dict[tuple[str, str], bool] = {}
    for html in public.rglob("*.html"):
        for w in Tags(html.read_text(encoding="utf-8")).find("backprop-widget"):
            key = config_key(canonical_config(json.loads(w["data-config"]), w["data-lang"]))
            at = (w["data-preset"], w["data-lang"])
            found[at] = found.get(at, False) or key in shipped
    assert len({p for p, _ in found}) >= 13 and {lang for _, lang in found} == {"es", "en"}
    missing = sorted(at for at, ok in found.items() if not ok)
    assert not missing, f"presets whose widget names no shipped file: {missing}"


def test_a_page_preloads_the_shipped_first_view_of_each_widget(public, shipped):
    """partials/backpropagation/first-view.html: a widget whose config has a shipped file gets a
    preload of that file (the URL first-view.js fetches, same credentials mode) before the
    element, once per page; a widget without one (a call that changes the config) gets none."""
    pages = 0
    for html in public.rglob("*.html"):
        tags = Tags(html.read_text(encoding="utf-8"))
        links = tags.find("link", rel="preload")
        widgets = tags.find("backprop-widget")
        if not widgets:
            assert not links, f"{html}: a preload without a widget"
            continue
        pages += 1
        preloaded = [link["href"] for link in links]
        assert all(link["as"] == "fetch" and "crossorigin" in link for link in links), html
        assert len(preloaded) == len(set(preloaded)), f"{html}: a file preloaded twice"
        wanted = set()
        for w in widgets:
            key = config_key(canonical_config(json.loads(w["data-config"]), w["data-lang"]))
            if key in shipped:
                wanted.add(f"{w['data-bundle-url']}first-view/{key}.json")
        assert set(preloaded) == wanted, f"{html} ({widgets[0]['data-preset']}): preloads {preloaded}, ships {wanted}"
        order = [a.get("rel") == "preload" if name == "link" else name for name, a in tags.tags]
        if links:
            assert order.index(True) < order.index("backprop-widget"), f"{html}: the preload comes after the widget"
    assert pages >= 26
