"""Shared fixtures for the engine's tests (they also run inside Pyodide: no subprocesses)."""

import copy
import json
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))


def refused(code, fn, *args, **kwargs):
    """Call fn expecting a BackpropError with this code and a Spanish message; return it."""
    from backprop.errors import BackpropError

    with pytest.raises(BackpropError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code
    assert info.value.message_es and info.value.message_es != str(info.value)
    return info.value


def central_difference(f, x, eps=1e-6):
    """∂f/∂x for a scalar function of an array, by the two-point central difference."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for k in range(flat_x.size):
        old = flat_x[k]
        flat_x[k] = old + eps
        plus = f(x)
        flat_x[k] = old - eps
        minus = f(x)
        flat_x[k] = old
        flat_g[k] = (plus - minus) / (2 * eps)
    return grad


# The classic worked example (2-2-2 sigmoid network, one sample, ½·SSE, η = 0.5, biases fixed).
CLASSIC_CONFIG = {
    "layers": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "loss": "sse_half",
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
    "train_biases": False,
    "optimizer": {"name": "sgd", "learning_rate": 0.5},
    "inputs": [[0.05, 0.10]],
    "targets": [[0.01, 0.99]],
    "steps": 1,
}


@pytest.fixture
def classic_config():
    return copy.deepcopy(CLASSIC_CONFIG)


@pytest.fixture
def config_file(tmp_path):
    """Writes a config dict to a JSON file and returns its path."""
    def write(config, name="config.json"):
        path = tmp_path / name
        path.write_text(json.dumps(config), encoding="utf-8")
        return str(path)
    return write


def network_state(net):
    """Everything a network holds, for "nothing changed" checks."""
    return json.dumps(net.to_dict(), sort_keys=True)


def small_data(rng, n, n_in, n_out, loss):
    X = rng.normal(size=(n, n_in))
    if loss == "ce":
        Y = np.eye(n_out)[rng.integers(0, n_out, n)]
    elif loss == "bce":
        Y = rng.integers(0, 2, (n, n_out)).astype(float)
    else:
        Y = rng.normal(size=(n, n_out))
    return X, Y
