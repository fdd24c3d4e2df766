"""Every setting a control (issue 10): a valid value reaches the engine's config, an invalid one
is refused in Spanish next to its field and nothing changes; "0,5" is 0.5; the log slider."""

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
LOAD_TIMEOUT = 90_000
PAGE = "/tests/e2e/pages/widget.html"

# (field label, typed value): each refused by the widget's limit or by the engine.
INVALID = [
    ("Tasa de aprendizaje", "0"), ("Tasa de aprendizaje", "-1"), ("Tasa de aprendizaje", "abc"),
    ("Tasa de aprendizaje", "11"), ("Tasa de aprendizaje", "1e400"),
    ("Puntos", "5"), ("Puntos", "1001"), ("Puntos", "2,5"), ("Puntos", "x"),
    ("Ruido", "-0,1"), ("Ruido", "3"), ("Ruido", "abc"),
    ("Fracción de validación", "1"), ("Fracción de validación", "-0,5"), ("Fracción de validación", "x"),
    ("Semilla", "-1"), ("Semilla", "1,5"), ("Semilla", "x"),
    ("Tamaño del lote", "0"), ("Tamaño del lote", "1001"), ("Tamaño del lote", "2,5"), ("Tamaño del lote", "x"),
    ("L1", "-1"), ("L1", "x"), ("L2", "-0,5"), ("Dropout", "1"), ("Dropout", "-0,1"),
    ("Recorte del gradiente", "0"), ("Recorte del gradiente", "-1"), ("Recorte del gradiente", "x"),
    ("β₁ de Adam", "1"), ("β₂ de Adam", "1,5"), ("ε", "0"), ("ε", "-1"),
    ("Escala de la inicialización", "50"), ("Escala de la inicialización", "0"),
]


@pytest.fixture(scope="module")
def base(serve, bundle_dir):
    return serve(REPO, {"/backpropagation/": bundle_dir})


def open_widget(page, base, config):
    page.goto(f"{base}{PAGE}?config={quote(json.dumps(config))}")
    widget = page.locator("backprop-widget")
    expect(widget).to_have_attribute("data-state", "ready", timeout=LOAD_TIMEOUT)
    widget.evaluate("el => el.shadowRoot.querySelectorAll('details').forEach((d) => { d.open = true; })")
    return widget


def field(widget, label):
    return widget.locator(".bp-controls").get_by_label(label, exact=True)


def test_invalid_values_are_refused_next_to_the_field_and_change_nothing(page, base):
    widget = open_widget(page, base, {"optimizer": "adam"})
    before = widget.evaluate("el => el.getState()")
    for label, text in INVALID:
        box = field(widget, label)
        box.fill(text)
        box.press("Enter")
        box.blur()
        expect(box).to_have_attribute("aria-invalid", "true")
        error = box.locator("xpath=following-sibling::div[contains(@class, 'bp-field-error')]")
        expect(error).not_to_be_empty()
        message = error.inner_text()
        assert any(c in message for c in "áéíóúñ¿") or message.startswith(("El ", "La ", "En esta")), (label, text, message)
        assert widget.evaluate("el => el.getState()") == before, (label, text)
    assert len(INVALID) >= 30


