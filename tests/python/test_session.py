import json

import numpy as np
import pytest

from backprop.network import Network
from backprop.session import MAX_HISTORY_POINTS, Registry


def strict_loads(text):
    def refuse(name):
        raise AssertionError(f"{name} in a reply")
    return json.loads(text, parse_constant=refuse)


def call(reg, cmd, args=None, sid="s1"):
    return strict_loads(reg.call(sid, cmd, json.dumps(args or {})))


def ok(reg, cmd, args=None, sid="s1"):
    reply = call(reg, cmd, args, sid)
    assert reply["ok"], reply
    return reply["result"]


def saved(reg, sid="s1"):
    return json.dumps(ok(reg, "save", sid=sid), sort_keys=True)


@pytest.fixture
def reg():
    r = Registry()
    ok(r, "create", {"config": {"n_samples": 100}})
    return r


def test_create_returns_a_complete_first_snapshot():
    r = Registry()
    snap = ok(r, "create", {})
    for key in ("epoch", "steps", "status", "loss", "val_loss", "accuracy", "val_accuracy",
                "history", "network", "diagnostics", "task", "data_version", "data", "config"):
        assert key in snap
    assert snap["epoch"] == 0 and snap["status"] == "ok" and snap["task"] == "binary"
    net = snap["network"]
    assert net["sizes"] == [2, 4, 2, 1] and net["activations"] == ["tanh", "tanh", "sigmoid"]
    assert np.array(net["weights"][0]).shape == (4, 2)
    assert np.array(net["grad_weights"][1]).shape == (2, 4)
    assert len(snap["data"]["train"]["x"]) == 150 and len(snap["data"]["val"]["x"]) == 50
    assert snap["config"]["learning_rate"] == 0.1 and snap["config"]["loss"] == "auto"
    assert "data" not in ok(r, "snapshot")          # sent once, until it changes
    assert r.take_buffer() == b""


def test_create_with_grid_answers_what_create_then_snapshot_would():
    one, two = Registry(), Registry()
    first = ok(one, "create", {"config": {"dataset": "xor"}, "grid": 12})
    grid = one.take_buffer()
    ok(two, "create", {"config": {"dataset": "xor"}})
    shown = ok(two, "snapshot", {"grid": 12})
    assert first.pop("data") and len(grid) == 4 * 12 * 12 * (4 + 2 + 1)
    assert grid == two.take_buffer()
    for snap in (first, shown):
        snap.pop("history_cursor")  # names its own session's history
    assert first == shown and first["grid"]["resolution"] == 12


def test_the_default_network_learns_the_default_dataset_in_100_epochs():
    r = Registry()
    first = ok(r, "create", {})
    snap = ok(r, "train", {"epochs": 100})
    assert snap["epoch"] == 100 and snap["steps"] == 100 * 15
    assert snap["loss"] < 0.25 * first["loss"]
    assert snap["accuracy"] > 0.9 and snap["val_accuracy"] > 0.9
    assert len(snap["history"]["loss"]) == 101 and snap["history"]["epoch"][-1] == 100


def test_history_is_downsampled(reg):
    ok(reg, "set_config", {"partial": {"batch_size": 75}})
    snap = ok(reg, "train", {"epochs": 700})
    assert len(snap["history"]["epoch"]) <= MAX_HISTORY_POINTS
    assert snap["history"]["epoch"][0] == 0 and snap["history"]["epoch"][-1] == 700


def test_refused_set_config_changes_nothing(reg):
    ok(reg, "train", {"epochs": 2})
    before = saved(reg)
    for partial, field, words in [
        ({"learning_rate": 0}, "learning_rate", "La tasa de aprendizaje debe ser un número mayor que 0."),
        ({"learning_rate": "fast"}, "learning_rate", "tasa de aprendizaje"),
        ({"batch_size": 1000}, "batch_size", "tamaño del lote"),
        ({"hidden": [4, 0]}, "hidden", "capas ocultas"),
        ({"dataset": "iris"}, "dataset", "conjunto de datos"),
        ({"optimizer": "lbfgs"}, "optimizer", "optimizador"),
        ({"loss": "ce"}, "loss", "entropía cruzada"),
        ({"dropout": 1.0}, "dropout", "dropout"),
        ({"speed": 3}, "speed", "no existe"),
    ]:
        reply = call(reg, "set_config", {"partial": partial})
        assert not reply["ok"], partial
        err = reply["error"]
        assert err["field"] == field and words in err["message"], err
        assert err["code"] and err["message_en"]
        assert saved(reg) == before


