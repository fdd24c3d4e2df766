"""The opt-in CDN mode: the Pyodide core and numpy come from another origin, the engine wheel
from the site. A second loopback server with CORS stands in for the CDN."""

import json
import shutil
from urllib.parse import urlparse

from playwright.sync_api import expect

from support import REPO, StaticServer

LOAD_TIMEOUT = 90_000


def test_core_from_a_cdn_origin_and_the_engine_from_the_site(page, serve, bundle_dir, tmp_path):
    lock = json.loads((bundle_dir / "pyodide-lock.json").read_text())
    engine_wheel = lock["packages"]["backprop"]["file_name"]

    # The "CDN": the Pyodide core and numpy, no engine.
    cdn = tmp_path / "cdn"
    cdn.mkdir()
    for name in ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json",
                 lock["packages"]["numpy"]["file_name"]):
        shutil.copy(bundle_dir / name, cdn / name)
    # The site: only the engine wheel and the lock that names it, so the core cannot come from here.
    own = tmp_path / "own"
    own.mkdir()
    for name in ("pyodide-lock.json", engine_wheel):
        shutil.copy(bundle_dir / name, own / name)

    site = serve(REPO, {"/backpropagation/": own})
    with StaticServer(cdn, cors=True) as mirror:
        page.goto(f"{site}/tests/e2e/pages/widget.html?pyodide={mirror.url}/")
        widget = page.locator("backprop-widget").first
        expect(widget).to_have_attribute("data-state", "ready", timeout=LOAD_TIMEOUT)
        assert float(widget.get_attribute("data-loss")) > 0

    origin = lambda url: urlparse(url).netloc  # noqa: E731
    wasm = [u for u in page.requested_urls if u.endswith("pyodide.asm.wasm")]
    wheels = [u for u in page.requested_urls if u.endswith(engine_wheel)]
    assert wasm and all(origin(u) == origin(mirror.url) for u in wasm), wasm
    assert wheels and all(origin(u) == origin(site) for u in wheels), wheels
