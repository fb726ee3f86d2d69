"""`Bidirectional`: runs an RNN forwards and a copy of it backwards, and merges the two."""

import torch

from capas.keras.layers.layer import Layer, _signature
from capas.keras.saving.object_registration import register_builtin
from capas.keras.layers.rnn.rnn import _ShapeOnly
from capas.keras.saving.serialization_lib import serialize_keras_object
from capas.keras.saving.serialization_lib import deserialize_keras_object

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _copy_layer(layer, **overrides):
    config = layer.get_config()
    config.update(overrides)
    copy = type(layer).from_config(config)
    if hasattr(layer, "use_cudnn"):
        copy._set_untracked(use_cudnn=layer.use_cudnn)
        copy._set_untracked(_use_fused=layer.use_cudnn)
    return copy


@register_builtin("layers")
class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs.

    Args:
        layer: an `RNN` instance (`LSTM`, `GRU`, `SimpleRNN`, `RNN(cell)`);
            a fresh copy named `forward_<name>` runs forwards.
        merge_mode: how the forward and backward outputs combine: 'sum',
            'mul', 'concat' (default), 'ave', or None (a list of both).
        backward_layer: optional `RNN` for the backward direction; default a
            copy of `layer` with `go_backwards=True` named `backward_<name>`.

    Call arguments:
        sequences: 3-D tensor `(batch, timesteps, features)`.
        initial_state: optional list: forward states, then backward states.
        mask: optional boolean `(batch, timesteps)`.
        training: enables dropout.

    Input shape:
        3-D tensor `(batch_size, timesteps, features)`.

    Output shape:
        as the wrapped layer's, with the last axis doubled for 'concat'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Bidirectional(layers.LSTM(4))(tf.ones((2, 3, 5))).shape
    torch.Size([2, 8])
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Bidirectional: `layer` must be a keras Layer instance (an RNN such as LSTM(4)); received {layer!r}."
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"Bidirectional: `backward_layer` must be a keras Layer; received {backward_layer!r}.")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Bidirectional: unknown merge_mode {merge_mode!r}; expected one of "
                "'sum', 'mul', 'ave', 'concat' or None."
            )
        super().__init__(**kwargs)
        self.forward_layer = _copy_layer(layer, name="forward_" + _strip(layer.name, "forward_"))
        if backward_layer is None:
            backward_layer = _copy_layer(layer, go_backwards=True, name="backward_" + _strip(layer.name, "backward_"))
        self.backward_layer = backward_layer
        self._verify()
        for sub in (self.forward_layer, self.backward_layer):
            if getattr(sub, "zero_output_for_mask", None) is not None:
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True

    def _verify(self):
        fwd, bwd = self.forward_layer, self.backward_layer
        if fwd.go_backwards == bwd.go_backwards:
            raise ValueError(
                f"Bidirectional '{self.name}': the forward and backward layers need different `go_backwards` "
                f"values; both have go_backwards={fwd.go_backwards}. Create the backward layer with "
                "go_backwards=True."
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            if getattr(fwd, attr) != getattr(bwd, attr):
                raise ValueError(
                    f"Bidirectional '{self.name}': the forward and backward layers need the same `{attr}`; "
                    f"received {getattr(fwd, attr)} (forward) and {getattr(bwd, attr)} (backward)."
                )

    def build(self, sequences_shape, initial_state_shape=None):
        for sub in (self.forward_layer, self.backward_layer):
            if not sub.built:
                sub._maybe_build((_ShapeOnly(sequences_shape),), {})

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {}
        if _signature(type(self.forward_layer))[0].has_training:
            kwargs["training"] = training
        if mask is not None:
            kwargs["mask"] = mask
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev.flip(1)
        if self.merge_mode == "concat":
            output = torch.cat([y, y_rev], dim=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = (y, y_rev)
        if self.return_state:
            if self.merge_mode is None:
                return output + states
            return (output,) + states
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        return mask if self.return_sequences else None

    def reset_states(self):
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    def reset_state(self):
        self.reset_states()

    def get_config(self):
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = serialize_keras_object(self.forward_layer)
        config["backward_layer"] = serialize_keras_object(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_keras_object(backward, custom_objects=custom_objects)
        return cls(**config)


def _strip(name, prefix):
    return name[len(prefix) :] if name.startswith(prefix) else name
