"""`AveragePooling2D`: average pooling over 2-D windows."""

from capas.keras.layers.pooling._base_pooling import BasePooling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "AvgPool2D")
class AveragePooling2D(BasePooling):
    """Average pooling for 2D data.

    Takes the average of each `pool_size` window, moving by `strides`.

    With 'same' padding, each window's average counts only the real values, as
    TensorFlow does (the padding is excluded from the divisor).

    Differs from Keras: `pool_size` defaults to tf.keras 2's value, as in
    `MaxPooling`; Keras 3 requires it.

    Args:
        pool_size: int or tuple of 2 ints, the window size.
        strides: int or tuple of 2 ints; default `pool_size`.
        padding: 'valid' (no padding) or 'same' (output `ceil(in / strides)`, the
            extra padded pixel at the end).
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        4D tensor `(batch, rows, cols, channels)` (channels_last) or
        `(batch, channels, rows, cols)` (channels_first).

    Output shape:
        4D tensor with the pooled spatial dims.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.AveragePooling2D()(tf.ones((2, 6, 6, 3))).shape
    torch.Size([2, 3, 3, 3])
    """

    rank = 2
    mode = "average"

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides=strides, padding=padding, data_format=data_format, name=name, **kwargs)
