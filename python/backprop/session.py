"""The worker's only door into the engine: sessions driven by JSON commands.

    registry = Registry()
    reply_json = registry.call(session_id, cmd, args_json)
    payload = registry.take_buffer()      # float32 little-endian bytes of the last call, or b""

Every reply is ``{"ok": true, "result": {...}}`` or ``{"ok": false, "error": {"code",
"message" (Spanish), "message_en", "field"}}``, and never contains NaN or Infinity. A refused
call leaves its session exactly as it was: every command validates first, builds new state on
the side, and only then swaps it in. The command table is ``COMMANDS`` below; the protocol is
described in docs/worker-protocol.md.
"""

import json

import numpy as np

from . import diagnostics as _diagnostics
from . import evaluation as _evaluation
from . import landscape as _landscape
from .activations import ACTIVATION_NAMES
from .datasets import DATASET_NAMES, Dataset, make_dataset
from .errors import BackpropError, check_bool, check_choice, check_int, check_number
from .gradcheck import check_gradients
from .initializers import INIT_NAMES
from .losses import LOSS_NAMES
from .network import Network
from .optimizers import OPTIMIZER_NAMES
from .serialization import has_non_finite, network_from_dict, network_to_dict, to_jsonable
from .trace import check_indices, trace_step

DEFAULT_CONFIG = {
    "dataset": "circle",
    "n_samples": 200,
    "noise": 0.1,
    "val_fraction": 0.25,
    "seed": 0,
    "hidden": [4, 2],
    "activation": "tanh",
    "negative_slope": 0.01,
    "output_activation": "auto",
    "loss": "auto",
    "learning_rate": 0.1,
    "optimizer": "sgd",
    "momentum": 0.9,
    "alpha": 0.99,
    "beta1": 0.9,
    "beta2": 0.999,
    "eps": 1e-8,
    "batch_size": 10,
    "init": "xavier_uniform",
    "l1": 0.0,
    "l2": 0.0,
    "dropout": 0.0,
    "batch_norm": False,
    "clip_norm": None,
    "train_biases": True,
}
# Changing one of these regenerates the data set (and so the network).
DATA_FIELDS = ("dataset", "n_samples", "noise", "val_fraction", "seed")
# Changing one of these rebuilds the network from scratch (epoch 0).
STRUCTURE_FIELDS = ("hidden", "activation", "negative_slope", "output_activation", "loss",
                    "init", "batch_norm")
MAX_HIDDEN_LAYERS = 16
MAX_HIDDEN_SIZE = 256
MAX_EPOCHS_PER_CALL = 10_000
MAX_HISTORY_POINTS = 500
MAX_PATH_POINTS = 500
GRADCHECK_SAMPLES = 20
# The loss "explodes" when it exceeds this many times its value at epoch 0 (at least 1).
EXPLOSION_FACTOR = 100.0

_HIDDEN_ACTIVATIONS = tuple(a for a in ACTIVATION_NAMES if a != "softmax")
_AUTO_OUTPUT = {"binary": ("sigmoid", "bce"), "multiclass": ("softmax", "ce"),
                "regression": ("linear", "mse")}
_OPTIMIZER_HYPER = {"sgd": (), "momentum": ("momentum",), "nesterov": ("momentum",),
                    "rmsprop": ("alpha", "eps"), "adam": ("beta1", "beta2", "eps")}


def _err(code, en, es, field):
    return BackpropError(code, en, es, field)


# ----- configuration ---------------------------------------------------------------------

