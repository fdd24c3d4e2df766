"""The chain rule as a sum over paths: ∂L/∂w written out path by path.

For one weight ``W[layer][j, i]`` (or bias ``b[layer][j]``) a change travels from neuron ``j``
of its layer through every neuron of every later layer to the loss. Each route is a *path*;
its contribution is the product of the factors met along it, and the gradient is the sum of
the contributions of all paths:

    ∂L/∂w = Σ_paths  ∂L/∂a(out) · ∂a/∂z(out) · w · ∂a/∂z · … · ∂a/∂z(j) · a_i

At the output, when the loss is fused with its activation (sigmoid + bce, softmax + ce), the
first two factors are one, ∂L/∂z. A softmax output without its loss couples the outputs, so
each path also chooses the output activation it reaches the loss through (K times as many
paths). Every value comes from the network's forward cache; nothing here changes the network.

Per example: each example has its own loss Lₙ, and the products are taken with ∂Lₙ/∂a, so
the paths of one example add up to that example's gradient; the update uses the mean over
the examples (the batch loss is the mean of the examples' losses).

Dropout: the mask of this step (drawn from a copy of the generator, so it is the mask the
next training step and trace will draw) is one more factor on each hidden neuron: 0 when the
neuron is off, 1/(1 − p) when it is kept. Batch normalization is refused: it mixes the
examples of the batch, so the gradient is no longer a sum of products along paths.
"""

import copy
import itertools

import numpy as np

from .errors import BackpropError, check_int
from .labels import label
from .parameters import ParamId

MAX_PATHS = 512          # paths listed for one parameter
MAX_VALUES = 20_000      # paths × examples: what one reply may hold per factor

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def symbol(name, layer, *idx):
    """``a⁽²⁾₁``, ``w⁽²⁾₁,₀``: layer as a superscript, neurons as subscripts (plain text; the
    autograd graph names its nodes the same way)."""
    return f"{name}{f'({layer})'.translate(_SUP)}{','.join(str(k).translate(_SUB) for k in idx)}"


def _refuse(code, en, es, field):
    raise BackpropError(code, en, es, field)


def check_parameter(net, layer, j, i=None):
    """The parameter's (ParamId, layer index l) or a BackpropError naming the bad index."""
    L = len(net.weights)
    layer = check_int(layer, "layer", "invalid_layer", "layer", "La capa", ge=1, le=L)
    l = layer - 1
    out, inp = net.weights[l].shape
    j = check_int(j, "j", "invalid_neuron", "neuron j", "La neurona j", ge=0, le=out - 1)
    if i is not None:
        i = check_int(i, "i", "invalid_source", "input neuron i", "La neurona de entrada i",
                      ge=0, le=inp - 1)
    return ParamId("weight" if i is not None else "bias", layer), j, i


def check_expressible(net):
    """Refuses what the path view cannot show, before anything is computed."""
    if any(bn is not None for bn in net.batch_norms):
        _refuse("chain_rule_batch_norm",
                "chain rule by paths: batch normalization mixes the examples of the batch, so "
                "the gradient is not a sum of products along paths; turn batch_norm off",
                "La regla de la cadena por caminos no admite la normalización por lotes: "
                "mezcla los ejemplos del lote y el gradiente deja de ser una suma de productos "
                "por caminos. Desactívala para ver los caminos.", "batch_norm")
    if any(not f.elementwise for f in net.activation_fns[:-1]):
        _refuse("chain_rule_activation",
                "chain rule by paths: a hidden activation that is not element by element",
                "La regla de la cadena por caminos necesita activaciones ocultas que actúen "
                "neurona a neurona.", "activation")


def _path_count(net, layer):
    count = int(np.prod(net.sizes[layer + 1:], dtype=np.int64))
    out_act = net.activation_fns[-1]
    if not out_act.elementwise and not net.fused:
        count *= net.sizes[-1]
    return count


class _Values:
    """Per-example factor values from one forward pass (rows: examples)."""

    def __init__(self, net, X, Y, lang):
        rng = copy.deepcopy(net.rng) if net.dropout else None
        _, self.cache = net.forward_cache(X, True, rng)
        self.net, self.Y, self.lang = net, Y, lang
        self.da_dz = [f.derivative(c.z, c.h) for f, c in zip(net.activation_fns, self.cache)]
        last, loss = self.cache[-1], net.loss_fn
        rows = range(X.shape[0])
        # ∂Lₙ/∂a (or ∂Lₙ/∂z when fused) of each example's own loss, one row per example.
        if net.fused:
            self.out = np.vstack([loss.fused_delta(last.h[[n]], Y[[n]]) for n in rows])
        else:
            self.out = np.vstack([loss.grad(last.h[[n]], Y[[n]]) for n in rows])


def _factor(v, kind, symbol, values, **where):
    return {"kind": kind, "symbol": symbol, **where,
            "label": label("chain_rule", kind, v.lang), "values": values}


