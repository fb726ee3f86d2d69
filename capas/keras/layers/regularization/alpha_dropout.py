"""`AlphaDropout`: dropout that keeps SELU's self-normalizing mean and variance."""

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


@register_builtin("layers")
class AlphaDropout(Layer):
    """Applies Alpha Dropout to the input (active only when training).

    Dropped values are set to SELU's negative saturation value `-alpha * scale`
    instead of 0, and an affine correction `a * x + b` keeps the mean and
    variance of the inputs, so it pairs with 'selu' activations and
    'lecun_normal' initialization.

    Args:
        rate: float in [0, 1), the drop probability.
        noise_shape: 1-D shape of the keep/drop draw (dims of size 1 are shared;
            None entries take the input's size).
        seed: accepted; use `tf.random.set_seed` for reproducibility.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.AlphaDropout(0.2)(tf.ones((1, 2))).numpy().tolist()
    [[1.0, 1.0]]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"AlphaDropout '{self.name}': `rate` must be in [0, 1], received rate={rate}.")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or not 0 < self.rate < 1:
            return inputs
        shape = (
            inputs.shape
            if self.noise_shape is None
            else tuple(inputs.shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        )
        alpha_p = -_ALPHA * _SCALE
        kept = (inputs.new_empty(shape).uniform_() >= self.rate).to(inputs.dtype)
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        x = inputs * kept + alpha_p * (1 - kept)
        return a * x + b

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
