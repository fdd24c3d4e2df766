"""Toy data sets the reader trains on: seeded generators, point editing and CSV loading.

Every data set has two input features and lives in ``extent`` (the rectangle the widget draws).
Targets are 2-D float arrays: ``(n, 1)`` with labels 0/1 for ``binary``, one-hot ``(n, k)`` for
``multiclass`` and ``(n, 1)`` real values for ``regression``.

``noise`` scales the Gaussian jitter added to each coordinate: its standard deviation is
``noise × (width of the extent on that axis) / 4``, so ``noise=0.1`` moves points by about 0.3
on the ``[-6, 6]`` square (the amount TensorFlow Playground's default noise gives). Regression
targets are computed on the clean point, so the jitter also blurs the target function.

``radiografias`` is SYNTHETIC: two made-up features of a chest X-ray ("opacidad", a mean grey
level from 0 to 1, and "tamaño de la lesión (cm)") drawn from Gaussian clusters chosen only to be
plausible and to need a bent boundary (normal images in a middle band of opacity, pathological
ones on both sides of it or with large lesions; the classes overlap a little). It is not
medical data and must not be read as such.

Every refused call raises ``BackpropError`` and leaves the data set unchanged.
"""

from __future__ import annotations

import csv
import io
import math


import numpy as np

from .errors import BackpropError, check_extent, is_int as _is_int, is_real as _is_real
from .labels import class_name, label

TASKS = ("binary", "multiclass", "regression")
SPLITS = ("train", "val")

MAX_SAMPLES = 5000  # the cap on points in total, generated, added by hand or from a CSV
MAX_CLASSES = 10

_SQUARE = (-6.0, 6.0, -6.0, 6.0)
_SPLIT_ES = {"train": "entrenamiento", "val": "validación"}




# --------------------------------------------------------------------------- generators
# Each returns clean points (n, 2) and targets (n, k); jitter and split are added afterwards.


def _balanced_labels(n, k, rng):
    labels = np.arange(n) % k
    rng.shuffle(labels)
    return labels


def _one_col(labels):
    return labels.astype(np.float64).reshape(-1, 1)


def _gen_circle(n, rng):
    labels = _balanced_labels(n, 2, rng)
    inside = labels == 1
    radius = np.where(inside, rng.uniform(0.0, 2.5, n), rng.uniform(3.5, 5.5, n))
    angle = rng.uniform(0.0, 2 * np.pi, n)
    x = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return x, _one_col(labels)


def _gen_xor(n, rng):
    x = rng.uniform(-5.0, 5.0, (n, 2))
    # Keep a small gap around the axes so the four quadrants are clearly separated.
    x += np.sign(x) * 0.3
    labels = (x[:, 0] * x[:, 1] < 0).astype(int)
    return x, _one_col(labels)


def _gen_gauss(n, rng):
    labels = _balanced_labels(n, 2, rng)
    centres = np.where(labels[:, None] == 1, 2.0, -2.0)
    x = centres + rng.normal(0.0, 1.0, (n, 2))
    return x, _one_col(labels)


def _gen_spiral(n, rng):
    labels = _balanced_labels(n, 2, rng)
    t = rng.uniform(0.0, 1.0, n)
    radius = 5.0 * t
    angle = 1.75 * 2 * np.pi * t + np.pi * labels
    x = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return x, _one_col(labels)


def _gen_moons(n, rng):
    labels = _balanced_labels(n, 2, rng)
    theta = rng.uniform(0.0, np.pi, n)
    upper = np.column_stack([np.cos(theta), np.sin(theta)])
    lower = np.column_stack([1.0 - np.cos(theta), 0.5 - np.sin(theta)])
    x = np.where(labels[:, None] == 0, upper, lower)
    x = (x - [0.5, 0.25]) * 3.0
    return x, _one_col(labels)


def _gen_multiclass(n, rng):
    k = 3
    labels = _balanced_labels(n, k, rng)
    angles = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    centres = 3.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    x = centres[labels] + rng.normal(0.0, 1.2, (n, 2))
    return x, np.eye(k)[labels]


