"""`python3 build.py bench`: the widget in headless Chromium against the built example site on
loopback, every figure next to a baseline measured in the same run (issue 8).

    run(browser, sites, profile) -> the dict written to bench/results.json

`sites` holds the base URLs of three loopback servers (see `serve_sites`): the example site,
a site with one and three widgets, and the unbundled test page (readable profiles). Rounds
interleave what they compare, so the shared machine's drift hits both sides alike.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import measure  # noqa: E402
from build import session_constant  # noqa: E402 (the widget's grids, read as build.py reads them)

EXAMPLE_PAGE = "/backpropagation-aprendizaje/"
# The configuration of issue 8's table (also TensorFlow Playground's comparison).
SPIRAL_8_8 = {"dataset": "spiral", "n_samples": 500, "val_fraction": 0.5, "hidden": [8, 8],
              "activation": "tanh", "batch_size": 10, "learning_rate": 0.03}
CONTRACT = json.loads((ROOT / "hugo-shortcodes" / "assets" / "backpropagation" / "contract.json").read_text("utf-8"))
ENGINE_DEFAULTS = {name: field["default"] for name, field in CONTRACT["config"]["fields"].items()}
# The most points the widget lets a page ask for (its own limit when narrower than the engine's).
_POINTS = CONTRACT["config"]["fields"]["n_samples"]
ENGINE_MAX_POINTS = min(_POINTS["max"], (_POINTS.get("widget") or {}).get("max") or _POINTS["max"])

PROFILES = {
    # rounds, then seconds: training window, warm-up, control-dragging phase, reference run,
    # scaling window, profiled window.
    "full": dict(startup=5, throughput=3, widgets=3, window=14, warmup=2, drag=6, reference=5,
                 scaling=3, scaling_rounds=2, profile=5, points=[250, 1000, 4000, 16000], widths=[2, 4, 8, 16],
                 depths=[1, 2, 4, 8]),
    "quick": dict(startup=1, throughput=2, widgets=1, window=3, warmup=1, drag=1.5, reference=1.5,
                  scaling=1.0, scaling_rounds=1, profile=2, points=[250, 1000, 4000, 16000], widths=[2, 16],
                  depths=[1, 8]),
    # For the test that checks the shape of the results, not the numbers.
    "smoke": dict(startup=1, throughput=1, widgets=1, window=0.6, warmup=0.4, drag=0.6,
                  reference=0.3, scaling=0.4, scaling_rounds=1, profile=0.4, points=[250], widths=[2], depths=[1]),
}

THREE_WIDGETS = "---\ntitle: Tres\n---\n\n{{< backpropagation >}}\n\n{{< backpropagation >}}\n\n{{< backpropagation >}}\n"
ONE_WIDGET = "---\ntitle: Una\n---\n\n{{< backpropagation >}}\n"


# The per-window breakdown (measure.frame_breakdown) kept for each throughput round.
BREAKDOWN_KEYS = ("worker_train_share", "worker_snapshot_share", "worker_other_share", "snapshot_ms", "train_calls_per_snapshot",
                  "epoch_ms_in_worker", "frame_script_ms_per_redraw", "frame_script_share", "longest_frame_script_ms")


def stats(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "runs": [round(v, 3) for v in values]}


def medians(rows: list[dict]) -> tuple[dict, dict]:
    """Median of each key over rounds, and the spread (median, min, max, every run)."""
    keys = rows[0].keys()
    spread = {k: stats([r[k] for r in rows]) for k in keys}
    return {k: v["median"] for k, v in spread.items()}, spread


def reference_spec(config: dict, seconds: float) -> dict:
    config = {**ENGINE_DEFAULTS, **config}
    points = round(config["n_samples"] * (1 - config["val_fraction"]))
    return {"points": points, "hidden": config["hidden"], "batch": config["batch_size"],
            "lr": config["learning_rate"], "seconds": seconds}


# ---------------------------------------------------------------------------------- startup

def startup(browser, sites: dict, p: dict) -> dict:
    """Widget page and bare page, each cold (fresh context) then warm (reloaded), interleaved;
    every other round the bare page goes first, so what a page leaves behind (the last context's
    teardown, caches) weighs on both alike."""
    rows = []
    pages = (("ready", sites["example"] + EXAMPLE_PAGE, measure.load_widgets),
             ("bare", sites["example"] + "/bench/pages/reference.html", measure.load_bare))
    for round_ in range(p["startup"]):
        row = {}
        for name, url, loader in (pages if round_ % 2 == 0 else pages[::-1]):
            session = measure.Session(browser)
            try:
                cold, warm = loader(session, url), loader(session, url)
            finally:
                session.close()
            row[f"{name}_cold_ms"], row[f"{name}_warm_ms"] = cold["ready"], warm["ready"]
            if name == "ready":
                row["shell_ms"], row["bytes"] = cold["shell"], cold["bytes"]
            else:
                row["bare_import_cold_ms"] = cold["import"]
        row["ratio_cold"] = row["ready_cold_ms"] / row["bare_cold_ms"]
        row["ratio_warm"] = row["ready_warm_ms"] / row["bare_warm_ms"]
        rows.append(row)
    out, spread = medians(rows)
    out = {"shell_ms": out["shell_ms"], "ready_cold_ms": out["ready_cold_ms"], "ready_warm_ms": out["ready_warm_ms"],
           "bare_cold_ms": out["bare_cold_ms"], "bare_warm_ms": out["bare_warm_ms"],
           "ratio_cold": out["ratio_cold"], "ratio_warm": out["ratio_warm"], "bytes": int(out["bytes"]),
           "bare_import_cold_ms": out["bare_import_cold_ms"]}
    return {**out, "spread": spread}


# ------------------------------------------------------------------------------- throughput

def throughput(widget, reference, configs: dict, p: dict) -> dict:
    """Per round and configuration: the widget training with every view live (then while the
    bench edits a control), then the numpy reference in the bench worker, back to back."""
    rows = {name: [] for name in configs}
    for _ in range(p["throughput"]):
        for name, config in configs.items():
            measure.configure(widget, config)
            plain = measure.training_window(widget, p["window"], p["warmup"])
            measure.configure(widget, config)
            drag = measure.training_window(widget, p["drag"], p["warmup"], measure.drag_learning_rate(widget))
            ref = measure.reference_run(reference, reference_spec(config, p["reference"]))
            rows[name].append({
                "epochs_per_s": plain["epochs_per_s"], "redraws_per_s": plain["redraws_per_s"],
                "fps": plain["fps"], "posted_per_s": plain["posted_per_s"],
                "long_tasks": plain["long_tasks"] + drag["long_tasks"],
                "longest_task_ms": max(plain["longest_task_ms"], drag["longest_task_ms"]),
                "dragging_fps": drag["fps"], "dragging_redraws_per_s": drag["redraws_per_s"],
                **{k: plain[k] for k in BREAKDOWN_KEYS},
                "reference_epochs_per_s": ref["epochs_per_s"],
                "reference_epoch_ms": ref["epoch_ms_median"],
                "ratio_to_reference": plain["epochs_per_s"] / ref["epochs_per_s"],
            })
    result = {}
    for name, got in rows.items():
        out, spread = medians(got)
        result[name] = {**out, "config": configs[name], "spread": spread}
    return result


def cpython_reference(config: dict, seconds: float, rounds: int) -> dict:
    """The same hand-written loop on this machine's CPython (.venv's numpy)."""
    runs = []
    for _ in range(rounds):
        out = subprocess.run([sys.executable, str(BENCH / "reference.py"), json.dumps(reference_spec(config, seconds))],
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout)["epoch_ms_median"])
    import numpy
    return {"epoch_ms": stats(runs), "numpy": numpy.__version__, "python": sys.version.split()[0]}


def worker_costs(reference, config: dict, repeats: int) -> dict:
    """The engine's `train` call in a worker with no drawing: fixed cost and cost per epoch."""
    grid, hidden = session_constant("GRID_RESOLUTION"), session_constant("LIVE_HIDDEN_GRID")
    live_grid = session_constant("LIVE_GRID")
    got = measure.engine_calls(reference, config, grid, hidden, [1, 10, 50], repeats, live_grid)
    calls = {row["epochs"]: row for row in got["train_calls"]}
    per_epoch = (calls[50]["call_ms"] - calls[1]["call_ms"]) / 49
    quiet = {row["epochs"]: row for row in got["quiet_train_calls"]}
    quiet_per_epoch = (quiet[50]["call_ms"] - quiet[1]["call_ms"]) / 49
    return {"grid": grid, "train_calls": got["train_calls"], "snapshot_ms": got["snapshot_ms"],
            "per_epoch_ms": per_epoch, "fixed_ms": calls[1]["call_ms"] - per_epoch,
            # what live training runs: epochs without a snapshot, and one live snapshot a frame
            "quiet_train_calls": got["quiet_train_calls"], "quiet_per_epoch_ms": quiet_per_epoch,
            "quiet_fixed_ms": quiet[1]["call_ms"] - quiet_per_epoch, "live_grid": live_grid, "live_hidden_grid": hidden,
            "live_snapshot_ms": got["live_snapshot_ms"]}


