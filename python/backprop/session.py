"""One reader's session: data, network, training state and history, behind public methods.

The worker reaches it only through the command table (``backprop.commands``; ``Registry`` is
re-exported here so ``from backprop.session import Registry`` keeps working). A refused call
leaves the session exactly as it was: every method validates first, builds new state on the
side, and only then swaps it in. The config's fields, defaults and bounds live in
``backprop.schema``; the protocol is described in docs/worker-protocol.md. What the session
replies with (snapshots) is in ``session_replies``, what it shows without training (chain rule,
autograd, gradient check, landscape) in ``session_explore``.
"""

import itertools
import time
from typing import NamedTuple, Optional

import numpy as np

from . import diagnostics as _diagnostics
from .flowhistory import FlowHistory
from . import evaluation as _evaluation
from . import schema
from .builder import apply_training_settings, build_network, optimizer_spec  # noqa: F401
from .datasets import DATASET_NAMES, Dataset, dataset_names, make_dataset
from .errors import BackpropError, check_int, check_number
from .serialization import (network_from_dict, network_to_dict, pack_floats, reading_saved_state,
                            unpack_floats)
from .session_explore import GRADCHECK_SAMPLES, SessionExplore  # noqa: F401 (commands.py)
from .session_replies import MAX_HISTORY_POINTS, SessionReplies  # noqa: F401 (live.py)

validate_config = schema.validate_config
DEFAULT_CONFIG = schema.DEFAULTS
DATA_FIELDS = schema.fields_of_kind("data")
STRUCTURE_FIELDS = schema.fields_of_kind("structure")
MAX_EPOCHS_PER_CALL = 10_000
MAX_PATH_POINTS = 500


class EpochOutputs(NamedTuple):
    """What ``_losses`` computed after an epoch, for the data set version and parameters it
    saw: the flattened parameters, and the network's outputs on both splits."""
    dataset: object
    version: int
    params: np.ndarray
    train: np.ndarray
    val: Optional[np.ndarray]


_HISTORY_IDS = itertools.count(1)  # names each history, so a live cursor knows its own
MAX_PARAMETER = 1000.0  # |value| a reader may write into one weight or bias (set_parameter)
# The neuron grid's resolution: what evaluation.grid_outputs accepts.
MIN_GRID, MAX_GRID = _evaluation.MIN_RESOLUTION, _evaluation.MAX_RESOLUTION


def _generate(c):
    return make_dataset(c["dataset"], c["n_samples"], c["noise"], c["seed"], c["val_fraction"],
                        lang=c["lang"])


