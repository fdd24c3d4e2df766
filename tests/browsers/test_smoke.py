"""The seed page in three engines: it loads and gets ready, training lowers the loss, step by step
moves one epoch and one computation at a time, a refused value keeps the network, and no request
leaves loopback. Each engine runs these in order on one page load (WebKit's Pyodide start alone
takes several seconds); pytest groups the tests by engine."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

# Selenium's own WebKitGTK driver still uses an argument it deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning")

READY_TIMEOUT = 240  # s: Pyodide + numpy in WebKit on a busy 2-core machine
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

WIDGET_STATE = "(i) => document.querySelectorAll('backprop-widget')[i]?.dataset.state"
# Ready, or fail at once with the reader's error text when the widget shows its error panel.
IS_READY = """(i) => {
  const el = document.querySelectorAll("backprop-widget")[i];
  if (el?.dataset.state === "error") {
    throw new Error("the widget shows an error: " + el.shadowRoot.querySelector(".bp-error").textContent.trim());
  }
  return el?.dataset.state === "ready";
}"""
# A visible button of widget `i` whose text starts with `label` (the reader's view of it).
BUTTON = """(i, label) => {
  const root = document.querySelectorAll("backprop-widget")[i].shadowRoot;
  return [...root.querySelectorAll("button")].find(
    (b) => b.offsetParent !== null && b.textContent.trim().startsWith(label)) || null;
}"""
ATTRS = "(i) => ({...document.querySelectorAll('backprop-widget')[i].dataset})"
STATE = "(i) => document.querySelectorAll('backprop-widget')[i].getState()"
STEPPER_TEXT = "(i) => document.querySelectorAll('backprop-widget')[i].shadowRoot.querySelector('.bp-stepper').innerText"
# A second widget on the same page, in step-by-step mode, sharing the page's worker.
ADD_STEPPER = """() => {
  const first = document.querySelector("backprop-widget");
  const el = document.createElement("backprop-widget");
  for (const name of ["data-bundle-url", "data-worker-url", "data-config", "data-lang"]) {
    if (first.hasAttribute(name)) el.setAttribute(name, first.getAttribute(name));
  }
  el.setAttribute("data-mode", "paso-a-paso");
  el.id = "paso-a-paso";
  first.after(el);
  return document.querySelectorAll("backprop-widget").length - 1;
}"""
REFUSE = "(i, value) => document.querySelectorAll('backprop-widget')[i].setConfig({learning_rate: value}).then(() => null, (e) => ({message: e.message, code: e.code, field: e.field}))"


def wait_ready(engine, index: int = 0) -> None:
    if engine.never_ready:  # one long wait per engine is enough: the later tests fail at once
        raise AssertionError(f"{engine.name}: the widget never got ready (see the first failure)")
    try:
        engine.wait_for(IS_READY, index, timeout=READY_TIMEOUT)
    except AssertionError as exc:  # say where loading stopped
        engine.never_ready = True
        shown = engine.call("(i) => { const el = document.querySelectorAll('backprop-widget')[i];"
                            " return [el?.dataset.state, el?.shadowRoot?.textContent.slice(-300)]; }", index)
        raise AssertionError(f"{exc}\nwidget: {shown}\nconsole errors: {engine.console_errors()}") from None


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in LOCAL_HOSTS


def test_the_seed_page_loads_and_the_widget_gets_ready(engine, ready_times):
    wait_ready(engine)
    watch = engine.call("() => window.__bpReady")
    assert watch["at"] is not None, watch
    ready_times[engine.name] = {"version": engine.version, "ready_ms": round(watch["at"]),
                                "late_watch": watch["late"]}
    attrs = engine.call(ATTRS, 0)
    assert attrs["epoch"] == "0"
    assert float(attrs["loss"]) > 0
    # The page around the widget rendered too: the callout and the demo frame.
    assert engine.call("() => !!document.querySelector('aside.bp-medical') && !!document.querySelector('figure.bp-demo')")
    shown = engine.call("(i) => document.querySelectorAll('backprop-widget')[i].shadowRoot.querySelector('.bp-loss').textContent", 0)
    assert re.fullmatch(r"\d+,\d+", shown.strip()), shown  # decimal comma, as the Spanish reader reads it


def test_training_lowers_the_loss(engine):
    wait_ready(engine)
    start = float(engine.call(ATTRS, 0)["loss"])
    engine.click(BUTTON, 0, "Entrenar")
    engine.wait_for("(i) => Number(document.querySelectorAll('backprop-widget')[i].dataset.epoch) >= 30", 0,
                    timeout=120)
    engine.click(BUTTON, 0, "Pausar")
    wait_ready(engine)
    paused = engine.call(ATTRS, 0)
    # Seed page config (xor, 4-2 tanh, SGD 0.1): the loss has fallen to under a third by epoch 30.
    assert float(paused["loss"]) < 0.5 * start, (start, paused)
    state = engine.call(STATE, 0)
    assert state["epoch"] == int(paused["epoch"]) and not state["training"]


def test_step_by_step_one_epoch_then_one_computation(engine):
    wait_ready(engine)
    before = engine.call(ATTRS, 0)
    engine.click(BUTTON, 0, "Paso")
    after = engine.wait_for(
        "(i, e) => { const d = document.querySelectorAll('backprop-widget')[i].dataset; return d.epoch !== e && {...d}; }",
        0, before["epoch"], timeout=60)
    assert int(after["epoch"]) == int(before["epoch"]) + 1
    assert after["loss"] != before["loss"]
    # The step-by-step widget: "Siguiente" replays the engine's trace, one computation each.
    index = engine.call(ADD_STEPPER)
    wait_ready(engine, index)
    engine.click(BUTTON, index, "Siguiente")
    first = engine.wait_for(f"(i) => {{ const t = ({STEPPER_TEXT})(i); return /Cálculo 1 de \\d+/.test(t) && t; }}",
                            index, timeout=60)
    assert "z =" in first and re.search(r"\d,\d", first), first
    engine.click(BUTTON, index, "Siguiente")
    engine.wait_for(f"(i) => ({STEPPER_TEXT})(i).includes('Cálculo 2 de')", index, timeout=60)
    assert "NaN" not in engine.call(STEPPER_TEXT, index)


def test_a_bad_learning_rate_is_refused_in_spanish_and_the_state_is_kept(engine):
    wait_ready(engine)
    before = engine.call(STATE, 0)
    refused = engine.call(REFUSE, 0, -1)
    assert refused, "setConfig accepted a negative learning rate"
    assert refused["field"] == "learning_rate", refused
    assert re.search(r"tasa de aprendizaje", refused["message"], re.I), refused
    assert engine.call(STATE, 0) == before
    assert engine.call(WIDGET_STATE, 0) == "ready"


def test_no_request_left_loopback_and_no_console_error(engine):
    wait_ready(engine)
    seen = engine.requested_urls()
    outside = sorted({url for url in seen if not is_local(url)})
    assert not outside, f"{engine.name} requested non-loopback URLs: {outside}"
    paths = {urlparse(url).path for url in seen}
    assert any(p.startswith("/backprop-widget/widget.") for p in paths), seen  # the monitor saw the page load
    if engine.name != "webkit":  # Chromium and Firefox report the worker's own requests too
        assert "/backpropagation/pyodide.asm.wasm" in paths, seen
    # (WebKit: its loopback proxy saw every request to any other host; none here, see above.)
    # The loopback server served the worker everything it loaded: Pyodide, numpy, the engine.
    served = engine.server_log[engine.served_from:]
    for needed in ("pyodide.asm.wasm", "python_stdlib.zip", "numpy-", "backprop-"):
        assert any(p.startswith(f"/backpropagation/{needed}") for p in served), (needed, served)
    # And nothing went wrong on the way, where the driver can read the console (not WebKit's).
    assert not engine.console_errors(), engine.console_errors()
