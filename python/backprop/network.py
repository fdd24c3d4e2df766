"""A fully connected network that trains itself with backpropagation.

The network owns its parameters, its loss, its regularization, its optimizer and its random
generator (initialization, dropout masks, shuffling), so that one object holds every number of
a training run and serializes to one JSON-safe dict. Its arguments and data are checked by
``network_spec``; this module keeps the maths.

Orientation: ``weights[l]`` has shape (out, in): ``weights[l][j, i]`` connects neuron ``i`` of
layer ``l`` to neuron ``j`` of layer ``l + 1``. Data are row-per-sample: X (n, n_in).
"""

import copy as _copy
from functools import partial
from typing import NamedTuple

import numpy as np

from . import flatparams
from . import network_spec as spec
from . import regularization as reg
from .errors import check_int
from .initializers import initialize
from .layers import BatchNorm, dropout_mask
from .parameters import param_ids
from .rng import default_rng


class LayerCache(NamedTuple):
    """What the forward pass computed in one layer (what its backward pass needs)."""
    a_prev: np.ndarray     # the layer's input (the previous layer's output)
    z_linear: np.ndarray   # dense output W·a_prev + b
    bn: object             # BatchNormCache, or None without batch normalization
    z: np.ndarray          # the activation's input (z_linear after batch norm)
    h: np.ndarray          # the activation's output
    mask: object           # the dropout mask (already scaled by 1/(1 − p)), or None

    @property
    def a(self):
        """The layer's output, after dropout."""
        return self.h if self.mask is None else self.h * self.mask


# LayerCache((...)) without NamedTuple's Python-level __new__ (0.7 µs a call, per layer and
# step on the training path of networks with batch norm or dropout); the same as ``_make``.
_layer_cache = partial(tuple.__new__, LayerCache)


class LayerDeltas(NamedTuple):
    grad_a: np.ndarray     # ∂L/∂h, the activation's output (before dropout's mask)
    delta: np.ndarray      # ∂L/∂z, the activation's input
    delta_z: np.ndarray    # ∂L/∂z_linear (equals delta without batch norm)


class Gradients(NamedTuple):
    """The gradient of ``total_loss`` in training mode, before clipping."""
    loss: float            # data loss
    weights: list          # ∂L/∂W per layer
    biases: list           # ∂L/∂b per layer (Σ δ, also for batch-normalized layers)
    params: list           # per array of ``parameters()`` (incl. γ, β)


class StepRecord(NamedTuple):
    """Every intermediate number of one training step (``trace.py``)."""
    loss: float
    cache: list            # LayerCache per layer
    deltas: list           # LayerDeltas per layer
    db: list               # ∂L/∂b per layer
    data_grads: list       # data-loss gradients after clipping, in parameters() order
    clip: dict | None      # {"norm", "factor", "max_norm"} when clipping is on
    updates: list          # per parameter: the optimizer's record, or None when frozen


