"""What the network outputs where: neuron heatmaps over the plane, accuracy, confusion matrix.

``grid_outputs`` feeds a regular grid of points through the network in one vectorized forward
pass and returns the activation of every neuron (hidden and output layers) at every grid point,
ready for the widget to paint as heatmaps and as the decision boundary.

Layers are numbered as in the diagram: 0 is the input, 1..L the hidden and output layers.
"""

from __future__ import annotations

import functools

import numpy as np

from .errors import BackpropError, check_extent, check_resolution

TASKS = ("binary", "multiclass", "regression")
MIN_RESOLUTION = 2
MAX_RESOLUTION = 400
BINARY_THRESHOLD = 0.5  # midpoint of the 0/1 targets, whatever the output activation


def check_data(net, X, Y=None):
    """X as (n, inputs) and Y as (n, outputs) finite float arrays that fit ``net``."""
    n_in, n_out = net.sizes[0], net.sizes[-1]
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        X = None
    if X is None or X.ndim != 2 or X.shape[0] == 0 or X.shape[1] != n_in or \
            not np.all(np.isfinite(X)):
        raise BackpropError(
            "invalid_inputs", f"inputs must be a non-empty (n, {n_in}) array of finite numbers",
            f"Las entradas deben ser una tabla no vacía de números finitos con {n_in} "
            "columnas.", "X")
    if Y is None:
        return X, None
    try:
        Y = np.asarray(Y, dtype=np.float64)
    except (TypeError, ValueError):
        Y = None
    if Y is not None and Y.ndim == 1 and n_out == 1:
        Y = Y.reshape(-1, 1)
    if Y is None or Y.shape != (X.shape[0], n_out) or not np.all(np.isfinite(Y)):
        raise BackpropError(
            "invalid_targets", f"targets must be a ({X.shape[0]}, {n_out}) array of finite "
            "numbers", f"Los objetivos deben ser una tabla de números finitos con "
            f"{X.shape[0]} filas y {n_out} columnas.", "Y")
    return X, Y


def grid_points(extent, resolution):
    """The grid's points in row-major order: row 0 is y = ymax (top), column 0 is x = xmin.

    Grid lines include the edges of the extent: ``resolution`` values from min to max. The
    array is read-only and shared by the calls with the same grid (live training asks for the
    same one some 60 times a second)."""
    xmin, xmax, ymin, ymax = check_extent(extent)
    check_resolution(resolution, MIN_RESOLUTION, MAX_RESOLUTION)
    return _grid_points(float(xmin), float(xmax), float(ymin), float(ymax), int(resolution))


@functools.lru_cache(maxsize=16)
def _grid_points(xmin, xmax, ymin, ymax, resolution):
    xs = np.linspace(xmin, xmax, resolution)
    ys = np.linspace(ymax, ymin, resolution)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    points.flags.writeable = False
    return points


def grid_outputs(net, extent, resolution=50):
    """Activation of every neuron over a ``resolution`` × ``resolution`` grid.

    Returns ``(values, neurons)``: ``values`` is float32 of shape ``(n_neurons, res, res)``
    (row 0 at the top, ymax; column 0 at the left, xmin) and ``neurons[k] = [layer, j]`` names
    the neuron of ``values[k]`` (layer 1..L, j from 0)."""
    if net.sizes[0] != 2:
        raise BackpropError(
            "grid_needs_two_inputs", "a grid over the plane needs a network with 2 inputs",
            "Los mapas sobre el plano necesitan una red con 2 entradas.", "layers")
    points = grid_points(extent, resolution)
    with np.errstate(all="ignore"):
        layers = net.forward_layers(points, training=False)
    n_neurons = sum(a.shape[1] for _, a in layers)
    # One float32 buffer filled layer by layer (3× cheaper than concatenate + transpose copy);
    # the widget sends it as a transferable typed array.
    values = np.empty((n_neurons, resolution * resolution), dtype=np.float32)
    neurons, k = [], 0
    for layer, (_, a) in enumerate(layers, start=1):
        values[k:k + a.shape[1]] = a.T
        neurons += [[layer, j] for j in range(a.shape[1])]
        k += a.shape[1]
    return values.reshape(n_neurons, resolution, resolution), neurons


def _check_task(net, task):
    if task not in ("binary", "multiclass"):
        raise BackpropError(
            "invalid_task", "accuracy and the confusion matrix need task 'binary' or "
            "'multiclass'", "La exactitud y la matriz de confusión solo tienen sentido en una "
            "clasificación (binaria o multiclase).", "task")
    n_out = net.sizes[-1]
    if (task == "binary") != (n_out == 1) or (task == "multiclass" and n_out < 2):
        raise BackpropError(
            "task_mismatch", f"a {task} task does not fit a network with {n_out} outputs",
            f"La tarea no encaja con una red de {n_out} salida(s): la clasificación binaria "
            "usa 1 salida y la multiclase una por clase.", "task")


def _labels(task, values):
    if task == "binary":
        return (values[:, 0] >= BINARY_THRESHOLD).astype(int)
    return np.argmax(values, axis=1)


def predict_labels(net, X, task):
    """Predicted class per point: output ≥ 0.5 (binary) or the largest output (multiclass)."""
    _check_task(net, task)
    X, _ = check_data(net, X)
    with np.errstate(all="ignore"):
        return _labels(task, net.forward(X, training=False))


def _true_labels(task, Y):
    if task == "binary" and not np.all((Y == 0.0) | (Y == 1.0)):
        raise BackpropError("invalid_targets", "binary targets must be 0 or 1",
                            "En una clasificación binaria los objetivos deben ser 0 o 1.", "Y")
    if task == "multiclass" and not (np.all((Y == 0.0) | (Y == 1.0)) and
                                     np.all(Y.sum(axis=1) == 1.0)):
        raise BackpropError("invalid_targets", "multiclass targets must be one-hot rows",
                            "En una clasificación multiclase cada objetivo debe tener un único "
                            "1 (codificación one-hot).", "Y")
    return _labels(task, Y)


def accuracy(net, X, Y, task):
    """Fraction of points whose predicted class equals the target class (a float in [0, 1])."""
    _check_task(net, task)
    X, Y = check_data(net, X, Y)
    truth = _true_labels(task, Y)
    with np.errstate(all="ignore"):
        out = net.forward(X, training=False)
    return float(np.mean(_labels(task, out) == truth))


def accuracy_of_outputs(out, Y, task):
    """``accuracy`` from the outputs of a forward pass already made on the same points."""
    return float(np.mean(_labels(task, out) == _true_labels(task, np.asarray(Y))))


def confusion_matrix(net, X, Y, task):
    """``m[t][p]`` = number of points of true class ``t`` predicted as class ``p`` (plain ints)."""
    _check_task(net, task)
    X, Y = check_data(net, X, Y)
    k = 2 if task == "binary" else net.sizes[-1]
    truth = _true_labels(task, Y)
    with np.errstate(all="ignore"):
        pred = _labels(task, net.forward(X, training=False))
    m = np.zeros((k, k), dtype=np.int64)
    np.add.at(m, (truth, pred), 1)
    return m.tolist()
