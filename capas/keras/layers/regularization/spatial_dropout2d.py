"""`SpatialDropout2D`: dropout of entire 2-D feature maps."""

from capas.keras.layers.regularization._base_spatial_dropout import BaseSpatialDropout
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class SpatialDropout2D(BaseSpatialDropout):
    """Spatial 2D version of Dropout.

    Drops entire channels instead of single elements: when adjacent values
    are strongly correlated (as in early convolution layers), element-wise
    dropout barely regularizes, while dropping whole feature maps does. The
    kept channels are scaled by `1 / (1 - rate)`; active only with
    `training=True`.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        seed: accepted; use `tf.random.set_seed` for reproducibility.
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        4D tensor `(batch, rows, cols, channels)` (channels_last).
        Output shape: the input shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.SpatialDropout2D(0.5)(tf.ones((2, 4, 4, 3)), training=False).shape
    torch.Size([2, 4, 4, 3])
    """

    rank = 2
