"""Time from nothing to "engine ready": Pyodide + numpy + every engine module imported.

Compares the two ways of loading the engine (a package of the bundle's lock, or micropip from
the bundle) and the engine wheel with and without pyodide-build's py-compile, under Node and in
headless Chromium (a classic Web Worker, cold and warm HTTP cache). Run by `build.py bench`.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import StaticServer  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def summary(values: list[float]) -> dict:
    return {"min": round(min(values)), "median": round(statistics.median(values)), "runs": [round(v) for v in values]}


def node_once(bundle: Path, mode: str) -> float:
    out = subprocess.run(["node", str(ROOT / "benchmarks/load/node.mjs"), "--bundle", str(bundle), "--mode", mode],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["total"]


def chromium_once(browser, url: str) -> tuple[float, float]:
    """Navigation → engine ready in a fresh context (empty cache), then again warm."""
    context = browser.new_context()
    page = context.new_page()
    times = []
    for _ in range(2):
        page.goto(url)
        page.wait_for_function("window.__result", timeout=120_000)
        result = page.evaluate("window.__result")
        if "error" in result:
            raise RuntimeError(result["error"])
        times.append(result["sinceNavigation"])
    context.close()
    return times[0], times[1]


def run(bundles: dict[str, Path], repeats: int = 3) -> dict:
    """Every (variant, route) once per round, rounds repeated: the host's drift (large on this
    shared VM) then hits all of them alike instead of whichever ran last."""
    from playwright.sync_api import sync_playwright

    cases = [(variant, mode) for variant in bundles for mode in ("lock", "micropip")]
    samples = {case: {"node": [], "cold": [], "warm": []} for case in cases}
    with ExitStack() as stack:
        servers = {v: stack.enter_context(StaticServer(ROOT / "benchmarks/load", {"/backpropagation/": b}, cache=True))
                   for v, b in bundles.items()}
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        for _ in range(repeats):
            for variant, mode in cases:
                got = samples[(variant, mode)]
                got["node"].append(node_once(bundles[variant], mode))
                url = f"{servers[variant].url}/index.html?bundle=/backpropagation/&mode={mode}"
                cold, warm = chromium_once(browser, url)
                got["cold"].append(cold)
                got["warm"].append(warm)
    results = {}
    for (variant, mode), got in samples.items():
        results[f"{mode}, {variant}"] = {"node": summary(got["node"]),
                                         "chromium": {"cold": summary(got["cold"]), "warm": summary(got["warm"])}}
    return results


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("variants", nargs="+", metavar="NAME=BUNDLE_DIR")
    options = parser.parse_args()
    bundles = dict(pair.split("=", 1) for pair in options.variants)
    print(json.dumps(run({name: Path(path) for name, path in bundles.items()}, options.repeats)))
