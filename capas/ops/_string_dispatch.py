"""Shape and gather ops on `tf.string` tensors (StringTensor, capas/ops/strings.py).

torch ops refuse a StringTensor, so `op` (capas/ops/_recording.py) hands a
refused call here. Ops that only move elements (reshape, expand_dims,
concat, gather, ...) run on int64 tensors of positions into the strings, and
the positions they return pick the strings: one generic path, same shapes
and errors as the numeric op.
"""

import numpy as np
import torch

from capas.ops.strings import StringTensor, as_string_tensor, is_string_value

# Ops whose result elements are copies of input elements (no arithmetic).
_MOVEMENT = frozenset(
    {
        "reshape",
        "expand_dims",
        "squeeze",
        "transpose",
        "broadcast_to",
        "concat",
        "stack",
        "unstack",
        "split",
        "tile",
        "repeat",
        "reverse",
        "roll",
        "slice",
        "gather",
        "gather_nd",
        "boolean_mask",
        "identity",
        "stop_gradient",
    }
)


def _has_string(value):
    if isinstance(value, StringTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_string(v) for v in value)
    return False


def dispatch(fn, args, kwargs):
    """The result of movement op `fn` on string arguments, or NotImplemented."""
    if fn.__name__ not in _MOVEMENT or not args:
        return NotImplemented
    head = args[0]
    if isinstance(head, (list, tuple)) and _has_string(head):  # concat / stack: a list of tensors
        head = [v if isinstance(v, (StringTensor, torch.Tensor)) else as_string_tensor(v) for v in head]
    elif is_string_value(head):
        head = as_string_tensor(head)
    else:
        return NotImplemented
    pool = []

    def to_positions(value):
        if isinstance(value, StringTensor):
            start = sum(a.size for a in pool)
            pool.append(value._array)
            return torch.arange(start, start + value._array.size, dtype=torch.int64).reshape(value._array.shape)
        if isinstance(value, (list, tuple)):
            return type(value)(to_positions(v) for v in value)
        return value

    first = to_positions(head)
    flat = np.concatenate([a.reshape(-1) for a in pool]) if pool else np.empty((0,), dtype=object)

    def to_strings(value):
        if isinstance(value, torch.Tensor):
            return StringTensor._wrap(np.asarray(flat[value.numpy()], dtype=object).reshape(tuple(value.shape)))
        if isinstance(value, (list, tuple)):
            return type(value)(to_strings(v) for v in value)
        return value

    return to_strings(fn(first, *args[1:], **kwargs))
