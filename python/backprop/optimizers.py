"""Optimizers with PyTorch's update rules and default hyper-parameters.

Each optimizer keeps its state (velocities, moment estimates) in plain lists of arrays, one per
parameter, so that the widget can show it and serialization can save it. ``step`` updates the
parameters in place; with ``record`` it also appends, per parameter, the terms of the update.
Every rule is element by element, so ``step_flat`` applies it to all parameters at once when
they and the state are views of flat vectors (``flatparams``): the same numbers, fewer calls.

``g`` below is the gradient after clipping and after the L1/L2 terms were added.
"""

import numpy as np

from .errors import BackpropError, check_number


class Optimizer:
    name = ""
    formula = ""
    state_names = ()
    defaults = {}

    def __init__(self, learning_rate, **hyper):
        self.learning_rate = learning_rate
        self.hyper = hyper
        self.t = 0
        self.state = {key: [] for key in self.state_names}
        self.packed_state = None  # flatparams.pack_state

    def ensure_state(self, params):
        """A zero state array per parameter for each state name, unless it has them."""
        for key in self.state_names:
            buf = self.state[key]
            if len(buf) != len(params):
                self.state[key] = [np.zeros_like(p) for p in params]

    def step(self, params, grads, trainable, record=None):
        """Update each trainable parameter in place; with ``record`` (a list), append per
        parameter its old value, gradient, optimizer state, step and new value (None if frozen)."""
        self.ensure_state(params)
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            if not trainable[i]:
                if record is not None:
                    record.append(None)
                continue
            state = [self.state[key][i] for key in self.state_names]
            if record is None:
                self._update(p, g, state)
            else:
                old = p.copy()
                extra = self._update(p, g, state) or {}
                record.append({"old": old, "g": g.copy(),
                               **{key: s.copy() for key, s in zip(self.state_names, state)},
                               **extra, "step": old - p, "new": p.copy()})

    def step_flat(self, flat, flat_grad, flat_state):
        """``step`` with every parameter trainable, on the flat vectors the parameters, their
        gradients and the state (in ``state_names`` order) are views of."""
        self.t += 1
        self._update(flat, flat_grad, flat_state)

    def _update(self, p, g, state):
        """The update rule (in place) for parameter ``p`` with its state arrays in
        ``state_names`` order; may return extra terms to record."""
        raise NotImplementedError

    def config(self):
        return {"name": self.name, "learning_rate": self.learning_rate, **self.hyper}

    def state_dict(self):
        return {
            "t": self.t,
            **{key: [a.tolist() for a in bufs] for key, bufs in self.state.items()},
        }

    def load_state_dict(self, d, params):
        self.t = int(d["t"])
        for key in self.state_names:
            bufs = d.get(key) or []
            if len(bufs) == len(params):
                self.state[key] = [
                    np.array(b, dtype=np.float64).reshape(p.shape) for b, p in zip(bufs, params)
                ]
            else:
                self.state[key] = []


class SGD(Optimizer):
    name = "sgd"
    formula = "w ← w − η·g"

    def step(self, params, grads, trainable, record=None):
        if record is not None:
            return super().step(params, grads, trainable, record)
        # Plain SGD has no state: a direct loop keeps the hot path as short as hand-written code.
        self.t += 1
        lr = self.learning_rate
        for p, g, free in zip(params, grads, trainable):
            if free:
                p -= lr * g

    def _update(self, p, g, state):
        p -= self.learning_rate * g


class Momentum(Optimizer):
    name = "momentum"
    formula = "v ← μ·v + g;  w ← w − η·v"
    state_names = ("velocity",)
    defaults = {"momentum": 0.9}

    def _update(self, p, g, state):
        (v,) = state
        v *= self.hyper["momentum"]
        v += g
        p -= self.learning_rate * v


class Nesterov(Momentum):
    """Momentum's state and defaults; the step looks ahead along the new velocity."""
    name = "nesterov"
    formula = "v ← μ·v + g;  w ← w − η·(g + μ·v)"

    def _update(self, p, g, state):
        mu = self.hyper["momentum"]
        (v,) = state
        v *= mu
        v += g
        p -= self.learning_rate * (g + mu * v)


