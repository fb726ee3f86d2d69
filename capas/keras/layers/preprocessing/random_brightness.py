"""`RandomBrightness`: adds a random per-image offset to every pixel (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import (
    _AugmentLayer,
    checked_value_range,
    keras_factor,
    per_image,
    uniform,
)
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomBrightness(_AugmentLayer):
    """A preprocessing layer which randomly adjusts brightness during training.

    Each image gets `delta * (max - min)` added, with `delta` drawn per image
    from `[lower, upper]` (`factor=f` gives `[-f, f]`) and `(min, max)` the
    `value_range`; the result is clipped to `value_range`. Identity at
    inference.

    Args:
        factor: a float in [-1, 1] or a pair `(lower, upper)`.
        value_range: the `(min, max)` range of the images (default (0, 255)).
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out = layers.RandomBrightness(0.2, seed=1)(tf.fill((2, 4, 4, 3), 100.0))
    >>> bool(tf.reduce_all((out >= 49.0) & (out <= 151.0)))
    True
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = keras_factor(self, factor)
        self.value_range = checked_value_range(self, value_range)
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        shape = (data.shape[0], 1, 1, 1) if data.dim() == 4 else (1, 1, 1)
        if not training:
            return {"rgb_delta": torch.zeros(shape, device=data.device)}
        delta = uniform(self, shape, self.factor[0], self.factor[1], data.device, seed=seed)
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def _transform(self, images, transformation):
        delta = per_image(transformation["rgb_delta"], images).to(images.dtype)
        return (images + delta).clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
