"""The gradient-flow history the widget's gradient-flow panel draws (snapshot["flow"])."""

import math

from backprop.commands import Registry
from backprop.flowhistory import MAX_ROWS, FlowHistory
import json


def call(r, cmd, args=None, sid="s"):
    reply = json.loads(r.call(sid, cmd, json.dumps(args or {})))
    assert reply["ok"], reply
    return reply["result"]


def test_one_row_per_snapshot_epoch_with_the_diagnostics_numbers():
    r = Registry()
    call(r, "create", {"config": {"hidden": [4, 4]}})
    snap = call(r, "train", {"epochs": 3})
    flow = snap["flow"]
    assert flow["epoch"] == [0, 3]                    # create's snapshot, then the train call's
    assert len(flow["grad_norm"][-1]) == 3            # two hidden layers and the output
    assert flow["grad_norm"][-1] == [e["grad_norm"] for e in snap["diagnostics"]["layers"]]
    assert flow["update_ratio"][-1] == [e["update_ratio"] for e in snap["diagnostics"]["layers"]]
    again = call(r, "snapshot")["flow"]               # same epoch: replaced, not repeated
    assert again["epoch"] == [0, 3]
    call(r, "reset")
    assert call(r, "snapshot")["flow"]["epoch"] == [0]


def test_six_sigmoid_layers_fade_towards_the_input():
    r = Registry()
    snap = call(r, "create", {"config": {"hidden": [8] * 6, "activation": "sigmoid"}})
    norms = snap["flow"]["grad_norm"][-1]
    assert norms[0] * 100 <= norms[-1]


def test_history_is_thinned_keeping_first_and_newest():
    h = FlowHistory()
    diag = {"layers": [{"grad_norm": 1.0, "update_ratio": None}]}
    for e in range(3 * MAX_ROWS):
        out = h.note(e, diag)
    assert len(out["epoch"]) <= MAX_ROWS and out["epoch"][0] == 0
    assert out["epoch"][-1] == 3 * MAX_ROWS - 1
    assert h.note(5, diag)["epoch"] == [5]            # going back in time starts over
    assert h.note(6, {})["epoch"] == [5]               # no diagnostics: nothing recorded
    assert not any(math.isnan(v) for row in out["grad_norm"] for v in row)
