"""`UpSampling3D`: repeat the 3 spatial dim(s) of the input."""

from capas.keras.layers.reshaping._base_up_sampling import BaseUpSampling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class UpSampling3D(BaseUpSampling):
    """Upsampling layer for 3D inputs.

    Repeats each step (row, column...) `size` times along its dim.

    Args:
        size: int or tuple of 3 ints, the upsampling factors.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.UpSampling3D()(tf.ones((2, 4, 4, 4, 3))).shape
    torch.Size([2, 8, 8, 8, 3])
    """

    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format=data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
