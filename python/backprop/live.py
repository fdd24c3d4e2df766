"""The live snapshot: what the widget draws while it trains, and nothing else.

A full snapshot (``Session.snapshot``) carries the whole downsampled history, every gradient,
the optimizer's state, the diagnostics and the config; the widget needs it when the reader
stops to look. While training it draws a new frame some 60 times a second, so the live
snapshot carries only what changed and what the open views draw:

- the numbers of the toolbar (epoch, losses, accuracies, status);
- the history entries added since the widget's cursor ``since`` = ``[history_id, length]``
  (``history_delta``), or the whole downsampled history when the cursor belongs to another
  history (a reset, a rebuilt network) — ``history_cursor`` is the cursor to send next time;
- the network's sizes, weights and biases (the diagram's edges);
- with ``parts``: ``"gradients"`` (∂L/∂w on the diagram), ``"diagnostics"``,
  ``"optimizer"`` (panels that show them);
- the neuron grid at ``grid`` for the output layer, the hidden neurons at the coarser
  ``hidden_grid`` (the thumbnails are a few dozen pixels wide): one float32 payload, output
  blocks then hidden blocks, described by ``grid.blocks``.

Every number is computed here by the engine, as in the full snapshot; the widget merges a
live snapshot into the last complete one (widget/src/session.js).
"""

import numpy as np

from . import diagnostics as _diagnostics
from . import evaluation as _evaluation
from .errors import BackpropError, check_int
from .serialization import has_non_finite

PARTS = ("gradients", "diagnostics", "optimizer")
OPTIONS = ("since", "hidden_grid", "parts")


def check_options(live):
    """``live`` as {since: [id, n] | None, hidden_grid: int | None, parts: set}."""
    if live is None:
        live = {}
    if not isinstance(live, dict) or set(live) - set(OPTIONS):
        raise BackpropError("invalid_live", f"live: an object with keys {', '.join(OPTIONS)}",
                            "Las opciones de la instantánea en vivo no son válidas.", "live")
    since = live.get("since")
    if since is not None and not (isinstance(since, list) and len(since) == 2
                                  and all(type(v) is int and v >= 0 for v in since)):
        raise BackpropError("invalid_live", "live.since: [history_id, length]",
                            "El cursor de la historia no es válido.", "live")
    hidden = live.get("hidden_grid")
    if hidden is not None:
        hidden = check_int(hidden, "hidden_grid", "invalid_grid", "grid resolution",
                           "La resolución de la cuadrícula", ge=_evaluation.MIN_RESOLUTION,
                           le=_evaluation.MAX_RESOLUTION)
    parts = live.get("parts") or []
    if not isinstance(parts, list) or not set(parts) <= set(PARTS):
        raise BackpropError("invalid_live", f"live.parts: some of {', '.join(PARTS)}",
                            "Las partes pedidas de la instantánea en vivo no son válidas.",
                            "live")
    return {"since": since, "hidden_grid": hidden, "parts": set(parts)}


def _history(session, since):
    from .session import MAX_HISTORY_POINTS  # (session imports this module)
    h = session.history
    cursor = session.history_cursor()
    # The widget thins what it accumulates to about as many points as a full snapshot holds.
    out = {"history_cursor": cursor, "history_max_points": MAX_HISTORY_POINTS}
    if since and since[0] == cursor[0] and since[1] <= cursor[1]:
        out["history_delta"] = {k: v[since[1]:] for k, v in h.items()}
    else:
        out["history"] = session.downsampled_history()
    return out


def _grid(session, grid, hidden_grid):
    """(grid description, float32 bytes): output neurons at ``grid``, hidden ones at
    ``hidden_grid``. Grid lines include the extent's edges, so when ``hidden_grid - 1``
    divides ``grid - 1`` (40 → 14: every third line) the hidden maps are a subsample of the
    same forward pass; otherwise they get one of their own."""
    net = session.net
    extent = list(session.dataset.extent)
    with np.errstate(all="ignore"):
        values, neurons = _evaluation.grid_outputs(net, extent, grid)
    out_layer = len(net.sizes) - 1
    is_out = np.array([layer == out_layer for layer, _ in neurons])
    hidden = [nr for nr, o in zip(neurons, is_out) if not o]
    blocks = [{"neurons": [nr for nr, o in zip(neurons, is_out) if o], "resolution": grid}]
    chunks = [values[is_out]]
    if hidden:
        res = min(hidden_grid or grid, grid)
        if (grid - 1) % (res - 1) == 0:
            step = (grid - 1) // (res - 1)
            chunks.append(values[~is_out][:, ::step, ::step])
        else:
            with np.errstate(all="ignore"):
                small, _ = _evaluation.grid_outputs(net, extent, res)
            chunks.append(small[~is_out])
        blocks.append({"neurons": hidden, "resolution": res})
    payload = b"".join(np.ascontiguousarray(c, dtype="<f4").tobytes() for c in chunks)
    return {"extent": extent, "blocks": blocks}, payload


def live_snapshot(session, live=None, grid=None):
    """(snapshot, float32 payload or None) of ``session`` for a frame of live training."""
    opts = check_options(live)
    net, ds = session.net, session.dataset
    loss, val_loss = session.history["loss"][-1], session.history["val_loss"][-1]
    acc, val_acc = session.accuracies()
    network = {"sizes": net.sizes, "weights": net.weights, "biases": net.biases}
    snap = {"live": True, "epoch": session.epoch, "steps": net.steps, "status": session.status,
            "loss": loss, "val_loss": val_loss, "accuracy": acc, "val_accuracy": val_acc,
            "task": ds.task, "data_version": session.data_version, "network": network,
            **_history(session, opts["since"])}
    with np.errstate(all="ignore"):
        if "gradients" in opts["parts"] or "diagnostics" in opts["parts"]:
            grads = net.gradients(ds.x_train, ds.y_train)
            if "gradients" in opts["parts"]:
                network["grad_weights"], network["grad_biases"] = grads[1], grads[2]
            if "diagnostics" in opts["parts"]:
                try:
                    snap["diagnostics"] = _diagnostics.summarize(
                        net, ds.x_train, ds.y_train, updates=session.last_update, grads=grads)
                except (BackpropError, FloatingPointError, ValueError):
                    snap["diagnostics"] = {}
                snap["flow"] = session.flow.note(session.epoch, snap["diagnostics"])
        if "optimizer" in opts["parts"]:
            network["optimizer"] = session.optimizer_state()
    if snap["status"] == "ok" and has_non_finite([net.weights, net.biases, loss]):
        snap["status"] = "diverged"
    if grid is None:
        return snap, None
    snap["grid"], payload = _grid(session, grid, opts["hidden_grid"])
    return snap, payload
