"""Health checks of a network during training, as plain JSON-safe numbers for the widget.

- ``gradient_flow``: per layer, how large the gradient is and how much each activation lets
  through (units 8 and 9 of the course: gradients that vanish or explode, saturation).
- ``summarize``: gradient norms, update/weight ratios, dead ReLUs and saturated units.
- ``divergence``: classifies a loss history as ``ok``, ``exploding`` or ``non_finite``.

Layers are numbered as in the diagram: 0 is the input, 1..L the hidden and output layers, so
layer ``l`` owns ``net.weights[l - 1]``. Non-finite numbers become ``None``.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from .activations import get_activation
from .errors import BackpropError
from .evaluation import check_data

# A sigmoid/tanh unit is saturated on a sample when its output is within 2 % of a bound
# (sigmoid ≤ 0.01 or ≥ 0.99; |tanh| ≥ 0.98), where its derivative is below ~0.04 of its peak.
SATURATION_LEVEL = 0.98
# ... and saturated as a unit when that happens on more than half of the samples.
SATURATED_SAMPLE_FRACTION = 0.5
# Gradient RMS of the first layer relative to the last one outside [1/100, 100]: a warning.
VANISHING_RATIO = 1e-2
EXPLODING_RATIO = 1e2
# ... or any layer's gradient RMS above this, whatever the ratio: a large initialization scales
# every layer's gradient alike, so the ratio alone never sees it (one step of η = 0.01 would
# then move a typical weight by more than 1).
EXPLODING_RMS = 1e2
# The one divergence rule (training stops on it, divergence() reports it): a loss "explodes"
# when it is above this many times max(1, the loss at epoch 0).
EXPLOSION_FACTOR = 100.0


def explodes(loss, first, factor=EXPLOSION_FACTOR):
    """True when ``loss`` is non-finite or above ``factor`` × max(1, ``first``)."""
    first = first if math.isfinite(first) else 1.0
    return not math.isfinite(loss) or loss > factor * max(first, 1.0)


def _f(x):
    """A float for JSON, or None when it is not finite (scalars: arrays go through
    ``serialization.to_jsonable``)."""
    x = float(x)
    return x if math.isfinite(x) else None


def _ratio(num, den):
    if den == 0.0 or not math.isfinite(num) or not math.isfinite(den):
        return None
    return _f(num / den)


def _norm(a):
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(np.sum(np.square(a, dtype=np.float64))))


def _activation_name(spec):
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        return spec.get("name")
    return getattr(spec, "name", str(spec))


def gradient_flow(net, X, Y, grads=None):
    """Per-layer gradient sizes, from the output back to the first hidden layer's weights.

    Each entry: ``layer``, ``activation``, ``grad_norm`` (Frobenius norm of ∂L/∂W),
    ``bias_grad_norm`` (norm of ∂L/∂b), ``grad_rms`` (root mean square of the gradient of all
    the layer's weights and biases, comparable between layers of different sizes), ``relative_to_output`` (``grad_rms`` / the output layer's),
    ``mean_derivative`` (mean of f'(z) over units and samples: the factor this layer's
    activation multiplies the error signal by on its way back; ≤ 0.25 for the sigmoid).
    ``status`` is ``vanishing``/``exploding`` when the first layer's ratio is outside
    [1/100, 100], ``exploding`` also when a layer's ``grad_rms`` is over 100, else ``ok``
    (``unknown`` when a number is not finite).
    ``grads``, if given, is what ``net.gradients(X, Y)`` returned.
    """
    X, Y = check_data(net, X, Y)
    with np.errstate(all="ignore"):
        grads = grads if grads is not None else net.gradients(X, Y)
        g_w, g_b = grads.weights, grads.biases
        layers = net.forward_layers(X, training=False)
    rms = []
    for gw, gb in zip(g_w, g_b):
        rms.append(math.sqrt((_norm(gw) ** 2 + _norm(gb) ** 2) / (gw.size + gb.size)))
    out_rms = rms[-1]
    entries = []
    for idx, ((z, a), gw, gb) in enumerate(zip(layers, g_w, g_b)):
        act = get_activation(net.activations[idx])
        with np.errstate(all="ignore"):
            deriv = float(np.mean(act.derivative(z, a)))
        entries.append({
            "layer": idx + 1,
            "activation": _activation_name(net.activations[idx]),
            "grad_norm": _f(_norm(gw)),
            "grad_rms": _f(rms[idx]),
            "bias_grad_norm": _f(_norm(gb)),
            "relative_to_output": _ratio(rms[idx], out_rms),
            "mean_derivative": _f(deriv),
        })
    first = entries[0]["relative_to_output"]
    if first is None:
        status = "ok" if rms[0] == 0.0 == out_rms else "unknown"
    elif first < VANISHING_RATIO:
        status = "vanishing"
    elif first > EXPLODING_RATIO or max(rms) > EXPLODING_RMS:
        status = "exploding"
    else:
        status = "ok"
    return {"layers": entries, "status": status}


def _unit_health(net, X):
    """Dead ReLUs and saturated sigmoid/tanh units per layer, from one forward pass."""
    result = []
    with np.errstate(all="ignore"):
        layers = net.forward_layers(X, training=False)
    for idx, (z, a) in enumerate(layers):
        name = _activation_name(net.activations[idx])
        entry = {"layer": idx + 1, "activation": name, "units": int(a.shape[1])}
        if name == "relu":
            # Dead: the unit's net input is ≤ 0 on every sample, so its gradient is always 0.
            dead = np.all(z <= 0.0, axis=0)
            entry["dead_fraction"] = float(np.mean(dead))
            entry["dead_units"] = np.flatnonzero(dead).tolist()
        if name in ("sigmoid", "tanh"):
            level = np.abs(2.0 * a - 1.0) if name == "sigmoid" else np.abs(a)
            per_sample = level >= SATURATION_LEVEL
            saturated = np.mean(per_sample, axis=0) > SATURATED_SAMPLE_FRACTION
            entry["saturated_fraction"] = float(np.mean(saturated))
            entry["saturated_units"] = np.flatnonzero(saturated).tolist()
            entry["saturated_sample_fraction"] = float(np.mean(per_sample))
        result.append(entry)
    return result


def _update_arrays(updates, net):
    """Weight updates as a list of arrays shaped like ``net.weights`` (or a refusal)."""
    if isinstance(updates, dict):
        updates = updates.get("weights")
    ok = isinstance(updates, (list, tuple)) and len(updates) == len(net.weights)
    arrays = []
    if ok:
        for u, w in zip(updates, net.weights):
            try:
                u = np.asarray(u, dtype=np.float64)
            except (TypeError, ValueError):
                ok = False
                break
            if u.shape != w.shape:
                ok = False
                break
            arrays.append(u)
    if not ok:
        raise BackpropError(
            "invalid_updates", "updates must be one array per weight matrix, with its shape",
            "Las actualizaciones deben ser una tabla por cada matriz de pesos, con su misma "
            "forma.", "updates")
    return arrays


def summarize(net, X, Y, updates=None, grads=None):
    """A JSON-safe health report of ``net`` on the data (X, Y).

    ``updates`` (optional): the last change of each weight matrix, ``W_after − W_before``, as a
    list shaped like ``net.weights`` or a dict with key ``weights``. Then each layer also gets
    ``update_ratio`` = ‖ΔW‖ / ‖W‖ (about 1e-3 is the usual healthy order of magnitude;
    much larger suggests the learning rate is too big, much smaller, too small).
    ``grads``, if given, is what ``net.gradients(X, Y)`` returned on the same data (saves a
    backward pass).
    """
    X, Y = check_data(net, X, Y)
    deltas = _update_arrays(updates, net) if updates is not None else None
    with np.errstate(all="ignore"):
        grads = grads if grads is not None else net.gradients(X, Y)
        loss, g_w = grads.loss, grads.weights
        total = net.total_loss(X, Y)
    flow = gradient_flow(net, X, Y, grads=grads)
    health = _unit_health(net, X)
    layers = []
    for idx, (w, b) in enumerate(zip(net.weights, net.biases)):
        entry = dict(health[idx])
        entry.update({k: v for k, v in flow["layers"][idx].items()
                      if k not in ("layer", "activation")})
        entry["weight_norm"] = _f(_norm(w))
        entry["grad_weight_ratio"] = _ratio(_norm(g_w[idx]), _norm(w))
        if deltas is not None:
            entry["update_norm"] = _f(_norm(deltas[idx]))
            entry["update_ratio"] = _ratio(_norm(deltas[idx]), _norm(w))
        layers.append(entry)
    relu = [e for e in health if "dead_fraction" in e]
    sat = [e for e in health if "saturated_fraction" in e]
    return {
        "loss": _f(loss),
        "total_loss": _f(total),
        "layers": layers,
        "gradient_status": flow["status"],
        "dead_relu_fraction": (float(sum(len(e["dead_units"]) for e in relu)
                                     / sum(e["units"] for e in relu)) if relu else None),
        "saturated_fraction": (float(sum(len(e["saturated_units"]) for e in sat)
                                     / sum(e["units"] for e in sat)) if sat else None),
    }


_DIVERGENCE_TEXT = {
    "ok": ("The loss is finite and not growing out of control.",
           "La pérdida es finita y no crece sin control."),
    "exploding": ("The loss is growing: the learning rate may be too large.",
                  "La pérdida está creciendo: quizá la tasa de aprendizaje sea demasiado grande."),
    "non_finite": ("The loss became infinite or NaN: training diverged.",
                   "La pérdida se ha vuelto infinita o indefinida (NaN): el entrenamiento ha "
                   "divergido. Prueba con una tasa de aprendizaje más pequeña."),
}


def divergence(history, factor=EXPLOSION_FACTOR):
    """Classifies a loss history (a list of numbers; ``None`` counts as non-finite).

    ``non_finite`` if any value is NaN, ±∞ or None (``index`` is the first such value);
    ``exploding`` if the last value ``explodes`` (above ``factor`` × max(1, first value);
    ``index`` is where the lowest value was); otherwise ``ok``."""
    if isinstance(history, (str, bytes)) or not hasattr(history, "__iter__"):
        raise BackpropError("invalid_history", "history must be a list of numbers",
                            "El historial de la pérdida debe ser una lista de números.",
                            "history")
    values = []
    for v in history:
        if v is None:
            values.append(math.nan)
        elif isinstance(v, Real) and not isinstance(v, bool):
            values.append(float(v))
        else:
            raise BackpropError("invalid_history", "history must be a list of numbers",
                                "El historial de la pérdida debe ser una lista de números.",
                                "history")
    if not isinstance(factor, Real) or isinstance(factor, bool) or not factor > 1.0 or \
            not math.isfinite(factor):
        raise BackpropError("invalid_factor", "factor must be a finite number above 1",
                            "El factor debe ser un número finito mayor que 1.", "factor")
    status, index = "ok", None
    bad = [i for i, v in enumerate(values) if not math.isfinite(v)]
    if bad:
        status, index = "non_finite", bad[0]
    elif len(values) >= 2:
        low = int(np.argmin(values))
        if explodes(values[-1], values[0], factor):
            status, index = "exploding", low
    en, es = _DIVERGENCE_TEXT[status]
    finite = [v for v in values if math.isfinite(v)]
    return {
        "status": status,
        "index": index,
        "first": _f(values[0]) if values else None,
        "last": _f(values[-1]) if values else None,
        "min": min(finite) if finite else None,
        "message": es,
        "message_en": en,
    }
