"""Loss slices over two weights or two random directions, and the optimizer's path on them."""

import json

import numpy as np
import pytest

from backprop.landscape import loss_slice, project_path, random_directions
from backprop.network import Network
from conftest import refused


def data(n=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (n, 2))
    Y = (X[:, :1] + 0.5 * X[:, 1:] > 0).astype(float)
    return X, Y


def small_net(seed=0):
    return Network([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=seed)


def mse_by_hand(W1, b1, W2, b2, X, Y):
    """Forward pass and MSE of a 2-2-1 sigmoid network, written out independently."""
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))
    h = sig(X @ W1.T + b1)
    out = sig(h @ W2.T + b2)
    return float(np.mean((out - Y) ** 2))


def test_weight_slice_values_by_hand():
    X, Y = data()
    net = small_net(seed=4)
    W1, b1 = net.weights[0].copy(), net.biases[0].copy()
    W2, b2 = net.weights[1].copy(), net.biases[1].copy()
    res = 5
    out = loss_slice(net, X, Y, params=[(0, 1, 0), (1, 0)], span=2.0, resolution=res)
    assert out["mode"] == "weights"
    assert out["center"] == [W1[1, 0], b2[0]]
    np.testing.assert_allclose(out["alpha"], W1[1, 0] + np.linspace(-2, 2, res))
    np.testing.assert_allclose(out["beta"], b2[0] + np.linspace(-2, 2, res))
    for r in range(res):
        for c in range(res):
            w = W1.copy()
            w[1, 0] = out["alpha"][c]
            b = b2.copy()
            b[0] = out["beta"][r]
            assert out["loss"][r][c] == pytest.approx(mse_by_hand(w, b1, W2, b, X, Y), rel=1e-10)
    # The centre of an odd grid is the current point.
    assert out["loss"][res // 2][res // 2] == pytest.approx(net.total_loss(X, Y))
    assert out["center_loss"] == pytest.approx(net.total_loss(X, Y))
    assert out["axes"]["alpha"]["param"] == [0, 1, 0] and out["axes"]["beta"]["kind"] == "bias"
    json.dumps(out, allow_nan=False)


def test_slice_includes_the_l2_penalty():
    X, Y = data()
    net = Network([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=4, l2=0.1)
    out = loss_slice(net, X, Y, params=[(0, 0, 0), (0, 0, 1)], resolution=3)
    plain = mse_by_hand(net.weights[0], net.biases[0], net.weights[1], net.biases[1], X, Y)
    penalty = 0.5 * 0.1 * sum(float(np.sum(W ** 2)) for W in net.weights)
    assert out["center_loss"] == pytest.approx(net.total_loss(X, Y))
    assert out["loss"][1][1] == pytest.approx(net.total_loss(X, Y))
    assert out["loss"][1][1] > plain  # the penalty is part of what is drawn
    # λ/2·Σw², the penalty whose gradient is λ·w (PyTorch's weight_decay).
    assert out["loss"][1][1] == pytest.approx(plain + penalty)


def test_the_network_is_not_changed():
    X, Y = data()
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", seed=1)
    before = net.get_flat_params().copy()
    out_before = net.forward(X)
    loss_slice(net, X, Y, resolution=7)
    loss_slice(net, X, Y, params=[(0, 0, 1), (1, 0, 2)], resolution=7)
    np.testing.assert_array_equal(net.get_flat_params(), before)
    np.testing.assert_array_equal(net.forward(X), out_before)


def test_random_directions_are_filter_normalized_and_orthogonal():
    net = Network([2, 5, 4, 1], ["tanh", "tanh", "sigmoid"], "bce", seed=2)
    d1, d2 = random_directions(net, seed=3)
    for W, u, v in zip(net.weights, d1, d2):
        np.testing.assert_allclose(np.linalg.norm(u, axis=1), np.linalg.norm(W, axis=1))
        np.testing.assert_allclose(np.linalg.norm(v, axis=1), np.linalg.norm(W, axis=1))
    total = sum(float(np.sum(u * v)) for u, v in zip(d1, d2))
    assert abs(total) < 1e-10
    again = random_directions(net, seed=3)
    other = random_directions(net, seed=4)
    np.testing.assert_array_equal(again[0][0], d1[0])
    assert not np.allclose(other[0][0], d1[0])


def test_random_slice_values_and_centre():
    X, Y = data()
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", seed=1)
    res = 5
    out = loss_slice(net, X, Y, span=0.5, resolution=res, seed=7)
    assert out["mode"] == "random" and out["center"] == [0.0, 0.0]
    np.testing.assert_allclose(out["alpha"], np.linspace(-0.5, 0.5, res))
    assert out["loss"][2][2] == pytest.approx(net.total_loss(X, Y))
    origin = np.array(out["origin"])
    d1, d2 = (np.array(d) for d in out["directions"])
    np.testing.assert_array_equal(origin, net.get_flat_params())
    probe = net.copy()
    for r, c in ((0, 0), (1, 3), (4, 2)):
        probe.set_flat_params(origin + out["alpha"][c] * d1 + out["beta"][r] * d2)
        assert out["loss"][r][c] == pytest.approx(probe.total_loss(X, Y), rel=1e-12)
    # Flat layout W1 (3×2), b1 (3), W2 (1×3), b2 (1): the directions never move a bias.
    assert origin.size == 13
    bias_slots = [6, 7, 8, 12]
    np.testing.assert_array_equal(d1[bias_slots], 0.0)
    np.testing.assert_array_equal(d2[bias_slots], 0.0)
    assert np.all(d1[[0, 1, 2, 3, 4, 5, 9, 10, 11]] != 0.0)
    same = loss_slice(net, X, Y, span=0.5, resolution=res, seed=7)
    assert same["loss"] == out["loss"]


def test_project_path_in_random_mode():
    X, Y = data()
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", seed=1,
                  optimizer={"name": "sgd", "learning_rate": 0.5})
    out = loss_slice(net, X, Y, resolution=3)
    origin = np.array(out["origin"])
    d1, d2 = (np.array(d) for d in out["directions"])
    on_plane = [origin, origin + 0.3 * d1 - 0.2 * d2, origin + d2]
    proj = project_path(on_plane, out)
    np.testing.assert_allclose(proj["alpha"], [0.0, 0.3, 0.0], atol=1e-12)
    np.testing.assert_allclose(proj["beta"], [0.0, -0.2, 1.0], atol=1e-12)
    np.testing.assert_allclose(proj["off_plane"], [0.0, 0.0, 0.0], atol=1e-9)
    # A real training path leaves the plane: the fraction it cannot show is reported.
    path = [net.get_flat_params().copy()]
    for _ in range(5):
        net.train_step(X, Y)
        path.append(net.get_flat_params().copy())
    proj = project_path(path, out)
    assert proj["alpha"][0] == pytest.approx(0.0) and len(proj["alpha"]) == 6
    assert all(0.0 <= f <= 1.0 for f in proj["off_plane"]) and max(proj["off_plane"]) > 0.0
    json.dumps(proj, allow_nan=False)


def test_project_path_in_weights_mode():
    X, Y = data()
    net = Network([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0,
                  optimizer={"name": "sgd", "learning_rate": 1.0})
    out = loss_slice(net, X, Y, params=[(1, 0, 1), (0, 1)], resolution=3)
    flat, pairs = [], []
    for _ in range(4):
        flat.append(net.get_flat_params().copy())
        pairs.append([net.weights[1][0, 1], net.biases[0][1]])
        net.train_step(X, Y)
    by_flat = project_path(flat, out)
    by_pairs = project_path(pairs, out)
    np.testing.assert_allclose(by_flat["alpha"], [p[0] for p in pairs])
    np.testing.assert_allclose(by_flat["beta"], [p[1] for p in pairs])
    assert by_flat["alpha"] == by_pairs["alpha"]
    assert project_path([], out) == {"alpha": [], "beta": [], "off_plane": []}


@pytest.mark.parametrize("kwargs, code", [
    ({"span": 0.0}, "invalid_span"),
    ({"span": float("inf")}, "invalid_span"),
    ({"resolution": 2}, "invalid_resolution"),
    ({"resolution": 1000}, "invalid_resolution"),
    ({"seed": -1}, "invalid_seed"),
    ({"params": [(0, 0, 0)]}, "invalid_param"),
    ({"params": [(0, 0, 0), (0, 0, 0)]}, "invalid_param"),
    ({"params": [(0, 0, 0), (2, 0, 0)]}, "invalid_param"),
    ({"params": [(0, 0, 5), (1, 0, 0)]}, "invalid_param"),
    ({"params": [(0, 0, 0), (1, 3)]}, "invalid_param"),
    ({"params": [(0, 0, 0.5), (1, 0)]}, "invalid_param"),
])
def test_slice_refuses_bad_arguments(kwargs, code):
    X, Y = data()
    net = small_net()
    before = net.get_flat_params().copy()
    refused(code, loss_slice, net, X, Y, **kwargs)
    np.testing.assert_array_equal(net.get_flat_params(), before)


def test_project_path_refusals():
    X, Y = data()
    net = small_net()
    out = loss_slice(net, X, Y, resolution=3)
    refused("invalid_landscape", project_path, [[0.0, 0.0]], {"mode": "other"})
    refused("invalid_path", project_path, [[0.0, 0.0]], out)  # random mode needs flat vectors
    refused("invalid_path", project_path, [[float("nan")] * 9], out)
    refused("invalid_path", project_path, "abc", out)


def test_slice_leaves_a_dropout_batchnorm_network_untouched():
    X, Y = data()
    net = Network([2, 4, 1], ["tanh", "sigmoid"], "bce", seed=3, dropout=0.3, batch_norm=True)
    net.train_epoch(X, Y, batch_size=10)
    rng_state = net.rng.bit_generator.state
    mean = net.batch_norms[0].running_mean.copy()
    params = net.get_flat_params().copy()
    out = loss_slice(net, X, Y, resolution=5)
    # Evaluation mode: the centre is the loss with running statistics and no dropout.
    assert out["loss"][2][2] == pytest.approx(net.total_loss(X, Y))
    assert net.rng.bit_generator.state == rng_state
    np.testing.assert_array_equal(net.get_flat_params(), params)
    np.testing.assert_array_equal(net.batch_norms[0].running_mean, mean)
    # The flat layout includes γ and β: the path projection still lines up.
    proj = project_path([params], out)
    assert proj["alpha"] == [pytest.approx(0.0)] and proj["off_plane"] == [0.0]


def grid_by_total_loss(net, X, Y, out):
    """Every grid value recomputed with the engine's total_loss on a fresh copy."""
    probe = net.copy()
    expected = np.empty((len(out["beta"]), len(out["alpha"])))
    for r, b in enumerate(out["beta"]):
        for c, a in enumerate(out["alpha"]):
            if out["mode"] == "random":
                d1, d2 = (np.array(d) for d in out["directions"])
                probe.set_flat_params(np.array(out["origin"]) + a * d1 + b * d2)
            else:
                flat = net.get_flat_params().copy()
                flat[out["axes"]["alpha"]["flat_index"]] = a
                flat[out["axes"]["beta"]["flat_index"]] = b
                probe.set_flat_params(flat)
            expected[r, c] = probe.total_loss(X, Y)
    return expected


@pytest.mark.parametrize("sizes, acts, loss, extra, params", [
    ([2, 3, 1], ["tanh", "sigmoid"], "bce", {}, [(0, 2, 1), (1, 0, 2)]),
    ([2, 3, 3], ["relu", "softmax"], "ce", {"l2": 0.05}, [(0, 0, 0), (1, 2)]),
    ([2, 4, 2, 1], ["leaky_relu", "sigmoid", "linear"], "mse", {"l1": 0.02}, None),
    ([2, 3, 2], ["tanh", "sigmoid"], "sse_half", {}, [(0, 1, 0), (0, 1, 1)]),
    ([2, 3, 1], ["tanh", "sigmoid"], "bce", {"batch_norm": True}, [(0, 1, 0), (1, 0)]),
    ([2, 3, 1], ["tanh", "sigmoid"], "bce", {"batch_norm": True}, None),
])
def test_every_grid_value_equals_total_loss(sizes, acts, loss, extra, params):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20, 2))
    if loss == "ce":
        Y = np.eye(3)[rng.integers(0, 3, 20)]
    elif loss == "bce":
        Y = rng.integers(0, 2, (20, 1)).astype(float)
    else:
        Y = rng.normal(size=(20, sizes[-1]))
    net = Network(sizes, acts, loss, seed=2, **extra)
    if extra.get("batch_norm"):
        net.train_epoch(X, Y, batch_size=5)  # running statistics of its own
    before = net.get_flat_params().copy()
    out = loss_slice(net, X, Y, params=params, span=1.5, resolution=5)
    np.testing.assert_allclose(np.array(out["loss"], dtype=float),
                               grid_by_total_loss(net, X, Y, out), rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(net.get_flat_params(), before)


def test_batches_of_one_point_give_the_same_grid(monkeypatch):
    import backprop.landscape as landscape
    X, Y = data()
    net = small_net(seed=3)
    before = net.get_flat_params().copy()
    wide = loss_slice(net, X, Y, params=[(0, 0, 0), (0, 0, 1)], resolution=5)
    monkeypatch.setattr(landscape, "BATCH_BUDGET", 1)
    narrow = loss_slice(net, X, Y, params=[(0, 0, 0), (0, 0, 1)], resolution=5)
    np.testing.assert_allclose(narrow["loss"], wide["loss"], rtol=1e-12)
    np.testing.assert_array_equal(net.get_flat_params(), before)


def test_bias_of_a_batch_normalized_layer_is_refused():
    X, Y = data()
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", batch_norm=True)
    refused("invalid_param", loss_slice, net, X, Y, params=[(0, 0, 0), (0, 1)])
