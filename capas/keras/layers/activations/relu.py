"""`ReLU`: the rectified linear unit, with optional cap, slope and threshold."""

import torch.nn.functional as F

from capas.keras import activations
from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class ReLU(Layer):
    """Rectified Linear Unit activation function layer.

    `f(x) = max_value` if `x >= max_value`; `x` if `threshold <= x < max_value`;
    `negative_slope * (x - threshold)` otherwise. The defaults give
    `max(x, 0)`, computed by `torch.nn.functional.relu`.

    Args:
        max_value: float >= 0, the saturation value; None: no cap.
        negative_slope: float >= 0, the slope below the threshold.
        threshold: float >= 0, the threshold below which values are damped.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.ReLU(max_value=1.0)(tf.constant([-1.0, 0.5, 2.0])).numpy()
    array([0. , 0.5, 1. ], dtype=float32)
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"ReLU '{self.name}': `max_value` must be >= 0 or None, received max_value={max_value}.")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(f"ReLU '{self.name}': `negative_slope` must be >= 0, received {negative_slope!r}.")
        if threshold is None or threshold < 0.0:
            raise ValueError(f"ReLU '{self.name}': `threshold` must be >= 0, received {threshold!r}.")
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self._plain = max_value is None and negative_slope == 0 and threshold == 0

    def call(self, inputs):
        if self._plain:
            return F.relu(inputs)
        return activations.relu(
            inputs, negative_slope=self.negative_slope, max_value=self.max_value, threshold=self.threshold
        )

    def get_config(self):
        config = super().get_config()
        config.update({"max_value": self.max_value, "negative_slope": self.negative_slope, "threshold": self.threshold})
        return config
