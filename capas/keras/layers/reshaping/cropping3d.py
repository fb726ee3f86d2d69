"""`Cropping3D`: crop the 3 spatial dim(s) of the input."""

from capas.keras.layers.reshaping._base_cropping import BaseCropping
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Cropping3D(BaseCropping):
    """Cropping layer for 3D input.

    Removes `cropping` entries from the start and end of each spatial dim; the
    result is a view of the input (no copy).

    Args:
        cropping: an int (the same on both sides of every dim), a tuple of 3 ints
            (symmetric per dim), or 3 pairs `((before, after), ...)`.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Cropping3D(1)(tf.ones((2, 4, 4, 4, 3))).shape
    torch.Size([2, 2, 2, 2, 3])
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)
