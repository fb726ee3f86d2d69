"""`Conv3D`: 3-D convolution (e.g. spatial convolution over volumes)."""

from capas.keras.layers.convolutional._base_conv import BaseConv
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "Convolution3D")
class Conv3D(BaseConv):
    """3D convolution layer (e.g. spatial convolution over volumes).

    Convolves the input with a kernel of shape `(*kernel_size, in_channels // groups,
    filters)` (Keras's layout), adds `bias` and applies `activation`, with one
    `torch.nn.functional.conv3d` call. Channels-last inputs are viewed, not copied,
    as channels-first tensors, so torch runs its channels_last kernels.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 3 ints, the size of the convolution window.
        strides: int or tuple of 3 ints, the stride. `strides > 1` is incompatible
            with `dilation_rate > 1`.
        padding: 'valid' or 'same' ('same' pads as TensorFlow does, the extra pixel
            at the end).
        data_format: 'channels_last' (default) or 'channels_first'.
        dilation_rate: int or tuple of 3 ints, the dilation of the window.
        groups: int, the number of groups the input channels are split into; both
            `in_channels` and `filters` must be divisible by it.
        activation: activation function (name or callable); None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: default 'glorot_uniform' and 'zeros'.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        kernel_constraint, bias_constraint: optional constraints.

    Input shape:
        5D tensor `(batch, dim1, dim2, dim3, channels)` (channels_last) or
        `(batch, channels, dim1, dim2, dim3)` (channels_first).

    Output shape:
        5D tensor `(batch, new_dim1, new_dim2, new_dim3, filters)` (channels_last) or
        `(batch, filters, new_dim1, new_dim2, new_dim3)` (channels_first).

    Raises:
        ValueError: for an input of the wrong rank, with channels other than those
            the kernel was built for, or smaller than the window with 'valid' padding.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Conv3D(4, 3)(tf.ones((2, 5, 5, 5, 3))).shape
    torch.Size([2, 3, 3, 3, 4])
    """

    rank = 3
    _allowed_padding = ("valid", "same")
