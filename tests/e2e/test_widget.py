"""The <backprop-widget> element in real Chromium with the real bundle, loaded unbundled from
widget/src/ by the static page tests/e2e/pages/widget.html (its query string picks the widgets)."""

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
LOAD_TIMEOUT = 90_000  # Pyodide + numpy on a busy 2-core machine
PAGE = "/tests/e2e/pages/widget.html"


@pytest.fixture(scope="module")
def base(serve, bundle_dir):
    return serve(REPO, {"/backpropagation/": bundle_dir})


RECORD_EVENTS = """
window.__bp = {ready: [], step: [], error: []};
for (const kind of Object.keys(window.__bp)) {
  document.addEventListener("backprop:" + kind, (e) => window.__bp[kind].push(e.detail));
}
"""


def open_page(page, base, **params):
    page.add_init_script(RECORD_EVENTS)
    query = "&".join(f"{k}={quote(json.dumps(v) if isinstance(v, dict) else str(v))}" for k, v in params.items())
    page.goto(f"{base}{PAGE}?{query}")
    return page.locator("backprop-widget")


def wait_ready(widget):
    expect(widget).to_have_attribute("data-state", "ready", timeout=LOAD_TIMEOUT)


def epoch(widget):
    return int(widget.get_attribute("data-epoch"))


def loss(widget):
    return float(widget.get_attribute("data-loss"))


def spanish_number(text):
    """'-0,3001' or '(-0,3001)' -> -0.3001 (the page's Spanish format, parsed independently)."""
    return float(text.strip("()").replace("−", "-").replace(",", "."))


def test_loading_then_ready_with_the_first_loss(page, base):
    widget = open_page(page, base).first
    # Before Python is up the reader sees the Spanish loading state.
    expect(widget).to_have_attribute("data-state", "loading")
    expect(widget.get_by_text("Cargando Python…")).to_be_visible()
    wait_ready(widget)
    assert epoch(widget) == 0
    assert loss(widget) > 0
    assert float(widget.get_attribute("data-val-loss")) > 0
    state = widget.evaluate("el => el.getState()")
    assert state["state"] == "ready" and state["epoch"] == 0
    assert abs(state["loss"] - loss(widget)) < 1e-9
    # The number shown to the reader is that loss, with a decimal comma.
    shown = widget.locator(".bp-loss").inner_text()
    assert "," in shown and abs(spanish_number(shown) - loss(widget)) < 1e-3 * loss(widget)
    detail = page.evaluate("window.__bp.ready")
    assert len(detail) == 1 and detail[0]["epoch"] == 0
    assert not page.console_errors, page.console_errors


def test_training_lowers_the_loss_and_pause_stops_it(page, base):
    widget = open_page(page, base).first
    wait_ready(widget)
    start = loss(widget)
    widget.get_by_role("button", name=re.compile(r"^Entrenar")).click()
    expect(widget).to_have_attribute("data-state", "training")
    page.wait_for_function("el => Number(el.dataset.epoch) >= 40", arg=widget.element_handle(), timeout=LOAD_TIMEOUT)
    widget.get_by_role("button", name=re.compile(r"^Pausar")).click()
    expect(widget).to_have_attribute("data-state", "ready")
    paused_epoch = epoch(widget)
    paused_loss = loss(widget)
    assert paused_loss < 0.8 * start, (start, paused_loss)
    page.wait_for_timeout(1000)
    assert epoch(widget) == paused_epoch, "epochs kept coming after Pausar"
    assert loss(widget) == paused_loss
    seen = page.evaluate("window.__bp.step")
    assert seen, "no backprop:step event while training"
    assert [s["epoch"] for s in seen] == sorted(s["epoch"] for s in seen), "a stale snapshot was drawn after a newer one"
    assert seen[-1]["epoch"] == paused_epoch
    # The chart and the stats show numbers, never NaN.
    assert "NaN" not in widget.inner_text()
    # Tapping the right end of the chart reads the last epoch's numbers.
    chart = widget.locator(".bp-chart canvas")
    box = chart.bounding_box()
    chart.click(position={"x": box["width"] - 2, "y": box["height"] / 2})
    tip = widget.locator(".bp-chart-tip").inner_text()
    m = re.fullmatch(r"Época (\d+): pérdida (\S+), validación (\S+)", tip)
    assert m, tip
    assert int(m[1]) == paused_epoch
    assert abs(spanish_number(m[2]) - paused_loss) < 1e-3 * paused_loss
    # The Paso button trains exactly one epoch.
    widget.get_by_role("button", name=re.compile(r"^Paso")).click()
    expect(widget).to_have_attribute("data-epoch", str(paused_epoch + 1))
    # Reiniciar: back to epoch 0 with new weights.
    widget.get_by_role("button", name=re.compile(r"^Reiniciar")).click()
    expect(widget).to_have_attribute("data-epoch", "0")
    assert loss(widget) > paused_loss
    assert not page.console_errors, page.console_errors


