"""L1/L2 penalties and gradient clipping, as PyTorch applies them.

- L2 with strength λ adds λ·w to each weight's gradient (``weight_decay``); the matching
  penalty is ½·λ·Σw².
- L1 with strength λ adds λ·sign(w); the matching penalty is λ·Σ|w|.
- Biases (and batch-norm γ, β) are never regularized.
- Clipping rescales all loss gradients together when their global norm exceeds ``max_norm``
  (``clip_grad_norm_``), before the L1/L2 terms are added.
"""

import numpy as np


def penalty(weights, l1=0.0, l2=0.0) -> float:
    total = 0.0
    if l1:
        total += l1 * sum(float(np.abs(w).sum()) for w in weights)
    if l2:
        total += 0.5 * l2 * sum(float((w * w).sum()) for w in weights)
    return total


def add_penalty_gradient(grad_w, w, l1=0.0, l2=0.0):
    """Adds the L1/L2 terms to one weight gradient in place."""
    if l2:
        grad_w += l2 * w
    if l1:
        grad_w += l1 * np.sign(w)


def global_norm(grads) -> float:
    return float(np.sqrt(sum(float((g * g).sum()) for g in grads)))


def clip_by_global_norm(grads, max_norm):
    """Scales ``grads`` in place like torch's clip_grad_norm_; returns (norm, factor)."""
    norm = global_norm(grads)
    factor = min(1.0, max_norm / (norm + 1e-6))
    if factor < 1.0:
        for g in grads:
            g *= factor
    return norm, factor
