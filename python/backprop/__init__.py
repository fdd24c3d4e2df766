"""backprop: a numpy backpropagation engine that shows every number of a training step.

Main entry points:

- ``Network``: a fully connected network with its loss, regularization and optimizer
  (``Network.from_config`` reads the CLI's config, see docs/engine.md).
- ``trace_step``: one training step with every intermediate number, as ordered events.
- ``check_gradients``: backpropagation against central differences.
- ``commands.Registry`` (also ``session.Registry``): the JSON command interface the browser
  worker uses; ``schema`` declares the session config, ``labels`` the names in es/en.
"""

from .errors import BackpropError

__version__ = "0.1.0"
__all__ = ["BackpropError", "Network", "check_gradients", "trace_step", "__version__"]

# Imported on first use: importing any backprop module runs this file, and the browser's
# worker starts with backprop.session (the engine's start-up in Pyodide).
_LAZY = {"Network": "network", "check_gradients": "gradcheck", "trace_step": "trace"}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
