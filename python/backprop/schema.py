"""The session config, declared once: every field's type, default, bounds, kind and labels.

``FIELDS`` drives ``validate_config`` (session), the change classification of ``set_config``
(by ``kind``), the data set checks and, through ``python3 build.py contract``, the widget's
controls, the Hugo shortcode's validation and the tables in the docs. Nothing else may restate
a bound, a default or a choice list: change it here and run ``python3 build.py contract``.

Kinds say what a change rebuilds: ``data`` regenerates the points (and the network),
``structure`` rebuilds the network at epoch 0, ``training`` applies in place (weights, epoch and
history continue), ``presentation`` changes only what the reader sees (names, language).
"""

from typing import NamedTuple

from .activations import ACTIVATION_NAMES
from .datasets import DATASET_NAMES, MAX_SAMPLES
from .errors import BackpropError, check_bool, check_choice, check_int, check_number, subject_en
from .initializers import INIT_NAMES
from .labels import LANGS
from .losses import LOSS_NAMES
from .optimizers import OPTIMIZER_NAMES

KINDS = ("data", "structure", "training", "presentation")
GROUPS = ("data", "network", "learning", "regularization", "view")
HIDDEN_ACTIVATIONS = tuple(a for a in ACTIVATION_NAMES if a != "softmax")


class Field(NamedTuple):
    name: str
    type: str            # choice | int | number | bool | int_list | choice_list | optional_number
    default: object
    kind: str
    group: str
    label: tuple         # (es, en) for the control form
    subject: tuple       # (es, en) as the subject of an error message: "La tasa de aprendizaje"
    help: tuple          # (es, en) one sentence
    choices: tuple = None
    min: float = None
    max: float = None
    min_exclusive: bool = False
    max_exclusive: bool = False
    item_min: int = None
    item_max: int = None
    max_length: int = None
    widget: dict = None  # narrower limits the widget and the shortcode offer
    code: str = None     # error code when refused (default invalid_<name>)

    @property
    def error_code(self):
        return self.code or f"invalid_{self.name}"

    def replace(self, **changes):
        """A copy with ``changes`` (a narrower bound, the widget's limits)."""
        return self._replace(**changes)


# The work limits of the widget's sessions, beyond each field's "widget" limits: the worker's
# Registry enforces both (backprop.limits), so no call on a reader's page keeps the worker busy
# for much more than a second; Python code and the CLI keep the engine's wider bounds.
WIDGET_LIMITS = {
    "parameters": 2500,             # weights and biases of the whole network
    "points": 1000,                 # data points of a session (generated or from a CSV)
    "example_work": 20_000,         # examples × parameters of one trace or gradient check
    "landscape_work": 300_000_000,  # grid points × training points × parameters of a landscape
    "compare_work": 30_000_000,     # optimizers × epochs × training points × parameters compared
}


def _decay(name, default, label, subject, used_by):
    """An optimizer's decay factor, in [0, 1); ``subject``, ``used_by``: (es, en)."""
    return Field(name, "number", default, "training", "learning", label, subject,
                 (f"Para {used_by[0]}.", f"For {used_by[1]}."),
                 min=0.0, max=1.0, max_exclusive=True)


