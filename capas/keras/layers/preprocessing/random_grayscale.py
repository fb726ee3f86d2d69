"""`RandomGrayscale`: turns each image to grayscale with probability `factor` (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import _AugmentLayer, channel_axis, per_image, rgb_to_grayscale, uniform
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomGrayscale(_AugmentLayer):
    """A preprocessing layer which randomly converts images to grayscale during training.

    A converted image keeps its channel count: its luma
    `0.2989 r + 0.587 g + 0.114 b` is repeated over the three channels.
    Identity at inference.

    Args:
        factor: the probability, in [0, 1], that an image is converted (default 0.5).
        data_format: 'channels_last' (default) or 'channels_first'.
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out = layers.RandomGrayscale(factor=1.0)(tf.constant([[[255.0, 0.0, 0.0]]]))
    >>> [round(float(v), 3) for v in tf.reshape(out, [-1])]
    [76.22, 76.22, 76.22]
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise ValueError(
                f"RandomGrayscale '{self.name}': `factor` is the probability of converting an image and must "
                f"be a number in [0, 1]; received factor={factor!r}."
            )
        self.factor = factor
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        n = data.shape[0] if data.dim() == 4 else 1
        return (uniform(self, (n,), 0.0, 1.0, data.device, seed=seed) < self.factor).reshape(n, 1, 1, 1)

    def _transform(self, images, transformation):
        axis = channel_axis(self.data_format)
        if images.shape[axis] not in (1, 3):
            raise ValueError(
                f"RandomGrayscale '{self.name}' expects RGB (3-channel) or grayscale (1-channel) images; "
                f"received shape {tuple(images.shape)} with data_format={self.data_format!r}."
            )
        apply = per_image(transformation, images).to(torch.bool)
        return torch.where(apply, rgb_to_grayscale(images, self.data_format), images)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "seed": self.seed})
        return config
