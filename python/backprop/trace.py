"""Every number of one training step, in the order a reader would compute it by hand.

``trace_step(net, X, Y)`` performs one update on the batch (X, Y) and returns:

- the arrays of the CLI's ``trace`` document (``layers``, ``loss``, ``deltas``,
  ``grad_weights``, ``grad_biases``, ``weights``, ``biases``, ``loss_after``), and
- ``events``: a flat list to replay one by one. Each event names its phase, the neuron or
  weight it belongs to, its value, the formula it applies (a short Spanish ``label`` and a
  symbolic ``formula``) and the ``terms`` that go into it.

Layers are numbered as in the network diagram: 0 is the input layer, 1 the first hidden layer,
and so on; neurons are numbered from 0 inside each layer. Per-neuron values (z, a, ∂L/∂a,
∂a/∂z, δ) are lists with one entry per sample of the batch; gradients and updates are single
numbers (the average over the batch is already inside δ, through the loss).
"""

import numpy as np

from .errors import BackpropError

_KIND_LABELS = {
    "weight": "peso",
    "bias": "sesgo",
    "gamma": "escala γ de la normalización por lotes",
    "beta": "desplazamiento β de la normalización por lotes",
}


def _col(arr, j):
    return arr[:, j].tolist()


def trace_step(net, X, Y) -> dict:
    X, Y = net._check_xy(X, Y)
    rec = net.train_step(X, Y, record=True)
    with np.errstate(all="ignore"):
        loss_after = net.loss(X, Y)
    cache, deltas = rec["cache"], rec["deltas"]
    events = []
    n_layers = len(cache)
    names = net.parameter_names()

    # ----- propagación hacia adelante ------------------------------------------------------
    for l, (a_prev, z, bn_cache, u, h, mask) in enumerate(cache):
        layer = l + 1
        act = net.activation_fns[l]
        W_old, b_old = _old_param(rec, names, f"W{layer}", net.weights[l]), _old_param(
            rec, names, f"b{layer}", net.biases[l])
        for j in range(z.shape[1]):
            events.append({
                "phase": "forward", "kind": "z", "layer": layer, "neuron": j,
                "value": _col(z, j),
                "label": "Entrada neta z: suma ponderada de las entradas más el sesgo",
                "formula": "z = Σᵢ wᵢ·aᵢ + b",
                "terms": {"weights": W_old[j].tolist(), "bias": float(b_old[j]),
                          "inputs": a_prev.tolist()},
            })
            if bn_cache is not None:
                z_norm, inv_std, _ = bn_cache
                bn = net.batch_norms[l]
                events.append({
                    "phase": "forward", "kind": "batch_norm", "layer": layer, "neuron": j,
                    "value": _col(u, j),
                    "label": "Normalización por lotes de z",
                    "formula": "ẑ = γ·(z − μ)/√(σ² + ε) + β",
                    "terms": {"z": _col(z, j), "z_norm": _col(z_norm, j),
                              "mean": float(z[:, j].mean()),
                              "std": float(1.0 / inv_std[j]),
                              "gamma": float(_old_param(rec, names, f"gamma{layer}", bn.gamma)[j]),
                              "beta": float(_old_param(rec, names, f"beta{layer}", bn.beta)[j])},
                })
            events.append({
                "phase": "forward", "kind": "a", "layer": layer, "neuron": j,
                "value": _col(h, j),
                "label": f"Activación a (función {act.label_es})",
                "formula": act.formula,
                "terms": {"z": _col(u, j)},
            })
            if mask is not None:
                events.append({
                    "phase": "forward", "kind": "dropout", "layer": layer, "neuron": j,
                    "value": _col(h * mask, j),
                    "label": "Dropout: la neurona se apaga (0) o se escala por 1/(1 − p)",
                    "formula": "a ← a·m/(1 − p)",
                    "terms": {"mask": (mask[:, j] > 0).astype(int).tolist(), "p": net.dropout},
                })
    out = cache[-1][4]
    events.append({
        "phase": "loss", "kind": "loss", "value": rec["loss"],
        "label": f"Pérdida ({net.loss_fn.label_es})",
        "formula": net.loss_fn.formula,
        "terms": {"predictions": out.tolist(), "targets": Y.tolist()},
    })

    # ----- propagación hacia atrás -----------------------------------------------------------
    grads = rec["data_grads"]
    pos = {name: k for k, name in enumerate(names)}
    for l in range(n_layers - 1, -1, -1):
        layer = l + 1
        a_prev, z, bn_cache, u, h, mask = cache[l]
        act = net.activation_fns[l]
        d = deltas[l]
        is_out = l == n_layers - 1
        fused = is_out and net._fused
        derivative = act.derivative(u, h)
        for j in range(z.shape[1]):
            if is_out:
                ga_formula, ga_label = net.loss_fn.grad_formula, "Derivada de la pérdida respecto a la salida"
            else:
                ga_formula = "∂L/∂aⱼ = Σₖ wₖⱼ·δₖ" + (" (·m/(1 − p) con dropout)" if mask is not None else "")
                ga_label = "El error llega desde la capa siguiente a través de sus pesos"
            events.append({
                "phase": "backward", "kind": "grad_a", "layer": layer, "neuron": j,
                "value": _col(d["grad_a"], j), "label": ga_label, "formula": ga_formula,
                "terms": ({"a": _col(h, j), "y": _col(Y, j)} if is_out else
                          {"next_weights": _weights_before(rec, names, net, l + 1)[:, j].tolist(),
                           "next_deltas": deltas[l + 1]["delta_z"].tolist()}),
            })
            events.append({
                "phase": "backward", "kind": "da_dz", "layer": layer, "neuron": j,
                "value": _col(derivative, j),
                "label": f"Derivada de la activación ({act.label_es})",
                "formula": act.derivative_formula,
                "terms": {"z": _col(u, j), "a": _col(h, j)},
            })
            if fused:
                formula = "δ = (a − y)/N" if net.loss_fn.name == "ce" else "δ = (a − y)/(N·K)"
                label = (f"Delta δ = ∂L/∂z: con {act.label_es} y {net.loss_fn.label_es} la regla "
                         "de la cadena se simplifica")
            elif not act.elementwise:
                formula = "δⱼ = aⱼ·(∂L/∂aⱼ − Σₖ ∂L/∂aₖ·aₖ)"
                label = "Delta δ = ∂L/∂z a través de softmax (todas las salidas influyen)"
            else:
                formula = "δ = ∂L/∂a · ∂a/∂z"
                label = "Delta δ = ∂L/∂z: regla de la cadena"
            events.append({
                "phase": "backward", "kind": "delta", "layer": layer, "neuron": j,
                "value": _col(d["delta"], j), "label": label, "formula": formula,
                "terms": {"grad_a": _col(d["grad_a"], j), "da_dz": _col(derivative, j)},
            })
            if bn_cache is not None:
                events.append({
                    "phase": "backward", "kind": "delta_bn", "layer": layer, "neuron": j,
                    "value": _col(d["delta_z"], j),
                    "label": "Delta antes de la normalización por lotes (∂L/∂z)",
                    "formula": "∂L/∂z = γ/(N·σ)·(N·δ − Σδ − ẑ·Σ(δ·ẑ))",
                    "terms": {"delta": _col(d["delta"], j)},
                })
        dz = d["delta_z"]
        gW, gb = grads[pos[f"W{layer}"]], rec["db"][l]
        for j in range(dz.shape[1]):
            for i in range(a_prev.shape[1]):
                events.append({
                    "phase": "gradient", "kind": "grad_w", "layer": layer, "neuron": j,
                    "source": i, "value": float(gW[j, i]),
                    "label": "Gradiente del peso: delta de la neurona por la activación que entra",
                    "formula": "∂L/∂w = Σₙ δ·a_prev",
                    "terms": {"delta": _col(dz, j), "a_prev": _col(a_prev, i)},
                })
            if bn_cache is not None:
                continue  # β replaces the bias of a batch-normalized layer
            events.append({
                "phase": "gradient", "kind": "grad_b", "layer": layer, "neuron": j,
                "value": float(gb[j]), "label": "Gradiente del sesgo: la suma de los deltas",
                "formula": "∂L/∂b = Σₙ δ", "terms": {"delta": _col(dz, j)},
            })
        if bn_cache is not None:
            for kind, key in (("grad_gamma", f"gamma{layer}"), ("grad_beta", f"beta{layer}")):
                events.append({
                    "phase": "gradient", "kind": kind, "layer": layer,
                    "value": grads[pos[key]].tolist(),
                    "label": "Gradiente de " + _KIND_LABELS[key.rstrip("0123456789")],
                    "formula": "∂L/∂γ = Σₙ δ·ẑ_norm" if kind == "grad_gamma" else "∂L/∂β = Σₙ δ",
                    "terms": {},
                })

    # ----- actualización -----------------------------------------------------------------
    clip = rec["clip"]
    if clip is not None:
        events.append({
            "phase": "update", "kind": "clip", "value": clip["factor"],
            "label": "Recorte del gradiente por norma global",
            "formula": "g ← g · min(1, máx/(‖g‖ + 10⁻⁶))",
            "terms": {"norm": clip["norm"], "max_norm": clip["max_norm"]},
        })
    opt = net.optimizer
    for k, (name, upd) in enumerate(zip(names, rec["updates"])):
        kind = _param_kind(name)
        layer = int(name.lstrip("Wbgammaet"))
        if upd is None:
            events.append({
                "phase": "update", "kind": "frozen", "layer": layer, "param": name,
                "value": _param_by_name(net, names, name).tolist(),
                "label": f"Parámetro congelado ({_KIND_LABELS[kind]}): no cambia",
                "formula": "w ← w", "terms": {},
            })
            continue
        state_keys = [key for key in upd if key not in ("old", "g", "step", "new")]
        data_g = grads[k]
        for idx in np.ndindex(upd["old"].shape):
            terms = {"old": float(upd["old"][idx]), "grad": float(data_g[idx]),
                     "g": float(upd["g"][idx]), "learning_rate": opt.learning_rate,
                     "step": float(upd["step"][idx])}
            if kind == "weight" and (net.l1 or net.l2):
                w = float(upd["old"][idx])
                terms["l2_term"] = net.l2 * w
                terms["l1_term"] = net.l1 * float(np.sign(w))
            for key in state_keys:
                terms[key] = float(upd[key][idx])
            event = {
                "phase": "update", "kind": "update", "layer": layer, "param": name,
                "value": float(upd["new"][idx]),
                "label": f"Actualización del {_KIND_LABELS[kind]} ({opt.label_es})",
                "formula": opt.formula, "terms": terms,
            }
            if kind in ("weight",):
                event["neuron"], event["source"] = int(idx[0]), int(idx[1])
            else:
                event["neuron"] = int(idx[0])
            events.append(event)
    events.append({
        "phase": "result", "kind": "loss_after", "value": loss_after,
        "label": "Pérdida después de la actualización", "formula": net.loss_fn.formula,
        "terms": {},
    })
    for n, e in enumerate(events):
        e["index"] = n

    result = {
        "layers": [{"z": c[3].tolist(), "a": (c[4] if c[5] is None else c[4] * c[5]).tolist()}
                   for c in cache],
        "loss": rec["loss"],
        "deltas": [d["delta"].tolist() for d in deltas],
        "grad_weights": [grads[pos[f"W{l + 1}"]].tolist() for l in range(n_layers)],
        "grad_biases": [g.tolist() for g in rec["db"]],
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
        "loss_after": loss_after,
        "events": events,
    }
    if any(bn is not None for bn in net.batch_norms):
        result["z_linear"] = [c[1].tolist() for c in cache]
        result["deltas_linear"] = [d["delta_z"].tolist() for d in deltas]
    if clip is not None:
        result["clip"] = {"norm": clip["norm"], "factor": clip["factor"]}
    return result


def _param_kind(name):
    if name.startswith("W"):
        return "weight"
    if name.startswith("b") and not name.startswith("beta"):
        return "bias"
    return "gamma" if name.startswith("gamma") else "beta"


def _param_by_name(net, names, name):
    return net.parameters()[names.index(name)]


def _old_param(rec, names, name, current):
    """A parameter's value before the step (frozen ones did not change)."""
    if name not in names:  # the bias of a batch-normalized layer is not trained
        return current
    upd = rec["updates"][names.index(name)]
    return current if upd is None else upd["old"]


def _weights_before(rec, names, net, l):
    return _old_param(rec, names, f"W{l + 1}", net.weights[l])


def check_indices(indices, n, field="indices"):
    if (not isinstance(indices, (list, tuple)) or not indices
            or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n
                       for i in indices)):
        raise BackpropError(
            "invalid_indices",
            f"{field}: expected a non-empty list of sample indices between 0 and {n - 1}",
            f"Hace falta una lista no vacía de índices de muestras entre 0 y {n - 1}.", field)
    return list(indices)
