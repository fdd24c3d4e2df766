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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import StaticServer  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def summary(values: list[float]) -> dict:
    return {"min": round(min(values)), "median": round(statistics.median(values)), "runs": [round(v) for v in values]}


def node_times(bundle: Path, mode: str, repeats: int) -> dict:
    totals = []
    for _ in range(repeats):
        out = subprocess.run(["node", str(ROOT / "benchmarks/load/node.mjs"), "--bundle", str(bundle), "--mode", mode],
                             capture_output=True, text=True, check=True)
        totals.append(json.loads(out.stdout.strip().splitlines()[-1])["total"])
    return summary(totals)


def chromium_times(bundle: Path, mode: str, repeats: int) -> dict:
    from playwright.sync_api import sync_playwright

    cold, warm = [], []
    with StaticServer(ROOT / "benchmarks/load", {"/backpropagation/": bundle}, cache=True) as server, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(repeats):
            context = browser.new_context()  # a new context starts with an empty cache
            page = context.new_page()
            for bucket in (cold, warm):
                page.goto(f"{server.url}/index.html?bundle=/backpropagation/&mode={mode}")
                page.wait_for_function("window.__result", timeout=60_000)
                result = page.evaluate("window.__result")
                if "error" in result:
                    raise RuntimeError(result["error"])
                bucket.append(result["sinceNavigation"])
            context.close()
        browser.close()
    return {"cold": summary(cold), "warm": summary(warm)}


def run(bundles: dict[str, Path], repeats: int = 3) -> dict:
    results = {}
    for variant, bundle in bundles.items():
        for mode in ("lock", "micropip"):
            key = f"{mode}, {variant}"
            results[key] = {"node": node_times(bundle, mode, repeats),
                            "chromium": chromium_times(bundle, mode, repeats)}
            print(f"  {key}: {json.dumps(results[key])}", flush=True)
    return results


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("variants", nargs="+", metavar="NAME=BUNDLE_DIR")
    options = parser.parse_args()
    bundles = dict(pair.split("=", 1) for pair in options.variants)
    print(json.dumps(run({name: Path(path) for name, path in bundles.items()}, options.repeats)))
