import math

import numpy as np
import pytest

from backprop.network import Network
from conftest import central_difference, small_data


def test_forward_by_hand_for_the_classic_network(classic_config):
    net = Network.from_config(classic_config)
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    h1 = sig(0.15 * 0.05 + 0.20 * 0.10 + 0.35)
    h2 = sig(0.25 * 0.05 + 0.30 * 0.10 + 0.35)
    o1 = sig(0.40 * h1 + 0.45 * h2 + 0.60)
    o2 = sig(0.50 * h1 + 0.55 * h2 + 0.60)
    layers = net.forward_layers([[0.05, 0.10]])
    assert len(layers) == 2
    np.testing.assert_allclose(layers[0][1], [[h1, h2]], rtol=1e-14)
    np.testing.assert_allclose(net.forward([[0.05, 0.10]]), [[o1, o2]], rtol=1e-14)
    assert layers[1][0].shape == (1, 2)
    loss = 0.5 * ((o1 - 0.01) ** 2 + (o2 - 0.99) ** 2)
    assert net.loss([[0.05, 0.10]], [[0.01, 0.99]]) == pytest.approx(loss, rel=1e-14)


def test_weights_are_out_by_in_and_biases_per_neuron():
    net = Network([3, 5, 2], ["relu", "sigmoid"], "bce")
    assert [w.shape for w in net.weights] == [(5, 3), (2, 5)]
    assert [b.shape for b in net.biases] == [(5,), (2,)]
    assert all(w.dtype == np.float64 for w in net.weights)
    assert net.sizes == [3, 5, 2] and net.activations == ["relu", "sigmoid"]


@pytest.mark.parametrize("loss,out", [("mse", "tanh"), ("sse_half", "linear"),
                                      ("bce", "sigmoid"), ("ce", "softmax")])
def test_gradients_match_central_differences_of_total_loss(loss, out):
    rng = np.random.default_rng(2)
    k = 3
    net = Network([2, 4, k], ["tanh", out], loss, seed=3, l2=0.1)
    X, Y = small_data(rng, 7, 2, k, loss)
    _, dW, db, _ = net.gradients(X, Y)

    def total(v):
        work = net.copy()
        work.set_flat_params(v)
        return work.total_loss(X, Y)

    want = central_difference(total, net.get_flat_params())
    got = np.concatenate([np.concatenate([w.ravel(), b]) for w, b in zip(dW, db)])
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)


def test_batch_gradient_is_the_mean_of_per_sample_gradients():
    rng = np.random.default_rng(4)
    net = Network([2, 3, 2], ["sigmoid", "softmax"], "ce", seed=1)
    X, Y = small_data(rng, 6, 2, 2, "ce")
    _, dW, db, _ = net.gradients(X, Y)
    per = [net.gradients(X[i:i + 1], Y[i:i + 1]) for i in range(6)]
    for l in range(2):
        np.testing.assert_allclose(dW[l], np.mean([p[1][l] for p in per], axis=0), rtol=1e-12)
        np.testing.assert_allclose(db[l], np.mean([p[2][l] for p in per], axis=0), rtol=1e-12)


def test_initializers_follow_their_formulas():
    big = [400, 300, 200]
    for name, check in [
        ("xavier_uniform", lambda w, i, o: np.abs(w).max() <= math.sqrt(6 / (i + o))
         and abs(w.std() - math.sqrt(2 / (i + o))) < 0.05 * math.sqrt(2 / (i + o))),
        ("xavier_normal", lambda w, i, o: abs(w.std() - math.sqrt(2 / (i + o)))
         < 0.05 * math.sqrt(2 / (i + o))),
        ("he_uniform", lambda w, i, o: np.abs(w).max() <= math.sqrt(6 / i)
         and abs(w.std() - math.sqrt(2 / i)) < 0.05 * math.sqrt(2 / i)),
        ("he_normal", lambda w, i, o: abs(w.std() - math.sqrt(2 / i)) < 0.05 * math.sqrt(2 / i)),
        ("small_uniform", lambda w, i, o: np.abs(w).max() <= 0.5 and w.std() > 0.25),
        ("zeros", lambda w, i, o: not w.any()),
    ]:
        net = Network(big, ["tanh", "linear"], init=name, seed=0)
        for w, i, o in zip(net.weights, big[:-1], big[1:]):
            assert check(w, i, o), name
        assert not any(b.any() for b in net.biases)


