"""One measurement each: a page load, a training window, a reference run, memory, a CPU profile.

Every function takes Playwright objects and returns plain numbers; `bench/run.py` decides what
to measure, in which order, and how often.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

INSTRUMENT = (Path(__file__).parent / "pages" / "instrument.js").read_text("utf-8")
LOAD_TIMEOUT = 180_000
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
WIDGET = "backprop-widget"


class Session:
    """A browser context whose pages carry the bench's instrumentation; it refuses any request
    outside loopback and counts the bytes every response carried."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(INSTRUMENT)
        self.outside: list[str] = []
        self.responses = []
        self.context.on("request", self._check)
        self.context.on("requestfinished", lambda request: self.responses.append(request))
        self.page = self.context.new_page()

    def _check(self, request) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOOPBACK:
            self.outside.append(request.url)

    def bytes_received(self) -> int:
        total = 0
        for request in self.responses:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total

    def close(self) -> None:
        self.context.close()
        if self.outside:
            raise RuntimeError(f"the page requested non-loopback URLs: {sorted(set(self.outside))}")


def load_widgets(session: Session, url: str, count: int = 1) -> dict:
    """Navigate and wait until `count` widgets are ready: navigation → shell, → last ready."""
    session.responses.clear()
    page = session.page
    page.goto(url)
    wait_ready(page, count)
    got = page.evaluate("({shell: __bench.shell, ready: Math.max(...__bench.ready), workers: __bench.workers,"
                        f" widgets: document.querySelectorAll('{WIDGET}').length}})")
    got["bytes"] = session.bytes_received()
    return got


def wait_ready(page, count: int = 1) -> None:
    """Wait for `count` backprop:ready events; a widget in its error state stops the bench."""
    page.wait_for_function(f"window.__bench && (__bench.ready.length >= {count} || "
                           f"document.querySelector('{WIDGET}[data-state=error]'))", timeout=LOAD_TIMEOUT)
    error = page.evaluate(f"document.querySelector('{WIDGET}[data-state=error]') && __bench.errors")
    if error:
        raise RuntimeError(f"{page.url}: the widget shows an error: {error}")


def load_bare(session: Session, url: str) -> dict:
    """The bare page: Pyodide + numpy (loaded and imported) in a worker and nothing else
    (bench/pages/reference.html); `import_ms` is the `import numpy` part."""
    session.responses.clear()
    session.page.goto(url)
    session.page.wait_for_function("window.__ready", timeout=LOAD_TIMEOUT)
    result = session.page.evaluate("window.__ready")
    if "error" in result:
        raise RuntimeError(result["error"])
    return {"ready": result["since_navigation_ms"], "import": result["import_ms"],
            "bytes": session.bytes_received()}


def call_widget(page, method: str, arg=None, index: int = 0):
    return page.evaluate(f"([a]) => document.querySelectorAll('{WIDGET}')[{index}].{method}(a)"
                         f".then(() => true)", [arg])


def configure(page, config: dict) -> None:
    """setConfig, then reset: every measured run starts from a fresh network."""
    call_widget(page, "setConfig", config)
    call_widget(page, "reset")


def page_config(page) -> dict:
    return page.evaluate(f"JSON.parse(document.querySelector('{WIDGET}').dataset.config || '{{}}')")


def training_window(page, seconds: float, warmup: float, during=None) -> dict:
    """Train, skip `warmup` seconds, then count over `seconds`: epochs (data-epoch), snapshots
    drawn (backprop:step), snapshots posted by the worker, animation frames, long tasks.
    `during(deadline)` may act on the page meanwhile (e.g. change a control)."""
    call_widget(page, "train")
    time.sleep(warmup)
    start = page.evaluate("({t: performance.now(), epoch: Number(document.querySelector('backprop-widget').dataset.epoch || 0)})")
    deadline = time.monotonic() + seconds
    if during:
        during(deadline)
    remaining = deadline - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
    got = page.evaluate("(t0) => __bench.since(t0)", start["t"])
    call_widget(page, "pause")
    secs = (got["t1"] - got["t0"]) / 1000.0
    return {"epochs_per_s": (got["epochs"][0] - start["epoch"]) / secs, "redraws_per_s": got["steps"] / secs,
            "posted_per_s": got["posted"] / secs, "fps": got["frames"] / secs,
            "long_tasks": got["long_tasks"], "longest_task_ms": got["longest_task_ms"],
            **frame_breakdown(got, secs)}


