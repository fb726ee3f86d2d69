"""`GRUCell` and `GRU` (Gated Recurrent Unit, Cho et al. 2014).

Keras layout: `kernel (input_dim, 3*units)` and `recurrent_kernel (units,
3*units)` with gates ordered z (update), r (reset), h (candidate); `bias` is
`(2, 3*units)` (input and recurrent biases) with `reset_after=True`, else
`(3*units,)`. PyTorch's fused `torch.gru` orders its gates r, z, n and uses
the reset-after formulation, so the fused path reorders the gate blocks with
`torch.cat` inside the call (differentiable) and runs only with `reset_after=True`.
"""

import torch

from capas.keras.layers.layer import Layer
from capas.keras.layers.rnn import _cell_utils, _fused
from capas.keras.layers.rnn._dropout import DropoutRNNCell
from capas.keras.layers.rnn.lstm import set_use_cudnn
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
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "reset_after",
    "seed",
)


def _to_torch_gates(w, units, dim):
    """Keras gate blocks (z, r, h) along `dim` -> torch's (r, z, n)."""
    z, r, h = w.split(units, dim=dim)
    return torch.cat([r, z, h], dim=dim)


@register_builtin("layers")
class GRUCell(Layer, DropoutRNNCell):
    """Cell class for the GRU layer: processes one step.

    Args:
        units: dimensionality of the output space.
        activation: default 'tanh'.
        recurrent_activation: activation of the gates, default 'sigmoid'.
        use_bias: whether to use bias vectors.
        kernel_initializer: default 'glorot_uniform'.
        recurrent_initializer: default 'orthogonal'.
        bias_initializer: default 'zeros'.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional.
        kernel_constraint, recurrent_constraint, bias_constraint: optional.
        dropout: fraction of the inputs to drop (one mask per sequence).
        recurrent_dropout: fraction of the recurrent state to drop.
        reset_after: apply the reset gate after the matrix product (default
            True, the cuDNN/PyTorch formulation) or before it.
        seed: seed of the dropout masks.

    Call arguments:
        inputs: 2-D tensor `(batch, features)`.
        states: `[h]` (or `h`).
        training: enables dropout.

    Returns:
        `(h, [h])`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RNN(layers.GRUCell(4))(tf.ones((2, 3, 5))).shape
    torch.Size([2, 4])
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
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        reset_after=True,
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
        self.reset_after = reset_after
        self.implementation = 1 if self.recurrent_dropout != 0.0 else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(input_dim, 3 * self.units),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, 3 * self.units),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        if self.use_bias:
            shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
            self.bias = self.add_weight(
                shape=shape,
                name="bias",
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None

    def get_initial_state(self, batch_size=None):
        return [torch.zeros((batch_size, self.units), device=self._weights_device())]

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        h_tm1 = states[0] if nested else states
        units = self.units
        input_bias = recurrent_bias = None
        if self.use_bias:
            input_bias, recurrent_bias = (self.bias[0], self.bias[1]) if self.reset_after else (self.bias, None)
        dp_mask = self.__dict__.get("_dropout_mask") if training else None
        rec_mask = self.__dict__.get("_recurrent_dropout_mask") if training else None
        k_z, k_r, k_h = self.kernel.split(units, dim=1)
        u_z, u_r, u_h = self.recurrent_kernel.split(units, dim=1)
        if self.implementation == 1 and (dp_mask is not None or rec_mask is not None):
            xs = [inputs * dp_mask[g] if dp_mask is not None else inputs for g in range(3)]
            hs = [h_tm1 * rec_mask[g] if rec_mask is not None else h_tm1 for g in range(3)]
        else:
            x = inputs * dp_mask if dp_mask is not None else inputs
            xs = [x, x, x]
            hs = [h_tm1, h_tm1, h_tm1]
        x_z, x_r, x_h = xs[0].matmul(k_z), xs[1].matmul(k_r), xs[2].matmul(k_h)
        if input_bias is not None:
            b_z, b_r, b_h = input_bias.split(units)
            x_z, x_r, x_h = x_z + b_z, x_r + b_r, x_h + b_h
        rec_z, rec_r = hs[0].matmul(u_z), hs[1].matmul(u_r)
        if recurrent_bias is not None:
            rb_z, rb_r, rb_h = recurrent_bias.split(units)
            rec_z, rec_r = rec_z + rb_z, rec_r + rb_r
        z = self.recurrent_activation(x_z + rec_z)
        r = self.recurrent_activation(x_r + rec_r)
        if self.reset_after:
            rec_h = hs[2].matmul(u_h)
            if recurrent_bias is not None:
                rec_h = rec_h + rb_h
            rec_h = r * rec_h
        else:
            rec_h = (r * hs[2]).matmul(u_h)
        hh = self.activation(x_h + rec_h)
        h = z * h_tm1 + (1 - z) * hh
        return h, ([h] if nested else h)

    def _can_fuse(self, training):
        if training and (self.recurrent_dropout > 0 or (self.dropout > 0 and self.implementation == 1)):
            return False
        return (
            self.reset_after
            and _cell_utils.is_activation(self.activation, "tanh")
            and _cell_utils.is_activation(self.recurrent_activation, "sigmoid")
        )

    def _fused_call(self, x, states, lengths, training):
        units = self.units
        params = [_to_torch_gates(self.kernel, units, 1).t(), _to_torch_gates(self.recurrent_kernel, units, 1).t()]
        if self.use_bias:
            params += [_to_torch_gates(self.bias[0], units, 0), _to_torch_gates(self.bias[1], units, 0)]
        return _fused.run("gru", x, states[:1], params, self.use_bias, lengths, training)

    def get_config(self):
        config = super().get_config()
        config.update(_cell_utils.serialize_args(self, _ARGS))
        return config


@register_builtin("layers")
class GRU(RNN):
    """Gated Recurrent Unit - Cho et al. 2014.

    Runs PyTorch's fused GRU kernel when the configuration allows it
    (activation 'tanh', recurrent_activation 'sigmoid', `reset_after=True`,
    no recurrent dropout while training, `unroll=False`, no mask or a
    right-padded mask without `go_backwards`), else a step loop computing the
    same numbers.

    Args:
        units: dimensionality of the output space.
        activation, recurrent_activation, use_bias, initializers, regularizers,
        constraints, dropout, recurrent_dropout, reset_after, seed: as in `GRUCell`.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
        use_cudnn: 'auto' (fused kernel when possible), True (require it) or
            False (always the step loop).

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
    >>> layers.GRU(4, return_sequences=True)(tf.ones((2, 3, 5))).shape
    torch.Size([2, 3, 4])

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
        reset_after=True,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
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
            reset_after=reset_after,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="gru_cell",
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


_cell_utils.expose_cell_args(GRU, _ARGS)
