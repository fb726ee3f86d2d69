"""`ZeroPadding1D`: pad the 1 spatial dim(s) of the input with zeros."""

from capas.keras.layers.reshaping._base_zero_padding import BaseZeroPadding
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class ZeroPadding1D(BaseZeroPadding):
    """Zero-padding layer for 1D input.

    Adds `padding` rows of zeros at the start and end of each spatial dim.

    Args:
        padding: an int (the same on both sides), a pair `(before, after)`.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.ZeroPadding1D()(tf.ones((2, 6, 3))).shape
    torch.Size([2, 8, 3])
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding[0]
        return config
