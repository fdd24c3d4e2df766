"""Neuron grids, accuracy and confusion matrix, checked against independent computations."""

import numpy as np
import pytest

from backprop.evaluation import accuracy, confusion_matrix, grid_outputs, predict_labels
from backprop.network import Network
from conftest import refused


def tanh_net(seed=0):
    return Network([2, 3, 4, 1], ["tanh", "relu", "sigmoid"], "bce", seed=seed)


def test_grid_matches_a_point_by_point_loop():
    net = tanh_net(seed=3)
    extent = (-2.0, 4.0, -1.0, 0.5)  # not square, not centred
    res = 7
    values, neurons = grid_outputs(net, extent, resolution=res)
    assert values.dtype == np.float32 and values.shape == (3 + 4 + 1, res, res)
    assert neurons == [[1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2], [2, 3], [3, 0]]
    for r in range(res):
        y = 0.5 - r * (0.5 - (-1.0)) / (res - 1)  # top row is ymax
        for c in range(res):
            x = -2.0 + c * (4.0 - (-2.0)) / (res - 1)  # left column is xmin
            layers = net.forward_layers(np.array([[x, y]]))
            expected = np.concatenate([a[0] for _, a in layers])
            np.testing.assert_allclose(values[:, r, c], expected, rtol=1e-6, atol=1e-7)


def test_grid_of_a_hand_made_linear_neuron():
    # One linear output a = x + 2y + 0.5: corners and centre by hand.
    net = Network([2, 1], ["linear"], "mse", weights=[[[1.0, 2.0]]], biases=[[0.5]])
    values, neurons = grid_outputs(net, (0.0, 2.0, -1.0, 1.0), resolution=3)
    assert neurons == [[1, 0]]
    expected = np.array([
        [0 + 2 * 1 + 0.5, 1 + 2 * 1 + 0.5, 2 + 2 * 1 + 0.5],   # y = 1 (top)
        [0 + 0 + 0.5, 1 + 0 + 0.5, 2 + 0 + 0.5],               # y = 0
        [0 - 2 + 0.5, 1 - 2 + 0.5, 2 - 2 + 0.5],               # y = -1 (bottom)
    ])
    np.testing.assert_allclose(values[0], expected, rtol=1e-6)


@pytest.mark.parametrize("extent, res, code", [
    ((0, 1, 0), 5, "invalid_extent"),
    ((1, 0, 0, 1), 5, "invalid_extent"),
    ((0, 1, 0, float("nan")), 5, "invalid_extent"),
    ((0, 1, 0, 1), 1, "invalid_resolution"),
    ((0, 1, 0, 1), 5.0, "invalid_resolution"),
    ((0, 1, 0, 1), 10_000, "invalid_resolution"),
])
def test_grid_refuses_bad_arguments(extent, res, code):
    refused(code, grid_outputs, tanh_net(), extent, resolution=res)


def test_grid_needs_two_inputs():
    net = Network([3, 1], ["sigmoid"], "bce")
    refused("grid_needs_two_inputs", grid_outputs, net, (0, 1, 0, 1), 5)


def threshold_net():
    # σ(10·x₁): predicts class 1 exactly when x₁ ≥ 0.
    return Network([2, 1], ["sigmoid"], "bce", weights=[[[10.0, 0.0]]], biases=[[0.0]])


def test_binary_accuracy_and_confusion_by_hand():
    net = threshold_net()
    X = np.array([[1.0, 5.0], [2.0, -1.0], [-1.0, 0.0], [-3.0, 2.0], [0.5, 0.0], [-0.5, 1.0]])
    Y = np.array([[1.0], [0.0], [0.0], [1.0], [1.0], [0.0]])
    # predictions: 1, 1, 0, 0, 1, 0 → correct: yes, no, yes, no, yes, yes
    assert accuracy(net, X, Y, "binary") == pytest.approx(4 / 6)
    # rows = true class, columns = predicted class
    assert confusion_matrix(net, X, Y, "binary") == [[2, 1], [1, 2]]
    np.testing.assert_array_equal(predict_labels(net, X, "binary"), [1, 1, 0, 0, 1, 0])


def test_multiclass_accuracy_and_confusion_by_hand():
    # Linear scores (x₁, x₂, −x₁ − x₂): class 0 if x₁ is largest, 1 if x₂, 2 if both negative.
    net = Network([2, 3], ["softmax"], "ce",
                  weights=[[[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]], biases=[[0.0, 0.0, 0.0]])
    X = np.array([[3.0, 1.0], [1.0, 3.0], [-2.0, -2.0], [2.0, 0.0], [0.0, 2.0]])
    Y = np.eye(3)[[0, 1, 2, 1, 2]]
    # predictions: 0, 1, 2, 0, 1
    assert accuracy(net, X, Y, "multiclass") == pytest.approx(3 / 5)
    assert confusion_matrix(net, X, Y, "multiclass") == [[1, 0, 0], [1, 1, 0], [0, 1, 1]]


def test_confusion_matrix_sums_to_the_number_of_points():
    net = tanh_net(seed=1)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(37, 2))
    Y = (rng.random((37, 1)) > 0.5).astype(float)
    m = np.array(confusion_matrix(net, X, Y, "binary"))
    assert m.sum() == 37 and m.dtype.kind == "i"
    assert np.trace(m) / 37 == pytest.approx(accuracy(net, X, Y, "binary"))


@pytest.mark.parametrize("X, Y, task, code", [
    ([[0.0, 1.0]], [[1.0]], "regression", "invalid_task"),
    ([[0.0, 1.0]], [[1.0]], "multiclass", "task_mismatch"),
    ([[0.0, 1.0, 2.0]], [[1.0]], "binary", "invalid_inputs"),
    ([], [], "binary", "invalid_inputs"),
    ([[0.0, float("inf")]], [[1.0]], "binary", "invalid_inputs"),
    ([[0.0, 1.0]], [[1.0], [0.0]], "binary", "invalid_targets"),
    ([[0.0, 1.0]], [[0.5]], "binary", "invalid_targets"),
])
def test_accuracy_refuses_bad_arguments(X, Y, task, code):
    refused(code, accuracy, threshold_net(), X, Y, task)
    refused(code, confusion_matrix, threshold_net(), X, Y, task)


def test_multiclass_targets_must_be_one_hot():
    net = Network([2, 3], ["softmax"], "ce")
    refused("invalid_targets", accuracy, net, [[0.0, 1.0]], [[0.5, 0.5, 0.0]], "multiclass")
    refused("task_mismatch", accuracy, net, [[0.0, 1.0]], [[1.0, 0.0, 0.0]], "binary")
