"""`ConvLSTMCell` and the `ConvLSTM` base: an LSTM whose matrix products are convolutions.

Keras layout: `kernel kernel_size + (channels, 4*filters)`, `recurrent_kernel
kernel_size + (filters, 4*filters)`, `bias (4*filters,)`, gates i, f, c, o.
Each step runs one `torch.nn.functional.conv{1,2,3}d` for the input (the four
gates at once) and one for the state ('same' padding, stride 1).
"""

import math

import torch
import torch.nn.functional as F

from capas.keras import initializers
from capas.keras.layers.layer import Layer
from capas.keras.layers.rnn import _cell_utils
from capas.keras.layers.rnn._dropout import DropoutRNNCell
from capas.keras.layers.rnn.rnn import RNN

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_ARGS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
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


def _tuple(value, rank, name, owner):
    out = (value,) * rank if isinstance(value, int) else tuple(int(v) for v in value)
    if len(out) != rank:
        raise ValueError(f"{owner}: `{name}` must be an int or a tuple of {rank} ints; received {value!r}.")
    return out


def _same_padding(size, kernel, stride, dilation):
    """TensorFlow's 'same' padding (extra pixel after) for one spatial dim: (before, after)."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


class ConvLSTMCell(Layer, DropoutRNNCell):
    """Cell class of the ConvLSTM layers: one convolutional LSTM step.

    Args:
        rank: 1, 2 or 3 spatial dimensions.
        filters: number of output filters.
        kernel_size: int or tuple of `rank` ints.
        strides, padding ('valid' or 'same'), data_format, dilation_rate: of the input convolution.
        activation, recurrent_activation, use_bias, kernel_initializer,
        recurrent_initializer, bias_initializer, unit_forget_bias,
        regularizers, constraints, dropout, recurrent_dropout, seed: as in `LSTMCell`.

    Call arguments:
        inputs: one step `(batch, *spatial, channels)` (channels_last).
        states: `[h, c]`.
        training: enables dropout.
    """

    dropout_mask_count = 4

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        super().__init__(**kwargs)
        owner = f"{type(self).__name__} '{self.name}'"
        if rank not in _CONV:
            raise ValueError(f"{owner}: rank {rank} convolutions are not supported; use 1, 2 or 3.")
        _cell_utils.set_cell_args(
            self,
            filters,
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
        del self.units
        self.rank = rank
        self.filters = filters
        self.kernel_size = _tuple(kernel_size, rank, "kernel_size", owner)
        self.strides = _tuple(strides, rank, "strides", owner)
        self.dilation_rate = _tuple(dilation_rate, rank, "dilation_rate", owner)
        padding = padding.lower()
        if padding not in ("valid", "same"):
            raise ValueError(f"{owner}: `padding` must be 'valid' or 'same'; received {padding!r}.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{owner}: `strides > 1` is not compatible with `dilation_rate > 1`; received strides="
                f"{self.strides} and dilation_rate={self.dilation_rate}."
            )
        self.padding = padding
        self.data_format = data_format or "channels_last"
        self.unit_forget_bias = unit_forget_bias
        self.state_size = -1  # replaced in build by the state shape

    def build(self, inputs_shape, states_shape=None):
        last = self.data_format == "channels_last"
        self.spatial_dims = tuple(inputs_shape[1:-1] if last else inputs_shape[2:])
        channels = inputs_shape[-1] if last else inputs_shape[1]
        if None in self.spatial_dims or channels is None:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' needs static spatial and channel dimensions; received input "
                f"shape {tuple(inputs_shape)}."
            )
        self.input_dim = int(channels)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.input_dim, 4 * self.filters),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, 4 * self.filters),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                base, n = self.bias_initializer, self.filters

                def init(shape, dtype=None):
                    ones = initializers.get("ones")((n,), dtype=dtype)
                    return torch.cat([base((n,), dtype=dtype), ones, base((2 * n,), dtype=dtype)])

            self.bias = self.add_weight(
                shape=(4 * self.filters,),
                name="bias",
                initializer=init,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        out = self._output_spatial(self.spatial_dims)
        shape = out + (self.filters,) if last else (self.filters,) + out
        self.state_size = [shape, shape]

    def _output_spatial(self, dims):
        out = []
        for size, k, s, d in zip(dims, self.kernel_size, self.strides, self.dilation_rate):
            if self.padding == "same":
                out.append(math.ceil(size / s))
            else:
                out.append((size - (k - 1) * d - 1) // s + 1)
        return tuple(out)

    def get_initial_state(self, batch_size=None):
        return [torch.zeros((batch_size,) + tuple(s), device=self._weights_device()) for s in self.state_size]

    def _conv(self, x, kernel, strides, dilation, padding):
        """Channels-first conv of channels-first `x` with a Keras-layout kernel (..., in, out)."""
        weight = kernel.permute(self.rank + 1, self.rank, *range(self.rank))
        if padding == "same":
            pads = []
            for size, k, s, d in reversed(list(zip(x.shape[2:], self.kernel_size, strides, dilation))):
                pads += list(_same_padding(size, k, s, d))
            if any(pads):
                x = F.pad(x, pads)
        return _CONV[self.rank](x, weight, None, strides, 0, dilation)

    def call(self, inputs, states, training=False):
        last = self.data_format == "channels_last"
        to_first = (0, self.rank + 1, *range(1, self.rank + 1))
        to_last = (0, *range(2, self.rank + 2), 1)
        h_tm1, c_tm1 = states[0], states[1]
        x, h = (inputs.permute(to_first), h_tm1.permute(to_first)) if last else (inputs, h_tm1)
        c = c_tm1.permute(to_first) if last else c_tm1
        dp = self.__dict__.get("_dropout_mask") if training else None
        rec = self.__dict__.get("_recurrent_dropout_mask") if training else None
        ones = (1,) * self.rank
        if dp is None and rec is None:
            z = self._conv(x, self.kernel, self.strides, self.dilation_rate, self.padding)
            z = z + self._conv(h, self.recurrent_kernel, ones, ones, "same")
        else:
            kernels = self.kernel.chunk(4, dim=-1)
            recurrent = self.recurrent_kernel.chunk(4, dim=-1)
            parts = []
            for g in range(4):
                x_g = x * (dp[g].permute(to_first) if last else dp[g]) if dp is not None else x
                h_g = h * (rec[g].permute(to_first) if last else rec[g]) if rec is not None else h
                parts.append(
                    self._conv(x_g, kernels[g], self.strides, self.dilation_rate, self.padding)
                    + self._conv(h_g, recurrent[g], ones, ones, "same")
                )
            z = torch.cat(parts, dim=1)
        if self.bias is not None:
            z = z + self.bias.view((1, -1) + ones)
        z_i, z_f, z_c, z_o = z.chunk(4, dim=1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c + i * self.activation(z_c)
        o = self.recurrent_activation(z_o)
        h = o * self.activation(c)
        if last:
            h, c = h.permute(to_last), c.permute(to_last)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config.update(_cell_utils.serialize_args(self, _ARGS))
        config["rank"] = self.rank
        return config


class ConvLSTM(RNN):
    """Base of ConvLSTM1D/2D/3D: an `RNN` over a `ConvLSTMCell` (step loop)."""

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        **kwargs,
    ):
        cell = ConvLSTMCell(
            rank=rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) != self.cell.rank + 3:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects a {self.cell.rank + 3}-D input (batch, time, "
                f"{'spatial dims, ' if self.cell.rank > 1 else 'length, '}channels); received shape "
                f"{tuple(sequences_shape)}."
            )
        super().build(sequences_shape, initial_state_shape)
        self.state_size = list(self.cell.state_size)

    def get_initial_state(self, batch_size):
        return self.cell.get_initial_state(batch_size)

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        config.update(_cell_utils.serialize_args(self.cell, _ARGS))
        config["activity_regularizer"] = _cell_utils.serialize_regularizer(self._activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


for _name in _ARGS:
    setattr(ConvLSTM, _name, _cell_utils.cell_property(_name))
