"""`Masking`: skip timesteps whose features all equal `mask_value`."""

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Masking(Layer):
    """Masks a sequence by using a mask value to skip timesteps.

    For each timestep of a `(batch, timesteps, features)` input, if every
    feature equals `mask_value`, the timestep is masked (skipped) in all
    downstream layers that support masking, and its output is zeroed.

    Args:
        mask_value: the value that marks a padded timestep (default 0.0).

    Call arguments:
        inputs: a tensor of rank >= 2.

    Returns:
        `inputs` with masked timesteps zeroed, carrying the boolean mask
        `(batch, timesteps)` as `_keras_mask`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> y = layers.Masking()(tf.constant([[[1.0], [0.0]]]))
    >>> y._keras_mask.numpy()
    array([[ True, False]])
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return (inputs != self.mask_value).any(dim=-1)

    def call(self, inputs):
        keep = (inputs != self.mask_value).any(dim=-1, keepdim=True)
        return inputs * keep.to(inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
