"""Checks of everything a ``Network`` is built from or fed with, before anything changes.

``check_network`` turns the constructor's arguments into a ``NetworkSpec`` (or refuses them
with a ``BackpropError`` naming the field), ``config_arguments`` reads the CLI's config and
``network_config`` writes it back, and ``check_inputs``/``check_targets``/``check_flat_params``
check data for a built network. The ``Network`` itself keeps only the maths.
"""

from typing import NamedTuple

import numpy as np

from . import schema
from .activations import get_activation
from .errors import BackpropError, check_bool, check_choice, check_int, check_number
from .initializers import INIT_NAMES
from .losses import get_loss
from .optimizers import make_optimizer
from .parameters import param_ids

MAX_LAYER_SIZE = 4096

# Fields of the CLI config (docs/engine.md); anything else is refused.
CONFIG_FIELDS = frozenset({
    "layers", "activations", "loss", "weights", "biases", "train_biases", "init", "optimizer",
    "regularization", "clip_norm", "inputs", "targets", "steps", "batch_norm", "dropout",
    "frozen_layers", "frozen", "title"})


class NetworkSpec(NamedTuple):
    """The constructor's arguments, checked and normalized."""
    sizes: list
    activations: list      # Activation objects, one per non-input layer
    loss: object           # a Loss
    init: str
    seed: int
    init_scale: float
    init_gain: float       # multiplies every drawn weight (initializers.initialize)
    optimizer: object      # an Optimizer
    l1: float
    l2: float
    clip_norm: float | None
    train_biases: bool
    frozen_layers: list
    dropout: float
    bn_flags: list
    frozen: list           # parameter names, in parameters() order
    weights: list | None   # None: drawn by the initializer
    biases: list | None    # None: zeros


def check_network(sizes, activations, loss, *, weights, biases, init, seed, init_scale,
                  init_gain, optimizer, l1, l2, clip_norm, train_biases, frozen_layers,
                  batch_norm, dropout, frozen) -> NetworkSpec:
    """Every argument of ``Network(...)``, checked in the order the fields are documented."""
    sizes = check_sizes(sizes)
    n_layers = len(sizes) - 1
    acts = check_activations(activations, n_layers)
    loss_obj = check_loss(loss, acts[-1].name, sizes[-1])
    init = check_choice(init, INIT_NAMES, "init.name", "unknown_init", "initialization",
                        "La inicialización")
    seed = check_int(seed, "init.seed", "invalid_seed", "seed", "La semilla", ge=0)
    init_scale = check_number(init_scale, "init.scale", "invalid_init_scale",
                              "initialization scale",
                              "La escala de la inicialización", gt=0.0)
    init_gain = check_number(init_gain, "init.gain", "invalid_init_gain",
                             *reversed(schema.FIELD["init_gain"].subject),
                             **schema.number_bounds("init_gain"))
    opt = make_optimizer(optimizer if optimizer is not None else {"name": "sgd"})
    l1 = check_number(l1, "regularization.l1", "invalid_l1", "L1 strength", "La regularización L1",
                      ge=0.0)
    l2 = check_number(l2, "regularization.l2", "invalid_l2", "L2 strength", "La regularización L2",
                      ge=0.0)
    if clip_norm is not None:
        clip_norm = check_number(clip_norm, "clip_norm", "invalid_clip_norm",
                                 "gradient clipping norm", "El recorte del gradiente (clip_norm)", gt=0.0)
    train_biases = check_bool(train_biases, "train_biases", "Training the biases (train_biases)",
                              "train_biases (entrenar los sesgos)")
    frozen_layers = check_frozen_layers(frozen_layers, n_layers)
    dropout = check_number(dropout, "dropout", "invalid_dropout", "dropout rate",
                           "La tasa de dropout", **schema.number_bounds("dropout"))
    bn_flags = check_batch_norm(batch_norm, n_layers)
    frozen_names = check_frozen_names(frozen, bn_flags)
    return NetworkSpec(
        sizes, acts, loss_obj, init, seed, init_scale, init_gain, opt, l1, l2, clip_norm,
        train_biases, frozen_layers, dropout, bn_flags, frozen_names,
        None if weights is None else check_param_list(weights, sizes, "weights"),
        None if biases is None else check_param_list(biases, sizes, "biases"))


