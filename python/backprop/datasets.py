"""Toy data sets the reader trains on: seeded generators, point editing and CSV loading.

Every data set has two input features and lives in ``extent`` (the rectangle the widget draws).
Targets are 2-D float arrays: ``(n, 1)`` with labels 0/1 for ``binary``, one-hot ``(n, k)`` for
``multiclass`` and ``(n, 1)`` real values for ``regression``.

``noise`` scales the Gaussian jitter added to each coordinate: its standard deviation is
``noise × (width of the extent on that axis) / 4``, so ``noise=0.1`` moves points by about 0.3
on the ``[-6, 6]`` square (the amount TensorFlow Playground's default noise gives). Regression
targets are computed on the clean point, so the jitter also blurs the target function.

``radiografias`` is SYNTHETIC, not medical data (see generators.py).

Every refused call raises ``BackpropError`` and leaves the data set unchanged.
"""

from __future__ import annotations

import math

import numpy as np

from . import generators
from .dataset_checks import (check_arrays, check_names, check_point, check_split, extent_of,
                             target_row)
from .errors import BackpropError, check_extent, check_int, is_int
from .labels import class_name, label
from .rng import default_rng

TASKS = ("binary", "multiclass", "regression")

MAX_SAMPLES = 5000  # the cap on points in total, generated, added by hand or from a CSV
MAX_CLASSES = 10

_SQUARE = (-6.0, 6.0, -6.0, 6.0)


# name: (generator, task, extent, feature keys, class keys). Names and descriptions shown to
# readers come from labels.py in the session's language ("class" keys are numbered).
_SPECS = {
    "circle": (generators.circle, "binary", _SQUARE, ("x1", "x2"), 2),
    "xor": (generators.xor, "binary", _SQUARE, ("x1", "x2"), 2),
    "gauss": (generators.gauss, "binary", _SQUARE, ("x1", "x2"), 2),
    "spiral": (generators.spiral, "binary", _SQUARE, ("x1", "x2"), 2),
    "moons": (generators.moons, "binary", _SQUARE, ("x1", "x2"), 2),
    "plane": (generators.plane, "regression", _SQUARE, ("x1", "x2"), 0),
    "multigauss": (generators.multigauss, "regression", _SQUARE, ("x1", "x2"), 0),
    "multiclass": (generators.multiclass, "multiclass", _SQUARE, ("x1", "x2"), 3),
    "radiografias": (generators.radiografias, "binary", (0.0, 1.0, 0.0, 5.0),
                     ("opacity", "lesion_size"), ("normal", "pathological")),
}


DATASET_NAMES = tuple(_SPECS)


def _numbered_classes(k, lang, first=0):
    return [class_name(i, lang) for i in range(first, first + k)]


def dataset_names(name, lang="es"):
    """(feature names, class names, description) of a named data set in ``lang``."""
    _, task, _, features, classes = _SPECS[name]
    if isinstance(classes, int):
        # Binary classes count from 0 (their labels), multiclass ones from 1.
        classes = _numbered_classes(classes, lang, 0 if task == "binary" else 1)
    else:
        classes = [label("classes", c, lang) for c in classes]
    return ([label("features", f, lang) for f in features], classes,
            label("dataset_description", name, lang))


# --------------------------------------------------------------------------- the data set


