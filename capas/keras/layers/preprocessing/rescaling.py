"""`Rescaling`: `inputs * scale + offset`, in the layer's compute dtype."""

import torch

from capas.keras.layers.layer import Layer
from capas.ops._convert import as_torch_dtype
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Rescaling(Layer):
    """A preprocessing layer which rescales input values to a new range.

    Computes `cast(inputs) * scale + offset` (in training and inference).

    Args:
        scale: float, or a list of floats (one per channel).
        offset: float, or a list of floats (one per channel).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Rescaling(1 / 127.5, offset=-1)(tf.constant([0, 255])).tolist()
    [-1.0, 1.0]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def _inference_fn(self):
        """`call`: `inputs * scale + offset` (`Layer._inference_fn`)."""
        return self._own_call_fn(Rescaling)

    def call(self, inputs):
        dtype = as_torch_dtype(self.compute_dtype) or torch.float32
        scale = torch.as_tensor(self.scale, dtype=dtype, device=inputs.device)
        offset = torch.as_tensor(self.offset, dtype=dtype, device=inputs.device)
        return inputs.to(dtype) * scale + offset

    def get_config(self):
        config = super().get_config()
        config.update({"scale": self.scale, "offset": self.offset})
        return config
