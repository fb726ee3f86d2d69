"""`ActivityRegularization`: adds an L1/L2 penalty on its input to the losses."""

from capas.keras import regularizers
from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class ActivityRegularization(Layer):
    """Layer that applies an update to the cost function based on input activity.

    Returns its input unchanged and adds `(l1 * sum(|x|) + l2 * sum(x^2)) /
    batch_size` to `losses` (Keras 3 normalizes activity penalties by the
    batch size).

    Args:
        l1: L1 regularization factor (positive float).
        l2: L2 regularization factor (positive float).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layer = layers.ActivityRegularization(l1=0.1)
    >>> _ = layer(tf.ones((2, 3)))
    >>> round(float(layer.losses[0]), 4)
    0.3
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2

    def call(self, inputs):
        return inputs

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        config.update({"l1": self.l1, "l2": self.l2})
        return config
