"""`AdaptiveMaxPooling1D`: max pooling of 1-D data to a fixed output size."""

from capas.keras.layers.pooling._base_adaptive_pooling import BaseAdaptivePooling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Adaptive max pooling for 1D data: each output position takes the max of its window.

    The windows adapt to the input: along an axis of length `L` pooled to
    `n`, output `i` covers inputs `floor(i * L / n)` to `ceil((i + 1) * L / n)`.

    Args:
        output_size: an integer, or a tuple of 1 integers (the output's spatial size).
        data_format: 'channels_last' (default, from `keras.config.image_data_format()`)
            or 'channels_first'.

    Input shape:
        3D tensor `(batch, steps, channels)` (channels_last) or `(batch, channels, steps)` (channels_first).

    Output shape:
        The same with the spatial dims replaced by `output_size`.

    Example:

    >>> from capas import keras
    >>> from capas.keras import layers
    >>> tuple(layers.AdaptiveMaxPooling1D(32)(keras.ops.ones((1, 64, 3))).shape)
    (1, 32, 3)
    """

    rank = 1
    mode = "max"
