"""Runs the reader's console lines: Pyodide's ``PyodideConsole`` (incomplete input,
completion) with the Spanish namespace of ``backprop.console``, a time limit, an import guard
and tracebacks structured for a learner. The worker calls ``Consoles`` (docs/console.md).

    consoles = Consoles(registry)
    consoles.open(sid, lang)                 -> {"limit_ms", "banner", "fresh"}
    await consoles.push(sid, line)           -> {"more", "output": [...], "changed"}
    consoles.complete(sid, source)           -> {"matches", "start"}
    consoles.call(cmd, sid, args_json)       -> reply JSON, or an awaitable of it (push)

On CPython (the engine tests) a small stand-in with the same ``push``/``complete`` protocol
replaces ``PyodideConsole``, which only exists inside Pyodide.
"""

import builtins
import codeop
import contextlib
import io
import json
import linecache
import rlcompleter
import sys
import time
import traceback

from .console import Console, ValorRechazado
from .errors import BackpropError

TIME_LIMIT_S = 3.0  # a console line runs at most this long (docs/console.md); well under
# the worker client's liveness deadline (protocol.js), which restarts a worker stuck longer
FILENAME = "<consola>"  # each run is compiled as "<consola N>" (linecache keeps its lines)
MAX_OUTPUT = 20_000  # characters of output kept per line run
KEPT_SOURCES = 500  # runs whose lines tracebacks can still quote
# What the console's own `import` refuses: the browser (js, pyodide_js, pyodide.ffi/http/code),
# the package installer, and importlib's back door to both.
BLOCKED_IMPORTS = frozenset({"js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core",
                             "micropip", "pyodide_http", "importlib"})


def _table(text):
    """``name | es | en`` rows as {name: (es, en)}."""
    rows = ([cell.strip() for cell in line.split("|")] for line in text.strip().splitlines())
    return {row[0]: (row[1], row[2]) for row in rows}


# Exception labels for a learner (the exception's own message stays Python's, in English).
LABELS = _table("""
SyntaxError         | Error de sintaxis         | Syntax error
IndentationError    | Error de sangría          | Indentation error
NameError           | Nombre no definido        | Name not defined
TypeError           | Tipo de dato incorrecto   | Wrong type
ValueError          | Valor no válido           | Invalid value
ValorRechazado      | Valor rechazado           | Value refused
IndexError          | Índice fuera de rango     | Index out of range
KeyError            | Clave inexistente         | Missing key
AttributeError      | Atributo inexistente      | Missing attribute
ZeroDivisionError   | División entre cero       | Division by zero
ImportError         | Importación no permitida  | Import refused
ModuleNotFoundError | Módulo no disponible      | Module not available
KeyboardInterrupt   | Interrumpido              | Interrupted
""")
OTHER = ("Error", "Error")
TIMEOUT = ("Detenido: la orden ha superado el límite de {s} s. Las variables y la red se "
           "conservan.",
           "Stopped: the command ran longer than the {s} s limit. Variables and the network "
           "are kept.")


class TimeLimit:
    """Raises KeyboardInterrupt in the reader's own code (frames compiled by the console) once
    ``seconds`` have passed, through a trace function: pure-Python loops stop without losing
    the worker. Engine frames are not traced (they run whole); C loops are not reached."""

    EVERY = 200  # line events between two clock reads

    def __init__(self, seconds, filename=FILENAME):
        self.seconds, self.filename = seconds, filename
        self.deadline, self.expired, self._n = None, False, 0

    def _check(self):
        self._n += 1
        if self._n % self.EVERY == 0 and time.monotonic() > self.deadline:
            self.expired = True
            raise KeyboardInterrupt("time limit")

    def _local(self, frame, event, arg):
        if event == "line":
            self._check()
        return self._local

    def _global(self, frame, event, arg):
        if not is_own(frame.f_code.co_filename, self.filename):
            return None
        self._check()
        return self._local

    def __enter__(self):
        self.deadline, self.expired, self._n = time.monotonic() + self.seconds, False, 0
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc):
        sys.settrace(None)
        return False


