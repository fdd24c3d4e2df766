"""Numerical gradient check: backpropagation against central differences.

For each parameter θ the derivative of the loss that training descends (training mode: batch
statistics and one fixed dropout mask, plus the L1/L2 penalty) is estimated with the
fourth-order central difference

    ∂L/∂θ ≈ [L(θ − 2h) − 8·L(θ − h) + 8·L(θ + h) − L(θ + 2h)] / 12h,      h = 10⁻³,

whose truncation error (∝ h⁴) and rounding error (∝ 10⁻¹⁶/h) are both near 10⁻¹³, about a
thousand times smaller than the textbook two-point formula's. (``order=2`` gives the classic
[L(θ + h) − L(θ − h)] / 2h.) The relative error |analytic − numeric| / max(|analytic|,
|numeric|, floor) should then stay below 10⁻⁶; a large one means a wrong derivative. The floor
is 10⁻⁶ × max(1, largest |analytic| component): components far smaller than the network's
largest gradient (e.g. ones that are exactly zero in theory, where only rounding noise is left)
are compared against that scale instead of against themselves. Keep inputs away from the kinks of ReLU (z = 0) by more
than 2h, or the difference straddles the kink.
"""

import copy

import numpy as np

from .errors import BackpropError, check_number

REL_FLOOR = 1e-6


def _training_loss(net, X, Y, rng):
    generator = copy.deepcopy(rng) if net.dropout else None
    _, cache = net.forward_cache(X, True, generator)
    return net.loss_from_cache(cache, Y) + net.penalty()


def relative_error(analytic, numeric, floor=REL_FLOOR):
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    return np.abs(analytic - numeric) / scale


def numerical_gradients(net, X, Y, h=1e-3, order=4):
    """Central-difference gradient of the training loss for every array of ``parameters()``."""
    X, Y = net.check_xy(X, Y)
    work = net.copy()
    rng = copy.deepcopy(net.rng)
    if order == 4:
        offsets, coefs, denom = (-2.0, -1.0, 1.0, 2.0), (1.0, -8.0, 8.0, -1.0), 12.0 * h
    else:
        offsets, coefs, denom = (-1.0, 1.0), (-1.0, 1.0), 2.0 * h
    grads = []
    with np.errstate(all="ignore"):
        for p in work.parameters():
            g = np.zeros_like(p)
            flat_p, flat_g = p.reshape(-1), g.reshape(-1)
            for k in range(flat_p.size):
                old = flat_p[k]
                total = 0.0
                for off, c in zip(offsets, coefs):
                    flat_p[k] = old + off * h
                    total += c * _training_loss(work, X, Y, rng)
                flat_p[k] = old
                flat_g[k] = total / denom
            grads.append(g)
    return grads


def check_gradients(net, X, Y, h=1e-3, order=4) -> dict:
    """Relative error per parameter between backpropagation and central differences.

    Returns ``{"max_relative_error", "parameters": [{"name", "shape", "analytic", "numeric",
    "relative_error", "max_relative_error"}]}`` with plain lists (JSON-ready).
    """
    h = check_number(h, "h", "invalid_step", "step h", "El paso h", gt=0.0, le=1.0)
    if order not in (2, 4):
        raise BackpropError("invalid_order", "order: expected 2 or 4",
                            "El orden de la diferencia central debe ser 2 o 4.", "order")
    analytic = net.gradients(X, Y).params
    numeric = numerical_gradients(net, X, Y, h, order)
    largest = max((float(np.abs(a).max()) for a in analytic if a.size), default=0.0)
    floor = REL_FLOOR * max(1.0, largest) if np.isfinite(largest) else REL_FLOOR
    entries = []
    worst = 0.0
    for name, a, n in zip(net.parameter_names(), analytic, numeric):
        err = relative_error(a, n, floor)
        m = float(err.max()) if err.size else 0.0
        worst = max(worst, m)
        entries.append({"name": name, "shape": list(a.shape), "analytic": a.tolist(),
                        "numeric": n.tolist(), "relative_error": err.tolist(),
                        "max_relative_error": m})
    return {"max_relative_error": worst, "h": h, "order": order, "floor": floor,
            "parameters": entries}