def validate_config(config, current_dataset_name=None) -> dict:
    """A complete, checked session config from a partial one (missing fields take defaults)."""
    if not isinstance(config, dict):
        raise _err("invalid_config", "config: expected an object",
                   "La configuración debe ser un objeto.", "config")
    unknown = sorted(set(config) - set(DEFAULT_CONFIG))
    if unknown:
        raise _err("unknown_field", f"{unknown[0]}: unknown config field",
                   f"El campo «{unknown[0]}» no existe en la configuración.", unknown[0])
    c = {**DEFAULT_CONFIG, **config}
    if c["dataset"] != current_dataset_name:
        check_choice(c["dataset"], DATASET_NAMES, "dataset", "unknown_dataset", "data set",
                     "El conjunto de datos")
    c["n_samples"] = check_int(c["n_samples"], "n_samples", "invalid_n_samples",
                               "number of points", "El número de puntos", ge=10, le=5000)
    c["noise"] = check_number(c["noise"], "noise", "invalid_noise", "noise", "El ruido",
                              ge=0.0, le=2.0)
    c["val_fraction"] = check_number(c["val_fraction"], "val_fraction", "invalid_val_fraction",
                                     "validation fraction", "La fracción de validación",
                                     ge=0.0, lt=1.0)
    c["seed"] = check_int(c["seed"], "seed", "invalid_seed", "seed", "La semilla", ge=0)
    hidden = c["hidden"]
    if (not isinstance(hidden, (list, tuple)) or len(hidden) > MAX_HIDDEN_LAYERS
            or not all(isinstance(h, int) and not isinstance(h, bool)
                       and 1 <= h <= MAX_HIDDEN_SIZE for h in hidden)):
        raise _err("invalid_hidden",
                   f"hidden: expected a list of at most {MAX_HIDDEN_LAYERS} layer sizes, each "
                   f"an integer from 1 to {MAX_HIDDEN_SIZE}",
                   f"Las capas ocultas deben ser una lista de como máximo {MAX_HIDDEN_LAYERS} "
                   f"tamaños, cada uno un entero entre 1 y {MAX_HIDDEN_SIZE}.", "hidden")
    c["hidden"] = list(hidden)
    check_choice(c["activation"], _HIDDEN_ACTIVATIONS, "activation", "unknown_activation",
                 "hidden activation", "La función de activación")
    c["negative_slope"] = check_number(c["negative_slope"], "negative_slope",
                                       "invalid_negative_slope", "negative slope",
                                       "La pendiente negativa de ReLU con fuga")
    check_choice(c["output_activation"], ("auto",) + ACTIVATION_NAMES, "output_activation",
                 "unknown_activation", "output activation",
                 "La función de activación de la salida")
    check_choice(c["loss"], ("auto",) + LOSS_NAMES, "loss", "unknown_loss", "loss",
                 "La función de pérdida")
    c["learning_rate"] = check_number(c["learning_rate"], "learning_rate",
                                      "invalid_learning_rate", "learning rate",
                                      "La tasa de aprendizaje", gt=0.0)
    check_choice(c["optimizer"], OPTIMIZER_NAMES, "optimizer", "unknown_optimizer",
                 "optimizer", "El optimizador")
    c["momentum"] = check_number(c["momentum"], "momentum", "invalid_momentum", "momentum",
                                 "El momento", ge=0.0, lt=1.0)
    c["alpha"] = check_number(c["alpha"], "alpha", "invalid_alpha", "alpha",
                              "El factor α de RMSProp", ge=0.0, lt=1.0)
    c["beta1"] = check_number(c["beta1"], "beta1", "invalid_beta1", "beta1", "β₁ de Adam",
                              ge=0.0, lt=1.0)
    c["beta2"] = check_number(c["beta2"], "beta2", "invalid_beta2", "beta2", "β₂ de Adam",
                              ge=0.0, lt=1.0)
    c["eps"] = check_number(c["eps"], "eps", "invalid_eps", "eps", "ε", gt=0.0)
    c["batch_size"] = check_int(c["batch_size"], "batch_size", "invalid_batch_size",
                                "batch size", "El tamaño del lote", ge=1, le=5000)
    check_choice(c["init"], INIT_NAMES, "init", "unknown_init", "initialization",
                 "La inicialización")
    c["l1"] = check_number(c["l1"], "l1", "invalid_l1", "L1 strength",
                           "La regularización L1", ge=0.0)
    c["l2"] = check_number(c["l2"], "l2", "invalid_l2", "L2 strength",
                           "La regularización L2", ge=0.0)
    c["dropout"] = check_number(c["dropout"], "dropout", "invalid_dropout", "dropout rate",
                                "La tasa de dropout", ge=0.0, lt=1.0)
    check_bool(c["batch_norm"], "batch_norm", "batch_norm",
               "La normalización por lotes (batch_norm)")
    if c["clip_norm"] is not None:
        c["clip_norm"] = check_number(c["clip_norm"], "clip_norm", "invalid_clip_norm",
                                      "clip norm", "El recorte del gradiente", gt=0.0)
    check_bool(c["train_biases"], "train_biases", "train_biases", "Entrenar los sesgos")
    return c


