"""The example Spanish site: builds cleanly and every page carries what its source asks for."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from hugosite import hugo_version, module_clean, page, problems
from support import EXAMPLE_SITE, MODULE_DIR, SHARED

CONTENT = EXAMPLE_SITE / "content"
PRESETS = tomllib.loads((MODULE_DIR / "assets/backpropagation/presets.toml").read_text("utf-8"))
CONTRACT = json.loads((MODULE_DIR / "assets/backpropagation/contract.json").read_text("utf-8"))
PARAMS = CONTRACT["shortcode"]["params"]
CALL = re.compile(r"\{\{([<%])-?\s*(/?)([\w-]+)(.*?)-?[>%]\}\}", re.S)
PARAM = re.compile(r'(\w+)="([^"]*)"')
UNITS = sorted((CONTENT / "curso").glob("unidad-*.md"))


def calls(text: str) -> list[tuple[str, str, dict]]:
    """(delimiter, name, params) of each opening shortcode call in a content file."""
    return [(d, name, dict(PARAM.findall(rest))) for d, close, name, rest in CALL.findall(text)
            if not close]


def default(name: str):
    """A shortcode parameter's value without arguments: the default preset, else the contract."""
    spec = PARAMS[name]
    if spec.get("preset_key", name) in PRESETS["default"]:
        return PRESETS["default"][spec.get("preset_key", name)]
    return CONTRACT["config"]["fields"][spec["field"]]["default"] if "field" in spec \
        else spec["default"]


def expected_config(params: dict, lang: str = "es") -> dict:
    """The session config a call should produce: the defaults, then the call's values."""
    hidden = [int(n) for n in params["layers"].split(",")] if "layers" in params \
        else default("layers")
    return {
        "dataset": params.get("dataset", default("dataset")),
        "hidden": hidden,
        "activation": params.get("activation", default("activation")),
        "learning_rate": float(params.get("learning_rate", default("learning_rate"))),
        "optimizer": params.get("optimizer", default("optimizer")),
        "batch_size": int(params.get("batch_size", default("batch_size"))),
        "seed": int(params.get("seed", default("seed"))),
        "lang": params.get("lang", lang),
    }


def sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    from support import hugo_build

    # A cache left by an earlier build that did not redirect it; this build must not recreate it.
    shutil.rmtree(EXAMPLE_SITE / "resources", ignore_errors=True)
    tmp = tmp_path_factory.mktemp("example")
    public = tmp / "public"
    result = hugo_build(EXAMPLE_SITE, public, "--printI18nWarnings", "--printPathWarnings",
                        env={"HUGO_RESOURCEDIR": str(tmp / "resources")})
    return result, public


def test_builds_with_no_warning(example):
    result, _ = example
    assert result.returncode == 0, result.stderr + result.stdout
    assert problems(result) == []


def test_every_content_file_becomes_a_page(example):
    _, public = example
    assert (public / "index.html").is_file()
    assert (public / "curso/index.html").is_file()
    assert (public / "backpropagation-aprendizaje/index.html").is_file()
    assert len(UNITS) == 13
    for unit in UNITS:
        assert (public / "curso" / unit.stem / "index.html").is_file(), unit.name


def test_seed_like_page_renders_each_shortcode(example):
    _, public = example
    source = (CONTENT / "backpropagation-aprendizaje.md").read_text("utf-8")
    found = calls(source)
    html = page(public, "backpropagation-aprendizaje")

    medical = next(p for d, n, p in found if n == "medical-context")
    aside = html.find("aside", class_="bp-medical")
    assert len(aside) == 1 and "bp-medical-hospital" in aside[0]["class"]
    assert html.find("svg", class_="bp-icon"), "hospital icon"
    text = html.all_text
    assert "Nivel: avanzado" in text  # level="advanced" shown with its Spanish label
    assert " ".join(medical["scenario"].split()) in text
    assert " ".join(medical["highlight"].split()) in text

    wrapper = next(p for d, n, p in found if n == "demo-wrapper")
    assert html.find("figure", class_="bp-demo")
    assert wrapper["title"] in text
    assert html.find("section", class_="bp-intro", lang="es")

    widgets = html.find("backprop-widget")
    assert len(widgets) == 1
    assert json.loads(widgets[0]["data-config"]) == expected_config({})
    assert widgets[0]["data-mode"] == default("mode")
    assert widgets[0]["data-lang"] == "es"
    assert widgets[0]["data-bundle-url"] == "/backpropagation/"
    assert widgets[0]["id"]

    notices = [p for d, n, p in found if n == "notice"]
    assert [d for d, n, p in found if n == "notice"] == ["%"] * 3
    rendered = html.find("div", class_="bp-callout")
    assert [a["class"].split()[-1] for a in rendered] == [f"bp-callout-{p['style']}" for p in notices]
    for p in notices:
        assert p["title"] in text
    assert html.find("backprop-terminal", class_="bp-terminal")