def test_training_settings_keep_the_weights_structure_settings_restart(reg):
    ok(reg, "train", {"epochs": 3})
    w = ok(reg, "snapshot")["network"]["weights"]
    snap = ok(reg, "set_config", {"partial": {"learning_rate": 0.05, "l2": 0.001}})
    assert snap["epoch"] == 3 and snap["network"]["weights"] == w
    assert snap["network"]["optimizer"]["learning_rate"] == 0.05
    snap = ok(reg, "set_config", {"partial": {"optimizer": "adam", "beta1": 0.8}})
    assert snap["epoch"] == 3 and snap["network"]["optimizer"]["name"] == "adam"
    snap = ok(reg, "set_config", {"partial": {"hidden": [3], "activation": "relu"}})
    assert snap["epoch"] == 0 and snap["network"]["sizes"] == [2, 3, 1]
    assert "data" not in snap
    snap = ok(reg, "set_config", {"partial": {"dataset": "spiral"}})
    assert snap["data"] and snap["config"]["dataset"] == "spiral"


def test_multiclass_and_regression_pick_their_output_and_loss():
    r = Registry()
    snap = ok(r, "create", {"config": {"dataset": "multiclass"}})
    assert snap["task"] == "multiclass" and snap["network"]["activations"][-1] == "softmax"
    assert snap["network"]["loss"] == "ce"
    snap = ok(r, "create", {"config": {"dataset": "plane"}})
    assert snap["task"] == "regression" and snap["network"]["loss"] == "mse"
    assert snap["accuracy"] is None and snap["val_accuracy"] is None


def test_reset_goes_back_to_the_seeded_start(reg):
    first = ok(reg, "snapshot")["network"]["weights"]
    ok(reg, "train", {"epochs": 5})
    snap = ok(reg, "reset")
    assert snap["epoch"] == 0 and snap["network"]["weights"] == first


def test_a_reply_with_a_payload_describes_its_grid(reg):
    # widget/src/worker/engine-calls.js copies the payload out of Python only for such replies
    calls = [("snapshot", {}), ("snapshot", {"grid": 5}), ("train", {"snapshot": "none"}),
             ("train", {"grid": 6}), ("train", {"snapshot": "live", "live": {}, "grid": 7}),
             ("snapshot", {"live": {"hidden_grid": 4}, "grid": 7}), ("snapshot", {"live": {}}),
             ("reset", {"grid": 5}), ("reset", {}), ("trace", {}), ("gradient_check", {}),
             ("landscape", {"resolution": 5}), ("chain_rule", {"layer": 1, "j": 0, "i": 0}),
             ("autograd", {"layer": 1, "j": 0}), ("set_config", {"learning_rate": 0.2}),
             ("add_point", {"x": [0.1, 0.2], "y": 1}), ("save", {})]
    payloads = 0
    for cmd, args in calls:
        result = ok(reg, cmd, args)
        payload = reg.take_buffer()
        assert not payload or "grid" in result, cmd
        payloads += bool(payload)
    assert payloads == 5


def test_grid_outputs_go_to_the_buffer(reg):
    snap = ok(reg, "snapshot", {"grid": 7})
    grid = snap["grid"]
    assert grid["resolution"] == 7 and grid["neurons"][0] == [1, 0]
    buf = reg.take_buffer()
    assert reg.take_buffer() == b""
    values = np.frombuffer(buf, dtype="<f4").reshape(len(grid["neurons"]), 7, 7)
    xmin, xmax, ymin, ymax = grid["extent"]
    # row 0 is the top (ymax), column 0 the left (xmin); last neuron = the output
    net = Network.from_dict(ok(reg, "save")["state"]["network"])
    top_left = net.forward([[xmin, ymax]])[0, 0]
    assert values[-1, 0, 0] == pytest.approx(top_left, rel=1e-6)
    bottom_right = net.forward([[xmax, ymin]])[0, 0]
    assert values[-1, 6, 6] == pytest.approx(bottom_right, rel=1e-6)


