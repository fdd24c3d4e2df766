"""A state you can share (issue 10): "Copiar enlace" round-trips the whole config and seed in a
new page, a malformed or hostile hash changes nothing, and Exportar/Importar continue bit for
bit through the engine's save/load."""

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
LOAD_TIMEOUT = 90_000
PAGE = "/tests/e2e/pages/widget.html"


@pytest.fixture(scope="module")
def base(serve, bundle_dir):
    return serve(REPO, {"/backpropagation/": bundle_dir})


def ready(page, url):
    page.goto(url)
    widget = page.locator("backprop-widget")
    expect(widget).to_have_attribute("data-state", "ready", timeout=LOAD_TIMEOUT)
    return widget


def test_link_round_trips_the_whole_config_in_a_new_page(page, base):
    widget = ready(page, f"{base}{PAGE}")
    widget.evaluate("el => el.setConfig({seed: 7, hidden: [3, 5], optimizer: 'adam', beta1: 0.8, noise: 0.2, learning_rate: 0.03, clip_norm: 2})")
    widget.get_by_role("button", name="Copiar enlace").click()
    page.wait_for_function("location.hash.includes('bp-w1=')")
    config = widget.evaluate("el => el.getState().config")
    other = page.context.new_page()
    widget2 = ready(other, page.url)
    other.wait_for_function("el => el.getState().config.seed === 7", arg=widget2.element_handle(), timeout=30_000)
    assert widget2.evaluate("el => el.getState().config") == config
    other.close()


@pytest.mark.parametrize("fragment", [
    "bp-w1=%7Bbad",
    "bp-w1=" + quote(json.dumps({"__proto__": {"x": 1}, "learning_rate": 0.2})),
    "bp-w1=" + quote(json.dumps({"learning_rate": -1})),          # the engine refuses it
    "bp-w1=" + quote(json.dumps({"hidden": [4, 9999]})),
])
def test_a_malformed_or_hostile_hash_changes_nothing(page, base, fragment):
    plain = ready(page, f"{base}{PAGE}").evaluate("el => el.getState().config")
    widget = ready(page, f"{base}{PAGE}?x=1#{fragment}")
    expect(widget.locator(".bp-notice")).to_contain_text("El enlace no contiene una configuración válida")
    assert widget.evaluate("el => el.getState().config") == plain


def test_export_then_import_continues_bit_for_bit(page, base, tmp_path):
    widget = ready(page, f"{base}{PAGE}?config={quote(json.dumps({'optimizer': 'adam', 'dropout': 0.1}))}")
    widget.evaluate("el => el.train(5)")
    with page.expect_download() as info:
        widget.get_by_role("button", name="Exportar").click()
    path = tmp_path / "session.json"
    info.value.save_as(path)
    assert json.loads(path.read_text())["epoch"] == 5
    widget.evaluate("el => el.train(10)")
    first = widget.evaluate("el => el.snapshot.network.weights")
    widget.locator("input[type=file]").set_input_files(str(path))
    page.wait_for_function("el => el.getState().epoch === 5", arg=widget.element_handle())
    expect(widget.locator(".bp-share-status")).to_contain_text("sigue desde la época 5")
    widget.evaluate("el => el.train(10)")
    assert widget.evaluate("el => el.snapshot.network.weights") == first
    # A file that is not a session is refused and the network keeps its state.
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "otra cosa"}')
    widget.locator("input[type=file]").set_input_files(str(bad))
    expect(widget.locator(".bp-share-status")).to_contain_text("El estado no es una sesión guardada")
    assert widget.evaluate("el => el.getState().epoch") == 15