def test_valid_values_reach_the_engine(page, base):
    widget = open_widget(page, base, {})
    config = lambda: widget.evaluate("el => el.getState().config")  # noqa: E731
    lr = field(widget, "Tasa de aprendizaje")
    lr.fill("0,5")
    lr.press("Enter")
    page.wait_for_function("el => el.getState().config.learning_rate === 0.5", arg=widget.element_handle())
    expect(lr).not_to_have_attribute("aria-invalid", "true")
    widget.locator(".bp-controls").get_by_label("Tasa de aprendizaje (escala logarítmica)").fill("-2")
    page.wait_for_function("el => el.getState().config.learning_rate === 0.01", arg=widget.element_handle())
    field(widget, "Inicialización").select_option("zeros")
    page.wait_for_function("el => el.getState().config.init === 'zeros'", arg=widget.element_handle())
    field(widget, "Normalización por lotes").check()
    page.wait_for_function("el => el.getState().config.batch_norm === true", arg=widget.element_handle())
    clip = field(widget, "Recorte del gradiente")
    clip.fill("1")
    clip.press("Enter")
    page.wait_for_function("el => el.getState().config.clip_norm === 1", arg=widget.element_handle())
    clip.fill("")
    clip.press("Enter")
    page.wait_for_function("el => el.getState().config.clip_norm === null", arg=widget.element_handle())
    # Momentum is offered once the optimizer uses it; Adam's betas are not.
    expect(field(widget, "Momento")).to_be_hidden()
    field(widget, "Optimizador").select_option("momentum")
    expect(field(widget, "Momento")).to_be_visible()
    expect(field(widget, "β₁ de Adam")).to_be_hidden()
    for label, text, key, value in [("Momento", "0,5", "momentum", 0.5), ("Semilla", "7", "seed", 7),
                                    ("Puntos", "300", "n_samples", 300), ("Fracción de validación", "0,2", "val_fraction", 0.2),
                                    ("Dropout", "0,1", "dropout", 0.1), ("L2", "0,001", "l2", 0.001)]:
        box = field(widget, label)
        box.fill(text)
        box.press("Enter")
        page.wait_for_function(f"el => el.getState().config.{key} === {json.dumps(value)}", arg=widget.element_handle())
    assert config()["optimizer"] == "momentum"
    assert not page.console_errors, page.console_errors


