"""`SeparableConv1D`: 1-D depthwise-separable convolution."""

from capas.keras.layers.convolutional._base_separable_conv import BaseSeparableConv
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "SeparableConvolution1D")
class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution layer.

    A depthwise convolution (each input channel with its own
    `depth_multiplier` filters) followed by a pointwise (1x1) convolution to
    `filters` channels, then `bias` and `activation`.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 1 ints, the size of the depthwise window.
        strides: int or tuple of 1 ints, the stride of the depthwise step.
        padding: 'valid' or 'same' (TensorFlow's rule: the extra pixel at the end).
        data_format: 'channels_last' (default) or 'channels_first'.
        dilation_rate: int or tuple of 1 ints, the dilation of the window.
        depth_multiplier: int, the number of depthwise filters per input channel.
        activation: activation function (name or callable); None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
            activity_regularizer: optional regularizers.
        depthwise_constraint, pointwise_constraint, bias_constraint: optional constraints.

    Input shape:
        3D tensor `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        3D tensor `(batch, new_steps, filters)` (channels_last).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.SeparableConv1D(4, 3)(tf.ones((2, 10, 3))).shape
    torch.Size([2, 8, 4])
    """

    rank = 1
