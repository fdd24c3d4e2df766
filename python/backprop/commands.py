"""The command table: every command the worker can send, declared once, and the Registry.

    registry = Registry()
    reply_json = registry.call(session_id, cmd, args_json)
    payload = registry.take_buffer()      # float32 little-endian bytes of the last call, or b""

Each command declares its arguments (type, default, bounds, required), a one-line doc in
English and Spanish, and a handler: a thin adapter over a public ``Session`` method that returns
``(result, buffer)``. Arguments the declaration does not name are refused before the handler
runs. The worker's own commands (origin ``worker``) are declared here for the contract only; the
worker implements them in JavaScript. ``python3 build.py contract`` publishes this table.

Every reply is ``{"ok": true, "result": {...}}`` or ``{"ok": false, "error": {"code",
"message" (Spanish), "message_en", "field"}}``, and never contains NaN or Infinity.
"""

import json
from typing import NamedTuple

from . import compare as _compare_mod
from . import landscape as _landscape_mod
from . import limits as _limits
from . import live as _live_mod
from . import schema as _schema
from .errors import BackpropError, check_int, check_number
from .serialization import to_jsonable
from .session import GRADCHECK_SAMPLES, MAX_EPOCHS_PER_CALL, MAX_GRID, MIN_GRID, Session


class Arg(NamedTuple):
    type: str                       # int | number | string | object | any | int_list | choice…
    default: object = None
    min: float = None
    max: float = None
    required: bool = False
    choices: tuple = None
    subject: tuple = None           # (es, en) for messages about a bad value
    code: str = None


class Command(NamedTuple):
    name: str
    doc: tuple                      # (en, es)
    args: dict                      # name → Arg
    handler: object = None          # (registry, session_id, args) -> (result, buffer)
    origin: str = "engine"
    args_may_be_partial: bool = False  # set_config: the args themselves may be the partial


def _check_args(cmd, args):
    """Refuses arguments the declaration does not name, missing required ones, and integers
    and numbers (those declared with a subject) out of their declared bounds; returns args
    with the declared defaults filled in."""
    unknown = sorted(set(args) - set(cmd.args))
    if unknown:
        raise BackpropError("unknown_argument", f"{cmd.name}: unknown argument {unknown[0]!r}",
                            f"La orden {cmd.name} no admite el argumento «{unknown[0]}».",
                            unknown[0])
    out = {}
    for name, arg in cmd.args.items():
        if args.get(name) is None:
            if arg.required:
                raise BackpropError(
                    "missing_argument", f"{cmd.name}: {name} is required",
                    f"A la orden {cmd.name} le falta el argumento «{name}».", name)
            out[name] = arg.default
        elif arg.type == "int" and arg.subject:
            es, en = arg.subject
            out[name] = check_int(args[name], name, arg.code or f"invalid_{name}", en, es,
                                  ge=arg.min, le=arg.max)
        elif arg.type == "number" and arg.subject:
            es, en = arg.subject
            out[name] = check_number(args[name], name, arg.code or f"invalid_{name}", en, es,
                                     ge=arg.min, le=arg.max)
        else:
            out[name] = args[name]
    return out


def _grid_arg():
    return Arg("int", None, MIN_GRID, MAX_GRID, subject=(
        "La resolución de la cuadrícula", "grid resolution"))


# ----- handlers: thin adapters over Session ------------------------------------------------

def _create(reg, sid, a):
    reg.sessions[sid] = s = Session(a["config"] or {})
    return s.snapshot_with_grid(a["grid"], force_data=True)


def _destroy(reg, sid, a):
    reg.session(sid)
    del reg.sessions[sid]
    return {"destroyed": sid}, None


def _set_config(reg, sid, a):
    s = reg.session(sid)
    reg.sessions[sid] = new = s.set_config(a["partial"])
    return new.snapshot(), None


def _reset(reg, sid, a):
    s = reg.session(sid)
    s.reset()
    return s.snapshot_with_grid(a["grid"])


