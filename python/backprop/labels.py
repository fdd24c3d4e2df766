"""Every name the engine shows a reader, in Spanish and English, declared once.

    label("activation", "tanh", "en")  ->  "hyperbolic tangent"

``LABELS`` maps a group (the config field a choice belongs to, or ``classes``, ``features``,
``trace``…) to key -> {"es", "en"}. The session picks the language from its config field
``lang``; ``python3 build.py contract`` copies this table into the contract the widget and the
Hugo module read. Append new groups and keys; do not reorder (other modules look them up).
"""

LANGS = ("es", "en")


def _pair(es, en):
    return {"es": es, "en": en}


LABELS = {
    "activation": {
        "sigmoid": _pair("sigmoide", "sigmoid"),
        "tanh": _pair("tangente hiperbólica", "hyperbolic tangent"),
        "relu": _pair("ReLU", "ReLU"),
        "leaky_relu": _pair("ReLU con fuga", "leaky ReLU"),
        "linear": _pair("lineal", "linear"),
        "softmax": _pair("softmax", "softmax"),
        "auto": _pair("automática", "automatic"),
    },
    "loss": {
        "mse": _pair("error cuadrático medio", "mean squared error"),
        "sse_half": _pair("mitad de la suma de errores al cuadrado", "half the sum of squared errors"),
        "bce": _pair("entropía cruzada binaria", "binary cross-entropy"),
        "ce": _pair("entropía cruzada", "cross-entropy"),
        "auto": _pair("automática", "automatic"),
    },
    "optimizer": {
        "sgd": _pair("SGD", "SGD"),
        "momentum": _pair("momento", "momentum"),
        "nesterov": _pair("Nesterov", "Nesterov"),
        "rmsprop": _pair("RMSProp", "RMSProp"),
        "adam": _pair("Adam", "Adam"),
    },
    "init": {
        "xavier_uniform": _pair("Xavier (Glorot) uniforme", "Xavier (Glorot) uniform"),
        "xavier_normal": _pair("Xavier (Glorot) normal", "Xavier (Glorot) normal"),
        "he_uniform": _pair("He uniforme", "He uniform"),
        "he_normal": _pair("He normal", "He normal"),
        "small_uniform": _pair("uniforme pequeña", "small uniform"),
        "zeros": _pair("ceros", "zeros"),
    },
    "dataset": {
        "circle": _pair("Círculo", "Circle"),
        "xor": _pair("XOR", "XOR"),
        "gauss": _pair("Dos nubes gaussianas", "Two Gaussian clouds"),
        "spiral": _pair("Espiral", "Spiral"),
        "moons": _pair("Dos lunas", "Two moons"),
        "plane": _pair("Plano (regresión)", "Plane (regression)"),
        "multigauss": _pair("Campanas gaussianas (regresión)", "Gaussian bumps (regression)"),
        "multiclass": _pair("Tres clases", "Three classes"),
        "radiografias": _pair("Radiografías (sintéticas)", "X-rays (synthetic)"),
        "csv": _pair("Datos propios (CSV)", "Custom data (CSV)"),
    },
    # What each data set is, shown next to its name.
    "dataset_description": {
        "circle": _pair("Un círculo de una clase rodeado por un anillo de la otra.",
                        "A disc of one class inside a ring of the other."),
        "xor": _pair("XOR: la clase depende de si x₁ y x₂ tienen el mismo signo.",
                     "XOR: the class depends on whether x₁ and x₂ have the same sign."),
        "gauss": _pair("Dos nubes gaussianas, separables por una recta.",
                       "Two Gaussian clouds, separable by a straight line."),
        "spiral": _pair("Dos espirales entrelazadas: necesita capas ocultas.",
                        "Two intertwined spirals: hidden layers are needed."),
        "moons": _pair("Dos medias lunas encajadas.", "Two interlocking half moons."),
        "plane": _pair("Regresión: un plano inclinado, y = (x₁ + x₂) / 12.",
                       "Regression: a tilted plane, y = (x₁ + x₂) / 12."),
        "multigauss": _pair("Regresión: suma de varias campanas gaussianas positivas y "
                            "negativas.",
                            "Regression: a sum of positive and negative Gaussian bumps."),
        "multiclass": _pair("Tres nubes gaussianas, una por clase.",
                            "Three Gaussian clouds, one per class."),
        "radiografias": _pair("Datos SINTÉTICOS inventados para el ejemplo de las radiografías: "
                              "no son datos médicos reales.",
                              "SYNTHETIC data made up for the X-ray example: not real medical "
                              "data."),
        "csv": _pair("Datos cargados desde un CSV.", "Data loaded from a CSV file."),
    },
    # Class names: "class" + a number is built by class_name(); these are the named ones.
    "classes": {
        "class": _pair("clase", "class"),
        "normal": _pair("normal", "normal"),
        "pathological": _pair("patológica", "pathological"),
    },
    "features": {
        "x1": _pair("x₁", "x₁"),
        "x2": _pair("x₂", "x₂"),
        "opacity": _pair("opacidad", "opacity"),
        "lesion_size": _pair("tamaño de la lesión (cm)", "lesion size (cm)"),
    },
    "split": {
        "train": _pair("entrenamiento", "training"),
        "val": _pair("validación", "validation"),
    },
    # Kinds of trainable parameter.
    "param_kind": {
        "weight": _pair("peso", "weight"),
        "bias": _pair("sesgo", "bias"),
        "gamma": _pair("escala γ de la normalización por lotes",
                       "batch-normalization scale γ"),
        "beta": _pair("desplazamiento β de la normalización por lotes",
                      "batch-normalization shift β"),
    },
    # The same kinds after "of" (Spanish: de + article, which follows the noun's gender).
    "param_kind_of": {
        "weight": _pair("del peso", "of the weight"),
        "bias": _pair("del sesgo", "of the bias"),
        "gamma": _pair("de la escala γ de la normalización por lotes",
                       "of the batch-normalization scale γ"),
        "beta": _pair("del desplazamiento β de la normalización por lotes",
                      "of the batch-normalization shift β"),
    },
    "lang": {
        "es": _pair("español", "Spanish"),
        "en": _pair("inglés", "English"),
    },
    # What each step-trace event computes (one label per event kind).
    "trace": {
        "z": _pair("Entrada neta z: suma ponderada de las entradas más el sesgo",
                   "Net input z: weighted sum of the inputs plus the bias"),
        "batch_norm": _pair("Normalización por lotes de z", "Batch normalization of z"),
        "a": _pair("Activación a = f(z)", "Activation a = f(z)"),
        "dropout": _pair("Dropout: la neurona se apaga o se escala",
                         "Dropout: the neuron is switched off or scaled"),
        "loss": _pair("Pérdida", "Loss"),
        "grad_a": _pair("∂L/∂a: cuánto cambia la pérdida con la activación",
                        "∂L/∂a: how the loss changes with the activation"),
        "da_dz": _pair("Derivada de la activación ∂a/∂z", "Derivative of the activation ∂a/∂z"),
        "delta": _pair("Delta δ = ∂L/∂z: regla de la cadena", "Delta δ = ∂L/∂z: chain rule"),
        "delta_bn": _pair("Delta antes de la normalización por lotes",
                          "Delta before batch normalization"),
        "grad_w": _pair("Gradiente del peso: delta por la activación que entra",
                        "Weight gradient: the delta times the incoming activation"),
        "grad_b": _pair("Gradiente del sesgo: la suma de los deltas",
                        "Bias gradient: the sum of the deltas"),
        "grad_gamma": _pair("Gradiente de la escala γ", "Gradient of the scale γ"),
        "grad_beta": _pair("Gradiente del desplazamiento β", "Gradient of the shift β"),
        "clip": _pair("Recorte del gradiente por norma global",
                      "Gradient clipping by global norm"),
        "frozen": _pair("Parámetro congelado: no cambia", "Frozen parameter: unchanged"),
        "update": _pair("Actualización del parámetro por el optimizador",
                        "Parameter update by the optimizer"),
        "loss_after": _pair("Pérdida después de la actualización", "Loss after the update"),
    },
    # The engine's own step-trace labels (trace.py): one per event variant, with the names
    # they mention as {placeholders}; also the words inside its formulas.
    "trace_detail": {
        "z": _pair("Entrada neta z: suma ponderada de las entradas más el sesgo",
                   "Net input z: weighted sum of the inputs plus the bias"),
        "batch_norm": _pair("Normalización por lotes de z", "Batch normalization of z"),
        "a": _pair("Activación a (función {activation})", "Activation a ({activation} function)"),
        "dropout": _pair("Dropout: la neurona se apaga (0) o se escala por 1/(1 − p)",
                         "Dropout: the neuron is switched off (0) or scaled by 1/(1 − p)"),
        "loss": _pair("Pérdida ({loss})", "Loss ({loss})"),
        "grad_a_output": _pair("Derivada de la pérdida respecto a la salida",
                               "Derivative of the loss with respect to the output"),
        "grad_a_hidden": _pair("El error llega desde la capa siguiente a través de sus pesos",
                               "The error arrives from the next layer through its weights"),
        "da_dz": _pair("Derivada de la activación ({activation})",
                       "Derivative of the activation ({activation})"),
        "delta_fused": _pair(
            "Delta δ = ∂L/∂z: con {activation} y {loss} la regla de la cadena se simplifica",
            "Delta δ = ∂L/∂z: with {activation} and {loss} the chain rule simplifies"),
        "delta_softmax": _pair("Delta δ = ∂L/∂z a través de softmax (todas las salidas influyen)",
                               "Delta δ = ∂L/∂z through softmax (every output contributes)"),
        "delta": _pair("Delta δ = ∂L/∂z: regla de la cadena", "Delta δ = ∂L/∂z: chain rule"),
        "delta_bn": _pair("Delta antes de la normalización por lotes (∂L/∂z)",
                          "Delta before batch normalization (∂L/∂z)"),
        "grad_w": _pair("Gradiente del peso: delta de la neurona por la activación que entra",
                        "Weight gradient: the neuron's delta times the incoming activation"),
        "grad_b": _pair("Gradiente del sesgo: la suma de los deltas",
                        "Bias gradient: the sum of the deltas"),
        "grad_param": _pair("Gradiente {param_of}", "Gradient {param_of}"),
        "clip": _pair("Recorte del gradiente por norma global",
                      "Gradient clipping by global norm"),
        "frozen": _pair("Parámetro congelado ({param}): no cambia",
                        "Frozen parameter ({param}): unchanged"),
        "update": _pair("Actualización {param_of} ({optimizer})",
                        "Update {param_of} ({optimizer})"),
        "loss_after": _pair("Pérdida después de la actualización", "Loss after the update"),
        "formula_dropout": _pair(" (·m/(1 − p) con dropout)", " (·m/(1 − p) with dropout)"),
        "formula_clip": _pair("g ← g · min(1, máx/(‖g‖ + 10⁻⁶))",
                              "g ← g · min(1, max/(‖g‖ + 10⁻⁶))"),
        # the {when} and {otherwise} of the activations' piecewise formulas
        "formula_when": _pair("si", "if"),
        "formula_otherwise": _pair("si no", "else"),
    },
    # The factors of one path of the chain-rule view (chainrule.py), one per kind.
    "chain_rule": {
        "grad_a_output": _pair("Cuánto cambia la pérdida con la salida (∂L/∂a)",
                               "How the loss changes with the output (∂L/∂a)"),
        "grad_z_output": _pair("Pérdida y activación de salida juntas (∂L/∂z)",
                               "Loss and output activation together (∂L/∂z)"),
        "softmax_jacobian": _pair("Cómo cambia esa salida de softmax con esta z",
                                  "How that softmax output changes with this z"),
        "da_dz": _pair("Derivada de la activación (∂a/∂z)",
                       "Derivative of the activation (∂a/∂z)"),
        "weight": _pair("Peso del camino", "Weight on the path"),
        "dropout": _pair("Máscara de dropout: 0 apagada, 1/(1 − p) encendida",
                         "Dropout mask: 0 off, 1/(1 − p) kept"),
        "input": _pair("Activación que multiplica el peso", "Activation the weight multiplies"),
        "bias_input": _pair("El sesgo multiplica a 1", "The bias multiplies 1"),
    },
    # The nodes of the autograd graph (autograd.py): leaves by kind, operations by name.
    "autograd": {
        "input": _pair("Entrada de la neurona", "Input of the neuron"),
        "parameter": _pair("Parámetro de la neurona", "Parameter of the neuron"),
        "constant": _pair("Constante en este grafo", "Constant in this graph"),
        "add": _pair("Suma", "Sum"),
        "mul": _pair("Producto", "Product"),
        "sigmoid": _pair("Sigmoide", "Sigmoid"),
        "tanh": _pair("Tangente hiperbólica", "Hyperbolic tangent"),
        "relu": _pair("ReLU", "ReLU"),
        "leaky_relu": _pair("ReLU con fuga", "Leaky ReLU"),
        "linear": _pair("Lineal (identidad)", "Linear (identity)"),
        "softmax": _pair("Softmax", "Softmax"),
        "mse": _pair("Pérdida: error cuadrático medio", "Loss: mean squared error"),
        "sse_half": _pair("Pérdida: mitad de la suma de errores al cuadrado",
                          "Loss: half the sum of squared errors"),
        "bce": _pair("Pérdida: entropía cruzada binaria", "Loss: binary cross-entropy"),
        "ce": _pair("Pérdida: entropía cruzada", "Loss: cross-entropy"),
    },
}


def label(group, key, lang="es"):
    """The reader's name for ``key`` of ``group`` in ``lang`` (Spanish when unknown)."""
    entry = LABELS[group][key]
    return entry.get(lang) or entry["es"]


def class_name(i, lang="es"):
    """"clase 1" / "class 1"."""
    return f"{label('classes', 'class', lang)} {i}"
