"""`GlobalAveragePooling2D`: the average over every spatial dim of 2-D data."""

from capas.keras.layers.pooling._base_global_pooling import BaseGlobalPooling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "GlobalAvgPool2D")
class GlobalAveragePooling2D(BaseGlobalPooling):
    """Global average pooling for 2D data.

    Args:
        data_format: 'channels_last' (default) or 'channels_first'.
        keepdims: keep the reduced spatial dims with length 1.

    Input shape:
        4D tensor `(batch, rows, cols, channels)` (channels_last) or
        `(batch, channels, rows, cols)` (channels_first).

    Output shape:
        `(batch, channels)`, or with `keepdims=True` `(batch, 1, ..., 1, channels)`
        (channels_last) / `(batch, channels, 1, ..., 1)` (channels_first).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.GlobalAveragePooling2D()(tf.ones((2, 6, 6, 3))).shape
    torch.Size([2, 3])
    """

    rank = 2
    mode = "average"
