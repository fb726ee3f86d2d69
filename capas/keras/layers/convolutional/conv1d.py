"""`Conv1D`: 1-D convolution (e.g. temporal convolution)."""

from capas.keras.layers.convolutional._base_conv import BaseConv
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "Convolution1D")
class Conv1D(BaseConv):
    """1D convolution layer (e.g. temporal convolution).

    Convolves the input with a kernel of shape `(*kernel_size, in_channels // groups,
    filters)` (Keras's layout), adds `bias` and applies `activation`, with one
    `torch.nn.functional.conv1d` call. Channels-last inputs are viewed, not copied,
    as channels-first tensors, so torch runs its channels_last kernels.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 1 ints, the size of the convolution window.
        strides: int or tuple of 1 ints, the stride. `strides > 1` is incompatible
            with `dilation_rate > 1`.
        padding: 'valid', 'same' or 'causal' ('same' pads as TensorFlow does, the
            extra pixel at the end; 'causal' pads only at the start, so `output[t]`
            never sees `input[t + 1:]`).
        data_format: 'channels_last' (default) or 'channels_first'.
        dilation_rate: int or tuple of 1 ints, the dilation of the window.
        groups: int, the number of groups the input channels are split into; both
            `in_channels` and `filters` must be divisible by it.
        activation: activation function (name or callable); None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: default 'glorot_uniform' and 'zeros'.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        kernel_constraint, bias_constraint: optional constraints.

    Input shape:
        3D tensor `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        3D tensor `(batch, new_steps, filters)` (channels_last) or
        `(batch, filters, new_steps)` (channels_first).

    Raises:
        ValueError: for an input of the wrong rank, with channels other than those
            the kernel was built for, or smaller than the window with 'valid' padding.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Conv1D(4, 3)(tf.ones((2, 10, 3))).shape
    torch.Size([2, 8, 4])
    """

    rank = 1
    _allowed_padding = ("valid", "same", "causal")
