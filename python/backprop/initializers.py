"""Weight initialization schemes, all drawn from a seeded numpy Generator.

Weights have shape (out, in): fan_in = in, fan_out = out. Biases start at 0 in every scheme,
so that ``zeros`` shows the symmetry problem: every neuron of a layer stays identical.
``gain`` multiplies whatever a scheme draws (``small_uniform``'s range becomes ±gain × scale):
a gain above 1 makes every layer amplify the signal, the large initialization of unit 8.
"""

import numpy as np

from .errors import BackpropError


def xavier_uniform(rng, n_out, n_in, **_):
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_out, n_in))


def xavier_normal(rng, n_out, n_in, **_):
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_out, n_in))


def he_uniform(rng, n_out, n_in, **_):
    limit = np.sqrt(6.0 / n_in)
    return rng.uniform(-limit, limit, size=(n_out, n_in))


def he_normal(rng, n_out, n_in, **_):
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))


def small_uniform(rng, n_out, n_in, scale=0.5, **_):
    return rng.uniform(-scale, scale, size=(n_out, n_in))


def zeros(rng, n_out, n_in, **_):
    return np.zeros((n_out, n_in))


INITIALIZERS = {
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "small_uniform": small_uniform,
    "zeros": zeros,
}
INIT_NAMES = tuple(INITIALIZERS)


def initialize(name, sizes, rng, scale=0.5, field="init", gain=1.0):
    """Lists of weights (out, in) and zero biases for consecutive ``sizes``; each weight is
    ``gain`` times what the scheme draws (1: the scheme unchanged, bit for bit)."""
    if name not in INITIALIZERS:
        raise BackpropError(
            "unknown_init",
            f"{field}: unknown initialization {name!r}; expected one of {', '.join(INIT_NAMES)}",
            f"{field}: la inicialización {name!r} no existe; usa una de {', '.join(INIT_NAMES)}.",
            field,
        )
    fn = INITIALIZERS[name]
    weights = [fn(rng, n_out, n_in, scale=scale) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    if gain != 1.0:
        weights = [gain * W for W in weights]
    biases = [np.zeros(n_out) for n_out in sizes[1:]]
    return weights, biases
