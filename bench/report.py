"""The Markdown table of a bench run, and its place in docs/performance.md (between the
`<!-- generated:bench -->` markers; the prose around it is written by hand)."""

from __future__ import annotations

import re
from pathlib import Path

START, END = "<!-- generated:bench -->", "<!-- /generated:bench -->"


def _n(value, digits=0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _spread(section: dict, key: str, digits=0) -> str:
    s = section["spread"][key]
    return f"{_n(s['median'], digits)} ({_n(s['min'], digits)}–{_n(s['max'], digits)})"


def table(r: dict) -> str:
    s, e, w = r["startup"], r["engine"], r["widgets"]
    rounds = len(s["spread"]["shell_ms"]["runs"])
    lines = [f"Run of {r['date']} ({r['profile']} profile, {r['seconds']} s), {r['machine']}; "
             f"Pyodide {r['versions']['pyodide']}, numpy {r['versions']['numpy']}, Chromium "
             f"{r['versions']['chromium']}, commit {r['versions']['git']}. Median (min–max) of the "
             f"rounds ({rounds} for start-up).", "",
             "| throughput | epochs/s | redraws/s | fps | fps while editing | long tasks | longest task ms "
             "| reference epochs/s | ratio to reference |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, t in r["throughput"].items():
        lines.append(f"| `{name}` | {_spread(t, 'epochs_per_s')} | {_spread(t, 'redraws_per_s', 1)} "
                     f"| {_spread(t, 'fps', 1)} | {_n(t['dragging_fps'], 1)} | {t['long_tasks']:g} "
                     f"| {_n(t['longest_task_ms'])} | {_spread(t, 'reference_epochs_per_s')} "
                     f"| {_spread(t, 'ratio_to_reference', 2)} |")
    if all("worker_train_share" in t for t in r["throughput"].values()):
        lines += ["", "| where the time went (training window) | worker: epochs · live snapshots · rest "
                  "| a live snapshot, ms | an epoch in the worker, ms | training calls per snapshot "
                  "| snapshots posted a second | page's frame script per redraw, ms "
                  "| page's frame script, share of the window |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for name, t in r["throughput"].items():
            lines.append(f"| `{name}` | {_n(100 * t['worker_train_share'])} % · {_n(100 * t['worker_snapshot_share'])} % "
                         f"· {_n(100 * t['worker_other_share'])} % | {_n(t['snapshot_ms'], 1)} "
                         f"| {_n(t['epoch_ms_in_worker'], 2)} | {_n(t.get('train_calls_per_snapshot'), 1)} "
                         f"| {_n(t['posted_per_s'], 1)} | {_n(t['frame_script_ms_per_redraw'], 1)} "
                         f"| {_n(100 * t['frame_script_share'])} % |")
    lines += ["", "| start-up | ms |", "|---|---:|",
              f"| shell painted (navigation → first frame with the widget's shell) | {_spread(s, 'shell_ms')} |",
              f"| engine ready, cold / bare page cold | {_spread(s, 'ready_cold_ms')} / {_spread(s, 'bare_cold_ms')} |",
              f"| engine ready, warm / bare page warm | {_spread(s, 'ready_warm_ms')} / {_spread(s, 'bare_warm_ms')} |",
              f"| ratio cold · warm | {_spread(s, 'ratio_cold', 2)} · {_spread(s, 'ratio_warm', 2)} |",
              f"| of the bare page cold, `import numpy` | {_n(s.get('bare_import_cold_ms'))} |",
              f"| bytes transferred (cold) | {_n(s['bytes'])} |",
              "", "| engine (spiral_8_8 epoch) | |", "|---|---:|",
              f"| hand-written numpy loop, CPython {e['cpython']['python']} + numpy {e['cpython']['numpy']} "
              f"| {_n(e['cpython_epoch_ms'], 2)} ms |",
              f"| the same loop in the Pyodide worker | {_n(e['pyodide_epoch_ms'], 2)} ms |",
              f"| the engine's `train` in a worker, no drawing, per epoch | {_n(e['engine_epoch_ms'], 2)} ms |",
              f"| the engine's `train` call, fixed cost (snapshot, {e['worker_train_call']['grid']}² grids) "
              f"| {_n(e['worker_train_call']['fixed_ms'], 1)} ms |",
              *([f"| an epoch in a `train` call with no snapshot (live training) "
                 f"| {_n(e['worker_train_call']['quiet_per_epoch_ms'], 2)} ms |",
                 f"| a live snapshot ({e['worker_train_call'].get('live_grid', e['worker_train_call']['grid'])}² output, "
                 f"{e['worker_train_call']['live_hidden_grid']}² hidden maps, history delta) "
                 f"| {_n(e['worker_train_call']['live_snapshot_ms'], 1)} ms |"]
                if "live_snapshot_ms" in e["worker_train_call"] else []),
              f"| widget epochs/s ÷ CPython loop epochs/s | {_n(e['ratio_to_reference'], 2)} |",
              "", "| widgets | one | three |", "|---|---:|---:|",
              f"| ready, ms | {_n(w['one_ready_ms'])} | {_n(w['three_ready_ms'])} |",
              f"| workers | 1 | {w['workers_for_three']} |",
              f"| browser memory (RSS), MB | {_n(w['one_memory_mb'])} | {_n(w['three_memory_mb'])} "
              f"(× {_n(w['memory_ratio'], 2)}) |",
              "", "| scaling (spiral, batch 10) | epoch ms | epochs/s | redraws/s | fps |", "|---|---:|---:|---:|---:|"]
    for row in r["scaling"]["points"]:
        if not row["allowed"]:
            lines.append(f"| {row['points']:,} training points | {row['note']} | | | |")
            continue
        lines.append(f"| {row['points']:,} training points, [8, 8] | {_n(row['epoch_ms'], 2)} "
                     f"| {_n(row['epochs_per_s'])} | {_n(row['redraws_per_s'], 1)} | {_n(row['fps'], 1)} |")
    for row in r["scaling"]["layers"]:
        lines.append(f"| 250 points, hidden {row['hidden']} | {_n(row['epoch_ms'], 2)} "
                     f"| {_n(row['epochs_per_s'])} | {_n(row['redraws_per_s'], 1)} | {_n(row['fps'], 1)} |")
    return "\n".join(lines)


def update_docs(path: Path, results: dict) -> None:
    text = path.read_text("utf-8")
    block = f"{START}\n{table(results)}\n{END}"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise RuntimeError(f"{path} has no {START} … {END} block")
    path.write_text(pattern.sub(lambda _m: block, text), "utf-8")
