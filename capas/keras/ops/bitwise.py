"""keras.ops' bitwise ops on integer (and boolean) tensors."""

import torch

from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import pair as _pair
from capas.keras.ops._dispatch import tensor as _t


@keras_op
def bitwise_and(x, y):
    """`x & y`, element-wise.

    Example:

    >>> from capas import keras
    >>> keras.ops.bitwise_and([12, 10], [10, 6]).tolist()
    [8, 2]
    """
    return torch.bitwise_and(*_pair(x, y))


@keras_op
def bitwise_or(x, y):
    """`x | y`, element-wise."""
    return torch.bitwise_or(*_pair(x, y))


@keras_op
def bitwise_xor(x, y):
    """`x ^ y`, element-wise."""
    return torch.bitwise_xor(*_pair(x, y))


@keras_op
def bitwise_invert(x):
    """`~x`, element-wise."""
    return torch.bitwise_not(_t(x))


bitwise_not = bitwise_invert


@keras_op
def bitwise_left_shift(x, y):
    """`x << y`, element-wise."""
    return torch.bitwise_left_shift(*_pair(x, y))


left_shift = bitwise_left_shift


@keras_op
def bitwise_right_shift(x, y):
    """`x >> y`, element-wise."""
    return torch.bitwise_right_shift(*_pair(x, y))


right_shift = bitwise_right_shift
