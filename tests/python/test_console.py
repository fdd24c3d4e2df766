"""The reader's console (backprop.console, backprop.consolerun): the Spanish namespace over the
session, validated writes, the time limit, the import guard and the learner's tracebacks.
Runs on CPython and inside Pyodide (the console's CPython stand-in: no event loop needed)."""

import json
import time

import numpy as np
import pytest

from backprop.commands import Registry
from backprop.consolerun import Consoles, TimeLimit, guarded_builtins

SID = "w#1"


def run(coro):
    """Drives a push to its end: the stand-in console never waits."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("the console waited")


def make_term(limit_s):
    registry = Registry()
    registry.call(SID, "create", json.dumps({"config": {"seed": 3}}))
    consoles = Consoles(registry, limit_s=limit_s, pyodide=False)
    consoles.open(SID)

    def push(*lines):
        reply = None
        for line in lines:
            reply = run(consoles.push(SID, line))
        return reply

    push.registry, push.consoles = registry, consoles
    push.session = lambda: registry.session(SID)
    return push


@pytest.fixture
def term():
    return make_term(30.0)  # never reached here (Pyodide under Node is slow)


@pytest.fixture
def short():
    return make_term(0.5)


def text(reply):
    return "".join(o.get("text", "") for o in reply["output"] if o["kind"] != "error")


def error(reply):
    errors = [o for o in reply["output"] if o["kind"] == "error"]
    assert len(errors) == 1, reply
    return errors[0]


def test_a_weight_written_in_the_console_is_the_sessions_and_the_widget_must_redraw(term):
    loss_before = term.session().history["loss"][-1]
    reply = term("red.capas[0].pesos[1][0] = 0.5")
    assert reply["changed"] and not reply["output"]
    assert term.session().net.weights[0][1, 0] == 0.5
    assert term.session().history["loss"][-1] != loss_before  # the epoch's loss follows
    assert text(term("red.capas[0].pesos[1][0]")).strip() == "0.5"
    term("red.capas[1].sesgos[0] = -0.25")
    assert term.session().net.biases[1][0] == -0.25


def test_a_refused_value_says_why_in_spanish_and_changes_nothing(term):
    before = [w.copy() for w in term.session().net.weights]
    for bad in ("float('nan')", "'uno'", "1e9"):
        reply = term(f"red.capas[0].pesos[0][0] = {bad}")
        e = error(reply)
        assert e["type"] == "ValorRechazado" and e["label"] == "Valor rechazado"
        assert "El peso debe ser un número" in e["message"]
        assert not reply["changed"]
    assert [f["code"] for f in e["frames"]] == ["red.capas[0].pesos[0][0] = 1e9"]  # only the reader's
    assert all(np.array_equal(a, b) for a, b in zip(before, term.session().net.weights))
    assert error(term("red.capas[0].pesos[9][0] = 1"))["type"] == "IndexError"
    assert error(term("red.capas[0].pesos = 3"))["type"] == "ValorRechazado"


def test_training_from_the_console_and_from_the_widget_are_the_same_session(term):
    reply = term("entrenar(20)")
    assert reply["changed"] and term.session().epoch == 20
    assert "época 20" in text(reply)
    term.registry.call(SID, "train", json.dumps({"epochs": 5}))  # the widget trains
    assert "época 25" in text(term("red"))
    assert text(term("red.capas[0].pesos[0][0]")).strip() == repr(
        float(term.session().net.weights[0][0, 0]))
    assert error(term("entrenar(0)"))["label"] == "Valor rechazado"


def test_paso_traza_predecir_reiniciar_and_ayuda(term):
    reply = term("t = paso()")
    assert reply["changed"]
    assert text(term("t is traza()")).strip() == "True"
    assert "Paso sobre" in text(term("traza()"))
    assert int(text(term("len(traza()['events'])"))) > 10
    out = text(term("predecir([0.1, 0.2]).shape"))
    assert out.strip() == f"({term.session().net.sizes[-1]},)"
    assert text(term("predecir([[0, 0], [1, 1]]).shape")).strip() == \
        f"(2, {term.session().net.sizes[-1]})"
    term("entrenar(3)")
    assert term("reiniciar()")["changed"] and term.session().epoch == 0
    help_text = text(term("ayuda()"))
    for name in ("red", "datos", "entrenar(n)", "paso()", "traza()", "predecir(x)",
                 "reiniciar()"):
        assert name in help_text
    assert "30 s" in help_text
    assert "puntos de entrenamiento" in text(term("datos"))


def test_multi_line_input_waits_for_the_blank_line(term):
    assert term("for i in range(3):")["more"]
    assert term("    print(i * 2)")["more"]
    reply = term("")
    assert not reply["more"] and text(reply) == "0\n2\n4\n"


def test_a_syntax_error_is_labelled_in_spanish_with_its_line(term):
    e = error(term("for i in"))
    assert e["label"] == "Error de sintaxis" and e["type"] == "SyntaxError"
    assert e["frames"][0]["code"] == "for i in" and e["frames"][0]["line"] == 1


def test_tracebacks_put_the_readers_deepest_frame_first(term):
    term("def f(x):", "    return 1 / x", "")
    e = error(term("f(0)"))
    assert e["label"] == "División entre cero"
    assert [fr["name"] for fr in e["frames"]] == ["f", "<module>"]
    assert e["frames"][0]["code"] == "return 1 / x"  # quoted from an earlier run
    assert e["frames"][1]["code"] == "f(0)" and e["frames"][1]["own"]


def test_a_runaway_loop_stops_at_the_limit_and_the_session_is_kept(short):
    term = short
    term("entrenar(2)")
    t0 = time.monotonic()
    reply = term("while True:", "    pass", "")
    elapsed = time.monotonic() - t0
    e = error(reply)
    assert e["type"] == "KeyboardInterrupt" and e["label"] == "Interrumpido"
    assert "0,5 s" in e["message"] or "0.5 s" in e["message"]
    assert reply["interrupted"] and elapsed < 20
    assert term.session().epoch == 2
    assert text(term("1 + 1")).strip() == "2"  # the console still works


def test_entrenar_stops_between_epochs_at_the_limit(short):
    term = short
    reply = term("entrenar(10000)")
    e = error(reply)
    assert e["type"] == "KeyboardInterrupt" and "épocas" in e["message"]
    s = term.session()
    assert 0 < s.epoch < 10000 and len(s.history["epoch"]) == s.epoch + 1


def test_the_time_limit_only_traces_the_readers_code():
    limit = TimeLimit(0.05, filename="<prueba>")
    code = compile("while True:\n    pass\n", "<prueba>", "exec")
    with pytest.raises(KeyboardInterrupt), limit:
        exec(code, {})
    assert limit.expired
    with limit:  # other code is not traced: it runs whole
        time.sleep(0.1)
    assert not limit.expired


def test_the_browser_and_the_installer_cannot_be_imported(term):
    for line in ("import js", "from pyodide import http", "import micropip",
                 "import pyodide_js", "import importlib",
                 "__import__('js')"):
        e = error(term(line))
        assert e["type"] == "ImportError", line
        assert "solo llega al motor" in e["message"]
    assert text(term("import math; math.sqrt(4)")).strip() == "2.0"
    with pytest.raises(ImportError):
        exec("import js", {"__builtins__": guarded_builtins()})


def test_completion_knows_the_spanish_names(term):
    assert "entrenar(" in term.consoles.complete(SID, "entr")["matches"]
    assert "red.capas" in term.consoles.complete(SID, "red.ca")["matches"]


def test_the_worker_door_replies_json_like_the_registry(term):
    c = term.consoles
    opened = json.loads(c.call("console_open", SID, json.dumps({"lang": "es"})))
    assert opened["ok"] and opened["result"]["limit_ms"] == 30_000 and not opened["result"]["fresh"]
    pushed = json.loads(run(c.call("console_push", SID, json.dumps({"line": "2 * 21"}))))
    assert "42" in pushed["result"]["output"][0]["text"]
    assert json.loads(c.call("console_open", "nadie", "{}"))["error"]["code"] == "unknown_session"
    assert json.loads(c.call("console_complete", SID, "{}"))["error"]["code"] == "invalid_args"


def test_pyodides_console_detects_incomplete_input_and_completes():
    consolerun = pytest.importorskip("backprop.consolerun")
    pytest.importorskip("pyodide.console")  # inside Pyodide (the pyodide layer) only
    cls = consolerun.console_class()
    console = cls({"entrenar": print}, filename=consolerun.FILENAME)
    assert console.push("for i in range(2):").syntax_check == "incomplete"
    console.buffer = []
    assert console.push("for i in").syntax_check == "syntax-error"
    assert "entrenar(" in console.complete("entr")[0]


def test_an_english_console_keeps_the_names_and_speaks_english():
    registry = Registry()
    registry.call(SID, "create", json.dumps({"config": {"lang": "en"}}))
    consoles = Consoles(registry, limit_s=30.0, pyodide=False)
    assert "ayuda()" in consoles.open(SID, "en")["banner"]
    said = []
    for line in ("ayuda()", "red", "datos", "red.capas[0]", "red.capas[0].pesos[0][0] = 1e9",
                 "entrenar(0)", "1 / 0"):
        reply = run(consoles.push(SID, line))
        said += [o.get("text", "") + o.get("label", "") + o.get("message", "")
                 for o in reply["output"]]
    text = "\n".join(said)
    assert "entrenar(n)" in text and "epoch 0" in text and "Value refused" in text
    assert "Division by zero" in text
    assert not set("áéíóúñ¿¡«»") & set(text), text
