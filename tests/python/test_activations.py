import math
import warnings

import numpy as np
import pytest

from backprop.activations import ACTIVATION_NAMES, get_activation
from backprop.errors import BackpropError
from conftest import central_difference

Z = np.array([[-2.5, -0.7, 0.3, 1.9], [0.05, -1.2, 2.2, -0.4]])


def textbook(name, z, slope=0.01):
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-z))
    if name == "tanh":
        return (math.exp(z) - math.exp(-z)) / (math.exp(z) + math.exp(-z))
    if name == "relu":
        return z if z > 0 else 0.0
    if name == "leaky_relu":
        return z if z > 0 else slope * z
    if name == "linear":
        return z
    raise AssertionError(name)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_value_matches_textbook_formula(name):
    act = get_activation(name)
    got = act.value(Z)
    want = np.vectorize(lambda z: textbook(name, z))(Z)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_derivative_matches_central_difference(name):
    act = get_activation(name)
    a = act.value(Z)
    got = act.derivative(Z, a)
    want = np.vectorize(lambda z: (textbook(name, z + 1e-6) - textbook(name, z - 1e-6)) / 2e-6)(Z)
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9)


def test_relu_derivative_at_zero_is_zero_and_leaky_is_its_slope():
    z = np.array([[0.0]])
    assert get_activation("relu").derivative(z, z)[0, 0] == 0.0
    leaky = get_activation({"name": "leaky_relu", "negative_slope": 0.2})
    assert leaky.derivative(z, z)[0, 0] == 0.2
    assert leaky.value(np.array([[-3.0]]))[0, 0] == pytest.approx(-0.6)


def test_leaky_relu_default_slope_is_001():
    assert get_activation("leaky_relu").negative_slope == 0.01


def test_softmax_value_and_jacobian_vector_product():
    act = get_activation("softmax")
    a = act.value(Z)
    e = np.exp(Z)
    np.testing.assert_allclose(a, e / e.sum(axis=1, keepdims=True), rtol=1e-13)
    g = np.array([[0.3, -1.0, 2.0, 0.5], [1.0, 0.0, -0.5, 0.25]])
    # δ = Jᵀ·g with J[j, k] = ∂a_j/∂z_k, from central differences row by row.
    for n in range(Z.shape[0]):
        def f(z):
            return float(g[n] @ act.value(z[None, :])[0])
        want = central_difference(f, Z[n])
        got = act.backward(Z[n:n + 1], a[n:n + 1], g[n:n + 1])[0]
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_extreme_inputs_stay_finite_without_warnings(name):
    act = get_activation(name)
    z = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            a = act.value(z)
            d = act.derivative(z, a)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(d))
    if name == "sigmoid":
        assert a[0, 0] == 0.0 and a[0, -1] == 1.0
    if name == "softmax":
        assert a.sum() == pytest.approx(1.0) and a[0, -1] == pytest.approx(1.0)


def test_unknown_activation_is_refused_with_spanish_message():
    with pytest.raises(BackpropError) as info:
        get_activation("sigmoidd", field="activations[1]")
    assert info.value.code == "unknown_activation"
    assert info.value.field == "activations[1]"
    assert "no existe" in info.value.message_es and "sigmoid" in info.value.message_es


def test_leaky_relu_slope_must_be_a_finite_number():
    with pytest.raises(BackpropError) as info:
        get_activation({"name": "leaky_relu", "negative_slope": float("nan")})
    assert info.value.code == "invalid_negative_slope"
    with pytest.raises(BackpropError) as info:
        get_activation({"name": "tanh", "slope": 1})
    assert info.value.code == "unknown_parameter"


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_backward_is_the_chain_rule_with_the_derivative(name):
    act = get_activation(name)
    a = act.value(Z)
    g = np.linspace(-1.0, 1.0, Z.size).reshape(Z.shape)
    np.testing.assert_allclose(act.backward(Z, a, g), g * act.derivative(Z, a), rtol=1e-15)
