"""A network's parameters and gradients as views of one flat vector each.

Training on small batches costs numpy calls more than arithmetic, so the hot path
(``Network.epoch_trainer``) writes every step's gradients in place into one vector and, when
every parameter is trainable, the optimizer updates them all in one go (``step_flat``) on the
vectors the weights, biases and its own state are views of. Every update rule is element by
element, so the numbers are the same as per array.
"""

from typing import NamedTuple

import numpy as np


class PlainBuffers(NamedTuple):
    """The hot path's gradients, written in place every step (no arrays allocated per step)."""
    grads: list            # views of one flat vector, one per array of ``parameters()``
    flat: tuple | None     # (params, gradient, [state]) vectors for ``step_flat``, or None


def views(flat, arrays):
    """Views of ``flat`` shaped like ``arrays``, one after another."""
    out, offset = [], 0
    for a in arrays:
        out.append(flat[offset:offset + a.size].reshape(a.shape))
        offset += a.size
    return out


def _still_packed(arrays, packed):
    """Whether ``arrays`` are the views ``packed`` = (vector, views) made. A replaced array
    is not, nor a deep copy's (it copies the views into arrays of their own)."""
    if packed is None or len(arrays) != len(packed[1]):
        return False
    flat, made = packed
    return all(a is v and a.base is flat for a, v in zip(arrays, made))


def _pack(arrays):
    flat = np.concatenate([a.ravel() for a in arrays])
    return flat, views(flat, arrays)


def pack(net):
    """The network's weights and biases as views of one flat vector (same values; the arrays
    are replaced by views the first time, and again when they are no longer those views).
    Networks with batch norm keep their arrays: returns None."""
    if any(bn is not None for bn in net.batch_norms):
        return None
    if not _still_packed(net.parameters(), net.packed):
        net.packed = _pack(net.parameters())
        packed = net.packed[1]
        net.weights[:], net.biases[:] = packed[0::2], packed[1::2]
    return net.packed[0]


def pack_state(optimizer, params):
    """The optimizer's state as one flat vector per name (``state_names`` order), its
    per-parameter arrays replaced by views of it the same way."""
    optimizer.ensure_state(params)
    packed = optimizer.packed_state or {}
    for key in optimizer.state_names:
        if not _still_packed(optimizer.state[key], packed.get(key)):
            packed[key] = _pack(optimizer.state[key])
            optimizer.state[key] = list(packed[key][1])
    optimizer.packed_state = packed
    return [packed[key][0] for key in optimizer.state_names]


def plain_buffers(net, trainable):
    """The hot path's ``PlainBuffers`` for ``net`` (no batch norm), or None with batch norm."""
    flat = pack(net)
    if flat is None:
        return None
    params = net.parameters()
    flat_grad = np.empty_like(flat)
    grads = views(flat_grad, params)
    if not all(trainable):
        return PlainBuffers(grads, None)
    return PlainBuffers(grads, (flat, flat_grad, pack_state(net.optimizer, params)))
