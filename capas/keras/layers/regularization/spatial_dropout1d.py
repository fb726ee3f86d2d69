"""`SpatialDropout1D`: dropout of entire 1-D feature maps."""

from capas.keras.layers.regularization._base_spatial_dropout import BaseSpatialDropout
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class SpatialDropout1D(BaseSpatialDropout):
    """Spatial 1D version of Dropout.

    Drops entire channels instead of single elements: when adjacent values
    are strongly correlated (as in early convolution layers), element-wise
    dropout barely regularizes, while dropping whole feature maps does. The
    kept channels are scaled by `1 / (1 - rate)`; active only with
    `training=True`.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        seed: accepted; use `tf.random.set_seed` for reproducibility.

    Input shape:
        3D tensor `(batch, steps, channels)` (channels_last).
        Output shape: the input shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.SpatialDropout1D(0.5)(tf.ones((2, 4, 3)), training=False).shape
    torch.Size([2, 4, 3])
    """

    rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