def test_trace_walks_through_the_minibatches(reg):
    ok(reg, "set_config", {"partial": {"batch_size": 30}})
    before = ok(reg, "snapshot")
    res = ok(reg, "trace")
    assert res["trace"]["indices"] == list(range(30))
    assert res["snapshot"]["steps"] == before["steps"] + 1
    assert res["trace"]["events"][0]["phase"] == "forward"
    assert ok(reg, "trace")["trace"]["indices"] == list(range(30, 60))
    for _ in range(3):
        last = ok(reg, "trace")
    assert last["snapshot"]["epoch"] == 1      # 75 training points: a full pass
    res = ok(reg, "trace", {"indices": [4, 2]})
    assert res["trace"]["indices"] == [4, 2] and len(res["trace"]["layers"][0]["z"]) == 2
    state = saved(reg)
    reply = call(reg, "trace", {"indices": [75]})
    assert reply["error"]["code"] == "invalid_indices" and saved(reg) == state


def test_points_can_be_added_and_removed(reg):
    snap = ok(reg, "add_point", {"x": [0.5, -1.0], "y": 1})
    assert snap["added_index"] == 75 and snap["data"]["train"]["x"][75] == [0.5, -1.0]
    version = snap["data_version"]
    snap = ok(reg, "remove_point", {"index": 0})
    assert snap["data_version"] == version + 1 and len(snap["data"]["train"]["x"]) == 75
    state = saved(reg)
    for cmd, args in [("remove_point", {"index": 500}), ("add_point", {"x": [1.0], "y": 1}),
                      ("add_point", {"x": [1.0, 2.0]})]:
        reply = call(reg, cmd, args)
        assert not reply["ok"] and reply["error"]["message"]
        assert saved(reg) == state


def test_load_csv_replaces_the_data(reg):
    rows = "\n".join(f"{i % 7 - 3},{i % 5 - 2},{int(i % 7 > 3)}" for i in range(40))
    snap = ok(reg, "load_csv", {"text": "x1,x2,label\n" + rows})
    assert snap["task"] == "binary" and snap["epoch"] == 0
    assert len(snap["data"]["train"]["x"]) + len(snap["data"]["val"]["x"]) == 40
    assert snap["data"]["feature_names"] == ["x1", "x2"]
    state = saved(reg)
    assert not call(reg, "load_csv", {"text": "a;b\n1"})["ok"]
    assert saved(reg) == state
    ok(reg, "set_config", {"partial": {"learning_rate": 0.3}})   # still usable afterwards
    w = ok(reg, "snapshot")["network"]["weights"]
    snap = ok(reg, "set_config", {"partial": {"init_seed": 5}})   # new weights, same points
    assert snap["network"]["weights"] != w and "data" not in snap
    state = saved(reg)
    reply = call(reg, "set_config", {"partial": {"noise": 0.3}})
    assert reply["error"]["code"] == "custom_data" and saved(reg) == state
    snap = ok(reg, "set_config", {"partial": {"dataset": "xor"}})
    assert snap["data"]["name"] == "xor"


def test_gradient_check_and_landscape(reg):
    res = ok(reg, "gradient_check")
    assert res["max_relative_error"] < 1e-6 and res["samples"] == 20
    assert [p["name"] for p in res["parameters"]] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    ok(reg, "train", {"epochs": 3})
    land = ok(reg, "landscape", {"resolution": 5, "span": 0.5})
    assert len(land["loss"]) == 5 and len(land["path"]["alpha"]) == 4


def test_save_and_load_continue_identically(reg):
    ok(reg, "set_config", {"partial": {"optimizer": "adam", "learning_rate": 0.01,
                                       "dropout": 0.1}})
    ok(reg, "train", {"epochs": 2})
    state = ok(reg, "save")["state"]
    snap = ok(reg, "load", {"state": json.loads(json.dumps(state))}, sid="s2")
    assert snap["data"] and snap["epoch"] == 2
    a = ok(reg, "train", {"epochs": 3})
    b = ok(reg, "train", {"epochs": 3}, sid="s2")
    assert a["network"]["weights"] == b["network"]["weights"]
    assert a["history"] == b["history"]
    reply = call(reg, "load", {"state": {"format": "nope"}}, sid="s2")
    assert reply["error"]["code"] == "invalid_state"
    other = ok(reg, "create", {"config": {"dataset": "multiclass", "n_samples": 60}}, sid="s3")
    mixed = dict(state, network=ok(reg, "save", sid="s3")["state"]["network"])
    before = saved(reg, "s2")
    reply = call(reg, "load", {"state": mixed}, sid="s2")
    assert reply["error"]["code"] == "invalid_state" and saved(reg, "s2") == before
    assert other["task"] == "multiclass"


