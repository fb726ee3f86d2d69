"""`SeparableConv2D`: 2-D depthwise-separable convolution."""

from capas.keras.layers.convolutional._base_separable_conv import BaseSeparableConv
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "SeparableConvolution2D")
class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution layer.

    A depthwise convolution (each input channel with its own
    `depth_multiplier` filters) followed by a pointwise (1x1) convolution to
    `filters` channels, then `bias` and `activation`.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 2 ints, the size of the depthwise window.
        strides: int or tuple of 2 ints, the stride of the depthwise step.
        padding: 'valid' or 'same' (TensorFlow's rule: the extra pixel at the end).
        data_format: 'channels_last' (default) or 'channels_first'.
        dilation_rate: int or tuple of 2 ints, the dilation of the window.
        depth_multiplier: int, the number of depthwise filters per input channel.
        activation: activation function (name or callable); None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
            activity_regularizer: optional regularizers.
        depthwise_constraint, pointwise_constraint, bias_constraint: optional constraints.

    Input shape:
        4D tensor `(batch, height, width, channels)` (channels_last) or
        `(batch, channels, height, width)` (channels_first).

    Output shape:
        4D tensor `(batch, new_height, new_width, filters)` (channels_last).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.SeparableConv2D(4, 3)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 6, 6, 4])
    """

    rank = 2
