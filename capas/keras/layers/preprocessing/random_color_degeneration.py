"""`RandomColorDegeneration`: blends each image with its grayscale by a random amount (training only)."""

from capas.keras.layers.preprocessing._augment import (
    _AugmentLayer,
    checked_value_range,
    keras_factor,
    per_image,
    rgb_to_grayscale,
    uniform,
)
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomColorDegeneration(_AugmentLayer):
    """A preprocessing layer which randomly degenerates the colours of images during training.

    `x + u * (gray(x) - x)`, with `u` drawn per image from `[lower, upper]`
    (`factor=f` gives `[-f, f]`: negative values push colours away from gray),
    clipped to `value_range`. Identity at inference.

    Args:
        factor: a float in [-1, 1] or a pair `(lower, upper)`.
        value_range: the `(min, max)` range of the images (default (0, 255)).
        data_format: 'channels_last' (default) or 'channels_first'.
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomColorDegeneration(0.5, seed=1)(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor)
        self.value_range = checked_value_range(self, value_range)
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        n = data.shape[0] if data.dim() == 4 else 1
        return {"factor": uniform(self, (n, 1, 1, 1), self.factor[0], self.factor[1], data.device, seed=seed)}

    def _transform(self, images, transformation):
        factor = per_image(transformation["factor"], images).to(images.dtype)
        gray = rgb_to_grayscale(images, self.data_format)
        return (images + factor * (gray - images)).clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
