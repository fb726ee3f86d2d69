"""`LSTMCell` and `LSTM` (Long Short-Term Memory, Hochreiter 1997).

Keras layout: `kernel (input_dim, 4*units)` and `recurrent_kernel (units,
4*units)` with gates ordered i, f, c, o, and `bias (4*units,)`. PyTorch's
fused `torch.lstm` orders its gates i, f, g, o, the same order, so it takes
`kernel.t()` and `recurrent_kernel.t()` directly.
"""

import torch

from capas.keras import initializers
from capas.keras.layers.layer import Layer
from capas.keras.layers.rnn import _cell_utils, _fused
from capas.keras.layers.rnn._dropout import DropoutRNNCell
from capas.keras.layers.rnn.rnn import RNN
from capas.keras.saving.object_registration import register_builtin

_ARGS = (
    "units",
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "unit_forget_bias",
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
class LSTMCell(Layer, DropoutRNNCell):
    """Cell class for the LSTM layer: processes one step.

    Args:
        units: dimensionality of the output space.
        activation: default 'tanh'.
        recurrent_activation: activation of the gates, default 'sigmoid'.
        use_bias: whether to use a bias vector.
        kernel_initializer: default 'glorot_uniform'.
        recurrent_initializer: default 'orthogonal'.
        bias_initializer: default 'zeros'.
        unit_forget_bias: add 1 to the forget gate's bias at initialization.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional.
        kernel_constraint, recurrent_constraint, bias_constraint: optional.
        dropout: fraction of the inputs to drop (one mask per sequence).
        recurrent_dropout: fraction of the recurrent state to drop.
        seed: seed of the dropout masks.

    Call arguments:
        inputs: 2-D tensor `(batch, features)`.
        states: list `[h, c]` of 2-D tensors `(batch, units)`.
        training: enables dropout.

    Returns:
        `(h, [h, c])`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RNN(layers.LSTMCell(4), return_sequences=True)(tf.ones((2, 3, 5))).shape
    torch.Size([2, 3, 4])
    """

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
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
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        _cell_utils.set_cell_args(
            self,
            units,
            activation,
            recurrent_activation,
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
        self.unit_forget_bias = unit_forget_bias
        self.implementation = 1 if self.recurrent_dropout != 0.0 else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(input_dim, 4 * self.units),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, 4 * self.units),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                base = self.bias_initializer
                units = self.units

                def init(shape, dtype=None):
                    ones = initializers.get("ones")((units,), dtype=dtype)
                    return torch.cat([base((units,), dtype=dtype), ones, base((2 * units,), dtype=dtype)])

            self.bias = self.add_weight(
                shape=(4 * self.units,),
                name="bias",
                initializer=init,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None

    def get_initial_state(self, batch_size=None):
        device = self._weights_device()
        return [torch.zeros((batch_size, d), device=device) for d in self.state_size]

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dp_mask = self.__dict__.get("_dropout_mask") if training else None
        rec_mask = self.__dict__.get("_recurrent_dropout_mask") if training else None
        if self.implementation == 1 and (dp_mask is not None or rec_mask is not None):
            k = self.kernel.chunk(4, dim=1)
            r = self.recurrent_kernel.chunk(4, dim=1)
            parts = []
            for g in range(4):
                x_g = inputs * dp_mask[g] if dp_mask is not None else inputs
                h_g = h_tm1 * rec_mask[g] if rec_mask is not None else h_tm1
                parts.append(x_g.matmul(k[g]) + h_g.matmul(r[g]))
            z = torch.cat(parts, dim=1)
        else:
            if dp_mask is not None:
                inputs = inputs * dp_mask
            z = inputs.matmul(self.kernel) + h_tm1.matmul(self.recurrent_kernel)
        if self.use_bias:
            z = z + self.bias
        z_i, z_f, z_c, z_o = z.chunk(4, dim=1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c_tm1 + i * self.activation(z_c)
        o = self.recurrent_activation(z_o)
        h = o * self.activation(c)
        return h, [h, c]

    def _can_fuse(self, training):
        if training and (self.recurrent_dropout > 0 or (self.dropout > 0 and self.implementation == 1)):
            return False
        return _cell_utils.is_activation(self.activation, "tanh") and _cell_utils.is_activation(
            self.recurrent_activation, "sigmoid"
        )

    def _fused_call(self, x, states, lengths, training):
        params = [self.kernel.t(), self.recurrent_kernel.t()]
        if self.use_bias:
            params += [self.bias, torch.zeros_like(self.bias)]
        return _fused.run("lstm", x, states[:2], params, self.use_bias, lengths, training)

    def get_config(self):
        config = super().get_config()
        config.update(_cell_utils.serialize_args(self, _ARGS))
        return config


@register_builtin("layers")
class LSTM(RNN):
    """Long Short-Term Memory layer - Hochreiter 1997.

    Runs PyTorch's fused LSTM kernel when the configuration allows it
    (activation 'tanh', recurrent_activation 'sigmoid', no recurrent dropout
    while training, `unroll=False`, no mask or a right-padded mask without
    `go_backwards`), else a step loop computing the same numbers.

    Args:
        units: dimensionality of the output space.
        activation, recurrent_activation, use_bias, kernel_initializer,
        recurrent_initializer, bias_initializer, unit_forget_bias, the
        regularizers and constraints, dropout, recurrent_dropout, seed:
            as in `LSTMCell`.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
        use_cudnn: 'auto' (fused kernel when possible), True (require it) or
            False (always the step loop).

    Call arguments:
        sequences: 3-D tensor `(batch, timesteps, features)`.
        initial_state: optional list `[h, c]`.
        mask: optional boolean `(batch, timesteps)`.
        training: enables dropout.

    Input shape:
        3-D tensor `(batch_size, timesteps, features)`.

    Output shape:
        `(batch_size, units)`, or `(batch_size, timesteps, units)` with
        `return_sequences`; with `return_state`, followed by `h` and `c`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(tf.ones((2, 3, 5)))
    >>> tuple(out.shape), tuple(h.shape), tuple(c.shape)
    ((2, 3, 4), (2, 4), (2, 4))

    Differs from Keras: `use_cudnn` selects PyTorch's fused kernel on every
    device (CPU included), not only cuDNN.
    """

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
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
            name="lstm_cell",
            implementation=kwargs.pop("implementation", 2),
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
        set_use_cudnn(self, use_cudnn)

    def get_config(self):
        config = _cell_utils.cell_layer_config(self, super().get_config(), _ARGS)
        config["use_cudnn"] = self.use_cudnn
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def set_use_cudnn(layer, use_cudnn):
    """Store `use_cudnn` ('auto', True, False): whether the fused kernel is tried."""
    if use_cudnn not in ("auto", True, False):
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}': `use_cudnn` must be 'auto', True or False; received {use_cudnn!r}."
        )
    layer._set_untracked(use_cudnn=use_cudnn)
    layer._set_untracked(_use_fused=use_cudnn)


_cell_utils.expose_cell_args(LSTM, _ARGS)
