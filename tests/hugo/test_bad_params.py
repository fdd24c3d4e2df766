"""Every bad shortcode call fails the build with the file, the line and what is allowed."""

from __future__ import annotations

import json

import pytest

from hugosite import page, site_files

# (id, the offending call, words the message must contain). The call sits on LINE of bad.md.
CASES = [
    ("unknown-param-widget", '{{< backpropagation velocidad="2" >}}', ["velocidad", "learning_rate", "preset"]),
    ("positional-widget", '{{< backpropagation "xor" >}}', ["parámetros con nombre", "dataset"]),
    ("bad-mode", '{{< backpropagation mode="rapido" >}}', ["rapido", "explorar, paso-a-paso, entrenar"]),
    ("bad-learning-rate-text", '{{< backpropagation learning_rate="rápida" >}}', ["learning_rate", "rápida"]),
    ("bad-learning-rate-zero", '{{< backpropagation learning_rate="0" >}}', ["learning_rate", "mayor que 0"]),
    ("bad-learning-rate-comma", '{{< backpropagation learning_rate="0,1" >}}', ["learning_rate", "punto decimal"]),
    ("bad-learning-rate-huge", '{{< backpropagation learning_rate="50" >}}', ["learning_rate", "10"]),
    ("bad-layers-letter", '{{< backpropagation layers="4,x" >}}', ['layers="4,x"', "de 1 a 8 capas", "de 1 a 16 neuronas"]),
    ("bad-layers-zero", '{{< backpropagation layers="0" >}}', ['layers="0"', "de 1 a 16 neuronas"]),
    ("bad-layers-17-neurons", '{{< backpropagation layers="4,17" >}}', ['layers="4,17"', "de 1 a 16 neuronas"]),
    ("bad-layers-9-layers", '{{< backpropagation layers="2,2,2,2,2,2,2,2,2" >}}', ["de 1 a 8 capas"]),
    ("bad-batch-size", '{{< backpropagation batch_size="0" >}}', ["batch_size", "entre 1 y"]),
    ("bad-batch-size-text", '{{< backpropagation batch_size="diez" >}}', ["batch_size", "diez"]),
    ("bad-seed", '{{< backpropagation seed="-3" >}}', ["seed", "entre 0 y"]),
    ("unknown-preset", '{{< backpropagation preset="unidad-99" >}}', ["unidad-99", "default"]),
    ("unknown-dataset", '{{< backpropagation dataset="iris" >}}', ["iris", "xor", "spiral", "radiografias"]),
    ("bad-activation", '{{< backpropagation activation="swish" >}}', ["swish", "sigmoid, tanh, relu"]),
    ("bad-optimizer", '{{< backpropagation optimizer="lbfgs" >}}', ["lbfgs", "sgd, momentum"]),
    ("bad-lang", '{{< backpropagation lang="fr" >}}', ['lang="fr"', "es, en"]),
    ("bad-controls", '{{< backpropagation controls="data,botones" >}}', ["botones", "all, train, step, reset, data"]),
    ("bad-height", '{{< backpropagation height="enorme" >}}', ["height", "entre 240 y 2000"]),
    ("bad-id", '{{< backpropagation id="1 red" >}}', ["id=", "letra"]),
    ("unknown-param-medical", '{{< medical-context scenario="x" nivel="alto" >}}', ["nivel", "type, level, scenario, highlight"]),
    ("bad-level", '{{< medical-context scenario="x" level="experto" >}}', ["experto", "básico, intermedio, avanzado"]),
    ("bad-medical-type", '{{< medical-context scenario="x" type="clinica" >}}', ["clinica", "hospital"]),
    ("medical-without-scenario", '{{< medical-context type="hospital" >}}', ["scenario"]),
    ("bad-notice-style", '{{% notice style="peligro" %}}\nTexto\n{{% /notice %}}', ["peligro", "info, tip, note, warning"]),
    ("unknown-param-notice", '{{% notice style="info" color="red" %}}\nTexto\n{{% /notice %}}', ["color", "style, title"]),
    ("demo-wrapper-self-closed", '{{< demo-wrapper title="Demo" />}}', ["demo-wrapper", "en pareja"]),
    ("unknown-param-demo-wrapper", '{{< demo-wrapper titulo="Demo" >}}x{{< /demo-wrapper >}}', ["titulo", "title"]),
    ("param-on-intro", '{{< backpropagation_intro_es corto="si" >}}', ["corto", "ninguno"]),
    ("param-on-intro-en", '{{< backpropagation_intro_en lang="es" >}}', ["backpropagation_intro_en", "lang"]),
    ("unknown-param-terminal", '{{< terminal prompt=">>>" >}}', ["prompt", "for"]),
]

