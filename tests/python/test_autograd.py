"""Autograd over scalars (autograd.py) against the engine's backward pass and differences."""

import json
import math

import numpy as np
import pytest

from backprop import autograd as ag
from backprop.activations import ACTIVATION_NAMES
from backprop.commands import Registry
from backprop.network import Network
from backprop.trace import trace_step
from conftest import refused


def test_backward_applies_the_chain_rule_edge_by_edge():
    x, w, b = ag.Value(2.0), ag.Value(-3.0), ag.Value(0.5)
    z = ag.add(ag.mul(w, x), b)                  # z = w·x + b = −5.5
    a = ag.tanh(z)
    order = a.backward()
    assert order[0] is a and order[-1] in (x, w, b) and len(order) == 6
    da = 1 - math.tanh(-5.5) ** 2
    assert (w.grad, x.grad, b.grad) == (pytest.approx(da * 2.0), pytest.approx(da * -3.0),
                                        pytest.approx(da))
    shared = ag.mul(x, x)                        # a node used twice adds both contributions
    shared.backward()
    assert x.grad == pytest.approx(4.0)


@pytest.mark.parametrize("op, z, value, slope", [
    ("sigmoid", 0.3, 1 / (1 + math.exp(-0.3)), None), ("tanh", -0.7, math.tanh(-0.7), None),
    ("relu", -0.2, 0.0, None), ("relu", 1.5, 1.5, None), ("leaky_relu", -2.0, -0.2, 0.1),
    ("linear", 0.8, 0.8, None)])
def test_each_operation_s_local_derivative_is_its_slope(op, z, value, slope):
    args = () if slope is None else (slope,)
    f = lambda v: getattr(ag, op)(ag.Value(v), *args).data  # noqa: E731
    node = getattr(ag, op)(ag.Value(z), *args)
    assert node.data == pytest.approx(value, abs=1e-15)
    h = 1e-6
    assert node.local[0] == pytest.approx((f(z + h) - f(z - h)) / (2 * h), abs=1e-8)


def _engine_neuron(net, x, y, layer, j):
    """The engine's own backward pass for one example: ∂L/∂w, ∂L/∂b, δ and ∂L/∂a of the
    neuron (from a step trace of a copy)."""
    trace = trace_step(net.copy(), [x], [y])
    grad_a = next(e["value"][0] for e in trace["events"] if e["kind"] == "grad_a"
                  and e["layer"] == layer and e["neuron"] == j)
    return (np.array(trace["grad_weights"][layer - 1][j]), trace["grad_biases"][layer - 1][j],
            trace["deltas"][layer - 1][0][j], grad_a)


def _networks():
    hidden = [a for a in ACTIVATION_NAMES if a != "softmax"]
    for k, act in enumerate(hidden):
        spec = {"name": act, "negative_slope": 0.1} if act == "leaky_relu" else act
        yield Network([2, 3, 2, 1], [spec, "tanh", "sigmoid"], "bce", seed=k), [1.0]
        yield Network([2, 3, 1], ["sigmoid", spec], "mse", seed=k), [0.4]
    yield Network([2, 4, 3], ["tanh", "softmax"], "ce", seed=9), [0.0, 0.0, 1.0]
    yield Network([2, 3, 3], ["relu", "softmax"], "mse", seed=8), [0.0, 1.0, 0.0]
    yield Network([2, 3, 2], ["tanh", "sigmoid"], "sse_half", seed=7), [0.2, 0.9]


@pytest.mark.parametrize("net, y", list(_networks()),
                         ids=lambda v: "-".join(map(str, v.sizes)) + " " + "/".join(
                             v.activations) + " " + v.loss_fn.name
                         if isinstance(v, Network) else "")
def test_graph_gradients_equal_the_engine_s_backward_pass(net, y):
    x = np.array([0.6, -1.1])
    for layer in range(1, len(net.sizes)):
        for j in range(net.sizes[layer]):
            g = ag.neuron_graph(net, x, y, layer, j)
            nodes = g["nodes"]
            gW, gb, delta, grad_a = _engine_neuron(net, x, y, layer, j)
            params = [n for n in nodes if n["kind"] == "parameter"]
            weights = sorted((n for n in params if "source" in n), key=lambda n: n["source"])
            assert [n["source"] for n in weights] == list(range(net.sizes[layer - 1]))
            assert np.abs(np.array([n["grad"] for n in weights]) - gW).max() < 1e-12
            (bias,) = [n for n in params if "source" not in n]
            assert abs(bias["grad"] - gb) < 1e-12
            (z,) = [n for n in nodes if n["op"] == "add" and n["layer"] == layer
                    and n["neuron"] == j]
            assert abs(z["grad"] - delta) < 1e-12
            a = nodes[g["neuron_node"]]
            assert a["op"] == net.activations[layer - 1] and abs(a["grad"] - grad_a) < 1e-12
            assert abs(g["loss"] - net.loss([x], [y])) < 1e-12