# ---------------------------------------------------------------------------------- widgets

def widgets(browser, sites: dict, p: dict) -> dict:
    """One widget and three widgets on a page, fresh context each, interleaved."""
    rows = []
    for _ in range(p["widgets"]):
        row = {}
        for count, page in ((1, "/una/"), (3, "/tres/")):
            session = measure.Session(browser)
            try:
                got = measure.load_widgets(session, sites["widgets"] + page, count)
                time.sleep(1.0)
                row[f"{count}_ready_ms"], row[f"{count}_workers"] = got["ready"], got["workers"]
                row[f"{count}_memory_mb"] = measure.process_memory_mb(browser)
            finally:
                session.close()
        rows.append(row)
    out, spread = medians(rows)
    return {"one_ready_ms": out["1_ready_ms"], "three_ready_ms": out["3_ready_ms"],
            "workers_for_three": int(out["3_workers"]), "memory_ratio": out["3_memory_mb"] / out["1_memory_mb"],
            "ready_ratio": out["3_ready_ms"] / out["1_ready_ms"], "one_memory_mb": out["1_memory_mb"],
            "three_memory_mb": out["3_memory_mb"], "memory": "resident memory of every browser process",
            "spread": spread}


# ---------------------------------------------------------------------------------- scaling

def scaling(widget, p: dict) -> dict:
    """Epoch time and redraw rate as the training points and the network grow (spiral_8_8),
    every configuration once per round, medians over the rounds."""
    cases = []
    for n in p["points"]:
        if n > ENGINE_MAX_POINTS:
            cases.append(({"points": n, "allowed": False,
                           "note": f"the widget refuses n_samples over {ENGINE_MAX_POINTS}"}, None))
            n = ENGINE_MAX_POINTS
            if any(row["points"] == n for row, _ in cases):
                continue
        # All points train (val_fraction 0): n_samples is the number of training points.
        cases.append(({"points": n, "allowed": True}, {**SPIRAL_8_8, "n_samples": n, "val_fraction": 0.0}))
    cases += [({"hidden": [w, w]}, {**SPIRAL_8_8, "hidden": [w, w]}) for w in p["widths"]]
    cases += [({"hidden": [8] * d}, {**SPIRAL_8_8, "hidden": [8] * d}) for d in p["depths"]]
    runs: list[list[dict]] = [[] for _ in cases]
    for _ in range(p["scaling_rounds"]):
        for k, (_row, config) in enumerate(cases):
            if config is not None:
                measure.configure(widget, config)
                runs[k].append(measure.training_window(widget, p["scaling"], min(p["warmup"], 1.0)))
    out = {"points": [], "layers": []}
    for (row, _config), got in zip(cases, runs):
        if got:
            med, _spread = medians([{k: g[k] for k in ("epochs_per_s", "redraws_per_s", "fps", "longest_task_ms")}
                                    for g in got])
            eps = med["epochs_per_s"]
            row = {**row, "epoch_ms": round(1000 / eps, 3) if eps else None, "epochs_per_s": round(eps, 1),
                   "redraws_per_s": round(med["redraws_per_s"], 1), "fps": round(med["fps"], 1),
                   "longest_task_ms": med["longest_task_ms"], "rounds": len(got)}
        out["points" if "points" in row else "layers"].append(row)
    return out


