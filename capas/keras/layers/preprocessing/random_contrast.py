"""`RandomContrast`: scales each image's deviation from its mean by a random factor (training only)."""

import torch

from capas.keras.layers.preprocessing._image_layer import _ImageLayer, batch_size
from capas.keras.layers.preprocessing._augment import uniform
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomContrast(_ImageLayer):
    """A preprocessing layer which randomly adjusts contrast during training.

    For each image and channel, `(x - mean) * factor + mean`, with the mean
    over height and width and `factor` drawn per image from
    `[1 - lower, 1 + upper]`, where `(lower, upper)` is `(0, f)` for a float
    `f` (Keras 3's rule); the result is clipped to `value_range`. Identity at
    inference.

    Args:
        factor: a float in [0, 1] or a pair `(lower, upper)`.
        value_range: the `(min, max)` range of the images (default (0, 255)).
        seed: seed of the random factors.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomContrast(0.5, seed=1)(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        message = (
            f"RandomContrast '{self.name}': `factor` must be a number or a pair of numbers in [0, 1]; "
            f"received factor={factor!r}."
        )
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > 1 or factor[1] < 0:
                raise ValueError(message)
            lower, upper = sorted(factor)
        elif isinstance(factor, (int, float)) and not isinstance(factor, bool):
            if factor < 0 or factor > 1:
                raise ValueError(message)
            lower, upper = max(-abs(factor), 0), abs(factor)
        else:
            raise ValueError(message)
        self.factor = (lower, upper)
        self.value_range = value_range
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = (batch_size(data), 1, 1, 1) if data.dim() == 4 else (1, 1, 1)
        return {
            "contrast_factor": uniform(self, shape, 1.0 - self.factor[0], 1.0 + self.factor[1], data.device, seed=seed)
        }

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        factor = torch.as_tensor(transformation["contrast_factor"], dtype=images.dtype, device=images.device)
        if images.dim() == 3:
            factor = factor.reshape(1, 1, 1)
        axes = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        mean = images.mean(dim=axes[0], keepdim=True).mean(dim=axes[1], keepdim=True)
        out = (images - mean) * factor + mean
        return out.clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
