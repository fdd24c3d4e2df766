"""Soak: the widget trains without a pause for a while; memory of the page and of the worker
after a warm-up and at the end, and the growth in %. A leak (a PyProxy never destroyed, a
snapshot kept per epoch) shows as growth of the worker's WebAssembly memory, which never
shrinks, or of the page's JS heap (measured after a forced garbage collection).

    python3 build.py bench --soak MINUTES     (writes .cache/bench/soak.json and prints it)
    .venv/bin/python bench/soak.py --minutes M [--out FILE]

tests/e2e/test_soak.py runs the same measurement for 20 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))

from support import BUNDLE_DIR, CHROMIUM, CHROMIUM_ARGS, REPO, StaticServer  # noqa: E402

PAGE = "/tests/e2e/pages/widget.html"
READY_MS = 180_000
# The worker's script-scope `pyodide` (worker/loading.js): its WebAssembly memory in bytes (it grows in
# steps and never shrinks: a coarse signal) and the objects Python's collector tracks after a collection
# (the leak signal: a kept snapshot or an undestroyed proxy adds blocks every epoch).
WORKER_MEMORY = """(() => typeof pyodide === 'undefined' || !pyodide ? [0, 0] : [
  pyodide._module.HEAP8.byteLength,
  pyodide.runPython('import gc\\ngc.collect()\\nlen(gc.get_objects())')])()"""


def memory(page, cdp) -> dict:
    cdp.send("HeapProfiler.collectGarbage")
    page_js = cdp.send("Runtime.getHeapUsage")["usedSize"]
    # The engine's worker is the one with Pyodide (other workers may exist on the page).
    wasm, blocks = max((w.evaluate(WORKER_MEMORY) for w in page.workers), default=(0, 0))
    return {"page_js_mb": round(page_js / 1e6, 2), "worker_wasm_mb": round(wasm / 1e6, 2),
            "python_objects": blocks}


def soak(page, seconds: float, warmup: float) -> dict:
    """Trains the page's first widget for warmup + seconds; memory after the warm-up and at the
    end, and its growth in %."""
    cdp = page.context.new_cdp_session(page)
    widget = "document.querySelector('backprop-widget')"
    page.evaluate(f"{widget}.train()")
    page.wait_for_timeout(warmup * 1000)
    start, epoch0 = memory(page, cdp), int(page.evaluate(f"{widget}.dataset.epoch"))
    page.wait_for_timeout(seconds * 1000)
    end = memory(page, cdp)
    state = page.evaluate(f"{widget}.dataset.state")
    epochs = int(page.evaluate(f"{widget}.dataset.epoch")) - epoch0
    page.evaluate(f"{widget}.pause()")
    growth = {k: round(100 * (end[k] - start[k]) / start[k], 2) if start[k] else None for k in start}
    return {"seconds": seconds, "warmup": warmup, "epochs": epochs, "state": state,
            "after_warmup": start, "end": end, "growth_pct": growth}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds before the first measurement")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        bundle = shutil.copytree(BUNDLE_DIR, Path(tmp) / "backpropagation")  # a rebuild cannot swap files
        with StaticServer(REPO, {"/backpropagation/": bundle}) as server:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            page.goto(server.url + PAGE)
            page.wait_for_function("document.querySelector('backprop-widget')?.dataset.state === 'ready'",
                                   timeout=READY_MS)
            result = soak(page, args.minutes * 60, args.warmup)
            browser.close()
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