def config_arguments(config) -> dict:
    """The keyword arguments of ``Network(...)`` from the CLI's config (data fields ignored)."""
    if not isinstance(config, dict):
        raise BackpropError("invalid_config", "config: expected a JSON object",
                            "La configuración debe ser un objeto JSON.", "config")
    unknown = sorted(set(config) - CONFIG_FIELDS)
    if unknown:
        raise BackpropError(
            "unknown_field", f"{unknown[0]}: unknown config field",
            f"El campo {unknown[0]!r} no existe en la configuración.", unknown[0])
    if "layers" not in config:
        raise BackpropError(
            "missing_layers", "layers: required, e.g. [2, 2, 1] (sizes of every layer)",
            "Falta el campo layers: los tamaños de cada capa, por ejemplo [2, 2, 1].",
            "layers")
    init = config.get("init", {})
    if isinstance(init, str):
        init = {"name": init}
    if not isinstance(init, dict):
        raise BackpropError("invalid_init", "init: expected an object {name, seed, scale, gain}",
                            "init debe ser un objeto {name, seed, scale, gain}.", "init")
    regs = config.get("regularization") or {}
    if not isinstance(regs, dict) or set(regs) - {"l1", "l2"}:
        raise BackpropError(
            "invalid_regularization", "regularization: expected an object {l1, l2}",
            "regularization debe ser un objeto {l1, l2}.", "regularization")
    return dict(
        sizes=config["layers"], activations=config.get("activations"),
        loss=config.get("loss", "mse"), weights=config.get("weights"),
        biases=config.get("biases"), init=init.get("name", "xavier_uniform"),
        seed=init.get("seed", 0), init_scale=init.get("scale", 0.5),
        init_gain=init.get("gain", 1.0),
        optimizer=config.get("optimizer"), l1=regs.get("l1", 0.0), l2=regs.get("l2", 0.0),
        clip_norm=config.get("clip_norm"), train_biases=config.get("train_biases", True),
        frozen_layers=config.get("frozen_layers", ()), frozen=config.get("frozen", ()),
        batch_norm=config.get("batch_norm", False), dropout=config.get("dropout", 0.0))


def network_config(net) -> dict:
    """A network's normalized config (the inverse of ``config_arguments``), without weights
    and data."""
    return {
        "layers": list(net.sizes),
        "activations": [a.to_dict() if a.name == "leaky_relu" else a.name
                        for a in net.activation_fns],
        "loss": net.loss_fn.name,
        "train_biases": net.train_biases,
        "init": dict(net.init),
        "optimizer": net.optimizer.config(),
        "regularization": {"l1": net.l1, "l2": net.l2},
        "clip_norm": net.clip_norm,
        "batch_norm": [bn is not None for bn in net.batch_norms],
        "dropout": net.dropout,
        "frozen_layers": list(net.frozen_layers),
        "frozen": list(net.frozen),
    }


# ----- structure ---------------------------------------------------------------------------

def check_sizes(sizes):
    if (not isinstance(sizes, (list, tuple)) or len(sizes) < 2
            or not all(isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= MAX_LAYER_SIZE
                       for s in sizes)):
        raise BackpropError(
            "invalid_layers",
            f"layers: expected a list of at least 2 layer sizes, each an integer between 1 and "
            f"{MAX_LAYER_SIZE}, got {sizes!r}",
            f"layers debe ser una lista de al menos 2 tamaños de capa, cada uno un entero entre 1 "
            f"y {MAX_LAYER_SIZE}.",
            "layers",
        )
    return list(sizes)


def check_activations(activations, n_layers):
    """One Activation per non-input layer (sigmoid everywhere when None); softmax only last."""
    if activations is None:
        activations = ["sigmoid"] * n_layers
    if not isinstance(activations, (list, tuple)) or len(activations) != n_layers:
        raise BackpropError(
            "invalid_activations",
            f"activations: expected a list of {n_layers} activation names (one per "
            f"non-input layer), got {activations!r}",
            f"Hace falta una lista de {n_layers} funciones de activación (una por capa que "
            "no sea la de entrada).",
            "activations",
        )
    acts = [get_activation(a, f"activations[{i}]") for i, a in enumerate(activations)]
    for i, a in enumerate(acts[:-1]):
        if a.name == "softmax":
            raise BackpropError(
                "invalid_activations",
                f"activations[{i}]: softmax is only allowed in the output layer",
                "La función softmax solo se admite en la capa de salida.",
                f"activations[{i}]",
            )
    return acts


def check_loss(loss, out, n_out):
    """The Loss, refused when it does not fit the output activation ``out``."""
    loss_obj = get_loss(loss)
    if loss_obj.name == "bce" and out != "sigmoid":
        raise BackpropError(
            "incompatible_loss",
            f"loss: bce needs a sigmoid output layer, not {out}",
            f"La entropía cruzada binaria (bce) necesita una capa de salida sigmoide, no {out}.",
            "loss",
        )
    if loss_obj.name == "ce" and (out != "softmax" or n_out < 2):
        raise BackpropError(
            "incompatible_loss",
            "loss: ce (softmax + cross-entropy) needs a softmax output layer with at least 2 "
            "neurons",
            "La entropía cruzada (ce) necesita una capa de salida softmax con al menos 2 "
            "neuronas.",
            "loss",
        )
    return loss_obj


