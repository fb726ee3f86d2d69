"""`ConvLSTM1D`: a 1-D convolutional LSTM over a sequence."""

from capas.keras.layers.rnn.conv_lstm import ConvLSTM
from capas.keras.utils import naming
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class ConvLSTM1D(ConvLSTM):
    """1D Convolutional LSTM.

    Like `LSTM`, but the input and recurrent transformations are 1-D
    convolutions (Keras weight layout: `kernel kernel_size + (channels,
    4*filters)`, gates i, f, c, o). Runs a step loop of two convolutions
    per step.

    Args:
        filters: number of output filters.
        kernel_size: int or tuple of 1 ints.
        strides: int or tuple (not together with dilation_rate > 1).
        padding: 'valid' (default) or 'same'.
        data_format: 'channels_last' (default) or 'channels_first'.
        dilation_rate: int or tuple.
        activation, recurrent_activation, use_bias, kernel_initializer,
        recurrent_initializer, bias_initializer, unit_forget_bias,
        regularizers, constraints, dropout, recurrent_dropout, seed: as in `LSTM`.
        return_sequences, return_state, go_backwards, stateful: as in `RNN`.

    Call arguments:
        inputs: (batch, time, length, channels) with channels_last.
        initial_state: optional list `[h, c]`.
        mask: optional boolean `(batch, time)`.
        training: enables dropout.

    Input shape:
        (batch, time, length, channels) (channels_last).

    Output shape:
        the last output, or all of them with `return_sequences`; with
        `return_state`, followed by `h` and `c`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> tuple(layers.ConvLSTM1D(6, 3)(tf.ones((2, 3, 8, 4))).shape)
    (2, 6, 6)
    """

    def __init__(
        self,
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
        if kwargs.get("name") is None:
            kwargs["name"] = naming.uniquify("conv_lstm1d")  # Keras's spelling of the class name
        super().__init__(
            rank=1,
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
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            **kwargs,
        )