def _train(reg, sid, a):
    s = reg.session(sid)
    if a["snapshot"] not in ("full", "live", "none"):
        raise BackpropError("invalid_snapshot", "snapshot: full, live or none",
                            "La instantánea pedida debe ser full, live o none.", "snapshot")
    live = (a["live"] or {}) if a["snapshot"] == "live" else None
    if live is not None:
        _live_mod.check_options(live)  # refused before any epoch runs
    ran = s.train(a["epochs"], a["budget_ms"])
    if a["snapshot"] == "none":
        return {"epoch": s.epoch, "steps": s.net.steps, "status": s.status, "epochs_run": ran}, None
    return s.snapshot_with_grid(a["grid"], live)


def _snapshot(reg, sid, a):
    return reg.session(sid).snapshot_with_grid(a["grid"], a["live"])


def _trace(reg, sid, a):
    s = reg.session(sid)
    return {"trace": s.trace(a["indices"]), "snapshot": s.snapshot()}, None


def _add_point(reg, sid, a):
    s = reg.session(sid)
    index = s.add_point(a["x"], a["y"], a["split"])
    return {**s.snapshot(), "added_index": index}, None


def _remove_point(reg, sid, a):
    s = reg.session(sid)
    s.remove_point(a["index"], a["split"])
    return s.snapshot(), None


def _load_csv(reg, sid, a):
    s = reg.session(sid)
    s.load_csv(a["text"], a["task"], a["class_names"])
    return s.snapshot(), None


def _gradient_check(reg, sid, a):
    return reg.session(sid).gradient_check(a["samples"]), None


def _landscape(reg, sid, a):
    kwargs = {k: v for k, v in a.items() if v is not None}
    return reg.session(sid).landscape(**kwargs), None


def _chain_rule(reg, sid, a):
    return reg.session(sid).chain_rule(a["layer"], a["j"], a["i"], a["indices"]), None


def _set_parameter(reg, sid, a):
    s = reg.session(sid)
    kind = "bias" if a["i"] is None else "weight"
    value = s.set_parameter(kind, a["layer"], a["j"], a["i"], a["value"])
    return {**s.snapshot(), "edited": {"layer": a["layer"], "j": a["j"], "i": a["i"],
                                       "value": value}}, None


def _autograd(reg, sid, a):
    return reg.session(sid).autograd(a["layer"], a["j"], a["index"]), None


def _save(reg, sid, a):
    return {"state": reg.session(sid).save()}, None


def _load(reg, sid, a):
    reg.sessions[sid] = s = Session.load(a["state"])
    return s.snapshot(force_data=True), None


_SPLIT = Arg("choice", "train", choices=("train", "val"))
# Options of the live snapshot (live.py): {since: [history_id, length], hidden_grid, parts}.
_LIVE = Arg("object")
# A parameter or neuron of the largest network the schema allows (the network's own sizes
# are checked by the session).
_HIDDEN = _schema.FIELD["hidden"]
_LAYER = Arg("int", None, 1, _HIDDEN.max_length + 1, required=True,
             subject=("La capa", "layer"), code="invalid_layer")
_NEURON = Arg("int", None, 0, _HIDDEN.item_max - 1, required=True,
              subject=("La neurona j", "neuron j"), code="invalid_neuron")

