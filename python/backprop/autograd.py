"""A small reverse-mode automatic differentiation over scalars, and the graph of one neuron.

Every operation makes a ``Value`` that remembers its parents and, for each parent, the local
derivative ∂(this)/∂(parent), computed next to the value itself. ``backward()`` visits the
nodes in reverse topological order and applies the chain rule one edge at a time:

    parent.grad += node.grad · local derivative

which is exactly what the engine's backward pass does for whole layers at once. The engine
itself does not use this module: it is the course's unit 11 (autograd), and its numbers are
checked against the engine's backward pass and against central differences.

``neuron_graph(net, x, y, layer, j)`` builds the graph of neuron ``j`` of ``layer`` on one
example: its inputs times its weights plus its bias, its activation, and the rest of the
network up to the loss of that example (the other neurons of its layer are constants), and
returns it as plain JSON for the widget to draw and replay.
"""

import math

from .chainrule import check_parameter, symbol
from .errors import BackpropError
from .labels import label

MAX_NODES = 400
_LOG_FLOOR, _EPS = -100.0, 1e-12   # the engine's guards for ln 0 and division by 0


class Value:
    """One scalar node: data, grad, the operation that made it, its parents and the local
    derivative with respect to each parent."""

    def __init__(self, data, op="leaf", parents=(), local=(), kind=None, symbol="", **where):
        self.data, self.grad = float(data), 0.0
        self.op, self.parents, self.local = op, tuple(parents), tuple(local)
        self.kind = kind or ("operation" if parents else "constant")
        self.symbol, self.where = symbol, where

    def backward(self):
        """Fills ``grad`` of every node this one depends on; returns the visiting order."""
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local):
                parent.grad += node.grad * local          # the chain rule, one edge
        return order[::-1]