@pytest.mark.parametrize("net, y", list(_networks())[::3])
def test_graph_gradients_equal_central_differences(net, y):
    x, h = np.array([0.6, -1.1]), 1e-6
    for layer in range(1, len(net.sizes)):
        j = net.sizes[layer] - 1
        g = ag.neuron_graph(net, x, y, layer, j)
        for n in (n for n in g["nodes"] if n["kind"] == "parameter"):
            losses = []
            for step in (h, -h):
                moved = net.copy()
                arr = moved.weights[layer - 1] if "source" in n else moved.biases[layer - 1]
                arr[(j, n["source"]) if "source" in n else j] += step
                losses.append(ag.neuron_graph(moved, x, y, layer, j)["loss"])
            assert abs((losses[0] - losses[1]) / (2 * h) - n["grad"]) < 1e-6


def test_the_json_graph_can_be_replayed():
    net = Network([2, 3, 2, 1], ["tanh", "relu", "sigmoid"], "bce", seed=1)
    g = ag.neuron_graph(net, [0.3, 0.2], [1.0], 2, 1, lang="en")
    ids = [n["id"] for n in g["nodes"]]
    assert ids == list(range(len(ids))) and sorted(g["forward"]) == ids
    assert g["backward"] == g["forward"][::-1] and g["backward"][0] == g["root"]
    root = g["nodes"][g["root"]]
    assert root["kind"] == "loss" and root["op"] == "bce" and root["grad"] == 1.0
    # Replaying the backward order edge by edge gives every node's gradient.
    grads = {i: 0.0 for i in ids}
    grads[g["root"]] = 1.0
    into = {}
    for e in g["edges"]:
        into.setdefault(e["to"], []).append(e)
    for node in g["backward"]:
        for e in into.get(node, []):
            grads[e["from"]] += grads[node] * e["local"]
    assert all(abs(grads[n["id"]] - n["grad"]) < 1e-15 for n in g["nodes"])
    kinds = {n["kind"] for n in g["nodes"]}
    assert kinds == {"input", "parameter", "constant", "operation", "loss"}
    assert g["nodes"][g["neuron_node"]]["label"] == "ReLU"
    assert json.loads(json.dumps(g, allow_nan=False)) == g


def test_what_the_graph_cannot_show_is_refused():
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", batch_norm=True)
    err = refused("autograd_batch_norm", ag.neuron_graph, net, [0.1, 0.2], [1.0], 1, 0)
    assert "normalización por lotes" in err.message_es
    wide = Network([2, 16, 16, 16, 1], ["tanh"] * 3 + ["sigmoid"], "bce")
    refused("too_many_nodes", ag.neuron_graph, wide, [0.1, 0.2], [1.0], 1, 0)
    assert refused("invalid_neuron", ag.neuron_graph, wide, [0.1, 0.2], [1.0], 4, 1).field == "j"


def _call(reg, cmd, args):
    return json.loads(reg.call("s", cmd, json.dumps(args)))


def test_the_command_draws_a_neuron_of_the_session_s_network():
    reg = Registry()
    _call(reg, "create", {"config": {"hidden": [3], "n_samples": 40, "lang": "en"}})
    r = _call(reg, "autograd", {"layer": 1, "j": 2, "index": 5})
    assert r["ok"], r
    g = r["result"]
    assert g["index"] == 5 and g["neuron"] == {"layer": 1, "neuron": 2}
    assert g["nodes"][g["root"]]["label"] == "Loss: binary cross-entropy"
    assert _call(reg, "autograd", {"layer": 2, "j": 0})["result"]["index"] == 0


@pytest.mark.parametrize("args, field", [({"layer": 3, "j": 0}, "layer"),
                                         ({"layer": 1, "j": 3}, "j"),
                                         ({"layer": 1, "j": 0, "index": 30}, "index"),
                                         ({"layer": 1, "j": 0, "index": -1}, "index")])
def test_a_bad_autograd_argument_is_refused_and_changes_nothing(args, field):
    reg = Registry()
    _call(reg, "create", {"config": {"hidden": [3], "n_samples": 40}})
    before = json.dumps(_call(reg, "save", {})["result"], sort_keys=True)
    reply = _call(reg, "autograd", args)
    assert not reply["ok"] and reply["error"]["field"] == field
    assert json.dumps(_call(reg, "save", {})["result"], sort_keys=True) == before
