"""`Cropping2D`: crop the 2 spatial dim(s) of the input."""

from capas.keras.layers.reshaping._base_cropping import BaseCropping
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Cropping2D(BaseCropping):
    """Cropping layer for 2D input.

    Removes `cropping` entries from the start and end of each spatial dim; the
    result is a view of the input (no copy).

    Args:
        cropping: an int (the same on both sides of every dim), a tuple of 2 ints
            (symmetric per dim), or 2 pairs `((before, after), ...)`.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Cropping2D(((0, 0), (0, 0)))(tf.ones((2, 6, 6, 3))).shape
    torch.Size([2, 6, 6, 3])
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)
