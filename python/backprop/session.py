"""One reader's session: data, network, training state and history, behind public methods.

The worker reaches it only through the command table (``backprop.commands``; ``Registry`` is
re-exported here so ``from backprop.session import Registry`` keeps working). A refused call
leaves the session exactly as it was: every method validates first, builds new state on the
side, and only then swaps it in. The config's fields, defaults and bounds live in
``backprop.schema``; the protocol is described in docs/worker-protocol.md.
"""

import itertools

import numpy as np

from . import autograd as _autograd
from . import chainrule as _chainrule
from . import diagnostics as _diagnostics
from .flowhistory import FlowHistory
from . import live as _live
from . import evaluation as _evaluation
from . import landscape as _landscape
from . import schema
from .builder import apply_training_settings, build_network, optimizer_spec  # noqa: F401
from .datasets import DATASET_NAMES, Dataset, dataset_names, make_dataset
from .errors import BackpropError, check_int, check_number
from .gradcheck import check_gradients
from .serialization import has_non_finite, network_from_dict, network_to_dict
from .trace import check_indices, trace_step

validate_config = schema.validate_config
DEFAULT_CONFIG = schema.DEFAULTS
DATA_FIELDS = schema.fields_of_kind("data")
STRUCTURE_FIELDS = schema.fields_of_kind("structure")
MAX_EPOCHS_PER_CALL = 10_000
MAX_HISTORY_POINTS = 500
MAX_PATH_POINTS = 500
GRADCHECK_SAMPLES = 20
_HISTORY_IDS = itertools.count(1)  # names each history, so a live cursor knows its own
MAX_PARAMETER = 1000.0  # |value| a reader may write into one weight or bias (set_parameter)
# The neuron grid's resolution: what evaluation.grid_outputs accepts.
MIN_GRID, MAX_GRID = _evaluation.MIN_RESOLUTION, _evaluation.MAX_RESOLUTION


def _generate(c):
    return make_dataset(c["dataset"], c["n_samples"], c["noise"], c["seed"], c["val_fraction"],
                        lang=c["lang"])