def _path(v, pid, j, i, route, k_out):
    """One path: its nodes and its factors in the order the chain rule is written."""
    net, cache, l0 = v.net, v.cache, pid.layer - 1
    L = len(net.weights)
    neurons = (j, *route)                      # one per layer from the parameter's to the output
    factors = []
    last_j = neurons[-1]
    if net.fused:
        factors.append(_factor(v, "grad_z_output", f"∂L/∂{symbol('z', L, last_j)}",
                               v.out[:, last_j], layer=L, neuron=last_j))
    elif k_out is None:
        factors.append(_factor(v, "grad_a_output", f"∂L/∂{symbol('a', L, last_j)}",
                               v.out[:, last_j], layer=L, neuron=last_j))
    else:                                      # softmax without its loss: ∂a_k/∂z_j
        a = cache[-1].h
        factors.append(_factor(v, "grad_a_output", f"∂L/∂{symbol('a', L, k_out)}",
                               v.out[:, k_out], layer=L, neuron=k_out))
        jac = a[:, k_out] * ((k_out == last_j) - a[:, last_j])
        factors.append(_factor(v, "softmax_jacobian",
                               f"∂{symbol('a', L, k_out)}/∂{symbol('z', L, last_j)}", jac,
                               layer=L, neuron=last_j, output=k_out))
    for pos in range(len(neurons) - 1, -1, -1):
        l, n = l0 + pos, neurons[pos]
        if pos < len(neurons) - 1:             # the weight from n to the next neuron on the path
            nxt = neurons[pos + 1]
            w = np.full(len(v.Y), net.weights[l + 1][nxt, n])
            factors.append(_factor(v, "weight", symbol("w", l + 2, nxt, n), w,
                                   layer=l + 2, neuron=nxt, source=n))
            if cache[l].mask is not None:
                factors.append(_factor(v, "dropout", symbol("m", l + 1, n), cache[l].mask[:, n],
                                       layer=l + 1, neuron=n))
        if l < L - 1 or (not net.fused and k_out is None):
            sym = f"∂{symbol('a', l + 1, n)}/∂{symbol('z', l + 1, n)}"
            factors.append(_factor(v, "da_dz", sym, v.da_dz[l][:, n], layer=l + 1, neuron=n))
    if i is None:
        factors.append(_factor(v, "bias_input", "1", np.ones(len(v.Y)), layer=pid.layer,
                               neuron=j))
    else:
        factors.append(_factor(v, "input", symbol("a", pid.layer - 1, i), cache[l0].a_prev[:, i],
                               layer=pid.layer - 1, neuron=i))
    products = np.prod([f["values"] for f in factors], axis=0)
    nodes = [{"layer": l0 + 1 + p, "neuron": n} for p, n in enumerate(neurons)]
    return {"nodes": nodes, "output": k_out, "factors": factors, "products": products}


def _routes(net, layer):
    """(neurons after the parameter's layer, output activation or None) for every path."""
    widths = [range(n) for n in net.sizes[layer + 1:]]
    coupled = not net.activation_fns[-1].elementwise and not net.fused
    outs = range(net.sizes[-1]) if coupled else (None,)
    return itertools.product(itertools.product(*widths), outs)


def _data_gradient(net, X, Y, pid, j, i):
    """The engine's own ∂L/∂w of the data loss (no L1/L2 term), before clipping."""
    plain = net.copy()
    plain.l1 = plain.l2 = 0.0
    g = plain.gradients(X, Y)
    arr = g.weights[pid.layer - 1] if pid.kind == "weight" else g.biases[pid.layer - 1]
    return float(arr[j, i] if i is not None else arr[j])


def chain_rule(net, X, Y, layer, j, i=None, lang="es") -> dict:
    """Every path from ``W[layer][j, i]`` (``i=None``: the bias ``b[layer][j]``) to the loss,
    for the examples (X, Y): factors and products per example, their mean, and the engine's
    gradient. ``layer`` counts as in the diagram (1 = first hidden layer)."""
    pid, j, i = check_parameter(net, layer, j, i)
    check_expressible(net)
    X, Y = net.check_xy(X, Y)
    count = _path_count(net, pid.layer)
    if count > MAX_PATHS or count * X.shape[0] > MAX_VALUES:
        _refuse("too_many_paths",
                f"chain rule: {count} paths × {X.shape[0]} examples are too many to list; "
                "choose a parameter nearer the output, fewer examples or a smaller network",
                f"Hay demasiados caminos que mostrar ({count} caminos × {X.shape[0]} ejemplos): "
                "elige un parámetro más cercano a la salida, menos ejemplos o una red más "
                "pequeña.", "layer")
    with np.errstate(all="ignore"):
        v = _Values(net, X, Y, lang)
        paths = [_path(v, pid, j, i, route, k) for route, k in _routes(net, pid.layer)]
        sums = np.sum([p["products"] for p in paths], axis=0)
        gradient = _data_gradient(net, X, Y, pid, j, i)
    for p in paths:
        p["product"] = float(np.mean(p["products"]))
    W = net.weights[pid.layer - 1] if i is not None else net.biases[pid.layer - 1]
    return {
        "param": {"kind": pid.kind, "name": pid.name, "layer": pid.layer, "neuron": j,
                  "source": i, "value": float(W[j, i] if i is not None else W[j])},
        "fused": bool(net.fused), "dropout": net.dropout, "n_examples": int(X.shape[0]),
        "n_paths": count, "paths": paths, "sums": sums, "sum": float(np.mean(sums)),
        "gradient": gradient,
    }