def topological_order(root):
    """Every node reachable from ``root``, each after all its parents (iterative DFS)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
    return order


# ----- operations: the value and its local derivatives, side by side ------------------------

def add(*xs, **kw):
    return Value(sum(x.data for x in xs), "add", xs, [1.0] * len(xs), **kw)


def mul(x, y, **kw):
    return Value(x.data * y.data, "mul", (x, y), (y.data, x.data), **kw)


def sigmoid(z, **kw):
    s = 0.5 * math.tanh(0.5 * z.data) + 0.5              # no e^1000 for large |z|
    return Value(s, "sigmoid", (z,), (s * (1.0 - s),), **kw)


def tanh(z, **kw):
    t = math.tanh(z.data)
    return Value(t, "tanh", (z,), (1.0 - t * t,), **kw)


def relu(z, **kw):
    return Value(max(z.data, 0.0), "relu", (z,), (1.0 if z.data > 0.0 else 0.0,), **kw)


def leaky_relu(z, slope, **kw):
    pos = z.data > 0.0
    return Value(z.data if pos else slope * z.data, "leaky_relu", (z,),
                 (1.0 if pos else slope,), **kw)


def linear(z, **kw):
    return Value(z.data, "linear", (z,), (1.0,), **kw)


def softmax(zs, k, **kw):
    """Output k of softmax over the nodes ``zs``: aₖ = e^(zₖ)/Σ e^(zₘ), and
    ∂aₖ/∂zₘ = aₖ·(1[k=m] − aₘ)."""
    top = max(z.data for z in zs)
    e = [math.exp(z.data - top) for z in zs]
    a = [v / sum(e) for v in e]
    return Value(a[k], "softmax", zs, [a[k] * ((k == m) - a[m]) for m in range(len(zs))], **kw)


def _ln(p):
    return max(math.log(p), _LOG_FLOOR) if p > 0.0 else _LOG_FLOOR


def loss(name, outs, ys, **kw):
    """One example's loss over the output nodes, with ∂L/∂aₖ for each (the engine's
    definitions for a batch of one)."""
    a, K = [o.data for o in outs], len(outs)
    if name == "mse":
        value = sum((p - y) ** 2 for p, y in zip(a, ys)) / K
        local = [2.0 * (p - y) / K for p, y in zip(a, ys)]
    elif name == "sse_half":
        value = 0.5 * sum((p - y) ** 2 for p, y in zip(a, ys))
        local = [p - y for p, y in zip(a, ys)]
    elif name == "bce":
        value = -sum(y * _ln(p) + (1.0 - y) * _ln(1.0 - p) for p, y in zip(a, ys)) / K
        local = [(p - y) / (max(p * (1.0 - p), _EPS) * K) for p, y in zip(a, ys)]
    else:                                                  # ce
        value = -sum(y * _ln(p) for p, y in zip(a, ys))
        local = [-y / max(p, _EPS) for p, y in zip(a, ys)]
    return Value(value, name, outs, local, kind="loss", **kw)


# ----- the graph of one neuron ---------------------------------------------------------------

def _activate(fn, zs, layer):
    """The activation of every node of ``zs`` (one layer)."""
    out = []
    for k, z in enumerate(zs):
        kw = {"symbol": symbol("a", layer, k), "layer": layer, "neuron": k}
        if fn.name == "softmax":
            out.append(softmax(zs, k, **kw))
        elif fn.name == "leaky_relu":
            out.append(leaky_relu(z, fn.negative_slope, **kw))
        else:
            out.append({"sigmoid": sigmoid, "tanh": tanh, "relu": relu,
                        "linear": linear}[fn.name](z, **kw))
    return out


def _dense(acts, W, b, layer, rows=None, own=None):
    """z of the neurons ``rows`` of ``layer`` (all by default): Σ wₖₘ·aₘ + bₖ. The neuron
    ``own`` (whose graph this is) has its weights and bias as parameters; every other weight
    is a constant."""
    zs = []
    for k in range(W.shape[0]) if rows is None else rows:
        kind = "parameter" if k == own else "constant"
        terms = []
        for m, a in enumerate(acts):
            w = Value(W[k, m], kind=kind, symbol=symbol("w", layer, k, m), layer=layer,
                      neuron=k, source=m)
            terms.append(mul(w, a, symbol=f"{w.symbol}·{a.symbol}", layer=layer, neuron=k))
        bias = Value(b[k], kind=kind, symbol=symbol("b", layer, k), layer=layer, neuron=k)
        zs.append(add(*terms, bias, symbol=symbol("z", layer, k), layer=layer, neuron=k))
    return zs


def _check_graph(net):
    if any(bn is not None for bn in net.batch_norms):
        raise BackpropError(
            "autograd_batch_norm", "autograd graph: batch normalization mixes the examples of "
            "a batch and a graph of one example cannot show it; turn batch_norm off",
            "El grafo de autograd es de un solo ejemplo y no puede mostrar la normalización "
            "por lotes, que mezcla los ejemplos: desactívala para verlo.", "batch_norm")


def build_graph(net, x, y, layer, j):
    """(loss node, the neuron's activation node) for neuron j of ``layer`` on one example.
    The network is taken as it predicts: no dropout mask."""
    pid, j, _ = check_parameter(net, layer, j)
    _check_graph(net)
    _, cache = net.forward_cache(net.check_x([x]), False)
    l0 = pid.layer - 1
    prev = [Value(v, kind="input", symbol=symbol("a", pid.layer - 1, i), layer=pid.layer - 1,
                  neuron=i) for i, v in enumerate(cache[l0].a_prev[0])]
    own = _dense(prev, net.weights[l0], net.biases[l0], pid.layer, rows=[j], own=j)[0]
    zs = [own if k == j else Value(z, kind="constant", symbol=symbol("z", pid.layer, k),
                                   layer=pid.layer, neuron=k)
          for k, z in enumerate(cache[l0].z[0])]
    acts = _activate(net.activation_fns[l0], zs, pid.layer)
    mine = acts[j]
    if net.activation_fns[l0].elementwise:                   # the rest of the layer: constants
        acts = [a if k == j else Value(a.data, kind="constant", symbol=a.symbol, **a.where)
                for k, a in enumerate(acts)]
    for l in range(l0 + 1, len(net.weights)):
        acts = _activate(net.activation_fns[l],
                         _dense(acts, net.weights[l], net.biases[l], l + 1), l + 1)
    root = loss(net.loss_fn.name, acts, [float(v) for v in y], symbol="L")
    return root, mine


def neuron_graph(net, x, y, layer, j, lang="es") -> dict:
    """The graph of neuron ``j`` of ``layer`` on the example (x, y) as plain JSON: nodes
    (id, op, kind, label, symbol, value, grad), edges (from parent to child, with the local
    derivative) and the order of the backward pass, for replay."""
    pid, j, _ = check_parameter(net, layer, j)
    x, y = net.check_xy([x], [y])
    x, y = x[0], y[0]
    root, mine = build_graph(net, x, y, layer, j)
    order = topological_order(root)
    if len(order) > MAX_NODES:
        raise BackpropError(
            "too_many_nodes", f"autograd graph: {len(order)} nodes are too many to draw; choose "
            "a neuron nearer the output or a smaller network",
            f"El grafo tendría {len(order)} nodos, demasiados para dibujarlo: elige una neurona "
            "más cercana a la salida o una red más pequeña.", "layer")
    backward = root.backward()
    ids = {id(n): k for k, n in enumerate(order)}
    nodes = [{"id": ids[id(n)], "op": n.op, "kind": n.kind, "symbol": n.symbol,
              "label": label("autograd", n.op if n.op != "leaf" else n.kind, lang),
              "value": n.data, "grad": n.grad, **n.where} for n in order]
    edges = [{"from": ids[id(p)], "to": ids[id(n)], "local": d}
             for n in order for p, d in zip(n.parents, n.local)]
    return {"neuron": {"layer": pid.layer, "neuron": j}, "loss": root.data,
            "loss_name": net.loss_fn.name, "activation": mine.op, "targets": y.tolist(),
            "nodes": nodes, "edges": edges, "root": ids[id(root)],
            "neuron_node": ids[id(mine)], "forward": [ids[id(n)] for n in order],
            "backward": [ids[id(n)] for n in backward]}
