"""`ELU`: the exponential linear unit."""

import torch.nn.functional as F

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class ELU(Layer):
    """Applies an Exponential Linear Unit function to an output.

    `f(x) = alpha * (exp(x) - 1)` for `x < 0`, `x` otherwise.

    Args:
        alpha: float, the scale of the negative section (default 1.0).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.ELU()(tf.constant([0.0, 1.0])).numpy()
    array([0., 1.], dtype=float32)
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True

    def call(self, inputs):
        return F.elu(inputs, self.alpha)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
