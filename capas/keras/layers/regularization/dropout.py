"""`Dropout`: randomly zeroes inputs during training, scaling the rest by 1/(1-rate)."""

import torch.nn.functional as F

from capas.keras.layers.layer import Layer, inference_identity
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Dropout(Layer):
    """Applies dropout to the input (active only when `training=True`).

    Args:
        rate: float in [0, 1), the fraction of inputs to drop.
        noise_shape: 1-D shape of the binary mask (dims of size 1 are shared).
        seed: accepted; use torch.manual_seed / tf.random.set_seed for reproducibility.

    Call arguments:
        inputs: a tensor of any rank.
        training: drop only when True (fit sets it; evaluate/predict do not).
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"Dropout '{self.name}': `rate` must be in [0, 1], received {rate}.")
        self.rate = float(rate)
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.noise_shape is None:
            return F.dropout(inputs, self.rate, True)
        shape = tuple(inputs.shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        keep = (inputs.new_empty(shape).uniform_() >= self.rate).to(inputs.dtype)
        return inputs * keep / (1.0 - self.rate)

    def _inference_fn(self):
        """The input itself: no dropout outside training (`Layer._inference_fn`)."""
        return inference_identity if self._calls_plainly(Dropout) else None

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config
