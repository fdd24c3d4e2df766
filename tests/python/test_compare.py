"""Optimizers compared on the loss landscape (issue 11, unit 13): the ``compare`` argument of
the landscape command trains a copy of the network per optimizer and projects each path onto
the map's plane; the session itself is not changed."""

import json

import pytest

from backprop.commands import Registry
from backprop.compare import MAX_EPOCHS
from backprop.landscape import project_path
from backprop.session import Session

PARAMS = [[0, 0, 0], [0, 0, 1]]
CONFIG = {"dataset": "moons", "hidden": [4], "learning_rate": 0.05, "batch_size": 8}


def call(reg, cmd, args=None, sid="s"):
    return json.loads(reg.call(sid, cmd, json.dumps(args or {})))


def test_every_path_starts_at_the_current_point_and_the_session_is_untouched():
    s = Session(CONFIG)
    s.train(3)
    before = s.net.get_flat_params().copy()
    r = s.landscape(params=PARAMS, resolution=5, compare=["sgd", "momentum", "adam"],
                    compare_epochs=6)
    assert [p["optimizer"] for p in r["compare"]] == ["sgd", "momentum", "adam"]
    assert [p["label"] for p in r["compare"]] == ["SGD", "momento", "Adam"]
    for p in r["compare"]:
        assert [p["alpha"][0], p["beta"][0]] == r["center"]
        assert len(p["alpha"]) == len(p["loss"]) == 7
        assert p["final_loss"] == p["loss"][-1]
    # Different optimizers take different routes.
    assert r["compare"][0]["alpha"][-1] != r["compare"][2]["alpha"][-1]
    assert (s.net.get_flat_params() == before).all() and s.epoch == 3


@pytest.mark.parametrize("dropout", [0.0, 0.2])
def test_the_sgd_path_is_the_sessions_own_next_epochs(dropout):
    s = Session({**CONFIG, "dropout": dropout})
    s.train(2)
    r = s.landscape(params=PARAMS, resolution=5, compare=["sgd"], compare_epochs=5)
    s.train(5)
    own = project_path([p.tolist() for p in s.path[-6:]], r)
    assert r["compare"][0]["alpha"] == pytest.approx(own["alpha"], abs=1e-12)
    assert r["compare"][0]["beta"] == pytest.approx(own["beta"], abs=1e-12)


def test_english_labels_and_random_planes():
    s = Session({**CONFIG, "lang": "en"})
    r = s.landscape(resolution=5, compare=["momentum"], compare_epochs=2)
    assert r["compare"][0]["label"] == "momentum"
    assert r["compare"][0]["alpha"][0] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("args, field, words", [
    ({"compare": ["sgd", "lbfgs"]}, "compare", "optimizadores distintos"),
    ({"compare": ["adam", "adam"]}, "compare", "optimizadores distintos"),
    ({"compare": []}, "compare", "entre 1 y 5"),
    ({"compare": ["sgd"], "compare_epochs": MAX_EPOCHS + 1}, "compare_epochs", "épocas"),
    ({"compare": ["sgd"], "compare_epochs": 0}, "compare_epochs", "épocas"),
])
def test_bad_comparisons_are_refused_in_spanish_and_nothing_changes(args, field, words):
    reg = Registry()
    assert call(reg, "create", {"config": CONFIG})["ok"]
    before = call(reg, "save")["result"]
    reply = call(reg, "landscape", {"params": PARAMS, "resolution": 5, **args})
    assert not reply["ok"], reply
    assert reply["error"]["field"] == field
    assert words in reply["error"]["message"], reply["error"]["message"]
    assert call(reg, "save")["result"] == before


def test_too_much_comparison_work_is_refused_by_the_widget_limits():
    reg = Registry()
    assert call(reg, "create", {"config": {"dataset": "moons", "n_samples": 1000,
                                           "hidden": [16, 16]}})["ok"]
    reply = call(reg, "landscape", {"params": PARAMS, "resolution": 5,
                                    "compare": ["sgd", "momentum", "adam", "rmsprop"],
                                    "compare_epochs": MAX_EPOCHS})
    assert not reply["ok"] and reply["error"]["field"] == "compare_epochs"
    assert "demasiado trabajo" in reply["error"]["message"]