FIELDS = (
    Field("dataset", "choice", "circle", "data", "data", ("Datos", "Data"),
          ("El conjunto de datos", "data set"),
          ("Los puntos con los que aprende la red.", "The points the network learns from."),
          choices=DATASET_NAMES, code="unknown_dataset"),
    Field("n_samples", "int", 200, "data", "data", ("Puntos", "Points"),
          ("El número de puntos", "number of points"),
          ("Cuántos puntos se generan en total.", "How many points are generated in total."),
          min=10, max=MAX_SAMPLES, widget={"max": WIDGET_LIMITS["points"]}),
    Field("noise", "number", 0.1, "data", "data", ("Ruido", "Noise"), ("El ruido", "noise"),
          ("Cuánto se desplazan los puntos al azar.", "How far the points are jittered."),
          min=0.0, max=2.0),
    Field("val_fraction", "number", 0.25, "data", "data",
          ("Fracción de validación", "Validation fraction"),
          ("La fracción de validación", "validation fraction"),
          ("Parte de los puntos que se aparta para validar.",
           "Share of the points held out for validation."),
          min=0.0, max=1.0, max_exclusive=True),
    Field("seed", "int", 0, "data", "data", ("Semilla", "Seed"), ("La semilla", "seed"),
          ("Fija los puntos y cuáles se apartan para validar.",
           "Fixes the points and which ones are held out for validation."),
          min=0, widget={"max": 2147483647}),
    Field("hidden", "int_list", [4, 2], "structure", "network", ("Capas ocultas", "Hidden layers"),
          ("Las capas ocultas", "hidden layers"),
          ("Neuronas de cada capa oculta.", "Neurons in each hidden layer."),
          item_min=1, item_max=256, max_length=16,
          widget={"item_max": 16, "max_length": 8}),
    Field("activation", "choice", "tanh", "structure", "network", ("Activación", "Activation"),
          ("La función de activación", "hidden activation"),
          ("Función de las neuronas ocultas.", "Function of the hidden neurons."),
          choices=HIDDEN_ACTIVATIONS, code="unknown_activation"),
    Field("activations", "choice_list", [], "structure", "network",
          ("Activación por capa", "Activation per layer"),
          ("Las activaciones por capa", "activations per layer"),
          ("Una función por capa oculta; vacía: «Activación» en todas.",
           "One function per hidden layer; empty: the \"Activation\" field for all."),
          choices=HIDDEN_ACTIVATIONS, max_length=16, widget={"max_length": 8}),
    Field("negative_slope", "number", 0.01, "structure", "network",
          ("Pendiente negativa", "Negative slope"),
          ("La pendiente negativa de ReLU con fuga", "negative slope"),
          ("Pendiente de ReLU con fuga para z < 0.", "Slope of leaky ReLU for z < 0.")),
    Field("output_activation", "choice", "auto", "structure", "network",
          ("Activación de salida", "Output activation"),
          ("La función de activación de la salida", "output activation"),
          ("«auto» elige según la tarea.", "\"auto\" chooses by task."),
          choices=("auto",) + ACTIVATION_NAMES, code="unknown_activation"),
    Field("loss", "choice", "auto", "structure", "network", ("Pérdida", "Loss"),
          ("La función de pérdida", "loss"),
          ("«auto» elige según la tarea.", "\"auto\" chooses by task."),
          choices=("auto",) + LOSS_NAMES, code="unknown_loss"),
    Field("init", "choice", "xavier_uniform", "structure", "network",
          ("Inicialización", "Initialization"), ("La inicialización", "initialization"),
          ("Cómo se eligen los pesos iniciales.", "How the initial weights are drawn."),
          choices=INIT_NAMES, code="unknown_init"),
    Field("init_gain", "number", 1.0, "structure", "network",
          ("Escala de la inicialización", "Initialization scale"),
          ("La escala de la inicialización", "initialization scale"),
          ("Multiplica los pesos iniciales; por encima de 1, el gradiente crece con la "
           "profundidad.", "Multiplies the initial weights; above 1, the gradient grows with depth."),
          min=0.01, max=10.0),
    Field("init_seed", "int", 0, "structure", "network",
          ("Semilla de los pesos", "Weight seed"), ("La semilla de los pesos", "weight seed"),
          ("Fija los pesos iniciales, el orden de los lotes y el dropout.",
           "Fixes the initial weights, the batch order and dropout."),
          min=0, widget={"max": 2147483647}),
    Field("batch_norm", "bool", False, "structure", "regularization",
          ("Normalización por lotes", "Batch normalization"),
          ("La normalización por lotes (batch_norm)", "Batch normalization (batch_norm)"),
          ("Normaliza cada capa oculta.", "Normalizes every hidden layer.")),
    Field("learning_rate", "number", 0.1, "training", "learning",
          ("Tasa de aprendizaje", "Learning rate"), ("La tasa de aprendizaje", "learning rate"),
          ("Tamaño de cada paso de descenso.", "Size of each descent step."),
          min=0.0, min_exclusive=True, widget={"max": 10.0}),
    Field("optimizer", "choice", "sgd", "training", "learning", ("Optimizador", "Optimizer"),
          ("El optimizador", "optimizer"),
          ("Regla que actualiza los pesos.", "Rule that updates the weights."),
          choices=OPTIMIZER_NAMES, code="unknown_optimizer"),
    _decay("momentum", 0.9, ("Momento", "Momentum"), ("El momento", "momentum"),
           ("momento y Nesterov", "momentum and Nesterov")),
    _decay("alpha", 0.99, ("α de RMSProp", "RMSProp α"),
           ("El factor α de RMSProp", "RMSProp's α"), ("RMSProp", "RMSProp")),
    _decay("beta1", 0.9, ("β₁ de Adam", "Adam β₁"), ("β₁ de Adam", "Adam's β₁"),
           ("Adam", "Adam")),
    _decay("beta2", 0.999, ("β₂ de Adam", "Adam β₂"), ("β₂ de Adam", "Adam's β₂"),
           ("Adam", "Adam")),
    Field("eps", "number", 1e-8, "training", "learning", ("ε", "ε"), ("ε", "ε"),
          ("Para RMSProp y Adam.", "For RMSProp and Adam."), min=0.0, min_exclusive=True),
    Field("batch_size", "int", 10, "training", "learning", ("Tamaño del lote", "Batch size"),
          ("El tamaño del lote", "batch size"),
          ("Puntos por paso; como mucho los de entrenamiento.",
           "Points per step; at most the training points."),
          min=1, max=MAX_SAMPLES, widget={"max": 1000}),
    Field("l1", "number", 0.0, "training", "regularization", ("L1", "L1"),
          ("La regularización L1", "L1 strength"), ("Penaliza |w|.", "Penalizes |w|."), min=0.0),
    Field("l2", "number", 0.0, "training", "regularization", ("L2", "L2"),
          ("La regularización L2", "L2 strength"), ("Penaliza w².", "Penalizes w²."), min=0.0),
    Field("dropout", "number", 0.0, "training", "regularization", ("Dropout", "Dropout"),
          ("La tasa de dropout", "dropout rate"),
          ("Probabilidad de apagar una neurona oculta al entrenar.",
           "Chance of switching a hidden neuron off while training."),
          min=0.0, max=1.0, max_exclusive=True),
    Field("clip_norm", "optional_number", None, "training", "regularization",
          ("Recorte del gradiente", "Gradient clipping"),
          ("El recorte del gradiente", "gradient clipping norm"),
          ("Norma máxima del gradiente (vacío: sin recorte).",
           "Largest gradient norm (empty: no clipping)."),
          min=0.0, min_exclusive=True),
    Field("train_biases", "bool", True, "training", "regularization",
          ("Entrenar los sesgos", "Train the biases"),
          ("Entrenar los sesgos", "Training the biases (train_biases)"),
          ("Si no, los sesgos no cambian.", "Otherwise the biases stay fixed.")),
    Field("lang", "choice", "es", "presentation", "view", ("Idioma", "Language"),
          ("El idioma", "language"),
          ("Idioma de los nombres de clases y variables.", "Language of class and feature names."),
          choices=LANGS),
)
FIELD = {f.name: f for f in FIELDS}

