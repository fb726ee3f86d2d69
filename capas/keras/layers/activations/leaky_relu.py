"""`LeakyReLU`: `x` for positive inputs, `negative_slope * x` otherwise."""

import torch.nn.functional as F

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class LeakyReLU(Layer):
    """Leaky version of a Rectified Linear Unit activation layer.

    `f(x) = negative_slope * x` if `x < 0`, `x` otherwise.

    Args:
        negative_slope: float >= 0, the slope below zero (default 0.3).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.LeakyReLU()(tf.constant([-10.0, 2.0])).numpy()
    array([-3.,  2.], dtype=float32)
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")  # tf.keras 2's name
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                f"LeakyReLU '{self.name}': `negative_slope` must be a number >= 0, received {negative_slope!r}."
            )
        self.negative_slope = negative_slope
        self.supports_masking = True

    def call(self, inputs):
        return F.leaky_relu(inputs, self.negative_slope)

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
