"""The step trace's labels name each parameter with the article its gender takes."""

import numpy as np

from backprop.network import Network
from backprop.trace import trace_step


def _labels(lang):
    rng = np.random.default_rng(0)
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "bce", batch_norm=True, frozen=["beta1"])
    X, Y = rng.normal(size=(4, 2)), np.array([[0.0], [1.0], [1.0], [0.0]])
    return {e["label"] for e in trace_step(net, X, Y, lang)["events"]}


def test_spanish_labels_agree_with_the_parameter_s_gender():
    labels = _labels("es")
    assert "Gradiente de la escala γ de la normalización por lotes" in labels
    assert "Gradiente del desplazamiento β de la normalización por lotes" in labels
    assert "Actualización de la escala γ de la normalización por lotes (SGD)" in labels
    assert "Actualización del peso (SGD)" in labels and "Actualización del sesgo (SGD)" in labels
    assert not any("del escala" in t or "de escala" in t or "de desplazamiento" in t
                   for t in labels)


def test_english_labels_read_naturally():
    labels = _labels("en")
    assert "Gradient of the batch-normalization scale γ" in labels
    assert "Update of the weight (SGD)" in labels
    assert not any("ó" in t or "ñ" in t for t in labels)
