"""Step by step in Chromium: the classic 2-2-2 worked example written on the diagram with the
CLI's numbers, the replay keeping the state before the step until the update, the chain-rule
panel and chainRule(), keyboard only, the live region, and no E notation anywhere."""

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from test_widget import PAGE, base, open_page, wait_ready  # noqa: F401 (fixture)

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))
sys.path.insert(0, str(REPO / "tests" / "python"))
from test_worked_example import WEIGHTS, classic_state  # noqa: E402

SHADOW = "(w) => w.shadowRoot"
CLASSIC_CONFIG = {
    "layers": [2, 2, 2], "loss": "sse_half", "weights": WEIGHTS,
    "biases": [[0.35, 0.35], [0.60, 0.60]], "train_biases": False,
    "optimizer": {"name": "sgd", "learning_rate": 0.5},
    "inputs": [[0.05, 0.10]], "targets": [[0.01, 0.99]],
}
# Every text node of the shadow root (visible or for screen readers), not the stylesheet, plus
# the attributes a reader may hear or see.
READ_TEXT = """w => {
  const out = [];
  const walk = document.createTreeWalker(w.shadowRoot, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) { if (n.parentNode.nodeName !== "STYLE") out.push(n.data); continue; }
    for (const a of ["aria-label", "title", "value", "placeholder"]) if (n.getAttribute(a)) out.push(n.getAttribute(a));
  }
  return out.join(" ");
}"""
SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def trace_of(config):
    out = subprocess.run([sys.executable, "-m", "backprop", "trace", "-", "--no-events"],
                         input=json.dumps(config), capture_output=True, text=True,
                         cwd=REPO / "python", check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def cli_trace():
    return trace_of(CLASSIC_CONFIG)


def shown(text):
    """'−4,39 · 10⁻⁴' or '0,3775' -> (value, half a unit of the last digit shown)."""
    m = re.fullmatch(r"\(?([−-]?)(\d+)(?:[,.](\d+))?(?: [·×] 10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?\)?", text.strip())
    assert m, f"not a learner's number: {text!r}"
    sign, whole, frac, exp = m.groups()
    frac = frac or ""
    power = int(exp.translate(SUP)) if exp else 0
    value = (-1 if sign else 1) * float(f"{whole}.{frac or 0}") * 10 ** power
    return value, 0.5 * 10 ** (power - len(frac))


def assert_shows(text, truth, what):
    value, half = shown(text)
    assert abs(value - truth) <= half * (1 + 1e-9) + 1e-15, f"{what}: shows {text}, engine {truth}"


def diagram_numbers(widget):
    return widget.locator(".bp-diagram-numbers li").all_inner_texts()


def classic(page, base, lang="es"):
    widget = open_page(page, base, mode="paso-a-paso", lang=lang).first
    wait_ready(widget)
    widget.evaluate("(w, s) => w.loadState(s)", classic_state())
    expect(widget).to_have_attribute("data-loss", re.compile(r"^0\.2983711"))
    return widget


def button(widget, name):
    return widget.get_by_role("button", name=re.compile("^" + re.escape(name)))


def test_the_finished_step_on_the_diagram_is_the_clis_trace(page, base, cli_trace):
    widget = classic(page, base)
    toolbar = widget.locator(".bp-loss").inner_text()
    button(widget, "Siguiente").click()
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 1 de")
    # The engine took the step, but nothing the reader sees has changed yet.
    assert widget.locator(".bp-loss").inner_text() == toolbar
    assert widget.get_attribute("data-loss").startswith("0.2983711")
    button(widget, "Ir al final del paso").click()
    expect(widget).to_have_attribute("data-loss", re.compile(r"^0\.29102777"))
    assert round(float(widget.get_attribute("data-loss")), 9) == 0.291027774
    items = diagram_numbers(widget)
    edges, nodes, loss = items[:8], items[8:12], items[12]
    k = 0
    for l in range(2):
        for j in range(2):
            for i in range(2):
                m = re.search(r"∂L/∂w = (.+), w: (.+) → (.+)$", edges[k])
                assert m, edges[k]
                assert_shows(m[1], cli_trace["grad_weights"][l][j][i], edges[k])
                assert_shows(m[2], CLASSIC_CONFIG["weights"][l][j][i], edges[k])
                assert_shows(m[3], cli_trace["weights"][l][j][i], edges[k])
                k += 1
    for n, text in enumerate(nodes):
        l, j = divmod(n, 2)
        values = dict(part.split(" = ") for part in text.split(": ", 1)[1].split(", "))
        assert_shows(values["z"], cli_trace["layers"][l]["z"][0][j], text)
        assert_shows(values["a"], cli_trace["layers"][l]["a"][0][j], text)
        assert_shows(values["δ"], cli_trace["deltas"][l][0][j], text)
        if l == 1:
            assert_shows(values["y"], CLASSIC_CONFIG["targets"][0][j], text)
    before, after = loss.removeprefix("L: ").split(" → ")
    assert_shows(before, cli_trace["loss"], loss)
    assert_shows(after, cli_trace["loss_after"], loss)
    # The step panel's last line and the toolbar.
    assert_shows(widget.locator(".bp-numbers").inner_text().removeprefix("L = "), cli_trace["loss_after"], "panel")
    assert_shows(widget.locator(".bp-loss").inner_text(), cli_trace["loss_after"], "toolbar")
    # The chain-rule panel of w from x₂ to hidden neuron 1: its sum is the step's ∂L/∂w.
    widget.evaluate("w => w.shadowRoot.querySelector('.bp-network canvas').focus()")
    for key in ["ArrowRight", "ArrowRight", "Enter"]:
        page.keyboard.press(key)
    chain = widget.locator(".bp-chain")
    expect(chain.locator(".bp-chain-paths li")).to_have_count(2)
    total = re.search(r"= (.+)$", chain.locator(".bp-chain-sum").nth(1).inner_text())[1]
    assert_shows(total, cli_trace["grad_weights"][0][0][1], "chain-rule sum")
    engine = re.search(r"= (.+)$", chain.locator(".bp-chain-sum").nth(2).inner_text())[1]
    assert_shows(engine, cli_trace["grad_weights"][0][0][1], "engine gradient")


def test_going_back_before_the_update_restores_the_state_before_the_step(page, base):
    widget = classic(page, base)
    start = widget.locator(".bp-loss").inner_text()
    button(widget, "Siguiente").click()
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 1 de")
    weights = widget.evaluate("w => JSON.stringify(w.snapshot.network.weights)")
    # Phase by phase: the toolbar loss stays until the update phase begins.
    for phase in ["Pérdida", "Atrás"]:
        button(widget, "Fase siguiente").click()
        expect(widget.locator(".bp-step-phases [aria-current]")).to_have_text(phase)
        assert widget.locator(".bp-loss").inner_text() == start
    button(widget, "Fase siguiente").click()
    expect(widget.locator(".bp-step-phases [aria-current]")).to_have_text("Actualización")
    expect(widget).to_have_attribute("data-loss", re.compile(r"^0\.29102777"))
    assert widget.evaluate("w => JSON.stringify(w.snapshot.network.weights)") != weights
    button(widget, "Anterior").click()
    expect(widget).to_have_attribute("data-loss", re.compile(r"^0\.2983711"))
    expect(widget.locator(".bp-loss")).to_have_text(start)
    assert widget.evaluate("w => JSON.stringify(w.snapshot.network.weights)") == weights


def test_keyboard_only_pin_replay_and_edit_with_a_spoken_formula(page, base):
    widget = classic(page, base)
    nxt = button(widget, "Siguiente")
    nxt.focus()
    page.keyboard.press("Enter")
    live = widget.locator(".bp-step-live")
    expect(live).to_have_text("Capa oculta 1, neurona 1: z = 0,15·0,05 + 0,2·0,1 + 0,35 = 0,3775")
    page.keyboard.press("Enter")
    expect(live).to_contain_text("Capa oculta 1, neurona 1: z = 0,3775 → a = 0,5933")
    button(widget, "Ir al final del paso").focus()
    page.keyboard.press("Enter")
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 44 de 44")
    # Pin w from hidden neuron 1 to output 1 (the fifth weight) and type a new value.
    widget.evaluate("w => w.shadowRoot.querySelector('.bp-network canvas').focus()")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    chain = widget.locator(".bp-chain")
    expect(chain.locator(".bp-chain-name")).to_have_text(
        "Peso de la neurona 1 (capa oculta 1) a la neurona 1 (salida)")
    field = chain.get_by_label("Valor", exact=True)
    field.focus()
    field.fill("mucho")
    page.keyboard.press("Enter")
    expect(chain.locator(".bp-chain-error")).to_contain_text("debe ser un número")
    assert widget.evaluate("w => w.snapshot.network.weights[1][0][0]") == 0.35891647971788465
    field.fill("0,5")
    page.keyboard.press("Enter")
    # The step is traced again from the edited weight, replayed from its first computation;
    # at its end the update starts from 0,5.
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 1 de 44")
    expect(chain.locator(".bp-chain-error")).to_have_text("")
    button(widget, "Ir al final del paso").focus()
    page.keyboard.press("Enter")
    expect(widget.locator(".bp-diagram-numbers")).to_contain_text("w: 0,5 → ")
    # On the diagram itself: back to the canvas, the same weight is still the selected one;
    # Enter on the pinned weight opens its field over the number, typed into at once.
    widget.evaluate("w => w.shadowRoot.querySelector('.bp-network canvas').focus()")
    page.keyboard.press("Enter")
    editor = widget.get_by_label("Peso de neurona 1 (capa oculta 1) a neurona 1 (salida): nuevo valor")
    expect(editor).to_be_focused()
    expect(editor).to_have_value("0,5")
    page.keyboard.press("Escape")
    expect(editor).to_be_hidden()
    assert widget.evaluate("w => w.shadowRoot.activeElement.nodeName") == "CANVAS"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("F2")  # F2 opens the field at once (the sixth weight)
    editor = widget.get_by_label("Peso de neurona 2 (capa oculta 1) a neurona 1 (salida): nuevo valor")
    expect(editor).to_be_focused()
    page.keyboard.type("0,25")
    page.keyboard.press("Enter")
    expect(live).to_contain_text("= 0,25 (editado). El paso empieza de nuevo")
    assert engine_weights(widget)[1][0][1] == 0.25
    assert widget.evaluate("w => w.shadowRoot.activeElement.nodeName") == "CANVAS"


def engine_weights(widget):
    return widget.evaluate("async w => (await w.engine('save', {})).state.network.weights")


def number_on_diagram(widget, name):
    """Clicks the box of numbers the diagram writes for `name` (a weight or a neuron)."""
    item = widget.locator(".bp-diagram-numbers li", has_text=re.compile("^" + re.escape(name + ":")))
    x, y = map(int, item.get_attribute("data-at").split(","))
    widget.locator(".bp-network canvas").click(position={"x": x, "y": y})


def finished_step(widget):
    button(widget, "Siguiente").click()
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 1 de 44")
    button(widget, "Ir al final del paso").click()
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 44 de 44")


W11 = "Peso de x₁ a neurona 1 (capa oculta 1)"


def test_a_weight_typed_on_the_diagram_replays_the_step_with_it(page, base):
    widget = classic(page, base)
    finished_step(widget)
    before = diagram_numbers(widget)
    number_on_diagram(widget, W11)
    field = widget.get_by_label(W11 + ": nuevo valor")
    expect(field).to_be_focused()
    expect(field).to_have_value("0,15")
    field.fill("0,2")
    page.keyboard.press("Enter")
    expect(field).to_be_hidden()
    # The engine holds the new weight; the step starts again from its first computation.
    assert engine_weights(widget)[0][0][0] == 0.2
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 1 de 44")
    expect(widget.locator(".bp-step-live")).to_have_text(
        W11 + " = 0,2 (editado). El paso empieza de nuevo con este valor. "
        "Capa oculta 1, neurona 1: z = 0,2·0,05 + 0,2·0,1 + 0,35 = 0,38")
    # The toolbar's loss is the engine's for the edited network, before the step.
    config = {**CLASSIC_CONFIG, "weights": json.loads(json.dumps(WEIGHTS))}
    config["weights"][0][0][0] = 0.2
    truth = trace_of(config)
    assert abs(float(widget.get_attribute("data-loss")) - truth["loss"]) < 1e-9
    button(widget, "Ir al final del paso").click()
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 44 de 44")
    after = diagram_numbers(widget)
    assert after != before
    edited = next(t for t in after if t.startswith(W11))
    assert re.search(r"w: 0,2 → \S+ \(editado\)$", edited), edited
    assert not any("editado" in t for t in after if t != edited)
    # Every number is the CLI's for the edited example.
    loss = after[-1]
    assert_shows(loss.removeprefix("L: ").split(" → ")[1], truth["loss_after"], loss)
    assert_shows(re.search(r"∂L/∂w = (.+?), w:", edited)[1], truth["grad_weights"][0][0][0], edited)
    assert abs(float(widget.get_attribute("data-loss")) - truth["loss_after"]) < 1e-9
    # The tip under the diagram says it too, and Reiniciar forgets the mark.
    number_on_diagram(widget, W11)
    page.keyboard.press("Escape")
    expect(widget.locator(".bp-network .bp-tip")).to_contain_text("(editado)")
    widget.locator(".bp-reset").click()
    expect(widget).to_have_attribute("data-epoch", "0")
    button(widget, "Siguiente").click()
    button(widget, "Ir al final del paso").click()
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 44 de 44")
    assert not any("editado" in t for t in diagram_numbers(widget))


@pytest.mark.parametrize("typed,message", [
    ("abc", "El peso debe ser un número"),
    ("5000", "El peso debe ser un número mayor o igual que −1000 y menor o igual que 1000."),
])
def test_a_refused_value_on_the_diagram_is_said_beside_it_and_changes_nothing(page, base, typed, message):
    widget = classic(page, base)
    finished_step(widget)
    before = diagram_numbers(widget)
    weights = engine_weights(widget)
    number_on_diagram(widget, W11)
    field = widget.get_by_label(W11 + ": nuevo valor")
    field.fill(typed)
    page.keyboard.press("Enter")
    error = widget.locator(".bp-network .bp-edit-error")
    expect(error).to_contain_text(message)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    assert engine_weights(widget) == weights
    assert diagram_numbers(widget) == before
    expect(widget.locator(".bp-step-counter")).to_contain_text("Cálculo 44 de 44")
    # Escape gives up: nothing was changed or marked.
    page.keyboard.press("Escape")
    expect(field).to_be_hidden()
    assert engine_weights(widget) == weights
    assert not any("editado" in t for t in diagram_numbers(widget))


def test_a_bias_tapped_on_a_phone(page, base):
    page.set_viewport_size({"width": 360, "height": 800})
    widget = classic(page, base)
    finished_step(widget)
    # A phone shows the current layer's numbers: the output neurons'.
    name = "neurona 2 (salida)"
    item = widget.locator(".bp-diagram-numbers li", has_text=re.compile("^" + re.escape(name + ":")))
    x, y = map(int, item.get_attribute("data-at").split(","))
    canvas = widget.locator(".bp-network canvas")
    canvas.dispatch_event("pointerdown", {"pointerType": "touch"})
    canvas.click(position={"x": x, "y": y})
    field = widget.get_by_label("Sesgo de neurona 2 (salida): nuevo valor")
    expect(field).to_be_visible()
    expect(field).to_have_value("0,6")
    box = field.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 360, box
    field.fill("−0,1")
    widget.get_by_role("button", name=re.compile("^Aplicar")).click()
    expect(field).to_be_hidden()
    assert widget.evaluate("async w => (await w.engine('save', {})).state.network.biases")[1][1] == -0.1
    button(widget, "Ir al final del paso").click()
    expect(widget.locator(".bp-diagram-numbers")).to_contain_text("(editado)")


def weights_of(sizes):
    for layer in range(1, len(sizes)):
        for j in range(sizes[layer]):
            for i in [*range(sizes[layer - 1]), None]:
                yield layer, j, i


@pytest.mark.parametrize("config,sizes", [
    ({"hidden": [3, 2], "dataset": "circle"}, [2, 3, 2, 1]),
    ({"hidden": [4], "dataset": "multiclass"}, [2, 4, 3]),
])
def test_chain_rule_sums_equal_the_engine_gradient(page, base, config, sizes):
    widget = open_page(page, base, mode="paso-a-paso", config=config).first
    wait_ready(widget)
    assert widget.evaluate("w => w.snapshot.network.sizes") == sizes
    params = list(weights_of(sizes))
    results = widget.evaluate(
        "async (w, ps) => { const out = []; for (const [l, j, i] of ps) { const r = await w.chainRule(l, j, i);"
        " out.push({n: r.paths.length, sum: r.sum, gradient: r.gradient,"
        " products: r.paths.map(p => p.product), factors: r.paths.every(p => p.factors.length > 0)}); } return out; }",
        params)
    for (layer, j, i), r in zip(params, results):
        assert r["n"] == math.prod(sizes[layer + 1:]), (layer, j, i, r["n"])
        assert abs(r["sum"] - r["gradient"]) <= 1e-12, (layer, j, i, r)
        assert r["factors"]


def test_no_e_notation_anywhere_after_training_on_each_data_set(page, base):
    choices = widget_choices()
    for lang in ("es", "en"):
        widget = open_page(page, base, mode="paso-a-paso", lang=lang).first
        wait_ready(widget)
        for name in choices:
            widget.evaluate("(w, d) => w.setConfig({dataset: d})", name)
            widget.evaluate("w => w.train(3)")
            button(widget, "Siguiente" if lang == "es" else "Next").click()
            button(widget, "Ir al final del paso" if lang == "es" else "Go to the end of the step").click()
            expect(widget.locator(".bp-step-counter")).to_contain_text(re.compile(r"(\d+) (de|of) \1"))
            text = widget.evaluate(READ_TEXT)
            bad = re.findall(r".{0,20}\d[eE][+−-]?\d.{0,10}|NaN|Infinity", text)
            assert not bad, f"{lang} {name}: {bad}"
            assert re.search(r"\d", text)


def widget_choices():
    text = (REPO / "widget" / "src" / "contract.js").read_text(encoding="utf-8")
    contract = json.loads(text[text.index("{"):text.rindex("}") + 1])
    field = contract["config"]["fields"]["dataset"]
    return (field.get("widget") or {}).get("choices") or field["choices"]


def test_an_english_page_with_a_loaded_example_speaks_english(page, base):
    widget = classic(page, base, lang="en")
    button(widget, "Next").click()
    expect(widget.locator(".bp-step-live")).to_have_text("Hidden layer 1, neuron 1: z = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775")
    button(widget, "Later phase").click()
    button(widget, "Later phase").click()
    expect(widget.locator(".bp-step-phases [aria-current]")).to_have_text("Backward")
    label = widget.locator(".bp-step-label").inner_text()
    assert not re.search(r"[áéíóúñ]|regla|pérdida", label, re.I), label
