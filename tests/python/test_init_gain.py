"""The initialization scale (config field ``init_gain``): a factor on every drawn weight."""

import numpy as np
import pytest

from backprop import schema
from backprop.errors import BackpropError
from backprop.initializers import INIT_NAMES, INITIALIZERS
from backprop.network import Network
from backprop.session import Session

SIZES = [2, 5, 4, 1]


@pytest.mark.parametrize("name", INIT_NAMES)
def test_the_default_gain_draws_exactly_what_the_scheme_draws(name):
    rng = np.random.default_rng(7)
    expected = [INITIALIZERS[name](rng, n_out, n_in, scale=0.5)
                for n_in, n_out in zip(SIZES[:-1], SIZES[1:])]
    net = Network(SIZES, init=name, seed=7)
    for W, E in zip(net.weights, expected):
        assert np.array_equal(W, E)  # bit for bit, not merely close


@pytest.mark.parametrize("name", INIT_NAMES)
def test_a_gain_multiplies_every_initial_weight(name):
    plain = Network(SIZES, init=name, seed=3)
    large = Network(SIZES, init=name, seed=3, init_gain=2.5)
    for W, G in zip(plain.weights, large.weights):
        assert np.allclose(G, 2.5 * W)
    assert all(np.array_equal(b, np.zeros_like(b)) for b in large.biases)
    assert large.config()["init"]["gain"] == 2.5


def test_small_uniform_spans_gain_times_its_scale():
    net = Network([2, 400, 1], init="small_uniform", init_scale=0.2, init_gain=3.0)
    assert 0.55 < np.abs(net.weights[0]).max() <= 0.6


def test_the_cli_config_takes_the_gain_under_init():
    net = Network.from_config({"layers": [2, 3, 1], "init": {"name": "he_normal", "gain": 2}})
    plain = Network.from_config({"layers": [2, 3, 1], "init": {"name": "he_normal"}})
    assert np.allclose(net.weights[1], 2 * plain.weights[1])
    assert Network.from_config(net.config()).config() == net.config()


def test_a_session_draws_new_weights_when_the_gain_changes():
    s = Session({"hidden": [3]})
    before = [W.copy() for W in s.net.weights]
    s.train(2)
    s.set_config({"init_gain": 2})
    assert s.config["init_gain"] == 2 and s.history["loss"] == [s.history["loss"][0]]
    for W, B in zip(s.net.weights, before):
        assert np.allclose(W, 2 * B)


@pytest.mark.parametrize("bad", [50, 0, -1, schema.FIELD["init_gain"].max * 1.01, "2", None])
def test_a_gain_out_of_bounds_is_refused_in_spanish_and_nothing_changes(bad):
    s = Session({"hidden": [3]})
    s.train(2)
    before = [W.copy() for W in s.net.weights]
    with pytest.raises(BackpropError) as err:
        s.set_config({"init_gain": bad})
    assert err.value.field == "init_gain"
    assert err.value.message_es.startswith("La escala de la inicialización debe ser")
    assert s.config["init_gain"] == 1 and len(s.history["loss"]) == 3
    assert all(np.array_equal(W, B) for W, B in zip(s.net.weights, before))
    with pytest.raises(BackpropError):
        Network(SIZES, init_gain=bad)  # the network refuses the same bounds


def test_the_bounds_are_the_schemas():
    f = schema.FIELD["init_gain"]
    assert (f.default, f.kind, f.group) == (1.0, "structure", "network")
    Network(SIZES, init_gain=f.min)
    Network(SIZES, init_gain=f.max)
