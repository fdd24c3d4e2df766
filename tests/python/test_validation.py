"""Every public function refuses bad input with a stable code, an English and a Spanish
message, and leaves the network exactly as it was."""

import numpy as np
import pytest

from backprop.errors import BackpropError
from backprop.network import Network
from backprop.trace import trace_step
from backprop.gradcheck import check_gradients
from conftest import network_state

X_OK = [[0.1, 0.2], [0.3, -0.4], [1.0, 0.5]]
Y_OK = [[1.0], [0.0], [1.0]]


def net_bce():
    return Network([2, 3, 1], ["tanh", "sigmoid"], "bce", seed=0, dropout=0.1)


def refuse(fn, code, field=None):
    with pytest.raises(BackpropError) as info:
        fn()
    err = info.value
    assert err.code == code, (err.code, str(err))
    if field is not None:
        assert err.field == field
    assert str(err) and err.message_es and err.message_es != str(err)
    assert err.to_dict()["message"] == err.message_es
    return err


BAD_DATA = [
    ("wrong columns", [[0.1, 0.2, 0.3]], [[1.0]], "invalid_shape", "inputs"),
    ("empty", np.zeros((0, 2)), np.zeros((0, 1)), "empty_data", "inputs"),
    ("rows differ", X_OK, [[1.0], [0.0]], "invalid_shape", "targets"),
    ("nan input", [[np.nan, 0.0]], [[1.0]], "non_finite", "inputs"),
    ("text", [["a", "b"]], [[1.0]], "invalid_shape", "inputs"),
    ("label 2 for bce", [[0.0, 0.0]], [[2.0]], "invalid_targets", "targets"),
    ("inf target", [[0.0, 0.0]], [[np.inf]], "non_finite", "targets"),
]


@pytest.mark.parametrize("what,X,Y,code,field", BAD_DATA, ids=[c[0] for c in BAD_DATA])
@pytest.mark.parametrize("method", ["loss", "total_loss", "gradients", "train_step",
                                    "train_epoch", "trace", "gradcheck"])
def test_bad_data_is_refused_and_nothing_changes(what, X, Y, code, field, method):
    net = net_bce()
    before = network_state(net)
    calls = {
        "loss": lambda: net.loss(X, Y),
        "total_loss": lambda: net.total_loss(X, Y),
        "gradients": lambda: net.gradients(X, Y),
        "train_step": lambda: net.train_step(X, Y),
        "train_epoch": lambda: net.train_epoch(X, Y, 1),
        "trace": lambda: trace_step(net, X, Y),
        "gradcheck": lambda: check_gradients(net, X, Y),
    }
    refuse(calls[method], code, field)
    assert network_state(net) == before


def test_labels_must_fit_cross_entropy():
    net = Network([2, 3], ["softmax"], "ce")
    before = network_state(net)
    err = refuse(lambda: net.train_step([[0.0, 1.0]], [[0.5, 0.2, 0.2]]), "invalid_targets")
    assert "one-hot" in err.message_es
    assert network_state(net) == before


@pytest.mark.parametrize("batch", [0, 4, -1, 1.5, "2"])
def test_batch_size_out_of_range(batch):
    net = net_bce()
    before = network_state(net)
    err = refuse(lambda: net.train_epoch(X_OK, Y_OK, batch), "invalid_batch_size", "batch_size")
    assert "El tamaño del lote" in err.message_es
    assert network_state(net) == before


def test_forward_and_flat_params_check_shapes():
    net = net_bce()
    before = network_state(net)
    refuse(lambda: net.forward([[1.0, 2.0, 3.0]]), "invalid_shape", "inputs")
    refuse(lambda: net.forward_layers(np.zeros((0, 2))), "empty_data")
    refuse(lambda: net.set_flat_params(np.zeros(3)), "invalid_shape", "params")
    v = net.get_flat_params()
    v[0] = np.nan
    refuse(lambda: net.set_flat_params(v), "non_finite", "params")
    assert network_state(net) == before