@pytest.mark.parametrize("typed", ["0", "-1", "abc"])
def test_a_bad_learning_rate_is_refused_in_spanish_and_nothing_changes(page, base, typed):
    widget = open_page(page, base).first
    wait_ready(widget)
    widget.evaluate("el => el.train(5)")
    expect(widget).to_have_attribute("data-epoch", "5")
    before = (widget.get_attribute("data-epoch"), widget.get_attribute("data-loss"))
    lr_before = widget.evaluate("el => el.getState().config.learning_rate")
    field = widget.get_by_role("textbox", name=re.compile(r"^Tasa de aprendizaje"))  # not the log slider
    field.fill(typed)
    field.press("Enter")
    field.blur()
    expect(field).to_have_attribute("aria-invalid", "true")
    message = widget.locator(".bp-field-error").filter(has_text=re.compile(r"\S")).first.inner_text()
    assert re.search(r"tasa de aprendizaje", message, re.I), message
    assert re.search(r"[áéíóúñ]", message + "número"), message
    # The JS API refuses the same value with the same Spanish message and keeps the state.
    api_message = widget.evaluate(
        "(el, v) => el.setConfig({learning_rate: v}).then(() => 'accepted', e => e.message)",
        -1 if typed == "-1" else (0 if typed == "0" else typed),
    )
    assert api_message == message
    assert (widget.get_attribute("data-epoch"), widget.get_attribute("data-loss")) == before
    assert widget.evaluate("el => el.getState().config.learning_rate") == lr_before
    # A good value afterwards is accepted and clears the message.
    field.fill("0,05")
    field.press("Enter")
    expect(field).not_to_have_attribute("aria-invalid", "true")
    assert widget.evaluate("el => el.getState().config.learning_rate") == 0.05


def test_a_diverging_network_shows_the_banner_and_never_nan(page, base):
    config = {"dataset": "multigauss", "activation": "linear", "learning_rate": 10}
    widget = open_page(page, base, config=config).first
    wait_ready(widget)
    banner = widget.get_by_text("La red ha divergido: la pérdida se ha disparado.")
    expect(banner).to_be_hidden()
    widget.get_by_role("button", name=re.compile(r"^Entrenar")).click()
    expect(banner).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(banner).to_contain_text("Prueba una tasa de aprendizaje menor y pulsa Reiniciar.")
    # The worker stops by itself; the element goes back to ready.
    expect(widget).to_have_attribute("data-state", "ready")
    assert widget.evaluate("el => el.getState().status") == "diverged"
    html = page.content() + widget.evaluate("el => el.shadowRoot.innerHTML")
    assert "NaN" not in html and "Infinity" not in html
    # Reiniciar with a smaller learning rate recovers.
    widget.evaluate("el => el.setConfig({learning_rate: 0.01})")
    widget.get_by_role("button", name=re.compile(r"^Reiniciar")).click()
    expect(banner).to_be_hidden()
    assert loss(widget) > 0


def test_a_broken_bundle_url_shows_the_error_and_reintentar_recovers(page, base):
    widget = open_page(page, base, bundle="/no-such-bundle/").first
    expect(widget).to_have_attribute("data-state", "error", timeout=LOAD_TIMEOUT)
    expect(widget.get_by_text("No se ha podido cargar la demostración.")).to_be_visible()
    retry = widget.get_by_role("button", name=re.compile(r"^Reintentar"))
    expect(retry).to_be_visible()
    assert widget.get_by_role("button", name=re.compile(r"^Entrenar")).is_hidden()
    # Nothing outside the element is touched.
    assert page.locator("#outside").inner_text() == "Este párrafo no pertenece al widget y no debe cambiar."
    errors = page.evaluate("window.__bp.error")
    assert [e["code"] for e in errors] == ["load_failed"], errors
    assert "/no-such-bundle/" in errors[0]["message"]
    # Point it at the real bundle and retry: a fresh worker loads.
    widget.evaluate("el => el.setAttribute('data-bundle-url', '/backpropagation/')")
    retry.click()
    wait_ready(widget)
    assert loss(widget) > 0


