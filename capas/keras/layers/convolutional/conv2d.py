"""`Conv2D`: 2-D convolution (e.g. spatial convolution over images)."""

from capas.keras.layers.convolutional._base_conv import BaseConv
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "Convolution2D")
class Conv2D(BaseConv):
    """2D convolution layer (e.g. spatial convolution over images).

    Convolves the input with a kernel of shape `(*kernel_size, in_channels // groups,
    filters)` (Keras's layout), adds `bias` and applies `activation`, with one
    `torch.nn.functional.conv2d` call. Channels-last inputs are viewed, not copied,
    as channels-first tensors, so torch runs its channels_last kernels.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 2 ints, the size of the convolution window.
        strides: int or tuple of 2 ints, the stride. `strides > 1` is incompatible
            with `dilation_rate > 1`.
        padding: 'valid' or 'same' ('same' pads as TensorFlow does, the extra pixel
            at the end).
        data_format: 'channels_last' (default) or 'channels_first'.
        dilation_rate: int or tuple of 2 ints, the dilation of the window.
        groups: int, the number of groups the input channels are split into; both
            `in_channels` and `filters` must be divisible by it.
        activation: activation function (name or callable); None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: default 'glorot_uniform' and 'zeros'.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        kernel_constraint, bias_constraint: optional constraints.

    Input shape:
        4D tensor `(batch, height, width, channels)` (channels_last) or
        `(batch, channels, height, width)` (channels_first).

    Output shape:
        4D tensor `(batch, new_height, new_width, filters)` (channels_last) or
        `(batch, filters, new_height, new_width)` (channels_first).

    Raises:
        ValueError: for an input of the wrong rank, with channels other than those
            the kernel was built for, or smaller than the window with 'valid' padding.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Conv2D(4, 3)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 6, 6, 4])
    """

    rank = 2
    _allowed_padding = ("valid", "same")