def _output_and_loss(c, task):
    out, loss = c["output_activation"], c["loss"]
    auto_out, auto_loss = _AUTO_OUTPUT[task]
    if out == "auto" and loss == "auto":
        return auto_out, auto_loss
    if out == "auto":
        out = {"bce": "sigmoid", "ce": "softmax"}.get(loss, auto_out)
        if out == "softmax" and task != "multiclass":
            out = auto_out
    if loss == "auto":
        loss = {"softmax": "ce"}.get(out) or ("bce" if out == "sigmoid" and task == "binary"
                                               else "mse")
    return out, loss


def optimizer_spec(c) -> dict:
    spec = {"name": c["optimizer"], "learning_rate": c["learning_rate"]}
    for key in _OPTIMIZER_HYPER[c["optimizer"]]:
        spec[key] = c[key]
    return spec


def build_network(c, dataset) -> Network:
    out, loss = _output_and_loss(c, dataset.task)
    act = c["activation"]
    if act == "leaky_relu":
        act = {"name": "leaky_relu", "negative_slope": c["negative_slope"]}
    if out == "leaky_relu":
        out = {"name": "leaky_relu", "negative_slope": c["negative_slope"]}
    try:
        return Network(
            [2, *c["hidden"], dataset.n_outputs], [act] * len(c["hidden"]) + [out], loss,
            init=c["init"], seed=c["seed"], optimizer=optimizer_spec(c), l1=c["l1"], l2=c["l2"],
            clip_norm=c["clip_norm"], train_biases=c["train_biases"],
            batch_norm=c["batch_norm"], dropout=c["dropout"])
    except BackpropError as exc:
        # Name the session's field rather than the network's internal one.
        if exc.field in ("loss", "activations[0]") or (exc.field or "").startswith("activations"):
            exc.field = "loss" if exc.code == "incompatible_loss" else "output_activation"
        raise


def _check_fits(net, dataset):
    """The data set's targets must suit the loss (e.g. bce needs 0/1, ce one-hot)."""
    try:
        net.loss_fn.check_targets(dataset.y_train)
    except BackpropError as exc:
        exc.field = "loss"
        raise


# ----- one session -----------------------------------------------------------------------