def test_step_by_step_replays_the_trace_with_numbers(page, base):
    widget = open_page(page, base, mode="paso-a-paso").first
    wait_ready(widget)
    stepper = widget.locator(".bp-stepper")
    expect(stepper).to_be_visible()
    nxt = widget.get_by_role("button", name=re.compile(r"^Siguiente"))
    prev = widget.get_by_role("button", name=re.compile(r"^Anterior"))
    nxt.click()
    expect(stepper.locator(".bp-step-counter")).to_contain_text(re.compile(r"Cálculo 1 de \d+"))
    expect(stepper.locator(".bp-formula")).to_contain_text("z =")
    label = stepper.locator(".bp-step-label").inner_text()
    assert "Entrada neta" in label, label
    expect(stepper.locator(".bp-step-where")).to_have_text(
        "Propagación hacia adelante: entrada neta de la neurona 1 (capa oculta 1)")
    expect(stepper.locator(".bp-step-counter")).to_contain_text("Ejemplo 1")
    # z = w₁·a₁ + w₂·a₂ + b = value: check the substituted numbers add up (4 significant digits).
    numbers = stepper.locator(".bp-numbers").inner_text()
    lhs, value = numbers.removeprefix("z = ").rsplit(" = ", 1)
    *products, bias = lhs.split(" + ")
    total = sum(spanish_number(w) * spanish_number(a) for w, a in (p.split("·") for p in products))
    total += spanish_number(bias)
    assert len(products) == 2
    assert abs(total - spanish_number(value)) < 2e-3, numbers
    nxt.click()
    expect(stepper.locator(".bp-step-counter")).to_contain_text("Cálculo 2 de")
    expect(stepper.locator(".bp-step-label")).to_contain_text("Activación")
    prev.click()
    expect(stepper.locator(".bp-step-counter")).to_contain_text("Cálculo 1 de")
    # Walk forward until the backward pass: a delta with the chain rule substituted.
    for _ in range(60):
        nxt.click()
        if "δ =" in stepper.locator(".bp-numbers").inner_text():
            break
    text = stepper.locator(".bp-numbers").inner_text()
    m = re.fullmatch(r"δ = (\S+) · (\S+) = (\S+)", text)
    assert m, text
    assert abs(spanish_number(m[1]) * spanish_number(m[2]) - spanish_number(m[3])) < 2e-3 * max(1, abs(spanish_number(m[3])))
    assert "NaN" not in widget.inner_text()


def test_two_widgets_share_one_worker_and_keep_their_own_sessions(page, base):
    workers = []
    page.on("worker", lambda worker: workers.append(worker.url))
    widgets = open_page(page, base, n=2)
    first, second = widgets.nth(0), widgets.nth(1)
    wait_ready(first)
    wait_ready(second)
    assert len(workers) == 1, workers
    first.evaluate("el => el.train(7)")
    expect(first).to_have_attribute("data-epoch", "7")
    assert second.get_attribute("data-epoch") == "0"
    # Rewriting data-config on a live widget applies it to that widget only.
    first_sizes = first.evaluate("el => el.snapshot.network.sizes.join()")
    second.evaluate("el => el.setAttribute('data-config', JSON.stringify({dataset: 'xor', hidden: [3]}))")
    page.wait_for_function("el => el.snapshot.network.sizes.join() === '2,3,1'", arg=second.element_handle())
    assert second.evaluate("el => el.getState().config.dataset") == "xor"
    assert first.evaluate("el => el.snapshot.network.sizes.join()") == first_sizes
    assert first.get_attribute("data-epoch") == "7"


def test_on_a_phone_the_views_stack_without_horizontal_scroll(page, base):
    page.set_viewport_size({"width": 360, "height": 740})
    widget = open_page(page, base).first
    wait_ready(widget)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    boxes = [widget.locator(sel).bounding_box() for sel in (".bp-network canvas", ".bp-data canvas", ".bp-chart canvas")]
    assert boxes[0]["y"] + boxes[0]["height"] <= boxes[1]["y"] + 1, "the views should stack"
    assert all(b["width"] <= 360 for b in boxes)


