"""`BaseDepthwiseConv`: the per-channel convolution of DepthwiseConv1D/2D."""

import torch

from capas.keras import activations, constraints, initializers, regularizers
from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.convolutional._base_conv import _CONV, BaseConv, serialize_or_none


class BaseDepthwiseConv(BaseConv):
    """Depthwise N-D convolution: each input channel gets `depth_multiplier` filters.

    The kernel has Keras's layout `(*kernel_size, in_channels, depth_multiplier)`;
    output channel `c * depth_multiplier + m` comes from input channel `c` and
    filter `m`, which is torch's grouped-convolution order (`groups=in_channels`).
    """

    _needs_filters = False

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            None,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        if not isinstance(depth_multiplier, int) or isinstance(depth_multiplier, bool) or depth_multiplier <= 0:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': `depth_multiplier` must be a positive integer, "
                f"received depth_multiplier={depth_multiplier!r}."
            )
        self.depth_multiplier = depth_multiplier

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(channels * self.depth_multiplier,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self._in_channels = channels

    def call(self, inputs):
        self._check_input(inputs)
        if inputs.dtype != self.kernel.dtype and not torch.is_autocast_enabled():
            inputs = inputs.to(self.kernel.dtype)
        x, padding = self._padded(self._to_torch(inputs))
        r = self.rank
        # (*k, in, m) -> (in * m, 1, *k)
        kernel = self._lift_kernel(self.kernel.reshape(self.kernel_size + (-1,)).permute(r, *range(r)).unsqueeze(1))
        try:
            y = _CONV[self._torch_rank](
                x, kernel, self.bias, self._torch_strides, padding, self._torch_dilation, self._in_channels
            )
        except RuntimeError:
            self._raise_if_window_too_large(U.shown_shape(inputs))
            raise
        y = self._from_torch(y)
        return y if self._linear else self.activation(y)

    def get_config(self):
        config = super(BaseConv, self).get_config()
        config.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "depthwise_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "depthwise_regularizer": serialize_or_none(regularizers, self.kernel_regularizer),
                "bias_regularizer": serialize_or_none(regularizers, self.bias_regularizer),
                "activity_regularizer": serialize_or_none(regularizers, self._activity_regularizer),
                "depthwise_constraint": serialize_or_none(constraints, self.kernel_constraint),
                "bias_constraint": serialize_or_none(constraints, self.bias_constraint),
            }
        )
        return config