def _gen_plane(n, rng):
    x = rng.uniform(-6.0, 6.0, (n, 2))
    return x, ((x[:, 0] + x[:, 1]) / 12.0).reshape(-1, 1)


_MULTIGAUSS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def _gen_multigauss(n, rng):
    x = rng.uniform(-6.0, 6.0, (n, 2))
    y = np.zeros(n)
    for cx, cy, sign in _MULTIGAUSS:
        y += sign * np.exp(-((x[:, 0] - cx) ** 2 + (x[:, 1] - cy) ** 2) / (2 * 1.6**2))
    return x, np.clip(y, -1.0, 1.0).reshape(-1, 1)


# Made-up clusters (mean opacity, mean size in cm, std opacity, std size). Normal images sit in
# a middle band of opacity; the pathological ones lie on both sides of it (dense lesions, too
# dark "hyperlucent" areas) or have large lesions, so one straight line cannot separate them.
_NORMAL = (0.45, 0.9, 0.07, 0.5)
_PATHOLOGICAL = ((0.76, 1.8, 0.08, 0.9), (0.15, 1.2, 0.06, 0.7), (0.5, 3.6, 0.1, 0.6))


def _gen_radiografias(n, rng):
    labels = _balanced_labels(n, 2, rng)
    kind = rng.integers(0, len(_PATHOLOGICAL), n)
    params = np.where((labels == 1)[:, None], np.array(_PATHOLOGICAL)[kind], _NORMAL)
    x = params[:, :2] + params[:, 2:] * rng.normal(0.0, 1.0, (n, 2))
    return x, _one_col(labels)


