"""Text an author pastes into medical-context renders as plain text with inline emphasis only:
never raw HTML, never a `javascript:` link, with either Hugo release."""

from __future__ import annotations

import shutil

import pytest

from hugosite import hugo_version, page, site_files

# (id, parameters, text the reader must still see)
HOSTILE = [
    ("script", 'scenario="<script>alert(1)</script> texto"', "<script>alert(1)</script> texto"),
    ("img-onerror", 'scenario="<img src=x onerror=alert(1)> texto"', "onerror=alert(1)> texto"),
    ("javascript-link", 'scenario="x" highlight="[clic](javascript:alert(1))"', "retropropagación: clic"),
    ("javascript-link-caps", 'scenario="x" highlight="[clic]( JaVaScRiPt:alert(1))"', ": clic"),
    ("quote-breakout", 'scenario="[a](https://e.org/\\"onmouseover=alert(1))"', "clínico a"),
    ("svg", 'scenario="<svg onload=alert(1)></svg> y"', "<svg onload=alert(1)></svg> y"),
]


def _binaries(hugo_bin):
    older = shutil.which("hugo", path="/usr/bin")
    found = [hugo_bin]
    if older and hugo_version(older) != hugo_version(hugo_bin):
        found.append(older)
    return found


def _aside(build, args, binary=None):
    files = site_files({"p.md": f"---\ntitle: p\n---\n\n{{{{< medical-context {args} >}}}}\n"})
    result, public = build(files, binary=binary)
    assert result.returncode == 0, result.stderr + result.stdout
    html = (public / "p" / "index.html").read_text("utf-8")
    start = html.index("<aside")
    return html[start:html.index("</aside>", start)], page(public, "p")


@pytest.mark.parametrize("args, shown", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_text_stays_inert(build, hugo_bin, args, shown):
    for binary in _binaries(hugo_bin):
        aside, html = _aside(build, args, binary)
        tags = {name for name, _ in html.tags}
        assert not tags & {"script", "img", "svg"}, aside
        for _, attrs in html.tags:
            assert not [k for k in attrs if k.startswith("on")], (binary, attrs)
            assert "javascript" not in attrs.get("href", "").lower(), (binary, attrs)
        assert shown in html.all_text, html.all_text  # shown as text, not dropped


def test_inline_emphasis_and_safe_links_survive(build, hugo_bin):
    args = ('scenario="Un caso **grave**, con *prisa* y `código`." '
            'highlight="Véase [la guía](https://example.org/guia?a=1&b=2) o [esta sección](#abajo)."')
    for binary in _binaries(hugo_bin):
        aside, html = _aside(build, args, binary)
        assert "<strong>grave</strong>" in aside and "<em>prisa</em>" in aside
        assert "<code>código</code>" in aside
        hrefs = [a["href"] for a in html.find("a")]
        assert "https://example.org/guia?a=1&b=2" in hrefs and "#abajo" in hrefs


def test_demo_wrapper_with_only_spaces_fails(build):
    files = site_files({"bad.md": "---\ntitle: b\n---\n\n{{< demo-wrapper title=\"D\" >}}\n   \n"
                                  "{{< /demo-wrapper >}}\n"})
    result, _ = build(files)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "bad.md:5:" in output and "demo-wrapper" in output
