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
network is never modified. Without batch normalization the grid is evaluated in batches
(stacked weight sets through one numpy call per layer, with the network's own activation,
loss and penalty functions), which is several times faster than one ``total_loss`` call per
point, above all inside Pyodide; with batch normalization it calls ``total_loss`` on a copy.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from . import regularization
from .errors import BackpropError, check_resolution, is_int as _is_int
from .evaluation import check_data
from .rng import default_rng
from .serialization import to_jsonable

MIN_RESOLUTION = 3
MAX_RESOLUTION = 101
MAX_SPAN = 100.0
# Grid points evaluated together: at most this many floats in one layer's batched activations
# (small enough to stay in the CPU cache; larger batches measured slower).
BATCH_BUDGET = 1 << 14


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
        elif ok and net.batch_norms[l] is not None:
            raise BackpropError(
                "invalid_param", f"{field}: layer {l + 1} is batch-normalized, so its bias has "
                "no effect (β takes its role)",
                f"La capa {l + 1} usa normalización por lotes: su sesgo no influye en nada (lo "
                "sustituye β), así que no tiene paisaje.", "params")
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
    rng = default_rng(seed)
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


def _losses_one_by_one(net, X, Y, a_all, b_all, layer_params):
    """The engine's own ``total_loss`` at every grid point, on a copy of the network."""
    work = net.copy()
    losses = np.empty(len(a_all))
    for q in range(len(a_all)):
        Ws, bs = layer_params(a_all[q:q + 1], b_all[q:q + 1])
        for W, new in zip(work.weights, Ws):
            W[...] = new[0]
        for bias, new in zip(work.biases, bs):
            bias[...] = new[0]
        losses[q] = work.total_loss(X, Y)
    return losses


def _losses_batched(net, X, Y, a_all, b_all, layer_params):
    """``total_loss`` at many grid points per numpy call: the forward pass runs on a stack of
    weight sets, (K, out, in), with the network's own activations, loss and penalty.

    Only for networks without batch normalization, where evaluation mode is exactly
    z = a·Wᵀ + b followed by the activation (dropout is off when evaluating)."""
    acts = net.activation_fns
    loss_fn = net.loss_fn
    fused = loss_fn.partner == acts[-1].name  # as Network: sigmoid+bce, softmax+ce from z
    width = max(net.sizes)
    chunk = max(1, min(len(a_all), BATCH_BUDGET // (X.shape[0] * width)))
    losses = np.empty(len(a_all))
    for start in range(0, len(a_all), chunk):
        a, b = a_all[start:start + chunk], b_all[start:start + chunk]
        k = len(a)
        Ws, bs = layer_params(a, b)
        h = X
        for l, (W, bias) in enumerate(zip(Ws, bs)):
            z = np.matmul(h, np.swapaxes(W, 1, 2)) + bias[:, None, :]
            if l < len(Ws) - 1:
                h = acts[l].value(z)  # hidden activations are elementwise
        z = np.broadcast_to(z, (k,) + z.shape[1:])
        for q in range(k):
            # The output layer per grid point: softmax and the losses work on (n, out).
            if fused:
                losses[start + q] = loss_fn.value_from_logits(z[q], Y)
            else:
                losses[start + q] = loss_fn.value(acts[-1].value(z[q]), Y)
            if net.l1 or net.l2:
                losses[start + q] += regularization.penalty(
                    [W[q] if W.shape[0] > 1 else W[0] for W in Ws], net.l1, net.l2)
    return losses


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
    check_resolution(resolution, MIN_RESOLUTION, MAX_RESOLUTION)
    if not _is_int(seed) or seed < 0:
        raise BackpropError("invalid_seed", "seed must be a non-negative integer",
                            "La semilla debe ser un entero no negativo.", "seed")
    offsets = np.linspace(-span, span, resolution)
    center_loss = net.total_loss(X, Y)  # also lets the engine check the targets once
    if params is not None:
        alpha, beta, layer_params, result = _two_parameters(net, params, offsets)
    else:
        alpha, beta, layer_params, result = _random_plane(net, seed, offsets)
    # Grid point q is (alpha[q % res], beta[q // res]): row r of the grid is beta[r].
    a_all = np.tile(alpha, resolution)
    b_all = np.repeat(beta, resolution)
    with np.errstate(all="ignore"):
        if any(bn is not None for bn in net.batch_norms):
            losses = _losses_one_by_one(net, X, Y, a_all, b_all, layer_params)
        else:
            losses = _losses_batched(net, X, Y, a_all, b_all, layer_params)
    grid = losses.reshape(resolution, resolution)
    finite = grid[np.isfinite(grid)]
    result.update({
        "alpha": [float(v) for v in alpha],
        "beta": [float(v) for v in beta],
        "loss": to_jsonable(grid),                 # non-finite losses become None
        "center_loss": to_jsonable(center_loss),
        "min": float(finite.min()) if finite.size else None,
        "max": float(finite.max()) if finite.size else None,
    })
    return result


def _two_parameters(net, params, offsets):
    """``weights`` mode: the axes are two parameters' values around their current ones.
    Returns (alpha, beta, layer_params, the result's first keys)."""
    if not isinstance(params, (list, tuple)) or len(params) != 2:
        raise BackpropError("invalid_param", "params must be two parameters (or None)",
                            "Hay que elegir exactamente dos parámetros (o ninguno, para "
                            "direcciones aleatorias).", "params")
    p1, p2 = (_check_param(net, spec, k) for k, spec in enumerate(params))
    if p1 == p2:
        raise BackpropError("invalid_param", "the two parameters must be different",
                            "Los dos parámetros deben ser distintos.", "params")
    c1, c2 = float(_get(net, p1)), float(_get(net, p2))

    def layer_params(a, b):
        # Views of the network's arrays, except fresh copies of the one or two that vary.
        Ws = [W[None] for W in net.weights]
        bs = [bias[None] for bias in net.biases]
        copied = set()
        for spec, values in ((p1, a), (p2, b)):
            arrays = Ws if len(spec) == 3 else bs
            key = (len(spec), spec[0])
            if key not in copied:
                arrays[spec[0]] = np.repeat(arrays[spec[0]], len(values), axis=0)
                copied.add(key)
            arrays[spec[0]][(slice(None),) + tuple(spec[1:])] = values
        return Ws, bs

    result = {"mode": "weights",
              "axes": {"alpha": _describe(net, p1), "beta": _describe(net, p2)},
              "center": [c1, c2]}
    return c1 + offsets, c2 + offsets, layer_params, result


def _random_plane(net, seed, offsets):
    """``random`` mode: the axes are the coefficients of two random directions."""
    d1, d2 = random_directions(net, seed)

    def layer_params(a, b):
        Ws = [W[None] + a[:, None, None] * u[None] + b[:, None, None] * v[None]
              for W, u, v in zip(net.weights, d1, d2)]
        return Ws, [bias[None] for bias in net.biases]

    result = {"mode": "random",
              "axes": {"alpha": {"kind": "direction", "label": "α", "label_es":
                                 "dirección aleatoria 1", "seed": int(seed)},
                       "beta": {"kind": "direction", "label": "β", "label_es":
                                "dirección aleatoria 2", "seed": int(seed)}},
              "center": [0.0, 0.0],
              "origin": net.get_flat_params().tolist(),
              "directions": [_flat_direction(net, d1).tolist(),
                             _flat_direction(net, d2).tolist()]}
    return offsets, offsets, layer_params, result


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
