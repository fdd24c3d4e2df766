"""The weight seed (``init_seed``) apart from the data seed, and the activation per hidden layer
(``activations``): schema, builder and the session's set_config, reset and save."""

import json

import numpy as np
import pytest

from backprop import schema
from backprop.session import Registry, Session


def call(reg, cmd, args=None, sid="s"):
    return json.loads(reg.call(sid, cmd, json.dumps(args or {})))


def weights(session):
    return [w.copy() for w in session.net.weights]


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


def test_new_weights_keep_the_data_and_new_data_keep_the_weights():
    base = Session({"dataset": "xor"})
    other_weights = Session({"dataset": "xor", "init_seed": 3})
    other_data = Session({"dataset": "xor", "seed": 3})
    assert np.array_equal(base.dataset.x_train, other_weights.dataset.x_train)
    assert not same(weights(base), weights(other_weights))
    assert not np.array_equal(base.dataset.x_train, other_data.dataset.x_train)
    assert same(weights(base), weights(other_data))


def test_reset_restores_the_same_weights_and_a_new_weight_seed_draws_new_ones():
    reg = Registry()
    first = call(reg, "create", {"config": {"dataset": "circle"}})["result"]
    call(reg, "train", {"epochs": 5})
    again = call(reg, "reset")["result"]
    assert again["network"]["weights"] == first["network"]["weights"] and again["epoch"] == 0
    points = reg.session("s").dataset.x_train.copy()
    new = call(reg, "set_config", {"partial": {"init_seed": 12345}})["result"]
    assert new["network"]["weights"] != first["network"]["weights"]
    assert "data" not in new and new["data_version"] == first["data_version"]
    assert np.array_equal(reg.session("s").dataset.x_train, points)
    assert call(reg, "reset")["result"]["network"]["weights"] == new["network"]["weights"]


def test_the_weight_seed_is_refused_in_spanish_and_nothing_changes():
    reg = Registry()
    call(reg, "create", {"config": {}})
    state = call(reg, "save")["result"]
    for bad in (-1, 1.5, "x", 2 ** 31):
        err = call(reg, "set_config", {"partial": {"init_seed": bad}})["error"]
        assert err["field"] == "init_seed" and err["message"].startswith("La semilla de los pesos")
    assert call(reg, "save")["result"] == state


def test_one_activation_per_hidden_layer_reaches_the_network():
    reg = Registry()
    call(reg, "create", {"config": {"hidden": [4, 3, 2]}})
    snap = call(reg, "set_config", {"partial": {"activations": ["relu", "leaky_relu", "sigmoid"],
                                                "negative_slope": 0.2}})["result"]
    assert snap["network"]["activations"] == ["relu", "leaky_relu", "sigmoid", "sigmoid"]
    assert snap["config"]["activations"] == ["relu", "leaky_relu", "sigmoid"]
    assert reg.session("s").net.activation_fns[1].negative_slope == 0.2
    # Empty again: every hidden layer takes the global activation.
    snap = call(reg, "set_config", {"partial": {"activations": [], "activation": "relu"}})["result"]
    assert snap["network"]["activations"] == ["relu", "relu", "relu", "sigmoid"]


def test_a_new_layer_with_its_activation_in_one_change():
    reg = Registry()
    call(reg, "create", {"config": {"hidden": [4], "activations": ["relu"]}})
    snap = call(reg, "set_config", {"partial": {"hidden": [4, 2],
                                                "activations": ["relu", "tanh"]}})["result"]
    assert snap["network"]["activations"][:2] == ["relu", "tanh"]


@pytest.mark.parametrize("partial, words", [
    ({"activations": ["relu"]}, "tantas como capas ocultas (2)"),
    ({"activations": ["relu", "softmax"]}, "cada uno de estos"),
    ({"activations": ["relu", 3]}, "cada uno de estos"),
    ({"activations": "relu"}, "deben ser una lista"),
    ({"hidden": [4]}, "tantas como capas ocultas (1)"),
    ({"activations": ["relu"] * 9, "hidden": [2] * 9}, "como máximo 8"),
])
def test_a_bad_activation_list_is_refused_in_spanish_and_nothing_changes(partial, words):
    reg = Registry()
    call(reg, "create", {"config": {"activations": ["tanh", "relu"]}})
    state = call(reg, "save")["result"]
    err = call(reg, "set_config", {"partial": partial})["error"]
    assert err["field"] in ("activations", "hidden") and words in err["message"], err
    assert call(reg, "save")["result"] == state


def test_the_new_fields_round_trip_through_save_and_load():
    s = Session({"activations": ["relu", "tanh"], "init_seed": 9})
    s.train(2)
    loaded = Session.load(json.loads(json.dumps(s.save(), default=float)))
    assert loaded.config["activations"] == ["relu", "tanh"] and loaded.config["init_seed"] == 9
    assert loaded.net.activations == s.net.activations
    loaded.reset()
    assert same(weights(loaded), weights(Session({"activations": ["relu", "tanh"],
                                                  "init_seed": 9})))


def test_the_schema_checks_the_list_alone():
    assert schema.check("activations", ("relu", "tanh")) == ["relu", "tanh"]
    with pytest.raises(Exception):
        schema.check("activations", ["nope"])
