import math
import warnings

import numpy as np
import pytest

from backprop.activations import get_activation
from backprop.errors import BackpropError
from backprop.losses import get_loss
from conftest import central_difference

A = np.array([[0.2, 0.7], [0.9, 0.4], [0.5, 0.1]])
Y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def test_mse_is_the_mean_over_every_element():
    want = sum((a - y) ** 2 for a, y in zip(A.ravel(), Y.ravel())) / 6
    assert get_loss("mse").value(A, Y) == pytest.approx(want, rel=1e-14)


def test_sse_half_is_half_the_sum_over_outputs_averaged_over_samples():
    per_sample = [0.5 * sum((a - y) ** 2 for a, y in zip(ar, yr)) for ar, yr in zip(A, Y)]
    assert get_loss("sse_half").value(A, Y) == pytest.approx(sum(per_sample) / 3, rel=1e-14)


def test_bce_is_the_mean_binary_cross_entropy():
    want = -sum(y * math.log(a) + (1 - y) * math.log(1 - a)
                for a, y in zip(A.ravel(), Y.ravel())) / 6
    assert get_loss("bce").value(A, Y) == pytest.approx(want, rel=1e-14)


def test_ce_is_the_mean_over_samples_of_minus_log_of_the_true_class():
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    T = np.array([[1.0, 0, 0], [0, 0, 1.0]])
    want = -(math.log(0.7) + math.log(0.6)) / 2
    assert get_loss("ce").value(P, T) == pytest.approx(want, rel=1e-14)


@pytest.mark.parametrize("name", ["mse", "sse_half", "bce"])
def test_gradient_matches_central_difference(name):
    loss = get_loss(name)
    want = central_difference(lambda a: loss.value(a, Y), A)
    np.testing.assert_allclose(loss.grad(A, Y), want, rtol=1e-7, atol=1e-10)


def test_ce_gradient_matches_central_difference():
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    T = np.array([[1.0, 0, 0], [0, 0, 1.0]])
    loss = get_loss("ce")
    want = central_difference(lambda p: loss.value(p, T), P)
    np.testing.assert_allclose(loss.grad(P, T), want, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("name,act", [("bce", "sigmoid"), ("ce", "softmax")])
def test_fused_loss_from_logits_and_delta(name, act):
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(4, 3))
    T = np.eye(3)[[0, 2, 1, 2]] if name == "ce" else rng.integers(0, 2, (4, 3)).astype(float)
    loss, f = get_loss(name), get_activation(act)
    a = f.value(Z)
    assert loss.value_from_logits(Z, T) == pytest.approx(loss.value(a, T), rel=1e-12)
    # δ = ∂L/∂z by central differences on L(f(z)).
    want = central_difference(lambda z: loss.value(f.value(z), T), Z)
    np.testing.assert_allclose(loss.fused_delta(a, T), want, rtol=1e-7, atol=1e-10)


def test_losses_are_safe_at_probabilities_zero_and_one():
    a = np.array([[0.0, 1.0, 0.0, 1.0]])
    y = np.array([[1.0, 0.0, 0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bce = get_loss("bce")
        value = bce.value(a, y)
        grad = bce.grad(a, y)
        ce = get_loss("ce")
        ce_value = ce.value(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
        ce_grad = ce.grad(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
        logits = bce.value_from_logits(np.array([[-1000.0, 1000.0]]), np.array([[1.0, 0.0]]))
    # PyTorch's BCELoss clamps each log at −100: two wrong certain answers cost 100 each.
    assert value == pytest.approx((100 + 100 + 0 + 0) / 4)
    assert ce_value == pytest.approx(100.0)
    assert np.all(np.isfinite(grad)) and np.all(np.isfinite(ce_grad))
    assert logits == pytest.approx(1000.0)


def test_loss_name_and_target_checks():
    with pytest.raises(BackpropError) as info:
        get_loss("cross_entropy")
    assert info.value.code == "unknown_loss" and "no existe" in info.value.message_es
    with pytest.raises(BackpropError) as info:
        get_loss("bce").check_targets(np.array([[2.0]]))
    assert info.value.code == "invalid_targets" and "entre 0 y 1" in info.value.message_es
    with pytest.raises(BackpropError) as info:
        get_loss("ce").check_targets(np.array([[1.0, 1.0]]))
    assert info.value.code == "invalid_targets" and "one-hot" in info.value.message_es
