"""`RandomPosterization`: keeps only the top `bits` bits of each 8-bit colour value (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import (
    _AugmentLayer,
    checked_value_range,
    keras_factor,
    krandom,
    per_image,
    seed_generator,
    to_range,
)
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomPosterization(_AugmentLayer):
    """A preprocessing layer which randomly posterizes images during training.

    Values are mapped from `value_range` to [0, 255], truncated to 8-bit
    integers, and each image keeps its `bits` most significant bits, with
    `bits` drawn per image as an integer in `[lower, upper)` (`factor=f`
    gives `[1, f)`; a pair with equal ends fixes it). Identity at inference.

    Args:
        factor: a number in [1, 8] or a pair `(lower, upper)`.
        value_range: the `(min, max)` range of the images (default (0, 255)).
        data_format: 'channels_last' (default) or 'channels_first'.
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out = layers.RandomPosterization(factor=(2, 2))(tf.constant([[[37.0, 130.0, 255.0]]]))
    >>> [float(v) for v in tf.reshape(out, [-1])]
    [0.0, 128.0, 192.0]
    """

    _MAX_BITS = 8

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor, bounds=(1, 8))
        self.value_range = checked_value_range(self, value_range)
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        n = data.shape[0] if data.dim() == 4 else 1
        low, high = self.factor
        if low != high:
            gen = seed_generator(self, seed)
            bits = krandom().randint((n,), int(low), int(high), dtype="uint8", seed=gen).to(data.device)
        else:
            bits = torch.full((n,), int(low), dtype=torch.uint8, device=data.device)
        return {"shift_factor": self._MAX_BITS - bits}

    def _transform(self, images, transformation):
        shift = per_image(transformation["shift_factor"], images).to(torch.uint8)
        dtype = images.dtype
        values = to_range(images, self.value_range, (0, 255)).to(torch.uint8)
        values = torch.bitwise_left_shift(torch.bitwise_right_shift(values, shift), shift)
        return to_range(values.to(dtype), (0, 255), self.value_range)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