class RMSProp(Optimizer):
    name = "rmsprop"
    formula = "s ← α·s + (1 − α)·g²;  w ← w − η·g/(√s + ε)"
    state_names = ("square_avg",)
    defaults = {"alpha": 0.99, "eps": 1e-8}

    def _update(self, p, g, state):
        alpha = self.hyper["alpha"]
        (s,) = state
        s *= alpha
        s += (1.0 - alpha) * g * g
        p -= self.learning_rate * g / (np.sqrt(s) + self.hyper["eps"])


class Adam(Optimizer):
    name = "adam"
    formula = ("m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  "
               "w ← w − η·m̂/(√v̂ + ε), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)")
    state_names = ("exp_avg", "exp_avg_sq")
    defaults = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}

    def _update(self, p, g, state):
        b1, b2 = self.hyper["beta1"], self.hyper["beta2"]
        m, v = state
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * g * g
        m_hat = m / (1.0 - b1 ** self.t)
        v_hat = v / (1.0 - b2 ** self.t)
        p -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.hyper["eps"])
        return {"m_hat": m_hat, "v_hat": v_hat}


_CLASSES = {c.name: c for c in (SGD, Momentum, Nesterov, RMSProp, Adam)}
OPTIMIZER_NAMES = tuple(_CLASSES)
# PyTorch's default learning rates (torch.optim.SGD, RMSprop, Adam).
DEFAULT_LEARNING_RATES = {"sgd": 0.001, "momentum": 0.001, "nesterov": 0.001, "rmsprop": 0.01,
                          "adam": 0.001}

_HYPER_NAMES = {
    # name: (English, Spanish); the bounds are the session schema's fields of the same name
    "momentum": ("momentum", "El momento (momentum)"),
    "alpha": ("RMSProp's smoothing factor α", "El factor de suavizado α de RMSProp"),
    "beta1": ("Adam's β₁", "β₁ de Adam"),
    "beta2": ("Adam's β₂", "β₂ de Adam"),
    "eps": ("ε", "ε"),
}


def make_optimizer(spec, field="optimizer"):
    """An Optimizer from a dict like ``{"name": "adam", "learning_rate": 0.01}``."""
    if isinstance(spec, Optimizer):
        return spec
    if isinstance(spec, str):
        spec = {"name": spec}
    if not isinstance(spec, dict):
        raise BackpropError(
            "invalid_optimizer", f"{field}: expected an object with a name",
            "El optimizador debe ser un objeto con un nombre (name).", field)
    spec = dict(spec)
    name = spec.pop("name", "sgd")
    if name not in _CLASSES:
        raise BackpropError(
            "unknown_optimizer",
            f"{field}.name: unknown optimizer {name!r}; expected one of {', '.join(OPTIMIZER_NAMES)}",
            f"El optimizador {name!r} no existe; usa uno de estos: {', '.join(OPTIMIZER_NAMES)}.",
            f"{field}.name",
        )
    from .schema import number_bounds  # the schema reads OPTIMIZER_NAMES from this module
    cls = _CLASSES[name]
    lr = spec.pop("learning_rate", DEFAULT_LEARNING_RATES[name])
    lr = check_number(lr, f"{field}.learning_rate", "invalid_learning_rate", "learning rate",
                      "La tasa de aprendizaje", **number_bounds("learning_rate"))
    hyper = dict(cls.defaults)
    for key, value in spec.items():
        if key not in cls.defaults:
            raise BackpropError(
                "unknown_parameter",
                f"{field}.{key}: {name} takes no parameter {key!r}; "
                f"expected {', '.join(['learning_rate', *cls.defaults]) }",
                f"El optimizador {name} no tiene el parámetro {key!r}; admite: "
                f"{', '.join(['learning_rate', *cls.defaults])}.",
                f"{field}.{key}",
            )
        en, es = _HYPER_NAMES[key]
        hyper[key] = check_number(value, f"{field}.{key}", f"invalid_{key}", en, es,
                                  **number_bounds(key))
    return cls(lr, **hyper)
