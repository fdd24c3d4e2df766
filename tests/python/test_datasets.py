"""Data sets: shapes, seeding, geometry of each generator, point editing and CSV loading."""

import math

import numpy as np
import pytest

from backprop.datasets import DATASET_NAMES, Dataset, make_dataset
from conftest import refused

EXPECTED_TASKS = {
    "circle": "binary", "xor": "binary", "gauss": "binary", "spiral": "binary",
    "moons": "binary", "plane": "regression", "multigauss": "regression",
    "multiclass": "multiclass", "radiografias": "binary",
}


def snapshot(ds):
    return (ds.version, ds.x_train.copy(), ds.y_train.copy(), ds.x_val.copy(), ds.y_val.copy())


def assert_unchanged(ds, before):
    version, xt, yt, xv, yv = before
    assert ds.version == version
    np.testing.assert_array_equal(ds.x_train, xt)
    np.testing.assert_array_equal(ds.y_train, yt)
    np.testing.assert_array_equal(ds.x_val, xv)
    np.testing.assert_array_equal(ds.y_val, yv)


def test_names_cover_the_contract():
    assert set(DATASET_NAMES) == set(EXPECTED_TASKS)


@pytest.mark.parametrize("name", sorted(EXPECTED_TASKS))
def test_shapes_split_and_types(name):
    ds = make_dataset(name, n_samples=120, noise=0.1, seed=3, val_fraction=0.25)
    assert ds.task == EXPECTED_TASKS[name]
    assert len(ds.x_val) == 30 and len(ds.x_train) == 90
    for x, y in ((ds.x_train, ds.y_train), (ds.x_val, ds.y_val)):
        assert x.dtype == np.float64 and y.dtype == np.float64
        assert x.shape[1] == 2 and y.shape == (len(x), ds.n_outputs)
        assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))
        xmin, xmax, ymin, ymax = ds.extent
        assert np.all((x[:, 0] >= xmin) & (x[:, 0] <= xmax))
        assert np.all((x[:, 1] >= ymin) & (x[:, 1] <= ymax))
    assert len(ds.feature_names) == 2 and all(isinstance(f, str) for f in ds.feature_names)
    if ds.task == "regression":
        assert ds.class_names == [] and ds.n_outputs == 1
    elif ds.task == "binary":
        assert len(ds.class_names) == 2 and ds.n_outputs == 1
        assert set(np.unique(ds.y_train)) <= {0.0, 1.0}
    else:
        assert ds.n_outputs == len(ds.class_names) >= 3
        assert np.all(ds.y_train.sum(axis=1) == 1.0)
        assert set(np.unique(ds.y_train)) == {0.0, 1.0}


@pytest.mark.parametrize("name", sorted(EXPECTED_TASKS))
def test_same_seed_same_arrays_other_seed_differs(name):
    a = make_dataset(name, seed=7)
    b = make_dataset(name, seed=7)
    c = make_dataset(name, seed=8)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.y_val, b.y_val)
    assert not np.array_equal(a.x_train, c.x_train)


def test_split_is_a_partition_of_all_points():
    full = make_dataset("gauss", n_samples=80, seed=1, val_fraction=0.0)
    split = make_dataset("gauss", n_samples=80, seed=1, val_fraction=0.5)
    assert len(full.x_val) == 0 and len(full.x_train) == 80
    together = np.vstack([split.x_train, split.x_val])
    key = lambda a: a[np.lexsort(a.T)]
    np.testing.assert_array_equal(key(together), key(full.x_train))


def test_classes_are_balanced():
    for name in ("circle", "spiral", "gauss", "moons", "radiografias", "multiclass"):
        ds = make_dataset(name, n_samples=300, val_fraction=0.0)
        counts = ds.y_train.sum(axis=0) if ds.task == "multiclass" else \
            np.array([(ds.y_train == 0).sum(), (ds.y_train == 1).sum()])
        assert counts.max() - counts.min() <= 1, name