def check_param_list(values, sizes, field):
    n_layers = len(sizes) - 1
    if not isinstance(values, (list, tuple)) or len(values) != n_layers:
        raise BackpropError(
            f"invalid_{field}", f"{field}: expected one entry per non-input layer ({n_layers})",
            f"{field}: hace falta una entrada por capa que no sea la de entrada ({n_layers}).",
            field)
    out = []
    for l, v in enumerate(values):
        shape = (sizes[l + 1], sizes[l]) if field == "weights" else (sizes[l + 1],)
        arr = as_float_array(v, f"{field}[{l}]")
        if arr.shape != shape:
            what_en = "(out, in)" if field == "weights" else "(out,)"
            raise BackpropError(
                "invalid_shape",
                f"{field}[{l}]: expected shape {shape} {what_en}, got {arr.shape}",
                f"{field}[{l}]: la forma debe ser {shape} "
                + ("(neuronas de la capa × entradas)." if field == "weights" else
                   "(una por neurona de la capa)."),
                f"{field}[{l}]")
        _check_finite(arr, f"{field}[{l}]")
        out.append(arr.copy())
    return out


def check_frozen_layers(frozen, n_layers):
    if not isinstance(frozen, (list, tuple)) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n_layers for i in frozen):
        raise BackpropError(
            "invalid_frozen_layers",
            f"frozen_layers: expected a list of layer indices between 0 and {n_layers - 1}",
            f"frozen_layers debe ser una lista de índices de capa entre 0 y {n_layers - 1}.",
            "frozen_layers")
    return sorted(set(frozen))


def check_frozen_names(frozen, bn_flags):
    names = [p.name for p in param_ids(bn_flags)]
    if not isinstance(frozen, (list, tuple)) or not all(
            isinstance(n, str) and n in names for n in frozen):
        raise BackpropError(
            "invalid_frozen",
            f"frozen: expected a list of parameter names among {', '.join(names)}",
            f"frozen debe ser una lista de nombres de parámetros: {', '.join(names)}.",
            "frozen")
    return sorted(set(frozen), key=names.index)


def check_batch_norm(batch_norm, n_layers):
    """One flag per non-input layer; ``True`` means every hidden layer (never the output)."""
    if isinstance(batch_norm, bool):
        return [batch_norm] * (n_layers - 1) + [False]
    if (isinstance(batch_norm, (list, tuple)) and len(batch_norm) in (n_layers - 1, n_layers)
            and all(isinstance(f, bool) for f in batch_norm)):
        flags = list(batch_norm)[: n_layers - 1]
        return flags + [False]
    raise BackpropError(
        "invalid_batch_norm",
        "batch_norm: expected true/false or one flag per hidden layer",
        "batch_norm debe ser verdadero/falso o una lista con un valor por capa oculta.",
        "batch_norm")


# ----- data --------------------------------------------------------------------------------

def as_float_array(value, field):
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise BackpropError(
            "invalid_shape", f"{field}: expected numbers in a (nested) list",
            f"{field}: hacen falta números en una lista (o lista de listas).", field) from None
    return arr


def _check_finite(arr, field):
    if not np.all(np.isfinite(arr)):
        raise BackpropError("non_finite", f"{field}: every value must be finite",
                            f"{field}: todos los valores deben ser números finitos.", field)


def check_inputs(X, n_in, field="inputs"):
    """A non-empty (n, n_in) float matrix; one sample may come as a flat row."""
    X = as_float_array(X, field)
    if X.ndim == 1 and n_in == X.shape[0]:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != n_in or X.shape[0] == 0:
        raise BackpropError(
            "invalid_shape" if X.size else "empty_data",
            f"{field}: expected a non-empty matrix with {n_in} columns (one row per "
            f"sample), got shape {X.shape}",
            f"{field}: hacen falta datos: una matriz no vacía con {n_in} columnas "
            "(una fila por muestra).",
            field,
        )
    _check_finite(X, field)
    return X


def check_targets(Y, n, n_out, loss):
    """An (n, n_out) float matrix of targets the loss accepts (a flat column when n_out = 1)."""
    Y = as_float_array(Y, "targets")
    if Y.ndim == 1 and n_out == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape != (n, n_out):
        raise BackpropError(
            "invalid_shape",
            f"targets: expected shape ({n}, {n_out}) (one row per input sample), "
            f"got {Y.shape}",
            f"targets: los objetivos deben tener {n} filas (una por muestra) y "
            f"{n_out} columnas (una por neurona de salida).",
            "targets",
        )
    _check_finite(Y, "targets")
    loss.check_targets(Y)
    return Y


def check_flat_params(v, total):
    """A finite vector of ``total`` numbers (``Network.set_flat_params``)."""
    v = as_float_array(v, "params")
    if v.ndim != 1 or v.size != total:
        raise BackpropError(
            "invalid_shape", f"params: expected a vector of {total} numbers, got shape {v.shape}",
            f"Hace falta un vector de {total} parámetros.", "params")
    if not np.all(np.isfinite(v)):
        raise BackpropError("non_finite", "params: every parameter must be finite",
                            "Todos los parámetros deben ser números finitos.", "params")
    return v