def guarded_builtins(blocked=BLOCKED_IMPORTS):
    """A copy of the builtins whose ``__import__`` refuses the blocked modules."""
    real = builtins.__import__

    def __import__(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name.split(".")[0] in blocked:
            raise ImportError(f"La consola solo llega al motor de la red: «{name}» no está "
                              "disponible aquí.", name=name)
        return real(name, globals, locals, fromlist, level)

    names = dict(vars(builtins))
    names["__import__"] = __import__
    return names


def is_own(filename, prefix=FILENAME):
    """Whether code was compiled by the console ("<consola>", "<consola 7>")."""
    return filename == prefix or filename.startswith(prefix[:-1] + " ")


def remember_source(name, source):
    """Lets tracebacks quote the reader's lines: linecache serves ``name`` from memory."""
    lines = [line + "\n" for line in source.split("\n")]
    linecache.cache[name] = (len(source), None, lines, name)


def _frames(tb, filename):
    """The traceback's frames from the reader's first frame on, deepest first."""
    frames = traceback.extract_tb(tb)
    first = next((k for k, f in enumerate(frames) if is_own(f.filename, filename)), 0)
    return [{"file": f.filename, "line": f.lineno, "name": f.name, "code": (f.line or "").strip(),
             "own": is_own(f.filename, filename)} for f in reversed(frames[first:])]


def describe_error(exc, lang="es", filename=FILENAME, limit_s=TIME_LIMIT_S, timed_out=False):
    """An exception as the terminal shows it: label, type, message, frames (deepest first)."""
    es = lang != "en"
    name = type(exc).__name__
    label = LABELS.get(name, OTHER)[0 if es else 1]
    message = str(exc)
    if timed_out:
        detail = "" if message in ("", "time limit") else f" ({message})"
        message = TIMEOUT[0 if es else 1].format(s=f"{limit_s:g}") + detail
    out = {"kind": "error", "label": label, "type": name, "message": message,
           "frames": [] if isinstance(exc, SyntaxError) else _frames(exc.__traceback__, filename)}
    if isinstance(exc, (ValorRechazado, ImportError)):
        # The engine's refusal or the import guard: its own frames would only be noise.
        out["frames"] = [f for f in out["frames"] if f["own"]]
    if isinstance(exc, SyntaxError):
        out["message"] = exc.msg
        out["frames"] = [{"file": filename, "line": exc.lineno, "name": "", "own": True,
                          "code": (exc.text or "").rstrip("\n"), "offset": exc.offset}]
    out["text"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return out


class _PlainConsole:
    """CPython's stand-in for PyodideConsole: same push/complete protocol, synchronous."""

    def __init__(self, globals, filename):
        self.globals, self.filename, self.buffer = globals, filename, []
        self.stdout_callback = self.stderr_callback = self.limit = None
        self._compile = codeop.CommandCompiler()
        self._completer = rlcompleter.Completer(globals)

    def push(self, line):
        self.buffer.append(line)
        try:
            code = self._compile("\n".join(self.buffer), self.filename, "single")
        except (OverflowError, SyntaxError, ValueError) as exc:
            self.buffer = []
            return _Done("syntax-error", exc)
        if code is None:
            return _Done("incomplete")
        self.buffer = []
        try:
            with contextlib.redirect_stdout(_Writer(self.stdout_callback)), \
                    contextlib.redirect_stderr(_Writer(self.stderr_callback)), \
                    self.limit or contextlib.nullcontext():
                exec(code, self.globals)
        except BaseException as exc:  # noqa: BLE001 - reported to the reader
            return _Done("complete", exc)
        return _Done("complete")

    def complete(self, source):
        start = max(map(source.rfind, " \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?")) + 1
        word = source[start:]
        find = self._completer.attr_matches if "." in word else self._completer.global_matches
        return find(word), start


class _Done:
    """An already settled ConsoleFuture: ``syntax_check``, and awaiting gives None or raises."""

    def __init__(self, syntax_check, exc=None):
        self.syntax_check, self.exc = syntax_check, exc

    def __await__(self):
        if self.exc is not None:
            raise self.exc
        return None
        yield  # noqa: unreachable - makes this a generator


class _Writer(io.TextIOBase):
    def __init__(self, callback):
        self.callback = callback

    def write(self, s):
        if self.callback:
            self.callback(s)
        return len(s)


def console_class():
    """PyodideConsole with the time limit around the reader's code, or the CPython stand-in."""
    try:
        from pyodide.console import PyodideConsole
    except ImportError:
        return None

    class LimitedConsole(PyodideConsole):
        limit = None

        async def runcode(self, source, code):
            with self.limit:
                return await super().runcode(source, code)

    return LimitedConsole


def _shorten(text, limit=2000):
    return text if len(text) <= limit else text[:limit // 2] + " … " + text[-limit // 2:]


class _Entry:
    """One open console: the namespace's owner, the interpreter front end, the limit."""

    def __init__(self, registry, sid, lang, limit_s, pyodide=True):
        self.owner = Console(registry, sid, limit_s, lang)
        self.lang, self.limit = lang, TimeLimit(limit_s)
        names = self.owner.namespace()
        names["__builtins__"] = guarded_builtins()
        cls = console_class() if pyodide else None
        self.console = cls(names, filename=FILENAME) if cls else _PlainConsole(names, FILENAME)
        self.console.limit = self.limit
        self.output, self.runs = [], 1
        self.console.stdout_callback = lambda s: self.write("out", s)
        self.console.stderr_callback = lambda s: self.write("err", s)

    def write(self, kind, text):
        """Appends to the run's output (up to MAX_OUTPUT characters), merging runs of one kind."""
        if sum(len(o["text"]) for o in self.output) > MAX_OUTPUT:
            return
        if self.output and self.output[-1]["kind"] == kind:
            self.output[-1]["text"] += text
        else:
            self.output.append({"kind": kind, "text": text})


class Consoles:
    """Every open console of the worker, keyed by the widget's session id."""

    def __init__(self, registry, limit_s=TIME_LIMIT_S, pyodide=True):
        """``pyodide=False``: the CPython stand-in even inside Pyodide (tests drive it without
        an event loop)."""
        self.registry, self.limit_s, self.entries = registry, limit_s, {}
        self.pyodide = pyodide

    def open(self, sid, lang="es"):
        """Opens the session's console (its variables survive a second open; the pending
        input is dropped, as Ctrl+C does)."""
        self.registry.session(sid)
        entry = self.entries.get(sid)
        fresh = entry is None
        if fresh:
            entry = self.entries[sid] = _Entry(self.registry, sid, lang, self.limit_s, self.pyodide)
        entry.console.buffer = []
        return {"limit_ms": int(self.limit_s * 1000), "fresh": fresh,
                "banner": "Escribe ayuda() para ver los nombres preparados." if lang != "en"
                else "Type ayuda() to list the prepared names (in Spanish)."}

    def close(self, sid):
        self.entries.pop(sid, None)

    async def push(self, sid, line):
        """Runs one line (or collects it when the input is incomplete)."""
        if sid not in self.entries:
            self.open(sid)
        entry = self.entries[sid]
        entry.output, owner = [], entry.owner
        owner.changed = False
        started = time.monotonic()
        owner.deadline = started + self.limit_s
        # Each run gets its own name, so a function defined earlier quotes its own lines.
        name = f"{FILENAME[:-1]} {entry.runs}>"
        entry.console.filename = name
        remember_source(name, "\n".join([*entry.console.buffer, line]))
        fut = entry.console.push(line)
        if fut.syntax_check != "incomplete":
            entry.runs += 1
            linecache.cache.pop(f"{FILENAME[:-1]} {entry.runs - KEPT_SOURCES}>", None)
        reply = {"more": fut.syntax_check == "incomplete"}
        try:
            result = await fut
            if result is not None:
                entry.console.globals["_"] = result
                entry.write("result", _shorten(repr(result)) + "\n")
        except BaseException as exc:  # noqa: BLE001 - the reader sees it, the worker lives
            # The trace function, entrenar and the interrupt buffer all raise
            # KeyboardInterrupt; past the limit it was the limit, before it Ctrl+C.
            timed_out = isinstance(exc, KeyboardInterrupt) and (
                entry.limit.expired or time.monotonic() - started >= 0.95 * self.limit_s)
            entry.output.append(describe_error(exc, entry.lang, limit_s=self.limit_s,
                                               timed_out=timed_out))
            reply["interrupted"] = isinstance(exc, KeyboardInterrupt)
        finally:
            owner.deadline = None
        reply["output"], reply["changed"] = entry.output, owner.changed
        entry.output = []
        return reply

    def complete(self, sid, source):
        entry = self.entries.get(sid)
        if entry is None:
            return {"matches": [], "start": len(source)}
        matches, start = entry.console.complete(source)
        return {"matches": sorted(set(matches))[:50], "start": start}

    # -- the worker's door: the same reply shape as Registry.call -------------------------

    def call(self, cmd, sid, args_json):
        """``console_open``, ``console_complete``, ``console_close``: the reply JSON;
        ``console_push``: an awaitable of it (the reader's code may use top-level await)."""
        try:
            args = json.loads(args_json or "{}")
            if cmd == "console_push":
                return self._reply(self.push(sid, str(args["line"])))
            if cmd == "console_open":
                result = self.open(sid, args.get("lang") or "es")
            elif cmd == "console_complete":
                result = self.complete(sid, str(args["source"]))
            elif cmd == "console_close":
                self.close(sid)
                result = {"closed": sid}
            else:
                raise BackpropError("unknown_command", f"unknown command {cmd!r}",
                                    f"La orden «{cmd}» no existe.", "cmd")
            return json.dumps({"ok": True, "result": result}, ensure_ascii=False)
        except BackpropError as exc:
            return json.dumps({"ok": False, "error": exc.to_dict()}, ensure_ascii=False)
        except (KeyError, TypeError, ValueError) as exc:
            return json.dumps({"ok": False, "error": {
                "code": "invalid_args", "message": "Los argumentos de la consola no son válidos.",
                "message_en": f"console: bad arguments ({exc})", "field": "args"}})

    @staticmethod
    async def _reply(coro):
        return json.dumps({"ok": True, "result": await coro}, ensure_ascii=False)
