"""The loss landscape ("paisaje de la pérdida") around the network's current parameters.

A 2-D slice of the loss surface, for drawing as a heatmap or contour plot, in one of two modes:

- ``weights``: vary two chosen parameters and keep the rest fixed. A parameter is
  ``(l, j, i)`` for the weight ``net.weights[l][j, i]`` (into neuron ``j`` of layer ``l + 1``
  from neuron ``i`` of layer ``l``, with the input as layer 0: the indexing of the config's
  ``weights[l][j][i]``), or ``(l, j)`` for the bias ``net.biases[l][j]``. The axes are the
  parameter values themselves, from ``value − span`` to ``value + span``.
- ``random``: move all weights along two random directions (Li et al., 2018, "Visualizing the
  Loss Landscape of Neural Nets"): Gaussian directions, each row (the weights into one neuron)
  rescaled to the norm of the same row of ``W`` ("filter normalization", so that the picture
  does not depend on the scale of each layer), the second made orthogonal to the first row by
  row (rows of a single weight excepted), biases and batch-norm parameters not moved. The axes are the coefficients
  ``α, β ∈ [−span, span]``: the point is ``θ + α·d₁ + β·d₂``.

The loss shown is ``net.total_loss`` (data loss plus L1/L2 penalty, in evaluation mode). The
network is never modified: the slice is computed on a copy.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from .errors import BackpropError
from .evaluation import check_data

MIN_RESOLUTION = 3
MAX_RESOLUTION = 101
MAX_SPAN = 100.0


def _is_int(v):
    return isinstance(v, Integral) and not isinstance(v, bool)


def _f(x):
    x = float(x)
    return x if math.isfinite(x) else None


def _offsets(net):
    """Start of each array of ``net.parameters()`` in ``get_flat_params()``, keyed by id."""
    out, pos = {}, 0
    for p in net.parameters():
        out[id(p)] = pos
        pos += p.size
    return out, pos


def _check_param(net, spec, k):
    field = f"params[{k}]"
    ok = isinstance(spec, (list, tuple)) and len(spec) in (2, 3) and all(_is_int(v) for v in spec)
    if ok:
        l, j = spec[0], spec[1]
        ok = 0 <= l < len(net.weights) and 0 <= j < net.weights[l].shape[0]
        if ok and len(spec) == 3:
            ok = 0 <= spec[2] < net.weights[l].shape[1]
    if not ok:
        raise BackpropError(
            "invalid_param", f"{field}: expected (l, j, i) for weights[l][j][i] or (l, j) for "
            "biases[l][j], within the network's shape",
            f"Cada parámetro del paisaje es (l, j, i) para el peso weights[l][j][i] o (l, j) "
            f"para el sesgo biases[l][j], dentro de la forma de la red; {list(spec) if isinstance(spec, (list, tuple)) else spec!r} "
            "no lo es.", "params")
    return tuple(int(v) for v in spec)


def _describe(net, spec):
    """Axis metadata: which parameter, its name as in the diagram, where it is in the flat vector."""
    offsets, _ = _offsets(net)
    if len(spec) == 3:
        l, j, i = spec
        arr = net.weights[l]
        flat = offsets[id(arr)] + j * arr.shape[1] + i
        return {"kind": "weight", "param": [l, j, i], "flat_index": int(flat),
                "label": f"w[{l + 1}]({j},{i})",
                "label_es": f"peso de la neurona {i} (capa {l}) a la neurona {j} (capa {l + 1})"}
    l, j = spec
    flat = offsets[id(net.biases[l])] + j
    return {"kind": "bias", "param": [l, j], "flat_index": int(flat),
            "label": f"b[{l + 1}]({j})", "label_es": f"sesgo de la neurona {j} (capa {l + 1})"}


def _get(net, spec):
    return net.weights[spec[0]][spec[1], spec[2]] if len(spec) == 3 else net.biases[spec[0]][spec[1]]


def _set(net, spec, value):
    if len(spec) == 3:
        net.weights[spec[0]][spec[1], spec[2]] = value
    else:
        net.biases[spec[0]][spec[1]] = value


def random_directions(net, seed=0):
    """Two filter-normalized, row-wise orthogonal random directions shaped like ``net.weights``."""
    rng = np.random.default_rng(seed)
    d1, d2 = [], []
    for W in net.weights:
        a = rng.normal(size=W.shape)
        b = rng.normal(size=W.shape)
        # Row by row: b ⟂ a, then both rows rescaled to the norm of the weights into that neuron.
        ortho = b - a * (np.sum(a * b, axis=1, keepdims=True) / np.sum(a * a, axis=1,
                                                                          keepdims=True))
        # A row with a single weight has no orthogonal direction: it keeps its own.
        keep = np.linalg.norm(ortho, axis=1, keepdims=True) > 1e-9 * np.linalg.norm(
            b, axis=1, keepdims=True)
        b = np.where(keep, ortho, b)
        target = np.linalg.norm(W, axis=1, keepdims=True)
        target = np.where(target > 0.0, target, 1.0)  # an all-zero row still gets a direction
        d1.append(a * target / np.linalg.norm(a, axis=1, keepdims=True))
        d2.append(b * target / np.linalg.norm(b, axis=1, keepdims=True))
    return d1, d2


def _flat_direction(net, direction):
    """A weight direction as a vector in ``get_flat_params()`` layout (zero elsewhere)."""
    offsets, total = _offsets(net)
    flat = np.zeros(total)
    for W, d in zip(net.weights, direction):
        start = offsets[id(W)]
        flat[start:start + W.size] = d.ravel()
    return flat


def loss_slice(net, X, Y, params=None, span=1.0, resolution=25, seed=0):
    """The total loss on a ``resolution`` × ``resolution`` grid centred on the current point.

    Returns ``{"mode", "axes": {"alpha": {...}, "beta": {...}}, "alpha": [...], "beta": [...],
    "loss": [[...]], "center": [a, b], "center_loss", "min", "max"}`` where ``loss[r][c]`` is
    the loss at ``(alpha[c], beta[r])`` (rows follow beta upwards from its smallest value) and
    non-finite losses are ``None``. In ``random`` mode the result also carries ``origin`` and
    ``directions`` (flat vectors in ``get_flat_params()`` layout) for ``project_path``."""
    X, Y = check_data(net, X, Y)
    if not isinstance(span, Real) or isinstance(span, bool) or not math.isfinite(span) or \
            not 0.0 < span <= MAX_SPAN:
        raise BackpropError("invalid_span", f"span must be a number in (0, {MAX_SPAN:g}]",
                            f"El alcance (span) debe ser un número mayor que 0 y como máximo "
                            f"{MAX_SPAN:g}.", "span")
    if not _is_int(resolution) or not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
        raise BackpropError(
            "invalid_resolution",
            f"resolution must be an integer from {MIN_RESOLUTION} to {MAX_RESOLUTION}",
            f"La resolución debe ser un entero entre {MIN_RESOLUTION} y {MAX_RESOLUTION}.",
            "resolution")
    if not _is_int(seed) or seed < 0:
        raise BackpropError("invalid_seed", "seed must be a non-negative integer",
                            "La semilla debe ser un entero no negativo.", "seed")
    offsets = np.linspace(-span, span, resolution)
    work = net.copy()
    grid = np.empty((resolution, resolution))
    if params is not None:
        if not isinstance(params, (list, tuple)) or len(params) != 2:
            raise BackpropError("invalid_param", "params must be two parameters (or None)",
                                "Hay que elegir exactamente dos parámetros (o ninguno, para "
                                "direcciones aleatorias).", "params")
        p1, p2 = (_check_param(net, spec, k) for k, spec in enumerate(params))
        if p1 == p2:
            raise BackpropError("invalid_param", "the two parameters must be different",
                                "Los dos parámetros deben ser distintos.", "params")
        c1, c2 = float(_get(net, p1)), float(_get(net, p2))
        alpha, beta = c1 + offsets, c2 + offsets
        with np.errstate(all="ignore"):
            for r, b in enumerate(beta):
                _set(work, p2, b)
                for c, a in enumerate(alpha):
                    _set(work, p1, a)
                    grid[r, c] = work.total_loss(X, Y)
        result = {"mode": "weights",
                  "axes": {"alpha": _describe(net, p1), "beta": _describe(net, p2)},
                  "center": [c1, c2]}
    else:
        d1, d2 = random_directions(net, seed)
        base = [W.copy() for W in net.weights]
        alpha = beta = offsets
        with np.errstate(all="ignore"):
            for r, b in enumerate(beta):
                for c, a in enumerate(alpha):
                    for W, w0, u, v in zip(work.weights, base, d1, d2):
                        np.add(w0, a * u + b * v, out=W)
                    grid[r, c] = work.total_loss(X, Y)
        result = {"mode": "random",
                  "axes": {"alpha": {"kind": "direction", "label": "α", "label_es":
                                     "dirección aleatoria 1", "seed": int(seed)},
                           "beta": {"kind": "direction", "label": "β", "label_es":
                                    "dirección aleatoria 2", "seed": int(seed)}},
                  "center": [0.0, 0.0],
                  "origin": net.get_flat_params().tolist(),
                  "directions": [_flat_direction(net, d1).tolist(),
                                 _flat_direction(net, d2).tolist()]}
    finite = grid[np.isfinite(grid)]
    result.update({
        "alpha": [float(v) for v in alpha],
        "beta": [float(v) for v in beta],
        "loss": [[_f(v) for v in row] for row in grid],
        "center_loss": _f(net.total_loss(X, Y)),
        "min": float(finite.min()) if finite.size else None,
        "max": float(finite.max()) if finite.size else None,
    })
    return result


def project_path(points, landscape):
    """Coordinates of recorded parameter points in the axes of a ``loss_slice`` result.

    ``points``: a list of flat parameter vectors (``get_flat_params()``), or, for a
    ``weights`` slice, a list of the two parameters' values ``[a, b]``. Returns
    ``{"alpha": [...], "beta": [...], "off_plane": [...]}``: in ``random`` mode a point is
    projected onto the plane ``origin + α·d₁ + β·d₂`` and ``off_plane`` is the fraction of its
    distance from the origin that the picture cannot show (0 = on the plane); in ``weights``
    mode the other parameters are simply not shown and ``off_plane`` is ``None``."""
    if not isinstance(landscape, dict) or landscape.get("mode") not in ("weights", "random"):
        raise BackpropError("invalid_landscape", "landscape must be a loss_slice result",
                            "Hace falta el resultado de loss_slice.", "landscape")
    try:
        P = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        P = None
    if P is not None and P.size == 0 and P.ndim <= 2:
        return {"alpha": [], "beta": [], "off_plane": []}
    if P is None or P.ndim != 2 or not np.all(np.isfinite(P)):
        raise BackpropError("invalid_path", "points must be a list of finite vectors",
                            "El recorrido debe ser una lista de vectores de números finitos.",
                            "points")
    if landscape["mode"] == "weights":
        i1 = landscape["axes"]["alpha"]["flat_index"]
        i2 = landscape["axes"]["beta"]["flat_index"]
        if P.shape[1] == 2:
            a, b = P[:, 0], P[:, 1]
        elif P.shape[1] > max(i1, i2):
            a, b = P[:, i1], P[:, i2]
        else:
            raise BackpropError("invalid_path", "points must be flat parameter vectors or pairs",
                                "Cada punto debe ser el vector completo de parámetros o el par "
                                "de valores de los dos parámetros elegidos.", "points")
        return {"alpha": a.tolist(), "beta": b.tolist(), "off_plane": [None] * len(P)}
    origin = np.asarray(landscape["origin"], dtype=np.float64)
    d1, d2 = (np.asarray(d, dtype=np.float64) for d in landscape["directions"])
    if P.shape[1] != origin.size:
        raise BackpropError("invalid_path", f"points must have {origin.size} parameters",
                            f"Cada punto debe tener los {origin.size} parámetros de la red.",
                            "points")
    delta = P - origin
    # Least squares (d₁ and d₂ are orthogonal except in networks with one-weight rows).
    D = np.column_stack([d1, d2])
    coef = np.linalg.lstsq(D, delta.T, rcond=None)[0]
    a, b = coef[0], coef[1]
    rest = np.linalg.norm(delta - (D @ coef).T, axis=1)
    dist = np.linalg.norm(delta, axis=1)
    off = [float(r / d) if d > 0 else 0.0 for r, d in zip(rest, dist)]
    return {"alpha": a.tolist(), "beta": b.tolist(), "off_plane": off}
