"""The first click before Python, in Chromium: with the Pyodide files held back, the shipped
first view (first-view/ beside the bundle, python/backprop/firstview.py) draws the diagram, the
data and the boundary, and "Siguiente" is answered with the engine's numbers; released, the
engine takes over at the same computation with the same numbers, and training works."""

import json
import sys
from pathlib import Path

from playwright.sync_api import expect

from test_steps import assert_shows
from test_widget import base, open_page, wait_ready  # noqa: F401 (fixture)

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))
from backprop.firstview import canonical_config, config_key  # noqa: E402

# What the worker loads first; held, the engine cannot start.
HELD = ["**/backpropagation/pyodide*", "**/widget/src/worker.js"]
# Pixels drawn on a view's canvas (a blank canvas has none).
INKED = """(w, sel) => {
  const c = w.shadowRoot.querySelector(sel + " canvas");
  const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i]) n++;
  return n;
}"""
# Counts each view's redraws (every draw clears its canvas first) and, the first frame the body
# is shown, which views were drawn by then.
COUNT_DRAWS = """
window.__draws = {};
const clear = CanvasRenderingContext2D.prototype.clearRect;
CanvasRenderingContext2D.prototype.clearRect = function (...args) {
  const view = this.canvas.closest && this.canvas.closest(".bp-view");
  if (view) for (const name of ["bp-network", "bp-data", "bp-chart"]) {
    if (view.classList.contains(name)) window.__draws[name] = (window.__draws[name] || 0) + 1;
  }
  return clear.apply(this, args);
};
(function poll() {
  const body = document.querySelector("backprop-widget")?.shadowRoot?.querySelector(".bp-body");
  if (body && !body.hidden) window.__drawnWhenShown = { ...window.__draws };
  else requestAnimationFrame(poll);
})();
"""
FRAMES = "n => new Promise((done) => { const f = (k) => (k ? requestAnimationFrame(() => f(k - 1)) : done()); f(n); })"
LIVE_FIRST_STEP = """async (w) => {
  const before = await w.engine("save", {});
  const reply = await w.engine("trace", {indices: [0]});
  await w.engine("load", {state: before.state});
  return reply.trace;
}"""


def shipped(bundle_dir, config, lang):
    key = config_key(canonical_config(config, lang))
    return json.loads((bundle_dir / "first-view" / f"{key}.json").read_text(encoding="utf-8"))


