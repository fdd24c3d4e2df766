"""Entry point of `python3 build.py bench` (run with .venv's Python; build.py makes sure the
bundle, Hugo and Chromium exist first).

    .venv/bin/python bench/bench.py [--quick | --profile smoke] [--out bench/results.json]
                                    [--docs docs/performance.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import first_click  # noqa: E402
import report  # noqa: E402
import run  # noqa: E402
from measure import Session  # noqa: E402
from support import (BUNDLE_DIR, CHROMIUM, CHROMIUM_ARGS, COMPONENT_CONFIG, EXAMPLE_SITE, REPO, StaticServer,  # noqa: E402
                     hugo_build, write_site)



def build_sites(work: Path) -> dict[str, Path]:
    """The example site as `build.py serve` shows it, and a site with one and three widgets."""
    example = work / "example"
    result = hugo_build(EXAMPLE_SITE, example, "--baseURL", "/", "--buildDrafts")
    if result.returncode:
        raise RuntimeError(result.stderr + result.stdout)
    site = write_site(work / "widgets-src", {"hugo.toml": COMPONENT_CONFIG.replace("https://example.org/", "/"),
                                             "content/una.md": run.ONE_WIDGET, "content/tres.md": run.THREE_WIDGETS})
    widgets = work / "widgets"
    result = hugo_build(site, widgets, env={"HUGO_RESOURCEDIR": str(work / "resources")})
    if result.returncode:
        raise RuntimeError(result.stderr + result.stdout)
    return {"example": example, "widgets": widgets}


def serve_sites(stack: ExitStack, built: dict[str, Path], bundle: Path) -> dict[str, str]:
    """Loopback servers with HTTP caching allowed (warm loads), the bundle at /backpropagation/
    and the bench's pages at /bench/."""
    mounts = {"/backpropagation/": bundle, "/bench/": BENCH}
    urls = {name: stack.enter_context(StaticServer(root, mounts, cache=True)).url for name, root in built.items()}
    urls["test_page"] = stack.enter_context(StaticServer(
        REPO / "tests" / "e2e" / "pages", {**mounts, "/widget/": REPO / "widget"}, cache=True)).url
    return urls


def machine(browser) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} vCPU {cpu}, {mem} GiB, {platform.system()} {platform.release()}, load {load:.1f} at start"


def versions(browser, bundle: Path) -> dict:
    lock = json.loads((bundle / "pyodide-lock.json").read_text())
    return {"pyodide": lock["info"]["version"], "numpy": lock["packages"]["numpy"]["version"],
            "chromium": browser.version, "python_cpython": platform.python_version(),
            "engine_wheel": lock["packages"]["backprop"]["file_name"],
            "git": git("rev-parse", "--short", "HEAD"),
            # The bench measures the work tree: say whether it differed from that commit.
            "uncommitted_changes": bool(git("status", "--porcelain", "--", "widget", "python", "hugo-shortcodes"))}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()


class Phases:
    """Runs the bench's phases, saying which one runs and how long each took."""

    def __init__(self):
        self.seconds: dict[str, int] = {}

    def __call__(self, name: str, fn, *args):
        print(f"[bench] {name}", flush=True)
        started = time.monotonic()
        try:
            return fn(*args)
        finally:
            self.seconds[name] = round(time.monotonic() - started)


def measure_all(browser, urls: dict, p: dict) -> dict:
    started, phase = time.monotonic(), Phases()
    results = {"startup": phase("start-up", run.startup, browser, urls, p),
               "widgets": phase("three widgets", run.widgets, browser, urls, p)}
    results["startup"].update(phase("first click", first_click.measure, browser, urls, p))
    widget, reference = Session(browser), Session(browser)
    try:
        widget.page.goto(urls["example"] + run.EXAMPLE_PAGE)
        reference.page.goto(urls["example"] + "/bench/pages/reference.html")
        run.measure.wait_ready(widget.page)
        reference.page.wait_for_function("window.__ready", timeout=180_000)
        configs = {"default": {**run.ENGINE_DEFAULTS, **run.measure.page_config(widget.page)}, "spiral_8_8": run.SPIRAL_8_8}
        results["throughput"] = phase("throughput", run.throughput, widget.page, reference.page, configs, p)
        results["scaling"] = phase("scaling", run.scaling, widget.page, p)
        worker = phase("engine calls in a worker", run.worker_costs, reference.page, run.SPIRAL_8_8,
                       3 if p is run.PROFILES["smoke"] else 7)
    finally:
        widget.close()
        reference.close()
    cpython = phase("CPython reference", run.cpython_reference, run.SPIRAL_8_8, p["reference"], p["throughput"])
    spiral = results["throughput"]["spiral_8_8"]
    cpython_eps = 1000 / cpython["epoch_ms"]["median"]
    results["engine"] = {
        "cpython_epoch_ms": cpython["epoch_ms"]["median"],
        "pyodide_epoch_ms": spiral["reference_epoch_ms"],
        "ratio_to_reference": spiral["epochs_per_s"] / cpython_eps,
        "engine_epoch_ms": worker["per_epoch_ms"],
        "pyodide_over_cpython": spiral["reference_epoch_ms"] / cpython["epoch_ms"]["median"],
        "cpython": cpython, "worker_train_call": worker,
    }
    if p is run.PROFILES["full"]:
        results["engine"]["micro_cpython"] = phase("engine micro-benchmark", engine_micro)
    results["breakdown"] = phase("main-thread profile", run.breakdown, browser, urls, p)
    results["browsers"] = other_engines()
    results["phase_seconds"] = phase.seconds
    results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    results["seconds"] = round(time.monotonic() - started)
    return results


def other_engines() -> dict:
    """Ready time per engine (Chromium, Firefox ESR, WebKitGTK) from the last run of the browsers
    test layer, which drives all three; its date and load average say how fresh it is."""
    ready = REPO / ".cache" / "browsers-ready.json"
    if not ready.exists():
        return {"note": "no run of `python3 build.py test browsers` on this machine yet"}
    return json.loads(ready.read_text(encoding="utf-8"))


def engine_micro() -> dict:
    """bench/engine_bench.py on CPython: the engine against the same arithmetic by hand."""
    out = subprocess.run([sys.executable, str(BENCH / "engine_bench.py")], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(REPO / "python")})
    return json.loads(out.stdout)


def bench(browser, profile: str, work: Path) -> dict:
    """Everything in one run; `browser` is a launched Playwright Chromium (the e2e test lends its own)."""
    p = run.PROFILES[profile]
    with ExitStack() as stack:
        # A private copy: a `build.py bundle` running meanwhile must not pull files from under a run.
        bundle = Path(shutil.copytree(BUNDLE_DIR, work / "backpropagation"))
        urls = serve_sites(stack, build_sites(work), bundle)
        head = {"machine": machine(browser),
                "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "profile": profile}
        head["versions"] = versions(browser, bundle)
        return {**head, **measure_all(browser, urls, p)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_const", const="quick", dest="profile", default="full")
    parser.add_argument("--profile", choices=sorted(run.PROFILES), default="full")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--docs", type=Path, help="rewrite the generated table in this Markdown file")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="bench-") as work:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            results = bench(browser, args.profile, Path(work))
        finally:
            browser.close()
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print(report.table(results))
    if args.docs:
        report.update_docs(args.docs, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
