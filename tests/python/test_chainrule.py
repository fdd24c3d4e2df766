"""The chain rule by paths (chainrule.py) against the engine's own backward pass."""

import json

import numpy as np
import pytest

from backprop.chainrule import MAX_PATHS, chain_rule
from backprop.commands import Registry
from backprop.network import Network
from backprop.trace import trace_step
from conftest import refused


def _binary():
    rng = np.random.default_rng(11)
    net = Network([2, 3, 2, 1], ["sigmoid", "tanh", "sigmoid"], "bce", seed=5)
    X = rng.normal(size=(6, 2))
    return net, X, (rng.random((6, 1)) > 0.5).astype(float)


def _softmax(loss="ce"):
    rng = np.random.default_rng(12)
    net = Network([2, 4, 3], ["tanh", "softmax"], loss, seed=6)
    X = rng.normal(size=(7, 2))
    return net, X, np.eye(3)[rng.integers(0, 3, 7)]


def _parameters(net):
    """(layer, j, i) of every weight, and (layer, j, None) of every bias."""
    for layer in range(1, len(net.sizes)):
        for j in range(net.sizes[layer]):
            for i in [*range(net.sizes[layer - 1]), None]:
                yield layer, j, i


def _engine_gradient(net, X, Y, layer, j, i):
    g = net.gradients(X, Y)                  # no L1/L2 here: the data loss's gradient
    return g.weights[layer - 1][j, i] if i is not None else g.biases[layer - 1][j]


@pytest.mark.parametrize("make", [_binary, _softmax], ids=["2-3-2-1 binary", "2-4-3 softmax"])
def test_every_parameter_sums_its_paths_to_the_engine_gradient(make):
    net, X, Y = make()
    for layer, j, i in _parameters(net):
        r = chain_rule(net, X, Y, layer, j, i)
        expected = _engine_gradient(net, X, Y, layer, j, i)
        assert r["gradient"] == pytest.approx(expected, abs=1e-15)
        assert abs(r["sum"] - r["gradient"]) < 1e-12, (layer, j, i)
        assert abs(sum(p["product"] for p in r["paths"]) - r["gradient"]) < 1e-12
        widths = int(np.prod(net.sizes[layer + 1:]))
        assert r["n_paths"] == len(r["paths"]) == widths
        assert len({tuple((n["layer"], n["neuron"]) for n in p["nodes"])
                    for p in r["paths"]}) == widths


@pytest.mark.parametrize("make", [_binary, _softmax], ids=["2-3-2-1 binary", "2-4-3 softmax"])
def test_the_gradient_is_the_one_the_trace_reports(make):
    net, X, Y = make()
    trace = trace_step(net.copy(), X, Y)
    for layer, j, i in [(1, 0, 1), (len(net.sizes) - 1, 0, 0), (1, 2, None)]:
        r = chain_rule(net, X, Y, layer, j, i)
        traced = (trace["grad_weights"][layer - 1][j][i] if i is not None
                  else trace["grad_biases"][layer - 1][j])
        assert abs(r["gradient"] - traced) < 1e-15


@pytest.mark.parametrize("make", [_binary, _softmax], ids=["2-3-2-1 binary", "2-4-3 softmax"])
def test_each_example_s_paths_sum_to_that_example_s_gradient(make):
    net, X, Y = make()
    for layer, j, i in [(1, 1, 0), (1, 0, None), (2, 1, 1)]:
        r = chain_rule(net, X, Y, layer, j, i)
        sums = np.sum([p["products"] for p in r["paths"]], axis=0)
        for n in range(len(X)):
            own = _engine_gradient(net, X[[n]], Y[[n]], layer, j, i)
            assert abs(sums[n] - own) < 1e-12 and abs(r["sums"][n] - own) < 1e-12
        assert abs(np.mean(sums) - r["gradient"]) < 1e-12   # the update uses the mean


def test_each_product_is_its_factors_and_no_factor_can_be_left_out():
    net, X, Y = _binary()
    r = chain_rule(net, X, Y, 1, 1, 0)
    kinds = [f["kind"] for f in r["paths"][0]["factors"]]
    # ∂L/∂z at the output (fused), then a weight and ∂a/∂z per layer back, then the input a.
    assert kinds == ["grad_z_output", "weight", "da_dz", "weight", "da_dz", "input"]
    for p in r["paths"]:
        assert np.allclose(p["products"], np.prod([f["values"] for f in p["factors"]], axis=0),
                           rtol=0, atol=1e-15)
    for k, kind in enumerate(kinds):
        dropped = sum(np.mean(np.prod([f["values"] for n, f in enumerate(p["factors"])
                                       if n != k], axis=0)) for p in r["paths"])
        assert abs(dropped - r["gradient"]) > 1e-9, kind


def test_factors_name_their_place_and_speak_the_session_language():
    net, X, Y = _softmax()
    es = chain_rule(net, X, Y, 1, 2, 1)
    en = chain_rule(net, X, Y, 1, 2, 1, lang="en")
    f_es, f_en = es["paths"][1]["factors"], en["paths"][1]["factors"]
    assert [f["kind"] for f in f_es] == ["grad_z_output", "weight", "da_dz", "input"]
    assert f_es[1]["symbol"] == "w⁽²⁾₁,₂" and (f_es[1]["layer"], f_es[1]["neuron"],
                                               f_es[1]["source"]) == (2, 1, 2)
    assert f_es[1]["values"][0] == net.weights[1][1, 2]
    assert f_es[3]["values"].tolist() == X[:, 1].tolist()
    assert f_es[2]["label"] != f_en[2]["label"] and "activación" in f_es[2]["label"]
    bias = chain_rule(net, X, Y, 1, 2, None)["paths"][0]["factors"][-1]
    assert bias["kind"] == "bias_input" and bias["values"].tolist() == [1.0] * len(X)


