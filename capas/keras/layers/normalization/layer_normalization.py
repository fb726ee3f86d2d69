"""`LayerNormalization`: normalize each example over its feature axes."""

import torch
import torch.nn.functional as F

from capas.keras import constraints, initializers, regularizers
from capas.keras.layers.layer import Layer
from capas.keras.layers.normalization._norm_utils import (
    canonical_axes,
    cast_like,
    output_dtype,
    serialize_or_none,
    to_float32,
)
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class LayerNormalization(Layer):
    """Layer normalization (Ba et al., 2016).

    Normalizes each example independently over `axis`:
    `gamma * (x - mean) / sqrt(var + epsilon) + beta`, with `gamma` and `beta`
    of the shape of the normalized axes. When those are the trailing axes (the
    usual case) this is one fused `torch.nn.functional.layer_norm` call.

    Args:
        axis: int or list of ints, the axes to normalize over (default -1).
        epsilon: small float added to the variance (default 1e-3).
        center: add the offset `beta`.
        scale: multiply by `gamma`.
        rms_scaling: scale by `gamma / sqrt(var + epsilon)` without centering
            (Keras's definition, which uses the variance; `beta` is not created).
        beta_initializer, gamma_initializer: default 'zeros' and 'ones'.
        beta_regularizer, gamma_regularizer: optional regularizers.
        beta_constraint, gamma_constraint: optional constraints.

    Input shape:
        Arbitrary. Output shape: the input shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> y = layers.LayerNormalization()(tf.constant([[1.0, 2.0, 3.0]]))
    >>> [round(v, 3) for v in y.numpy()[0].tolist()]
    [-1.224, 0.0, 1.224]
    """

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        rms_scaling=False,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(
                f"LayerNormalization '{self.name}': `axis` must be an int or a list of ints, received {axis!r}."
            )
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = canonical_axes(self.axis, ndim, f"LayerNormalization '{self.name}'", input_shape)
        shape = tuple(input_shape[a] for a in axes)
        if any(d is None for d in shape):
            raise ValueError(
                f"LayerNormalization '{self.name}' needs known sizes on the normalized axes {axes}; received "
                f"input shape {tuple(input_shape)}."
            )
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        else:
            self.gamma = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        else:
            self.beta = None
        self._axes = axes
        self._ndim = ndim
        self._shape = shape
        self._trailing = axes == list(range(ndim - len(axes), ndim))

    def call(self, inputs):
        if inputs.dim() != self._ndim or tuple(inputs.shape[a] for a in self._axes) != self._shape:
            raise ValueError(
                f"Input 0 of layer '{self.name}' (LayerNormalization) is incompatible with the layer: it was "
                f"built for rank-{self._ndim} inputs of size {self._shape} on axes {self._axes}, but received "
                f"input with shape {tuple(inputs.shape)}."
            )
        x = to_float32(inputs)
        if self._trailing and not self.rms_scaling:
            y = F.layer_norm(x, self._shape, cast_like(self.gamma, x), cast_like(self.beta, x), self.epsilon)
        else:
            y = self._general(x)
        dtype = output_dtype(self, inputs)
        return y.to(dtype) if y.dtype != dtype else y

    def _general(self, x):
        broadcast = [x.shape[d] if d in self._axes else 1 for d in range(x.dim())]
        var, mean = torch.var_mean(x, dim=self._axes, correction=0, keepdim=True)
        inv = torch.rsqrt(var + self.epsilon)
        if self.gamma is not None:
            inv = inv * cast_like(self.gamma, x).reshape(broadcast)
        if self.rms_scaling:
            return x * inv
        y = (x - mean) * inv
        return y + cast_like(self.beta, x).reshape(broadcast) if self.beta is not None else y

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "rms_scaling": self.rms_scaling,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": serialize_or_none(regularizers, self.beta_regularizer),
                "gamma_regularizer": serialize_or_none(regularizers, self.gamma_regularizer),
                "beta_constraint": serialize_or_none(constraints, self.beta_constraint),
                "gamma_constraint": serialize_or_none(constraints, self.gamma_constraint),
            }
        )
        return config
