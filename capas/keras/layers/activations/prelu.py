"""`PReLU`: a leaky ReLU whose negative slope is learned."""

import torch

from capas.keras import constraints, initializers, regularizers
from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


def _serialize_or_none(module, obj):
    return None if obj is None else module.serialize(obj)


@register_builtin("layers")
class PReLU(Layer):
    """Parametric Rectified Linear Unit activation layer.

    `f(x) = x` for `x >= 0`, `alpha * x` for `x < 0`, with `alpha` a learned
    array of the input's (non-batch) shape, or shared (size 1) along
    `shared_axes`.

    Args:
        alpha_initializer: default 'Zeros'.
        alpha_regularizer, alpha_constraint: optional.
        shared_axes: the axes along which one `alpha` is shared, e.g. `[1, 2]`
            for `(batch, height, width, channels)` feature maps: one slope
            per channel.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layer = layers.PReLU(shared_axes=[1, 2])
    >>> layer(tf.ones((2, 4, 4, 3))).shape, tuple(layer.alpha.shape)
    (torch.Size([2, 4, 4, 3]), (1, 1, 3))
    """

    def __init__(
        self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if not 1 <= axis < len(input_shape):
                raise ValueError(
                    f"PReLU '{self.name}': shared axis {axis} is not a non-batch axis of the input shape "
                    f"{tuple(input_shape)}; use axes in [1, {len(input_shape) - 1}]."
                )
            shape[axis - 1] = 1
        if any(d is None for d in shape):
            raise ValueError(
                f"PReLU '{self.name}' needs known sizes on the non-shared axes; received input shape "
                f"{tuple(input_shape)}. Share the unknown axes with `shared_axes`."
            )
        self.alpha = self.add_weight(
            name="alpha",
            shape=shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )

    def call(self, inputs):
        return torch.where(inputs >= 0, inputs, self.alpha * inputs)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": _serialize_or_none(regularizers, self.alpha_regularizer),
                "alpha_constraint": _serialize_or_none(constraints, self.alpha_constraint),
                "shared_axes": self.shared_axes,
            }
        )
        return config
