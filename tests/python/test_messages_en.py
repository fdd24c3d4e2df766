"""English refusals read as sentences for a learner, like the Spanish ones: a subject, what it
must be, the bounds with a true minus sign and a decimal point; no field prefix, no repr dump."""

import json

import pytest

from backprop.commands import Registry
from backprop.errors import number_text


@pytest.fixture()
def registry():
    reg = Registry()
    assert json.loads(reg.call("s", "create", "{}"))["ok"]
    return reg


def refusal(reg, cmd, args):
    reply = json.loads(reg.call("s", cmd, json.dumps(args)))
    assert not reply["ok"]
    return reply["error"]


@pytest.mark.parametrize("cmd, args, english", [
    # a finite number: text typed for a weight
    ("set_parameter", {"layer": 1, "j": 0, "i": 0, "value": "abc"},
     "The weight must be a number from \u22121000 to 1000."),
    # a bound: the learning rate must stay above 0
    ("set_config", {"partial": {"learning_rate": -0.5}},
     "The learning rate must be a number greater than 0."),
    # a half-open bound on a symbol-named field: no article before it
    ("set_config", {"partial": {"beta1": 1.5}},
     "Adam's β₁ must be a number at least 0 and less than 1."),
    # a choice
    ("set_config", {"partial": {"optimizer": "fast"}},
     "The optimizer 'fast' is not valid; use one of these: sgd, momentum, nesterov, rmsprop, "
     "adam."),
    # an integer
    ("set_config", {"partial": {"n_samples": 3}},
     "The number of points must be a whole number from 10 to 5000."),
    ("set_config", {"partial": {"batch_norm": "yes"}},
     "Batch normalization (batch_norm) must be true or false."),
])
def test_english_refusals_read_as_sentences(registry, cmd, args, english):
    error = refusal(registry, cmd, args)
    assert error["message_en"] == english
    assert error["message"] != english  # the Spanish one is its own sentence


def test_number_text_follows_each_language():
    assert number_text(-1000.0, "en") == "\u22121000"
    assert number_text(-0.25, "en") == "\u22120.25"
    assert number_text(-0.25, "es") == "\u22120,25"
    assert number_text(1e-8, "en") == "0.00000001"  # never E notation
    assert number_text(7, "es") == "7"


def test_no_english_refusal_starts_with_a_field_name(registry):
    bad = {"noise": -1, "seed": -3, "hidden": [0], "loss": "x", "train_biases": 2,
           "val_fraction": 1, "activations": ["x"], "clip_norm": 0}
    for name, value in bad.items():
        error = refusal(registry, "set_config", {"partial": {name: value}})
        text = error["message_en"]
        assert not text.startswith(f"{name}:") and ", got" not in text, text
        assert text[0].isupper() and text.endswith("."), text
        assert "-" not in text.replace("_", "").replace("step-by-step", ""), text


@pytest.mark.parametrize("partial", [{"activation": "foo"}, {"loss": "foo"},
                                     {"optimizer": "foo"}, {"init": "foo"}])
def test_a_spanish_choice_refusal_agrees_with_any_name(registry, partial):
    # "La función de activación … no es válido" was wrong Spanish; the sentence now names the
    # field after "para", in lower case, so no adjective has to agree with it.
    message = refusal(registry, "set_config", {"partial": partial})["message"]
    assert message.startswith("«foo» no es una opción válida para ")
    assert "válido" not in message and " para La " not in message and " para El " not in message
