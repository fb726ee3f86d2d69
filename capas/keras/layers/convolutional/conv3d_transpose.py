"""`Conv3DTranspose`: 3-D transposed convolution (a.k.a. deconvolution)."""

from capas.keras.layers.convolutional._base_conv_transpose import BaseConvTranspose
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "Convolution3DTranspose")
class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution layer.

    The gradient of a 3D convolution with respect to its input, used to
    upsample: with 'same' padding each spatial dim grows by `strides`. The
    kernel has Keras's layout `(*kernel_size, filters, in_channels)`; the call
    is one `torch.nn.functional.conv_transpose3d`.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 3 ints, the size of the window.
        strides: int or tuple of 3 ints, the upsampling factor.
        padding: 'valid' (output `(in - 1) * strides + max(kernel_size, strides)`)
            or 'same' (output `in * strides`).
        output_padding: int or tuple of 3 ints (each < its stride) added to the
            output's spatial dims at the end; None infers it.
        data_format: 'channels_last' (default) or 'channels_first'.
        dilation_rate: int or tuple of 3 ints, the dilation of the window.
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

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Conv3DTranspose(4, 3, strides=2, padding="same")(tf.ones((2, 3, 3, 3, 3))).shape
    torch.Size([2, 6, 6, 6, 4])
    """

    rank = 3
