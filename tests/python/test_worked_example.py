"""The classic 2-2-2 worked example (Mazur) as a widget session: a saved state with explicit
weights, inputs and two regression targets, loaded through the command table."""

import json

from backprop.commands import Registry
from backprop.network import Network

WEIGHTS = [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]]


def classic_state():
    net = Network([2, 2, 2], ["sigmoid", "sigmoid"], "sse_half", weights=WEIGHTS,
                  biases=[[0.35, 0.35], [0.60, 0.60]], train_biases=False,
                  optimizer={"name": "sgd", "learning_rate": 0.5})
    x, y = [[0.05, 0.10]], [[0.01, 0.99]]
    return {"format": "backprop-session", "version": 1,
            "config": {"hidden": [2], "activation": "sigmoid", "output_activation": "sigmoid",
                       "loss": "sse_half", "learning_rate": 0.5, "train_biases": False,
                       "batch_size": 1, "val_fraction": 0.0},
            "network": net.to_dict(),
            "dataset": {"name": "mazur", "task": "regression", "n_outputs": 2,
                        "x_train": x, "y_train": y, "feature_names": ["x₁", "x₂"],
                        "extent": [-1, 1, -1, 1]},
            "epoch": 0, "status": "ok", "path": [net.get_flat_params().tolist()],
            "history": {"epoch": [0], "loss": [net.loss(x, y)], "val_loss": [None]}}


def call(reg, cmd, **args):
    return json.loads(reg.call("s", cmd, json.dumps(args)))


def test_two_regression_targets_load_and_the_step_gives_the_known_loss():
    reg = Registry()
    snap = call(reg, "load", state=classic_state())["result"]
    assert snap["network"]["sizes"] == [2, 2, 2]
    assert snap["data"]["train"]["y"] == [[0.01, 0.99]]
    trace = call(reg, "trace")["result"]["trace"]
    assert round(trace["loss"], 9) == 0.298371109
    assert round(trace["loss_after"], 9) == 0.291027774


def test_a_dataset_with_two_targets_needs_the_regression_task():
    reg = Registry()
    state = classic_state()
    state["dataset"]["task"] = "binary"
    reply = call(reg, "load", state=state)
    assert not reply["ok"]


def test_set_parameter_writes_one_weight_and_refuses_junk_changing_nothing():
    reg = Registry()
    call(reg, "load", state=classic_state())
    before = call(reg, "snapshot")["result"]
    bad = call(reg, "set_parameter", layer=2, j=0, i=0, value="mucho")
    assert not bad["ok"] and bad["error"]["field"] == "value"
    assert "peso" in bad["error"]["message"]
    assert call(reg, "snapshot")["result"]["network"] == before["network"]
    good = call(reg, "set_parameter", layer=2, j=0, i=0, value=0.5)["result"]
    assert good["network"]["weights"][1][0][0] == 0.5
    assert good["loss"] != before["loss"]
    bias = call(reg, "set_parameter", layer=1, j=1, value=-0.25)["result"]
    assert bias["network"]["biases"][0][1] == -0.25
