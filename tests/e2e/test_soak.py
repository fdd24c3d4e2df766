"""A 20 s soak (issue 13): continuous training keeps the worker's WebAssembly memory and the
page's JS heap flat after a warm-up. `python3 build.py bench --soak MINUTES` runs it longer."""

import sys
from pathlib import Path

import pytest

from test_widget import open_page, wait_ready

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from soak import soak  # noqa: E402


@pytest.fixture(scope="module")
def base(serve, bundle_dir):
    return serve(Path(__file__).resolve().parents[2], {"/backpropagation/": bundle_dir})


def test_twenty_seconds_of_training_do_not_grow_memory(page, base):
    widget = open_page(page, base).first
    wait_ready(widget)
    result = soak(page, seconds=15, warmup=5)
    assert result["state"] == "training" and result["epochs"] > 0, result
    # Python's live objects stay flat (the WebAssembly memory grows in steps of several MB
    # up to its high-water mark, so it is reported, not judged, over a window this short).
    assert result["growth_pct"]["python_objects"] <= 5, result
    assert result["growth_pct"]["page_js_mb"] <= 50, result
