"""`SimpleRNNCell` and `SimpleRNN`: `h = activation(x @ kernel + bias + h_prev @ recurrent_kernel)`.

With activation 'tanh' or 'relu' the sequence runs in PyTorch's fused
`torch.rnn_tanh` / `torch.rnn_relu` kernel.
"""

import torch

from capas.keras.layers.layer import Layer
from capas.keras.layers.rnn import _cell_utils, _fused
from capas.keras.layers.rnn._dropout import DropoutRNNCell
from capas.keras.layers.rnn.rnn import RNN
from capas.keras.saving.object_registration import register_builtin

_ARGS = (
    "units",
    "activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
)


@register_builtin("layers")
class SimpleRNNCell(Layer, DropoutRNNCell):
    """Cell class for SimpleRNN: processes one step.

    Args:
        units: dimensionality of the output space.
        activation: default 'tanh'.
        use_bias: whether to use a bias vector.
        kernel_initializer: default 'glorot_uniform'.
        recurrent_initializer: default 'orthogonal'.
        bias_initializer: default 'zeros'.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional.
        kernel_constraint, recurrent_constraint, bias_constraint: optional.
        dropout: fraction of the inputs to drop (one mask per sequence).
        recurrent_dropout: fraction of the recurrent state to drop.
        seed: seed of the dropout masks.

    Call arguments:
        sequence: 2-D tensor `(batch, features)` (one step).
        states: `[h]` (or `h`).
        training: enables dropout.

    Returns:
        `(h, [h])`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RNN(layers.SimpleRNNCell(4))(tf.ones((2, 3, 5))).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        _cell_utils.set_cell_args(
            self,
            units,
            activation,
            None,
            use_bias,
            kernel_initializer,
            recurrent_initializer,
            bias_initializer,
            kernel_regularizer,
            recurrent_regularizer,
            bias_regularizer,
            kernel_constraint,
            recurrent_constraint,
            bias_constraint,
            dropout,
            recurrent_dropout,
            seed,
        )
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,),
                name="bias",
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None

    def get_initial_state(self, batch_size=None):
        return [torch.zeros((batch_size, self.units), device=self._weights_device())]

    def call(self, sequence, states, training=False):
        nested = isinstance(states, (list, tuple))
        prev = states[0] if nested else states
        dp_mask = self.__dict__.get("_dropout_mask") if training else None
        rec_mask = self.__dict__.get("_recurrent_dropout_mask") if training else None
        if dp_mask is not None:
            sequence = sequence * dp_mask
        h = sequence.matmul(self.kernel)
        if self.bias is not None:
            h = h + self.bias
        if rec_mask is not None:
            prev = prev * rec_mask
        output = h + prev.matmul(self.recurrent_kernel)
        if self.activation is not None:
            output = self.activation(output)
        return output, ([output] if nested else output)

    def _kind(self):
        if _cell_utils.is_activation(self.activation, "tanh"):
            return "rnn_tanh"
        if _cell_utils.is_activation(self.activation, "relu"):
            return "rnn_relu"
        return None

    def _can_fuse(self, training):
        if training and self.recurrent_dropout > 0:
            return False
        return self._kind() is not None

    def _fused_call(self, x, states, lengths, training):
        params = [self.kernel.t(), self.recurrent_kernel.t()]
        if self.use_bias:
            params += [self.bias, torch.zeros_like(self.bias)]
        return _fused.run(self._kind(), x, states[:1], params, self.use_bias, lengths, training)

    def get_config(self):
        config = super().get_config()
        config.update(_cell_utils.serialize_args(self, _ARGS))
        return config


@register_builtin("layers")
class SimpleRNN(RNN):
    """Fully-connected RNN where the output is fed back as the next input.

    Args:
        units: dimensionality of the output space.
        activation, use_bias, initializers, regularizers, constraints,
        dropout, recurrent_dropout, seed: as in `SimpleRNNCell`.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.

    Call arguments:
        sequences: 3-D tensor `(batch, timesteps, features)`.
        initial_state: optional list `[h]`.
        mask: optional boolean `(batch, timesteps)`.
        training: enables dropout.

    Input shape:
        3-D tensor `(batch_size, timesteps, features)`.

    Output shape:
        `(batch_size, units)`, or `(batch_size, timesteps, units)` with
        `return_sequences`; with `return_state`, followed by `h`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.SimpleRNN(4)(tf.ones((2, 3, 5))).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        **kwargs,
    ):
        cell = SimpleRNNCell(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    def get_config(self):
        config = _cell_utils.cell_layer_config(self, super().get_config(), _ARGS)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


_cell_utils.expose_cell_args(SimpleRNN, _ARGS)