def frame_breakdown(got: dict, secs: float) -> dict:
    """Where the time went in a training window: the worker's shares (train calls, live
    snapshots, the rest) from what it posts with each snapshot, and the page's animation-frame
    script per redraw."""
    w = got["worker"]
    wall = w["wall_ms"] or 1.0
    return {"worker_train_share": w["train_ms"] / wall, "worker_snapshot_share": w["snapshot_ms"] / wall,
            "worker_other_share": max(0.0, 1 - (w["train_ms"] + w["snapshot_ms"]) / wall),
            "snapshot_ms": w["snapshot_ms"] / max(w["snapshots"], 1),
            "epoch_ms_in_worker": w["train_ms"] / max(w["epochs"], 1),
            "train_calls_per_snapshot": w.get("calls", 0) / max(w["snapshots"], 1),
            "frame_script_ms_per_redraw": got["callbacks_ms"] / max(got["steps"], 1),
            "frame_script_share": got["callbacks_ms"] / (1000.0 * secs),
            "longest_frame_script_ms": got["longest_callback_ms"]}


def drag_learning_rate(page):
    """What a reader does while the network trains: edit the learning rate and move the mouse
    over the widget, a few times a second."""
    field = page.locator(f"{WIDGET} input[name=learning_rate]").first
    box = page.locator(WIDGET).first.bounding_box()

    def act(deadline: float) -> None:
        k = 0
        while time.monotonic() < deadline - 0.3:
            field.fill("0,03" if k % 2 else "0,031")
            field.press("Enter")
            for i in range(5):
                page.mouse.move(box["x"] + box["width"] * (0.2 + 0.12 * i), box["y"] + box["height"] * (0.3 + 0.08 * (k % 5)))
            k += 1
            time.sleep(0.15)
    return act


def reference_run(page, spec: dict) -> dict:
    return page.evaluate("(spec) => bench.run('reference', spec)", spec)


def engine_calls(page, config: dict, grid: int, live_hidden: int, epochs: list[int], repeats: int,
                 live_grid: int | None = None) -> dict:
    return page.evaluate("(a) => bench.run('engine', a)",
                         {"config": config, "grid": grid, "liveGrid": live_grid or grid, "liveHidden": live_hidden,
                          "epochs": epochs, "repeats": repeats})


def process_memory_mb(browser) -> float:
    """Resident memory of every process of the browser (the page's renderer holds its workers)."""
    cdp = browser.new_browser_cdp_session()
    try:
        infos = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        cdp.detach()
    total = 0
    for info in infos:
        status = Path(f"/proc/{info['id']}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024.0


def main_thread_metrics(cdp) -> dict:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def profile_window(page, seconds: float, warmup: float) -> dict:
    """Train for `seconds` under Chromium's sampling profiler and the main thread's cumulative
    metrics: self time per script file and per function, script/layout/style totals."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})
    call_widget(page, "train")
    time.sleep(warmup)
    before = main_thread_metrics(cdp)
    start = page.evaluate("performance.now()")
    cdp.send("Profiler.start")
    time.sleep(seconds)
    profile = cdp.send("Profiler.stop")["profile"]
    after = main_thread_metrics(cdp)
    got = page.evaluate("(t0) => __bench.since(t0)", start)
    call_widget(page, "pause")
    cdp.detach()
    metrics = {k: after[k] - before[k] for k in ("TaskDuration", "ScriptDuration", "LayoutDuration",
                                                  "RecalcStyleDuration", "LayoutCount", "RecalcStyleCount")}
    return {"metrics": metrics, "window": got, "profile": self_times(profile)}


def self_times(profile: dict) -> dict:
    """Self time (ms) per script file and per function from a CDP CPU profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    by_node: dict[int, float] = {}
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"]):
        by_node[node_id] = by_node.get(node_id, 0.0) + delta / 1000.0
    files: dict[str, float] = {}
    functions: dict[str, float] = {}
    for node_id, ms in by_node.items():
        frame = nodes[node_id]["callFrame"]
        url = frame.get("url") or ""
        name = url.rsplit("/widget/src/", 1)[-1] if "/widget/src/" in url else (url.rsplit("/", 1)[-1] or frame["functionName"] or "(native)")
        files[name] = files.get(name, 0.0) + ms
        fn = f"{frame['functionName'] or '(anonymous)'} ({name})"
        functions[fn] = functions.get(fn, 0.0) + ms
    top = lambda d, n: dict(sorted(((k, round(v, 1)) for k, v in d.items()), key=lambda kv: -kv[1])[:n])  # noqa: E731
    return {"files_ms": top(files, 15), "functions_ms": top(functions, 20),
            "total_ms": round(sum(by_node.values()), 1)}
