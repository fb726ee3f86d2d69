"""`DepthwiseConv1D`: 1-D depthwise convolution."""

from capas.keras.layers.convolutional._base_depthwise_conv import BaseDepthwiseConv
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution layer.

    Convolves each input channel with its own `depth_multiplier` filters and
    stacks the results: `in_channels * depth_multiplier` output channels. One
    `torch.nn.functional.conv1d` call with `groups=in_channels`.

    Args:
        kernel_size: int or tuple of 1 ints, the size of the window.
        strides: int or tuple of 1 ints, the stride.
        padding: 'valid' or 'same' (TensorFlow's rule: the extra pixel at the end).
        depth_multiplier: int, the number of filters per input channel.
        data_format: 'channels_last' (default) or 'channels_first'.
        dilation_rate: int or tuple of 1 ints, the dilation of the window.
        activation: activation function (name or callable); None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, bias_initializer: default 'glorot_uniform' and 'zeros'.
        depthwise_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        depthwise_constraint, bias_constraint: optional constraints.

    Input shape:
        3D tensor `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        3D tensor `(batch, new_steps, channels * depth_multiplier)` (channels_last).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.DepthwiseConv1D(3, depth_multiplier=2)(tf.ones((2, 10, 3))).shape
    torch.Size([2, 8, 6])
    """

    rank = 1