COMMANDS = {c.name: c for c in (
    Command("create", ("Create (or replace) a session from a partial config; snapshot with data "
                       "(with grid, also every neuron's grid, as snapshot gives it).",
                       "Crea (o sustituye) una sesión a partir de una configuración parcial "
                       "(con grid, también la cuadrícula de cada neurona)."),
            {"config": Arg("object", {}), "grid": _grid_arg()}, _create),
    Command("destroy", ("Forget a session.", "Olvida una sesión."), {}, _destroy),
    Command("set_config", ("Change config fields; what is rebuilt depends on each field's kind.",
                           "Cambia campos de la configuración; lo que se reconstruye depende "
                           "del tipo de cada campo."),
            {"partial": Arg("object", required=True)}, _set_config, args_may_be_partial=True),
    Command("reset", ("Back to epoch 0 with the seeded initial weights.",
                      "Vuelve a la época 0 con los pesos iniciales de la semilla."),
            {"grid": _grid_arg()}, _reset),
    Command("train", ("Train that many epochs (fewer if the network diverges or the next would "
                       "end past budget_ms).",
                       "Entrena ese número de épocas (menos si la red diverge o si la siguiente "
                       "acabaría después de budget_ms)."),
            {"epochs": Arg("int", 1, 1, MAX_EPOCHS_PER_CALL,
                           subject=("El número de épocas", "epochs")),
             "grid": _grid_arg(),
             "snapshot": Arg("choice", "full", choices=("full", "live", "none")),
             "live": _LIVE,
             # Live training's calls end at the page's next frame (widget/src/worker/training.js).
             "budget_ms": Arg("number", None, 0, subject=("El tiempo máximo de la llamada",
                                                          "time budget"),
                              code="invalid_budget")}, _train),
    Command("snapshot", ("The session's current state (the lean live one with live).",
                         "El estado actual de la sesión (el reducido en vivo con live)."),
            {"grid": _grid_arg(), "live": _LIVE}, _snapshot),
    Command("trace", ("One training step with every intermediate number.",
                      "Un paso de entrenamiento con todos sus números intermedios."),
            {"indices": Arg("int_list")}, _trace),
    Command("add_point", ("Add one labelled point to a split.",
                          "Añade un punto con su etiqueta a un conjunto."),
            {"x": Arg("number_list", required=True), "y": Arg("any", required=True),
             "split": _SPLIT}, _add_point),
    Command("remove_point", ("Remove the point at index from a split.",
                             "Quita el punto de ese índice de un conjunto."),
            {"index": Arg("int", required=True), "split": _SPLIT}, _remove_point),
    Command("load_csv", ("Replace the data by x1,x2,label rows; the network is rebuilt.",
                         "Sustituye los datos por filas x1,x2,etiqueta; la red se reconstruye."),
            {"text": Arg("string", required=True),
             "task": Arg("choice", choices=("binary", "multiclass", "regression")),
             "class_names": Arg("string_list")}, _load_csv),
    Command("gradient_check", ("Backpropagation against central differences.",
                               "Compara la retropropagación con diferencias centradas."),
            {"samples": Arg("int", GRADCHECK_SAMPLES, 1, 200,
                            subject=("El número de muestras", "samples"))}, _gradient_check),
    Command("landscape", ("The loss on a plane through two parameters or directions; with "
                          "compare, each optimizer's path from the current point.",
                          "La pérdida en un plano de dos parámetros o direcciones; con "
                          "compare, el recorrido de cada optimizador desde el punto actual."),
            {"params": Arg("any"), "span": Arg("number"),
             "resolution": Arg("int", None, _landscape_mod.MIN_RESOLUTION,
                               _landscape_mod.MAX_RESOLUTION),
             "seed": Arg("int", None, 0),
             "compare": Arg("string_list", choices=_compare_mod.OPTIMIZER_NAMES),
             "compare_epochs": Arg("int", _compare_mod.DEFAULT_EPOCHS, 1,
                                   _compare_mod.MAX_EPOCHS)}, _landscape),
    Command("chain_rule", ("Every path from a weight (or bias, without i) to the loss, "
                           "with its factors.",
                           "Todos los caminos de un peso (o sesgo, sin i) a la pérdida, con "
                           "sus factores."),
            {"layer": _LAYER, "j": _NEURON,
             "i": Arg("int", None, 0, _HIDDEN.item_max - 1,
                      subject=("La neurona de entrada i", "input neuron i"),
                      code="invalid_source"),
             "indices": Arg("int_list")}, _chain_rule),
    Command("set_parameter", ("Set one weight (or bias, without i) to a typed value.",
                              "Da a un peso (o sesgo, sin i) el valor escrito."),
            {"layer": _LAYER, "j": _NEURON,
             "i": Arg("int", None, 0, _HIDDEN.item_max - 1,
                      subject=("La neurona de entrada i", "input neuron i"),
                      code="invalid_source"),
             "value": Arg("any", required=True)}, _set_parameter),
    Command("autograd", ("The computational graph of one neuron on one example.",
                         "El grafo de cómputo de una neurona en un ejemplo."),
            {"layer": _LAYER, "j": _NEURON,
             "index": Arg("int", None, 0, subject=("El índice del ejemplo", "example index"),
                          code="invalid_index")}, _autograd),
    Command("save", ("The whole session as JSON-safe state.",
                     "Toda la sesión como un estado JSON."), {}, _save),
    Command("load", ("Restore a saved session; training continues exactly.",
                     "Restaura una sesión guardada; el entrenamiento sigue igual."),
            {"state": Arg("object", required=True)}, _load),
    Command("init", ("Load Pyodide, numpy and the engine (worker).",
                     "Carga Pyodide, numpy y el motor (worker)."),
            {"bundleUrl": Arg("string", required=True), "pyodideUrl": Arg("string")},
            origin="worker"),
    Command("start_training", ("Train until stopped, posting a live snapshot at most once per "
                               "frame interval (live: its options, as for snapshot).",
                               "Entrena hasta que se pare y envía una instantánea en vivo como "
                               "mucho una vez por fotograma."),
            {"grid": _grid_arg(), "live": _LIVE}, origin="worker"),
    Command("stop_training", ("Stop training after the current slice.",
                              "Para el entrenamiento tras el tramo en curso."), {},
            origin="worker"),
    # The terminal shortcode's console (backprop.consolerun, docs/console.md).
    Command("console_open", ("Open the session's Python console (keeps its variables); "
                             "limit and interrupt buffer.",
                             "Abre la consola de Python de la sesión (conserva sus variables)."),
            {"lang": Arg("choice", "es", choices=("es", "en"))}, origin="worker"),
    Command("console_push", ("Run one console line, or collect it while the input is "
                             "incomplete.",
                             "Ejecuta una línea de la consola, o la guarda si la entrada está "
                             "incompleta."),
            {"line": Arg("string", required=True)}, origin="worker"),
    Command("console_complete", ("Tab completion of the console's names.",
                                 "Completa con Tab los nombres de la consola."),
            {"source": Arg("string", required=True)}, origin="worker"),
    Command("console_close", ("Forget the session's console and its variables.",
                              "Olvida la consola de la sesión y sus variables."), {},
            origin="worker"),
)}


