"""`UpSampling2D`: repeat the 2 spatial dim(s) of the input."""

from capas.keras.layers.reshaping._base_up_sampling import BaseUpSampling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class UpSampling2D(BaseUpSampling):
    """Upsampling layer for 2D inputs.

    Repeats each step (row, column...) `size` times along its dim.

    Args:
        size: int or tuple of 2 ints, the upsampling factors for rows and columns.
        data_format: 'channels_last' (default) or 'channels_first'.
        interpolation: 'nearest' (repeat), 'bilinear' or 'bicubic' (half-pixel
            centers; torch's kernels, as Keras's torch backend computes them).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.UpSampling2D()(tf.ones((2, 6, 6, 3))).shape
    torch.Size([2, 12, 12, 3])
    """

    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format=data_format, interpolation=interpolation, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format, "interpolation": self.interpolation})
        return config
