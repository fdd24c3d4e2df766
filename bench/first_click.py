"""The first click before Python (docs/widget.md): navigation → the first "Siguiente" answered,
on the course's step-by-step page (unit 2), whose first view build.py ships beside the bundle.
A script in the page presses "Siguiente" as soon as the widget shows its diagram, and notes when
the step panel shows the first computation; the engine's ready time is noted for comparison.
Target (issue 11): under 300 ms.

    measure(browser, sites, profile) -> {"first_click_ms", "first_view_ms", "first_click_ready_ms", ...}
"""

from __future__ import annotations

import json
import statistics

from measure import LOAD_TIMEOUT, Session

PAGE = "/curso/unidad-02/"
DONE = "first click: measured"
# In the page from its first script on: press Siguiente the first frame the diagram is there.
PRESS_AT_ONCE = """
window.__firstClick = {};
(function poll() {
  const w = document.querySelector("backprop-widget");
  const root = w && w.shadowRoot;
  const body = root && root.querySelector(".bp-body");
  const f = window.__firstClick;
  if (body && !body.hidden && f.view === undefined) {
    f.view = performance.now();
    f.state = w.getAttribute("data-state");
    root.querySelector(".bp-next").click();
  }
  const counter = root && root.querySelector(".bp-step-counter");
  if (f.view !== undefined && f.click === undefined && counter && counter.textContent) f.click = performance.now();
  if (w && w.getAttribute("data-state") === "ready" && f.ready === undefined) f.ready = performance.now();
  if (f.ready === undefined || f.click === undefined) requestAnimationFrame(poll);
  else console.debug(DONE);
})();
""".replace("DONE", json.dumps(DONE))


def _load(session: Session, url: str) -> dict:
    # The page says when it is done: waiting with wait_for_function would inject Playwright's
    # script into the page, a task of 20-60 ms that lands on the path being measured.
    with session.page.expect_console_message(lambda m: m.text == DONE, timeout=LOAD_TIMEOUT):
        session.page.goto(url)
    return session.page.evaluate("window.__firstClick")


def measure(browser, sites: dict, p: dict) -> dict:
    """Cold (a fresh context) and warm (reloaded) loads, p["startup"] rounds; medians in ms."""
    rows = []
    for _ in range(p["startup"]):
        session = Session(browser)
        session.context.add_init_script(PRESS_AT_ONCE)
        try:
            rows += [dict(_load(session, sites["example"] + PAGE), cold=cold) for cold in (True, False)]
        finally:
            session.close()
    cold = [r for r in rows if r["cold"]]
    median = lambda rs, k: round(statistics.median(r[k] for r in rs), 1)  # noqa: E731
    return {"first_click_ms": median(cold, "click"), "first_click_warm_ms": median([r for r in rows if not r["cold"]], "click"),
            "first_view_ms": median(cold, "view"), "first_click_ready_ms": median(cold, "ready"),
            "first_click_before_engine": all(r["state"] == "loading" for r in rows),
            "first_click_runs": [round(r["click"], 1) for r in cold], "first_click_page": PAGE}