def test_geometry_without_noise():
    # Each label follows its textbook rule when there is no jitter.
    circle = make_dataset("circle", noise=0.0, val_fraction=0.0)
    r = np.hypot(circle.x_train[:, 0], circle.x_train[:, 1])
    assert np.all(r[circle.y_train[:, 0] == 1] <= 2.5)
    assert np.all(r[circle.y_train[:, 0] == 0] >= 3.5)

    xor = make_dataset("xor", noise=0.0, val_fraction=0.0)
    differ = np.sign(xor.x_train[:, 0]) != np.sign(xor.x_train[:, 1])
    np.testing.assert_array_equal(differ.astype(float), xor.y_train[:, 0])

    gauss = make_dataset("gauss", noise=0.0, n_samples=400, val_fraction=0.0)
    pos = gauss.x_train[gauss.y_train[:, 0] == 1].mean(axis=0)
    neg = gauss.x_train[gauss.y_train[:, 0] == 0].mean(axis=0)
    assert np.all(pos > 1.5) and np.all(neg < -1.5)

    plane = make_dataset("plane", noise=0.0, val_fraction=0.0)
    np.testing.assert_allclose(plane.y_train[:, 0], plane.x_train.sum(axis=1) / 12.0)

    spiral = make_dataset("spiral", noise=0.0, val_fraction=0.0)
    assert np.all(np.hypot(*spiral.x_train.T) <= 5.0 + 1e-12)

    mg = make_dataset("multigauss", noise=0.0, val_fraction=0.0)
    assert np.all(np.abs(mg.y_train) <= 1.0) and mg.y_train.std() > 0.1


def test_noise_moves_points():
    clean = make_dataset("gauss", noise=0.0)
    noisy = make_dataset("gauss", noise=0.5)
    assert not np.allclose(clean.x_train, noisy.x_train)


def test_radiografias_is_the_medical_scenario():
    ds = make_dataset("radiografias")
    assert ds.class_names == ["normal", "patológica"]
    assert ds.feature_names[0] == "opacidad" and "lesión" in ds.feature_names[1]
    assert "SINTÉTICOS" in ds.description
    xmin, xmax, ymin, ymax = ds.extent
    assert (xmin, xmax) == (0.0, 1.0) and ymin == 0.0  # an opacity and a size are not negative
    # Normal images sit in a middle band of opacity; pathological ones on both sides of it
    # too, so no straight line separates the classes.
    sick = ds.x_train[ds.y_train[:, 0] == 1]
    healthy = ds.x_train[ds.y_train[:, 0] == 0]
    assert np.mean((healthy[:, 0] > 0.3) & (healthy[:, 0] < 0.6)) > 0.9
    assert np.mean(sick[:, 0] < 0.3) > 0.2 and np.mean(sick[:, 0] > 0.6) > 0.2
    assert sick[:, 1].mean() > healthy[:, 1].mean()  # larger lesions on average


@pytest.mark.parametrize("kwargs, code", [
    ({"name": "nope"}, "unknown_dataset"),
    ({"name": "circle", "n_samples": 3}, "invalid_n_samples"),
    ({"name": "circle", "n_samples": 10**6}, "invalid_n_samples"),
    ({"name": "circle", "n_samples": 50.5}, "invalid_n_samples"),
    ({"name": "circle", "n_samples": True}, "invalid_n_samples"),
    ({"name": "circle", "noise": -0.1}, "invalid_noise"),
    ({"name": "circle", "noise": float("nan")}, "invalid_noise"),
    ({"name": "circle", "noise": "0.1"}, "invalid_noise"),
    ({"name": "circle", "val_fraction": 1.0}, "invalid_val_fraction"),
    ({"name": "circle", "val_fraction": -0.1}, "invalid_val_fraction"),
    ({"name": "circle", "seed": -1}, "invalid_seed"),
    ({"name": "circle", "seed": 1.5}, "invalid_seed"),
])
def test_make_dataset_refuses_bad_arguments(kwargs, code):
    err = refused(code, make_dataset, **kwargs)
    if code == "unknown_dataset":
        for name in DATASET_NAMES:
            assert name in err.message_es


def test_add_point_each_task():
    binary = make_dataset("circle")
    n = len(binary.x_train)
    assert binary.add_point([0.5, -1.0], 1) == n
    np.testing.assert_array_equal(binary.x_train[-1], [0.5, -1.0])
    assert binary.y_train[-1, 0] == 1.0 and binary.version == 1
    binary.add_point((1.0, 1.0), "clase 0", split="val")
    assert binary.y_val[-1, 0] == 0.0 and binary.version == 2

    multi = make_dataset("multiclass")
    multi.add_point([0.0, 0.0], 2)
    np.testing.assert_array_equal(multi.y_train[-1], [0.0, 0.0, 1.0])
    multi.add_point([0.0, 0.0], [0, 1, 0])
    np.testing.assert_array_equal(multi.y_train[-1], [0.0, 1.0, 0.0])

    reg = make_dataset("plane")
    reg.add_point([2.0, 3.0], -0.25)
    assert reg.y_train[-1, 0] == -0.25

    med = make_dataset("radiografias")
    med.add_point([0.9, 1.0], "patológica")
    assert med.y_train[-1, 0] == 1.0


