"""The live snapshot (backprop/live.py): what live training posts once per frame."""

import json

import numpy as np

from backprop import evaluation
from backprop.commands import Registry


def call(reg, cmd, args=None):
    return json.loads(reg.call("s", cmd, json.dumps(args or {})))


def ok(reg, cmd, args=None):
    reply = call(reg, cmd, args)
    assert reply["ok"], reply
    return reply["result"]


def make(config=None):
    reg = Registry()
    ok(reg, "create", {"config": {"dataset": "spiral", "hidden": [8, 8], **(config or {})}})
    return reg


def test_history_delta_since_the_cursor_and_whole_history_after_a_reset():
    reg = make()
    cursor = ok(reg, "snapshot")["history_cursor"]
    assert ok(reg, "train", {"epochs": 3, "snapshot": "none"})["epoch"] == 3
    live = ok(reg, "snapshot", {"live": {"since": cursor}})
    assert live["live"] is True and "history" not in live
    assert live["history_delta"]["epoch"] == [1, 2, 3]
    assert live["history_delta"]["loss"][-1] == live["loss"]
    again = ok(reg, "train", {"epochs": 2, "snapshot": "live", "live": {"since": live["history_cursor"]}})
    assert again["history_delta"]["epoch"] == [4, 5]
    ok(reg, "reset")
    fresh = ok(reg, "snapshot", {"live": {"since": again["history_cursor"]}})
    assert "history_delta" not in fresh and fresh["history"]["epoch"] == [0]


def test_the_live_snapshot_carries_only_what_the_views_ask_for():
    reg = make()
    ok(reg, "train", {"epochs": 2})
    full = ok(reg, "snapshot")
    live = ok(reg, "snapshot", {"live": {}})
    for key in ("config", "diagnostics", "data"):
        assert key not in live
    assert "grad_weights" not in live["network"] and "optimizer" not in live["network"]
    assert live["network"]["weights"] == full["network"]["weights"]
    assert (live["accuracy"], live["val_accuracy"]) == (full["accuracy"], full["val_accuracy"])
    asked = ok(reg, "snapshot", {"live": {"parts": ["gradients", "diagnostics", "optimizer"]}})
    assert asked["network"]["grad_weights"] == full["network"]["grad_weights"]
    assert asked["diagnostics"] and asked["network"]["optimizer"]["name"] == "sgd"


def test_hidden_maps_are_the_coarser_grid_exactly():
    reg = make()
    live = ok(reg, "snapshot", {"grid": 40, "live": {"hidden_grid": 14}})
    values = np.frombuffer(reg.take_buffer(), dtype="<f4")
    out, hidden = live["grid"]["blocks"]
    assert out == {"neurons": [[3, 0]], "resolution": 40}
    assert hidden["resolution"] == 14 and len(hidden["neurons"]) == 16
    s = reg.sessions["s"]
    want40, _ = evaluation.grid_outputs(s.net, s.dataset.extent, 40)
    want14, _ = evaluation.grid_outputs(s.net, s.dataset.extent, 14)
    np.testing.assert_array_equal(values[:1600], want40[16].ravel())
    np.testing.assert_allclose(values[1600:].reshape(16, 14, 14), want14[:16], atol=1e-6)


def test_bad_live_options_are_refused_before_training():
    reg = make()
    for live in ({"since": [1]}, {"parts": ["weights"]}, {"what": 1}, {"hidden_grid": 1}):
        reply = call(reg, "train", {"epochs": 5, "snapshot": "live", "live": live})
        assert not reply["ok"] and reply["error"]["field"] in ("live", "hidden_grid"), reply
    assert call(reg, "train", {"snapshot": "partial"})["error"]["code"] == "invalid_snapshot"
    assert ok(reg, "snapshot")["epoch"] == 0


def test_a_network_that_is_no_longer_finite_is_shown_diverged_at_once():
    reg = make()
    ok(reg, "train", {"epochs": 1, "snapshot": "none"})
    assert ok(reg, "snapshot", {"live": {}})["status"] == "ok"
    net = reg.sessions["s"].net
    for arrays in (net.weights, net.biases):
        kept = arrays[-1].copy()
        arrays[-1][..., 0] = np.inf
        assert ok(reg, "snapshot", {"live": {}})["status"] == "diverged"
        arrays[-1][...] = kept
    reg.sessions["s"].history["loss"][-1] = float("nan")
    assert ok(reg, "snapshot", {"live": {}})["status"] == "diverged"


def test_grid_points_are_shared_and_read_only():
    a = evaluation.grid_points([-1, 1, -2, 2], 27)
    assert evaluation.grid_points((-1.0, 1.0, -2.0, 2.0), 27) is a and not a.flags.writeable
    assert a[0].tolist() == [-1, 2] and a[-1].tolist() == [1, -2]


def test_a_time_budget_ends_the_call_between_epochs_with_the_same_numbers():
    # A budget of 0 ms still runs one epoch; a generous one runs them all. Either way the
    # epochs are the ones a call without a budget runs (the same weights, epoch by epoch).
    timed, plain = make(), make()
    first = ok(timed, "train", {"epochs": 50, "budget_ms": 0, "snapshot": "none"})
    assert first["epochs_run"] == 1 and first["epoch"] == 1
    rest = ok(timed, "train", {"epochs": 4, "budget_ms": 60_000, "snapshot": "none"})
    assert rest["epochs_run"] == 4 and rest["epoch"] == 5
    assert ok(plain, "train", {"epochs": 5, "snapshot": "none"})["epochs_run"] == 5
    assert ok(timed, "save")["state"] == ok(plain, "save")["state"]


def test_a_budget_that_is_not_a_non_negative_number_is_refused_before_any_epoch():
    reg = make()
    for bad in (-1, "10", float("nan")):
        reply = call(reg, "train", {"epochs": 3, "budget_ms": bad, "snapshot": "none"})
        assert not reply["ok"] and reply["error"]["field"] == "budget_ms", reply
        assert "tiempo" in reply["error"]["message"]
    assert ok(reg, "snapshot")["epoch"] == 0
