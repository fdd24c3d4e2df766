"""The `terminal` shortcode: for, height and lang checked like the widget's parameters (a bad
value fails the build naming file and line), several consoles each on its own widget."""

from __future__ import annotations

import pytest

from hugosite import page, site_files

WIDGETS = '{{< backpropagation >}}\n\n{{< backpropagation id="red-b" dataset="xor" >}}\n\n'
LINE = 9  # the terminal call's line in the pages below


def with_widgets(call: str, widgets: str = WIDGETS) -> str:
    return f"---\ntitle: Consola\n---\n\n{widgets}{call}\n\nFin.\n"


BAD = [
    ("bad-for-pattern", '{{< terminal for="1 red" >}}', ['for="1 red"', "id de un widget"]),
    ("unknown-for", '{{< terminal for="otra" >}}', ['"otra"', "backprop-1, red-b"]),
    ("automatic-id-beyond", '{{< terminal for="backprop-3" >}}', ['"backprop-3"', "backprop-1, red-b"]),
    ("bad-height-text", '{{< terminal height="alta" >}}', ["height", "entre 120 y 2000"]),
    ("bad-height-small", '{{< terminal height="40" >}}', ["height", "entre 120 y 2000"]),
    ("bad-lang", '{{< terminal lang="fr" >}}', ['lang="fr"', "es, en"]),
    ("empty-for", '{{< terminal for="" >}}', ["for", "vacío"]),
    ("unknown-param", '{{< terminal alto="300" >}}', ["alto", "for, height, lang"]),
    ("positional", '{{< terminal "backprop-1" >}}', ["parámetros con nombre"]),
]


@pytest.mark.parametrize("call, words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_a_bad_terminal_parameter_fails_naming_file_and_line(build, call, words):
    result, _ = build(site_files({"bad.md": with_widgets(call)}))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    messages = [line for line in output.splitlines() if f"bad.md:{LINE}:" in line]
    assert messages, output
    for word in words:
        assert any(word in m for m in messages), (word, messages)


def test_a_terminal_without_a_widget_on_the_page_fails(build):
    result, _ = build(site_files({"bad.md": "---\ntitle: Sola\n---\n\nTexto.\n\n{{< terminal >}}\n"}))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert any("bad.md:7:" in line and "necesita un widget" in line for line in output.splitlines()), output


def test_several_consoles_each_on_its_own_widget(build):
    calls = ('{{< terminal >}}\n\n{{< terminal for="red-b" height="480px" lang="en" >}}\n\n'
             '{{< terminal for="backprop-1" height="200" >}}')
    result, public = build(site_files({"good.md": with_widgets(calls)}))
    assert result.returncode == 0, result.stderr + result.stdout
    html = page(public, "good")
    terms = html.find("backprop-terminal")
    assert [(t.get("data-for"), t.get("data-height"), t["data-lang"]) for t in terms] == [
        (None, None, "es"), ("red-b", "480", "en"), ("backprop-1", "200", "es")]
    assert all("bp-terminal" in t["class"] for t in terms)
    # The widget's script defines the console too: one module script on the page.
    assert len(html.find("script", type="module")) == 1


def test_a_terminal_may_come_before_its_widget(build):
    files = site_files({"good.md": "---\ntitle: Antes\n---\n\n{{< terminal for=\"mi-red\" >}}\n\n"
                                   "{{< backpropagation id=\"mi-red\" >}}\n"})
    result, public = build(files)
    assert result.returncode == 0, result.stderr + result.stdout
    assert page(public, "good").find("backprop-terminal")[0]["data-for"] == "mi-red"