def test_zero_initialization_keeps_hidden_neurons_identical():
    rng = np.random.default_rng(0)
    net = Network([2, 4, 1], ["tanh", "sigmoid"], "bce", init="zeros",
                  optimizer={"name": "sgd", "learning_rate": 0.5})
    X = rng.normal(size=(20, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    net.biases[0][:] = 0.3  # even with a non-zero bias, symmetric neurons stay symmetric
    for _ in range(20):
        net.train_epoch(X, Y, 5)
    W1 = net.weights[0]
    assert np.allclose(W1, W1[0]) and np.allclose(net.weights[1], net.weights[1][0, 0])


def test_same_seed_same_numbers_and_different_seed_different_numbers():
    rng = np.random.default_rng(9)
    X, Y = small_data(rng, 30, 2, 1, "bce")

    def run(seed):
        net = Network([2, 5, 1], ["relu", "sigmoid"], "bce", seed=seed, dropout=0.2,
                      optimizer={"name": "adam", "learning_rate": 0.01})
        for _ in range(3):
            net.train_epoch(X, Y, 7)
        return net.get_flat_params()

    assert np.array_equal(run(1), run(1))
    assert not np.array_equal(run(1), run(2))


def test_inverted_dropout_only_in_training():
    net = Network([3, 200, 1], ["linear", "linear"], seed=0, dropout=0.25)
    net.weights[0][:] = np.eye(200, 3)[:, :] + 1.0
    X = np.ones((50, 3))
    z, a = net.forward_layers(X)[0]
    assert np.array_equal(z, a)                      # evaluation: nothing switched off
    z, a = net.forward_layers(X, training=True)[0]
    kept = a != 0
    assert 0.65 < kept.mean() < 0.85                 # about 1 − p of the units survive
    np.testing.assert_allclose(a[kept], z[kept] / 0.75)   # and are scaled by 1/(1 − p)
    # forward(training=True) does not consume the generator: same mask twice.
    np.testing.assert_array_equal(net.forward_layers(X, True)[0][1], a)


def test_batch_norm_normalizes_in_training_and_uses_running_stats_in_evaluation():
    rng = np.random.default_rng(5)
    net = Network([2, 3, 1], ["linear", "linear"], "mse", seed=2, batch_norm=True,
                  optimizer={"name": "sgd", "learning_rate": 1e-9})
    X = rng.normal(3.0, 2.0, size=(16, 2))
    Y = rng.normal(size=(16, 1))
    u, _ = net.forward_layers(X, training=True)[0]
    np.testing.assert_allclose(u.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(u.var(axis=0), 1, rtol=1e-4)     # var/(var + 1e-5)
    z = X @ net.weights[0].T + net.biases[0]
    bn = net.batch_norms[0]
    net.train_step(X, Y)
    # PyTorch: running = 0.9·running + 0.1·batch statistic (unbiased variance).
    np.testing.assert_allclose(bn.running_mean, 0.1 * z.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * z.var(axis=0, ddof=1), rtol=1e-6)
    u_eval, _ = net.forward_layers(X)[0]
    z = X @ net.weights[0].T + net.biases[0]
    want = (z - bn.running_mean) / np.sqrt(bn.running_var + 1e-5) * bn.gamma + bn.beta
    np.testing.assert_allclose(u_eval, want, rtol=1e-9)


def test_flat_params_roundtrip_and_copy_is_independent():
    net = Network([2, 3, 2], ["tanh", "softmax"], "ce", seed=0, batch_norm=True)
    v = net.get_flat_params()
    assert v.size == 2 * 3 + 3 + 3 + 3 * 2 + 2     # W1, γ1, β1, W2, b2
    twin = net.copy()
    twin.set_flat_params(v + 1.0)
    assert np.array_equal(net.get_flat_params(), v)
    np.testing.assert_array_equal(twin.get_flat_params(), v + 1.0)
    np.testing.assert_array_equal(twin.batch_norms[0].gamma, 2.0)


def test_frozen_layers_and_biases_stay_put():
    rng = np.random.default_rng(3)
    X, Y = small_data(rng, 8, 2, 1, "mse")
    net = Network([2, 3, 1], ["tanh", "linear"], seed=1, frozen_layers=[0], train_biases=False,
                  optimizer={"name": "momentum", "learning_rate": 0.1})
    W1, b = net.weights[0].copy(), [x.copy() for x in net.biases]
    W2 = net.weights[1].copy()
    net.train_epoch(X, Y, 4)
    assert np.array_equal(net.weights[0], W1)
    assert all(np.array_equal(x, y) for x, y in zip(net.biases, b))
    assert not np.array_equal(net.weights[1], W2)


def test_training_lowers_the_loss_on_xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    Y = np.array([[0], [1], [1], [0]], dtype=float)
    net = Network([2, 4, 1], ["tanh", "sigmoid"], "bce", seed=0,
                  optimizer={"name": "adam", "learning_rate": 0.05})
    start = net.loss(X, Y)
    for _ in range(300):
        net.train_epoch(X, Y)
    assert net.loss(X, Y) < 0.1 < start
    assert np.array_equal(net.forward(X).round(), Y)


def test_diverging_training_is_detected_not_hidden():
    rng = np.random.default_rng(0)
    X, Y = small_data(rng, 10, 2, 1, "mse")
    net = Network([2, 8, 1], ["relu", "linear"], "mse", seed=0,
                  optimizer={"name": "sgd", "learning_rate": 50.0})
    for _ in range(30):
        net.train_epoch(X, Y * 100)
    assert not net.is_finite() or not math.isfinite(net.loss(X, Y))


def test_any_parameter_can_be_frozen_by_name():
    rng = np.random.default_rng(6)
    X, Y = small_data(rng, 8, 2, 1, "mse")
    net = Network([2, 3, 1], ["tanh", "linear"], seed=1, frozen=["b2", "W1"],
                  optimizer={"name": "adam", "learning_rate": 0.1})
    before = {n: p.copy() for n, p in zip(net.parameter_names(), net.parameters())}
    net.train_epoch(X, Y, 4)
    after = dict(zip(net.parameter_names(), net.parameters()))
    assert np.array_equal(after["W1"], before["W1"]) and np.array_equal(after["b2"], before["b2"])
    assert not np.array_equal(after["b1"], before["b1"])
    assert not np.array_equal(after["W2"], before["W2"])
    assert Network.from_dict(net.to_dict()).frozen == ["W1", "b2"]


@pytest.mark.parametrize("act,out,loss", [("tanh", "sigmoid", "bce"), ("relu", "linear", "mse"),
                                          ("leaky_relu", "softmax", "ce")])
def test_fast_epoch_path_is_bit_identical_to_single_steps(act, out, loss):
    rng = np.random.default_rng(8)
    k = 3 if loss == "ce" else 1
    X, Y = small_data(rng, 23, 2, k, loss)
    a = Network([2, 5, 4, k], [act, act, out], loss, seed=3, l2=0.01, clip_norm=0.5,
                optimizer={"name": "momentum", "learning_rate": 0.1})
    b = a.copy()
    a.train_epoch(X, Y, 5)                       # the lean path
    order = b.rng.permutation(23)                # the same shuffle, then the general path
    for start in range(0, 23, 5):
        idx = order[start:start + 5]
        b.train_step(X[idx], Y[idx])
    assert np.array_equal(a.get_flat_params(), b.get_flat_params())
    assert all(np.array_equal(u, v) for u, v in zip(a.optimizer.state["velocity"],
                                                    b.optimizer.state["velocity"]))


@pytest.mark.parametrize("optimizer,options", [
    ("sgd", {}), ("sgd", {"l2": 0.01, "clip_norm": 0.5}), ("sgd", {"train_biases": False}),
    ("momentum", {}), ("nesterov", {"l1": 0.01}), ("rmsprop", {}), ("adam", {}),
    ("adam", {"train_biases": False})])
def test_flat_update_is_bit_identical_to_single_steps(optimizer, options):
    rng = np.random.default_rng(9)
    X, Y = small_data(rng, 23, 2, 1, "bce")
    a = Network([2, 5, 4, 1], ["tanh", "tanh", "sigmoid"], "bce", seed=3,
                optimizer={"name": optimizer, "learning_rate": 0.03}, **options)
    b = a.copy()
    for _ in range(3):
        a.train_epoch(X, Y, 5)                   # the flat vector (or per array when frozen)
        order = b.rng.permutation(23)
        for start in range(0, 23, 5):
            idx = order[start:start + 5]
            b.train_step(X[idx], Y[idx])
    assert np.array_equal(a.get_flat_params(), b.get_flat_params())
    assert a.optimizer.t == b.optimizer.t == 15
    for key in a.optimizer.state_names:
        assert all(np.array_equal(u, v) for u, v in zip(a.optimizer.state[key],
                                                        b.optimizer.state[key]))


def test_training_follows_replaced_arrays_and_copies():
    rng = np.random.default_rng(10)
    X, Y = small_data(rng, 20, 2, 1, "bce")
    net = Network([2, 4, 1], ["tanh", "sigmoid"], "bce", seed=1)
    net.train_epoch(X, Y, 5)                     # packs the parameters into one vector
    net.weights[0] = np.full((4, 2), 0.25)       # a replaced array is trained, not forgotten
    twin = net.copy()                            # a deep copy trains on its own arrays
    net.train_epoch(X, Y, 5)
    assert not np.array_equal(net.weights[0], np.full((4, 2), 0.25))
    assert np.array_equal(twin.weights[0], np.full((4, 2), 0.25))
    twin.train_epoch(X, Y, 5)
    assert np.array_equal(twin.get_flat_params(), net.get_flat_params())


def test_param_ids_name_every_array_in_parameters_order():
    from backprop.parameters import ParamId
    net = Network([2, 3, 3, 1], ["tanh", "relu", "sigmoid"], "bce", batch_norm=[True, False],
                  frozen=["gamma1"])
    ids = net.param_ids()
    assert [p.name for p in ids] == ["W1", "gamma1", "beta1", "W2", "b2", "W3", "b3"]
    assert ids[1] == ParamId("gamma", 1) and ids[4] == ParamId("bias", 2)
    assert [p.regularized for p in ids] == [True, False, False, True, False, True, False]
    assert [p.shape for p in net.parameters()] == [(3, 2), (3,), (3,), (3, 3), (3,), (1, 3), (1,)]
    assert net.trainable_mask() == [True, False, True, True, True, True, True]


@pytest.mark.parametrize("batch_norm", [False, True])
def test_gradients_per_layer_and_per_parameter_are_the_same_arrays(batch_norm):
    rng = np.random.default_rng(5)
    net = Network([2, 3, 2], ["tanh", "linear"], seed=2, batch_norm=batch_norm, l2=0.1)
    X, Y = small_data(rng, 6, 2, 2, "mse")
    g = net.gradients(X, Y)
    if not batch_norm:   # with batch norm, training mode (batch statistics) differs
        assert g.loss == net.loss(X, Y)
    names = net.parameter_names()
    assert len(g.params) == len(names)
    for l in range(2):
        assert g.params[names.index(f"W{l + 1}")] is g.weights[l]
    if not batch_norm:
        assert g.params[1] is g.biases[0] and g.params[3] is g.biases[1]
    else:
        assert names[1:3] == ["gamma1", "beta1"]
        # a bias before batch norm has no effect: its gradient (kept per layer) is ~0
        np.testing.assert_allclose(g.biases[0], 0.0, atol=1e-12)
        assert np.abs(g.params[2]).max() > 1e-6   # while β's is not
