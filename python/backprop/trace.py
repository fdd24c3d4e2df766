"""Every number of one training step, in the order a reader would compute it by hand.

``trace_step(net, X, Y, lang="es")`` performs one update on the batch (X, Y) and returns:

- the arrays of the CLI's ``trace`` document (``layers``, ``loss``, ``deltas``,
  ``grad_weights``, ``grad_biases``, ``weights``, ``biases``, ``loss_after``), and
- ``events``: a flat list to replay one by one. Each event names its phase, the neuron or
  weight it belongs to, its value, the formula it applies (a short ``label`` in ``lang``, from
  the ``trace_detail`` group of ``labels.py``, and a symbolic ``formula``) and the ``terms``
  that go into it.

The events are built phase by phase (forward, loss, backward with the gradients of each layer,
update) from the network's ``StepRecord``. Layers are numbered as in the network diagram: 0 is
the input layer, 1 the first hidden layer, and so on; neurons are numbered from 0 inside each
layer. Per-neuron values (z, a, ∂L/∂a, ∂a/∂z, δ) are lists with one entry per sample of the
batch; gradients and updates are single numbers (the average over the batch is already inside
δ, through the loss).
"""

from typing import NamedTuple

import numpy as np

from .errors import BackpropError
from .labels import label
from .parameters import ParamId


class _Step(NamedTuple):
    """One recorded step and what the phases share."""
    net: object
    rec: object            # network.StepRecord
    Y: np.ndarray
    lang: str
    ids: list              # ParamId per array of parameters(), in order

    def text(self, key, **names):
        return label("trace_detail", key, self.lang).format(**names)

    def name(self, group, key):
        return label(group, key, self.lang)

    def formula(self, text):
        """An activation's formula with its words ({when}, {otherwise}) in ``lang``."""
        return text.format(when=self.text("formula_when"),
                           otherwise=self.text("formula_otherwise"))

    def grad(self, pid):
        """The data-loss gradient (after clipping) of one array."""
        return self.rec.data_grads[self.ids.index(pid)]

    def before(self, pid, current):
        """An array's value before the step (frozen ones, and the unused bias of a
        batch-normalized layer, did not change)."""
        if pid not in self.ids:
            return current
        upd = self.rec.updates[self.ids.index(pid)]
        return current if upd is None else upd["old"]


def _col(arr, j):
    return arr[:, j].tolist()


def _event(phase, kind, value, label_, formula, terms, **where):
    """An event with its keys in the documented order: where it belongs, then what it is."""
    return {"phase": phase, "kind": kind, **where, "value": value, "label": label_,
            "formula": formula, "terms": terms}


def trace_step(net, X, Y, lang="es") -> dict:
    X, Y = net.check_xy(X, Y)
    rec = net.train_step(X, Y, record=True)
    with np.errstate(all="ignore"):
        loss_after = net.loss(X, Y)
    step = _Step(net, rec, Y, lang, net.param_ids())
    events = forward_events(step)
    events.append(loss_event(step))
    for l in range(len(rec.cache) - 1, -1, -1):
        events += backward_events(step, l)
        events += gradient_events(step, l)
    events += update_events(step)
    events.append(_event("result", "loss_after", loss_after, step.text("loss_after"),
                         net.loss_fn.formula, {}))
    for n, e in enumerate(events):
        e["index"] = n
    return _document(step, loss_after, events)


# ----- phases ------------------------------------------------------------------------------

def forward_events(step):
    """Per layer, per neuron: z, batch_norm, a, dropout."""
    net, events = step.net, []
    for l, c in enumerate(step.rec.cache):
        layer = l + 1
        act = net.activation_fns[l]
        act_name = step.name("activation", act.name)
        W = step.before(ParamId("weight", layer), net.weights[l])
        b = step.before(ParamId("bias", layer), net.biases[l])
        for j in range(c.z_linear.shape[1]):
            where = {"layer": layer, "neuron": j}
            events.append(_event(
                "forward", "z", _col(c.z_linear, j), step.text("z"), "z = Σᵢ wᵢ·aᵢ + b",
                {"weights": W[j].tolist(), "bias": float(b[j]), "inputs": c.a_prev.tolist()},
                **where))
            if c.bn is not None:
                events.append(_batch_norm_event(step, l, c, j))
            events.append(_event("forward", "a", _col(c.h, j),
                                 step.text("a", activation=act_name), step.formula(act.formula),
                                 {"z": _col(c.z, j)}, **where))
            if c.mask is not None:
                events.append(_event(
                    "forward", "dropout", _col(c.h * c.mask, j), step.text("dropout"),
                    "a ← a·m/(1 − p)",
                    {"mask": (c.mask[:, j] > 0).astype(int).tolist(), "p": net.dropout},
                    **where))
    return events


