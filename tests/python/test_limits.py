"""The widget's limits, enforced by the worker's Registry (issue 13 items 6 and 10): a value
beyond them is refused in Spanish naming the limit, the session keeps its state, and no call
runs long. The limits are declared once in schema.py and stated in docs/authoring.md."""

import json
import re
import sys
from pathlib import Path

import pytest

from backprop import schema
from backprop.commands import Registry
from backprop.limits import LIMITS, parameter_count

DOCS = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def call(reg, cmd, args=None, sid="s"):
    return json.loads(reg.call(sid, cmd, json.dumps(args or {})))


@pytest.fixture
def reg():
    r = Registry()
    assert call(r, "create", {"config": {}})["ok"]
    return r


def refused(reply, field, words):
    assert not reply["ok"], reply
    assert reply["error"]["field"] == field, reply
    assert words in reply["error"]["message"], reply["error"]["message"]


def test_a_huge_network_is_refused_at_once_through_create_and_set_config(reg):
    before = call(reg, "save")["result"]
    refused(call(reg, "set_config", {"partial": {"hidden": [256] * 16}}), "hidden", "entre 1 y 16")
    refused(call(reg, "create", {"config": {"hidden": [16] * 9}}, sid="t"), "hidden", "como máximo 8")
    assert call(reg, "save")["result"] == before
    assert "t" not in reg.sessions


@pytest.mark.parametrize("rate", [1e9, 1e308, 11])
def test_absurd_learning_rates_are_refused_with_the_schemas_bound(reg, rate):
    bound = schema.FIELD["learning_rate"].widget["max"]
    refused(call(reg, "set_config", {"partial": {"learning_rate": rate}}), "learning_rate",
            f"menor o igual que {bound:g}")


@pytest.mark.parametrize("size", [151, 1000, 5000])
def test_the_batch_message_states_the_real_limit(reg, size):
    refused(call(reg, "set_config", {"partial": {"batch_size": size}}), "batch_size", "entre 1 y 150")
    refused(call(reg, "create", {"config": {"batch_size": size}}, sid="t"), "batch_size", "entre 1 y 150")


def test_points_are_bounded_when_generated(reg):
    refused(call(reg, "set_config", {"partial": {"n_samples": LIMITS["points"] + 1}}), "n_samples",
            f"entre 10 y {LIMITS['points']}")


def test_a_saved_state_beyond_the_limits_is_refused(reg):
    state = call(reg, "save")["result"]["state"]
    state["config"]["hidden"] = [64]
    refused(call(reg, "load", {"state": state}), "hidden", "entre 1 y 16")


def test_a_trace_or_gradient_check_beyond_the_work_limit_is_refused_quickly(reg):
    assert call(reg, "set_config", {"partial": {"hidden": [16] * 8, "batch_size": 150}})["ok"]
    params = parameter_count(reg.session("s").net.sizes)
    most = LIMITS["example_work"] // params
    refused(call(reg, "trace"), "batch_size", f"como mucho {most} ejemplos")
    refused(call(reg, "gradient_check", {"samples": 200}), "samples", f"como mucho {most} ejemplos")
    assert call(reg, "trace", {"indices": list(range(most))})["ok"]


def test_the_largest_widget_network_is_within_the_parameter_limit():
    hidden = schema.FIELD["hidden"].widget
    sizes = [2] + [hidden["item_max"]] * hidden["max_length"] + [10]
    assert parameter_count(sizes) <= LIMITS["parameters"]


def test_python_code_keeps_the_engines_wider_bounds():
    from backprop.session import Session
    assert Session({"hidden": [32], "learning_rate": 50.0}).net.sizes == [2, 32, 1]


@pytest.mark.skipif(sys.platform == "emscripten", reason="the repository's docs are not inside Pyodide")
def test_the_authoring_docs_state_every_limit():
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("### Limits"):]
    for name, value in LIMITS.items():
        shown = f"{value:,}".replace(",", " ")
        assert re.search(rf"`{name}`.*{shown}", section), (name, shown)