class Dataset:
    """Training and validation points with their targets and what the widget needs to draw them."""

    def __init__(self, name, task, x_train, y_train, x_val, y_val, feature_names,
                 class_names, extent, description="", version=0, n_outputs=None):
        self.task = task
        if task == "regression" and n_outputs is not None:
            # Several targets per point (a worked example with two outputs); 1 by default.
            self.n_outputs = check_int(n_outputs, "n_outputs", "invalid_dataset",
                                       "number of outputs", "El número de salidas",
                                       ge=1, le=MAX_CLASSES)
        self._set_names(feature_names, class_names)
        self.extent = check_extent(extent)
        self.name = str(name)
        self.description = str(description)
        self.x_train, self.y_train = check_arrays(x_train, y_train, "train", task, self.n_outputs)
        self.x_val, self.y_val = check_arrays(x_val, y_val, "val", task, self.n_outputs)
        if len(self.x_train) == 0:
            raise BackpropError("empty_training_set", "the training set is empty",
                                "El conjunto de entrenamiento está vacío.", "x_train")
        if len(self.x_train) + len(self.x_val) > MAX_SAMPLES:
            raise BackpropError("too_many_points", f"at most {MAX_SAMPLES} points in total",
                                f"Como máximo {MAX_SAMPLES} puntos en total.", "x_train")
        self.version = int(version)

    def rename(self, feature_names, class_names, description):
        """New names for the same points (the reader switched language)."""
        self._set_names(feature_names, class_names)
        self.description = str(description)
        self.version += 1

    def _set_names(self, feature_names, class_names):
        task = self.task
        if task not in TASKS:
            raise BackpropError("invalid_task", f"task must be one of {', '.join(TASKS)}",
                                "La tarea debe ser «binary», «multiclass» o «regression».", "task")
        class_names = check_names(class_names, "class_names")
        feature_names = check_names(feature_names, "feature_names")
        if task == "regression" and class_names:
            raise BackpropError("invalid_class_names", "regression takes no class names",
                                "Una regresión no tiene nombres de clase.", "class_names")
        if task == "binary" and len(class_names) != 2:
            raise BackpropError(
                "invalid_class_names", "binary tasks need exactly 2 class names",
                "Una clasificación binaria necesita exactamente 2 nombres de clase.",
                "class_names")
        if task == "multiclass" and not 2 <= len(class_names) <= MAX_CLASSES:
            raise BackpropError("invalid_class_names",
                                f"multiclass tasks need 2 to {MAX_CLASSES} class names",
                                f"Una clasificación multiclase necesita entre 2 y {MAX_CLASSES} "
                                "nombres de clase.", "class_names")
        if len(feature_names) != 2:
            raise BackpropError("invalid_feature_names", "there must be exactly 2 feature names",
                                "Debe haber exactamente 2 nombres de variables de entrada.",
                                "feature_names")
        n_outputs = len(class_names) if task == "multiclass" else (
            getattr(self, "n_outputs", 1) if task == "regression" else 1)
        if getattr(self, "n_outputs", n_outputs) != n_outputs:
            raise BackpropError(
                "invalid_class_names", "renaming cannot change the number of classes",
                "Cambiar los nombres no puede cambiar el número de clases.",
                "class_names")
        self.class_names = class_names
        self.n_outputs = n_outputs
        self.feature_names = [str(f) for f in feature_names]

    # -- editing ----------------------------------------------------------------------------

    def add_point(self, x, y, split="train"):
        """Adds one point with its label; returns its index in that split."""
        check_split(split)
        point = check_point(x)
        target = target_row(self.task, self.class_names, self.n_outputs, y)
        if len(self.x_train) + len(self.x_val) >= MAX_SAMPLES:
            raise BackpropError("too_many_points", f"at most {MAX_SAMPLES} points in total",
                                f"Como máximo {MAX_SAMPLES} puntos en total.", "x")
        xs, ys = ("x_train", "y_train") if split == "train" else ("x_val", "y_val")
        setattr(self, xs, np.vstack([getattr(self, xs), point[None, :]]))
        setattr(self, ys, np.vstack([getattr(self, ys), target[None, :]]))
        self.version += 1
        return len(getattr(self, xs)) - 1

    def remove_point(self, index, split="train"):
        """Removes the point at ``index`` of that split (the training set never becomes empty)."""
        check_split(split)
        xs, ys = ("x_train", "y_train") if split == "train" else ("x_val", "y_val")
        n = len(getattr(self, xs))
        if not is_int(index) or not 0 <= index < n:
            raise BackpropError(
                "invalid_index", f"index must be an integer from 0 to {n - 1}",
                f"El índice debe ser un entero entre 0 y {n - 1}."
                if n else f"El conjunto de {label('split', split)} no tiene puntos.", "index")
        if split == "train" and n == 1:
            raise BackpropError("last_training_point", "the training set cannot become empty",
                                "No se puede quitar el último punto del conjunto de entrenamiento.",
                                "index")
        setattr(self, xs, np.delete(getattr(self, xs), index, axis=0))
        setattr(self, ys, np.delete(getattr(self, ys), index, axis=0))
        self.version += 1

    # -- helpers for the views ----------------------------------------------------------

    def labels(self, split="train"):
        """Class index per point (classification) or the target values (regression)."""
        check_split(split)
        y = self.y_train if split == "train" else self.y_val
        if self.task == "multiclass":
            return np.argmax(y, axis=1)
        if self.task == "binary":
            return y[:, 0].astype(int)
        return y[:, 0].copy()

    # -- serialization --------------------------------------------------------------------

    def to_dict(self):
        d = {k: getattr(self, k) for k in ("name", "task", "n_outputs", "description", "version")}
        d.update({k: list(getattr(self, k)) for k in ("feature_names", "class_names", "extent")})
        d.update({k: getattr(self, k).tolist() for k in ("x_train", "y_train", "x_val", "y_val")})
        return d

    @classmethod
    def from_dict(cls, d):
        if not isinstance(d, dict):
            raise BackpropError("invalid_dataset", "a data set must be a JSON object",
                                "Un conjunto de datos debe ser un objeto JSON.", None)
        missing = [k for k in ("task", "x_train", "y_train") if k not in d]
        if missing:
            raise BackpropError("invalid_dataset", f"missing fields: {', '.join(missing)}",
                                f"Faltan campos: {', '.join(missing)}.", missing[0])
        x_train = d["x_train"]
        extent = d.get("extent")
        if extent is None:
            try:
                extent = extent_of(np.asarray(x_train, dtype=np.float64).reshape(-1, 2))
            except (TypeError, ValueError):
                extent = _SQUARE  # the constructor reports the bad points themselves
        return cls(
            name=d.get("name", "datos"),
            task=d["task"],
            x_train=x_train,
            y_train=d["y_train"],
            x_val=d.get("x_val", []),
            y_val=d.get("y_val", []),
            feature_names=d.get("feature_names", dataset_names("circle")[0]),
            class_names=d.get("class_names",
                              _numbered_classes(2, "es") if d["task"] == "binary" else []),
            extent=extent,
            description=d.get("description", ""),
            version=d.get("version", 0) if is_int(d.get("version", 0)) else 0,
            n_outputs=d.get("n_outputs") if d["task"] == "regression" else None,
        )

    @classmethod
    def from_csv(cls, text, task=None, class_names=None, val_fraction=0.25, seed=0,
                 name="csv", lang="es"):
        """Reads ``x1, x2, label`` rows (header optional) into a new data set.

        The separator is ``,``; a text whose first line has ``;`` uses ``;`` and accepts decimal
        commas (as spreadsheets export in Spanish). Labels are numbers (0/1 for binary, a class
        index for multiclass, any finite number for regression) or class names. Without
        ``task`` it is inferred: class names or integers 0..k-1 give classification (binary if
        k = 2), other numbers give regression.
        """
        val_fraction, seed = _check("val_fraction", val_fraction), _check("seed", seed)
        if task is not None and task not in TASKS:
            raise BackpropError("invalid_task", f"task must be one of {', '.join(TASKS)}",
                                "La tarea debe ser «binary», «multiclass» o «regression».", "task")
        if class_names is not None:
            class_names = check_names(class_names, "class_names")
        from . import csvdata  # on first use (start-up)
        feature_names, task, class_names, x, y = csvdata.parse(text, task, class_names, lang,
                                                               MAX_SAMPLES, MAX_CLASSES)
        (x_train, y_train), (x_val, y_val) = _split(x, y, val_fraction,
                                                     default_rng(seed))
        return cls(name=name, task=task, x_train=x_train, y_train=y_train,
                   x_val=x_val, y_val=y_val, feature_names=feature_names,
                   class_names=class_names, extent=extent_of(x),
                   description=label("dataset_description", "csv", lang))

    def __repr__(self):
        return (f"Dataset({self.name!r}, task={self.task!r}, train={len(self.x_train)}, "
                f"val={len(self.x_val)}, version={self.version})")


