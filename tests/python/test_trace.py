import json
import math
import re

import numpy as np
import pytest

from backprop.network import Network
from backprop.trace import trace_step
from conftest import small_data


def sig(z):
    return 1 / (1 + math.exp(-z))


def test_classic_trace_numbers_by_hand(classic_config):
    net = Network.from_config(classic_config)
    t = trace_step(net, classic_config["inputs"], classic_config["targets"])
    h1 = sig(0.3775)
    o1 = sig(0.40 * h1 + 0.45 * sig(0.3925) + 0.60)
    assert t["layers"][0]["z"][0] == pytest.approx([0.3775, 0.3925], rel=1e-14)
    assert t["layers"][1]["a"][0][0] == pytest.approx(o1, rel=1e-14)
    delta_o1 = (o1 - 0.01) * o1 * (1 - o1)
    assert t["deltas"][1][0][0] == pytest.approx(delta_o1, rel=1e-13)
    assert t["grad_weights"][1][0][0] == pytest.approx(delta_o1 * h1, rel=1e-13)
    assert t["weights"][1][0][0] == pytest.approx(0.35891648, abs=1e-8)
    assert t["loss"] == pytest.approx(0.298371109, abs=1e-9)
    assert t["loss_after"] < t["loss"]
    assert t["biases"] == [[0.35, 0.35], [0.6, 0.6]]


def test_events_follow_the_order_of_a_hand_computation(classic_config):
    net = Network.from_config(classic_config)
    events = trace_step(net, classic_config["inputs"], classic_config["targets"])["events"]
    phases = [e["phase"] for e in events]
    # forward ... loss, backward/gradient interleaved per layer (output first), update, result
    assert phases[0] == "forward" and phases[-1] == "result"
    first = {p: phases.index(p) for p in set(phases)}
    assert first["forward"] < first["loss"] < first["backward"] < first["gradient"] < first["update"]
    assert [e["index"] for e in events] == list(range(len(events)))
    backward_layers = [e["layer"] for e in events if e["phase"] == "backward"]
    assert backward_layers == sorted(backward_layers, reverse=True)
    for e in events:
        assert e["label"] and e["formula"]
    # every δ is the product of its two factors (elementwise activation, no fused loss)
    for e in events:
        if e["kind"] == "delta":
            t = e["terms"]
            assert e["value"][0] == pytest.approx(t["grad_a"][0] * t["da_dz"][0], rel=1e-13)
    # every weight gradient is δ·a_prev summed over the samples
    for e in events:
        if e["kind"] == "grad_w":
            t = e["terms"]
            assert e["value"] == pytest.approx(sum(d * a for d, a in zip(t["delta"], t["a_prev"])))
    # SGD update: new = old − η·g
    updates = [e for e in events if e["kind"] == "update"]
    assert len(updates) == 8
    for e in updates:
        t = e["terms"]
        assert e["value"] == pytest.approx(t["old"] - 0.5 * t["g"], rel=1e-14)
    assert [e["param"] for e in events if e["kind"] == "frozen"] == ["b1", "b2"]
    json.dumps(events, allow_nan=False, ensure_ascii=False)


def test_events_agree_with_the_arrays_for_a_minibatch():
    rng = np.random.default_rng(0)
    X, Y = small_data(rng, 3, 2, 3, "ce")
    net = Network([2, 3, 3], ["relu", "softmax"], "ce", seed=4,
                  optimizer={"name": "adam", "learning_rate": 0.01}, l2=0.01)
    t = trace_step(net, X, Y)
    z_events = [e for e in t["events"] if e["kind"] == "z" and e["layer"] == 2]
    for e in z_events:
        assert e["value"] == [row[e["neuron"]] for row in t["layers"][1]["z"]]
    delta_out = [e for e in t["events"] if e["kind"] == "delta" and e["layer"] == 2]
    for e in delta_out:
        assert e["formula"] == "δ = (a − y)/N"
        j = e["neuron"]
        assert e["value"] == pytest.approx([(a[j] - y[j]) / 3 for a, y in
                                            zip(t["layers"][1]["a"], Y)], rel=1e-12)
    adam = [e for e in t["events"] if e["kind"] == "update"]
    for e in adam:
        tt = e["terms"]
        assert {"exp_avg", "exp_avg_sq", "m_hat", "v_hat", "l2_term"} <= set(tt) or \
            e["param"].startswith("b")
        # first Adam step: m̂ = g, v̂ = g², so the step is η·g/(|g| + ε)
        assert tt["step"] == pytest.approx(0.01 * tt["g"] / (abs(tt["g"]) + 1e-8), rel=1e-6)


