"""Input that used to be ignored, silently defaulted or let through (issue 13, items 5, 6, 10):
each is refused in Spanish with the limit, reported as backprop:error, and the network keeps
its state."""

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from test_widget import LOAD_TIMEOUT, epoch, loss, open_page, wait_ready

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def base(serve, bundle_dir):
    return serve(REPO, {"/backpropagation/": bundle_dir})


def test_step_by_step_on_a_diverged_network_shows_the_engines_refusal(page, base):
    config = {"dataset": "multigauss", "activation": "linear", "learning_rate": 10}
    widget = open_page(page, base, config=config, mode="paso-a-paso").first
    wait_ready(widget)
    widget.evaluate("el => el.train(200)")
    assert widget.evaluate("el => el.getState().status") == "diverged"
    widget.get_by_role("button", name=re.compile(r"^Siguiente")).first.click()
    notice = widget.locator(".bp-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("diverg")
    assert page.evaluate("window.__bp.error")[-1]["code"] == "diverged"


def test_setconfig_cannot_bypass_the_widget_limits_and_answers_at_once(page, base):
    widget = open_page(page, base).first
    wait_ready(widget)
    widget.evaluate("el => el.train(5)")
    before = (epoch(widget), loss(widget))
    t0 = time.monotonic()
    message = widget.evaluate("el => el.setConfig({hidden: Array(16).fill(256)}).then(() => 'accepted', (e) => e.message)")
    assert time.monotonic() - t0 < 5
    assert "como máximo 8" in message and "entre 1 y 16" in message, message
    assert (epoch(widget), loss(widget)) == before


@pytest.mark.parametrize("rate", ["1e9", "1e308"])
def test_absurd_learning_rates_are_refused_with_the_bound(page, base, rate):
    widget = open_page(page, base).first
    wait_ready(widget)
    message = widget.evaluate(f"el => el.setConfig({{learning_rate: {rate}}}).then(() => 'accepted', (e) => e.message)")
    assert message == "La tasa de aprendizaje debe ser un número mayor que 0 y menor o igual que 10.", message


def test_the_batch_message_states_the_real_limit(page, base):
    widget = open_page(page, base).first
    wait_ready(widget)
    message = widget.evaluate("el => el.setConfig({batch_size: 5000}).then(() => 'accepted', (e) => e.message)")
    assert "entre 1 y 150" in message, message


def test_a_malformed_live_data_config_gives_a_notice_and_an_error_event(page, base):
    widget = open_page(page, base).first
    wait_ready(widget)
    before = (epoch(widget), loss(widget))
    widget.evaluate("el => el.setAttribute('data-config', '{\"hidden\": [3,')")
    expect(widget.locator(".bp-notice")).to_contain_text("data-config no es un objeto JSON válido")
    assert page.evaluate("window.__bp.error")[-1]["code"] == "invalid_config"
    widget.evaluate("el => el.setAttribute('data-config', '[1, 2]')")
    assert [e["code"] for e in page.evaluate("window.__bp.error")].count("invalid_config") == 2
    assert (epoch(widget), loss(widget)) == before
    # A well-formed one beyond the limits is the engine's refusal, also shown.
    widget.evaluate("el => el.setAttribute('data-config', JSON.stringify({n_samples: 2000}))")
    expect(widget.locator(".bp-notice")).to_contain_text("entre 10 y 1000", timeout=LOAD_TIMEOUT)


@pytest.mark.parametrize("raw", ['"hola"', "42", "[]", "null"])
def test_a_data_config_that_is_not_an_object_is_refused_not_defaulted(page, base, raw):
    widget = open_page(page, base, config=raw).first
    expect(widget).to_have_attribute("data-state", "error", timeout=LOAD_TIMEOUT)
    expect(widget.locator(".bp-error .bp-detail").first).to_contain_text("data-config no es un objeto JSON válido")
    assert page.evaluate("window.__bp.error")[-1]["code"] == "invalid_config"
