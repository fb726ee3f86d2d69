"""`UnitNormalization`: scale each example to unit L2 norm along `axis`."""

import torch

from capas.keras.layers.layer import Layer
from capas.keras.layers.normalization._norm_utils import output_dtype, to_float32
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class UnitNormalization(Layer):
    """Unit normalization layer: `x / max(||x||_2, 1e-12)` along `axis`.

    Args:
        axis: int or list of ints, the axes to normalize along (default -1).

    Input shape:
        Arbitrary. Output shape: the input shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.UnitNormalization()(tf.constant([[3.0, 4.0]])).numpy()
    array([[0.6, 0.8]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(
                f"UnitNormalization '{self.name}': `axis` must be an int or a list of ints, received {axis!r}."
            )
        self.supports_masking = True

    def call(self, inputs):
        x = to_float32(inputs)
        dims = self.axis if isinstance(self.axis, list) else [self.axis]
        inv_norm = torch.rsqrt(x.square().sum(dim=dims, keepdim=True)).clamp(max=1e12)
        y = x * inv_norm
        dtype = output_dtype(self, inputs)
        return y.to(dtype) if y.dtype != dtype else y

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
