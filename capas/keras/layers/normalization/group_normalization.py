"""`GroupNormalization`: normalize each example over groups of channels."""

import torch.nn.functional as F

from capas.keras import constraints, initializers, regularizers
from capas.keras.layers.layer import Layer
from capas.keras.layers.normalization._norm_utils import cast_like, output_dtype, serialize_or_none, to_float32
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class GroupNormalization(Layer):
    """Group normalization (Wu and He, 2018).

    Splits the channels (on `axis`) into `groups` groups and normalizes each
    example over each group's channels and every other non-batch axis; with
    `groups=1` this is layer normalization over all features, with
    `groups=channels` instance normalization. One fused
    `torch.nn.functional.group_norm` call on a channels-first view.

    Args:
        groups: int, the number of groups; the channels must be divisible by it.
        axis: int, the channels axis (default -1).
        epsilon: small float added to the variance (default 1e-3).
        center, scale: create `beta` / `gamma` (one value per channel).
        beta_initializer, gamma_initializer: default 'zeros' and 'ones'.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: optional.

    Input shape:
        Arbitrary (rank >= 2). Output shape: the input shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.GroupNormalization(groups=2)(tf.ones((2, 5, 4))).shape
    torch.Size([2, 5, 4])
    """

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups = groups
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim:
            raise ValueError(
                f"GroupNormalization '{self.name}': axis {self.axis} is out of bounds for an input of rank "
                f"{ndim} (shape {tuple(input_shape)})."
            )
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f"GroupNormalization '{self.name}': axis {self.axis} of the input should have a defined "
                f"dimension, but the layer received an input with shape {tuple(input_shape)}."
            )
        if channels < self.groups:
            raise ValueError(
                f"GroupNormalization '{self.name}': the number of groups ({self.groups}) cannot be more than "
                f"the number of channels ({channels}) of input shape {tuple(input_shape)}."
            )
        if channels % self.groups:
            raise ValueError(
                f"GroupNormalization '{self.name}': the number of channels ({channels}) must be a multiple of "
                f"the number of groups ({self.groups}); input shape {tuple(input_shape)}. Pick groups among "
                f"{[g for g in range(1, channels + 1) if channels % g == 0]}."
            )
        shape = (int(channels),)
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center
            else None
        )
        self._channels = shape[0]

    def call(self, inputs):
        axis = self.axis % inputs.dim()
        if inputs.shape[axis] != self._channels:
            raise ValueError(
                f"Input 0 of layer '{self.name}' (GroupNormalization) is incompatible with the layer: expected "
                f"axis {self.axis} of input shape to have value {self._channels}, but received input with "
                f"shape {tuple(inputs.shape)}."
            )
        x = to_float32(inputs)
        xt = x.movedim(axis, 1) if axis != 1 else x
        y = F.group_norm(xt, self.groups, cast_like(self.gamma, xt), cast_like(self.beta, xt), self.epsilon)
        y = y.movedim(1, axis) if axis != 1 else y
        dtype = output_dtype(self, inputs)
        return y.to(dtype) if y.dtype != dtype else y

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "groups": self.groups,
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": serialize_or_none(regularizers, self.beta_regularizer),
                "gamma_regularizer": serialize_or_none(regularizers, self.gamma_regularizer),
                "beta_constraint": serialize_or_none(constraints, self.beta_constraint),
                "gamma_constraint": serialize_or_none(constraints, self.gamma_constraint),
            }
        )
        return config