def test_tapping_the_map_adds_a_point(page, base):
    widget = open_page(page, base).first
    wait_ready(widget)
    count = "el => el.snapshot.data.train.x.length"
    n0 = widget.evaluate(count)
    widget.get_by_role("button", name="clase 1").click()
    # The map is the centred square of its canvas: tap near its top-left corner.
    canvas = widget.locator(".bp-data canvas")
    box = canvas.bounding_box()
    side = min(box["width"], box["height"])
    canvas.click(position={"x": (box["width"] - side) / 2 + 0.05 * side, "y": (box["height"] - side) / 2 + 0.05 * side})
    page.wait_for_function(f"el => ({count})(el) === {n0 + 1}", arg=widget.element_handle())
    label = widget.evaluate("el => el.snapshot.data.train.y.at(-1)")
    assert label == [1]
    # Top-left corner of the map is near (xmin, ymax) of the data's extent.
    x, y = widget.evaluate("el => el.snapshot.data.train.x.at(-1)")
    x0, x1, y0, y1 = widget.evaluate("el => el.snapshot.data.extent")
    assert abs(x - (x0 + 0.05 * (x1 - x0))) < 0.02 * (x1 - x0)
    assert abs(y - (y1 - 0.05 * (y1 - y0))) < 0.02 * (y1 - y0)


def test_english_and_a_reduced_set_of_controls(page, base):
    widget = open_page(page, base, lang="en", controls="train,reset").first
    wait_ready(widget)
    expect(widget.get_by_role("button", name=re.compile(r"^Train"))).to_be_visible()
    expect(widget.get_by_role("button", name=re.compile(r"^Reset"))).to_be_visible()
    assert widget.get_by_role("button", name=re.compile(r"^Step")).is_hidden()
    assert widget.locator("form.bp-controls").is_hidden()
    shown = widget.locator(".bp-loss").inner_text()
    assert "." in shown and "," not in shown
    assert abs(float(shown) - loss(widget)) < 1e-3 * loss(widget)
    message = widget.evaluate("el => el.setConfig({learning_rate: -1}).then(() => 'accepted', e => e.message)")
    assert "learning rate" in message.lower(), message
    # The session speaks the page's language: the engine names the classes in English.
    assert widget.evaluate("el => el.getState().config.lang") == "en"
    assert widget.evaluate("el => el.snapshot.data.class_names") == ["class 0", "class 1"]


def test_reduced_motion_redraws_at_most_twice_a_second(page, base):
    page.emulate_media(reduced_motion="reduce")
    widget = open_page(page, base).first
    wait_ready(widget)
    widget.evaluate("el => el.train()")
    page.wait_for_timeout(3000)
    widget.evaluate("el => el.pause()")
    drawn = page.evaluate("window.__bp.step.length")
    # 3 s of training: at most two redraws a second (plus the one pause() flushes);
    # without reduced motion this page draws about twenty a second.
    assert 1 <= drawn <= 3 * 2 + 2, drawn
    assert epoch(widget) > drawn, "training itself is not slowed down"