class Session:
    def __init__(self, config, dataset=None):
        self.config = validate_config(config)
        self.dataset = dataset if dataset is not None else make_dataset(
            self.config["dataset"], self.config["n_samples"], self.config["noise"],
            self.config["seed"], self.config["val_fraction"])
        self._check_batch(self.config["batch_size"])
        self.net = build_network(self.config, self.dataset)
        _check_fits(self.net, self.dataset)
        self.data_version = 1
        self._data_key = (id(self.dataset), self.dataset.version)
        self.sent_data_version = 0
        self._restart()

    def _restart(self):
        """Epoch 0: fresh history, path and trace cursor (the network is already new)."""
        self.epoch = 0
        self.status = "ok"
        self.history = {"epoch": [], "loss": [], "val_loss": []}
        self.path = []
        self.trace_cursor = 0
        self.last_update = None
        self._record_epoch()

    def _check_batch(self, batch_size):
        n = len(self.dataset.x_train)
        if batch_size > n:
            raise _err("invalid_batch_size",
                       f"batch_size: at most the {n} training points",
                       f"El tamaño del lote debe estar entre 1 y {n} (los puntos de "
                       "entrenamiento).", "batch_size")

    def _touch_data(self):
        key = (id(self.dataset), self.dataset.version)
        if key != self._data_key:
            self._data_key = key
            self.data_version += 1

    # -- losses and history ---------------------------------------------------------------

    def _losses(self):
        ds, net = self.dataset, self.net
        loss = net.loss(ds.x_train, ds.y_train)
        val = net.loss(ds.x_val, ds.y_val) if len(ds.x_val) else None
        return loss, val

    def _record_epoch(self):
        loss, val = self._losses()
        self.history["epoch"].append(self.epoch)
        self.history["loss"].append(loss)
        self.history["val_loss"].append(val)
        if len(self.path) >= 2 * MAX_PATH_POINTS:
            self.path = self.path[::2]
        self.path.append(self.net.get_flat_params())
        first = self.history["loss"][0]
        if (not np.isfinite(loss) or not self.net.is_finite()
                or loss > EXPLOSION_FACTOR * max(first if np.isfinite(first) else 1.0, 1.0)):
            self.status = "diverged"
        return loss

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

    # -- replies ----------------------------------------------------------------------------

    def data_dict(self):
        ds = self.dataset
        return {"train": {"x": ds.x_train, "y": ds.y_train},
                "val": {"x": ds.x_val, "y": ds.y_val},
                "feature_names": ds.feature_names, "class_names": ds.class_names,
                "extent": list(ds.extent), "name": ds.name, "task": ds.task}

    def snapshot(self, force_data=False) -> dict:
        ds, net = self.dataset, self.net
        with np.errstate(all="ignore"):
            loss, val_loss = self.history["loss"][-1], self.history["val_loss"][-1]
            task = ds.task
            acc = val_acc = None
            if task != "regression":
                acc = _evaluation.accuracy(net, ds.x_train, ds.y_train, task)
                if len(ds.x_val):
                    val_acc = _evaluation.accuracy(net, ds.x_val, ds.y_val, task)
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
            "optimizer": {"name": net.optimizer.name, "learning_rate": net.optimizer.learning_rate,
                          "t": net.optimizer.t,
                          "state": {k: v for k, v in net.optimizer.state.items()},
                          "parameter_names": net.parameter_names()},
            "loss": net.loss_fn.name,
        }
        if status == "ok" and has_non_finite([network["weights"], network["biases"], loss]):
            status = "diverged"
        snap = {
            "epoch": self.epoch, "steps": net.steps, "status": status,
            "loss": loss, "val_loss": val_loss, "accuracy": acc, "val_accuracy": val_acc,
            "history": _downsample(self.history), "network": network, "diagnostics": diag,
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
            raise _err("invalid_state", "state: not a saved session",
                       "El estado no es una sesión guardada.", "state")
        try:
            dataset = Dataset.from_dict(state["dataset"])
            s = cls.__new__(cls)
            s.config = validate_config(state["config"], dataset.name)
            s.dataset = dataset
            s.net = network_from_dict(state["network"])
            if s.net.sizes[0] != 2 or s.net.sizes[-1] != dataset.n_outputs:
                raise _err("invalid_state", "state: the network does not fit the data",
                           "El estado guardado está dañado: la red no encaja con los datos.",
                           "state")
            s.data_version = int(state.get("data_version", 1))
            s._data_key = (id(dataset), dataset.version)
            s.sent_data_version = 0
            s.epoch = int(state["epoch"])
            s.status = state["status"] if state["status"] in ("ok", "diverged") else "ok"
            h = state["history"]
            s.history = {"epoch": [int(e) for e in h["epoch"]],
                         "loss": [_float(v) for v in h["loss"]],
                         "val_loss": [_float(v) for v in h["val_loss"]]}
            s.path = [np.array(p, dtype=np.float64) for p in state.get("path", [])]
            s.trace_cursor = int(state.get("trace_cursor", 0))
            s.last_update = None
        except BackpropError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise _err("invalid_state", f"state: malformed saved session ({exc})",
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


def _get_args(args, allowed, cmd):
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise _err("unknown_argument", f"{cmd}: unknown argument {unknown[0]!r}",
                   f"La orden {cmd} no admite el argumento «{unknown[0]}».", unknown[0])


def _check_grid(args):
    grid = args.get("grid")
    if grid is None:
        return None
    return check_int(grid, "grid", "invalid_grid", "grid resolution",
                     "La resolución de la cuadrícula", ge=2, le=400)


# ----- commands: each takes (registry, session_id, args) and returns (result, buffer) ------

def _cmd_create(reg, sid, args):
    _get_args(args, ("config",), "create")
    s = Session(args.get("config") or {})
    reg.sessions[sid] = s
    return s.snapshot(force_data=True), None


def _cmd_destroy(reg, sid, args):
    _get_args(args, (), "destroy")
    reg._session(sid)
    del reg.sessions[sid]
    return {"destroyed": sid}, None


def _cmd_set_config(reg, sid, args):
    s = reg._session(sid)
    partial = args.get("partial", args if "partial" not in args else None)
    if not isinstance(partial, dict):
        raise _err("invalid_config", "partial: expected an object",
                   "La configuración parcial debe ser un objeto.", "partial")
    merged = validate_config({**s.config, **partial}, s.dataset.name)
    changed = {k for k in merged if merged[k] != s.config[k]}
    if merged["dataset"] not in DATASET_NAMES and changed & set(DATA_FIELDS) - {"seed"}:
        field = sorted(changed & set(DATA_FIELDS))[0]
        raise _err("custom_data", f"{field}: loaded data cannot be regenerated; choose a "
                   "named data set first",
                   "Los datos cargados no se pueden volver a generar: elige antes un conjunto "
                   "de datos.", field)
    if merged["dataset"] not in DATASET_NAMES and "seed" in changed:
        changed = (changed - {"seed"}) | {"init"}  # new seed: new weights, same points
    if changed & set(DATA_FIELDS):
        new = Session(merged)
        new.data_version = s.data_version + 1
        new.sent_data_version = s.sent_data_version
        reg.sessions[sid] = new
        return new.snapshot(), None
    if changed & set(STRUCTURE_FIELDS):
        net = build_network(merged, s.dataset)
        _check_fits(net, s.dataset)
        s._check_batch(merged["batch_size"])
        s.config, s.net = merged, net
        s._restart()
        return s.snapshot(), None
    s._check_batch(merged["batch_size"])
    # Training settings change in place: weights, epoch and history continue.
    candidate = build_network(merged, s.dataset)
    net = s.net
    opt_changed = optimizer_spec(merged) != optimizer_spec(s.config)
    only_lr = opt_changed and {**optimizer_spec(merged), "learning_rate": 0} == {
        **optimizer_spec(s.config), "learning_rate": 0}
    if only_lr:
        net.optimizer.learning_rate = merged["learning_rate"]
    elif opt_changed:
        net.optimizer = candidate.optimizer
    net.l1, net.l2 = merged["l1"], merged["l2"]
    net.clip_norm = merged["clip_norm"]
    net.dropout = merged["dropout"]
    net.train_biases = merged["train_biases"]
    s.config = merged
    return s.snapshot(), None


def _cmd_reset(reg, sid, args):
    _get_args(args, ("grid",), "reset")
    s = reg._session(sid)
    grid = _check_grid(args)
    s.net = build_network(s.config, s.dataset)
    s._restart()
    return _with_grid(s, s.snapshot(), grid)


def _cmd_train(reg, sid, args):
    _get_args(args, ("epochs", "grid"), "train")
    s = reg._session(sid)
    epochs = check_int(args.get("epochs", 1), "epochs", "invalid_epochs", "epochs",
                       "El número de épocas", ge=1, le=MAX_EPOCHS_PER_CALL)
    grid = _check_grid(args)
    s.train(epochs)
    return _with_grid(s, s.snapshot(), grid)


def _with_grid(s, snap, grid):
    if grid is None:
        return snap, None
    with np.errstate(all="ignore"):
        values, neurons = _evaluation.grid_outputs(s.net, s.dataset.extent, grid)
    snap["grid"] = {"resolution": grid, "extent": list(s.dataset.extent), "neurons": neurons}
    return snap, np.ascontiguousarray(values, dtype="<f4").tobytes()


def _cmd_snapshot(reg, sid, args):
    _get_args(args, ("grid",), "snapshot")
    s = reg._session(sid)
    grid = _check_grid(args)
    return _with_grid(s, s.snapshot(), grid)


def _cmd_trace(reg, sid, args):
    _get_args(args, ("indices",), "trace")
    s = reg._session(sid)
    ds = s.dataset
    n = len(ds.x_train)
    if "indices" in args and args["indices"] is not None:
        idx = check_indices(args["indices"], n)
        advance = False
    else:
        # The next mini-batch in order; the last one of a pass may be shorter, as in training.
        start = s.trace_cursor % n
        idx = list(range(start, min(start + s.config["batch_size"], n)))
        advance = True
    if s.status == "diverged":
        raise _err("diverged", "trace: the network diverged; reset it first",
                   "La red ha divergido: reiníciala antes de dar otro paso.", "status")
    with np.errstate(all="ignore"):
        result = trace_step(s.net, ds.x_train[idx], ds.y_train[idx])
    if advance:
        s.trace_cursor = start + len(idx)
        if s.trace_cursor >= n:
            s.trace_cursor -= n
            s.epoch += 1
            s._record_epoch()
        else:
            loss, val = s._losses()
            s.history["loss"][-1], s.history["val_loss"][-1] = loss, val
    else:
        loss, val = s._losses()
        s.history["loss"][-1], s.history["val_loss"][-1] = loss, val
    if not np.isfinite(s.history["loss"][-1]) or not s.net.is_finite():
        s.status = "diverged"
    result["indices"] = idx
    return {"trace": result, "snapshot": s.snapshot()}, None


def _cmd_add_point(reg, sid, args):
    _get_args(args, ("x", "y", "split"), "add_point")
    s = reg._session(sid)
    if "x" not in args or "y" not in args:
        raise _err("missing_argument", "add_point: x and y are required",
                   "Para añadir un punto hacen falta x (sus dos coordenadas) e y (su etiqueta).",
                   "x" if "x" not in args else "y")
    index = s.dataset.add_point(args["x"], args["y"], args.get("split", "train"))
    s._touch_data()
    snap = s.snapshot()
    snap["added_index"] = index
    return snap, None


def _cmd_remove_point(reg, sid, args):
    _get_args(args, ("index", "split"), "remove_point")
    s = reg._session(sid)
    split = args.get("split", "train")
    s.dataset.remove_point(args.get("index"), split)
    s._touch_data()
    if s.trace_cursor >= len(s.dataset.x_train):
        s.trace_cursor = 0
    return s.snapshot(), None


def _cmd_load_csv(reg, sid, args):
    _get_args(args, ("text", "task", "class_names"), "load_csv")
    s = reg._session(sid)
    text = args.get("text")
    ds = Dataset.from_csv(text, task=args.get("task"), class_names=args.get("class_names"),
                          val_fraction=s.config["val_fraction"], seed=s.config["seed"])
    config = {**s.config, "dataset": ds.name}
    config["batch_size"] = min(config["batch_size"], len(ds.x_train))
    net = build_network(config, ds)
    _check_fits(net, ds)
    s.config, s.dataset, s.net = validate_config(config, ds.name), ds, net
    s._touch_data()
    s._restart()
    return s.snapshot(), None


def _cmd_gradient_check(reg, sid, args):
    _get_args(args, ("samples",), "gradient_check")
    s = reg._session(sid)
    n = check_int(args.get("samples", GRADCHECK_SAMPLES), "samples", "invalid_samples",
                  "samples", "El número de muestras", ge=1, le=200)
    ds = s.dataset
    n = min(n, len(ds.x_train))
    result = check_gradients(s.net, ds.x_train[:n], ds.y_train[:n])
    result["samples"] = n
    return result, None


def _cmd_landscape(reg, sid, args):
    _get_args(args, ("params", "span", "resolution", "seed"), "landscape")
    s = reg._session(sid)
    ds = s.dataset
    kwargs = {k: args[k] for k in ("params", "span", "resolution", "seed") if k in args}
    result = _landscape.loss_slice(s.net, ds.x_train, ds.y_train, **kwargs)
    try:
        result["path"] = _landscape.project_path([p.tolist() for p in s.path], result)
    except BackpropError:
        result["path"] = None
    return result, None


def _cmd_save(reg, sid, args):
    _get_args(args, (), "save")
    return {"state": reg._session(sid).save()}, None


def _cmd_load(reg, sid, args):
    _get_args(args, ("state",), "load")
    s = Session.load(args.get("state"))
    reg.sessions[sid] = s
    return s.snapshot(force_data=True), None


COMMANDS = {
    "create": _cmd_create,
    "destroy": _cmd_destroy,
    "set_config": _cmd_set_config,
    "reset": _cmd_reset,
    "train": _cmd_train,
    "snapshot": _cmd_snapshot,
    "trace": _cmd_trace,
    "add_point": _cmd_add_point,
    "remove_point": _cmd_remove_point,
    "load_csv": _cmd_load_csv,
    "gradient_check": _cmd_gradient_check,
    "landscape": _cmd_landscape,
    "save": _cmd_save,
    "load": _cmd_load,
}


class Registry:
    """All sessions of one worker, keyed by the widget's session id."""

    def __init__(self):
        self.sessions = {}
        self._buffer = b""

    def _session(self, sid) -> Session:
        if sid not in self.sessions:
            raise _err("unknown_session", f"session {sid!r} does not exist (create it first)",
                       "La sesión no existe: hay que crearla primero (create).", "session")
        return self.sessions[sid]

    def call(self, session_id: str, cmd: str, args_json: str) -> str:
        self._buffer = b""
        try:
            handler = COMMANDS.get(cmd)
            if handler is None:
                raise _err("unknown_command", f"unknown command {cmd!r}",
                           f"La orden «{cmd}» no existe.", "cmd")
            if not isinstance(session_id, str) or not session_id:
                raise _err("invalid_session", "session id must be a non-empty string",
                           "El identificador de la sesión debe ser un texto no vacío.",
                           "session")
            try:
                args = json.loads(args_json) if args_json else {}
            except (TypeError, ValueError):
                raise _err("invalid_json", "args: not valid JSON",
                           "Los argumentos no son JSON válido.", "args") from None
            if not isinstance(args, dict):
                raise _err("invalid_args", "args: expected a JSON object",
                           "Los argumentos deben ser un objeto JSON.", "args")
            # Handlers validate before they change anything, so a refusal changes nothing.
            result, buffer = handler(self, session_id, args)
            reply = json.dumps({"ok": True, "result": to_jsonable(result)}, allow_nan=False,
                               ensure_ascii=False)
            self._buffer = buffer or b""
            return reply
        except BackpropError as exc:
            return json.dumps({"ok": False, "error": to_jsonable(exc.to_dict())},
                              ensure_ascii=False)
        except Exception as exc:  # noqa: BLE001 - the worker must always get a reply
            return json.dumps({"ok": False, "error": {
                "code": "internal_error",
                "message": "Error interno del motor. Vuelve a intentarlo o reinicia la red.",
                "message_en": f"internal error: {type(exc).__name__}: {exc}",
                "field": None}}, ensure_ascii=False)

    def take_buffer(self) -> bytes:
        buf, self._buffer = self._buffer, b""
        return buf
