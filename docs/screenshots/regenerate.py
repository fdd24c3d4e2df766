"""Regenerates the screenshots the docs reference (docs/widget.md), in headless Chromium with
the bundle in dist/ (`python3 build.py bundle` first):

    .venv/bin/python docs/screenshots/regenerate.py [scene ...]

Scenes: widget, controls, data-regression, panels, steps, edit, chain-rule (all by default), each
at 360, 1280 and 1920 px, light and dark, as the docs list them. The console's screenshots come
from the console's own page and are not made here. Open the PNGs and look before committing."""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "python"), str(REPO / "python")]
from support import BUNDLE_DIR, CHROMIUM, CHROMIUM_ARGS, EXAMPLE_SITE, StaticServer, hugo_build  # noqa: E402
from test_worked_example import classic_state  # noqa: E402

WIDTHS = (360, 1280, 1920)
THEMES = ("light", "dark")
TIMEOUT = 180_000
W11 = "Peso de x₁ a neurona 1 (capa oculta 1)"


def ready(page):
    page.wait_for_function("() => [...document.querySelectorAll('backprop-widget')]"
                           ".every((el) => el.dataset.state === 'ready')", timeout=TIMEOUT)
    return page.locator("backprop-widget").first


def test_page(page, base, **params):
    query = "&".join(f"{k}={quote(json.dumps(v) if isinstance(v, dict) else str(v))}" for k, v in params.items())
    page.goto(f"{base}/tests/e2e/pages/widget.html?{query}")
    return ready(page)


def button(widget, name):
    return widget.get_by_role("button", name=re.compile("^" + re.escape(name)))


def finished_step(page, base):
    """The classic 2-2-2 example, its first step played to the end."""
    widget = test_page(page, base, mode="paso-a-paso")
    widget.evaluate("(w, s) => w.loadState(s)", classic_state())
    page.wait_for_function("el => el.dataset.loss.startsWith('0.2983711')", arg=widget.element_handle())
    button(widget, "Siguiente").click()
    button(widget, "Ir al final del paso").click()
    widget.locator(".bp-step-counter").filter(has_text="44 de 44").wait_for()
    return widget


def scene_widget(page, sites, width):
    """The example site's demo after 30 epochs, a weight selected from the keyboard."""
    page.goto(f"{sites['site']}/backpropagation-aprendizaje/")
    widget = ready(page)
    widget.evaluate("el => el.train(30)")
    widget.locator(".bp-network canvas").focus()
    page.keyboard.press("ArrowRight")
    return page.locator(".bp-demo").first


def scene_controls(page, sites, width):
    """The settings form with its folds open."""
    widget = test_page(page, sites["repo"])
    widget.evaluate("el => el.shadowRoot.querySelectorAll('.bp-controls details').forEach((d) => { d.open = true; })")
    return widget.locator(".bp-controls")


def scene_data_regression(page, sites, width):
    """A regression map with its colour scale, after 40 epochs."""
    widget = test_page(page, sites["repo"], config={"dataset": "multigauss", "hidden": [8, 6]})
    widget.evaluate("el => el.train(40)")
    return widget.locator(".bp-views")


def scene_panels(page, sites, width):
    """Every diagnostic panel open, the landscape computed, the gradient checked."""
    widget = test_page(page, sites["repo"], config={"optimizer": "adam"}, panels="gradientes,paisaje,comprobacion,grafo")
    widget.evaluate("el => el.train(20)")
    button(widget, "Comprobar el gradiente").click()
    widget.locator("section[data-panel=comprobacion] table").wait_for(timeout=TIMEOUT)
    status = widget.locator("section[data-panel=paisaje] [role=status]")
    status.filter(has_text="Paisaje de la época").wait_for(timeout=TIMEOUT)
    button(widget, "Calcular el paisaje").click()  # the map of now, with the path that led here
    status.filter(has_text="Paisaje de la época 20").wait_for(timeout=TIMEOUT)
    button(widget, "Todos los gradientes").click()
    return widget


def scene_steps(page, sites, width):
    """A finished step of the classic 2-2-2 example, a weight pinned."""
    widget = finished_step(page, sites["repo"])
    widget.locator(".bp-network canvas").focus()
    for key in ("ArrowRight", "ArrowRight", "Enter"):
        page.keyboard.press(key)
    widget.locator(".bp-chain-paths li").first.wait_for()
    return widget


def number_on_diagram(widget, name):
    item = widget.locator(".bp-diagram-numbers li", has_text=re.compile("^" + re.escape(name + ":")))
    x, y = map(int, item.get_attribute("data-at").split(","))
    widget.locator(".bp-network canvas").click(position={"x": x, "y": y})


def scene_edit(page, sites, width):
    """The field open on the diagram with the engine's refusal, after an accepted edit that stays
    marked (w₁₁ = 0,2); on a phone the output neuron's bias."""
    widget = finished_step(page, sites["repo"])
    if width > 480:
        number_on_diagram(widget, W11)
        widget.get_by_label(W11 + ": nuevo valor").fill("0,2")
        page.keyboard.press("Enter")
        button(widget, "Ir al final del paso").click()
        widget.locator(".bp-step-counter").filter(has_text="44 de 44").wait_for()
        name, label = W11, W11 + ": nuevo valor"
    else:
        name, label = "neurona 2 (salida)", "Sesgo de neurona 2 (salida): nuevo valor"
        widget.locator(".bp-network canvas").dispatch_event("pointerdown", {"pointerType": "touch"})
    number_on_diagram(widget, name)
    widget.get_by_label(label).fill("abc")
    page.keyboard.press("Enter")
    widget.locator(".bp-network .bp-edit-error").filter(has_text="número").wait_for()
    return widget.locator(".bp-network")


def scene_chain_rule(page, sites, width):
    """The chain-rule panel of a pinned weight."""
    return scene_steps(page, sites, width).locator(".bp-chain")


SCENES = {"widget": scene_widget, "controls": scene_controls, "data-regression": scene_data_regression,
          "panels": scene_panels, "steps-2-2-2": scene_steps, "edit-2-2-2": scene_edit,
          "chain-rule": scene_chain_rule}
# The files docs/widget.md references (the rest of each scene's widths and themes are not made).
ONLY = {"data-regression": {(1280, "light")},
        "chain-rule": {(1280, "light"), (1920, "dark"), (360, "light"), (360, "dark")}}


def main(names):
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        public = Path(tmp) / "public"
        built = hugo_build(EXAMPLE_SITE, public, "--baseURL", "/")
        assert built.returncode == 0, built.stderr
        with StaticServer(public, {"/backpropagation/": BUNDLE_DIR}) as site, \
                StaticServer(REPO, {"/backpropagation/": BUNDLE_DIR}) as repo, sync_playwright() as pw:
            sites = {"site": site.url, "repo": repo.url}
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for name in names or SCENES:
                for width in WIDTHS:
                    for theme in THEMES:
                        if name in ONLY and (width, theme) not in ONLY[name]:
                            continue
                        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
                        page = context.new_page()
                        target = SCENES[name](page, sites, width)
                        page.wait_for_timeout(600)  # the last redraw
                        path = HERE / f"{name}-{width}-{theme}.png"
                        target.screenshot(path=path)
                        print(path.relative_to(REPO))
                        context.close()
            browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
