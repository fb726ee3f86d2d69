"""`RMSNormalization`: scale by the reciprocal root mean square along `axis`, times a learned scale."""

import torch
import torch.nn.functional as F

from capas.keras.layers.layer import Layer
from capas.keras.layers.normalization._norm_utils import canonical_axes, cast_like, output_dtype, to_float32
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RMSNormalization(Layer):
    """Root mean square normalization: `x * rsqrt(mean(square(x), axis) + epsilon) * scale`.

    Args:
        axis: int or list of ints, the axes to normalize over (default -1);
            the learned `scale` has the shape of those axes.
        epsilon: small float added to the mean square (default 1e-6).

    Input shape:
        Arbitrary. Output shape: the input shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RMSNormalization()(tf.constant([[3.0, 4.0]])).numpy().round(4)
    array([[0.8485, 1.1314]], dtype=float32)
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if not (isinstance(axis, int) or (isinstance(axis, (list, tuple)) and all(isinstance(a, int) for a in axis))):
            raise TypeError(
                f"RMSNormalization '{self.name}': `axis` must be an int or a list of ints, received {axis!r}."
            )
        self.axis = list(axis) if isinstance(axis, tuple) else axis
        self.epsilon = epsilon

    def build(self, input_shape):
        axes = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        canonical_axes(axes, len(input_shape), f"RMSNormalization '{self.name}'", input_shape)
        self.axis = axes  # Keras keeps the sorted list once built (its get_config shows it)
        self.scale = self.add_weight(name="scale", shape=tuple(input_shape[a] for a in axes), initializer="ones")

    def call(self, inputs):
        x = to_float32(inputs)
        dims = canonical_axes(self.axis, x.dim(), f"RMSNormalization '{self.name}'", x.shape)
        scale = cast_like(self.scale, x)
        if dims == list(range(x.dim() - len(dims), x.dim())):  # trailing axes: torch's fused kernel
            y = F.rms_norm(x, tuple(x.shape[d] for d in dims), scale, self.epsilon)
        else:
            shape = [x.shape[d] if d in dims else 1 for d in range(x.dim())]
            y = x * torch.rsqrt(x.square().mean(dim=dims, keepdim=True) + self.epsilon) * scale.reshape(shape)
        dtype = output_dtype(self, inputs)
        return y.to(dtype) if y.dtype != dtype else y

    def compute_output_shape(self, input_shape):
        canonical_axes(self.axis, len(input_shape), f"RMSNormalization '{self.name}'", input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