def _batch_norm_event(step, l, c, j):
    layer, bn = l + 1, step.net.batch_norms[l]
    gamma = step.before(ParamId("gamma", layer), bn.gamma)
    beta = step.before(ParamId("beta", layer), bn.beta)
    return _event(
        "forward", "batch_norm", _col(c.z, j), step.text("batch_norm"),
        "ẑ = γ·(z − μ)/√(σ² + ε) + β",
        {"z": _col(c.z_linear, j), "z_norm": _col(c.bn.z_norm, j),
         "mean": float(c.z_linear[:, j].mean()), "std": float(1.0 / c.bn.inv_std[j]),
         "gamma": float(gamma[j]), "beta": float(beta[j])},
        layer=layer, neuron=j)


def loss_event(step):
    loss_fn = step.net.loss_fn
    return _event("loss", "loss", step.rec.loss,
                  step.text("loss", loss=step.name("loss", loss_fn.name)), loss_fn.formula,
                  {"predictions": step.rec.cache[-1].h.tolist(), "targets": step.Y.tolist()})


def backward_events(step, l):
    """Per neuron of layer l + 1: ∂L/∂a, ∂a/∂z, δ and, with batch norm, δ before it."""
    net, rec = step.net, step.rec
    c, d = rec.cache[l], rec.deltas[l]
    layer, act = l + 1, net.activation_fns[l]
    act_name = step.name("activation", act.name)
    is_out = l == len(rec.cache) - 1
    derivative = act.derivative(c.z, c.h)
    delta_label, delta_formula = _delta_text(step, act, act_name, is_out and net.fused)
    if is_out:
        ga_label, ga_formula = step.text("grad_a_output"), net.loss_fn.grad_formula
    else:
        ga_label = step.text("grad_a_hidden")
        ga_formula = "∂L/∂aⱼ = Σₖ wₖⱼ·δₖ" + (step.text("formula_dropout")
                                           if c.mask is not None else "")
        next_W = step.before(ParamId("weight", layer + 1), net.weights[l + 1])
    events = []
    for j in range(c.z_linear.shape[1]):
        where = {"layer": layer, "neuron": j}
        terms = ({"a": _col(c.h, j), "y": _col(step.Y, j)} if is_out else
                 {"next_weights": next_W[:, j].tolist(),
                  "next_deltas": rec.deltas[l + 1].delta_z.tolist()})
        events.append(_event("backward", "grad_a", _col(d.grad_a, j), ga_label, ga_formula,
                             terms, **where))
        events.append(_event("backward", "da_dz", _col(derivative, j),
                             step.text("da_dz", activation=act_name),
                             step.formula(act.derivative_formula),
                             {"z": _col(c.z, j), "a": _col(c.h, j)}, **where))
        events.append(_event("backward", "delta", _col(d.delta, j), delta_label, delta_formula,
                             {"grad_a": _col(d.grad_a, j), "da_dz": _col(derivative, j)},
                             **where))
        if c.bn is not None:
            events.append(_event("backward", "delta_bn", _col(d.delta_z, j),
                                 step.text("delta_bn"), "∂L/∂z = γ/(N·σ)·(N·δ − Σδ − ẑ·Σ(δ·ẑ))",
                                 {"delta": _col(d.delta, j)}, **where))
    return events


def _delta_text(step, act, act_name, fused):
    """(label, formula) of δ: fused with the loss, through softmax, or the chain rule."""
    loss_fn = step.net.loss_fn
    if fused:
        formula = "δ = (a − y)/N" if loss_fn.name == "ce" else "δ = (a − y)/(N·K)"
        return step.text("delta_fused", activation=act_name,
                         loss=step.name("loss", loss_fn.name)), formula
    if not act.elementwise:
        return step.text("delta_softmax"), "δⱼ = aⱼ·(∂L/∂aⱼ − Σₖ ∂L/∂aₖ·aₖ)"
    return step.text("delta"), "δ = ∂L/∂a · ∂a/∂z"


