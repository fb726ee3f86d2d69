"""`GlobalAveragePooling3D`: the average over every spatial dim of 3-D data."""

from capas.keras.layers.pooling._base_global_pooling import BaseGlobalPooling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "GlobalAvgPool3D")
class GlobalAveragePooling3D(BaseGlobalPooling):
    """Global average pooling for 3D data.

    Args:
        data_format: 'channels_last' (default) or 'channels_first'.
        keepdims: keep the reduced spatial dims with length 1.

    Input shape:
        5D tensor `(batch, dim1, dim2, dim3, channels)` (channels_last) or
        `(batch, channels, dim1, dim2, dim3)` (channels_first).

    Output shape:
        `(batch, channels)`, or with `keepdims=True` `(batch, 1, ..., 1, channels)`
        (channels_last) / `(batch, channels, 1, ..., 1)` (channels_first).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.GlobalAveragePooling3D()(tf.ones((2, 4, 4, 4, 3))).shape
    torch.Size([2, 3])
    """

    rank = 3
    mode = "average"