# --------------------------------------------------------------------------- generation


def _check(name, value):
    """A generation argument checked against the session schema's field of that name."""
    from . import schema  # the schema reads DATASET_NAMES from this module
    return schema.check(name, value)


def make_dataset(name, n_samples=200, noise=0.1, seed=0, val_fraction=0.25, lang="es"):
    """Generates a named data set; the same arguments always give identical arrays."""
    if name not in _SPECS:
        valid = ", ".join(DATASET_NAMES)
        raise BackpropError(
            "unknown_dataset", f"unknown data set {name!r}; valid names: {valid}",
            f"El conjunto de datos «{name}» no existe. Elige uno de: {valid}.", "name")
    n_samples, noise, seed, val_fraction, lang = (_check(field, value) for field, value in (
        ("n_samples", n_samples), ("noise", noise), ("seed", seed),
        ("val_fraction", val_fraction), ("lang", lang)))
    gen, task, extent = _SPECS[name][:3]
    features, classes, description = dataset_names(name, lang)
    rng = default_rng(seed)
    x, y = gen(int(n_samples), rng)
    half = np.array([extent[1] - extent[0], extent[3] - extent[2]]) / 2.0
    x = x + rng.normal(0.0, 1.0, x.shape) * (float(noise) * half / 2.0)
    x = np.clip(x, [extent[0], extent[2]], [extent[1], extent[3]])
    (x_train, y_train), (x_val, y_val) = _split(x, y, val_fraction, rng)
    return Dataset(name, task, x_train, y_train, x_val, y_val, features, classes, extent,
                   description)


def _split(x, y, val_fraction, rng):
    """((x, y) for training, (x, y) for validation): ⌊n × val_fraction⌋ points at random."""
    order = rng.permutation(len(x))
    n_val = int(math.floor(len(x) * val_fraction))
    val_idx, train_idx = order[:n_val], order[n_val:]
    return (x[train_idx], y[train_idx]), (x[val_idx], y[val_idx])
