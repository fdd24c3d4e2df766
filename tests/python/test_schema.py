"""The config schema, the command table and the bilingual labels: declared once, used everywhere."""

import json

import numpy as np
import pytest

from backprop import labels, schema
from backprop.commands import COMMANDS
from backprop.contract import describe
from backprop.datasets import DATASET_NAMES, make_dataset
from backprop.diagnostics import divergence
from backprop.errors import BackpropError, check_int, check_resolution
from backprop.session import Registry, Session


def call(reg, cmd, args=None, sid="s"):
    return json.loads(reg.call(sid, cmd, json.dumps(args or {})))


def test_every_default_passes_its_own_field_and_widget_limits_are_narrower():
    assert schema.validate_config({}) == schema.DEFAULTS
    for f in schema.FIELDS:
        assert f.kind in schema.KINDS and f.group in schema.GROUPS, f.name
        assert all(f.label) and all(f.help) and all(f.subject), f.name
        w = f.widget or {}
        if "max" in w:
            assert f.max is None or w["max"] <= f.max, f.name
        if "item_max" in w:
            assert w["item_max"] <= f.item_max and w["max_length"] <= f.max_length


def test_set_config_classifies_a_change_by_the_fields_kind():
    reg = Registry()
    call(reg, "create", {"config": {"dataset": "xor"}})
    call(reg, "train", {"epochs": 2})
    by_kind = {"training": {"l2": 0.01}, "structure": {"hidden": [3]},
               "data": {"noise": 0.2}}
    assert {k: schema.FIELD[next(iter(v))].kind for k, v in by_kind.items()} == \
        {k: k for k in by_kind}
    snap = call(reg, "set_config", {"partial": by_kind["training"]})["result"]
    assert snap["epoch"] == 2
    snap = call(reg, "set_config", {"partial": by_kind["structure"]})["result"]
    assert snap["epoch"] == 0 and "data" not in snap
    call(reg, "train", {"epochs": 1})
    snap = call(reg, "set_config", {"partial": by_kind["data"]})["result"]
    assert snap["epoch"] == 0 and "data" in snap


def test_lang_names_classes_features_and_data_in_english_and_keeps_the_weights():
    reg = Registry()
    snap = call(reg, "create", {"config": {"dataset": "radiografias"}})["result"]
    assert snap["data"]["class_names"] == ["normal", "patológica"]
    assert snap["data"]["feature_names"] == ["opacidad", "tamaño de la lesión (cm)"]
    call(reg, "train", {"epochs": 3})
    before = call(reg, "snapshot")["result"]
    points = reg.session("s").dataset.x_train.copy()
    after = call(reg, "set_config", {"partial": {"lang": "en"}})["result"]
    assert np.array_equal(reg.session("s").dataset.x_train, points)
    assert after["data"]["class_names"] == ["normal", "pathological"]
    assert after["data"]["feature_names"] == ["opacity", "lesion size (cm)"]
    assert after["epoch"] == 3 and after["network"]["weights"] == before["network"]["weights"]
    assert after["data_version"] == before["data_version"] + 1
    en = call(reg, "create", {"config": {"dataset": "multiclass", "lang": "en"}}, sid="m")
    assert en["result"]["data"]["class_names"] == ["class 1", "class 2", "class 3"]
    assert make_dataset("circle", lang="en").class_names == ["class 0", "class 1"]
    assert make_dataset("circle").class_names == ["clase 0", "clase 1"]


def test_csv_class_names_follow_the_language():
    s = Session({"lang": "en"})
    s.load_csv("x1,x2,label\n" + "\n".join(f"{i},{i % 3},{i % 2}" for i in range(20)))
    assert s.dataset.class_names == ["class 0", "class 1"]
    assert s.dataset.description == labels.label("dataset_description", "csv", "en")


