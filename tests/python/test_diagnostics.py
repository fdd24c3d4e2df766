"""Diagnostics: gradient flow, dead ReLUs, saturation, update ratios, divergence."""

import json
import math

import numpy as np
import pytest

from backprop.diagnostics import divergence, gradient_flow, summarize
from backprop.network import Network
from conftest import refused


def data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2.0, 2.0, (n, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    return X, Y


def central_difference_grads(net, X, Y, arrays, h=1e-6):
    """∂(total loss)/∂p for every entry of each array, by central differences."""
    grads = []
    for P in arrays:
        g = np.zeros_like(P)
        for idx in np.ndindex(P.shape):
            old = P[idx]
            P[idx] = old + h
            up = net.total_loss(X, Y)
            P[idx] = old - h
            down = net.total_loss(X, Y)
            P[idx] = old
            g[idx] = (up - down) / (2 * h)
        grads.append(g)
    return grads


def test_gradient_norms_match_central_differences():
    X, Y = data()
    net = Network([2, 4, 3, 1], ["tanh", "sigmoid", "sigmoid"], "bce", seed=2)
    flow = gradient_flow(net, X, Y)
    numeric = central_difference_grads(net, X, Y, net.weights)
    numeric_b = central_difference_grads(net, X, Y, net.biases)
    rms = [math.sqrt((np.sum(g ** 2) + np.sum(gb ** 2)) / (g.size + gb.size))
           for g, gb in zip(numeric, numeric_b)]
    for entry, g, gb, r in zip(flow["layers"], numeric, numeric_b, rms):
        assert entry["grad_norm"] == pytest.approx(np.linalg.norm(g), rel=1e-5)
        assert entry["bias_grad_norm"] == pytest.approx(np.linalg.norm(gb), rel=1e-5)
        assert entry["grad_rms"] == pytest.approx(r, rel=1e-5)
        assert entry["relative_to_output"] == pytest.approx(r / rms[-1], rel=1e-5)
    assert [e["layer"] for e in flow["layers"]] == [1, 2, 3]
    assert [e["activation"] for e in flow["layers"]] == ["tanh", "sigmoid", "sigmoid"]


def test_a_large_initialization_is_exploding_though_the_layers_keep_their_ratio():
    # Scaling every weight by g scales every layer's gradient about alike: the first/last ratio
    # stays in bounds, so only the absolute size can tell the reader the gradients exploded.
    X, Y = data()
    sizes, acts = [2, 8, 8, 8, 8, 1], ["relu"] * 4 + ["sigmoid"]
    calm = gradient_flow(Network(sizes, acts, "bce", init="he_normal", seed=1), X, Y)
    big = gradient_flow(Network(sizes, acts, "bce", init="he_normal", seed=1, init_gain=8.0),
                        X, Y)
    assert calm["status"] == "ok"
    assert big["status"] == "exploding"
    assert max(e["grad_rms"] for e in big["layers"]) > 100
    assert 1e-2 < big["layers"][0]["relative_to_output"] < 1e2  # the ratio alone says ok


def test_mean_derivative_by_hand():
    X, Y = data()
    net = Network([2, 3, 1], ["sigmoid", "tanh"], "mse", seed=5)
    W1, b1 = net.weights[0], net.biases[0]
    a1 = 1.0 / (1.0 + np.exp(-(X @ W1.T + b1)))
    a2 = np.tanh(a1 @ net.weights[1].T + net.biases[1])
    flow = gradient_flow(net, X, Y)
    assert flow["layers"][0]["mean_derivative"] == pytest.approx(np.mean(a1 * (1 - a1)))
    assert flow["layers"][1]["mean_derivative"] == pytest.approx(np.mean(1 - a2 ** 2))
    assert flow["layers"][0]["mean_derivative"] <= 0.25


def test_dead_relus_with_very_negative_biases():
    X, Y = data()
    net = Network([2, 4, 1], ["relu", "sigmoid"], "bce", seed=1)
    net.biases[0][:] = -100.0
    report = summarize(net, X, Y)
    hidden = report["layers"][0]
    assert hidden["dead_fraction"] == 1.0 and hidden["dead_units"] == [0, 1, 2, 3]
    assert report["dead_relu_fraction"] == 1.0
    # No signal reaches the first layer: its gradient is exactly zero.
    assert hidden["grad_norm"] == 0.0
    assert report["gradient_status"] == "vanishing"


def test_some_dead_relus():
    X, Y = data()
    net = Network([2, 4, 1], ["relu", "sigmoid"], "bce", seed=1)
    net.biases[0][:] = 100.0
    net.biases[0][2] = -100.0
    hidden = summarize(net, X, Y)["layers"][0]
    assert hidden["dead_fraction"] == 0.25 and hidden["dead_units"] == [2]


@pytest.mark.parametrize("act", ["tanh", "sigmoid"])
def test_saturation_with_large_weights_and_none_with_small(act):
    X, Y = data()
    big = Network([2, 5, 1], [act, "sigmoid"], "bce", seed=0)
    big.weights[0][:] = np.sign(big.weights[0]) * 200.0
    big.weights[0][big.weights[0] == 0] = 200.0
    report = summarize(big, X, Y)
    assert report["layers"][0]["saturated_fraction"] == 1.0
    assert report["layers"][0]["saturated_sample_fraction"] > 0.9
    small = Network([2, 5, 1], [act, "sigmoid"], "bce", seed=0)
    small.weights[0] *= 1e-3
    assert summarize(small, X, Y)["layers"][0]["saturated_fraction"] == 0.0


def test_update_ratio():
    X, Y = data()
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", seed=0)
    ups = [0.01 * W for W in net.weights]
    report = summarize(net, X, Y, updates=ups)
    for entry, W in zip(report["layers"], net.weights):
        assert entry["update_ratio"] == pytest.approx(0.01)
        assert entry["update_norm"] == pytest.approx(0.01 * np.linalg.norm(W))
    # The same numbers when the updates come as a dict, and after a real SGD step.
    assert summarize(net, X, Y, updates={"weights": ups})["layers"][0]["update_ratio"] == \
        pytest.approx(0.01)
    before = [W.copy() for W in net.weights]
    net.train_step(X, Y)
    deltas = [W - B for W, B in zip(net.weights, before)]
    report = summarize(net, X, Y, updates=deltas)
    expected = np.linalg.norm(deltas[1]) / np.linalg.norm(net.weights[1])
    assert report["layers"][1]["update_ratio"] == pytest.approx(expected)


def test_summary_is_json_safe_and_refusals_change_nothing():
    X, Y = data()
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", seed=0)
    text = json.dumps(summarize(net, X, Y), allow_nan=False)
    assert json.loads(text)["loss"] == pytest.approx(net.loss(X, Y))
    before = net.get_flat_params().copy()
    refused("invalid_updates", summarize, net, X, Y, updates=[np.zeros((3, 2))])
    refused("invalid_updates", summarize, net, X, Y, updates=[np.zeros((2, 3)), np.zeros((1, 3))])
    refused("invalid_inputs", summarize, net, X[:, :1], Y)
    refused("invalid_targets", summarize, net, X, Y[:-1])
    np.testing.assert_array_equal(net.get_flat_params(), before)


def test_summary_with_overflowing_weights_stays_json_safe():
    X, Y = data()
    net = Network([2, 3, 1], ["relu", "linear"], "mse", seed=0)
    net.weights[0][:] = 1e200
    net.weights[1][:] = 1e200
    report = summarize(net, X, Y)
    json.dumps(report, allow_nan=False)
    assert report["loss"] is None


@pytest.mark.parametrize("history, status, index", [
    ([1.0, 0.6, 0.4, 0.3], "ok", None),
    ([1.0, 0.5, 0.3, 0.9], "ok", None),           # bumpy but below where it started
    ([0.7, 0.9, 1.3, 2.0], "ok", None),           # growing, but not 100× max(1, first)
    ([0.7, 0.9, 13.0, 101.0], "exploding", 0),    # the rule training stops on
    ([2.0, 0.2, 50.0, 201.0], "exploding", 1),
    ([1.0, float("nan"), 0.5], "non_finite", 1),
    ([1.0, 2.0, float("inf")], "non_finite", 2),
    ([1.0, None], "non_finite", 1),
    ([], "ok", None),
    ([3.0], "ok", None),
])
def test_divergence_classifier(history, status, index):
    result = divergence(history)
    assert result["status"] == status and result["index"] == index
    assert result["message"] and result["message_en"]
    json.dumps(result, allow_nan=False)


def test_divergence_factor_and_refusals():
    assert divergence([1.0, 0.5, 2.5], factor=3.0)["status"] == "ok"
    assert divergence([1.0, 0.5, 2.5], factor=2.0)["status"] == "exploding"
    refused("invalid_history", divergence, "1, 2, 3")
    refused("invalid_history", divergence, [1.0, "x"])
    refused("invalid_history", divergence, 5)
    refused("invalid_factor", divergence, [1.0], factor=1.0)


def test_real_exploding_training_is_detected():
    # A learning rate far too large on a regression problem makes the loss grow.
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, (50, 2))
    Y = X.sum(axis=1, keepdims=True)
    net = Network([2, 4, 1], ["linear", "linear"], "mse", seed=0,
                  optimizer={"name": "sgd", "learning_rate": 0.5})
    history = [net.loss(X, Y)]
    for _ in range(8):
        net.train_step(X, Y)
        history.append(net.loss(X, Y))
    assert divergence(history)["status"] in ("exploding", "non_finite")
    calm = Network([2, 4, 1], ["linear", "linear"], "mse", seed=0,
                   optimizer={"name": "sgd", "learning_rate": 0.01})
    history = [calm.loss(X, Y)]
    for _ in range(8):
        calm.train_step(X, Y)
        history.append(calm.loss(X, Y))
    assert divergence(history)["status"] == "ok"


