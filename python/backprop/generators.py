"""The named data sets' generators: clean points (n, 2) and targets (n, k) from a seeded rng.

Jitter, clipping to the extent and the train/validation split are added by
``datasets.make_dataset``.

``radiografias`` is SYNTHETIC: two made-up features of a chest X-ray ("opacidad", a mean grey
level from 0 to 1, and "tamaño de la lesión (cm)") drawn from Gaussian clusters chosen only to be
plausible and to need a bent boundary (normal images in a middle band of opacity, pathological
ones on both sides of it or with large lesions; the classes overlap a little). It is not
medical data and must not be read as such.
"""

import numpy as np

# Each returns clean points (n, 2) and targets (n, k); jitter and split are added afterwards.


def _balanced_labels(n, k, rng):
    labels = np.arange(n) % k
    rng.shuffle(labels)
    return labels


def _one_col(labels):
    return labels.astype(np.float64).reshape(-1, 1)


def circle(n, rng):
    labels = _balanced_labels(n, 2, rng)
    inside = labels == 1
    radius = np.where(inside, rng.uniform(0.0, 2.5, n), rng.uniform(3.5, 5.5, n))
    angle = rng.uniform(0.0, 2 * np.pi, n)
    x = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return x, _one_col(labels)


def xor(n, rng):
    x = rng.uniform(-5.0, 5.0, (n, 2))
    # Keep a small gap around the axes so the four quadrants are clearly separated.
    x += np.sign(x) * 0.3
    labels = (x[:, 0] * x[:, 1] < 0).astype(int)
    return x, _one_col(labels)


def gauss(n, rng):
    labels = _balanced_labels(n, 2, rng)
    centres = np.where(labels[:, None] == 1, 2.0, -2.0)
    x = centres + rng.normal(0.0, 1.0, (n, 2))
    return x, _one_col(labels)


def spiral(n, rng):
    labels = _balanced_labels(n, 2, rng)
    t = rng.uniform(0.0, 1.0, n)
    radius = 5.0 * t
    angle = 1.75 * 2 * np.pi * t + np.pi * labels
    x = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return x, _one_col(labels)


def moons(n, rng):
    labels = _balanced_labels(n, 2, rng)
    theta = rng.uniform(0.0, np.pi, n)
    upper = np.column_stack([np.cos(theta), np.sin(theta)])
    lower = np.column_stack([1.0 - np.cos(theta), 0.5 - np.sin(theta)])
    x = np.where(labels[:, None] == 0, upper, lower)
    x = (x - [0.5, 0.25]) * 3.0
    return x, _one_col(labels)


def multiclass(n, rng):
    k = 3
    labels = _balanced_labels(n, k, rng)
    angles = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    centres = 3.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    x = centres[labels] + rng.normal(0.0, 1.2, (n, 2))
    return x, np.eye(k)[labels]


def plane(n, rng):
    x = rng.uniform(-6.0, 6.0, (n, 2))
    return x, ((x[:, 0] + x[:, 1]) / 12.0).reshape(-1, 1)


_MULTIGAUSS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def multigauss(n, rng):
    x = rng.uniform(-6.0, 6.0, (n, 2))
    y = np.zeros(n)
    for cx, cy, sign in _MULTIGAUSS:
        y += sign * np.exp(-((x[:, 0] - cx) ** 2 + (x[:, 1] - cy) ** 2) / (2 * 1.6**2))
    return x, np.clip(y, -1.0, 1.0).reshape(-1, 1)


# Made-up clusters (mean opacity, mean size in cm, std opacity, std size). Normal images sit in
# a middle band of opacity; the pathological ones lie on both sides of it (dense lesions, too
# dark "hyperlucent" areas) or have large lesions, so one straight line cannot separate them.
_NORMAL = (0.45, 0.9, 0.07, 0.5)
_PATHOLOGICAL = ((0.76, 1.8, 0.08, 0.9), (0.15, 1.2, 0.06, 0.7), (0.5, 3.6, 0.1, 0.6))


def radiografias(n, rng):
    labels = _balanced_labels(n, 2, rng)
    kind = rng.integers(0, len(_PATHOLOGICAL), n)
    params = np.where((labels == 1)[:, None], np.array(_PATHOLOGICAL)[kind], _NORMAL)
    x = params[:, :2] + params[:, 2:] * rng.normal(0.0, 1.0, (n, 2))
    return x, _one_col(labels)
