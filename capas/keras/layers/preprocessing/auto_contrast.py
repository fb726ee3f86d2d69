"""`AutoContrast`: stretches each image channel to the full value range (always applied)."""

import torch

from capas.keras.layers.preprocessing._augment import _AugmentLayer, checked_value_range, to_range
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class AutoContrast(_AugmentLayer):
    """A preprocessing layer that maps each image channel's `[min, max]` onto the whole value range.

    Per image and channel, values are mapped so that the darkest becomes
    `value_range[0]` and the brightest `value_range[1]`; a constant channel
    is left as it is. Deterministic, and applied at inference too (as in Keras).

    Args:
        value_range: the `(min, max)` range of the images (default (0, 255)).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out = layers.AutoContrast(value_range=(0, 1))(tf.constant([[[0.2], [0.4], [0.6]]]))
    >>> [round(float(v), 4) for v in tf.reshape(out, [-1])]
    [0.0, 0.5, 1.0]
    """

    _APPLY_AT_INFERENCE = True

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = checked_value_range(self, value_range)

    def _transform(self, images, transformation):
        original = images
        x = to_range(images, self.value_range, (0, 255))
        axes = (1, 2) if self.data_format == "channels_last" else (2, 3)
        low = x.amin(dim=axes, keepdim=True)
        high = x.amax(dim=axes, keepdim=True)
        scale = 255.0 / (high - low)
        out = (x * scale - low * scale).clamp(0.0, 255.0)
        out = to_range(out, (0, 255), self.value_range)
        return torch.where(torch.isnan(out), original, out)

    def get_config(self):
        config = super().get_config()
        config["value_range"] = self.value_range
        return config
