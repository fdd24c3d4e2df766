"""A network's parameters and gradients as views of one flat vector each.

Training on small batches costs numpy calls more than arithmetic, so the hot path
(``Network.epoch_trainer``) writes every step's gradients in place into one vector and, when
the optimizer updates each element from its own gradient alone (``flat_update``: plain SGD),
updates every parameter in one operation on the vector the weights and biases are views of.
Element by element the arithmetic is the same as per array, so every number is the same.
"""

from typing import NamedTuple

import numpy as np


class PlainBuffers(NamedTuple):
    """The hot path's gradients, written in place every step (no arrays allocated per step)."""
    grads: list            # views of one flat vector, one per array of ``parameters()``
    update: tuple          # what the optimizer steps: (params, grads, trainable)


def views(flat, arrays):
    """Views of ``flat`` shaped like ``arrays``, one after another."""
    out, offset = [], 0
    for a in arrays:
        out.append(flat[offset:offset + a.size].reshape(a.shape))
        offset += a.size
    return out


def pack(net):
    """The network's weights and biases as views of one flat vector (same values; the arrays
    are replaced by views the first time, and again after one was replaced or the network was
    deep-copied). Networks with batch norm keep their arrays: returns None."""
    if any(bn is not None for bn in net.batch_norms):
        return None
    params = net.parameters()
    if net.packed is not None:
        flat, packed = net.packed
        if all(p is v and p.base is flat for p, v in zip(params, packed)):
            return flat
    flat = np.concatenate([p.ravel() for p in params])
    packed = views(flat, params)
    net.weights[:], net.biases[:] = packed[0::2], packed[1::2]
    net.packed = (flat, packed)
    return flat


def plain_buffers(net, trainable):
    """The hot path's ``PlainBuffers`` for ``net`` (no batch norm), or None with batch norm."""
    flat = pack(net)
    if flat is None:
        return None
    params = net.parameters()
    flat_grad = np.empty_like(flat)
    grads = views(flat_grad, params)
    if net.optimizer.flat_update and all(trainable):
        return PlainBuffers(grads, ([flat], [flat_grad], (True,)))
    return PlainBuffers(grads, (params, grads, trainable))
