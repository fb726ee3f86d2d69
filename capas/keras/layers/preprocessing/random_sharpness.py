"""`RandomSharpness`: blends each image with a smoothed copy by a random amount (training only)."""

import torch
import torch.nn.functional as F

from capas.keras.layers.preprocessing._augment import (
    _AugmentLayer,
    checked_value_range,
    keras_factor,
    per_image,
    uniform,
)
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomSharpness(_AugmentLayer):
    """A preprocessing layer which randomly adjusts the sharpness of images during training.

    The smoothed image is a 3x3 depthwise convolution (weights 1/13 around
    5/13, zero padding at the border); with `u` drawn per image from
    `[lower, upper]` (`factor=f` gives `[0, f]`), the output is
    `x + (1 - 2u) * (smoothed - x)` clipped to `value_range`: `u = 0`
    smooths, `u = 0.5` keeps, `u = 1` sharpens. Identity at inference.

    Args:
        factor: a float in [0, 1] or a pair `(lower, upper)`.
        value_range: the `(min, max)` range of the images (default (0, 255)).
        data_format: 'channels_last' (default) or 'channels_first'.
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomSharpness(0.5, seed=1)(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        self.value_range = checked_value_range(self, value_range)
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        n = data.shape[0] if data.dim() == 4 else 1
        return {"factor": uniform(self, (n,), self.factor[0], self.factor[1], data.device, seed=seed)}

    def _transform(self, images, transformation):
        x = images.permute(0, 3, 1, 2) if self.data_format == "channels_last" else images
        channels = x.shape[1]
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = torch.tensor([[a, a, a], [a, b, a], [a, a, a]], dtype=x.dtype, device=x.device)
        smoothed = F.conv2d(x, kernel.expand(channels, 1, 3, 3), padding=1, groups=channels)
        sharpness = per_image(transformation["factor"], x).to(x.dtype) * 2
        out = (x + (1.0 - sharpness) * (smoothed - x)).clamp(self.value_range[0], self.value_range[1])
        return out.permute(0, 2, 3, 1) if self.data_format == "channels_last" else out

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
