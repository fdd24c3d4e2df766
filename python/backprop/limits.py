"""The widget's limits, enforced by the worker's Registry before a call runs.

The schema declares them once: each field's ``widget`` entry (hidden sizes, points, learning
rate…) and ``schema.WIDGET_LIMITS`` (parameters, points, the work of one trace, gradient check
or landscape). A session made through the Registry is a reader's, in a browser tab: a value
beyond them is refused in Spanish naming the limit, and the session keeps its state. Python
code using ``Session`` directly and the CLI keep the engine's wider bounds.
"""

from . import schema
from .compare import DEFAULT_EPOCHS as DEFAULT_COMPARE_EPOCHS
from .errors import BackpropError

LIMITS = schema.WIDGET_LIMITS


def _widget_field(f):
    w = dict(f.widget)
    if "choices" in w:
        w["choices"] = tuple(w["choices"])
    return f.replace(**w)


def check_config(config, base=None):
    """Every field of a (partial) config within its widget limits; ``base`` is the config it
    changes. The batch is also bounded by the training points (the message names the real
    limit, not the widget's widest)."""
    if not isinstance(config, dict):
        return
    for name, value in config.items():
        f = schema.FIELD.get(name)
        if f is not None and f.widget:
            if name == "batch_size":
                f = _widget_field(f).replace(max=min(f.widget["max"], _training_points({**(base or {}), **config})))
            else:
                schema.check_field(f, value)  # the engine's own message for what it refuses anyway
                f = _widget_field(f)
            schema.check_field(f, value)


def _training_points(config):
    """n_samples − ⌊n_samples × val_fraction⌋ when both are plain numbers, else no bound."""
    n = config.get("n_samples", schema.DEFAULTS["n_samples"])
    v = config.get("val_fraction", schema.DEFAULTS["val_fraction"])
    try:
        return max(1, int(n) - int(int(n) * float(v)))
    except (TypeError, ValueError, OverflowError):
        return schema.FIELD["batch_size"].max


def parameter_count(sizes):
    return sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))


def _too_much(code, en, es, field):
    raise BackpropError(code, en, es, field)


def check_parameters(sizes):
    n, limit = parameter_count(sizes), LIMITS["parameters"]
    if n > limit:
        _too_much("too_many_parameters", f"The network would have {n} parameters; the demo "
                  f"allows at most {limit}: use fewer layers or neurons.",
                  f"La red tendría {n} parámetros; en la demostración caben como mucho {limit}: "
                  "usa menos capas o neuronas.", "hidden")


def _check_work(samples, sizes, what_en, what_es, field):
    params = parameter_count(sizes)
    limit = LIMITS["example_work"]
    if samples * params > limit:
        most = max(1, limit // max(1, params))
        _too_much("too_much_work", f"With this network, {what_en} allows at most {most} "
                  f"examples ({samples} were asked for).",
                  f"Con esta red, {what_es} admite como mucho {most} ejemplos "
                  f"(se han pedido {samples}).", field)


def check_call(registry, sid, cmd, args):
    """Refuses a call beyond the widget's limits; nothing has changed yet."""
    if cmd == "create":
        check_config(args.get("config") or {})
    elif cmd == "set_config":
        current = registry.sessions.get(sid)
        check_config(args.get("partial"), _base(current, args.get("partial")))
        _check_structure(registry.sessions.get(sid), args.get("partial"))
    elif cmd == "load" and isinstance(args.get("state"), dict):
        check_config(args["state"].get("config") or {})
    elif cmd == "load_csv" and isinstance(args.get("text"), str):
        rows = sum(1 for line in args["text"].splitlines() if line.strip())
        if rows > LIMITS["points"] + 1:  # a header line may come first
            _too_much("too_many_points", f"The CSV has {rows} rows; the demo allows "
                      f"at most {LIMITS['points']} points.", f"El CSV tiene {rows} filas; en la demostración "
                      f"caben como mucho {LIMITS['points']} puntos.", "text")
    elif cmd == "add_point" and sid in registry.sessions:
        ds = registry.sessions[sid].dataset
        if len(ds.x_train) + len(ds.x_val) >= LIMITS["points"]:
            _too_much("too_many_points", f"The demo allows at most {LIMITS['points']} points.",
                      f"En la demostración caben como mucho {LIMITS['points']} puntos.", "x")
    elif cmd in ("trace", "gradient_check") and sid in registry.sessions:
        s = registry.sessions[sid]
        if cmd == "trace":
            samples = len(args["indices"]) if isinstance(args.get("indices"), list) \
                else s.config["batch_size"]
            _check_work(samples, s.net.sizes, "the step-by-step view", "el paso a paso",
                        "batch_size")
        else:
            samples = min(int(args.get("samples") or 0), len(s.dataset.x_train))
            _check_work(samples, s.net.sizes, "a gradient check",
                        "la comprobación del gradiente", "samples")
    elif cmd == "landscape" and sid in registry.sessions:
        s = registry.sessions[sid]
        res = args.get("resolution") or 25
        work = res * res * len(s.dataset.x_train) * parameter_count(s.net.sizes)
        if isinstance(res, int) and work > LIMITS["landscape_work"]:
            _too_much("too_much_work", f"A resolution of {res} is too fine for this network and data.",
                      f"La resolución {res} es demasiado fina para esta red y estos datos.",
                      "resolution")
        names, epochs = args.get("compare"), args.get("compare_epochs") or DEFAULT_COMPARE_EPOCHS
        if isinstance(names, list) and isinstance(epochs, int):
            work = len(names) * epochs * len(s.dataset.x_train) * parameter_count(s.net.sizes)
            if work > LIMITS["compare_work"]:
                _too_much("too_much_work", f"Comparing {len(names)} optimizers for {epochs} "
                          "epochs is too much work for this network and data.",
                          f"Comparar {len(names)} optimizadores durante {epochs} épocas es "
                          "demasiado trabajo para esta red y estos datos.", "compare_epochs")


def _base(session, partial):
    """The config a set_config changes; with the session's own data, its real training points."""
    if session is None:
        return None
    base = dict(session.config)
    same_data = isinstance(partial, dict) and not set(partial) & set(schema.fields_of_kind("data"))
    if same_data:
        base.update(n_samples=len(session.dataset.x_train), val_fraction=0.0)
    return base


def _check_structure(session, partial):
    """A new hidden structure on the same data: its parameters, before the network is built."""
    if session is None or not isinstance(partial, dict) or "hidden" not in partial:
        return
    hidden = partial["hidden"]
    if isinstance(hidden, list) and all(isinstance(h, int) for h in hidden):
        sizes = [session.net.sizes[0], *hidden, session.net.sizes[-1]]
        check_parameters(sizes)


def check_session(session):
    """After a call that built a new session (create, load, new data): its size."""
    check_parameters(session.net.sizes)
    points = len(session.dataset.x_train) + len(session.dataset.x_val)
    if points > LIMITS["points"]:
        _too_much("too_many_points", f"There are {points} points; the demo allows at most "
                  f"{LIMITS['points']}.",
                  f"Hay {points} puntos; en la demostración caben como mucho "
                  f"{LIMITS['points']}.", "n_samples")
