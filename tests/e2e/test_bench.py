"""`build.py bench` in miniature: a very short run (the "smoke" profile) of the whole benchmark
in real Chromium, checked for the shape issue 8 fixes, never for speed (timing targets live in
the benchmark's numbers, not in tests)."""

from __future__ import annotations

import importlib.util
import json
import math

from support import REPO

ISSUE_KEYS = {
    "startup": ["shell_ms", "ready_cold_ms", "ready_warm_ms", "bare_cold_ms", "bare_warm_ms",
                "ratio_cold", "ratio_warm", "bytes", "first_click_ms", "first_view_ms"],
    "throughput": ["default", "spiral_8_8"],
    "engine": ["cpython_epoch_ms", "pyodide_epoch_ms", "ratio_to_reference"],
    "widgets": ["one_ready_ms", "three_ready_ms", "workers_for_three", "memory_ratio"],
    "scaling": ["points", "layers"],
}
THROUGHPUT_KEYS = ["epochs_per_s", "redraws_per_s", "fps", "long_tasks", "longest_task_ms",
                   "reference_epochs_per_s", "ratio_to_reference"]


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_entry", REPO / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def test_a_short_bench_writes_valid_json_with_the_issue_keys(browser, bundle_dir, tmp_path):
    bench = load_bench()
    results = bench.bench(browser, "smoke", tmp_path)
    out = tmp_path / "results.json"
    out.write_text(json.dumps(results, allow_nan=False))  # refuses NaN and Infinity
    got = json.loads(out.read_text())

    assert isinstance(got["machine"], str) and got["machine"]
    assert isinstance(got["date"], str) and got["date"][:2] == "20"
    assert set(got["versions"]) >= {"pyodide", "numpy", "chromium"}
    for section, keys in ISSUE_KEYS.items():
        missing = [k for k in keys if k not in got[section]]
        assert not missing, f"{section} lacks {missing}"
    for name in ("default", "spiral_8_8"):
        row = got["throughput"][name]
        assert all(is_number(row[k]) for k in THROUGHPUT_KEYS), row
        # The widget trained and drew in the window, and the reference loop ran.
        assert row["epochs_per_s"] > 0 and row["redraws_per_s"] > 0 and row["reference_epochs_per_s"] > 0
    assert all(is_number(got["startup"][k]) for k in ISSUE_KEYS["startup"])
    assert got["startup"]["shell_ms"] < got["startup"]["ready_cold_ms"]
    assert got["startup"]["first_click_ms"] < got["startup"]["first_click_ready_ms"]
    assert got["widgets"]["workers_for_three"] >= 1
    assert all(is_number(got["engine"][k]) for k in ISSUE_KEYS["engine"])
    assert got["scaling"]["points"] and got["scaling"]["layers"]

    # The Markdown table renders from these results.
    table = bench.report.table(got)
    assert "spiral_8_8" in table and "| start-up | ms |" in table
