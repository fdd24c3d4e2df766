"""Activation functions: each one's value and derivative side by side.

``value(z)`` maps the net input ``z`` of a layer to its activation ``a``; ``derivative(z, a)``
returns ``∂a/∂z`` element by element (softmax, whose Jacobian is not diagonal, instead offers
``backward``). Every formula is written to stay finite for inputs like ±1000. The symbolic
``formula`` texts write the words of piecewise rules as ``{when}``/``{otherwise}``: the trace
fills them in the reader's language.
"""

import numpy as np

from .errors import BackpropError, unknown_function


class Activation:
    name = ""
    formula = ""
    derivative_formula = ""
    elementwise = True

    def value(self, z):
        raise NotImplementedError

    def derivative(self, z, a):
        raise NotImplementedError

    def backward(self, z, a, grad_a):
        """∂L/∂z from ∂L/∂a (the chain rule through this activation)."""
        return grad_a * self.derivative(z, a)

    def to_dict(self):
        return {"name": self.name}


class Sigmoid(Activation):
    name = "sigmoid"
    formula = "a = 1 / (1 + e^(-z))"
    derivative_formula = "∂a/∂z = a·(1 − a)"

    def value(self, z):
        # The tanh form never evaluates e^1000, so large |z| cannot overflow.
        return 0.5 * np.tanh(0.5 * z) + 0.5

    def derivative(self, z, a):
        return a * (1.0 - a)

    def backward(self, z, a, grad_a):
        return grad_a * (a * (1.0 - a))  # the derivative inline: this runs every step


class Tanh(Activation):
    name = "tanh"
    formula = "a = tanh(z)"
    derivative_formula = "∂a/∂z = 1 − a²"

    def value(self, z):
        return np.tanh(z)

    def derivative(self, z, a):
        return 1.0 - a * a

    def backward(self, z, a, grad_a):
        return grad_a * (1.0 - a * a)  # the derivative inline: this runs every step


class ReLU(Activation):
    name = "relu"
    formula = "a = max(0, z)"
    derivative_formula = "∂a/∂z = 1 {when} z > 0, {otherwise} 0"

    def value(self, z):
        return np.maximum(z, 0.0)

    def derivative(self, z, a):
        # At exactly z = 0 the derivative is taken as 0, as PyTorch does.
        return (z > 0.0).astype(np.float64)


class LeakyReLU(Activation):
    name = "leaky_relu"
    derivative_formula = "∂a/∂z = 1 {when} z > 0, {otherwise} α"

    def __init__(self, negative_slope=0.01):
        self.negative_slope = float(negative_slope)
        self.formula = f"a = z {{when}} z > 0, {{otherwise}} α·z (α = {self.negative_slope:g})"

    def value(self, z):
        return np.where(z > 0.0, z, self.negative_slope * z)

    def derivative(self, z, a):
        return np.where(z > 0.0, 1.0, self.negative_slope)

    def to_dict(self):
        return {"name": self.name, "negative_slope": self.negative_slope}


class Linear(Activation):
    name = "linear"
    formula = "a = z"
    derivative_formula = "∂a/∂z = 1"

    def value(self, z):
        return z

    def derivative(self, z, a):
        return np.ones_like(z)

    def backward(self, z, a, grad_a):
        return grad_a


class Softmax(Activation):
    name = "softmax"
    formula = "a_j = e^(z_j) / Σ_k e^(z_k)"
    derivative_formula = "∂a_j/∂z_k = a_j·(1[j=k] − a_k)"
    elementwise = False

    def value(self, z):
        # Shifting by the row maximum changes nothing mathematically and avoids overflow.
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def derivative(self, z, a):
        """Diagonal of the Jacobian, a_j·(1 − a_j): shown in traces, not used for δ."""
        return a * (1.0 - a)

    def backward(self, z, a, grad_a):
        # Jacobian-vector product: δ_j = a_j·(g_j − Σ_k g_k·a_k).
        return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))


_CLASSES = {c.name: c for c in (Sigmoid, Tanh, ReLU, LeakyReLU, Linear, Softmax)}
ACTIVATION_NAMES = tuple(_CLASSES)


def get_activation(spec, field="activations"):
    """An Activation from a name (``"tanh"``) or a dict (``{"name": "leaky_relu",
    "negative_slope": 0.1}``)."""
    if isinstance(spec, Activation):
        return spec
    params = {}
    if isinstance(spec, dict):
        params = {k: v for k, v in spec.items() if k != "name"}
        spec = spec.get("name")
    if not isinstance(spec, str) or spec not in _CLASSES:
        raise unknown_function("unknown_activation", field, spec, ACTIVATION_NAMES,
                               "activation", "función de activación")
    if spec == "leaky_relu":
        slope = params.pop("negative_slope", 0.01)
        if isinstance(slope, bool) or not isinstance(slope, (int, float)) or not np.isfinite(slope):
            raise BackpropError(
                "invalid_negative_slope",
                f"{field}: negative_slope must be a finite number",
                f"{field}: la pendiente negativa (negative_slope) debe ser un número finito.",
                field,
            )
        act = LeakyReLU(slope)
    else:
        act = _CLASSES[spec]()
    if params:
        raise BackpropError(
            "unknown_parameter",
            f"{field}: unexpected parameter(s) {sorted(params)} for {spec}",
            f"{field}: parámetro(s) no esperado(s) {sorted(params)} para {spec}.",
            field,
        )
    return act