def test_summary_leaves_a_dropout_batchnorm_network_untouched():
    X, Y = data()
    net = Network([2, 4, 3, 1], ["relu", "tanh", "sigmoid"], "bce", seed=3, dropout=0.3,
                  batch_norm=True)
    net.train_epoch(X, Y, batch_size=10)  # running statistics away from their initial values
    rng_state = net.rng.bit_generator.state
    stats = [(bn.running_mean.copy(), bn.running_var.copy()) for bn in net.batch_norms if bn]
    params = net.get_flat_params().copy()
    report = summarize(net, X, Y, updates=[np.ones_like(W) for W in net.weights])
    json.dumps(report, allow_nan=False)
    assert [e["layer"] for e in report["layers"]] == [1, 2, 3]
    assert net.rng.bit_generator.state == rng_state
    np.testing.assert_array_equal(net.get_flat_params(), params)
    for bn, (mean, var) in zip([bn for bn in net.batch_norms if bn], stats):
        np.testing.assert_array_equal(bn.running_mean, mean)
        np.testing.assert_array_equal(bn.running_var, var)


def test_summary_with_precomputed_gradients_is_the_same():
    X, Y = data()
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", seed=0)
    assert summarize(net, X, Y, grads=net.gradients(X, Y)) == summarize(net, X, Y)
