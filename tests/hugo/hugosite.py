"""Helpers for the Hugo layer: temporary sites that use the module, and reading their HTML."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from support import COMPONENT_CONFIG, MODULE_DIR, write_site  # noqa: F401 (re-exported)

PROBLEM_LINE = re.compile(r"^(WARN|ERROR)\b", re.M)


class Tags(HTMLParser):
    """Every start tag of a page as (name, attrs), plus the page's text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v if v is not None else "") for k, v in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs) -> list[dict]:
        """Attributes of each `tag` whose attributes include `attrs` (class_ matches one class)."""
        found = []
        for name, a in self.tags:
            if name != tag:
                continue
            ok = True
            for key, value in attrs.items():
                if key == "class_":
                    ok = ok and value in a.get("class", "").split()
                else:
                    ok = ok and a.get(key.replace("_", "-")) == value
            if ok:
                found.append(a)
        return found

    def by_class(self, cls: str) -> list[tuple[str, dict]]:
        return [(n, a) for n, a in self.tags if cls in a.get("class", "").split()]

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(public: Path, path: str) -> Tags:
    return Tags((public / path / "index.html").read_text(encoding="utf-8"))


def problems(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if PROBLEM_LINE.match(line)]


def site_files(content: dict[str, str], config: str = COMPONENT_CONFIG) -> dict[str, str]:
    return {"hugo.toml": config, **{f"content/{k}": v for k, v in content.items()}}


def hugo_version(binary: str) -> str:
    out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
    match = re.search(r"v(\d+\.\d+\.\d+)", out)
    return match.group(1) if match else "?"


def module_clean() -> list[str]:
    """Build products a test run must never leave inside the module."""
    return [p for p in ("public", "resources", "exampleSite/public", "exampleSite/resources")
            if (MODULE_DIR / p).exists()]

