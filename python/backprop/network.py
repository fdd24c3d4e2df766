"""A fully connected network that trains itself with backpropagation.

The network owns its parameters, its loss, its regularization, its optimizer and its random
generator (initialization, dropout masks, shuffling), so that one object holds every number of
a training run and serializes to one JSON-safe dict.

Orientation: ``weights[l]`` has shape (out, in): ``weights[l][j, i]`` connects neuron ``i`` of
layer ``l`` to neuron ``j`` of layer ``l + 1``. Data are row-per-sample: X (n, n_in).
"""

import copy as _copy

import numpy as np

from . import regularization as reg
from .activations import get_activation
from .errors import BackpropError, check_bool, check_choice, check_int, check_number
from .initializers import INIT_NAMES, initialize
from .layers import BatchNorm, dropout_mask
from .losses import get_loss
from .optimizers import make_optimizer

MAX_LAYER_SIZE = 4096


class Network:
    def __init__(self, sizes, activations=None, loss="mse", *, weights=None, biases=None,
                 init="xavier_uniform", seed=0, init_scale=0.5, optimizer=None, l1=0.0, l2=0.0,
                 clip_norm=None, train_biases=True, frozen_layers=(), batch_norm=False,
                 dropout=0.0, frozen=()):
        sizes = _check_sizes(sizes)
        n_layers = len(sizes) - 1
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
        loss_obj = get_loss(loss)
        out = acts[-1].name
        if loss_obj.name == "bce" and out != "sigmoid":
            raise BackpropError(
                "incompatible_loss",
                f"loss: bce needs a sigmoid output layer, not {out}",
                f"La entropía cruzada binaria (bce) necesita una capa de salida sigmoide, no {out}.",
                "loss",
            )
        if loss_obj.name == "ce" and (out != "softmax" or sizes[-1] < 2):
            raise BackpropError(
                "incompatible_loss",
                "loss: ce (softmax + cross-entropy) needs a softmax output layer with at least 2 "
                "neurons",
                "La entropía cruzada (ce) necesita una capa de salida softmax con al menos 2 "
                "neuronas.",
                "loss",
            )
        init = check_choice(init, INIT_NAMES, "init.name", "unknown_init", "initialization",
                            "La inicialización")
        seed = check_int(seed, "init.seed", "invalid_seed", "seed", "La semilla", ge=0)
        init_scale = check_number(init_scale, "init.scale", "invalid_init_scale", "scale",
                                  "La escala de la inicialización", gt=0.0)
        opt = make_optimizer(optimizer if optimizer is not None else {"name": "sgd"})
        l1 = check_number(l1, "regularization.l1", "invalid_l1", "l1", "La regularización L1",
                          ge=0.0)
        l2 = check_number(l2, "regularization.l2", "invalid_l2", "l2", "La regularización L2",
                          ge=0.0)
        if clip_norm is not None:
            clip_norm = check_number(clip_norm, "clip_norm", "invalid_clip_norm", "clip_norm",
                                     "El recorte del gradiente (clip_norm)", gt=0.0)
        train_biases = check_bool(train_biases, "train_biases", "train_biases",
                                  "train_biases (entrenar los sesgos)")
        frozen_layers = _check_frozen(frozen_layers, n_layers)
        dropout = check_number(dropout, "dropout", "invalid_dropout", "dropout rate",
                               "La tasa de dropout", ge=0.0, lt=1.0)
        bn_flags = _check_batch_norm(batch_norm, n_layers)
        frozen_names = _check_frozen_names(frozen, bn_flags)

        rng = np.random.default_rng(seed)
        if weights is None:
            W, _ = initialize(init, sizes, rng, scale=init_scale)
        else:
            W = _check_param_list(weights, sizes, "weights")
        if biases is None:
            b = [np.zeros(n) for n in sizes[1:]]
        else:
            b = _check_param_list(biases, sizes, "biases")

        # Everything is valid: only now does the object take its state.
        self.sizes = sizes
        self.activations = [a.name for a in acts]
        self.activation_fns = acts
        self.loss_fn = loss_obj
        self.weights = W
        self.biases = b
        self.batch_norms = [BatchNorm(n) if flag else None for n, flag in zip(sizes[1:], bn_flags)]
        self.init = {"name": init, "seed": seed, "scale": init_scale}
        self.optimizer = opt
        self.l1, self.l2 = l1, l2
        self.clip_norm = clip_norm
        self.train_biases = train_biases
        self.frozen_layers = frozen_layers
        self.frozen = frozen_names
        self.dropout = dropout
        self.rng = rng
        self.steps = 0
        self._fused = loss_obj.partner == acts[-1].name

    # ----- configuration -----------------------------------------------------------------

    @classmethod
    def from_config(cls, config: dict) -> "Network":
        """A network from the CLI's config (docs/engine.md); data fields are ignored here."""
        if not isinstance(config, dict):
            raise BackpropError("invalid_config", "config: expected a JSON object",
                                "La configuración debe ser un objeto JSON.", "config")
        known = {"layers", "activations", "loss", "weights", "biases", "train_biases", "init",
                 "optimizer", "regularization", "clip_norm", "inputs", "targets", "steps",
                 "batch_norm", "dropout", "frozen_layers", "frozen", "title"}
        unknown = sorted(set(config) - known)
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
            raise BackpropError("invalid_init", "init: expected an object {name, seed}",
                                "init debe ser un objeto {name, seed}.", "init")
        regs = config.get("regularization") or {}
        if not isinstance(regs, dict) or set(regs) - {"l1", "l2"}:
            raise BackpropError(
                "invalid_regularization", "regularization: expected an object {l1, l2}",
                "regularization debe ser un objeto {l1, l2}.", "regularization")
        return cls(
            config["layers"], config.get("activations"), config.get("loss", "mse"),
            weights=config.get("weights"), biases=config.get("biases"),
            init=init.get("name", "xavier_uniform"), seed=init.get("seed", 0),
            init_scale=init.get("scale", 0.5), optimizer=config.get("optimizer"),
            l1=regs.get("l1", 0.0), l2=regs.get("l2", 0.0), clip_norm=config.get("clip_norm"),
            train_biases=config.get("train_biases", True),
            frozen_layers=config.get("frozen_layers", ()), frozen=config.get("frozen", ()),
            batch_norm=config.get("batch_norm", False), dropout=config.get("dropout", 0.0),
        )

    def config(self) -> dict:
        """The normalized config, without weights and data."""
        return {
            "layers": list(self.sizes),
            "activations": [a.to_dict() if a.name == "leaky_relu" else a.name
                            for a in self.activation_fns],
            "loss": self.loss_fn.name,
            "train_biases": self.train_biases,
            "init": dict(self.init),
            "optimizer": self.optimizer.config(),
            "regularization": {"l1": self.l1, "l2": self.l2},
            "clip_norm": self.clip_norm,
            "batch_norm": [bn is not None for bn in self.batch_norms],
            "dropout": self.dropout,
            "frozen_layers": list(self.frozen_layers),
            "frozen": list(self.frozen),
        }

    # ----- parameters --------------------------------------------------------------------

    def parameters(self):
        """Every trainable array in a fixed order: per layer W and b, or W, γ and β when the
        layer is batch-normalized (there β takes the bias's role: the normalization subtracts
        the batch mean, so a bias before it has no effect and is left out, as in PyTorch's
        ``Linear(bias=False)`` before ``BatchNorm1d``)."""
        params = []
        for W, b, bn in zip(self.weights, self.biases, self.batch_norms):
            params.append(W)
            if bn is None:
                params.append(b)
            else:
                params.append(bn.gamma)
                params.append(bn.beta)
        return params

    def parameter_names(self):
        names = []
        for l, bn in enumerate(self.batch_norms):
            names.append(f"W{l + 1}")
            names += [f"b{l + 1}"] if bn is None else [f"gamma{l + 1}", f"beta{l + 1}"]
        return names

    def trainable_mask(self):
        """Per array of ``parameters()``: False for frozen layers, named arrays in ``frozen``
        (e.g. ``"b2"``, ``"W1"``) and, with ``train_biases=False``, every bias."""
        mask = []
        for l, bn in enumerate(self.batch_norms):
            free = l not in self.frozen_layers
            mask += [free, free and self.train_biases] if bn is None else [free, free, free]
        return [m and name not in self.frozen for m, name in zip(mask, self.parameter_names())]

    def get_flat_params(self) -> np.ndarray:
        return np.concatenate([p.ravel() for p in self.parameters()])

    def set_flat_params(self, v) -> None:
        params = self.parameters()
        total = sum(p.size for p in params)
        v = _as_float_array(v, "params")
        if v.ndim != 1 or v.size != total:
            raise BackpropError(
                "invalid_shape", f"params: expected a vector of {total} numbers, got shape {v.shape}",
                f"Hace falta un vector de {total} parámetros.", "params")
        if not np.all(np.isfinite(v)):
            raise BackpropError("non_finite", "params: every parameter must be finite",
                                "Todos los parámetros deben ser números finitos.", "params")
        offset = 0
        for p in params:
            p[...] = v[offset:offset + p.size].reshape(p.shape)
            offset += p.size

    def copy(self) -> "Network":
        return _copy.deepcopy(self)

    # ----- forward -----------------------------------------------------------------------

    def _forward(self, X, training, rng=None, update_stats=False):
        """Output and per-layer cache (a_prev, z, bn_cache, ẑ, h, mask)."""
        a = X
        cache = []
        last = len(self.weights) - 1
        drop = self.dropout if training else 0.0
        for l, (W, b, bn, act) in enumerate(
                zip(self.weights, self.biases, self.batch_norms, self.activation_fns)):
            a_prev = a
            z = a_prev @ W.T + b                 # dense: z = W·a_prev + b, one row per sample
            if bn is None:
                u = z
                bn_cache = None
            else:
                u, bn_cache = bn.forward(z, training, update_stats)
            a = h = act.value(u)
            mask = None
            if drop and l < last:
                mask = dropout_mask(rng, h.shape, drop)
                a = h * mask
            cache.append((a_prev, z, bn_cache, u, h, mask))
        return a, cache

    def forward(self, X, training=False) -> np.ndarray:
        X = self._check_x(X)
        rng = _copy.deepcopy(self.rng) if training and self.dropout else None
        return self._forward(X, training, rng)[0]

    def forward_layers(self, X, training=False):
        """(z, a) per non-input layer; z is the activation's input (after batch norm)."""
        X = self._check_x(X)
        rng = _copy.deepcopy(self.rng) if training and self.dropout else None
        _, cache = self._forward(X, training, rng)
        return [(u, h if mask is None else h * mask) for (_, _, _, u, h, mask) in cache]

    def predict(self, X) -> np.ndarray:
        return self.forward(X)

    # ----- loss --------------------------------------------------------------------------

    def _data_loss(self, cache, Y) -> float:
        _, _, _, u, h, _ = cache[-1]
        if self._fused:
            return self.loss_fn.value_from_logits(u, Y)
        return self.loss_fn.value(h, Y)

    def loss(self, X, Y) -> float:
        """Data loss in evaluation mode (no dropout, batch norm with running statistics)."""
        X, Y = self._check_xy(X, Y)
        with np.errstate(all="ignore"):
            return self._data_loss(self._forward(X, False)[1], Y)

    def penalty(self) -> float:
        return reg.penalty(self.weights, self.l1, self.l2)

    def total_loss(self, X, Y) -> float:
        return self.loss(X, Y) + self.penalty()

    # ----- backward ----------------------------------------------------------------------

    def _backprop(self, X, Y, rng, update_stats=False, want_loss=True, record=False):
        """Data loss, ∂L/∂param for every parameter (in ``parameters()`` order), ∂L/∂W and
        ∂L/∂b per layer, and, when ``record``, the forward cache and the deltas for the trace."""
        _, cache = self._forward(X, True, rng, update_stats)
        loss = self._data_loss(cache, Y) if want_loss else None
        n_layers = len(cache)
        acts, bns, weights = self.activation_fns, self.batch_norms, self.weights
        dW, db = [None] * n_layers, [None] * n_layers
        grads = []                           # filled from the last layer back, reversed at the end
        deltas = [None] * n_layers if record else None
        _, _, _, u, h, _ = cache[-1]
        if self._fused:
            delta = self.loss_fn.fused_delta(h, Y)
            grad_h = self.loss_fn.grad(h, Y) if record else None
        else:
            grad_h = self.loss_fn.grad(h, Y)
            delta = acts[-1].backward(u, h, grad_h)
        for l in range(n_layers - 1, -1, -1):
            a_prev, z, bn_cache, u, h, mask = cache[l]
            if l < n_layers - 1:
                grad_h = grad_a if mask is None else grad_a * mask
                delta = acts[l].backward(u, h, grad_h)
            if bn_cache is None:
                delta_z = delta
            else:
                delta_z, g_gamma, g_beta = bns[l].backward(delta, bn_cache)
                grads.append(g_beta)
                grads.append(g_gamma)
            # dense: ∂L/∂W = δᵀ·a_prev, ∂L/∂b = Σ δ, and the error sent back is δ·W
            dW[l] = gW = delta_z.T @ a_prev
            db[l] = gb = _sum_rows(delta_z, 0)
            if bn_cache is None:
                grads.append(gb)
            grads.append(gW)
            if l:
                grad_a = delta_z @ weights[l]
            if record:
                deltas[l] = {"grad_a": grad_h, "delta": delta, "delta_z": delta_z}
        grads.reverse()
        if record:
            return loss, grads, dW, db, cache, deltas
        return loss, grads, dW, db

    def _plain_gradients(self, X, Y):
        """The training hot path for networks without batch norm and dropout: the arithmetic
        of ``_backprop`` (same operations, same order, same results) keeping only what the
        backward pass needs. Gradients in ``parameters()`` order: W1, b1, W2, b2, ..."""
        fns, weights = self.activation_fns, self.weights
        a, zs, outs = X, [], [X]
        for W, b, f in zip(weights, self.biases, fns):
            z = a @ W.T + b
            a = f.value(z)
            zs.append(z)
            outs.append(a)
        if self._fused:
            delta = self.loss_fn.fused_delta(a, Y)
        else:
            delta = fns[-1].backward(z, a, self.loss_fn.grad(a, Y))
        grads = []
        for l in range(len(weights) - 1, -1, -1):
            a_prev = outs[l]
            grads.append(_sum_rows(delta, 0))
            grads.append(delta.T @ a_prev)
            if l:
                delta = fns[l - 1].backward(zs[l - 1], a_prev, delta @ weights[l])
        grads.reverse()
        return grads

    def gradients(self, X, Y):
        """(data loss, dW, db): the gradient of ``total_loss`` in training mode (batch
        statistics, a dropout mask drawn without advancing the generator), before clipping."""
        X, Y = self._check_xy(X, Y)
        rng = _copy.deepcopy(self.rng) if self.dropout else None
        with np.errstate(all="ignore"):
            loss, _, dW, db = self._backprop(X, Y, rng)
        for g, W in zip(dW, self.weights):
            reg.add_penalty_gradient(g, W, self.l1, self.l2)
        return loss, dW, db

    def all_gradients(self, X, Y):
        """Like ``gradients`` but for every array of ``parameters()`` (incl. γ, β)."""
        X, Y = self._check_xy(X, Y)
        rng = _copy.deepcopy(self.rng) if self.dropout else None
        with np.errstate(all="ignore"):
            loss, grads, dW, _ = self._backprop(X, Y, rng)
        for g, W in zip(dW, self.weights):
            reg.add_penalty_gradient(g, W, self.l1, self.l2)
        return loss, grads

    # ----- training ----------------------------------------------------------------------

    def _step(self, X, Y, params, trainable, want_loss=False, record=False, plain=False):
        """One update on one batch: gradients → clipping → L1/L2 terms → optimizer.

        No validation here (callers check the data once). Returns the data loss (when
        ``want_loss``) or, with ``record``, every intermediate number for ``trace.py``."""
        if plain:
            loss, grads = None, self._plain_gradients(X, Y)
        else:
            result = self._backprop(X, Y, self.rng, True, want_loss, record)
            loss, grads = result[0], result[1]
        clip = None
        if self.clip_norm is not None:
            live = [g for g, t in zip(grads, trainable) if t]
            norm, factor = reg.clip_by_global_norm(live, self.clip_norm)
            clip = {"norm": norm, "factor": factor, "max_norm": self.clip_norm}
        if record:
            data_grads = [g.copy() for g in grads]
        if self.l1 or self.l2:
            dW = grads[0::2] if plain else result[2]
            for l, (g, W) in enumerate(zip(dW, self.weights)):
                if l not in self.frozen_layers:
                    reg.add_penalty_gradient(g, W, self.l1, self.l2)
        updates = [] if record else None
        self.optimizer.step(params, grads, trainable, updates)
        self.steps += 1
        if not record:
            return loss
        _, _, _, db, cache, deltas = result
        return {"loss": loss, "cache": cache, "db": db, "deltas": deltas,
                "data_grads": data_grads, "grads": grads, "clip": clip, "updates": updates}

    def train_step(self, X, Y, record=False):
        """One update on the batch (X, Y); returns the data loss before it (or, with
        ``record``, every intermediate number: see ``trace.py``)."""
        X, Y = self._check_xy(X, Y)
        with np.errstate(all="ignore"):
            return self._step(X, Y, self.parameters(), self.trainable_mask(), True, record)

    def train_epoch(self, X, Y, batch_size=None, shuffle=True):
        """One pass over (X, Y) in mini-batches of ``batch_size`` (all samples if None)."""
        X, Y = self._check_xy(X, Y)
        n = X.shape[0]
        if batch_size is None:
            batch_size = n
        batch_size = check_int(batch_size, "batch_size", "invalid_batch_size", "batch size",
                               "El tamaño del lote", ge=1, le=n)
        order = self.rng.permutation(n) if shuffle else np.arange(n)
        # The hot path: parameters and flags are gathered once per epoch, nothing is recorded.
        params, trainable = self.parameters(), self.trainable_mask()
        plain = not self.dropout and all(bn is None for bn in self.batch_norms)
        with np.errstate(all="ignore"):
            for start in range(0, n, batch_size):
                idx = order[start:start + batch_size]
                self._step(X[idx], Y[idx], params, trainable, plain=plain)

    def is_finite(self) -> bool:
        return all(np.isfinite(p).all() for p in self.parameters())

    # ----- validation --------------------------------------------------------------------

    def _check_x(self, X, field="inputs"):
        X = _as_float_array(X, field)
        if X.ndim == 1 and self.sizes[0] == X.shape[0]:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.sizes[0] or X.shape[0] == 0:
            raise BackpropError(
                "invalid_shape" if X.size else "empty_data",
                f"{field}: expected a non-empty matrix with {self.sizes[0]} columns (one row per "
                f"sample), got shape {X.shape}",
                f"{field}: hacen falta datos: una matriz no vacía con {self.sizes[0]} columnas "
                "(una fila por muestra).",
                field,
            )
        if not np.all(np.isfinite(X)):
            raise BackpropError("non_finite", f"{field}: every value must be finite",
                                f"{field}: todos los valores deben ser números finitos.", field)
        return X

    def _check_xy(self, X, Y):
        X = self._check_x(X)
        Y = _as_float_array(Y, "targets")
        n_out = self.sizes[-1]
        if Y.ndim == 1 and n_out == 1:
            Y = Y[:, None]
        if Y.ndim != 2 or Y.shape != (X.shape[0], n_out):
            raise BackpropError(
                "invalid_shape",
                f"targets: expected shape ({X.shape[0]}, {n_out}) (one row per input sample), "
                f"got {Y.shape}",
                f"targets: los objetivos deben tener {X.shape[0]} filas (una por muestra) y "
                f"{n_out} columnas (una por neurona de salida).",
                "targets",
            )
        if not np.all(np.isfinite(Y)):
            raise BackpropError("non_finite", "targets: every value must be finite",
                                "targets: todos los valores deben ser números finitos.", "targets")
        self.loss_fn.check_targets(Y)
        return X, Y

    # ----- serialization -----------------------------------------------------------------

    def to_dict(self) -> dict:
        from .serialization import network_to_dict
        return network_to_dict(self)

    @classmethod
    def from_dict(cls, d) -> "Network":
        from .serialization import network_from_dict
        return network_from_dict(d)