def gradient_events(step, l):
    """Right after a layer's deltas: ∂L/∂w per weight, ∂L/∂b per bias (or ∂L/∂γ, ∂L/∂β)."""
    c, dz = step.rec.cache[l], step.rec.deltas[l].delta_z
    layer = l + 1
    gW, gb = step.grad(ParamId("weight", layer)), step.rec.db[l]
    events = []
    for j in range(dz.shape[1]):
        for i in range(c.a_prev.shape[1]):
            events.append(_event("gradient", "grad_w", float(gW[j, i]), step.text("grad_w"),
                                 "∂L/∂w = Σₙ δ·a_prev",
                                 {"delta": _col(dz, j), "a_prev": _col(c.a_prev, i)},
                                 layer=layer, neuron=j, source=i))
        if c.bn is None:  # β replaces the bias of a batch-normalized layer
            events.append(_event("gradient", "grad_b", float(gb[j]), step.text("grad_b"),
                                 "∂L/∂b = Σₙ δ", {"delta": _col(dz, j)}, layer=layer, neuron=j))
    if c.bn is not None:
        for kind, formula in (("gamma", "∂L/∂γ = Σₙ δ·ẑ_norm"), ("beta", "∂L/∂β = Σₙ δ")):
            events.append(_event(
                "gradient", "grad_" + kind, step.grad(ParamId(kind, layer)).tolist(),
                step.text("grad_param", param_of=step.name("param_kind_of", kind)), formula, {},
                layer=layer))
    return events


def update_events(step):
    """Clipping, then per parameter element its update (or one event per frozen array)."""
    net, rec, events = step.net, step.rec, []
    if rec.clip is not None:
        events.append(_event("update", "clip", rec.clip["factor"], step.text("clip"),
                             step.text("formula_clip"),
                             {"norm": rec.clip["norm"], "max_norm": rec.clip["max_norm"]}))
    opt_name = step.name("optimizer", net.optimizer.name)
    params = net.parameters()
    for k, (pid, upd) in enumerate(zip(step.ids, rec.updates)):
        kind_name = step.name("param_kind", pid.kind)
        where = {"layer": pid.layer, "param": pid.name}
        if upd is None:
            events.append(_event("update", "frozen", params[k].tolist(),
                                 step.text("frozen", param=kind_name), "w ← w", {}, **where))
            continue
        text = step.text("update", param_of=step.name("param_kind_of", pid.kind),
                         optimizer=opt_name)
        for idx in np.ndindex(upd["old"].shape):
            event = _event("update", "update", float(upd["new"][idx]), text,
                           net.optimizer.formula, _update_terms(step, pid, upd, k, idx),
                           **where)
            event["neuron"] = int(idx[0])
            if pid.kind == "weight":
                event["source"] = int(idx[1])
            events.append(event)
    return events


def _update_terms(step, pid, upd, k, idx):
    net = step.net
    old = float(upd["old"][idx])
    terms = {"old": old, "grad": float(step.rec.data_grads[k][idx]), "g": float(upd["g"][idx]),
             "learning_rate": net.optimizer.learning_rate, "step": float(upd["step"][idx])}
    if pid.regularized and (net.l1 or net.l2):
        terms["l2_term"] = net.l2 * old
        terms["l1_term"] = net.l1 * float(np.sign(old))
    for key in upd:
        if key not in ("old", "g", "step", "new"):   # the optimizer's state
            terms[key] = float(upd[key][idx])
    return terms


def _document(step, loss_after, events):
    """The CLI's ``trace`` document: the step's arrays, then the events."""
    net, rec = step.net, step.rec
    result = {
        "layers": [{"z": c.z.tolist(), "a": c.a.tolist()} for c in rec.cache],
        "loss": rec.loss,
        "deltas": [d.delta.tolist() for d in rec.deltas],
        "grad_weights": [step.grad(ParamId("weight", l + 1)).tolist()
                         for l in range(len(rec.cache))],
        "grad_biases": [g.tolist() for g in rec.db],
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
        "loss_after": loss_after,
        "events": events,
    }
    if any(bn is not None for bn in net.batch_norms):
        result["z_linear"] = [c.z_linear.tolist() for c in rec.cache]
        result["deltas_linear"] = [d.delta_z.tolist() for d in rec.deltas]
    if rec.clip is not None:
        result["clip"] = {"norm": rec.clip["norm"], "factor": rec.clip["factor"]}
    return result


def check_indices(indices, n, field="indices"):
    if (not isinstance(indices, (list, tuple)) or not indices
            or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n
                       for i in indices)):
        raise BackpropError(
            "invalid_indices",
            f"{field}: expected a non-empty list of sample indices between 0 and {n - 1}",
            f"Hace falta una lista no vacía de índices de muestras entre 0 y {n - 1}.", field)
    return list(indices)