def test_while_training_the_numbers_change_at_most_ten_times_a_second(page, base):
    widget = open_page(page, base).first
    wait_ready(widget)
    # Count the changes of the epoch shown above the views, and of the element's data-epoch.
    widget.evaluate("""el => {
      const shown = el.shadowRoot.querySelector('.bp-epoch');
      window.__changes = {text: 0, attr: 0};
      new MutationObserver(() => window.__changes.text++).observe(shown, {childList: true, characterData: true, subtree: true});
      new MutationObserver(() => window.__changes.attr++).observe(el, {attributes: true, attributeFilter: ['data-epoch']});
    }""")
    widget.evaluate("el => el.train()")
    page.wait_for_timeout(2000)
    changes = page.evaluate("window.__changes")
    widget.evaluate("el => el.pause()")
    assert 2 <= changes["text"] <= 2 * 10 + 2, changes
    assert changes["attr"] > changes["text"], "every snapshot drawn still moves data-epoch"
    # Paused, the number shown is the engine's last epoch, at once.
    shown = widget.evaluate("el => el.shadowRoot.querySelector('.bp-epoch').textContent")
    assert int(re.sub(r"\D", "", shown)) == epoch(widget), shown


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_selects_offer_the_engines_choices_with_its_labels(page, base, lang):
    """The form's choices and their labels are the engine's (through the generated contract)."""
    from backprop.activations import ACTIVATION_NAMES
    from backprop.datasets import DATASET_NAMES
    from backprop.labels import label
    from backprop.optimizers import OPTIMIZER_NAMES

    widget = open_page(page, base, lang=lang).first
    wait_ready(widget)
    options = widget.evaluate("""el => Object.fromEntries([...el.shadowRoot.querySelectorAll("select")]
        .map((s) => [s.name, [...s.options].map((o) => [o.value, o.textContent])]))""")
    assert sorted(v for v, _ in options["dataset"]) == sorted(DATASET_NAMES)
    assert sorted(v for v, _ in options["optimizer"]) == sorted(OPTIMIZER_NAMES)
    # softmax is an output activation only; the hidden-layer select offers the rest.
    assert sorted(v for v, _ in options["activation"]) == sorted(a for a in ACTIVATION_NAMES if a != "softmax")
    for group in ("dataset", "optimizer", "activation"):
        for value, text in options[group]:
            assert text == label(group, value, lang), (group, value, text)


def test_a_missing_worker_script_shows_the_error(page, base):
    widget = open_page(page, base, worker="/no-such-worker.js").first
    expect(widget).to_have_attribute("data-state", "error", timeout=LOAD_TIMEOUT)
    expect(widget.get_by_role("button", name=re.compile(r"^Reintentar"))).to_be_visible()
    assert [e["code"] for e in page.evaluate("window.__bp.error")] == ["worker_failed"]


def test_keyboard_only_reader_trains_and_reads_a_weight(page, base):
    widget = open_page(page, base).first
    wait_ready(widget)
    train = widget.get_by_role("button", name=re.compile(r"^Entrenar"))
    train.focus()
    page.keyboard.press("Enter")
    expect(widget).to_have_attribute("data-state", "training")
    page.wait_for_function("el => Number(el.dataset.epoch) >= 5", arg=widget.element_handle(), timeout=LOAD_TIMEOUT)
    pause = widget.get_by_role("button", name=re.compile(r"^Pausar"))
    expect(pause).to_be_focused()
    page.keyboard.press("Space")
    expect(widget).to_have_attribute("data-state", "ready")
    # The focused diagram: an arrow key selects the first weight and prints it (no hover needed).
    widget.locator(".bp-network canvas").focus()
    page.keyboard.press("ArrowRight")
    tip = widget.locator(".bp-network .bp-tip").inner_text()
    m = re.match(r"Peso de (\S+) a neurona 1 \(capa oculta 1\): (\S+) · gradiente ∂L/∂w: (\S+)$", tip)
    assert m, tip
    feature = widget.evaluate("el => el.snapshot.data.feature_names[0]")
    weight, grad = widget.evaluate("el => [el.snapshot.network.weights[0][0][0], el.snapshot.network.grad_weights[0][0][0]]")
    assert m[1] == feature
    assert abs(spanish_number(m[2]) - weight) <= 1e-3 * max(1, abs(weight))
    assert abs(spanish_number(m[3]) - grad) <= 1e-3 * max(abs(grad), 1e-3)
    # The map: arrows move a cross in steps of 5 % from the centre, Enter adds a point there.
    count = "el => el.snapshot.data.train.x.length"
    n0 = widget.evaluate(count)
    widget.locator(".bp-data canvas").focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowUp", "Enter"):
        page.keyboard.press(key)
    page.wait_for_function(f"el => ({count})(el) === {n0 + 1}", arg=widget.element_handle())
    x, y = widget.evaluate("el => el.snapshot.data.train.x.at(-1)")
    x0, x1, y0, y1 = widget.evaluate("el => el.snapshot.data.extent")
    assert abs(x - (x0 + 0.60 * (x1 - x0))) < 1e-6 * (x1 - x0)
    assert abs(y - (y1 - 0.45 * (y1 - y0))) < 1e-6 * (y1 - y0)