@pytest.mark.parametrize("name, x, y, split, code", [
    ("circle", [1.0], 1, "train", "invalid_point"),
    ("circle", [1.0, 2.0, 3.0], 1, "train", "invalid_point"),
    ("circle", [1.0, float("inf")], 1, "train", "invalid_point"),
    ("circle", ["a", 2.0], 1, "train", "invalid_point"),
    ("circle", [1.0, 2.0], 2, "train", "invalid_label"),
    ("circle", [1.0, 2.0], 0.5, "train", "invalid_label"),
    ("circle", [1.0, 2.0], "perro", "train", "invalid_label"),
    ("multiclass", [1.0, 2.0], 3, "train", "invalid_label"),
    ("multiclass", [1.0, 2.0], [1, 1, 0], "train", "invalid_label"),
    ("multiclass", [1.0, 2.0], [1, 0], "train", "invalid_label"),
    ("plane", [1.0, 2.0], float("nan"), "train", "invalid_label"),
    ("plane", [1.0, 2.0], "x", "train", "invalid_label"),
    ("circle", [1.0, 2.0], 1, "test", "invalid_split"),
])
def test_add_point_refusals_change_nothing(name, x, y, split, code):
    ds = make_dataset(name)
    before = snapshot(ds)
    refused(code, ds.add_point, x, y, split=split)
    assert_unchanged(ds, before)


def test_remove_point():
    ds = make_dataset("gauss", n_samples=20)
    expected_x = np.delete(ds.x_train, 3, axis=0)
    expected_y = np.delete(ds.y_train, 3, axis=0)
    ds.remove_point(3)
    np.testing.assert_array_equal(ds.x_train, expected_x)
    np.testing.assert_array_equal(ds.y_train, expected_y)
    assert ds.version == 1
    n_val = len(ds.x_val)
    ds.remove_point(0, split="val")
    assert len(ds.x_val) == n_val - 1 and ds.version == 2


@pytest.mark.parametrize("index, split, code", [
    (-1, "train", "invalid_index"),
    (15, "train", "invalid_index"),
    (1.0, "train", "invalid_index"),
    (5, "val", "invalid_index"),
    (0, "everything", "invalid_split"),
])
def test_remove_point_refusals_change_nothing(index, split, code):
    ds = make_dataset("gauss", n_samples=20)  # 15 train, 5 val
    before = snapshot(ds)
    refused(code, ds.remove_point, index, split=split)
    assert_unchanged(ds, before)


def test_training_set_never_becomes_empty():
    ds = make_dataset("gauss", n_samples=10, val_fraction=0.0)
    for _ in range(9):
        ds.remove_point(0)
    before = snapshot(ds)
    refused("last_training_point", ds.remove_point, 0)
    assert_unchanged(ds, before)


def test_to_dict_round_trip_is_json_safe():
    import json
    for name in ("multiclass", "radiografias", "plane"):
        ds = make_dataset(name, n_samples=30)
        ds.add_point([0.1, 0.2], 1 if ds.task != "regression" else 0.3)
        d = json.loads(json.dumps(ds.to_dict()))
        back = Dataset.from_dict(d)
        assert back.task == ds.task and back.class_names == ds.class_names
        assert back.feature_names == ds.feature_names and back.version == ds.version
        assert tuple(back.extent) == tuple(ds.extent) and back.n_outputs == ds.n_outputs
        np.testing.assert_array_equal(back.x_train, ds.x_train)
        np.testing.assert_array_equal(back.y_val, ds.y_val)


@pytest.mark.parametrize("patch, code", [
    ({"task": "ternary"}, "invalid_task"),
    ({"y_train": [[2.0]] * 22}, "invalid_label"),
    ({"x_train": [[0.0]] * 22}, "invalid_dataset"),
    ({"x_train": []}, "empty_training_set"),
    ({"extent": [1, 0, 0, 1]}, "invalid_extent"),
    ({"class_names": ["solo"]}, "invalid_class_names"),
    ({"class_names": None}, "invalid_class_names"),
    ({"feature_names": None}, "invalid_feature_names"),
    ({"feature_names": ["x", "x"]}, "invalid_feature_names"),
])
def test_from_dict_refuses_inconsistent_data(patch, code):
    d = make_dataset("gauss", n_samples=30).to_dict()  # 23 train points
    d["x_train"], d["y_train"] = d["x_train"][:22], d["y_train"][:22]
    if patch.get("x_train") == []:
        patch = {"x_train": [], "y_train": []}
    d.update(patch)
    refused(code, Dataset.from_dict, d)


