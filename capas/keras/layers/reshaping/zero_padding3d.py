"""`ZeroPadding3D`: pad the 3 spatial dim(s) of the input with zeros."""

from capas.keras.layers.reshaping._base_zero_padding import BaseZeroPadding
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class ZeroPadding3D(BaseZeroPadding):
    """Zero-padding layer for 3D input.

    Adds `padding` rows of zeros at the start and end of each spatial dim.

    Args:
        padding: an int (the same on both sides of every dim), a tuple of 3 ints
            (symmetric per dim), or 3 pairs `((before, after), ...)`.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.ZeroPadding3D()(tf.ones((2, 4, 4, 4, 3))).shape
    torch.Size([2, 6, 6, 6, 3])
    """

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)