def test_trace_with_batch_norm_and_dropout_has_their_events():
    rng = np.random.default_rng(1)
    X, Y = small_data(rng, 4, 2, 1, "bce")
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", seed=0, batch_norm=True, dropout=0.5,
                  clip_norm=0.1)
    t = trace_step(net, X, Y)
    kinds = {e["kind"] for e in t["events"]}
    assert {"batch_norm", "dropout", "delta_bn", "grad_gamma", "grad_beta", "clip"} <= kinds
    assert "z_linear" in t and "deltas_linear" in t and "clip" in t


def test_trace_is_the_same_step_as_train_step():
    rng = np.random.default_rng(2)
    X, Y = small_data(rng, 5, 3, 2, "mse")
    a = Network([3, 4, 2], ["sigmoid", "linear"], seed=0,
                optimizer={"name": "nesterov", "learning_rate": 0.1})
    b = a.copy()
    trace_step(a, X, Y)
    b.train_step(X, Y)
    np.testing.assert_array_equal(a.get_flat_params(), b.get_flat_params())


# Networks that together produce every label variant of the trace: fused and plain δ,
# softmax without its loss, batch norm, dropout, clipping, frozen arrays, piecewise formulas.
VARIANTS = [
    dict(sizes=[2, 3, 1], acts=["relu", "sigmoid"], loss="bce", kw=dict(
        batch_norm=True, dropout=0.5, clip_norm=0.1, frozen=["W1"])),
    dict(sizes=[2, 3, 3], acts=[{"name": "leaky_relu", "negative_slope": 0.1}, "softmax"],
         loss="mse", kw=dict(optimizer={"name": "adam", "learning_rate": 0.01}, l1=0.01)),
    dict(sizes=[2, 2, 2], acts=["tanh", "softmax"], loss="ce", kw=dict(train_biases=False)),
]


def _variant_traces(lang):
    for k, v in enumerate(VARIANTS):
        rng = np.random.default_rng(k)
        X, Y = small_data(rng, 4, v["sizes"][0], v["sizes"][-1], v["loss"])
        net = Network(v["sizes"], v["acts"], v["loss"], seed=k, **v["kw"])
        yield trace_step(net, X, Y, lang=lang)


def _words(text):
    return {w for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) > 1}  # not a, z, …


def test_english_trace_is_the_spanish_one_with_english_words():
    from backprop.labels import LABELS
    spanish_only = set()
    for group in LABELS.values():
        for pair in group.values():
            spanish_only |= _words(pair["es"]) - _words(pair["en"])
    assert {"si", "pérdida", "función", "del"} <= spanish_only  # the check can fail
    for es, en in zip(_variant_traces("es"), _variant_traces("en")):
        assert len(es["events"]) == len(en["events"])
        for a, b in zip(es["events"], en["events"]):
            assert {k: v for k, v in a.items() if k not in ("label", "formula")} == \
                {k: v for k, v in b.items() if k not in ("label", "formula")}
            assert not _words(b["label"] + " " + b["formula"]) & spanish_only, b
            assert "{" not in a["formula"] + b["formula"]   # every placeholder filled
        assert {k: v for k, v in es.items() if k != "events"} == \
            {k: v for k, v in en.items() if k != "events"}


def test_trace_labels_name_the_network_in_the_chosen_language():
    es, en = next(_variant_traces("es")), next(_variant_traces("en"))
    first_a = next(i for i, e in enumerate(es["events"]) if e["kind"] == "a")
    assert es["events"][first_a]["label"] == "Activación a (función ReLU)"
    assert en["events"][first_a]["label"] == "Activation a (ReLU function)"
    da_dz = [e for e in en["events"] if e["kind"] == "da_dz" and e["layer"] == 1]
    assert da_dz[0]["formula"] == "∂a/∂z = 1 if z > 0, else 0"
    frozen = next(e for e in es["events"] if e["kind"] == "frozen")
    assert frozen["param"] == "W1" and frozen["label"] == "Parámetro congelado (peso): no cambia"
    loss = next(e for e in en["events"] if e["kind"] == "loss")
    assert loss["label"] == "Loss (binary cross-entropy)"
