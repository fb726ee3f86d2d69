"""`GaussianDropout`: multiplicative 1-centered Gaussian noise during training."""

import math

import torch

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class GaussianDropout(Layer):
    """Apply multiplicative 1-centered Gaussian noise (active only when training).

    `x * N(1, rate / (1 - rate))`: the noise has the variance of dropout with
    the same `rate`, without zeroing anything.

    Args:
        rate: float in [0, 1), the drop probability it imitates.
        seed: accepted; use `tf.random.set_seed` for reproducibility.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.GaussianDropout(0.5)(tf.ones((1, 2))).numpy().tolist()
    [[1.0, 1.0]]
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"GaussianDropout '{self.name}': `rate` must be in [0, 1], received rate={rate}.")
        self.rate = rate
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or not 0 < self.rate < 1:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        return inputs * (1.0 + torch.randn_like(inputs) * stddev)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