def test_the_saved_history_and_path_are_packed_exactly_and_lists_still_load(reg):
    from backprop.serialization import unpack_floats
    ok(reg, "train", {"epochs": 4})
    s = reg.sessions["s1"]
    s.history["val_loss"][2] = float("nan")  # what a diverged epoch leaves
    state = ok(reg, "save")["state"]
    assert state["version"] == 2 and isinstance(state["history"]["loss"]["float64"], str)
    loss = unpack_floats(state["history"]["loss"])
    assert loss.tolist() == s.history["loss"] and np.isnan(unpack_floats(state["history"]["val_loss"])[2])
    assert np.array_equal(unpack_floats(state["path"]), np.stack(s.path))
    # A state as saved before the packing (version 1: plain lists, None for NaN) loads the same.
    as_lists = dict(state, version=1, path=np.stack(s.path).tolist(),
                    history={k: [None if v != v else v for v in unpack_floats(h).tolist()]
                             for k, h in state["history"].items()})
    ok(reg, "load", {"state": state}, sid="packed")
    ok(reg, "load", {"state": as_lists}, sid="lists")
    assert saved(reg, "packed") == saved(reg, "lists") == saved(reg)
    # Damaged bytes are refused like any damaged state, and nothing changes.
    before = saved(reg, "packed")
    for bad in ({"float64": "***", "shape": [5]}, {"float64": state["history"]["loss"]["float64"], "shape": [7]}):
        broken = dict(state, history=dict(state["history"], loss=bad))
        assert call(reg, "load", {"state": broken}, sid="packed")["error"]["code"] == "invalid_state"
    assert saved(reg, "packed") == before


def test_a_session_saved_before_init_seed_keeps_its_weights_seed(reg):
    ok(reg, "create", {"config": {"seed": 7, "init_seed": 7, "n_samples": 60}}, sid="old")
    state = ok(reg, "save", sid="old")["state"]
    del state["config"]["init_seed"]  # what a session saved before the field looked like
    ok(reg, "load", {"state": state}, sid="s2")
    assert ok(reg, "save", sid="s2")["state"]["config"]["init_seed"] == 7


def test_divergence_is_a_status_never_nan(reg):
    ok(reg, "set_config", {"partial": {"dataset": "plane", "learning_rate": 5.0,
                                       "activation": "relu"}})
    snap = ok(reg, "train", {"epochs": 50})
    assert snap["status"] == "diverged" and snap["epoch"] < 50
    again = ok(reg, "train", {"epochs": 5})
    assert again["epoch"] == snap["epoch"] and again["status"] == "diverged"
    assert ok(reg, "reset")["status"] == "ok"


def test_protocol_errors():
    r = Registry()
    assert call(r, "train", {"epochs": 1})["error"]["code"] == "unknown_session"
    assert call(r, "fly")["error"]["code"] == "unknown_command"
    assert strict_loads(r.call("s1", "create", "{oops"))["error"]["code"] == "invalid_json"
    assert strict_loads(r.call("s1", "create", "[1]"))["error"]["code"] == "invalid_args"
    ok(r, "create", {"config": {"n_samples": 50}})
    for args in ({"epochs": 0}, {"epochs": 1.5}, {"epochs": 1, "grid": 1}, {"speed": 2}):
        reply = call(r, "train", args)
        assert not reply["ok"] and reply["error"]["message"], args
    ok(r, "destroy")
    assert call(r, "snapshot")["error"]["code"] == "unknown_session"


def test_no_hidden_layer_and_deep_networks_work():
    r = Registry()
    snap = ok(r, "create", {"config": {"hidden": [], "dataset": "gauss", "n_samples": 60}})
    assert snap["network"]["sizes"] == [2, 1]
    assert ok(r, "trace")["trace"]["layers"][0]["z"]
    snap = ok(r, "create", {"config": {"hidden": [16] * 8, "activation": "relu",
                                       "init": "he_normal", "n_samples": 60,
                                       "batch_norm": True, "dropout": 0.1}})
    assert len(snap["network"]["sizes"]) == 10
    snap = ok(r, "train", {"epochs": 2, "grid": 10})
    assert snap["grid"]["neurons"][-1] == [9, 0]
    assert len(r.take_buffer()) == (16 * 8 + 1) * 10 * 10 * 4