def test_from_csv_with_header_and_names():
    text = "opacidad,tamaño,diagnóstico\n0.2,1.0,normal\n0.8,1.5,patológica\n\n0.3,0.5,normal\n"
    ds = Dataset.from_csv(text, val_fraction=0.0)
    assert ds.task == "binary" and ds.class_names == ["normal", "patológica"]
    assert ds.feature_names == ["opacidad", "tamaño"]
    order = np.argsort(ds.x_train[:, 0])
    np.testing.assert_array_equal(ds.x_train[order], [[0.2, 1.0], [0.3, 0.5], [0.8, 1.5]])
    np.testing.assert_array_equal(ds.y_train[order, 0], [0.0, 0.0, 1.0])
    xmin, xmax, ymin, ymax = ds.extent
    assert xmin < 0.2 and xmax > 0.8 and ymin < 0.5 and ymax > 1.5


def test_from_csv_infers_tasks_and_reads_decimal_commas():
    multi = Dataset.from_csv("1,2,0\n3,4,2\n5,6,1\n0,0,1\n", val_fraction=0.0)
    assert multi.task == "multiclass" and multi.n_outputs == 3
    reg = Dataset.from_csv("x;y;t\n1,5;2;0,25\n3;4;-1,5\n", val_fraction=0.0)
    assert reg.task == "regression"
    assert sorted(reg.y_train[:, 0].tolist()) == [-1.5, 0.25]
    assert sorted(reg.x_train[:, 0].tolist()) == [1.5, 3.0]
    binary = Dataset.from_csv("1\t2\t1\n3\t4\t0\n", val_fraction=0.0)
    assert binary.task == "binary"


def test_from_csv_split_is_seeded():
    rows = "".join(f"{i},{-i},{i % 2}\n" for i in range(40))
    a = Dataset.from_csv(rows, val_fraction=0.25, seed=4)
    b = Dataset.from_csv(rows, val_fraction=0.25, seed=4)
    assert len(a.x_val) == 10 and len(a.x_train) == 30
    np.testing.assert_array_equal(a.x_val, b.x_val)
    # Every row keeps its own label through the split.
    np.testing.assert_array_equal(a.y_train[:, 0], np.abs(a.x_train[:, 0]) % 2)


@pytest.mark.parametrize("text, kwargs, code, line", [
    ("", {}, "csv_empty", None),
    ("  \n\n", {}, "csv_empty", None),
    ("x,y,label\n", {}, "csv_empty", None),
    ("1,2,0\n3,4\n", {}, "csv_columns", 2),
    ("x,y,label\n1,2,0\n3,4,1,9\n", {}, "csv_columns", 3),
    ("1,2,0\n3,abc,1\n", {}, "csv_value", 2),
    ("1,2,0\n3,nan,1\n", {}, "csv_value", 2),
    ("1,2,0\n3,4,2\n", {"task": "binary"}, "csv_label", 2),
    ("1,2,0\n3,4,0.5\n", {"task": "binary"}, "csv_label", 2),
    ("1,2,0.5\n3,4,x\n", {"task": "regression"}, "csv_label", 2),
    ("1,2,a\n3,4,b\n5,6,c\n", {"task": "binary"}, "csv_label", 3),
    ("1,2,0\n3,4, \n", {}, "csv_label", 2),
    ("1,2,0\n", {"class_names": "ab"}, "invalid_class_names", None),
    ("1,2,0\n", {"class_names": ["a", "a"]}, "invalid_class_names", None),
    ("1,2,0\n", {"task": "ternary"}, "invalid_task", None),
    ("1,2,0\n", {"val_fraction": 1.5}, "invalid_val_fraction", None),
])
def test_from_csv_refusals(text, kwargs, code, line):
    err = refused(code, Dataset.from_csv, text, **kwargs)
    if line is not None:
        assert f"Línea {line}" in err.message_es and f"line {line}" in str(err)


def test_n_samples_limits_are_inclusive():
    assert len(make_dataset("xor", n_samples=10, val_fraction=0.0).x_train) == 10
    ds = make_dataset("xor", n_samples=10, val_fraction=0.95)
    assert len(ds.x_train) >= 1 and len(ds.x_train) + len(ds.x_val) == 10
    assert math.isclose(len(ds.x_val), 9)
