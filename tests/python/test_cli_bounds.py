"""The CLI's network config takes its number bounds from the session schema (one fact in one
place): the same values are refused both ways, and a bound changed in the schema moves both."""

import pytest

from backprop import schema
from backprop.errors import BackpropError
from backprop.network import Network

EDGES = (-1.0, -1e-9, 0.0, 1e-9, 0.5, 0.999, 1.0, 1.5, 20.0)


def cli_config(name, value):
    """A minimal CLI network config that sets the schema field ``name`` to ``value``."""
    if name == "dropout":
        return {"layers": [2, 3, 1], "dropout": value}
    optimizer = {"learning_rate": "sgd", "momentum": "momentum", "alpha": "rmsprop"}.get(
        name, "adam")
    return {"layers": [2, 3, 1], "optimizer": {"name": optimizer, name: value}}


def accepted(check, *args):
    try:
        check(*args)
        return True
    except BackpropError:
        return False


@pytest.mark.parametrize("name", ["dropout", "learning_rate", "momentum", "alpha", "beta1", "beta2",
                                  "eps"])
def test_the_cli_refuses_exactly_what_the_session_refuses(name):
    session = [accepted(schema.check, name, v) for v in EDGES]
    cli = [accepted(Network.from_config, cli_config(name, v)) for v in EDGES]
    assert cli == session, name
    assert any(session) and not all(session), name  # the edges straddle a bound


@pytest.mark.parametrize("name", ["dropout", "learning_rate"])
def test_a_bound_changed_in_the_schema_reaches_the_cli(name, monkeypatch):
    assert accepted(Network.from_config, cli_config(name, 0.5))
    narrower = schema.FIELD[name].replace(max=0.25)
    monkeypatch.setitem(schema.FIELD, name, narrower)
    with pytest.raises(BackpropError) as refused:
        Network.from_config(cli_config(name, 0.5))
    assert "0,25" in refused.value.message_es