# -------------------------------------------------------------------------------- breakdown

def breakdown(browser, sites: dict, p: dict) -> dict:
    """Where the main thread's time goes while spiral_8_8 trains, on the unbundled test page
    (readable function names and one file per module)."""
    session = measure.Session(browser)
    try:
        measure.load_widgets(session, sites["test_page"] + "/widget.html")
        measure.configure(session.page, SPIRAL_8_8)
        got = measure.profile_window(session.page, p["profile"], p["warmup"])
    finally:
        session.close()
    w = got["window"]
    secs = (w["t1"] - w["t0"]) / 1000.0
    m = got["metrics"]
    per = max(w["steps"], 1)
    return {"seconds": round(secs, 2), "redraws": w["steps"], "frames": w["frames"], "snapshots_posted": w["posted"],
            "main_thread_busy_pct": round(100 * m["TaskDuration"] / secs, 1),
            "per_redraw_ms": {"task": round(1000 * m["TaskDuration"] / per, 2),
                              "script": round(1000 * m["ScriptDuration"] / per, 2),
                              "layout": round(1000 * m["LayoutDuration"] / per, 2),
                              "style": round(1000 * m["RecalcStyleDuration"] / per, 2)},
            "layouts_per_redraw": round(m["LayoutCount"] / per, 2),
            "profile": got["profile"]}
