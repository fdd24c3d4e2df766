"""backprop.rng: numpy's Generator on PCG64 without the rest of numpy.random, drawing the same
numbers as np.random.default_rng."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from backprop import rng


@pytest.mark.parametrize("seed", [0, 1, 42, 2**31 - 1])
def test_a_seed_draws_what_numpy_default_rng_draws(seed):
    ours, numpys = rng.default_rng(seed), np.random.default_rng(seed)
    assert type(ours) is np.random.Generator
    assert ours.normal(size=7).tolist() == numpys.normal(size=7).tolist()
    assert ours.permutation(50).tolist() == numpys.permutation(50).tolist()
    assert ours.random(5).tolist() == numpys.random(5).tolist()


def test_a_saved_state_continues_the_same_numbers():
    a = rng.default_rng(3)
    a.normal(size=11)
    b = rng.generator_from_state(a.bit_generator.state)
    assert b.normal(size=9).tolist() == a.normal(size=9).tolist()


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide")
def test_a_fresh_engine_loads_no_legacy_random_state_and_numpy_random_still_works():
    code = textwrap.dedent("""
        import copy, sys
        from backprop import rng
        from backprop.session import Registry
        r = Registry()
        assert '"ok": true' in r.call("s", "create", "{}")[:12]
        assert "numpy.random.mtrand" not in sys.modules, sorted(sys.modules)
        assert "numpy.random" not in sys.modules
        # The engine's start leaves the explore modules for their first use.
        lazy = {"backprop.trace", "backprop.gradcheck", "backprop.chainrule", "backprop.autograd",
                "backprop.csvdata"}
        assert not lazy & set(sys.modules), sorted(lazy & set(sys.modules))
        # Draws from the stand-in's generator, and a copy of it (dropout networks deepcopy
        # theirs), before the whole numpy.random exists.
        ours = rng.default_rng(5)
        twin = copy.deepcopy(ours)
        drawn, twin_drawn = ours.normal(size=6).tolist(), twin.normal(size=6).tolist()
        import numpy as np
        assert drawn == twin_drawn == np.random.default_rng(5).normal(size=6).tolist()
        assert type(r.sessions["s"].net.rng) is np.random.Generator
        assert np.random.default_rng(5).normal() == np.random.Generator(np.random.PCG64(5)).normal()
        np.random.seed(1)
        assert 0 <= np.random.rand() < 1 and np.random.RandomState(2).randint(3) in (0, 1, 2)
    """)
    python = str(Path(__file__).resolve().parents[2] / "python")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": python}, timeout=60)
    assert done.returncode == 0, done.stderr
