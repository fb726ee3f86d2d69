"""`TimeDistributed`: applies a layer to every temporal slice of an input."""

from capas.keras.layers.core.wrapper import Wrapper
from capas.keras.layers.layer import Layer, _signature
from capas.keras.saving.object_registration import register_builtin
from capas.keras.layers.rnn.rnn import _ShapeOnly


@register_builtin("layers")
class TimeDistributed(Wrapper):
    """This wrapper applies a layer to every temporal slice of an input.

    The input is `(batch, timesteps, ...)`; the wrapped layer sees
    `(batch * timesteps, ...)` in one call (one fused kernel, not a loop),
    and the result is reshaped back to `(batch, timesteps, ...)`.

    Args:
        layer: a `keras.layers.Layer` instance.

    Call arguments:
        inputs: tensor `(batch, timesteps, ...)`.
        training: forwarded to the wrapped layer.
        mask: optional boolean `(batch, timesteps)`, forwarded per slice when
            the wrapped layer takes a mask.

    Input shape:
        `(batch, timesteps, ...)`, at least 3-D.

    Output shape:
        `(batch, timesteps) + layer output shape[1:]`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.TimeDistributed(layers.Dense(8))(tf.ones((2, 10, 4))).shape
    torch.Size([2, 10, 8])

    Differs from Keras: Keras loops over the timesteps; capas folds them into
    the batch, so a layer with batch statistics (BatchNormalization while
    training) pools them over all timesteps.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"TimeDistributed: `layer` must be a keras Layer instance (e.g. layers.Dense(8)); received {layer!r}."
            )
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _check(self, shape):
        if len(shape) < 3:
            raise ValueError(
                f"TimeDistributed '{self.name}' expects an input of at least 3 dimensions (batch, timesteps, "
                f"...), received shape {tuple(shape)}. Add a time axis or apply the layer directly."
            )

    def build(self, input_shape):
        self._check(input_shape)
        if not self.layer.built:
            self.layer._maybe_build((_ShapeOnly((None,) + tuple(input_shape[2:])),), {})

    def call(self, inputs, training=None, mask=None):
        self._check(inputs.shape)
        batch, steps = inputs.shape[0], inputs.shape[1]
        if mask is not None and tuple(mask.shape[:2]) != (batch, steps):
            raise ValueError(
                f"TimeDistributed '{self.name}': the mask's first two dimensions {tuple(mask.shape[:2])} must "
                f"match the input's (batch, timesteps) = {(batch, steps)}."
            )
        sig = _signature(type(self.layer))[0]
        kwargs = {}
        if sig.has_training:
            kwargs["training"] = training
        if sig.has_mask and mask is not None:
            kwargs["mask"] = mask.reshape((batch * steps,) + tuple(mask.shape[2:]))
        flat = inputs.reshape((batch * steps,) + tuple(inputs.shape[2:]))
        out = self.layer(flat, **kwargs)
        return out.reshape((batch, steps) + tuple(out.shape[1:]))
