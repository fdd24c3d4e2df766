"""Faults that used to leave the reader stuck (issue 13, items 1-5): each ends in a Spanish
message and a way out. A loopback server withholds a bundle file or never answers; the worker
is terminated or made to throw from the test."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support import StaticServer
from test_widget import LOAD_TIMEOUT, epoch, loss, open_page, wait_ready

REPO = Path(__file__).resolve().parents[2]
FAULT_TIMEOUT = 60_000


@pytest.fixture
def faulty(bundle_dir):
    """faulty(faults) -> (base URL, faults dict): the dict may be emptied to repair the server."""
    servers = []

    def start(faults):
        server = StaticServer(REPO, {"/backpropagation/": bundle_dir}, faults=faults)
        servers.append(server.__enter__())
        return server.url, faults
    yield start
    for server in servers:
        server.__exit__(None, None, None)


def uncaught(page):
    return [e for e in page.console_errors if "uncaught" in e.lower() or "unhandled" in e.lower()]


def expect_load_error(page, widget, reason):
    expect(widget).to_have_attribute("data-state", "error", timeout=FAULT_TIMEOUT)
    expect(widget.get_by_text("No se ha podido cargar la demostración.")).to_be_visible()
    detail = widget.locator(".bp-error .bp-detail").first.inner_text()
    assert re.search(reason, detail), detail
    errors = page.evaluate("window.__bp.error")
    assert errors and errors[-1]["code"] == "load_failed", errors
    return widget.get_by_role("button", name=re.compile(r"^Reintentar"))


@pytest.mark.parametrize("missing", ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"])
def test_a_missing_bundle_file_names_it_and_reintentar_recovers(page, faulty, missing):
    base, faults = faulty({missing: 404})
    widget = open_page(page, base).first
    retry = expect_load_error(page, widget, re.escape(f"Falta {missing} (HTTP 404)"))
    assert not uncaught(page), page.console_errors
    faults.clear()  # the file is back
    retry.click()
    wait_ready(widget)
    assert loss(widget) > 0


def test_a_stage_that_never_ends_hits_its_deadline(page, faulty):
    base, faults = faulty({"pyodide.asm.wasm": "stall"})
    page.add_init_script("import('/widget/src/protocol.js').then((m) => { m.LOAD_DEADLINES.pyodide = 4000; })")
    widget = open_page(page, base).first
    retry = expect_load_error(page, widget, "demasiado tiempo parada en el paso «Descargando Python")
    faults.clear()
    page.evaluate("import('/widget/src/protocol.js').then((m) => { m.LOAD_DEADLINES.pyodide = 180000; })")
    retry.click()
    wait_ready(widget)


TERMINATE = "import('/widget/src/protocol.js').then((m) => m.pageClients()[0].worker.terminate())"


def test_a_worker_terminated_mid_training_is_noticed_and_the_session_restored(page, faulty):
    base, _ = faulty({})
    widget = open_page(page, base).first
    wait_ready(widget)
    widget.evaluate("el => el.train()")
    expect(widget).to_have_attribute("data-state", "training")
    page.wait_for_function("el => Number(el.dataset.epoch) >= 60", arg=widget.element_handle(), timeout=LOAD_TIMEOUT)
    page.wait_for_timeout(2500)  # at least one save while training
    page.evaluate(TERMINATE)
    # Noticed, told, out of "training", and every call settles instead of hanging.
    page.wait_for_function("el => el.dataset.state !== 'training'", arg=widget.element_handle(), timeout=15_000)
    expect(widget.locator(".bp-notice")).to_contain_text("El proceso de Python se ha detenido")
    codes = [e["code"] for e in page.evaluate("window.__bp.error")]
    assert "worker_lost" in codes, codes
    settled = widget.evaluate("""el => Promise.race([
        Promise.allSettled([el.pause(), el.train(1), el.reset(), el.setConfig({noise: 0.2})]).then(() => 'settled'),
        new Promise((r) => setTimeout(() => r('hung'), 20000))])""")
    assert settled == "settled"
    # Restored by itself from the last save: not epoch 0, and training goes on from there.
    wait_ready(widget)
    restored = epoch(widget)
    assert restored >= 30, restored
    expect(widget.locator(".bp-notice")).to_contain_text("Restaurado")
    widget.evaluate("el => el.train(5)")
    assert epoch(widget) == restored + 5


def test_a_worker_error_event_restores_the_same_epoch_and_weights(page, faulty):
    base, _ = faulty({})
    widget = open_page(page, base).first
    wait_ready(widget)
    widget.evaluate("el => el.train(150)")
    page.wait_for_timeout(1500)  # the save after a change
    before = (epoch(widget), loss(widget))
    assert before[0] == 150
    page.workers[0].evaluate("setTimeout(() => { throw new Error('simulated crash'); }, 0)")
    page.wait_for_function("el => el.dataset.state === 'loading'", arg=widget.element_handle(), timeout=15_000)
    wait_ready(widget)
    assert (epoch(widget), loss(widget)) == before
    # Same epoch and loss (the saved weights), and training goes on from there.
    widget.evaluate("el => el.train(1)")
    assert epoch(widget) == 151


def test_a_lost_idle_worker_is_noticed_by_the_next_call(page, faulty):
    base, _ = faulty({})
    widget = open_page(page, base).first
    wait_ready(widget)
    widget.evaluate("el => el.train(20)")
    page.wait_for_timeout(1500)
    page.evaluate(TERMINATE)
    result = widget.evaluate("el => el.train(1).then(() => 'ok', (e) => e.code || e.message)")
    assert result == "worker_lost"
    wait_ready(widget)
    assert epoch(widget) == 20
