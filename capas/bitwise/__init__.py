"""`tf.bitwise`: bit operations on integer tensors (torch's bitwise ops, TF's names).

>>> import capas as tf
>>> tf.bitwise.bitwise_and(tf.constant([12]), tf.constant([10])).numpy()
array([8], dtype=int32)
"""

import torch

from capas.ops import _missing
from capas.ops._recording import op
from capas.ops._utils import pair, to_tensor


@op
def bitwise_and(x, y, name=None):
    """`x & y` element-wise."""
    return torch.bitwise_and(*pair(x, y))


@op
def bitwise_or(x, y, name=None):
    """`x | y` element-wise."""
    return torch.bitwise_or(*pair(x, y))


@op
def bitwise_xor(x, y, name=None):
    """`x ^ y` element-wise."""
    return torch.bitwise_xor(*pair(x, y))


@op
def invert(x, name=None):
    """`~x` element-wise (all bits flipped)."""
    return torch.bitwise_not(to_tensor(x))


@op
def left_shift(x, y, name=None):
    """`x << y` element-wise."""
    return torch.bitwise_left_shift(*pair(x, y))


@op
def right_shift(x, y, name=None):
    """`x >> y` element-wise (arithmetic for signed types)."""
    return torch.bitwise_right_shift(*pair(x, y))


__getattr__ = _missing.make_getattr(__name__, "tf.bitwise")
