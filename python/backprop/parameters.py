"""Which trainable array is which: a small typed name instead of strings like ``"gamma2"``.

A network's trainable arrays come in a fixed order: per layer ``W`` and ``b``, or ``W``, ``γ``
and ``β`` when the layer is batch-normalized (there β takes the bias's role). Layers are
numbered as in the diagram, from 1.
"""

from typing import NamedTuple

# kind → the prefix of the array's name (``W1``, ``b2``, ``gamma1``, ``beta1``)
_PREFIX = {"weight": "W", "bias": "b", "gamma": "gamma", "beta": "beta"}


class ParamId(NamedTuple):
    kind: str   # "weight", "bias", "gamma" or "beta"
    layer: int  # 1..L, as in the diagram

    @property
    def name(self) -> str:
        return f"{_PREFIX[self.kind]}{self.layer}"

    @property
    def regularized(self) -> bool:
        """L1/L2 apply to weights only (never to biases, γ or β)."""
        return self.kind == "weight"


def param_ids(bn_flags):
    """The ``ParamId`` of every trainable array, in ``Network.parameters()`` order, for one
    batch-norm flag per non-input layer."""
    ids = []
    for l, bn in enumerate(bn_flags, start=1):
        ids.append(ParamId("weight", l))
        if bn:
            ids += [ParamId("gamma", l), ParamId("beta", l)]
        else:
            ids.append(ParamId("bias", l))
    return ids
