"""The whole state of a network as a JSON-safe dict, and back.

Floats go through Python's shortest round-trip repr, so a restored network holds bit-for-bit
the same numbers. The random generator's state (PCG64: 128-bit integers) is stored as decimal
strings, because JavaScript's JSON would round such integers.
"""

import base64
from contextlib import contextmanager

import numpy as np

from .errors import BackpropError
from .layers import BatchNorm
from .rng import generator_from_state

FORMAT = "backprop-network"
VERSION = 1


def rng_state_to_dict(rng) -> dict:
    state = rng.bit_generator.state
    return _ints_to_str(state)


def rng_from_dict(d):
    state = _str_to_ints(d)
    name = state.get("bit_generator", "PCG64")
    if name != "PCG64":
        raise BackpropError("invalid_state", f"rng: unsupported generator {name}",
                            f"Generador aleatorio no admitido: {name}.", "rng")
    return generator_from_state(state)


def network_to_dict(net) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "config": net.config(),
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
        "batch_norm_state": [None if bn is None else bn.to_dict() for bn in net.batch_norms],
        "optimizer_state": net.optimizer.state_dict(),
        "rng": rng_state_to_dict(net.rng),
        "steps": net.steps,
    }


def network_from_dict(d):
    from .network import Network

    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise BackpropError("invalid_state", "state: not a saved backprop network",
                            "El estado no es una red guardada por este motor.", "state")
    with reading_saved_state("network"):
        config = dict(d["config"])
        config["weights"] = d["weights"]
        config["biases"] = d["biases"]
        net = Network.from_config(config)
        for l, bn_state in enumerate(d.get("batch_norm_state") or []):
            if bn_state is not None:
                net.batch_norms[l] = BatchNorm.from_dict(bn_state)
        net.optimizer.load_state_dict(d["optimizer_state"], net.parameters())
        net.rng = rng_from_dict(d["rng"])
        net.steps = int(d["steps"])
    return net


@contextmanager
def reading_saved_state(what):
    """A missing key or a value of the wrong type while reading a saved ``what`` (network,
    session) becomes one refusal; the engine's own refusals pass unchanged."""
    try:
        yield
    except BackpropError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise BackpropError("invalid_state", f"state: malformed saved {what} ({exc})",
                            "El estado guardado está incompleto o dañado.", "state") from None


def pack_floats(values) -> dict:
    """A long run of floats (a history, the path's rows) as little-endian float64 bytes in
    base64: exact, NaN and ±∞ included, and written and read many times faster than a list of
    decimal numbers (the state is saved every 2 s while the network trains)."""
    a = np.ascontiguousarray(values, dtype="<f8")
    return {"float64": base64.b64encode(a.tobytes()).decode("ascii"), "shape": list(a.shape)}


def unpack_floats(value):
    """``pack_floats``' dict as a float64 array, or a list (a state written by hand, or saved
    before the packing) unchanged; a malformed one raises ValueError (reading_saved_state)."""
    if not isinstance(value, dict):
        return value
    raw = base64.b64decode(value["float64"], validate=True)
    return np.frombuffer(raw, dtype="<f8").reshape([int(n) for n in value["shape"]]).copy()


def _ints_to_str(obj):
    if isinstance(obj, dict):
        return {k: _ints_to_str(v) for k, v in obj.items()}
    if isinstance(obj, bool):
        return obj
    if isinstance(obj, int):
        return str(obj)
    return obj


def _str_to_ints(obj):
    if isinstance(obj, dict):
        return {k: _str_to_ints(v) for k, v in obj.items()}
    if isinstance(obj, str) and obj.lstrip("-").isdigit():
        return int(obj)
    return obj


def to_jsonable(obj):
    """Plain JSON values from numpy arrays and scalars; NaN and ±∞ become None."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        if all(type(v) is float or type(v) is int for v in obj):   # histories: long and flat
            return [v if v - v == 0 else None for v in obj]   # v − v is NaN for NaN and ±∞
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind == "f" and not np.all(np.isfinite(obj)):
            return to_jsonable(obj.astype(object).tolist())
        return obj.tolist()
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if np.isfinite(f) else None
    return obj


def has_non_finite(obj) -> bool:
    if isinstance(obj, dict):
        return any(has_non_finite(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(has_non_finite(v) for v in obj)
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind == "f" and not bool(np.all(np.isfinite(obj)))
    if isinstance(obj, (float, np.floating)):
        return not np.isfinite(obj)
    return False
