"""Optimizer updates against PyTorch's documented update rules, written out here step by step."""

import copy
import math

import numpy as np
import pytest

from backprop.errors import BackpropError
from backprop.network import Network
from backprop.optimizers import make_optimizer
from conftest import network_state

P0 = np.array([[0.5, -1.2], [2.0, 0.1]])
GRADS = [np.array([[0.3, -0.1], [0.05, 0.8]]), np.array([[-0.2, 0.4], [0.1, -0.3]]),
         np.array([[0.7, 0.0], [-0.6, 0.2]])]


def reference(name, lr, hyper, p0, grads):
    """The pseudo-code of torch.optim's documentation, one scalar at a time."""
    out = []
    for idx in np.ndindex(p0.shape):
        p = float(p0[idx])
        b = m = v = 0.0
        for t, G in enumerate(grads, start=1):
            g = float(G[idx])
            if name == "sgd":
                p = p - lr * g
            elif name in ("momentum", "nesterov"):
                mu = hyper["momentum"]
                b = g if t == 1 else mu * b + g          # torch: b₁ = g₁ (no dampening)
                step = g + mu * b if name == "nesterov" else b
                p = p - lr * step
            elif name == "rmsprop":
                alpha, eps = hyper["alpha"], hyper["eps"]
                v = alpha * v + (1 - alpha) * g * g
                p = p - lr * g / (math.sqrt(v) + eps)
            elif name == "adam":
                b1, b2, eps = hyper["beta1"], hyper["beta2"], hyper["eps"]
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                m_hat = m / (1 - b1 ** t)
                v_hat = v / (1 - b2 ** t)
                p = p - lr * m_hat / (math.sqrt(v_hat) + eps)
        out.append(p)
    return np.array(out).reshape(p0.shape)


CASES = [
    ("sgd", 0.1, {}),
    ("momentum", 0.05, {"momentum": 0.9}),
    ("nesterov", 0.05, {"momentum": 0.8}),
    ("rmsprop", 0.01, {"alpha": 0.9, "eps": 1e-8}),
    ("adam", 0.01, {"beta1": 0.8, "beta2": 0.95, "eps": 1e-8}),
]


@pytest.mark.parametrize("name,lr,hyper", CASES)
def test_update_rule_matches_pytorch_pseudocode(name, lr, hyper):
    opt = make_optimizer({"name": name, "learning_rate": lr, **hyper})
    p = P0.copy()
    for k, g in enumerate(GRADS, start=1):
        opt.step([p], [g.copy()], [True])
        np.testing.assert_allclose(p, reference(name, lr, hyper, P0, GRADS[:k]), rtol=1e-13,
                                   atol=1e-15)