# The widget's control groups an author may show (buttons first, then the config groups).
CONTROL_GROUPS = ("train", "step", "reset") + GROUPS
# The `backpropagation` shortcode's parameters. "field" ones take the config field's choices
# and widget limits; presets (assets/backpropagation/presets.toml) use the same keys, with
# "hidden" and "controls" as TOML lists.
SHORTCODE = {
    "name": "backpropagation",
    "params": {
        "preset": {"type": "preset", "default": "default",
                   "help": ("Tabla de presets.toml que se aplica primero.",
                            "Table of presets.toml applied first.")},
        "dataset": {"field": "dataset"},
        "layers": {"field": "hidden", "min_length": 1, "preset_key": "hidden",
                   "help": ("Tamaños separados por comas, por ejemplo \"4,2\".",
                            "Comma-separated sizes, for example \"4,2\".")},
        "activation": {"field": "activation"},
        "learning_rate": {"field": "learning_rate"},
        "optimizer": {"field": "optimizer"},
        "batch_size": {"field": "batch_size"},
        "seed": {"field": "seed"},
        "lang": {"field": "lang", "help": ("Por defecto, el idioma de la página.",
                                           "By default, the page's language.")},
        "mode": {"type": "choice", "choices": ["explorar", "paso-a-paso", "entrenar"],
                 "default": "explorar",
                 "help": ("Modo inicial del widget.", "The widget's first mode.")},
        "controls": {"type": "choice_list", "choices": ["all", *CONTROL_GROUPS],
                     "default": "all", "empty_ok": True,
                     "help": ("Grupos de controles separados por comas; \"\" ninguno.",
                              "Comma-separated control groups; \"\" none.")},
        "height": {"type": "int", "min": 240, "max": 2000, "default": None,
                   "help": ("Altura en píxeles.", "Height in pixels.")},
        "id": {"type": "id", "pattern": "^[A-Za-z][A-Za-z0-9_-]{0,63}$", "default": None,
               "help": ("Identificador HTML; sin él, backprop-1, backprop-2…",
                        "HTML id; without it, backprop-1, backprop-2…")},
    },
}
DEFAULTS = {f.name: f.default for f in FIELDS}
ORDER = tuple(f.name for f in FIELDS)


