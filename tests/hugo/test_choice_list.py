"""A preset's activation per hidden layer (the config's choice list ``activations``): a good one
reaches the element's data-config, a bad one stops the build naming the presets file's line."""

from __future__ import annotations

import json

import pytest

from hugosite import page
from test_presets import site_presets

CALL = '{{< backpropagation preset="mio" >}}'


@pytest.mark.parametrize("value", ['["relu", "sigmoid"]', '"relu,sigmoid"'])
def test_a_preset_sets_each_hidden_layers_activation(build, value):
    result, public = build(site_presets(f'[default]\n[mio]\nhidden = [4, 2]\nactivations = {value}\n', CALL))
    assert result.returncode == 0, result.stdout + result.stderr
    config = json.loads(page(public, "p").find("backprop-widget")[0]["data-config"])
    assert config["activations"] == ["relu", "sigmoid"] and config["hidden"] == [4, 2]


@pytest.mark.parametrize("value, words", [
    ('["relu", "softmax"]', ['activations="relu,softmax"', "sigmoid, tanh, relu"]),
    ('["relu"]', ["tantas activaciones como capas ocultas (2)"]),
    ('["relu", 3]', ['activations="relu,3"']),
])
def test_a_bad_activation_list_names_the_file_and_line(build, value, words):
    result, _ = build(site_presets(f'[default]\n[mio]\nhidden = [4, 2]\nactivations = {value}\n', CALL))
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    found = [ln for ln in out.splitlines() if "assets/backpropagation/presets.toml:4" in ln]
    assert found, out
    for word in words:
        assert any(word in m for m in found), (word, found)
