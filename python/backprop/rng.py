"""The engine's random generators: numpy's ``Generator`` on ``PCG64``, made by numpy's own
``default_rng``, so a seed draws the same numbers as ``np.random.default_rng(seed)``.

They are loaded without the rest of ``numpy.random``, whose ``__init__`` also builds the legacy
``RandomState`` (mtrand) and three more bit generators: about half of the engine's start-up in
Pyodide. A later ``import numpy.random`` (the console, a test) loads the rest and finds these
same modules and classes; only the submodules loaded here (``bit_generator``, ``_generator``,
``_pcg64``) are then not attributes of the package (they stay importable by name).
"""

import importlib
import os
import sys
import types

import numpy as np

_generator = None  # numpy.random._generator, once loaded


def _generator_module():
    global _generator
    if _generator is None:
        _generator = _load_generator_module()
    return _generator


def _load_generator_module():
    if "numpy.random" in sys.modules:
        return sys.modules["numpy.random"]
    # numpy.random's compiled submodules import one another by their full names, so the
    # package must be in sys.modules while they load: a bare stand-in, removed afterwards.
    stand_in = types.ModuleType("numpy.random")
    stand_in.__path__ = [os.path.join(os.path.dirname(np.__file__), "random")]
    sys.modules["numpy.random"] = stand_in
    try:
        return importlib.import_module("numpy.random._generator")
    except Exception:  # noqa: BLE001 - another numpy's layout: the whole package draws the same
        pass
    finally:
        del sys.modules["numpy.random"]
    return np.random  # another numpy: the whole package


def default_rng(seed):
    """``np.random.default_rng(seed)``: a Generator on PCG64 seeded with ``seed``."""
    return _generator_module().default_rng(seed)


def generator_from_state(state):
    """A Generator on a PCG64 bit generator set to ``state`` (a saved ``bit_generator.state``)."""
    rng = default_rng(0)
    rng.bit_generator.state = state
    return rng