def close(a, b, rel=1e-12):
    """Equal structure and strings, numbers to 12 significant digits: numpy on CPython (OpenBLAS)
    and in Pyodide (no BLAS) sum a matrix product in another order, so the last bits differ."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= rel * max(1.0, abs(a), abs(b))
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(close(x, y, rel) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(close(a[k], b[k], rel) for k in a)
    return a == b


def last_number(text):
    return text.rsplit("=", 1)[1].strip()


def test_first_click_is_answered_before_python_then_the_engine_takes_over(page, base, bundle_dir):
    view = shipped(bundle_dir, {}, "es")
    events = view["trace"]["events"]
    held, holding = [], [True]
    for pattern in HELD:
        page.context.route(pattern, lambda route: held.append(route) if holding[0] else route.continue_())
    widget = open_page(page, base, mode="paso-a-paso").first
    shadow = widget.locator(".bp-body")
    expect(shadow).to_be_visible(timeout=20_000)
    expect(widget).to_have_attribute("data-state", "loading")
    expect(widget.get_by_text("Cargando Python…")).to_be_visible()
    assert widget.evaluate(INKED, ".bp-network") > 0
    # The data and the boundary follow the diagram within a few frames (widget.md).
    page.wait_for_function(f"({INKED})(document.querySelector('backprop-widget'), '.bp-data') > 0")
    assert_shows(widget.locator(".bp-loss").inner_text(), view["before"]["loss"], "the loss shown")
    assert widget.get_attribute("data-loss") is None, "the attributes are the engine's (ready)"

    nxt = widget.locator(".bp-next")
    counter = widget.locator(".bp-step-counter")
    for k in range(1, 4):
        nxt.click()
        expect(counter).to_contain_text(f"Cálculo {k} de {len(events)}")
        assert_shows(last_number(widget.locator(".bp-numbers").inner_text()), events[k - 1]["value"][0],
                     f"computation {k}")
    assert held, "the engine's files were requested and held back"
    assert widget.get_attribute("data-state") == "loading"

    holding[0] = False
    for route in held:
        route.continue_()
    wait_ready(widget)
    # The replay stays where the reader was; the engine's numbers are the shipped ones.
    expect(counter).to_contain_text(f"Cálculo 3 de {len(events)}")
    assert close(float(widget.get_attribute("data-loss")), view["before"]["loss"])
    assert close(widget.evaluate(LIVE_FIRST_STEP), view["trace"])
    nxt.click()
    expect(counter).to_contain_text(f"Cálculo 4 de {len(events)}")

    widget.evaluate("w => w.train(5)")
    assert int(widget.get_attribute("data-epoch")) == 5
    assert float(widget.get_attribute("data-loss")) != view["before"]["loss"]
    assert not page.console_errors


def test_a_config_without_a_shipped_file_loads_as_before(page, base, bundle_dir):
    config = {"hidden": [3], "seed": 7}
    key = config_key(canonical_config(config, "es"))
    assert not (bundle_dir / "first-view" / f"{key}.json").exists()
    asked = []
    page.on("request", lambda r: "/first-view/" in r.url and asked.append(r.url.rsplit("/", 1)[1]))
    widget = open_page(page, base, config=config, mode="paso-a-paso").first
    wait_ready(widget)
    assert asked == ["index.json"]
    widget.locator(".bp-next").click()
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 1 de")
    assert not page.console_errors


def hold_the_engine(page):
    for pattern in HELD:
        page.context.route(pattern, lambda route: None)


def test_the_diagram_comes_first_and_the_first_click_redraws_only_it(page, base):
    """The shipped first view draws the diagram with the body; the data, the boundary and the
    curve follow within a few frames; "Siguiente" redraws the diagram and nothing else (the step
    panel growing is no resize of the views)."""
    hold_the_engine(page)
    page.add_init_script(COUNT_DRAWS)
    widget = open_page(page, base, mode="paso-a-paso").first
    page.wait_for_function("window.__drawnWhenShown", timeout=20_000)
    shown = page.evaluate("window.__drawnWhenShown")
    assert shown.get("bp-network", 0) >= 1, shown
    page.wait_for_function("window.__draws['bp-data'] >= 1 && window.__draws['bp-chart'] >= 1")
    page.evaluate(FRAMES, 5)
    before = page.evaluate("({...window.__draws})")
    widget.locator(".bp-next").click()
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 1 de")
    page.evaluate(FRAMES, 5)
    after = page.evaluate("({...window.__draws})")
    assert after["bp-network"] > before["bp-network"], "the diagram shows the first computation"
    assert (after["bp-data"], after["bp-chart"]) == (before["bp-data"], before["bp-chart"]), (before, after)
    assert widget.get_attribute("data-state") == "loading"
    assert not page.console_errors


def test_step_by_step_warms_its_formulas_up_unseen_while_loading(page, base):
    """A formula laid out in the loading panel, never seen nor read out, so the first step's
    formula does not load the browser's MathML sheet and fonts on the reader's click."""
    hold_the_engine(page)
    widget = open_page(page, base, mode="paso-a-paso").first
    warm = widget.locator(".bp-loading .bp-warm-up")
    expect(warm.locator("math")).to_have_count(1)
    assert warm.get_attribute("aria-hidden") == "true"
    expect(warm).to_be_hidden()
    assert warm.evaluate("el => el.getBoundingClientRect().height") == 0
    page.goto("about:blank")
    widget = open_page(page, base).first
    expect(widget.locator(".bp-loading")).to_be_visible()
    expect(widget.locator(".bp-warm-up")).to_have_count(0)