def test_defaults_are_pytorchs():
    assert make_optimizer({"name": "sgd"}).learning_rate == 1e-3
    adam = make_optimizer({"name": "adam"})
    assert (adam.learning_rate, adam.hyper) == (1e-3, {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
    rms = make_optimizer({"name": "rmsprop"})
    assert (rms.learning_rate, rms.hyper) == (1e-2, {"alpha": 0.99, "eps": 1e-8})


def test_state_is_exposed_with_the_textbook_values():
    opt = make_optimizer({"name": "adam", "learning_rate": 0.1})
    p = P0.copy()
    opt.step([p], [GRADS[0].copy()], [True])
    np.testing.assert_allclose(opt.state["exp_avg"][0], 0.1 * GRADS[0])
    np.testing.assert_allclose(opt.state["exp_avg_sq"][0], 0.001 * GRADS[0] ** 2)
    mom = make_optimizer({"name": "momentum", "learning_rate": 0.1, "momentum": 0.5})
    q = P0.copy()
    mom.step([q], [GRADS[0].copy()], [True])
    mom.step([q], [GRADS[1].copy()], [True])
    np.testing.assert_allclose(mom.state["velocity"][0], 0.5 * GRADS[0] + GRADS[1])


def test_frozen_parameters_do_not_move():
    opt = make_optimizer({"name": "adam", "learning_rate": 0.1})
    a, b = P0.copy(), P0.copy()
    opt.step([a, b], [GRADS[0].copy(), GRADS[0].copy()], [True, False])
    assert not np.array_equal(a, P0)
    assert np.array_equal(b, P0)


def test_classic_worked_example(classic_config):
    net = Network.from_config(classic_config)
    loss = net.train_step(classic_config["inputs"], classic_config["targets"])
    assert loss == pytest.approx(0.298371109, abs=1e-9)
    # w5 is the weight from hidden neuron 1 into output neuron 1.
    assert net.weights[1][0, 0] == pytest.approx(0.35891648, abs=1e-8)
    assert net.weights[1][0, 1] == pytest.approx(0.408666186, abs=1e-8)
    assert net.weights[0][0, 0] == pytest.approx(0.149780716, abs=1e-8)
    assert net.biases[0].tolist() == [0.35, 0.35] and net.biases[1].tolist() == [0.6, 0.6]


def _net(**kw):
    return Network([3, 4, 2], ["tanh", "linear"], "mse", seed=5, **kw)


def test_clip_by_global_norm_then_weight_decay_then_step():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2)) * 10
    lr, l2, max_norm = 0.1, 0.03, 0.5
    net = _net(optimizer={"name": "sgd", "learning_rate": lr}, l2=l2, clip_norm=max_norm)
    plain = _net()
    g = plain.gradients(X, Y).params          # data-loss gradients only (no penalty there)
    norm = math.sqrt(sum(float((x * x).sum()) for x in g))
    assert norm > max_norm                    # the case under test really clips
    scale = max_norm / (norm + 1e-6)          # torch.nn.utils.clip_grad_norm_
    before = [p.copy() for p in net.parameters()]
    net.train_step(X, Y)
    for k, (p0, gk, p1) in enumerate(zip(before, g, net.parameters())):
        decay = l2 * p0 if k % 2 == 0 else 0.0    # weights decay, biases do not
        np.testing.assert_allclose(p1, p0 - lr * (scale * gk + decay), rtol=1e-12, atol=1e-14)


def test_l1_adds_lambda_times_sign():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    net = _net(optimizer={"name": "sgd", "learning_rate": 0.2}, l1=0.05)
    g = _net().gradients(X, Y).params
    before = [p.copy() for p in net.parameters()]
    net.train_step(X, Y)
    for k, (p0, gk, p1) in enumerate(zip(before, g, net.parameters())):
        extra = 0.05 * np.sign(p0) if k % 2 == 0 else 0.0
        np.testing.assert_allclose(p1, p0 - 0.2 * (gk + extra), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf"), "0.1", True])
def test_bad_learning_rate_is_refused(lr):
    with pytest.raises(BackpropError) as info:
        make_optimizer({"name": "sgd", "learning_rate": lr})
    assert info.value.code == "invalid_learning_rate"
    assert info.value.field == "optimizer.learning_rate"
    assert info.value.message_es.startswith("La tasa de aprendizaje debe ser un número mayor que 0")


def test_bad_optimizer_settings_are_refused():
    cases = [({"name": "adagrad"}, "unknown_optimizer"),
             ({"name": "momentum", "momentum": 1.0}, "invalid_momentum"),
             ({"name": "adam", "beta2": -0.1}, "invalid_beta2"),
             ({"name": "sgd", "momentum": 0.9}, "unknown_parameter")]
    for spec, code in cases:
        with pytest.raises(BackpropError) as info:
            make_optimizer(spec)
        assert info.value.code == code, spec
        assert info.value.message_es


def test_refused_network_config_leaves_nothing_half_built(classic_config):
    net = Network.from_config(classic_config)
    state = network_state(net)
    bad = copy.deepcopy(classic_config)
    bad["optimizer"]["learning_rate"] = 0
    with pytest.raises(BackpropError):
        Network.from_config(bad)
    assert network_state(net) == state
