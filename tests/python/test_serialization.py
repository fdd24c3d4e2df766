import json

import numpy as np
import pytest

from backprop.errors import BackpropError
from backprop.network import Network
from backprop.serialization import to_jsonable
from conftest import small_data


def make():
    return Network([2, 5, 3, 3], ["relu", {"name": "leaky_relu", "negative_slope": 0.1},
                                  "softmax"], "ce", seed=11, batch_norm=[True, False],
                   dropout=0.2, l2=0.01, clip_norm=1.0,
                   optimizer={"name": "adam", "learning_rate": 0.01, "beta1": 0.85})


def test_restored_network_continues_bit_for_bit():
    rng = np.random.default_rng(0)
    X, Y = small_data(rng, 40, 2, 3, "ce")
    net = make()
    for _ in range(3):
        net.train_epoch(X, Y, 8)
    text = json.dumps(net.to_dict(), allow_nan=False)
    twin = Network.from_dict(json.loads(text))
    assert twin.config() == net.config()
    for _ in range(4):
        net.train_epoch(X, Y, 8)
        twin.train_epoch(X, Y, 8)
    assert np.array_equal(net.get_flat_params(), twin.get_flat_params())
    assert net.steps == twin.steps
    for a, b in zip(net.batch_norms, twin.batch_norms):
        if a is not None:
            assert np.array_equal(a.running_var, b.running_var)
    assert all(np.array_equal(x, y) for x, y in
               zip(net.optimizer.state["exp_avg_sq"], twin.optimizer.state["exp_avg_sq"]))


def test_big_integers_of_the_generator_survive_javascript():
    d = make().to_dict()
    state = d["rng"]["state"]
    assert isinstance(state["state"], str) and int(state["state"]) > 2 ** 53
    # JavaScript would round numbers above 2⁵³; strings keep every digit.
    assert all(not isinstance(v, int) or abs(v) < 2 ** 53 for v in state.values())


def test_malformed_state_is_refused():
    d = make().to_dict()
    for broken in ({}, {**d, "format": "other"}, {**d, "weights": d["weights"][:1]},
                   {**d, "rng": {"bit_generator": "MT19937"}}):
        with pytest.raises(BackpropError) as info:
            Network.from_dict(broken)
        assert info.value.message_es


def test_to_jsonable_turns_non_finite_into_null():
    data = {"a": np.array([1.0, np.nan, np.inf]), "b": float("-inf"), "c": np.float32(2.5),
            "d": [np.int64(3), (True,)]}
    out = to_jsonable(data)
    assert out == {"a": [1.0, None, None], "b": None, "c": 2.5, "d": [3, [True]]}
    json.dumps(out, allow_nan=False)
