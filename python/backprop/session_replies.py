"""What a session replies with: the snapshot (every number the widget draws), the data set,
the history, the accuracies and the optimizer's state. A mixin of ``Session`` (session.py),
which owns the state these read."""

import numpy as np

from . import diagnostics as _diagnostics
from . import evaluation as _evaluation
from . import live as _live
from .errors import BackpropError
from .serialization import has_non_finite

MAX_HISTORY_POINTS = 500


class SessionReplies:
    def data_dict(self):
        ds = self.dataset
        return {"train": {"x": ds.x_train, "y": ds.y_train},
                "val": {"x": ds.x_val, "y": ds.y_val},
                "feature_names": ds.feature_names, "class_names": ds.class_names,
                "extent": list(ds.extent), "name": ds.name, "task": ds.task}

    def downsampled_history(self):
        return downsample(self.history)

    def history_cursor(self):
        """[history_id, length]: where a live snapshot's history delta starts (live.py)."""
        return [self.history_id, len(self.history["epoch"])]

    def accuracies(self):
        """(training, validation) accuracy, None for regression or without validation
        points; from the outputs kept after the last loss when they are still the network's."""
        ds, net = self.dataset, self.net
        if ds.task == "regression":
            return None, None
        kept = getattr(self, "outputs", None)
        if kept is None or (kept.dataset, kept.version) != (ds, ds.version) \
                or not np.array_equal(kept.params, net.get_flat_params()):
            acc = _evaluation.accuracy(net, ds.x_train, ds.y_train, ds.task)
            val = _evaluation.accuracy(net, ds.x_val, ds.y_val, ds.task) if len(ds.x_val) else None
            return acc, val
        out, val_out = kept.train, kept.val
        with np.errstate(all="ignore"):
            acc = _evaluation.accuracy_of_outputs(out, ds.y_train, ds.task)
            val = _evaluation.accuracy_of_outputs(val_out, ds.y_val, ds.task) \
                if val_out is not None else None
        return acc, val

    def optimizer_state(self):
        opt = self.net.optimizer
        return {"name": opt.name, "learning_rate": opt.learning_rate, "t": opt.t,
                "state": dict(opt.state.items()), "parameter_names": self.net.parameter_names()}

    def snapshot_with_grid(self, grid=None, live=None, force_data=False):
        """(snapshot, float32 bytes of every neuron on a grid×grid raster, or None); with
        ``live`` (an object, possibly empty) the lean snapshot of live training (live.py)."""
        if live is not None:
            return _live.live_snapshot(self, live, grid)
        snap = self.snapshot(force_data)
        if grid is None:
            return snap, None
        with np.errstate(all="ignore"):
            values, neurons = _evaluation.grid_outputs(self.net, self.dataset.extent, grid)
        snap["grid"] = {"resolution": grid, "extent": list(self.dataset.extent),
                        "neurons": neurons}
        return snap, np.ascontiguousarray(values, dtype="<f4").tobytes()

    def snapshot(self, force_data=False) -> dict:
        ds, net = self.dataset, self.net
        with np.errstate(all="ignore"):
            loss, val_loss = self.history["loss"][-1], self.history["val_loss"][-1]
            task = ds.task
            acc, val_acc = self.accuracies()
            grads = net.gradients(ds.x_train, ds.y_train)
            g_w, g_b = grads[1], grads[2]  # (loss, weights, biases, …)
            try:
                diag = _diagnostics.summarize(net, ds.x_train, ds.y_train,
                                              updates=self.last_update, grads=grads)
            except (BackpropError, FloatingPointError, ValueError):
                diag = {}
        status = self.status
        network = {
            "sizes": net.sizes, "activations": net.activations,
            "weights": net.weights, "biases": net.biases,
            "grad_weights": g_w, "grad_biases": g_b,
            "batch_norm": [None if bn is None else {"gamma": bn.gamma, "beta": bn.beta,
                                                    "running_mean": bn.running_mean,
                                                    "running_var": bn.running_var}
                           for bn in net.batch_norms],
            "optimizer": self.optimizer_state(),
            "loss": net.loss_fn.name,
        }
        if status == "ok" and has_non_finite([network["weights"], network["biases"], loss]):
            status = "diverged"
        snap = {
            "epoch": self.epoch, "steps": net.steps, "status": status,
            "loss": loss, "val_loss": val_loss, "accuracy": acc, "val_accuracy": val_acc,
            "history": self.downsampled_history(), "history_cursor": self.history_cursor(),
            "network": network, "diagnostics": diag,
            "flow": self.flow.note(self.epoch, diag),
            "task": task, "data_version": self.data_version, "config": self.config,
        }
        if force_data or self.sent_data_version != self.data_version:
            snap["data"] = self.data_dict()
            self.sent_data_version = self.data_version
        return snap


def downsample(history):
    """At most MAX_HISTORY_POINTS epochs of ``history``, evenly spread, first and last kept."""
    n = len(history["epoch"])
    if n <= MAX_HISTORY_POINTS:
        return history
    idx = np.unique(np.linspace(0, n - 1, MAX_HISTORY_POINTS).round().astype(int))
    return {k: [v[i] for i in idx] for k, v in history.items()}