def test_every_trace_event_kind_has_a_label_in_both_languages():
    """Step mode shows the engine's event labels in Spanish and the contract's label of the kind
    otherwise."""
    import numpy as np

    from backprop.network import Network
    from backprop.trace import trace_step

    kinds = set()
    configs = [
        {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"], "loss": "bce", "clip_norm": 0.01,
         "frozen": ["b2"]},
        {"layers": [2, 3, 3], "activations": ["relu", "softmax"], "loss": "ce", "batch_norm": True,
         "dropout": 0.5},
    ]
    X = np.array([[0.5, -1.0], [1.5, 0.25], [-0.5, 0.75]])
    for config in configs:
        net = Network.from_config(config)
        Y = np.eye(net.sizes[-1])[[0, 1, 0]] if net.sizes[-1] > 1 else np.array([[1.0], [0.0], [1.0]])
        kinds |= {event["kind"] for event in trace_step(net, X, Y)["events"]}
    contract = json.loads((REPO / "hugo-shortcodes/assets/backpropagation/contract.json").read_text(encoding="utf-8"))
    assert {"z", "a", "loss", "delta", "grad_w", "update", "batch_norm", "dropout", "clip", "frozen"} <= kinds
    for kind in kinds:
        labels = contract["labels"]["trace"].get(kind, {})
        assert labels.get("es") and labels.get("en"), f"trace.{kind} needs an es and an en label"


def test_step_by_step_in_english_speaks_english(page, base):
    widget = open_page(page, base, mode="paso-a-paso", lang="en").first
    wait_ready(widget)
    stepper = widget.locator(".bp-stepper")
    widget.get_by_role("button", name=re.compile(r"^Next")).click()
    expect(stepper.locator(".bp-step-counter")).to_contain_text(re.compile(r"Computation 1 of \d+"))
    expect(stepper.locator(".bp-step-label")).to_have_text("Net input z: weighted sum of the inputs plus the bias")
    expect(stepper.locator(".bp-step-where")).to_contain_text("Forward pass")


def test_canvases_take_their_colours_from_the_theme_properties(page, base):
    """A site (or the dark scheme) sets --bp-* on the element; the canvases draw with them."""
    page.emulate_media(color_scheme="dark")
    widget = open_page(page, base).first
    wait_ready(widget)
    assert widget.evaluate("el => getComputedStyle(el).getPropertyValue('--bp-bg').trim()") == "#17181b"
    widget.evaluate("el => el.style.setProperty('--bp-loss-train', 'rgb(255, 0, 255)')")
    widget.evaluate("el => el.train(20)")
    magenta = widget.evaluate("""el => {
        const c = el.shadowRoot.querySelector(".bp-chart canvas");
        const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let p = 0; p < px.length; p += 4) if (px[p] > 200 && px[p + 1] < 60 && px[p + 2] > 200) n++;
        return n;
    }""")
    assert magenta > 50, magenta


FIXED_WIDTH = """
document.addEventListener("readystatechange", () => {
  if (document.readyState !== "interactive") return;
  const style = document.createElement("style");
  style.textContent = "#widgets { width: 1100px; }";
  document.head.append(style);
});
"""


def test_canvas_text_grows_with_the_widgets_text_on_a_projector(browser, base):
    """The same widget box at 1280 and 2200 px: the widget's text grows (16 → 22 px) and the
    diagram's, the loss chart's and the data map's canvas labels grow by the same factor."""
    sizes = {}
    for width in (1280, 2200):
        context = browser.new_context(viewport={"width": width, "height": 1000})
        page = context.new_page()
        try:
            page.add_init_script(FIXED_WIDTH)
            widget = open_page(page, base).first
            wait_ready(widget)
            widget.evaluate("el => el.train(2)")
            sizes[width] = widget.evaluate("""el => {
                const font = (sel) => parseFloat(el.shadowRoot.querySelector(sel + " canvas").getContext("2d").font);
                return {host: parseFloat(getComputedStyle(el).fontSize), canvasWidth: el.shadowRoot.querySelector(".bp-network canvas").clientWidth,
                        network: font(".bp-network"), chart: font(".bp-chart"), data: font(".bp-data")};
            }""")
        finally:
            context.close()
    narrow, wide = sizes[1280], sizes[2200]
    assert narrow["canvasWidth"] == wide["canvasWidth"], sizes  # only the text scale differs
    grow = wide["host"] / narrow["host"]
    assert grow > 1.3, sizes
    for view in ("network", "chart", "data"):
        assert wide[view] == pytest.approx(narrow[view] * grow, abs=1), (view, sizes)
