"""`Softmax`: the softmax over `axis`, with masked positions left out."""

import torch

from capas.keras import activations
from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Softmax(Layer):
    """Softmax activation layer.

    `exp(x) / sum(exp(x), axis)`. With a mask (True or > 0.5: keep), masked
    positions get probability 0 and are left out of the normalization, as in
    Keras (an entirely masked row gives zeros).

    Args:
        axis: int or tuple of ints, the axis (axes) to normalize over.

    Call arguments:
        inputs: the logits.
        mask: optional mask broadcastable to `inputs`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Softmax()(tf.constant([[1.0, 1.0, 5.0]]), mask=tf.constant([[True, True, False]])).numpy()
    array([[0.5, 0.5, 0. ]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return activations.softmax(inputs, axis=self.axis)
        if mask.dim() > inputs.dim() or any(m != 1 and m != i for m, i in zip(mask.shape[::-1], inputs.shape[::-1])):
            raise ValueError(
                f"Softmax '{self.name}': the mask must be broadcastable to the inputs (each mask dim 1 or equal "
                f"to the input's); received inputs.shape={tuple(inputs.shape)}, mask.shape={tuple(mask.shape)}."
            )
        if mask.dtype != torch.bool:
            mask = mask > 0.5
        large_negative = -3e4 if inputs.dtype == torch.float16 else -1e9
        outputs = activations.softmax(torch.where(mask, inputs, large_negative), axis=self.axis)
        return torch.where(mask, outputs, 0.0)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