# name: (generator, task, extent, feature keys, class keys). Names and descriptions shown to
# readers come from labels.py in the session's language ("class" keys are numbered).
_SPECS = {
    "circle": (_gen_circle, "binary", _SQUARE, ("x1", "x2"), 2),
    "xor": (_gen_xor, "binary", _SQUARE, ("x1", "x2"), 2),
    "gauss": (_gen_gauss, "binary", _SQUARE, ("x1", "x2"), 2),
    "spiral": (_gen_spiral, "binary", _SQUARE, ("x1", "x2"), 2),
    "moons": (_gen_moons, "binary", _SQUARE, ("x1", "x2"), 2),
    "plane": (_gen_plane, "regression", _SQUARE, ("x1", "x2"), 0),
    "multigauss": (_gen_multigauss, "regression", _SQUARE, ("x1", "x2"), 0),
    "multiclass": (_gen_multiclass, "multiclass", _SQUARE, ("x1", "x2"), 3),
    "radiografias": (_gen_radiografias, "binary", (0.0, 1.0, 0.0, 5.0),
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


# --------------------------------------------------------------------------- validation helpers




def _check_split(split):
    if split not in SPLITS:
        raise BackpropError("invalid_split", f"split must be 'train' or 'val', got {split!r}",
                   f"El conjunto debe ser «train» (entrenamiento) o «val» (validación), "
                   f"no {split!r}.", "split")


def _point(x):
    """Two finite coordinates as a float array, or a refusal."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.shape != (2,) or not np.all(np.isfinite(arr)):
        raise BackpropError("invalid_point", "a point needs exactly 2 finite coordinates",
                   "Un punto necesita exactamente 2 coordenadas finitas.", "x")
    return arr


def _extent_of(x):
    """A padded rectangle around the points (for data loaded from outside)."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = np.where(hi > lo, 0.1 * (hi - lo), 1.0)
    lo, hi = lo - pad, hi + pad
    return (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))


def _check_names(names, field):
    """A list of distinct, non-empty strings (a bare string is refused, not split)."""
    ok = isinstance(names, (list, tuple)) and all(
        isinstance(n, str) and n.strip() and len(n) <= 60 for n in names)
    if not ok or len(set(names)) != len(names):
        what_es = "las clases" if field == "class_names" else "las variables de entrada"
        raise BackpropError("invalid_" + field, f"{field} must be a list of distinct non-empty names",
                   f"Los nombres de {what_es} deben ser una lista de textos distintos y no "
                   "vacíos (de hasta 60 caracteres).", field)
    return [n.strip() for n in names]


# --------------------------------------------------------------------------- the data set


class Dataset:
    """Training and validation points with their targets and what the widget needs to draw them."""

    def __init__(self, name, task, x_train, y_train, x_val, y_val, feature_names,
                 class_names, extent, description="", version=0):
        self.task = task
        self._set_names(feature_names, class_names)
        self.extent = check_extent(extent)
        self.name = str(name)
        self.description = str(description)
        self.x_train, self.y_train = self._arrays(x_train, y_train, "train")
        self.x_val, self.y_val = self._arrays(x_val, y_val, "val")
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
        class_names = _check_names(class_names, "class_names")
        feature_names = _check_names(feature_names, "feature_names")
        if task == "regression" and class_names:
            raise BackpropError("invalid_class_names", "regression takes no class names",
                       "Una regresión no tiene nombres de clase.", "class_names")
        if task == "binary" and len(class_names) != 2:
            raise BackpropError("invalid_class_names", "binary tasks need exactly 2 class names",
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
        n_outputs = len(class_names) if task == "multiclass" else 1
        if getattr(self, "n_outputs", n_outputs) != n_outputs:
            raise BackpropError("invalid_class_names", "renaming cannot change the number of classes",
                       "Cambiar los nombres no puede cambiar el número de clases.",
                       "class_names")
        self.class_names = class_names
        self.n_outputs = n_outputs
        self.feature_names = [str(f) for f in feature_names]

    # -- validation of whole arrays ------------------------------------------------------

    def _arrays(self, x, y, split):
        field = "x_" + split
        try:
            x = np.array(x, dtype=np.float64)
            y = np.array(y, dtype=np.float64)
        except (TypeError, ValueError):
            raise BackpropError("invalid_dataset", f"{field} and y_{split} must be numeric arrays",
                       f"Los puntos y objetivos del conjunto de {_SPLIT_ES[split]} deben ser "
                       "numéricos.", field) from None
        if x.size == 0:
            x = x.reshape(0, 2)
        if y.size == 0:
            y = y.reshape(0, self.n_outputs)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if x.ndim != 2 or x.shape[1] != 2 or y.ndim != 2 or len(y) != len(x):
            raise BackpropError("invalid_dataset",
                       f"{field} must be (n, 2) and y_{split} must have n rows",
                       f"El conjunto de {_SPLIT_ES[split]} debe tener puntos de 2 coordenadas "
                       "y un objetivo por punto.", field)
        if y.shape[1] != self.n_outputs:
            raise BackpropError("invalid_dataset",
                       f"y_{split} must have {self.n_outputs} columns for this task",
                       f"Los objetivos del conjunto de {_SPLIT_ES[split]} deben tener "
                       f"{self.n_outputs} columnas para esta tarea.", "y_" + split)
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise BackpropError("invalid_dataset", f"{field} and y_{split} must be finite",
                       f"Los puntos y objetivos del conjunto de {_SPLIT_ES[split]} deben ser "
                       "números finitos.", field)
        for row in y:
            self._check_target_row(row, "y_" + split)
        return x, y

    def _check_target_row(self, row, field):
        if self.task == "binary" and row[0] not in (0.0, 1.0):
            raise BackpropError("invalid_label", "binary labels must be 0 or 1",
                       "En una clasificación binaria la etiqueta debe ser 0 o 1.", field)
        if self.task == "multiclass" and not (
            np.all((row == 0.0) | (row == 1.0)) and row.sum() == 1.0
        ):
            raise BackpropError("invalid_label", "multiclass targets must be one-hot rows",
                       "En una clasificación multiclase cada objetivo debe tener un único 1 "
                       "(codificación one-hot).", field)

    def _target(self, y):
        """Turns a label the reader gives (number, class name, index or row) into a target row."""
        k = self.n_outputs
        if self.task == "regression":
            if _is_real(y) and math.isfinite(y):
                return np.array([float(y)])
            arr = np.asarray(y, dtype=object).ravel() if not isinstance(y, str) else None
            if arr is not None and arr.size == 1 and _is_real(arr[0]) and math.isfinite(arr[0]):
                return np.array([float(arr[0])])
            raise BackpropError("invalid_label", "a regression target must be one finite number",
                       "El objetivo de una regresión debe ser un número finito.", "y")
        if isinstance(y, str):
            if y in self.class_names:
                idx = self.class_names.index(y)
            else:
                raise BackpropError("invalid_label",
                           f"unknown class {y!r}; valid: {', '.join(self.class_names)}",
                           f"La clase «{y}» no existe. Las clases son: "
                           f"{', '.join(self.class_names)}.", "y")
        elif _is_int(y) or (_is_real(y) and float(y).is_integer()):
            idx = int(y)
            if not 0 <= idx < len(self.class_names):
                raise BackpropError("invalid_label",
                           f"label must be an integer from 0 to {len(self.class_names) - 1}",
                           f"La etiqueta debe ser un entero entre 0 y "
                           f"{len(self.class_names) - 1}.", "y")
        else:
            try:
                row = np.asarray(y, dtype=np.float64).ravel()
            except (TypeError, ValueError):
                row = None
            if row is None or row.shape != (k,) or not np.all(np.isfinite(row)):
                raise BackpropError("invalid_label", "label does not fit this task",
                           "La etiqueta no corresponde a esta tarea.", "y")
            self._check_target_row(row, "y")
            return row
        if self.task == "binary":
            return np.array([float(idx)])
        return np.eye(k)[idx]

    # -- editing ----------------------------------------------------------------------------

    def add_point(self, x, y, split="train"):
        """Adds one point with its label; returns its index in that split."""
        _check_split(split)
        point = _point(x)
        target = self._target(y)
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
        _check_split(split)
        xs, ys = ("x_train", "y_train") if split == "train" else ("x_val", "y_val")
        n = len(getattr(self, xs))
        if not _is_int(index) or not 0 <= index < n:
            raise BackpropError("invalid_index", f"index must be an integer from 0 to {n - 1}",
                       f"El índice debe ser un entero entre 0 y {n - 1}."
                       if n else f"El conjunto de {_SPLIT_ES[split]} no tiene puntos.", "index")
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
        _check_split(split)
        y = self.y_train if split == "train" else self.y_val
        if self.task == "multiclass":
            return np.argmax(y, axis=1)
        if self.task == "binary":
            return y[:, 0].astype(int)
        return y[:, 0].copy()

    # -- serialization --------------------------------------------------------------------

    def to_dict(self):
        return {
            "name": self.name,
            "task": self.task,
            "feature_names": list(self.feature_names),
            "class_names": list(self.class_names),
            "n_outputs": self.n_outputs,
            "extent": list(self.extent),
            "description": self.description,
            "version": self.version,
            "x_train": self.x_train.tolist(),
            "y_train": self.y_train.tolist(),
            "x_val": self.x_val.tolist(),
            "y_val": self.y_val.tolist(),
        }

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
                extent = _extent_of(np.asarray(x_train, dtype=np.float64).reshape(-1, 2))
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
            version=d.get("version", 0) if _is_int(d.get("version", 0)) else 0,
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
            class_names = _check_names(class_names, "class_names")
        if not isinstance(text, str):
            raise BackpropError("csv_empty", "CSV input must be text", "El CSV debe ser texto.", "csv")
        rows, comma = _read_csv_rows(text)
        feature_names = [label("features", "x1", lang), label("features", "x2", lang)]
        first_line, first = rows[0]
        # A first row whose coordinates are not numbers is a header.
        if len(first) < 2 or _parse_number(first[0], comma) is None or \
                _parse_number(first[1], comma) is None:
            if len(first) != 3:
                raise BackpropError("csv_columns",
                           f"line {first_line}: expected 3 columns, found {len(first)}",
                           f"Línea {first_line}: se esperaban 3 columnas (x₁, x₂, etiqueta) "
                           f"y hay {len(first)}.", "csv")
            feature_names = [first[0].strip() or feature_names[0],
                             first[1].strip() or feature_names[1]]
            rows = rows[1:]
        if not rows:
            raise BackpropError("csv_empty", "the CSV has no data rows",
                       "El CSV no tiene filas de datos.", "csv")
        if len(rows) > MAX_SAMPLES:
            raise BackpropError("too_many_points", f"at most {MAX_SAMPLES} rows",
                       f"Como máximo {MAX_SAMPLES} filas.", "csv")
        points, raw_labels = [], []
        for line, row in rows:
            if len(row) != 3:
                raise BackpropError("csv_columns", f"line {line}: expected 3 columns, found {len(row)}",
                           f"Línea {line}: se esperaban 3 columnas (x₁, x₂, etiqueta) y hay "
                           f"{len(row)}.", "csv")
            xy = [_parse_number(row[0], comma), _parse_number(row[1], comma)]
            if any(v is None for v in xy):
                raise BackpropError("csv_value", f"line {line}: coordinates must be finite numbers",
                           f"Línea {line}: las coordenadas deben ser números finitos.", "csv")
            if not row[2].strip():
                raise BackpropError("csv_label", f"line {line}: the label is missing",
                           f"Línea {line}: falta la etiqueta (tercera columna).", "csv")
            points.append(xy)
            raw_labels.append((line, row[2].strip()))
        task, class_names, targets = _csv_targets(raw_labels, task, class_names, comma, lang)
        x = np.array(points, dtype=np.float64)
        y = np.array(targets, dtype=np.float64)
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(x))
        n_val = int(math.floor(len(x) * val_fraction))
        val_idx, train_idx = order[:n_val], order[n_val:]
        return cls(name=name, task=task, x_train=x[train_idx], y_train=y[train_idx],
                   x_val=x[val_idx], y_val=y[val_idx], feature_names=feature_names,
                   class_names=class_names, extent=_extent_of(x),
                   description=label("dataset_description", "csv", lang))

    def __repr__(self):
        return (f"Dataset({self.name!r}, task={self.task!r}, train={len(self.x_train)}, "
                f"val={len(self.x_val)}, version={self.version})")


# --------------------------------------------------------------------------- CSV helpers

def _read_csv_rows(text):
    """Non-empty rows with their 1-based physical line numbers, and whether "1,5" means 1.5."""
    first = next((ln for ln in text.splitlines() if ln.strip()), None)
    if first is None:
        raise BackpropError("csv_empty", "the CSV is empty", "El CSV está vacío.", "csv")
    # Spreadsheets in Spanish export ";" (or tabs) with decimal commas.
    delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise BackpropError("csv_value", f"line {reader.line_num}: malformed CSV ({exc})",
                   f"Línea {reader.line_num}: CSV mal formado ({exc}).", "csv") from None
    return rows, delimiter != ","


def _parse_number(cell, decimal_comma):
    s = cell.strip()
    if decimal_comma:
        s = s.replace(",", ".")
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _csv_targets(raw_labels, task, class_names, comma, lang="es"):
    """Chooses the task (if not given) and the class names, and turns label cells into rows."""
    numbers = [_parse_number(cell, comma) for _, cell in raw_labels]
    as_index = all(v is not None and v.is_integer() and 0 <= v < MAX_CLASSES for v in numbers)
    if task is None:
        if class_names is not None:
            task = "binary" if len(class_names) == 2 else "multiclass"
        elif as_index:
            task = "binary" if max(numbers) <= 1 else "multiclass"
        elif all(v is not None for v in numbers):
            task = "regression"
        else:
            task = "binary" if len({c for _, c in raw_labels}) == 2 else "multiclass"
    if task == "regression":
        for (line, cell), v in zip(raw_labels, numbers):
            if v is None:
                raise BackpropError("csv_label", f"line {line}: the target must be a finite number",
                           f"Línea {line}: el objetivo debe ser un número finito.", "csv")
        return task, [], [[v] for v in numbers]
    if class_names is None:
        if task == "binary":
            class_names = _numbered_classes(2, lang)
        elif as_index:
            class_names = _numbered_classes(max(int(max(numbers)) + 1, 2), lang, 1)
        if class_names is None or not as_index:
            # Class names in order of first appearance (numbers keep their meaning as indices).
            names = list(dict.fromkeys(c for (_, c), v in zip(raw_labels, numbers) if v is None))
            if names:
                class_names = names
                if task == "binary" and len(names) > 2:
                    line = next(ln for ln, c in raw_labels if c == names[2])
                    raise BackpropError("csv_label", f"line {line}: a third class {names[2]!r} in a "
                               "binary task", f"Línea {line}: aparece una tercera clase "
                               f"(«{names[2]}») en una clasificación binaria.", "csv")
    class_names = [str(c) for c in class_names]
    k = len(class_names)
    if (task == "binary" and k != 2) or not 2 <= k <= MAX_CLASSES:
        raise BackpropError("csv_label",
                   f"{task} classification cannot have {k} classes",
                   "Una clasificación binaria necesita exactamente 2 clases." if task == "binary"
                   else f"Una clasificación multiclase necesita entre 2 y {MAX_CLASSES} clases "
                   f"y hay {k}.", "csv")
    targets = []
    for (line, cell), v in zip(raw_labels, numbers):
        if cell in class_names:
            idx = class_names.index(cell)
        elif v is not None and v.is_integer() and 0 <= v < k:
            idx = int(v)
        else:
            raise BackpropError("csv_label",
                       f"line {line}: label {cell!r} does not fit (0..{k - 1} or a class name)",
                       f"Línea {line}: la etiqueta «{cell}» no corresponde a ninguna clase "
                       f"(usa un entero entre 0 y {k - 1} o uno de estos nombres: "
                       f"{', '.join(class_names)}).", "csv")
        targets.append([float(idx)] if task == "binary" else np.eye(k)[idx].tolist())
    return task, class_names, targets


# --------------------------------------------------------------------------- generation


def _check(name, value):
    """A generation argument checked against the session schema's field of that name."""
    from . import schema  # the schema reads DATASET_NAMES from this module
    return schema.check(name, value)


def make_dataset(name, n_samples=200, noise=0.1, seed=0, val_fraction=0.25, lang="es"):
    """Generates a named data set; the same arguments always give identical arrays."""
    if name not in _SPECS:
        valid = ", ".join(DATASET_NAMES)
        raise BackpropError("unknown_dataset", f"unknown data set {name!r}; valid names: {valid}",
                   f"El conjunto de datos «{name}» no existe. Elige uno de: {valid}.", "name")
    n_samples, noise, seed, val_fraction, lang = (_check(field, value) for field, value in (
        ("n_samples", n_samples), ("noise", noise), ("seed", seed),
        ("val_fraction", val_fraction), ("lang", lang)))
    gen, task, extent = _SPECS[name][:3]
    features, classes, description = dataset_names(name, lang)
    rng = np.random.default_rng(seed)
    x, y = gen(int(n_samples), rng)
    half = np.array([extent[1] - extent[0], extent[3] - extent[2]]) / 2.0
    x = x + rng.normal(0.0, 1.0, x.shape) * (float(noise) * half / 2.0)
    x = np.clip(x, [extent[0], extent[2]], [extent[1], extent[3]])
    order = rng.permutation(len(x))
    n_val = int(math.floor(len(x) * val_fraction))
    val_idx, train_idx = order[:n_val], order[n_val:]
    return Dataset(name, task, x[train_idx], y[train_idx], x[val_idx], y[val_idx],
                   features, classes, extent, description)