def _parse_args(cmd, args_json):
    try:
        args = json.loads(args_json) if args_json else {}
    except (TypeError, ValueError, RecursionError):
        raise BackpropError("invalid_json", "args: not valid JSON",
                            "Los argumentos no son JSON válido.", "args") from None
    if not isinstance(args, dict):
        raise BackpropError("invalid_args", "args: expected a JSON object",
                            "Los argumentos deben ser un objeto JSON.", "args")
    if cmd.args_may_be_partial and "partial" not in args:
        args = {"partial": args}
    return args


class Registry:
    """All sessions of one worker, keyed by the widget's session id."""

    def __init__(self):
        self.sessions = {}
        self._buffer = b""

    def session(self, sid) -> Session:
        if sid not in self.sessions:
            raise BackpropError(
                "unknown_session", f"session {sid!r} does not exist (create it first)",
                "La sesión no existe: hay que crearla primero (create).", "session")
        return self.sessions[sid]

    def call(self, session_id: str, cmd: str, args_json: str) -> str:
        self._buffer = b""
        try:
            command = COMMANDS.get(cmd)
            if command is None or command.origin != "engine":
                raise BackpropError("unknown_command", f"unknown command {cmd!r}",
                                    f"La orden «{cmd}» no existe.", "cmd")
            if not isinstance(session_id, str) or not session_id:
                raise BackpropError(
                    "invalid_session", "session id must be a non-empty string",
                    "El identificador de la sesión debe ser un texto no vacío.", "session")
            args = _check_args(command, _parse_args(command, args_json))
            # The widget's limits (this registry serves readers' pages), then the handler;
            # both validate before they change anything, so a refusal changes nothing.
            _limits.check_call(self, session_id, cmd, args)
            before = self.sessions.get(session_id)
            result, buffer = command.handler(self, session_id, args)
            self._check_new_session(session_id, before)
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

    def _check_new_session(self, sid, before):
        """A session built by the call (create, load, new data) within the widget's limits;
        refused, the previous one (or none) stays."""
        after = self.sessions.get(sid)
        if after is None or after is before:
            return
        try:
            _limits.check_session(after)
        except BackpropError:
            if before is None:
                del self.sessions[sid]
            else:
                self.sessions[sid] = before
            raise

    def take_buffer(self) -> bytes:
        buf, self._buffer = self._buffer, b""
        return buf
