"""`RandomInvert`: replaces random images `x` by `max - x` (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import _AugmentLayer, keras_factor, per_image, uniform
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomInvert(_AugmentLayer):
    """A preprocessing layer which randomly inverts images during training.

    Each image is inverted to `value_range[1] - x` when a uniform draw falls
    below its inversion probability, itself drawn from `[lower, upper]`
    (`factor=f` gives `[0, f]`, so the default 1.0 inverts about half of
    the images; `factor=(1.0, 1.0)` inverts all). Identity at inference.

    Args:
        factor: a float in [0, 1] or a pair `(lower, upper)` (default 1.0).
        value_range: the `(min, max)` range of the images (default (0, 255)).
        seed: seed of the random draws.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out = layers.RandomInvert(factor=(1.0, 1.0))(tf.constant([[[0.0, 100.0, 255.0]]]))
    >>> [float(v) for v in tf.reshape(out, [-1])]
    [255.0, 155.0, 0.0]
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        self.value_range = value_range
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = data.shape[0] if data.dim() == 4 else 1
        probability = uniform(self, (n,), self.factor[0], self.factor[1], data.device, seed=seed)
        threshold = uniform(self, (n,), 0.0, 1.0, data.device, seed=seed)
        return {"apply_inversion": threshold < probability}

    def _transform(self, images, transformation):
        apply = per_image(transformation["apply_inversion"], images).to(torch.bool)
        return torch.where(apply, self.value_range[1] - images, images)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