class Session:
    def __init__(self, config, dataset=None):
        self.config = validate_config(config)
        self.dataset = dataset if dataset is not None else _generate(self.config)
        self._check_batch(self.config["batch_size"])
        self.net = build_network(self.config, self.dataset)
        self.data_version = 1
        self.data_key = (id(self.dataset), self.dataset.version)
        self.sent_data_version = 0
        self._restart()

    def _restart(self):
        """Epoch 0: fresh history, path and trace cursor (the network is already new)."""
        self.epoch = 0
        self.status = "ok"
        self.history = {"epoch": [], "loss": [], "val_loss": []}
        self.history_id = next(_HISTORY_IDS)
        self.path = []
        self.trace_cursor = 0
        self.last_update = None
        self.flow = FlowHistory()
        self._record_epoch()

    def _check_batch(self, batch_size):
        n = len(self.dataset.x_train)
        if batch_size > n:
            raise BackpropError(
                "invalid_batch_size", f"batch_size: at most the {n} training points",
                f"El tamaño del lote debe ser un número entero entre 1 y {n} (los puntos de "
                "entrenamiento).", "batch_size")

    def _touch_data(self):
        key = (id(self.dataset), self.dataset.version)
        if key != self.data_key:
            self.data_key = key
            self.data_version += 1

    # -- losses and history ---------------------------------------------------------------

    def _losses(self):
        """Data losses on both splits after an epoch, as ``Network.loss`` computes them but
        without re-checking the data set's arrays (checked when they were made): this runs
        after every epoch. The outputs are kept for ``accuracies``."""
        ds, net = self.dataset, self.net
        with np.errstate(all="ignore"):
            out, cache = net.forward_cache(ds.x_train, False)
            loss = net.loss_from_cache(cache, ds.y_train)
            val = val_out = None
            if len(ds.x_val):
                val_out, cache = net.forward_cache(ds.x_val, False)
                val = net.loss_from_cache(cache, ds.y_val)
        self.outputs = ((ds, ds.version, net.get_flat_params()), out, val_out)
        return loss, val

    def _check_status(self):
        if _diagnostics.explodes(self.history["loss"][-1], self.history["loss"][0]) \
                or not self.net.is_finite():
            self.status = "diverged"

    def _record_epoch(self):
        loss, val = self._losses()
        self.history["epoch"].append(self.epoch)
        self.history["loss"].append(loss)
        self.history["val_loss"].append(val)
        if len(self.path) >= 2 * MAX_PATH_POINTS:
            self.path = self.path[::2]
        self.path.append(self.net.get_flat_params())
        self._check_status()
        return loss

    # -- commands -------------------------------------------------------------------------

    def train(self, epochs):
        if self.status == "diverged":
            return
        ds, net = self.dataset, self.net
        batch = min(self.config["batch_size"], len(ds.x_train))
        before = [w.copy() for w in net.weights]
        steps_before = net.steps
        for _ in range(epochs):
            net.train_epoch(ds.x_train, ds.y_train, batch)
            self.epoch += 1
            self._record_epoch()
            if self.status == "diverged":
                break
        steps = net.steps - steps_before
        if steps:
            self.last_update = [(w - b) / steps for w, b in zip(net.weights, before)]

    def reset(self):
        self.net = build_network(self.config, self.dataset)
        self._restart()

    def set_config(self, partial) -> "Session":
        """Applies ``partial``; returns the session to keep (a new one when data changes).

        What a change rebuilds follows each field's kind in the schema."""
        if not isinstance(partial, dict):
            raise BackpropError("invalid_config", "partial: expected an object",
                                "La configuración parcial debe ser un objeto.", "partial")
        # Without new data, the batch is also bounded by the training points (one message).
        same_data = not set(partial) & set(DATA_FIELDS)
        merged = validate_config({**self.config, **partial}, self.dataset.name,
                                 len(self.dataset.x_train) if same_data else None)
        changed = {k for k in merged if merged[k] != self.config[k]}
        named = merged["dataset"] in DATASET_NAMES
        if not named and changed & set(DATA_FIELDS) - {"seed"}:
            field = sorted(changed & set(DATA_FIELDS))[0]
            raise BackpropError(
                "custom_data", f"{field}: loaded data cannot be regenerated; choose a "
                "named data set first",
                "Los datos cargados no se pueden volver a generar: elige antes un conjunto "
                "de datos.", field)
        if not named and "seed" in changed:
            changed = (changed - {"seed"}) | {"init"}  # new seed: new weights, same points
        if changed & set(DATA_FIELDS):
            new = Session(merged)
            new.data_version = self.data_version + 1
            new.sent_data_version = self.sent_data_version
            return new
        self._check_batch(merged["batch_size"])
        if changed & set(STRUCTURE_FIELDS):
            self.net = build_network(merged, self.dataset)
            self.config = merged
            self._restart()
        elif changed - {"lang"}:
            apply_training_settings(self.net, self.config, merged,
                                    build_network(merged, self.dataset))
        if "lang" in changed and named:
            self.dataset.rename(*dataset_names(merged["dataset"], merged["lang"]))
            self._touch_data()
        self.config = merged
        return self

    def trace(self, indices=None) -> dict:
        """One step on ``indices`` of the training set, or on the next mini-batch in order
        (the last one of a pass may be shorter, as in training; a full pass is an epoch)."""
        ds = self.dataset
        n = len(ds.x_train)
        advance = indices is None
        idx = self.batch_indices(indices)
        start = idx[0]
        self._check_not_diverged("trace")
        with np.errstate(all="ignore"):
            result = trace_step(self.net, ds.x_train[idx], ds.y_train[idx], self.config["lang"])
        if advance:
            self.trace_cursor = start + len(idx)
        if advance and self.trace_cursor >= n:
            self.trace_cursor -= n
            self.epoch += 1
            self._record_epoch()
        else:
            loss, val = self._losses()
            self.history["loss"][-1], self.history["val_loss"][-1] = loss, val
            self._check_status()
        result["indices"] = idx
        return result

    def batch_indices(self, indices=None) -> list:
        """``indices`` checked against the training set, or the next mini-batch in order (the
        one the next ``trace`` steps on), without advancing."""
        n = len(self.dataset.x_train)
        if indices is not None:
            return check_indices(indices, n)
        start = self.trace_cursor % n
        return list(range(start, min(start + self.config["batch_size"], n)))

    def _check_not_diverged(self, what):
        if self.status == "diverged":
            raise BackpropError("diverged", f"{what}: the network diverged; reset it first",
                                "La red ha divergido: reiníciala antes de dar otro paso.",
                                "status")

    def chain_rule(self, layer, j, i=None, indices=None) -> dict:
        """Every path from a weight (or, with ``i`` None, a bias) to the loss on the next
        mini-batch or on ``indices``; see ``chainrule.py``. Changes nothing."""
        idx = self.batch_indices(indices)
        self._check_not_diverged("chain_rule")
        ds = self.dataset
        result = _chainrule.chain_rule(self.net, ds.x_train[idx], ds.y_train[idx], layer, j, i,
                                       self.config["lang"])
        result["indices"] = idx
        return result

    def autograd(self, layer, j, index=None) -> dict:
        """The computational graph of neuron ``j`` of ``layer`` on one training example (the
        first of the next mini-batch when ``index`` is None); see ``autograd.py``."""
        n = len(self.dataset.x_train)
        idx = self.batch_indices()[0] if index is None else check_int(
            index, "index", "invalid_index", "example index", "El índice del ejemplo",
            ge=0, le=n - 1)
        self._check_not_diverged("autograd")
        ds = self.dataset
        result = _autograd.neuron_graph(self.net, ds.x_train[idx], ds.y_train[idx], layer, j,
                                        self.config["lang"])
        result["index"] = idx
        return result

    def add_point(self, x, y, split="train") -> int:
        index = self.dataset.add_point(x, y, split)
        self._touch_data()
        return index

    def remove_point(self, index, split="train"):
        self.dataset.remove_point(index, split)
        self._touch_data()
        if self.trace_cursor >= len(self.dataset.x_train):
            self.trace_cursor = 0

    def load_csv(self, text, task=None, class_names=None):
        c = self.config
        ds = Dataset.from_csv(text, task=task, class_names=class_names,
                              val_fraction=c["val_fraction"], seed=c["seed"], lang=c["lang"])
        config = {**c, "dataset": ds.name}
        config["batch_size"] = min(config["batch_size"], len(ds.x_train))
        net = build_network(config, ds)
        self.config, self.dataset, self.net = validate_config(config, ds.name), ds, net
        self._touch_data()
        self._restart()

    def set_parameter(self, kind, layer, j, i=None, value=0.0) -> float:
        """Writes one weight W[j, i] (``kind`` "weight") or bias b[j] (``kind`` "bias") of
        ``layer`` (1 = first hidden layer) and recomputes the current epoch's losses, as the
        console's ``red.capas[0].pesos[j][i] = v`` does. Refused values change nothing."""
        net = self.net
        layer = check_int(layer, "layer", "invalid_layer", "layer", "La capa",
                          ge=1, le=len(net.weights))
        W, b = net.weights[layer - 1], net.biases[layer - 1]
        j = check_int(j, "j", "invalid_neuron", "neuron j", "La neurona j", ge=0,
                      le=W.shape[0] - 1)
        if kind == "weight":
            i = check_int(i, "i", "invalid_source", "input neuron i", "La neurona de entrada i",
                          ge=0, le=W.shape[1] - 1)
        elif kind != "bias":
            raise BackpropError("invalid_kind", "kind: 'weight' or 'bias'",
                                "El parámetro debe ser un peso o un sesgo.", "kind")
        name_es = "El peso" if kind == "weight" else "El sesgo"
        value = check_number(value, "value", "invalid_value", kind, name_es,
                             ge=-MAX_PARAMETER, le=MAX_PARAMETER)
        if kind == "weight":
            W[j, i] = value
        else:
            b[j] = value
        loss, val = self._losses()
        self.history["loss"][-1], self.history["val_loss"][-1] = loss, val
        self.path[-1] = net.get_flat_params()
        self._check_status()
        return value

    def gradient_check(self, samples=GRADCHECK_SAMPLES) -> dict:
        ds = self.dataset
        n = min(samples, len(ds.x_train))
        result = check_gradients(self.net, ds.x_train[:n], ds.y_train[:n])
        result["samples"] = n
        return result

    def landscape(self, **kwargs) -> dict:
        ds = self.dataset
        result = _landscape.loss_slice(self.net, ds.x_train, ds.y_train, **kwargs)
        try:
            result["path"] = _landscape.project_path([p.tolist() for p in self.path], result)
        except BackpropError:
            result["path"] = None
        return result

    # -- replies ----------------------------------------------------------------------------

    def data_dict(self):
        ds = self.dataset
        return {"train": {"x": ds.x_train, "y": ds.y_train},
                "val": {"x": ds.x_val, "y": ds.y_val},
                "feature_names": ds.feature_names, "class_names": ds.class_names,
                "extent": list(ds.extent), "name": ds.name, "task": ds.task}

    def downsampled_history(self):
        return _downsample(self.history)

    def history_cursor(self):
        """[history_id, length]: where a live snapshot's history delta starts (live.py)."""
        return [self.history_id, len(self.history["epoch"])]

    def accuracies(self):
        """(training, validation) accuracy, None for regression or without validation
        points; from the outputs ``_losses`` kept when they are still the network's."""
        ds, net = self.dataset, self.net
        if ds.task == "regression":
            return None, None
        kept = getattr(self, "outputs", None)
        if kept is None or kept[0][:2] != (ds, ds.version) \
                or not np.array_equal(kept[0][2], net.get_flat_params()):
            acc = _evaluation.accuracy(net, ds.x_train, ds.y_train, ds.task)
            val = _evaluation.accuracy(net, ds.x_val, ds.y_val, ds.task) if len(ds.x_val) else None
            return acc, val
        _, out, val_out = kept
        with np.errstate(all="ignore"):
            acc = _evaluation.accuracy_of_outputs(out, ds.y_train, ds.task)
            val = _evaluation.accuracy_of_outputs(val_out, ds.y_val, ds.task) \
                if val_out is not None else None
        return acc, val

    def optimizer_state(self):
        opt = self.net.optimizer
        return {"name": opt.name, "learning_rate": opt.learning_rate, "t": opt.t,
                "state": dict(opt.state.items()), "parameter_names": self.net.parameter_names()}

    def snapshot_with_grid(self, grid=None, live=None):
        """(snapshot, float32 bytes of every neuron on a grid×grid raster, or None); with
        ``live`` (an object, possibly empty) the lean snapshot of live training (live.py)."""
        if live is not None:
            return _live.live_snapshot(self, live, grid)
        snap = self.snapshot()
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

    # -- state ----------------------------------------------------------------------------

    def save(self) -> dict:
        return {
            "format": "backprop-session", "version": 1, "config": self.config,
            "network": network_to_dict(self.net), "dataset": self.dataset.to_dict(),
            "epoch": self.epoch, "status": self.status, "history": self.history,
            "path": [p.tolist() for p in self.path], "trace_cursor": self.trace_cursor,
            "data_version": self.data_version,
        }

    @classmethod
    def load(cls, state) -> "Session":
        if not isinstance(state, dict) or state.get("format") != "backprop-session":
            raise BackpropError("invalid_state", "state: not a saved session",
                       "El estado no es una sesión guardada.", "state")
        try:
            dataset = Dataset.from_dict(state["dataset"])
            s = cls.__new__(cls)
            s.config = validate_config(state["config"], dataset.name)
            s.dataset = dataset
            s.net = network_from_dict(state["network"])
            if s.net.sizes[0] != 2 or s.net.sizes[-1] != dataset.n_outputs:
                raise BackpropError("invalid_state", "state: the network does not fit the data",
                           "El estado guardado está dañado: la red no encaja con los datos.",
                           "state")
            s.data_version = int(state.get("data_version", 1))
            s.data_key = (id(dataset), dataset.version)
            s.sent_data_version = 0
            s.epoch = int(state["epoch"])
            s.status = state["status"] if state["status"] in ("ok", "diverged") else "ok"
            h = state["history"]
            s.history_id = next(_HISTORY_IDS)
            s.history = {"epoch": [int(e) for e in h["epoch"]],
                         "loss": [_float(v) for v in h["loss"]],
                         "val_loss": [_float(v) for v in h["val_loss"]]}
            s.path = [np.array(p, dtype=np.float64) for p in state.get("path", [])]
            s.trace_cursor = int(state.get("trace_cursor", 0))
            s.last_update = None
            s.flow = FlowHistory()
        except BackpropError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise BackpropError("invalid_state", f"state: malformed saved session ({exc})",
                       "El estado guardado está incompleto o dañado.", "state") from None
        return s


def _float(v):
    return float("nan") if v is None else float(v)


def _downsample(history):
    n = len(history["epoch"])
    if n <= MAX_HISTORY_POINTS:
        return history
    idx = np.unique(np.linspace(0, n - 1, MAX_HISTORY_POINTS).round().astype(int))
    return {k: [v[i] for i in idx] for k, v in history.items()}


def __getattr__(name):
    """``from backprop.session import Registry`` (the worker's import) keeps working: the door
    lives in the command table, which itself builds on Session."""
    if name in ("Registry", "COMMANDS"):
        from . import commands
        return getattr(commands, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
