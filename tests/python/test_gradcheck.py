"""Backpropagation against central differences for every activation × loss × regularizer ×
batch norm. Compatible pairs only: bce with a sigmoid output, ce with a softmax output; the
other losses use the hidden activation at the output too, so its derivative is checked there."""

import copy
import itertools

import numpy as np
import pytest

from backprop.activations import Tanh
from backprop.gradcheck import check_gradients, numerical_gradients
from backprop.network import Network
from conftest import network_state, small_data

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
LOSSES = ["mse", "sse_half", "bce", "ce"]
REGULARIZERS = {"none": {}, "l1": {"l1": 0.01}, "l2": {"l2": 0.05}, "dropout": {"dropout": 0.3}}
KINK = 0.02  # keep every z and (for L1) every weight this far from the kinks at 0


def make_case(act, loss, reg, bn):
    """The first seed whose data keep clear of the kinks (ReLU at z = 0, |w| at w = 0)."""
    for seed in range(200):
        rng = np.random.default_rng(seed)
        k = 3 if loss == "ce" else 2
        out = {"bce": "sigmoid", "ce": "softmax"}.get(loss, act)
        net = Network([3, 4, 3, k], [act, act, out], loss, seed=seed, batch_norm=bn,
                      init="xavier_normal", **REGULARIZERS[reg])
        for b in net.biases:
            b[:] = rng.normal(0, 0.1, b.shape)
        if reg == "l1" and min(np.abs(w).min() for w in net.weights) < KINK:
            continue
        X, Y = small_data(rng, 6, 3, k, loss)
        _, cache = net.forward_cache(X, True, copy.deepcopy(net.rng))
        if min(np.abs(c.z).min() for c in cache) > KINK:
            return net, X, Y
    raise AssertionError("no seed keeps clear of the kinks")


@pytest.mark.parametrize("act,loss,reg,bn", list(itertools.product(
    HIDDEN, LOSSES, REGULARIZERS, [False, True])))
def test_backprop_matches_central_differences(act, loss, reg, bn):
    net, X, Y = make_case(act, loss, reg, bn)
    result = check_gradients(net, X, Y)
    assert result["max_relative_error"] < 1e-6, result["max_relative_error"]
    assert [p["name"] for p in result["parameters"]] == net.parameter_names()


def test_softmax_with_mse_uses_the_full_jacobian():
    net, X, Y = make_case("tanh", "mse", "none", False)
    net = Network([3, 4, 3], ["tanh", "softmax"], "mse", seed=1)
    assert check_gradients(net, X, np.eye(3)[[0, 1, 2, 0, 1, 2]])["max_relative_error"] < 1e-6


def test_two_point_formula_is_available_and_close():
    net, X, Y = make_case("tanh", "sse_half", "l2", False)
    result = check_gradients(net, X, Y, h=1e-6, order=2)
    assert result["max_relative_error"] < 1e-4 and result["order"] == 2


def test_a_wrong_derivative_is_caught(monkeypatch):
    net, X, Y = make_case("tanh", "mse", "none", False)
    monkeypatch.setattr(Tanh, "backward", lambda self, z, a, g: g * (1.0 - 0.9 * a * a))
    assert check_gradients(net, X, Y)["max_relative_error"] > 1e-3


def test_the_check_changes_nothing_in_the_network():
    net, X, Y = make_case("relu", "ce", "dropout", True)
    before = network_state(net)
    check_gradients(net, X, Y)
    numerical_gradients(net, X, Y)
    assert network_state(net) == before


def test_result_is_json_ready():
    import json
    net, X, Y = make_case("sigmoid", "bce", "none", False)
    text = json.dumps(check_gradients(net, X, Y), allow_nan=False)
    assert "relative_error" in text
