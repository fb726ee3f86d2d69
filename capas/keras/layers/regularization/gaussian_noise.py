"""`GaussianNoise`: additive zero-centered Gaussian noise during training."""

import torch

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class GaussianNoise(Layer):
    """Apply additive zero-centered Gaussian noise (active only when training).

    A regularization layer (and a form of data augmentation for real-valued
    inputs): `x + N(0, stddev^2)` with `training=True`, `x` otherwise.

    Args:
        stddev: float >= 0, the standard deviation of the noise.
        seed: accepted; use `tf.random.set_seed` for reproducibility.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.GaussianNoise(0.1)(tf.ones((2, 3))).numpy().tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError(f"GaussianNoise '{self.name}': `stddev` must be in [0, 1], received stddev={stddev}.")
        self.stddev = stddev
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        return inputs + torch.randn_like(inputs) * self.stddev

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
