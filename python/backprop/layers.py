"""The pieces of one layer: dense (affine) map, batch normalization, inverted dropout.

A layer computes, in order:

    z = W·a_prev + b                     dense; W has shape (out, in)
    ẑ = γ·(z − μ)/√(σ² + ε) + β          batch normalization (optional, hidden layers)
    h = f(ẑ)                             activation
    a = h·m/(1 − p)                      inverted dropout (hidden layers, training only)

The dense step and its backward (∂L/∂W = δᵀ·a_prev, ∂L/∂b = Σ δ, ∂L/∂a_prev = δ·W) are two
lines each and live inline in ``network.py``, on the training hot path. Batch normalization
and dropout keep here what their backward needs; each backward takes ∂L/∂(output) and returns
∂L/∂(input) plus the parameter gradients.
"""

from functools import partial
from typing import NamedTuple

import numpy as np


class BatchNormCache(NamedTuple):
    """What the backward pass of batch normalization needs from its forward pass."""
    z_norm: np.ndarray     # (z − μ)/√(σ² + ε)
    inv_std: np.ndarray    # 1/√(σ² + ε), per neuron
    training: bool         # batch statistics (True) or running ones


_bn_cache = partial(tuple.__new__, BatchNormCache)  # without NamedTuple's slow __new__


class BatchNorm:
    """Batch normalization over the samples of a batch, per neuron (PyTorch's BatchNorm1d)."""

    def __init__(self, size, momentum=0.1, eps=1e-5):
        self.gamma = np.ones(size)
        self.beta = np.zeros(size)
        self.running_mean = np.zeros(size)
        self.running_var = np.ones(size)
        self.momentum = momentum
        self.eps = eps

    def forward(self, z, training, update_stats=False):
        if training:
            mean = z.mean(axis=0)
            var = z.var(axis=0)
            if update_stats:
                n = z.shape[0]
                unbiased = var * (n / (n - 1)) if n > 1 else var
                self.running_mean *= 1.0 - self.momentum
                self.running_mean += self.momentum * mean
                self.running_var *= 1.0 - self.momentum
                self.running_var += self.momentum * unbiased
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        z_norm = (z - mean) * inv_std
        return self.gamma * z_norm + self.beta, _bn_cache((z_norm, inv_std, training))

    def backward(self, grad_out, cache):
        """∂L/∂z, ∂L/∂γ, ∂L/∂β from ∂L/∂ẑ."""
        z_norm, inv_std, training = cache
        grad_gamma = (grad_out * z_norm).sum(axis=0)
        grad_beta = grad_out.sum(axis=0)
        g = grad_out * self.gamma
        if training:
            # The batch mean and variance depend on z too; this is their combined chain rule.
            n = g.shape[0]
            grad_z = (inv_std / n) * (n * g - g.sum(axis=0) - z_norm * (g * z_norm).sum(axis=0))
        else:
            grad_z = g * inv_std
        return grad_z, grad_gamma, grad_beta

    def to_dict(self):
        return {
            "gamma": self.gamma.tolist(), "beta": self.beta.tolist(),
            "running_mean": self.running_mean.tolist(), "running_var": self.running_var.tolist(),
            "momentum": self.momentum, "eps": self.eps,
        }

    @classmethod
    def from_dict(cls, d):
        bn = cls(len(d["gamma"]), d.get("momentum", 0.1), d.get("eps", 1e-5))
        bn.gamma = np.array(d["gamma"], dtype=np.float64)
        bn.beta = np.array(d["beta"], dtype=np.float64)
        bn.running_mean = np.array(d["running_mean"], dtype=np.float64)
        bn.running_var = np.array(d["running_var"], dtype=np.float64)
        return bn


def dropout_mask(rng, shape, rate):
    """Inverted dropout: keep each unit with probability 1 − p and scale it by 1/(1 − p), so
    that evaluation needs no rescaling."""
    return (rng.random(shape) >= rate) * (1.0 / (1.0 - rate))
