"""The foundation's promise, end to end: a Hugo page with the shortcode, real Chromium, the real
bundle in a Web Worker, a click on "Entrenar", and a loss that falls."""

import re

from playwright.sync_api import expect

LOAD_TIMEOUT = 90_000  # Pyodide + numpy on a busy 2-core machine


def widget_pages(public):
    return sorted(p for p in public.rglob("index.html") if "<backprop-widget" in p.read_text(encoding="utf-8"))


def first_widget_url(base, public):
    folder = widget_pages(public)[0].parent.relative_to(public).as_posix()
    return f"{base}/" if folder == "." else f"{base}/{folder}/"


def test_example_site_has_pages_with_the_widget(example_public):
    assert widget_pages(example_public), "no page of the example site embeds <backprop-widget>"


def test_reader_clicks_entrenar_and_the_loss_falls(page, example_site, example_public):
    page.goto(first_widget_url(example_site, example_public))
    widget = page.locator("backprop-widget").first
    expect(widget).to_have_attribute("data-state", "ready", timeout=LOAD_TIMEOUT)
    start_loss = float(widget.get_attribute("data-loss"))
    assert start_loss > 0
    assert widget.get_attribute("data-epoch") == "0"

    widget.get_by_role("button", name=re.compile(r"^Entrenar")).click()
    page.wait_for_function("el => Number(el.dataset.epoch) >= 60", arg=widget.element_handle(), timeout=LOAD_TIMEOUT)
    widget.get_by_role("button", name=re.compile(r"^Pausar")).click()
    expect(widget).to_have_attribute("data-state", "ready")

    trained_loss = float(widget.get_attribute("data-loss"))
    assert trained_loss < 0.8 * start_loss, (start_loss, trained_loss)
    # The loss the page shows to the reader is the engine's, in Spanish format.
    shown = widget.evaluate("el => (el.shadowRoot || el).textContent")
    assert "NaN" not in shown
    assert not page.console_errors, page.console_errors


def test_the_widget_loads_python_in_one_web_worker(page, example_site, example_public):
    workers = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(first_widget_url(example_site, example_public))
    expect(page.locator("backprop-widget").first).to_have_attribute("data-state", "ready", timeout=LOAD_TIMEOUT)
    assert len(workers) == 1, workers
    requested = " ".join(page.requested_urls)
    assert "pyodide.asm.wasm" in requested and "numpy-" in requested and "backprop-" in requested
