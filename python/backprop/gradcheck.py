"""Numerical gradient check: backpropagation against central differences.

For each parameter θ, ∂L/∂θ ≈ (L(θ + ε) − L(θ − ε)) / 2ε, where L is the loss that training
descends (training mode: batch statistics and one fixed dropout mask, plus the L1/L2 penalty).
The relative error |analytic − numeric| / max(|analytic|, |numeric|, floor) should be tiny
(≈1e-7 or less in float64); a large one means a bug in a derivative.
"""

import copy

import numpy as np

from .errors import check_number

REL_FLOOR = 1e-8


def _training_loss(net, X, Y, rng):
    generator = copy.deepcopy(rng) if net.dropout else None
    _, cache = net._forward(X, True, generator)
    return net._data_loss(cache, Y) + net.penalty()


def relative_error(analytic, numeric, floor=REL_FLOOR):
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    return np.abs(analytic - numeric) / scale


def numerical_gradients(net, X, Y, eps=1e-6):
    """Central-difference gradient of the training loss for every array of ``parameters()``."""
    X, Y = net._check_xy(X, Y)
    work = net.copy()
    rng = copy.deepcopy(net.rng)
    grads = []
    with np.errstate(all="ignore"):
        for p in work.parameters():
            g = np.zeros_like(p)
            flat_p, flat_g = p.reshape(-1), g.reshape(-1)
            for k in range(flat_p.size):
                old = flat_p[k]
                flat_p[k] = old + eps
                plus = _training_loss(work, X, Y, rng)
                flat_p[k] = old - eps
                minus = _training_loss(work, X, Y, rng)
                flat_p[k] = old
                flat_g[k] = (plus - minus) / (2.0 * eps)
            grads.append(g)
    return grads


def check_gradients(net, X, Y, eps=1e-6) -> dict:
    """Relative error per parameter between backpropagation and central differences.

    Returns ``{"max_relative_error", "parameters": [{"name", "shape", "analytic", "numeric",
    "relative_error", "max_relative_error"}]}`` with plain lists (JSON-ready).
    """
    eps = check_number(eps, "eps", "invalid_eps", "eps", "El paso ε", gt=0.0)
    _, analytic = net.all_gradients(X, Y)
    numeric = numerical_gradients(net, X, Y, eps)
    entries = []
    worst = 0.0
    for name, a, n in zip(net.parameter_names(), analytic, numeric):
        err = relative_error(a, n)
        m = float(err.max()) if err.size else 0.0
        worst = max(worst, m)
        entries.append({"name": name, "shape": list(a.shape), "analytic": a.tolist(),
                        "numeric": n.tolist(), "relative_error": err.tolist(),
                        "max_relative_error": m})
    return {"max_relative_error": worst, "eps": eps, "parameters": entries}
