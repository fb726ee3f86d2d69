"""`RandomSaturation`: scales each image's HSV saturation by a random factor (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import (
    _AugmentLayer,
    channel_axis,
    checked_value_range,
    hsv_to_rgb,
    keras_factor,
    per_image,
    rgb_to_hsv,
    uniform,
)
from capas.keras.saving.object_registration import register_builtin

_EPSILON = 1e-7


@register_builtin("layers")
class RandomSaturation(_AugmentLayer):
    """A preprocessing layer which randomly adjusts the saturation of RGB images during training.

    For `u` drawn per image from `[lower, upper]` (`factor=f` gives
    `[-f, f]`), the saturation is multiplied by `u / (1 - u)` and clipped to
    `value_range` (Keras 3's rule: `factor=(1, 1)` makes images fully
    saturated, `factor=(0, 0)` grayscale). Identity at inference.

    Args:
        factor: a float in [-1, 1] or a pair `(lower, upper)`.
        value_range: the `(min, max)` range of the images (default (0, 255)).
        data_format: 'channels_last' (default) or 'channels_first'.
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out = layers.RandomSaturation((0.0, 0.0))(tf.constant([[[200.0, 100.0, 50.0]]]))
    >>> [float(v) for v in tf.reshape(out, [-1])]
    [200.0, 200.0, 200.0]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor)
        self.value_range = checked_value_range(self, value_range)
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        n = data.shape[0] if data.dim() == 4 else 1
        u = uniform(self, (n,), self.factor[0], self.factor[1], data.device, seed=seed)
        return {"factor": u / (1 - u + _EPSILON)}

    def _transform(self, images, transformation):
        axis = channel_axis(self.data_format)
        scale = per_image(transformation["factor"], images).to(images.dtype).squeeze(-1)
        hue, saturation, value = rgb_to_hsv(images, self.data_format).unbind(dim=axis)
        saturation = (saturation * scale).clamp(self.value_range[0], self.value_range[1])
        return hsv_to_rgb(torch.stack([hue, saturation, value], dim=axis), self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