def test_a_softmax_output_without_its_loss_branches_over_every_output():
    net, X, Y = _softmax("mse")
    for layer, j, i in _parameters(net):
        r = chain_rule(net, X, Y, layer, j, i)
        assert r["n_paths"] == len(r["paths"]) == int(np.prod(net.sizes[layer + 1:])) * 3
        assert abs(r["sum"] - _engine_gradient(net, X, Y, layer, j, i)) < 1e-12
    kinds = [f["kind"] for f in r["paths"][0]["factors"]]
    assert kinds[:2] == ["grad_a_output", "softmax_jacobian"]


def test_dropout_masks_are_factors_and_match_the_next_step():
    rng = np.random.default_rng(3)
    net = Network([2, 5, 4, 1], ["relu", "tanh", "sigmoid"], "mse", seed=2, dropout=0.5)
    X, Y = rng.normal(size=(8, 2)), rng.random((8, 1))
    before = net.to_dict()
    r = chain_rule(net, X, Y, 1, 3, 0)
    masks = [f for p in r["paths"] for f in p["factors"] if f["kind"] == "dropout"]
    assert masks and {float(v) for f in masks for v in f["values"]} <= {0.0, 2.0}
    assert abs(r["sum"] - r["gradient"]) < 1e-12
    assert json.dumps(net.to_dict()) == json.dumps(before)      # nothing drawn, nothing changed
    trace = trace_step(net, X, Y)                               # the step draws the same masks
    assert abs(trace["grad_weights"][0][3][0] - r["gradient"]) < 1e-15


def test_what_the_path_view_cannot_show_is_refused_in_both_languages():
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", batch_norm=True)
    X, Y = rng.normal(size=(4, 2)), np.array([[0.0], [1.0], [1.0], [0.0]])
    err = refused("chain_rule_batch_norm", chain_rule, net, X, Y, 1, 0, 0)
    assert "normalización por lotes" in err.message_es and "batch normalization" in str(err)
    net, X, Y = _binary()
    assert refused("invalid_layer", chain_rule, net, X, Y, 4, 0, 0).field == "layer"
    assert refused("invalid_neuron", chain_rule, net, X, Y, 2, 2, 0).field == "j"
    assert refused("invalid_source", chain_rule, net, X, Y, 2, 0, 3).field == "i"
    wide = Network([2, 16, 16, 16, 16, 1], ["tanh"] * 4 + ["sigmoid"], "bce")
    assert 16 ** 3 > MAX_PATHS
    refused("too_many_paths", chain_rule, wide, X, Y, 1, 0, 0)


# ----- the command ---------------------------------------------------------------------------

def _call(reg, cmd, args):
    return json.loads(reg.call("s", cmd, json.dumps(args)))


def test_the_command_explains_the_next_mini_batch_and_changes_nothing():
    reg = Registry()
    _call(reg, "create", {"config": {"hidden": [3, 2], "batch_size": 5, "n_samples": 40}})
    saved = _call(reg, "save", {})["result"]["state"]
    reply = _call(reg, "chain_rule", {"layer": 1, "j": 2, "i": 1})
    assert reply["ok"], reply
    r = reply["result"]
    assert r["indices"] == [0, 1, 2, 3, 4] and r["n_paths"] == 2 and r["n_examples"] == 5
    assert abs(r["sum"] - r["gradient"]) < 1e-12
    assert r["param"] == {"kind": "weight", "name": "W1", "layer": 1, "neuron": 2, "source": 1,
                          "value": r["param"]["value"]}
    assert isinstance(r["paths"][0]["factors"][0]["values"], list)
    trace = _call(reg, "trace", {})["result"]["trace"]
    assert abs(trace["grad_weights"][0][2][1] - r["gradient"]) < 1e-15
    assert _call(reg, "chain_rule", {"layer": 3, "j": 0, "indices": [7]})["result"][
        "param"]["kind"] == "bias"
    reg2 = Registry()
    reg2.call("s", "load", json.dumps({"state": saved}))
    assert _call(reg2, "chain_rule", {"layer": 1, "j": 2, "i": 1})["result"] == r


@pytest.mark.parametrize("args, field", [
    ({"layer": 4, "j": 0, "i": 0}, "layer"), ({"layer": 0, "j": 0}, "layer"),
    ({"layer": 1, "j": 3, "i": 0}, "j"), ({"layer": 2, "j": 0, "i": 3}, "i"),
    ({"layer": 1, "j": 0, "indices": [40]}, "indices"), ({"j": 0}, "layer"),
    ({"layer": 1.5, "j": 0}, "layer")])
def test_a_bad_index_is_refused_and_leaves_the_session_as_it_was(args, field):
    reg = Registry()
    _call(reg, "create", {"config": {"hidden": [3, 2], "n_samples": 40}})
    _call(reg, "train", {"epochs": 2})
    before = json.dumps(_call(reg, "save", {})["result"], sort_keys=True)
    reply = _call(reg, "chain_rule", args)
    assert not reply["ok"] and reply["error"]["field"] == field
    assert reply["error"]["message"] != reply["error"]["message_en"]
    assert json.dumps(_call(reg, "save", {})["result"], sort_keys=True) == before


def test_the_command_refuses_batch_norm_with_a_spanish_message():
    reg = Registry()
    _call(reg, "create", {"config": {"hidden": [3], "batch_norm": True, "n_samples": 40}})
    error = _call(reg, "chain_rule", {"layer": 1, "j": 0, "i": 0})["error"]
    assert error["code"] == "chain_rule_batch_norm" and error["field"] == "batch_norm"
    assert "normalización por lotes" in error["message"]
