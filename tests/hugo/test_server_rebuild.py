"""`hugo server` keeps .Page.Store across re-renders: the script must survive a template edit."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request

from hugosite import Tags, site_files, write_site
from support import find_hugo

PAGE = """---
title: Tres redes
---

{{< marca >}}

{{< backpropagation >}}

{{< backpropagation dataset="moons" >}}

{{< demo-wrapper title="Una más" >}}
{{< backpropagation layers="3" >}}
{{< /demo-wrapper >}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, marker: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            html = fetch(url)
            if marker in html:
                return html
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{marker!r} never appeared at {url}")
        time.sleep(0.3)


def summary(html: str):
    tags = Tags(html)
    return (len(tags.find("script", type="module")),
            len([a for a in tags.find("link") if "shortcodes" in a.get("href", "")]),
            [a["id"] for a in tags.find("backprop-widget")])


def test_script_and_ids_survive_a_template_edit_under_hugo_server(tmp_path):
    files = site_files({"tres.md": PAGE})
    files["layouts/shortcodes/marca.html"] = "<span class=\"marca\">version 1</span>"
    site = write_site(tmp_path / "site", files)
    port = free_port()
    env = {**os.environ, "HUGO_CACHEDIR": str(tmp_path / "cache"),
           "HUGO_RESOURCEDIR": str(tmp_path / "resources")}
    server = subprocess.Popen(
        [find_hugo(), "server", "--source", str(site), "--bind", "127.0.0.1", "--port", str(port),
         "--baseURL", f"http://127.0.0.1:{port}/", "--disableLiveReload", "--noBuildLock",
         "--destination", str(tmp_path / "public")],  # if this release renders to disk
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        url = f"http://127.0.0.1:{port}/tres/"
        before = summary(wait_for(url, "version 1"))
        assert before == (1, 1, ["backprop-1", "backprop-2", "backprop-3"])
        # Editing a shortcode the page uses re-renders its content with the old Store.
        (site / "layouts/shortcodes/marca.html").write_text("<span class=\"marca\">version 2</span>", encoding="utf-8")
        after = summary(wait_for(url, "version 2"))
        assert after == before
    finally:
        server.terminate()
        server.wait(timeout=10)
