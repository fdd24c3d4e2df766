"""Loss functions with PyTorch's definitions, each value beside its gradient ∂L/∂a.

- ``mse``: mean of (a − y)² over every element.
- ``sse_half``: ½·Σ over outputs of (a − y)², averaged over samples.
- ``bce``: binary cross-entropy, mean over every element (needs a sigmoid output).
- ``ce``: softmax + cross-entropy, mean over samples (needs a softmax output).

When the output activation is the loss's natural partner (sigmoid + bce, softmax + ce) the
network computes the loss from the net input ``z`` and takes the simplified
``δ = (a − y)/N``: both stay exact and finite when a probability reaches 0 or 1.
"""

import numpy as np

from .errors import BackpropError, unknown_function

# PyTorch's BCELoss clamps log terms at −100 so that log(0) stays finite; we do the same.
_LOG_FLOOR = -100.0
_EPS = 1e-12


def _log(p):
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(p), _LOG_FLOOR)


class Loss:
    name = ""
    formula = ""
    grad_formula = ""
    partner = None  # output activation that allows the fused, exact δ

    def value(self, a, y) -> float:
        raise NotImplementedError

    def grad(self, a, y):
        raise NotImplementedError

    def value_from_logits(self, z, y) -> float:
        raise NotImplementedError

    def fused_delta(self, a, y):
        raise NotImplementedError

    def check_targets(self, y, field="targets"):
        pass


class MSE(Loss):
    """PyTorch's ``MSELoss()``: the mean runs over samples and outputs alike."""

    name = "mse"
    formula = "L = (1/(N·K)) · Σ (a − y)²"
    grad_formula = "∂L/∂a = 2·(a − y)/(N·K)"

    def value(self, a, y):
        d = a - y
        return float(np.mean(d * d))

    def grad(self, a, y):
        return (2.0 / a.size) * (a - y)


class SSEHalf(Loss):
    """The textbook ½·Σ(a − y)², summed over the outputs and averaged over the samples
    (``0.5 * MSELoss(reduction="sum") / N``): its gradient is plainly (a − y)/N."""

    name = "sse_half"
    formula = "L = (1/N) · Σ ½·(a − y)²"
    grad_formula = "∂L/∂a = (a − y)/N"

    def value(self, a, y):
        d = a - y
        return float(0.5 * np.sum(d * d) / a.shape[0])

    def grad(self, a, y):
        return (a - y) / a.shape[0]


class BCE(Loss):
    """PyTorch's ``BCELoss()``, its logs clamped at −100 as there (``BCEWithLogitsLoss()``
    when fused with a sigmoid output)."""

    name = "bce"
    formula = "L = −(1/(N·K)) · Σ [y·ln a + (1 − y)·ln(1 − a)]"
    grad_formula = "∂L/∂a = (a − y) / (a·(1 − a)·N·K)"
    partner = "sigmoid"

    def value(self, a, y):
        return float(-np.mean(y * _log(a) + (1.0 - y) * _log(1.0 - a)))

    def grad(self, a, y):
        return (a - y) / (np.maximum(a * (1.0 - a), _EPS) * a.size)

    def value_from_logits(self, z, y):
        # −[y·ln σ(z) + (1−y)·ln(1−σ(z))] = max(z, 0) − z·y + ln(1 + e^(−|z|))
        return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))

    def fused_delta(self, a, y):
        return (a - y) / a.size

    def check_targets(self, y, field="targets"):
        if np.any((y < 0.0) | (y > 1.0)):
            raise BackpropError(
                "invalid_targets",
                f"{field}: binary cross-entropy needs targets between 0 and 1",
                f"{field}: la entropía cruzada binaria necesita objetivos entre 0 y 1.",
                field,
            )


class CE(Loss):
    """PyTorch's ``CrossEntropyLoss()`` with one-hot (or probability) targets."""

    name = "ce"
    formula = "L = −(1/N) · Σ y·ln a"
    grad_formula = "∂L/∂a = −y / (a·N)"
    partner = "softmax"

    def value(self, a, y):
        return float(-np.sum(y * _log(a)) / a.shape[0])

    def grad(self, a, y):
        return -y / (np.maximum(a, _EPS) * a.shape[0])

    def value_from_logits(self, z, y):
        shifted = z - z.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.sum(y * log_p) / z.shape[0])

    def fused_delta(self, a, y):
        return (a - y) / a.shape[0]

    def check_targets(self, y, field="targets"):
        if np.any(y < 0.0) or not np.allclose(y.sum(axis=1), 1.0, atol=1e-9):
            raise BackpropError(
                "invalid_targets",
                f"{field}: cross-entropy needs one-hot (or probability) targets: "
                "non-negative rows that add up to 1",
                f"{field}: la entropía cruzada necesita objetivos one-hot (o probabilidades): "
                "filas no negativas que sumen 1.",
                field,
            )


_CLASSES = {c.name: c for c in (MSE, SSEHalf, BCE, CE)}
LOSS_NAMES = tuple(_CLASSES)


def get_loss(name, field="loss"):
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str) or name not in _CLASSES:
        raise unknown_function("unknown_loss", field, name, LOSS_NAMES, "loss",
                               "función de pérdida")
    return _CLASSES[name]()
