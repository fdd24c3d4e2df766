"""The checks a data set's points, labels and names pass (datasets.py): each returns the
clean value or raises ``BackpropError`` with a Spanish message, before anything changes."""

from __future__ import annotations

import math

import numpy as np

from .errors import BackpropError, is_int, is_real
from .labels import label

SPLITS = ("train", "val")


def check_split(split):
    if split not in SPLITS:
        raise BackpropError("invalid_split", f"split must be 'train' or 'val', got {split!r}",
                            f"El conjunto debe ser «train» (entrenamiento) o «val» (validación), "
                            f"no {split!r}.", "split")


def check_point(x):
    """Two finite coordinates as a float array, or a refusal."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.shape != (2,) or not np.all(np.isfinite(arr)):
        raise BackpropError("invalid_point", "a point needs exactly 2 finite coordinates",
                            "Un punto necesita exactamente 2 coordenadas finitas.", "x")
    return arr


def extent_of(x):
    """A padded rectangle around the points (for data loaded from outside)."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = np.where(hi > lo, 0.1 * (hi - lo), 1.0)
    lo, hi = lo - pad, hi + pad
    return (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))


def check_names(names, field):
    """A list of distinct, non-empty strings (a bare string is refused, not split)."""
    ok = isinstance(names, (list, tuple)) and all(
        isinstance(n, str) and n.strip() and len(n) <= 60 for n in names)
    if not ok or len(set(names)) != len(names):
        what_es = "las clases" if field == "class_names" else "las variables de entrada"
        raise BackpropError(
            "invalid_" + field, f"{field} must be a list of distinct non-empty names",
            f"Los nombres de {what_es} deben ser una lista de textos distintos y no "
            "vacíos (de hasta 60 caracteres).", field)
    return [n.strip() for n in names]


# -- validation of whole arrays ------------------------------------------------------


def check_arrays(x, y, split, task, n_outputs):
    """(x, y) of one split as float arrays of shapes (n, 2) and (n, n_outputs), every target a
    valid one for ``task``, or a refusal."""
    field = "x_" + split
    try:
        x = np.array(x, dtype=np.float64)
        y = np.array(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise BackpropError(
            "invalid_dataset", f"{field} and y_{split} must be numeric arrays",
            f"Los puntos y objetivos del conjunto de {label('split', split)} deben ser "
            "numéricos.", field) from None
    if x.size == 0:
        x = x.reshape(0, 2)
    if y.size == 0:
        y = y.reshape(0, n_outputs)
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    if x.ndim != 2 or x.shape[1] != 2 or y.ndim != 2 or len(y) != len(x):
        raise BackpropError(
            "invalid_dataset",
            f"{field} must be (n, 2) and y_{split} must have n rows",
            f"El conjunto de {label('split', split)} debe tener puntos de 2 coordenadas "
            "y un objetivo por punto.", field)
    if y.shape[1] != n_outputs:
        raise BackpropError(
            "invalid_dataset", f"y_{split} must have {n_outputs} columns for this task",
            f"Los objetivos del conjunto de {label('split', split)} deben tener "
            f"{n_outputs} columnas para esta tarea.", "y_" + split)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise BackpropError(
            "invalid_dataset", f"{field} and y_{split} must be finite",
            f"Los puntos y objetivos del conjunto de {label('split', split)} deben ser "
            "números finitos.", field)
    for row in y:
        check_target_row(task, row, "y_" + split)
    return x, y


def check_target_row(task, row, field):
    if task == "binary" and row[0] not in (0.0, 1.0):
        raise BackpropError("invalid_label", "binary labels must be 0 or 1",
                            "En una clasificación binaria la etiqueta debe ser 0 o 1.", field)
    if task == "multiclass" and not (
        np.all((row == 0.0) | (row == 1.0)) and row.sum() == 1.0
    ):
        raise BackpropError(
            "invalid_label", "multiclass targets must be one-hot rows",
            "En una clasificación multiclase cada objetivo debe tener un único 1 "
            "(codificación one-hot).", field)


def target_row(task, class_names, n_outputs, y):
    """Turns a label the reader gives (number, class name, index or row) into a target row."""
    k = n_outputs
    if task == "regression":
        if is_real(y) and math.isfinite(y):
            return np.array([float(y)])
        arr = np.asarray(y, dtype=object).ravel() if not isinstance(y, str) else None
        if arr is not None and arr.size == 1 and is_real(arr[0]) and math.isfinite(arr[0]):
            return np.array([float(arr[0])])
        raise BackpropError("invalid_label", "a regression target must be one finite number",
                            "El objetivo de una regresión debe ser un número finito.", "y")
    if isinstance(y, str):
        if y in class_names:
            idx = class_names.index(y)
        else:
            raise BackpropError("invalid_label",
                                f"unknown class {y!r}; valid: {', '.join(class_names)}",
                                f"La clase «{y}» no existe. Las clases son: "
                                f"{', '.join(class_names)}.", "y")
    elif is_int(y) or (is_real(y) and float(y).is_integer()):
        idx = int(y)
        if not 0 <= idx < len(class_names):
            raise BackpropError(
                "invalid_label",
                f"label must be an integer from 0 to {len(class_names) - 1}",
                f"La etiqueta debe ser un entero entre 0 y "
                f"{len(class_names) - 1}.", "y")
    else:
        try:
            row = np.asarray(y, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            row = None
        if row is None or row.shape != (k,) or not np.all(np.isfinite(row)):
            raise BackpropError("invalid_label", "label does not fit this task",
                                "La etiqueta no corresponde a esta tarea.", "y")
        check_target_row(task, row, "y")
        return row
    if task == "binary":
        return np.array([float(idx)])
    return np.eye(k)[idx]
