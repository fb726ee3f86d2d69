"""`Conv2DTranspose`: 2-D transposed convolution (a.k.a. deconvolution)."""

from capas.keras.layers.convolutional._base_conv_transpose import BaseConvTranspose
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "Convolution2DTranspose")
class Conv2DTranspose(BaseConvTranspose):
    """2D transposed convolution layer.

    The gradient of a 2D convolution with respect to its input, used to
    upsample: with 'same' padding each spatial dim grows by `strides`. The
    kernel has Keras's layout `(*kernel_size, filters, in_channels)`; the call
    is one `torch.nn.functional.conv_transpose2d`.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 2 ints, the size of the window.
        strides: int or tuple of 2 ints, the upsampling factor.
        padding: 'valid' (output `(in - 1) * strides + max(kernel_size, strides)`)
            or 'same' (output `in * strides`).
        output_padding: int or tuple of 2 ints (each < its stride) added to the
            output's spatial dims at the end; None infers it.
        data_format: 'channels_last' (default) or 'channels_first'.
        dilation_rate: int or tuple of 2 ints, the dilation of the window.
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

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Conv2DTranspose(4, 3, strides=2, padding="same")(tf.ones((2, 5, 5, 3))).shape
    torch.Size([2, 10, 10, 4])
    """

    rank = 2
