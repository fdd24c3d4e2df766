"""The shortcode refuses what the engine would refuse (issue 13, items 8 and 9): a batch larger
than the training points, empty values, clashing ids, and bad presets of a site's own
presets.toml, each naming the file and the line."""

from __future__ import annotations

import json

import pytest

from hugosite import page, site_files
from test_bad_params import LINE, bad_page

PRESETS_FILE = "assets/backpropagation/presets.toml"

CASES = [
    ("batch-above-training-points", '{{< backpropagation batch_size="151" >}}',
     ['batch_size="151"', "entre 1 y 150", "puntos de entrenamiento"]),
    ("empty-preset", '{{< backpropagation preset="" >}}', ['preset=""', "vacío"]),
    ("empty-mode", '{{< backpropagation mode="" >}}', ['mode=""', "vacío"]),
    ("empty-lang", '{{< backpropagation lang="" >}}', ['lang=""', "vacío"]),
    ("empty-dataset", '{{< backpropagation dataset="" >}}', ['dataset=""', "vacío"]),
    ("empty-level", '{{< medical-context scenario="x" level="" >}}', ['level=""', "vacío"]),
    ("same-id-twice", '{{< backpropagation id="red" >}}\n{{< backpropagation id="red" >}}',
     ['id="red"', f"bad.md:{LINE}:"]),
    ("explicit-id-takes-an-automatic-one",
     '{{< backpropagation id="backprop-2" >}}\n{{< backpropagation >}}',
     ["backprop-2", "automático", f"bad.md:{LINE}:"]),
]


def messages(result, needle):
    return [ln for ln in (result.stdout + result.stderr).splitlines() if needle in ln]


@pytest.mark.parametrize("call, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_call_names_file_and_line(build, call, words):
    result, _ = build(site_files({"bad.md": bad_page(call)}))
    assert result.returncode != 0, result.stdout + result.stderr
    found = messages(result, "bad.md:")
    assert found, result.stdout + result.stderr
    for word in words:
        assert any(word in m for m in found), (word, found)


def test_the_largest_batch_the_engine_takes_builds(build):
    result, public = build(site_files({"ok.md": bad_page('{{< backpropagation batch_size="150" >}}')}))
    assert result.returncode == 0, result.stderr
    assert json.loads(page(public, "ok").find("backprop-widget")[0]["data-config"])["batch_size"] == 150


def test_controls_may_be_empty_and_ids_may_differ(build):
    calls = '{{< backpropagation controls="" id="a" >}}\n{{< backpropagation id="b" >}}\n{{< backpropagation >}}'
    result, public = build(site_files({"ok.md": bad_page(calls)}))
    assert result.returncode == 0, result.stderr
    widgets = page(public, "ok").find("backprop-widget")
    assert [w["id"] for w in widgets] == ["a", "b", "backprop-3"]
    assert widgets[0]["data-controls"] == ""


def site_with_presets(presets: str, call: str = '{{< backpropagation preset="mio" >}}'):
    files = site_files({"p.md": bad_page(call)})
    files[PRESETS_FILE] = presets
    return files


@pytest.mark.parametrize("presets, line, words", [
    ('[default]\n\n[mio]\nlearning_rate = 0.5\nhidden = "4,x"\n', 5,
     ['hidden="4,x"', "el preset «mio»", "p.md:"]),
    ('[default]\n[mio]\nvelocidad = 3\n', 3, ["velocidad", "learning_rate"]),
    ('[default]\nbatch_size = 999\n[mio]\n', 2, ['batch_size="999"', "entre 1 y 150"]),
    ('[mio]\ndataset = "iris"\n', 2, ['dataset="iris"', "radiografias"]),
    ('dataset = "xor"\n[mio]\n', 1, ["dataset", "tabla"]),
])
def test_a_bad_site_preset_names_the_file_line_and_value(build, presets, line, words):
    result, _ = build(site_with_presets(presets))
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    found = messages(result, f"{PRESETS_FILE}:{line}")
    assert found, out
    for word in words:
        assert any(word in m for m in found), (word, found)
    assert "52,44" not in out  # values, never character codes


def test_site_presets_as_text_or_lists_reach_the_element(build):
    presets = '[default]\nseed = 5\n[mio]\nhidden = "4,2"\ncontrols = ["train", "view"]\nmode = "entrenar"\n'
    result, public = build(site_with_presets(presets))
    assert result.returncode == 0, result.stderr
    widget = page(public, "p").find("backprop-widget")[0]
    config = json.loads(widget["data-config"])
    assert (config["hidden"], config["seed"]) == ([4, 2], 5)
    assert (widget["data-controls"], widget["data-mode"], widget["data-preset"]) == \
        ("train,view", "entrenar", "mio")