# Σ over samples, ``_sum_rows(a, 0)``: the very reduction ``a.sum(axis=0)`` runs, without the
# Python-level wrapper that makes ``ndarray.sum`` cost ~25 % more on a training step's arrays.
_sum_rows = np.add.reduce


def _as_float_array(value, field):
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise BackpropError(
            "invalid_shape", f"{field}: expected numbers in a (nested) list",
            f"{field}: hacen falta números en una lista (o lista de listas).", field) from None
    return arr


def _check_sizes(sizes):
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


def _check_param_list(values, sizes, field):
    n_layers = len(sizes) - 1
    if not isinstance(values, (list, tuple)) or len(values) != n_layers:
        raise BackpropError(
            f"invalid_{field}", f"{field}: expected one entry per non-input layer ({n_layers})",
            f"{field}: hace falta una entrada por capa que no sea la de entrada ({n_layers}).",
            field)
    out = []
    for l, v in enumerate(values):
        shape = (sizes[l + 1], sizes[l]) if field == "weights" else (sizes[l + 1],)
        arr = _as_float_array(v, f"{field}[{l}]")
        if arr.shape != shape:
            what_en = "(out, in)" if field == "weights" else "(out,)"
            raise BackpropError(
                "invalid_shape",
                f"{field}[{l}]: expected shape {shape} {what_en}, got {arr.shape}",
                f"{field}[{l}]: la forma debe ser {shape} "
                + ("(neuronas de la capa × entradas)." if field == "weights" else
                   "(una por neurona de la capa)."),
                f"{field}[{l}]")
        if not np.all(np.isfinite(arr)):
            raise BackpropError("non_finite", f"{field}[{l}]: every value must be finite",
                                f"{field}[{l}]: todos los valores deben ser números finitos.",
                                f"{field}[{l}]")
        out.append(arr.copy())
    return out


def _check_frozen(frozen, n_layers):
    if not isinstance(frozen, (list, tuple)) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n_layers for i in frozen):
        raise BackpropError(
            "invalid_frozen_layers",
            f"frozen_layers: expected a list of layer indices between 0 and {n_layers - 1}",
            f"frozen_layers debe ser una lista de índices de capa entre 0 y {n_layers - 1}.",
            "frozen_layers")
    return sorted(set(frozen))


def _check_frozen_names(frozen, bn_flags):
    names = []
    for l, bn in enumerate(bn_flags):
        names += [f"W{l + 1}"] + ([f"gamma{l + 1}", f"beta{l + 1}"] if bn else [f"b{l + 1}"])
    if not isinstance(frozen, (list, tuple)) or not all(
            isinstance(n, str) and n in names for n in frozen):
        raise BackpropError(
            "invalid_frozen",
            f"frozen: expected a list of parameter names among {', '.join(names)}",
            f"frozen debe ser una lista de nombres de parámetros: {', '.join(names)}.",
            "frozen")
    return sorted(set(frozen), key=names.index)


def _check_batch_norm(batch_norm, n_layers):
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