BAD_NETWORKS = [
    (lambda: Network([2], ["tanh"]), "invalid_layers", "layers"),
    (lambda: Network([2, 0, 1]), "invalid_layers", "layers"),
    (lambda: Network([2, 2.5, 1]), "invalid_layers", "layers"),
    (lambda: Network([2, 3, 1], ["tanh"]), "invalid_activations", "activations"),
    (lambda: Network([2, 3, 1], ["tanh", "swish"]), "unknown_activation", "activations[1]"),
    (lambda: Network([2, 3, 2], ["softmax", "softmax"], "ce"), "invalid_activations",
     "activations[0]"),
    (lambda: Network([2, 1], ["linear"], "bce"), "incompatible_loss", "loss"),
    (lambda: Network([2, 1], ["softmax"], "ce"), "incompatible_loss", "loss"),
    (lambda: Network([2, 1], ["linear"], "hinge"), "unknown_loss", "loss"),
    (lambda: Network([2, 1], ["linear"], weights=[[[1.0], [2.0]]]), "invalid_shape",
     "weights[0]"),
    (lambda: Network([2, 1], ["linear"], weights=[[[1.0, np.inf]]]), "non_finite", "weights[0]"),
    (lambda: Network([2, 1], ["linear"], biases=[[1.0, 2.0]]), "invalid_shape", "biases[0]"),
    (lambda: Network([2, 1], ["linear"], init="glorot"), "unknown_init", "init.name"),
    (lambda: Network([2, 1], ["linear"], seed=-1), "invalid_seed", "init.seed"),
    (lambda: Network([2, 1], ["linear"], l1=-0.1), "invalid_l1", "regularization.l1"),
    (lambda: Network([2, 1], ["linear"], l2=np.nan), "invalid_l2", "regularization.l2"),
    (lambda: Network([2, 1], ["linear"], dropout=1.0), "invalid_dropout", "dropout"),
    (lambda: Network([2, 1], ["linear"], clip_norm=-1), "invalid_clip_norm", "clip_norm"),
    (lambda: Network([2, 1], ["linear"], frozen_layers=[1]), "invalid_frozen_layers",
     "frozen_layers"),
    (lambda: Network([2, 1], ["linear"], batch_norm="yes"), "invalid_batch_norm", "batch_norm"),
    (lambda: Network([2, 1], ["linear"], train_biases=1), "invalid_train_biases", "train_biases"),
    (lambda: Network([2, 1], ["linear"], optimizer={"name": "sgd", "learning_rate": 0}),
     "invalid_learning_rate", "optimizer.learning_rate"),
    (lambda: Network.from_config({"activations": ["linear"]}), "missing_layers", "layers"),
    (lambda: Network.from_config([2, 1]), "invalid_config", "config"),
]


@pytest.mark.parametrize("build,code,field", BAD_NETWORKS)
def test_bad_network_settings(build, code, field):
    refuse(build, code, field)


def test_spanish_messages_read_naturally():
    err = refuse(lambda: Network([2, 1], ["linear"],
                                 optimizer={"name": "sgd", "learning_rate": -1}),
                 "invalid_learning_rate")
    assert err.message_es == "La tasa de aprendizaje debe ser un número mayor que 0."
    err = refuse(lambda: Network([2, 1], ["linear"], dropout=2), "invalid_dropout")
    assert err.message_es == ("La tasa de dropout debe ser un número mayor o igual que 0 y "
                              "menor que 1.")


def test_frozen_names_must_exist():
    err = refuse(lambda: Network([2, 3, 1], ["tanh", "linear"], frozen=["b3"]), "invalid_frozen",
                 "frozen")
    assert "W1" in err.message_es
    refuse(lambda: Network([2, 3, 1], ["tanh", "linear"], batch_norm=True, frozen=["b1"]),
           "invalid_frozen", "frozen")


def test_a_negative_bound_reads_with_a_true_minus_sign_in_spanish():
    from backprop.errors import BackpropError, check_number
    with pytest.raises(BackpropError) as info:
        check_number(5000.0, "w", "invalid_w", "weight", "El peso", ge=-1000.0, le=1000.0)
    assert "mayor o igual que \u22121000 y menor o igual que 1000" in info.value.message_es
    assert "from \u22121000 to 1000" in str(info.value)