class Session(SessionReplies, SessionExplore):
    def __init__(self, config, dataset=None):
        self.config = validate_config(config)
        self.dataset = dataset if dataset is not None else _generate(self.config)
        self._check_batch(self.config["batch_size"])
        self.net = build_network(self.config, self.dataset)
        self.data_version = 1
        self.data_key = (id(self.dataset), self.dataset.version)
        self.sent_data_version = 0
        self._runner = None  # (key, run_epoch): _epoch_runner
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
        self.outputs = EpochOutputs(ds, ds.version, net.get_flat_params(), out, val_out)
        return loss, val

    def _check_status(self):
        """Diverged when the loss explodes or a parameter is not finite; runs right after
        ``_losses``, whose flattened parameters are the network's (one pass, not two)."""
        if _diagnostics.explodes(self.history["loss"][-1], self.history["loss"][0]) \
                or not np.isfinite(self.outputs.params).all():
            self.status = "diverged"

    def _record_epoch(self):
        loss, val = self._losses()
        self.history["epoch"].append(self.epoch)
        self.history["loss"].append(loss)
        self.history["val_loss"].append(val)
        if len(self.path) >= 2 * MAX_PATH_POINTS:
            self.path = self.path[::2]
        self.path.append(self.outputs.params)  # never written in place: shared, not copied
        self._check_status()
        return loss

    # -- commands -------------------------------------------------------------------------

    def train(self, epochs, budget_ms=None):
        """``epochs`` epochs; fewer when the network diverges or, with ``budget_ms``, when one
        more (costing what the last one did) would end past that many milliseconds after the
        call began: live training ends its calls at the page's frames, and a worker the system
        slows down then runs fewer epochs instead of a late call. Returns the epochs run."""
        if self.status == "diverged":
            return 0
        net = self.net
        run_epoch = self._epoch_runner()
        before = [w.copy() for w in net.weights]
        steps_before = net.steps
        began = time.perf_counter() if budget_ms is not None else None
        end = None if began is None else began + budget_ms / 1000.0
        ran = 0
        while ran < epochs:
            run_epoch()
            ran += 1
            self.epoch += 1
            self._record_epoch()
            if self.status == "diverged":
                break
            if end is not None:
                now = time.perf_counter()
                if now + (now - began) > end:
                    break
                began = now
        steps = net.steps - steps_before
        if steps:
            self.last_update = [(w - b) / steps for w, b in zip(net.weights, before)]
        return ran

    def _epoch_runner(self):
        """The network's ``epoch_trainer`` on the training split, kept while nothing it was
        made from changes: live training calls ``train`` for a few epochs hundreds of times a
        second, and the data need checking once per version, not per call."""
        net, ds = self.net, self.dataset
        batch = min(self.config["batch_size"], len(ds.x_train))
        # Objects compare by identity; the runner keeps the arrays alive, so their ids hold.
        settings = (net, ds, ds.version, batch, net.dropout, net.train_biases, net.optimizer,
                    tuple(net.frozen), tuple(net.frozen_layers))
        if self._runner is None or self._runner[0] != settings + _array_ids(net):
            run_epoch = net.epoch_trainer(ds.x_train, ds.y_train, batch)
            # Packing the parameters (flatparams.pack) replaces their arrays: key them after.
            self._runner = (settings + _array_ids(net), run_epoch)
        return self._runner[1]

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
            # Loaded points cannot be redrawn: a new seed is kept and resets the network
            # (its weights come from init_seed, so Reiniciar-like).
            changed = (changed - {"seed"}) | {"init"}
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
        self.refuse_if_diverged("trace")
        from .trace import trace_step  # on first use (start-up)
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

    # -- state ----------------------------------------------------------------------------

    def save(self) -> dict:
        return {
            "format": "backprop-session", "version": 2, "config": self.config,
            "network": network_to_dict(self.net), "dataset": self.dataset.to_dict(),
            "epoch": self.epoch, "status": self.status,
            "history": {k: pack_floats(v) for k, v in self.history.items()},
            "path": pack_floats(self.path) if self.path else [], "trace_cursor": self.trace_cursor,
            "data_version": self.data_version,
        }

    @classmethod
    def load(cls, state) -> "Session":
        if not isinstance(state, dict) or state.get("format") != "backprop-session":
            raise BackpropError("invalid_state", "state: not a saved session",
                       "El estado no es una sesión guardada.", "state")
        with reading_saved_state("session"):
            dataset = Dataset.from_dict(state["dataset"])
            s = cls.__new__(cls)
            s.config = validate_config(_with_init_seed(state["config"]), dataset.name)
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
            h = {k: unpack_floats(state["history"][k]) for k in ("epoch", "loss", "val_loss")}
            s.history_id = next(_HISTORY_IDS)
            s.history = {"epoch": [int(e) for e in h["epoch"]],
                         "loss": [_float(v) for v in h["loss"]],
                         "val_loss": [_float(v) for v in h["val_loss"]]}
            s.path = [np.array(p, dtype=np.float64) for p in unpack_floats(state.get("path", []))]
            s.trace_cursor = int(state.get("trace_cursor", 0))
            s.last_update = None
            s.flow = FlowHistory()
            s._runner = None
        return s


def _with_init_seed(config):
    """Sessions saved before init_seed drew their weights from seed: keep them the same."""
    if isinstance(config, dict) and "init_seed" not in config and "seed" in config:
        return {**config, "init_seed": config["seed"]}
    return config


def _array_ids(net):
    return tuple(map(id, net.parameters()))


def _float(v):
    return float("nan") if v is None else float(v)


def __getattr__(name):
    """``from backprop.session import Registry`` (the worker's import) keeps working: the door
    lives in the command table, which itself builds on Session."""
    if name in ("Registry", "COMMANDS"):
        from . import commands
        return getattr(commands, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
