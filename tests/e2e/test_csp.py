"""The widget under a strict Content-Security-Policy (issue 13, items 1 and 12): the policy
docs/authoring.md gives authors (read from there, so the documented one is the tested one)
loads, styles, trains and steps the widget with no violation; a policy without
'wasm-unsafe-eval' or connect-src ends in the Spanish error with the reason."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support import StaticServer
from test_widget import LOAD_TIMEOUT, epoch, wait_ready

REPO = Path(__file__).resolve().parents[2]
PAGE = "/tests/e2e/pages/csp.html"


def documented_policy() -> str:
    text = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    return re.search(r"^Content-Security-Policy: (.+)$", text, re.M)[1]


@pytest.fixture
def csp_page(page, bundle_dir):
    servers = []

    def open_with(policy):
        server = StaticServer(REPO, {"/backpropagation/": bundle_dir},
                              headers={"Content-Security-Policy": policy}).__enter__()
        servers.append(server)
        page.goto(server.url + PAGE)
        return page.locator("backprop-widget")
    yield open_with
    for server in servers:
        server.__exit__(None, None, None)


def test_the_documented_policy_is_strict():
    policy = documented_policy()
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "style-src 'self'" in policy and "require-trusted-types-for 'script'" in policy


def test_the_widget_works_under_the_documented_policy(page, csp_page):
    widget = csp_page(documented_policy())
    wait_ready(widget)
    # Styled: the adopted stylesheet applies (44 px buttons, the panel's background).
    height = widget.locator(".bp-train").evaluate("b => getComputedStyle(b).minHeight")
    assert height == "44px", height
    # No <style> element; inline styles set through the CSSOM (el.style.x) are allowed by CSP.
    assert widget.evaluate("el => el.shadowRoot.querySelectorAll('style').length") == 0
    widget.evaluate("el => el.train(3)")
    assert epoch(widget) == 3
    # Step by step: the engine's trace drawn without markup sinks.
    widget.get_by_role("button", name=re.compile(r"^Siguiente")).first.click()
    expect(widget.locator(".bp-stepper")).to_contain_text("=", timeout=LOAD_TIMEOUT)
    assert page.evaluate("window.__bp.violations") == []
    assert not page.console_errors, page.console_errors


@pytest.mark.parametrize("policy, reason", [
    ("script-src 'self'; worker-src 'self'", "falta 'wasm-unsafe-eval'"),
    ("script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'none'", "connect-src"),
])
def test_a_policy_that_blocks_python_names_the_reason(csp_page, policy, reason):
    widget = csp_page(policy)
    expect(widget).to_have_attribute("data-state", "error", timeout=LOAD_TIMEOUT)
    expect(widget.get_by_text("No se ha podido cargar la demostración.")).to_be_visible()
    assert reason in widget.locator(".bp-error .bp-detail").first.inner_text()
    expect(widget.get_by_role("button", name=re.compile(r"^Reintentar"))).to_be_visible()
