"""`GlobalMaxPooling1D`: the maximum over every spatial dim of 1-D data."""

from capas.keras.layers.pooling._base_global_pooling import BaseGlobalPooling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "GlobalMaxPool1D")
class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global maximum pooling for 1D data.

    Args:
        data_format: 'channels_last' (default) or 'channels_first'.
        keepdims: keep the reduced spatial dims with length 1.

    Input shape:
        3D tensor `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        `(batch, channels)`, or with `keepdims=True` `(batch, 1, ..., 1, channels)`
        (channels_last) / `(batch, channels, 1, ..., 1)` (channels_first).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.GlobalMaxPooling1D()(tf.ones((2, 6, 3))).shape
    torch.Size([2, 3])
    """

    rank = 1
    mode = "max"