def test_seed_like_page_matches_the_seed_call_for_call():
    seeds = sorted(SHARED.glob("seeds/000_*.txt"))
    if not seeds:
        pytest.skip(f"{SHARED}/seeds is absent here; CI has it")
    seed = seeds[0].read_text("utf-8")
    ours = (CONTENT / "backpropagation-aprendizaje.md").read_text("utf-8")
    front = re.compile(r"^---\n(.*?)\n---", re.S)
    keys = lambda text: re.findall(r"^(\w+):", front.match(text).group(1), re.M)  # noqa: E731
    assert keys(ours) == keys(seed)
    shape = lambda text: [(d, n, sorted(p)) for d, n, p in calls(text)]  # noqa: E731
    assert shape(ours) == shape(seed)
    assert ours != seed


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.stem)
def test_unit_page_embeds_the_widgets_it_asks_for(example, unit):
    _, public = example
    found = calls(unit.read_text("utf-8"))
    wanted = [p for d, n, p in found if n == "backpropagation"]
    html = page(public, f"curso/{unit.stem}")
    widgets = html.find("backprop-widget")
    assert len(widgets) == len(wanted) >= 1
    for params, widget in zip(wanted, widgets):
        # A unit's preset and what it sets are checked in test_presets.py.
        assert widget["data-preset"] == params.get("preset", "default")
        if "preset" not in params:
            assert json.loads(widget["data-config"]) == expected_config(params)
            assert widget["data-mode"] == params.get("mode", default("mode"))
    assert len({w["id"] for w in widgets}) == len(widgets)
    assert len(html.find("figure", class_="bp-demo")) == sum(n == "demo-wrapper" for _, n, _ in found)
    assert "Qué observar" in html.all_text
    scripts = [s["src"] for s in html.find("script", type="module")]
    assert sum("/widget." in s for s in scripts) == 1


def test_scripts_and_styles_match_their_integrity(example):
    _, public = example
    checked = 0
    for index in public.rglob("index.html"):
        html = page(public, str(index.parent.relative_to(public)))
        for tag, attr in (("script", "src"), ("link", "href")):
            for a in html.find(tag):
                if "integrity" not in a:
                    continue
                target = public / a[attr].lstrip("/")
                assert target.is_file(), a[attr]
                assert a["integrity"] == sri(target)
                assert a["crossorigin"] == "anonymous"
                checked += 1
    assert checked >= 2 * 16


def test_worker_url_points_at_the_built_worker(example):
    _, public = example
    html = page(public, "backpropagation-aprendizaje")
    worker = public / html.find("backprop-widget")[0]["data-worker-url"].lstrip("/")
    script = public / html.find("script", type="module")[0]["src"].lstrip("/")
    # The worker is a classic script: an esbuild IIFE, with no ES module syntax left.
    body = worker.read_text("utf-8")
    assert body.lstrip().startswith(("(()=>{", "(function(){", "\"use strict\";(()=>{"))
    assert not re.search(r"^\s*(import|export)\s", body, re.M)
    assert script.stat().st_size > 1000


def test_builds_leave_the_module_clean(example):
    assert module_clean() == []


def test_example_site_with_an_older_hugo(build, hugo_bin):
    older = shutil.which("hugo", path="/usr/bin")
    if not older or hugo_version(older) == hugo_version(hugo_bin):
        pytest.skip("no second Hugo release here (Debian: apt-get install hugo)")
    result, public = build(None, source=EXAMPLE_SITE, binary=older)
    assert result.returncode == 0, result.stderr + result.stdout
    assert not [l for l in (result.stdout + result.stderr).splitlines() if "ERROR" in l]
    html = page(public, "backpropagation-aprendizaje")
    assert len(html.find("backprop-widget")) == 1
    assert len(html.find("script", type="module")) == 1