def test_pasted_csv_and_removing_a_point(page, base):
    widget = open_widget(page, base, {})
    area = widget.locator("textarea.bp-csv")
    load = widget.get_by_role("button", name="Cargar los datos")
    before = widget.evaluate("el => el.getState()")
    area.fill("1,2\nfoo,1,0")
    load.click()
    expect(area).to_have_attribute("aria-invalid", "true")
    expect(widget.locator(".bp-controls")).to_contain_text("Línea 1: se esperaban 3 columnas")
    assert widget.evaluate("el => el.getState()") == before
    rows = "\n".join(f"{x / 10},{(x * 7 % 20) / 10},{x % 2}" for x in range(24))
    area.fill(rows)
    load.click()
    page.wait_for_function("el => el.getState().config.dataset === 'csv'", arg=widget.element_handle())
    expect(widget.locator(".bp-controls")).to_contain_text("Datos cargados")
    # A click on a training point removes it (the engine's remove_point).
    n = widget.evaluate("el => el.snapshot.data.train.x.length")
    x, y = widget.evaluate("el => el.snapshot.data.train.x[0]")
    x0, x1, y0, y1 = widget.evaluate("el => el.snapshot.data.extent")
    canvas = widget.locator(".bp-data canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    side = min(box["width"], box["height"])
    left = box["x"] + (box["width"] - side) / 2
    top = box["y"] + (box["height"] - side) / 2
    page.mouse.click(left + (x - x0) / (x1 - x0) * side, top + (1 - (y - y0) / (y1 - y0)) * side)
    page.wait_for_function(f"el => el.snapshot.data.train.x.length === {n - 1}", arg=widget.element_handle())
    assert not page.console_errors, page.console_errors


def layer_select(widget, n):
    return widget.locator(".bp-controls").get_by_label(f"Activación de la capa {n}", exact=True)


def test_activation_per_layer_reaches_the_engine_and_a_bad_one_is_refused(page, base):
    widget = open_widget(page, base, {"hidden": [4, 2]})
    handle = widget.element_handle()
    layer_select(widget, 2).select_option("relu")
    page.wait_for_function("el => JSON.stringify(el.getState().config.activations) === '[\"tanh\",\"relu\"]'", arg=handle)
    assert widget.evaluate("el => el.snapshot.network.activations") == ["tanh", "relu", "sigmoid"]
    # A new layer takes the last one's activation, in the same change.
    widget.get_by_role("button", name="Añadir una capa oculta").click()
    page.wait_for_function("el => el.getState().config.hidden.length === 3", arg=handle)
    assert widget.evaluate("el => el.getState().config.activations") == ["tanh", "relu", "relu"]
    expect(layer_select(widget, 3)).to_have_value("relu")
    # A choice the engine does not offer for a hidden layer: refused in Spanish under the layers.
    before = widget.evaluate("el => el.getState()")
    select = layer_select(widget, 1)
    select.evaluate("s => { const o = document.createElement('option'); o.value = 'softmax'; o.textContent = 'softmax'; s.append(o); }")
    select.select_option("softmax")
    expect(select).to_have_attribute("aria-invalid", "true")
    error = widget.locator(".bp-layers ~ .bp-field-error").filter(has_text="Las activaciones por capa")
    expect(error).to_contain_text("deben ser una lista")
    assert widget.evaluate("el => el.getState()") == before
    # The global activation applies to every layer again.
    field(widget, "Activación").select_option("sigmoid")
    page.wait_for_function("el => el.getState().config.activations.length === 0", arg=handle)
    assert widget.evaluate("el => el.snapshot.network.activations") == ["sigmoid"] * 4
    expect(layer_select(widget, 1)).to_have_value("sigmoid")
    assert not page.console_errors, page.console_errors


def test_activations_per_layer_travel_in_the_link_and_the_export(page, base):
    shared = json.dumps({"hidden": [3, 3], "activations": ["relu", "leaky_relu"], "init_seed": 42})
    page.goto(f"{base}{PAGE}#bp-w1={quote(shared)}")
    widget = page.locator("backprop-widget")
    expect(widget).to_have_attribute("data-state", "ready", timeout=LOAD_TIMEOUT)
    page.wait_for_function("el => el.getState().config.init_seed === 42", arg=widget.element_handle(), timeout=30_000)
    assert widget.evaluate("el => el.getState().config.activations") == ["relu", "leaky_relu"]
    assert widget.evaluate("el => el.snapshot.network.activations")[:2] == ["relu", "leaky_relu"]
    saved = widget.evaluate("el => el.engine('save')")["state"]
    assert saved["config"]["activations"] == ["relu", "leaky_relu"] and saved["config"]["init_seed"] == 42
    # A link whose list holds a number where a name belongs changes nothing.
    bad = json.dumps({"activations": ["relu", 3]})
    page.goto(f"{base}{PAGE}?again=1#bp-w1={quote(bad)}")  # a new document, not a hash change
    expect(widget).to_have_attribute("data-state", "ready", timeout=LOAD_TIMEOUT)
    expect(widget.locator(".bp-notice")).to_contain_text("El enlace no contiene una configuración válida")
    assert widget.evaluate("el => el.getState().config.activations") == []


def weights(widget):
    return widget.evaluate("el => el.snapshot.network.weights")


def test_reset_restores_the_same_weights_and_new_weights_keep_the_data(page, base):
    widget = open_widget(page, base, {})
    status = widget.locator(".bp-weights-status")
    first = weights(widget)
    points = widget.evaluate("el => el.snapshot.data.train.x")
    widget.evaluate("el => el.train(5)")
    assert weights(widget) != first
    widget.get_by_role("button", name="Reiniciar la red con los mismos pesos iniciales").click()
    expect(widget).to_have_attribute("data-epoch", "0")
    page.wait_for_function("([el, w]) => JSON.stringify(el.snapshot.network.weights) === JSON.stringify(w)", arg=[widget.element_handle(), first])
    expect(status).to_have_text("Reiniciada con los mismos pesos iniciales (semilla de los pesos 0).")
    seed = widget.evaluate("el => el.getState().config.init_seed")
    widget.get_by_role("button", name="Nuevos pesos").click()
    page.wait_for_function(f"el => el.getState().config.init_seed !== {seed}", arg=widget.element_handle())
    new_seed = widget.evaluate("el => el.getState().config.init_seed")
    expect(status).to_contain_text(f"Pesos iniciales nuevos (semilla de los pesos {new_seed})")
    fresh = weights(widget)
    assert fresh != first
    assert widget.evaluate("el => el.snapshot.data.train.x") == points
    assert widget.evaluate("el => el.getState().config.seed") == 0
    # Training on: the line no longer describes the weights.
    widget.get_by_role("button", name="Paso").click()
    expect(status).to_be_empty()
    expect(widget).to_have_attribute("data-epoch", "1")
    widget.get_by_role("button", name="Reiniciar la red con los mismos pesos iniciales").click()
    page.wait_for_function("([el, w]) => JSON.stringify(el.snapshot.network.weights) === JSON.stringify(w)", arg=[widget.element_handle(), fresh])
    assert not page.console_errors, page.console_errors
