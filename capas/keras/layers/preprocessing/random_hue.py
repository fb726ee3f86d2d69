"""`RandomHue`: rotates each image's hue by a random amount (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import (
    _AugmentLayer,
    channel_axis,
    hsv_to_rgb,
    keras_factor,
    per_image,
    rgb_to_hsv,
    to_range,
    uniform,
)
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomHue(_AugmentLayer):
    """A preprocessing layer which randomly adjusts the hue of RGB images during training.

    Each image's hue (in [0, 1)) is shifted by `±u / 2`, with `u` drawn per
    image from `[lower, upper]` (`factor=f` gives `[0, f]`) and the sign a
    coin flip; values are mapped from `value_range` to [0, 1] and back.
    Identity at inference.

    Args:
        factor: a float in [0, 1] or a pair `(lower, upper)`; 1.0 may rotate hues by half a turn.
        value_range: the `(min, max)` range of the images (default (0, 255)).
        data_format: 'channels_last' (default) or 'channels_first'.
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomHue(0.5, value_range=(0, 1), seed=1)(tf.random.uniform((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        self.value_range = value_range
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        n = data.shape[0] if data.dim() == 4 else 1
        invert = torch.where(uniform(self, (n,), 0.0, 1.0, data.device, seed=seed) > 0.5, -1.0, 1.0)
        factor = uniform(self, (n,), self.factor[0], self.factor[1], data.device, seed=seed)
        return {"factor": invert * factor * 0.5}

    def _transform(self, images, transformation):
        images = to_range(images, self.value_range, (0, 1))
        shift = per_image(transformation["factor"], images).to(images.dtype).squeeze(-1)
        hsv = rgb_to_hsv(images, self.data_format)
        hue, saturation, value = hsv.unbind(dim=channel_axis(self.data_format))
        hue = hue + shift
        hue = torch.where(hue > 1.0, hue - 1.0, hue)
        hue = torch.where(hue < 0.0, hue + 1.0, hue)
        hsv = torch.stack([hue, saturation, value], dim=channel_axis(self.data_format))
        rgb = hsv_to_rgb(hsv, self.data_format).clamp(0, 1)
        return to_range(rgb, (0, 1), self.value_range)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