LINE = 7


def bad_page(call: str) -> str:
    # Six lines before the call, so the line number in the message is not a lucky 1.
    return f"---\ntitle: Mala\n---\n\nUn párrafo.\n\n{call}\n\nFin.\n"


@pytest.mark.parametrize("call, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_call_fails_naming_file_line_and_allowed_values(build, call, words):
    result, _ = build(site_files({"bad.md": bad_page(call)}))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    messages = [line for line in output.splitlines() if f'bad.md:{LINE}:' in line]
    assert messages, output
    for word in words:
        assert any(word in m for m in messages), (word, messages)


def test_a_nested_bad_call_names_the_enclosing_call(build):
    call = '{{< demo-wrapper title="Demo" >}}\n\n{{< backpropagation mode="lento" >}}\n\n{{< /demo-wrapper >}}'
    result, _ = build(site_files({"bad.md": bad_page(call)}))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert any(f"bad.md:{LINE}:" in line and "lento" in line and "demo-wrapper" in line
               for line in output.splitlines()), output


def test_a_paired_shortcode_left_open_fails(build):
    result, _ = build(site_files({"bad.md": bad_page('{{< demo-wrapper title="Demo" >}}\nSin cierre.')}))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"bad.md:{LINE}:" in output and "demo-wrapper" in output


def test_valid_values_build_and_reach_the_element(build):
    """The same page with valid values builds, and each value lands where the widget reads it."""
    good = ('{{< backpropagation preset="default" dataset="spiral" layers="8,8" activation="relu" '
            'learning_rate="0.03" optimizer="adam" batch_size="16" seed="7" mode="paso-a-paso" '
            'height="480" lang="en" controls="data,network" id="mi-red" >}}\n'
            '{{< medical-context type="hospital" level="básico" scenario="x" highlight="y" >}}\n'
            '{{% notice style="warning" title="Ojo" %}}\nTexto\n{{% /notice %}}\n'
            '{{% notice tip %}}\nTexto\n{{% /notice %}}\n'
            '{{< demo-wrapper title="Demo" >}}x{{< /demo-wrapper >}}\n'
            '{{< backpropagation_intro_es >}}\n{{< backpropagation_intro_en >}}\n{{< terminal for="mi-red" >}}')
    result, public = build(site_files({"good.md": bad_page(good)}))
    assert result.returncode == 0, result.stderr + result.stdout
    html = page(public, "good")
    widget = html.find("backprop-widget")[0]
    assert json.loads(widget["data-config"]) == {
        "dataset": "spiral", "hidden": [8, 8], "activation": "relu", "learning_rate": 0.03,
        "optimizer": "adam", "batch_size": 16, "seed": 7, "lang": "en"}
    assert (widget["id"], widget["data-mode"], widget["data-lang"], widget["data-height"],
            widget["data-controls"]) == ("mi-red", "paso-a-paso", "en", "480px", "data,network")
    assert html.find("backprop-terminal", class_="bp-terminal")[0]["data-for"] == "mi-red"
    assert "Nivel: básico" in html.all_text
    assert [a["class"].split()[-1] for a in html.find("div", class_="bp-callout")] == \
        ["bp-callout-warning", "bp-callout-tip"]
    assert html.find("section", class_="bp-intro", lang="es") and html.find("section", class_="bp-intro", lang="en")
