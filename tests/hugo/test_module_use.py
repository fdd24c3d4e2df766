"""How authors add the module to their sites: theme component, path import, their own theme."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hugosite import COMPONENT_CONFIG, Tags, page, site_files, write_site
from support import MODULE_DIR, REPO

WIDGET_DIR = REPO / "widget"
THREE = """---
title: Tres redes
---

{{< backpropagation >}}

Texto entre medias.

{{< backpropagation dataset="moons" >}}

{{< demo-wrapper title="Una más" >}}
{{< backpropagation layers="3" >}}
{{< /demo-wrapper >}}
"""
NONE = """---
title: Sin red
---

Solo texto, sin widgets.

{{% notice style="note" %}}
Una nota.
{{% /notice %}}
"""
# A layout of the author's own, as a real theme would have: no help from the module's baseof.
OWN_LAYOUTS = {
    "layouts/_default/baseof.html": "<!DOCTYPE html><html><body class=\"their-theme\">{{ block \"main\" . }}{{ end }}</body></html>",
    "layouts/_default/single.html": "{{ define \"main\" }}<main>{{ .Content }}</main>{{ end }}",
    "layouts/_default/list.html": "{{ define \"main\" }}<main>{{ .Content }}</main>{{ end }}",
}


def rel(target: Path, start: Path) -> str:
    return os.path.relpath(target, start).replace(os.sep, "/")


def test_theme_component_emits_the_script_once_and_only_where_needed(build):
    result, public = build(site_files({"tres.md": THREE, "nada.md": NONE}))
    assert result.returncode == 0, result.stderr + result.stdout
    three = page(public, "tres")
    widgets = three.find("backprop-widget")
    assert len(widgets) == 3
    assert len({w["id"] for w in widgets}) == 3
    assert len(three.find("script", type="module")) == 1
    assert len(three.find("link", rel="stylesheet", crossorigin="anonymous")) >= 1
    assert [json.loads(w["data-config"])["hidden"] for w in widgets][2] == [3]
    # All three share one worker script: one URL, so the widget can start one worker.
    assert len({w["data-worker-url"] for w in widgets}) == 1
    none = page(public, "nada")
    assert none.find("script") == []
    assert none.find("backprop-widget") == []
    assert none.find("div", class_="bp-callout")  # the module's notice, styled
    shortcode_css = [a for a in none.find("link") if "shortcodes" in a["href"]]
    assert len(shortcode_css) == 1


def test_path_import_from_another_folder(build, tmp_path):
    site = tmp_path / "elsewhere" / "blog"
    themes = site / "themes"
    themes.mkdir(parents=True)
    config = f"""
    baseURL = "https://example.org/"
    disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
    [module]
      replacements = "widget -> {rel(WIDGET_DIR, themes)}"
      [[module.imports]]
        path = "{rel(MODULE_DIR, themes)}"
    """
    write_site(site, {"hugo.toml": config, "content/tres.md": THREE, **OWN_LAYOUTS})
    result, public = build(None, source=site)
    assert result.returncode == 0, result.stderr + result.stdout
    html = page(public, "tres")
    assert html.find("body", class_="their-theme")
    assert len(html.find("backprop-widget")) == 3
    assert len(html.find("script", type="module")) == 1


def test_path_import_with_the_environment_replacement(build, tmp_path):
    site = tmp_path / "blog"
    (site / "themes").mkdir(parents=True)
    config = f"""
    baseURL = "https://example.org/"
    disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
    [[module.imports]]
      path = "{rel(MODULE_DIR, site / 'themes')}"
    """
    write_site(site, {"hugo.toml": config, "content/tres.md": THREE, **OWN_LAYOUTS})
    result, public = build(None, source=site, env={"HUGO_MODULE_REPLACEMENTS": f"widget -> {WIDGET_DIR}"})
    assert result.returncode == 0, result.stderr + result.stdout
    assert len(page(public, "tres").find("backprop-widget")) == 3


def test_a_theme_with_its_own_notice_keeps_it(build, tmp_path):
    themes = tmp_path / "themes"
    write_site(themes / "their-theme", {
        **OWN_LAYOUTS,
        "layouts/shortcodes/notice.html": '<div class="their-notice">{{ .Inner | .Page.RenderString }}</div>',
    })
    site = tmp_path / "site"
    config = f"""
    baseURL = "https://example.org/"
    disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
    themesDir = "{themes.as_posix()}"
    [markup.goldmark.renderer]
      unsafe = true
    [module]
      replacements = "widget -> {rel(WIDGET_DIR, themes)}"
      # The theme first, the module after it: Hugo lets the first one win.
      [[module.imports]]
        path = "their-theme"
      [[module.imports]]
        path = "{rel(MODULE_DIR, themes)}"
    """
    write_site(site, {"hugo.toml": config, "content/nada.md": NONE, "content/tres.md": THREE})
    result, public = build(None, source=site)
    assert result.returncode == 0, result.stderr + result.stdout
    none = page(public, "nada")
    assert none.find("div", class_="their-notice")
    assert not none.find("div", class_="bp-callout")
    assert none.find("body", class_="their-theme")  # their layouts win over the module's too
    assert len(page(public, "tres").find("backprop-widget")) == 3


def test_a_project_notice_overrides_the_module(build):
    files = site_files({"nada.md": NONE})
    files["layouts/shortcodes/notice.html"] = '<p class="project-notice">{{ .Inner }}</p>'
    result, public = build(files)
    assert result.returncode == 0, result.stderr + result.stdout
    html = page(public, "nada")
    assert html.find("p", class_="project-notice") and not html.find("div", class_="bp-callout")


def test_sub_path_base_url(build):
    config = COMPONENT_CONFIG.replace('baseURL = "https://example.org/"',
                                      'baseURL = "https://example.org/curso/"')
    result, public = build(site_files({"tres.md": THREE}, config))
    assert result.returncode == 0, result.stderr + result.stdout
    html = page(public, "tres")
    widget = html.find("backprop-widget")[0]
    assert widget["data-bundle-url"] == "/curso/backpropagation/"
    assert widget["data-worker-url"].startswith("/curso/backprop-widget/worker.")
    script = html.find("script", type="module")[0]["src"]
    assert script.startswith("/curso/backprop-widget/widget.")
    # Published under the site root; the URL carries the sub-path.
    assert (public / script.removeprefix("/curso/")).is_file()
    assert (public / widget["data-worker-url"].removeprefix("/curso/")).is_file()
    for link in html.find("link", rel="stylesheet"):
        assert link["href"].startswith("/curso/"), link


def test_bundle_url_setting_and_cdn_option(build):
    config = COMPONENT_CONFIG + """
    [params.backpropagation]
      baseURL = "https://static.example.net/bp"
      cdn = true
    """
    result, public = build(site_files({"tres.md": THREE}, config))
    assert result.returncode == 0, result.stderr + result.stdout
    widget = page(public, "tres").find("backprop-widget")[0]
    assert widget["data-bundle-url"] == "https://static.example.net/bp/"
    assert widget["data-pyodide-url"] == "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/"


def test_cdn_is_off_by_default(build):
    result, public = build(site_files({"tres.md": THREE}))
    assert result.returncode == 0
    assert "data-pyodide-url" not in page(public, "tres").find("backprop-widget")[0]


def test_english_page_gets_english_strings(build):
    config = COMPONENT_CONFIG.replace('defaultContentLanguage = "es"', 'defaultContentLanguage = "en"')
    content = {"p.md": '---\ntitle: p\n---\n{{< medical-context type="hospital" level="avanzado" scenario="x" >}}\n{{< backpropagation >}}\n'}
    result, public = build(site_files(content, config))
    assert result.returncode == 0, result.stderr + result.stdout
    html = page(public, "p")
    assert "Level: advanced" in html.all_text
    assert html.find("backprop-widget")[0]["data-lang"] == "en"


def test_a_preset_is_one_table_and_the_call_overrides_it(build):
    presets = (MODULE_DIR / "assets/backpropagation/presets.toml").read_text("utf-8")
    presets += '\n[lento]\nlearning_rate = 0.001\nhidden = [3]\nmode = "entrenar"\ncontrols = ["train", "view"]\n'
    files = site_files({"p.md": '---\ntitle: p\n---\n{{< backpropagation preset="lento" >}}\n'
                                '{{< backpropagation preset="lento" layers="2,2" >}}\n'})
    files["assets/backpropagation/presets.toml"] = presets
    result, public = build(files)
    assert result.returncode == 0, result.stderr + result.stdout
    first, second = page(public, "p").find("backprop-widget")
    config = json.loads(first["data-config"])
    assert (config["learning_rate"], config["hidden"]) == (0.001, [3])
    assert (first["data-mode"], first["data-controls"], first["data-preset"]) == ("entrenar", "train,view", "lento")
    assert json.loads(second["data-config"])["hidden"] == [2, 2]
    assert json.loads(second["data-config"])["learning_rate"] == 0.001