def fields_of_kind(kind):
    return tuple(f.name for f in FIELDS if f.kind == kind)


def _number_bounds(f):
    bounds = {}
    if f.min is not None:
        bounds["gt" if f.min_exclusive else "ge"] = f.min
    if f.max is not None:
        bounds["lt" if f.max_exclusive else "le"] = f.max
    return bounds


def number_bounds(name):
    """``check_number``'s bounds (gt, ge, lt, le) of the number field ``name``: what checks
    outside the session config (the CLI's network config, optimizer specs) use."""
    return _number_bounds(FIELD[name])


def check_field(f, value, choices=None):
    """``value`` checked against field ``f`` (``choices`` overrides f.choices); returns it."""
    es, en = f.subject
    if f.type == "choice":
        return check_choice(value, choices or f.choices, f.name, f.error_code, en, es)
    if f.type == "int":
        return check_int(value, f.name, f.error_code, en, es, ge=f.min, le=f.max)
    if f.type == "bool":
        return check_bool(value, f.name, en, es)
    if f.type == "optional_number" and value is None:
        return None
    if f.type in ("number", "optional_number"):
        return check_number(value, f.name, f.error_code, en, es, **_number_bounds(f))
    if f.type == "choice_list":
        return _check_choice_list(f, value)
    return _check_int_list(f, value)


def _check_choice_list(f, value):
    if not (isinstance(value, (list, tuple)) and len(value) <= f.max_length
            and all(isinstance(v, str) and v in f.choices for v in value)):
        raise BackpropError(
            f.error_code,
            f"{subject_en(f.subject[1])} must be a list of at most {f.max_length} names, each "
            f"one of these: {', '.join(f.choices)}.",
            f"{f.subject[0]} deben ser una lista de como máximo {f.max_length} nombres, cada "
            f"uno de estos: {', '.join(f.choices)}.", f.name)
    return list(value)


def _check_layer_activations(c):
    """One activation per hidden layer, or none (every layer takes ``activation``)."""
    acts, n = c["activations"], len(c["hidden"])
    if acts and len(acts) != n:
        raise BackpropError(
            FIELD["activations"].error_code,
            f"The activations per layer must be as many as the hidden layers ({n}) or none "
            f"(then every layer uses “Activation”); there are {len(acts)}.",
            f"Las activaciones por capa deben ser tantas como capas ocultas ({n}) o ninguna "
            f"(entonces todas usan «Activación»); hay {len(acts)}.", "activations")


def _check_int_list(f, value):
    ok = isinstance(value, (list, tuple)) and len(value) <= f.max_length
    try:
        items = [check_int(v, f.name, f.error_code, "", "", ge=f.item_min, le=f.item_max)
                 for v in value] if ok else []
    except BackpropError:
        ok = False
    if not ok:
        raise BackpropError(
            f.error_code,
            f"{subject_en(f.subject[1])} must be a list of at most {f.max_length} sizes, each "
            f"a whole number from {f.item_min} to {f.item_max}.",
            f"{f.subject[0]} deben ser una lista de como máximo {f.max_length} tamaños, cada "
            f"uno un entero entre {f.item_min} y {f.item_max}.", f.name)
    return items


def check(name, value):
    """One field by name: ``schema.check("noise", 0.3)``."""
    return check_field(FIELD[name], value)


def validate_config(config, current_dataset_name=None, training_points=None) -> dict:
    """A complete, checked session config from a partial one (missing fields take defaults).

    ``current_dataset_name`` is also accepted as ``dataset`` (data loaded from a CSV);
    ``training_points``, when known, is also the largest ``batch_size``."""
    if not isinstance(config, dict):
        raise BackpropError("invalid_config", "config: expected an object",
                            "La configuración debe ser un objeto.", "config")
    unknown = sorted(set(config) - set(FIELD))
    if unknown:
        raise BackpropError("unknown_field", f"{unknown[0]}: unknown config field",
                            f"El campo «{unknown[0]}» no existe en la configuración.",
                            unknown[0])
    c = {**DEFAULTS, **config}
    for f in FIELDS:
        if f.name == "batch_size" and training_points is not None:
            f = f.replace(max=min(f.max, training_points))
        extra = (c[f.name],) if f.name == "dataset" and c[f.name] == current_dataset_name \
            else ()
        c[f.name] = check_field(f, c[f.name], f.choices + extra if extra else None)
    _check_layer_activations(c)
    return c