class Network:
    def __init__(self, sizes, activations=None, loss="mse", *, weights=None, biases=None,
                 init="xavier_uniform", seed=0, init_scale=0.5, init_gain=1.0, optimizer=None,
                 l1=0.0, l2=0.0, clip_norm=None, train_biases=True, frozen_layers=(),
                 batch_norm=False, dropout=0.0, frozen=()):
        s = spec.check_network(
            sizes, activations, loss, weights=weights, biases=biases, init=init, seed=seed,
            init_scale=init_scale, init_gain=init_gain, optimizer=optimizer, l1=l1, l2=l2,
            clip_norm=clip_norm, train_biases=train_biases, frozen_layers=frozen_layers,
            batch_norm=batch_norm, dropout=dropout, frozen=frozen)
        rng = default_rng(s.seed)
        W = initialize(s.init, s.sizes, rng, scale=s.init_scale, gain=s.init_gain)[0] \
            if s.weights is None else s.weights
        b = [np.zeros(n) for n in s.sizes[1:]] if s.biases is None else s.biases

        # Everything is valid: only now does the object take its state.
        self.sizes = s.sizes
        self.activations = [a.name for a in s.activations]
        self.activation_fns = s.activations
        self.loss_fn = s.loss
        self.weights = W
        self.biases = b
        self.batch_norms = [BatchNorm(n) if flag else None
                            for n, flag in zip(s.sizes[1:], s.bn_flags)]
        self.init = {"name": s.init, "seed": s.seed, "scale": s.init_scale, "gain": s.init_gain}
        self.optimizer = s.optimizer
        self.l1, self.l2 = s.l1, s.l2
        self.clip_norm = s.clip_norm
        self.train_biases = s.train_biases
        self.frozen_layers = s.frozen_layers
        self.frozen = s.frozen
        self.dropout = s.dropout
        self.rng = rng
        self.steps = 0
        self.packed = None  # (flat vector, its views): flatparams.pack
        # sigmoid + bce, softmax + ce: loss from z and the simplified δ = (a − y)/N
        self.fused = s.loss.partner == s.activations[-1].name

    # ----- configuration -----------------------------------------------------------------

    @classmethod
    def from_config(cls, config: dict) -> "Network":
        """A network from the CLI's config (docs/engine.md); data fields are ignored here."""
        return cls(**spec.config_arguments(config))

    def config(self) -> dict:
        """The normalized config, without weights and data."""
        return spec.network_config(self)

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

    def param_ids(self):
        """The ``ParamId`` (kind, layer) of every array of ``parameters()``, in order."""
        return param_ids([bn is not None for bn in self.batch_norms])

    def parameter_names(self):
        return [p.name for p in self.param_ids()]

    def trainable_mask(self):
        """Per array of ``parameters()``: False for frozen layers, named arrays in ``frozen``
        (e.g. ``"b2"``, ``"W1"``) and, with ``train_biases=False``, every bias."""
        return [p.layer - 1 not in self.frozen_layers and p.name not in self.frozen
                and (self.train_biases or p.kind != "bias") for p in self.param_ids()]

    def get_flat_params(self) -> np.ndarray:
        return np.concatenate([p.ravel() for p in self.parameters()])

    def set_flat_params(self, v) -> None:
        params = self.parameters()
        v = spec.check_flat_params(v, sum(p.size for p in params))
        offset = 0
        for p in params:
            p[...] = v[offset:offset + p.size].reshape(p.shape)
            offset += p.size

    def copy(self) -> "Network":
        return _copy.deepcopy(self)

    # ----- forward -----------------------------------------------------------------------

    def forward_cache(self, X, training, rng=None, update_stats=False):
        """Output and one ``LayerCache`` per layer. No checks: X is a checked (n, n_in)
        array. In training mode dropout masks come from ``rng`` and batch norm uses the
        batch's statistics (updating its running ones only when ``update_stats``)."""
        a = X
        cache = []
        last = len(self.weights) - 1
        drop = self.dropout if training else 0.0
        for l, (W, b, bn, act) in enumerate(
                zip(self.weights, self.biases, self.batch_norms, self.activation_fns)):
            a_prev = a
            z = a_prev @ W.T + b                 # dense: z = W·a_prev + b, one row per sample
            if bn is None:
                u, bn_cache = z, None
            else:
                u, bn_cache = bn.forward(z, training, update_stats)
            a = h = act.value(u)
            mask = None
            if drop and l < last:
                mask = dropout_mask(rng, h.shape, drop)
                a = h * mask
            cache.append(_layer_cache((a_prev, z, bn_cache, u, h, mask)))
        return a, cache

    def _checked_forward(self, X, training):
        """A forward pass that changes nothing (dropout masks from a copy of the generator)."""
        rng = _copy.deepcopy(self.rng) if training and self.dropout else None
        return self.forward_cache(self.check_x(X), training, rng)

    def forward(self, X, training=False) -> np.ndarray:
        return self._checked_forward(X, training)[0]

    def forward_layers(self, X, training=False):
        """(z, a) per non-input layer; z is the activation's input (after batch norm)."""
        return [(c.z, c.a) for c in self._checked_forward(X, training)[1]]

    def predict(self, X) -> np.ndarray:
        return self.forward(X)

    # ----- loss --------------------------------------------------------------------------

    def loss_from_cache(self, cache, Y) -> float:
        """The data loss of a forward pass (from z when the loss is fused with its output)."""
        last = cache[-1]
        if self.fused:
            return self.loss_fn.value_from_logits(last.z, Y)
        return self.loss_fn.value(last.h, Y)

    def loss(self, X, Y) -> float:
        """Data loss in evaluation mode (no dropout, batch norm with running statistics)."""
        X, Y = self.check_xy(X, Y)
        with np.errstate(all="ignore"):
            return self.loss_from_cache(self.forward_cache(X, False)[1], Y)

    def penalty(self) -> float:
        return reg.penalty(self.weights, self.l1, self.l2)

    def total_loss(self, X, Y) -> float:
        return self.loss(X, Y) + self.penalty()

    # ----- backward ----------------------------------------------------------------------

    def _backprop(self, X, Y, rng, update_stats=False, want_loss=True, record=False):
        """Data loss, ∂L/∂param for every parameter (in ``parameters()`` order), ∂L/∂W and
        ∂L/∂b per layer, and, when ``record``, the forward cache and the deltas for the trace."""
        _, cache = self.forward_cache(X, True, rng, update_stats)
        loss = self.loss_from_cache(cache, Y) if want_loss else None
        n_layers = len(cache)
        acts, bns, weights = self.activation_fns, self.batch_norms, self.weights
        dW, db = [None] * n_layers, [None] * n_layers
        grads = []                           # filled from the last layer back, reversed at the end
        deltas = [None] * n_layers if record else None
        _, _, _, u, h, _ = cache[-1]
        if self.fused:
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
                deltas[l] = LayerDeltas(grad_h, delta, delta_z)
        grads.reverse()
        if record:
            return loss, grads, dW, db, cache, deltas
        return loss, grads, dW, db

    def _plain_gradients(self, X, Y, grads):
        """The training hot path for networks without batch norm and dropout: the arithmetic
        of ``_backprop`` (same operations, same order, same results) keeping only what the
        backward pass needs, written into ``grads`` (W1, b1, W2, b2, ... in place)."""
        fns, weights = self.activation_fns, self.weights
        a, zs, outs = X, [], [X]
        for W, b, f in zip(weights, self.biases, fns):
            z = a @ W.T + b
            a = f.value(z)
            zs.append(z)
            outs.append(a)
        if self.fused:
            delta = self.loss_fn.fused_delta(a, Y)
        else:
            delta = fns[-1].backward(z, a, self.loss_fn.grad(a, Y))
        for l in range(len(weights) - 1, -1, -1):
            a_prev = outs[l]
            _sum_rows(delta, 0, out=grads[2 * l + 1])
            np.matmul(delta.T, a_prev, out=grads[2 * l])
            if l:
                delta = fns[l - 1].backward(zs[l - 1], a_prev, delta @ weights[l])
        return grads

    def gradients(self, X, Y) -> Gradients:
        """The gradient of ``total_loss`` in training mode (batch statistics, a dropout mask
        drawn without advancing the generator), before clipping: per layer (``weights``,
        ``biases``) and per array of ``parameters()`` (``params``, the same arrays)."""
        X, Y = self.check_xy(X, Y)
        rng = _copy.deepcopy(self.rng) if self.dropout else None
        with np.errstate(all="ignore"):
            loss, grads, dW, db = self._backprop(X, Y, rng)
        for g, W in zip(dW, self.weights):
            reg.add_penalty_gradient(g, W, self.l1, self.l2)
        return Gradients(loss, dW, db, grads)

    # ----- training ----------------------------------------------------------------------

    def _step(self, X, Y, params, trainable, want_loss=False, record=False, plain=None):
        """One update on one batch: gradients → clipping → L1/L2 terms → optimizer.

        No validation here (callers check the data once). ``plain``: the hot path's
        ``flatparams.PlainBuffers`` (no batch norm, no dropout). Returns the data loss (when
        ``want_loss``) or, with ``record``, a ``StepRecord`` for ``trace.py``."""
        if plain is not None:
            loss, grads = None, self._plain_gradients(X, Y, plain.grads)
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
            dW = grads[0::2] if plain is not None else result[2]
            for l, (g, W) in enumerate(zip(dW, self.weights)):
                if l not in self.frozen_layers:
                    reg.add_penalty_gradient(g, W, self.l1, self.l2)
        updates = [] if record else None
        if plain is not None and plain.flat is not None:
            self.optimizer.step_flat(*plain.flat)
        else:
            self.optimizer.step(params, grads, trainable, updates)
        self.steps += 1
        if not record:
            return loss
        _, _, _, db, cache, deltas = result
        return StepRecord(loss, cache, deltas, db, data_grads, clip, updates)

    def train_step(self, X, Y, record=False):
        """One update on the batch (X, Y); returns the data loss before it (or, with
        ``record``, a ``StepRecord`` of every intermediate number: see ``trace.py``)."""
        X, Y = self.check_xy(X, Y)
        with np.errstate(all="ignore"):
            return self._step(X, Y, self.parameters(), self.trainable_mask(), True, record)

    def train_epoch(self, X, Y, batch_size=None, shuffle=True):
        """One pass over (X, Y) in mini-batches of ``batch_size`` (all samples if None)."""
        self.epoch_trainer(X, Y, batch_size, shuffle)()

    def epoch_trainer(self, X, Y, batch_size=None, shuffle=True):
        """``train_epoch`` for several epochs in a row: checks the data and the batch size and
        gathers the parameters once, and returns a function that runs one epoch per call.
        Nothing else may change the network's arrays or settings between those calls."""
        X, Y = self.check_xy(X, Y)
        n = X.shape[0]
        if batch_size is None:
            batch_size = n
        batch_size = check_int(batch_size, "batch_size", "invalid_batch_size", "batch size",
                               "El tamaño del lote", ge=1, le=n)
        trainable = self.trainable_mask()
        plain = flatparams.plain_buffers(self, trainable) if not self.dropout else None
        params = self.parameters()  # after packing (views)

        def run_epoch():
            order = self.rng.permutation(n) if shuffle else np.arange(n)
            # Shuffled once, then sliced: the rows X[order[start:end]] holds, in one copy.
            Xs, Ys = X[order], Y[order]
            with np.errstate(all="ignore"):
                for start in range(0, n, batch_size):
                    end = start + batch_size
                    self._step(Xs[start:end], Ys[start:end], params, trainable, plain=plain)
        return run_epoch

    def is_finite(self) -> bool:
        return all(np.isfinite(p).all() for p in self.parameters())

    # ----- data --------------------------------------------------------------------------

    def check_x(self, X, field="inputs"):
        """X as a finite (n, n_in) float array, or a BackpropError naming ``field``."""
        return spec.check_inputs(X, self.sizes[0], field)

    def check_xy(self, X, Y):
        """(X, Y) as finite float arrays that fit the network and its loss."""
        X = self.check_x(X)
        return X, spec.check_targets(Y, X.shape[0], self.sizes[-1], self.loss_fn)

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