def test_every_choice_and_data_set_has_both_languages():
    contract = describe()
    for field, values in contract["labels"]["choices"].items():
        assert set(values) == set(contract["config"]["fields"][field]["choices"]), field
        for value, pair in values.items():
            assert pair["es"] and pair["en"], (field, value)
    for name in DATASET_NAMES:
        for lang in labels.LANGS:
            assert labels.label("dataset", name, lang)
            assert labels.label("dataset_description", name, lang)
    english = make_dataset("radiografias", lang="en")
    assert not set("áéíóúñ") & set("".join(english.feature_names + english.class_names))


def test_arguments_come_from_the_declaration():
    reg = Registry()
    call(reg, "create")
    for name, cmd in COMMANDS.items():
        if cmd.origin != "engine":
            assert call(reg, name)["error"]["code"] == "unknown_command"
            continue
        reply = call(reg, name, {"no_such_argument": 1})
        if not cmd.args_may_be_partial:
            assert reply["error"]["code"] == "unknown_argument", name
            assert reply["error"]["field"] == "no_such_argument"
        assert cmd.doc[0] and cmd.doc[1]
    for name, cmd in COMMANDS.items():
        for arg_name, arg in cmd.args.items():
            if arg.required and cmd.origin == "engine" and not cmd.args_may_be_partial:
                reply = call(reg, name, {})
                assert reply["error"]["code"] == "missing_argument", name
                assert reply["error"]["field"] in cmd.args
    refused = call(reg, "train", {"epochs": 10_001})["error"]
    assert (refused["code"], refused["field"]) == ("invalid_epochs", "epochs")
    assert call(reg, "train", {"epochs": 2, "grid": 1})["error"]["code"] == "invalid_grid"


def test_worker_commands_are_declared_with_their_arguments():
    worker = {n: c for n, c in describe()["commands"].items() if c["origin"] == "worker"}
    assert {"init", "start_training", "stop_training"} <= set(worker)
    assert {"console_open", "console_push", "console_complete", "console_close"} <= set(worker)
    assert worker["console_push"]["args"]["line"]["required"]
    assert set(worker["init"]["args"]) == {"bundleUrl", "pyodideUrl"}
    assert worker["init"]["args"]["bundleUrl"]["required"]
    assert set(worker["start_training"]["args"]) == {"grid", "live"}


def test_one_integer_check():
    assert check_int(np.int64(5), "n", "c", "n", "N") == 5
    assert check_int(5.0, "n", "c", "n", "N") == 5
    with pytest.raises(BackpropError):
        check_int(True, "n", "c", "n", "N")
    with pytest.raises(BackpropError) as err:
        check_resolution(5.0, 2, 10)
    assert err.value.code == "invalid_resolution"
    assert check_resolution(np.int32(4), 2, 10) == 4


def test_one_divergence_rule_for_training_and_the_diagnosis():
    # The session stops where diagnostics.divergence calls the history "exploding".
    reg = Registry()
    call(reg, "create", {"config": {"dataset": "plane", "learning_rate": 5.0, "batch_size": 150,
                                    "optimizer": "sgd"}})
    snap = call(reg, "train", {"epochs": 50})["result"]
    assert snap["status"] == "diverged"
    session = reg.session("s")
    assert divergence(session.history["loss"])["status"] in ("exploding", "non_finite")
    assert divergence(session.history["loss"][:-1])["status"] == "ok"


def test_the_batch_message_names_the_real_limit():
    reg = Registry()
    call(reg, "create")
    for size in (151, 6000):
        err = call(reg, "set_config", {"partial": {"batch_size": size}})["error"]
        assert (err["code"], err["field"]) == ("invalid_batch_size", "batch_size")
        assert "entre 1 y 150" in err["message"], err
    assert call(reg, "set_config", {"partial": {"batch_size": 150}})["ok"]
    # With new data the limit is the new data's: 1000 points, 750 for training.
    assert call(reg, "set_config", {"partial": {"n_samples": 1000, "batch_size": 700}})["ok"]
