"""`AdaptiveAveragePooling3D`: average pooling of 3-D data to a fixed output size."""

from capas.keras.layers.pooling._base_adaptive_pooling import BaseAdaptivePooling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Adaptive average pooling for 3D data: each output position averages its window.

    The windows adapt to the input: along an axis of length `L` pooled to
    `n`, output `i` covers inputs `floor(i * L / n)` to `ceil((i + 1) * L / n)`.

    Args:
        output_size: an integer, or a tuple of 3 integers (the output's spatial size).
        data_format: 'channels_last' (default, from `keras.config.image_data_format()`)
            or 'channels_first'.

    Input shape:
        5D tensor `(batch, depth, height, width, channels)` (channels_last) or `(batch, channels, depth, height, width)` (channels_first).

    Output shape:
        The same with the spatial dims replaced by `output_size`.

    Example:

    >>> from capas import keras
    >>> from capas.keras import layers
    >>> tuple(layers.AdaptiveAveragePooling3D(4)(keras.ops.ones((1, 8, 16, 16, 3))).shape)
    (1, 4, 4, 4, 3)
    """

    rank = 3
    mode = "average"
