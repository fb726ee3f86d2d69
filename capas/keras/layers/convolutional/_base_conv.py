"""`BaseConv`: the N-D convolution shared by Conv1D, Conv2D and Conv3D."""

import torch
import torch.nn.functional as F

from capas.keras import activations, constraints, initializers, regularizers
from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.layer import Layer

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_SPATIAL_NAMES = {1: "steps", 2: "height, width", 3: "dim1, dim2, dim3"}


def serialize_or_none(module, obj):
    """`module.serialize(obj)`, or None when `obj` is None."""
    return None if obj is None else module.serialize(obj)


class BaseConv(Layer):
    """N-D convolution: `activation(conv(inputs, kernel) + bias)`.

    The kernel is stored in Keras's layout `(*kernel_size, in_channels // groups,
    filters)`, so `set_weights(keras_layer.get_weights())` works; the call views
    it (no copy) as torch's `(filters, in // groups, *kernel_size)`.
    """

    rank = None
    _allowed_padding = ("valid", "same")
    _needs_filters = True
    _transposed = False

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        owner = f"{type(self).__name__} '{self.name}'"
        rank = self.rank
        if (filters is not None or self._needs_filters) and (
            not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0
        ):
            raise ValueError(f"{owner}: `filters` must be a positive integer, received filters={filters!r}.")
        self.filters = filters
        self.groups = int(groups)
        self.kernel_size = U.normalize_tuple(kernel_size, rank, "kernel_size", owner)
        self.strides = U.normalize_tuple(strides, rank, "strides", owner)
        self.dilation_rate = U.normalize_tuple(dilation_rate, rank, "dilation_rate", owner)
        self.padding = U.normalize_padding(padding, owner, self._allowed_padding)
        self.data_format = U.normalize_data_format(data_format, owner)
        if self.groups <= 0:
            raise ValueError(f"{owner}: `groups` must be a positive integer, received groups={groups!r}.")
        if filters is not None and filters % self.groups:
            raise ValueError(
                f"{owner}: `filters` must be divisible by `groups`, received filters={filters}, groups={groups}."
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{owner}: `strides > 1` is not compatible with `dilation_rate > 1`, received "
                f"strides={self.strides} and dilation_rate={self.dilation_rate}. Use one or the other."
            )
        if lora_rank:
            raise ValueError(f"{owner}: LoRA (lora_rank={lora_rank}) is not supported by capas.")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._channels_last = self.data_format == "channels_last"
        self._channel_axis = -1 if self._channels_last else 1
        self._linear = self.activation is activations.linear
        # 1-D convolutions run as 2-D ones on an image of height 1: on a channels_last view
        # torch's 2-D kernels are about twice as fast as its 1-D ones, and the result is contiguous.
        lifted = rank == 1
        self._torch_rank = 2 if lifted else rank
        self._torch_strides = (1,) + self.strides if lifted else self.strides
        self._torch_dilation = (1,) + self.dilation_rate if lifted else self.dilation_rate

    # ------------------------------------------------------------------ build
    def _check_rank(self, shape):
        want = self.rank + 2
        if len(shape) != want:
            layout = (
                f"(batch, {_SPATIAL_NAMES[self.rank]}, channels)"
                if self._channels_last
                else f"(batch, channels, {_SPATIAL_NAMES[self.rank]})"
            )
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects a {want}-D input {layout} "
                f"(data_format='{self.data_format}'), but received a {len(shape)}-D input of shape "
                f"{tuple(shape)}. Add the missing axis (e.g. a batch axis with tf.expand_dims(x, 0), or a "
                f"channels axis with tf.expand_dims(x, -1)), or use the {self.rank}-D layer that fits."
            )

    def _input_channels(self, input_shape):
        self._check_rank(input_shape)
        self._raise_if_window_too_large(input_shape)
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' needs a known channels dimension (axis "
                f"{self._channel_axis}); received input shape {tuple(input_shape)}."
            )
        return int(channels)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': the number of input channels ({channels}) must be "
                f"divisible by `groups` ({self.groups}). Received input shape {tuple(input_shape)}."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self._in_channels = channels

    # ------------------------------------------------------------------- call
    def _check_input(self, inputs):
        if inputs.dim() != self.rank + 2:
            self._check_rank(U.shown_shape(inputs))
        if inputs.shape[self._channel_axis] != self._in_channels:
            raise ValueError(
                f"Input 0 of layer '{self.name}' ({type(self).__name__}) is incompatible with the layer: "
                f"expected axis {self._channel_axis} of input shape to have value {self._in_channels} "
                f"(the channels the kernel was built for), but received input with shape "
                f"{U.shown_shape(inputs)}. Feed inputs with {self._in_channels} channels "
                f"(data_format='{self.data_format}'), or use a new layer."
            )

    def _to_torch(self, inputs):
        """The input as torch's kernels take it: channels first (a view), 1-D lifted to 2-D."""
        if self.rank == 1:
            inputs = inputs.unsqueeze(1 if self._channels_last else 2)
        return U.to_channels_first(inputs, self._channels_last)

    def _from_torch(self, y):
        y = U.to_channels_last(y, self._channels_last)
        if self.rank == 1:
            y = y.squeeze(1 if self._channels_last else 2)
        return y

    def _lift_kernel(self, kernel):
        """A torch-layout `(out, in, *k)` kernel, lifted to 2-D for 1-D convolutions."""
        return kernel.unsqueeze(2) if self.rank == 1 else kernel

    def _padded(self, x):
        """(x, torch_padding) for the torch-layout `x`, applying TF's padding rules."""
        if self.padding == "valid":
            return x, 0
        lifted = [(0, 0)] if self.rank == 1 else []
        if self.padding == "causal":
            left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
            return U.pad_for_torch(x, lifted + [(left, 0)])
        spatial = x.shape[x.dim() - self.rank :]
        pads = [
            U.same_padding(spatial[i], self.kernel_size[i], self.strides[i], self.dilation_rate[i])
            for i in range(self.rank)
        ]
        return U.pad_for_torch(x, lifted + pads)

    def _raise_if_window_too_large(self, shape):
        if self.padding == "valid" and not self._transposed:
            spatial = range(1, self.rank + 1) if self._channels_last else range(2, self.rank + 2)
            U.check_window_fits(
                type(self).__name__, self.name, tuple(shape), list(spatial), self.kernel_size, self.dilation_rate
            )

    def _inference_fn(self):
        """`call`: the convolution, bias and activation of a batch (`Layer._inference_fn`)."""
        return self._own_call_fn(BaseConv)

    def call(self, inputs):
        self._check_input(inputs)
        if inputs.dtype != self.kernel.dtype and not torch.is_autocast_enabled():
            inputs = inputs.to(self.kernel.dtype)
        x, padding = self._padded(self._to_torch(inputs))
        # (*k, in/g, out) -> (out, in/g, *k): a view of the Keras-layout variable.
        r = self.rank
        kernel = self._lift_kernel(self.kernel.permute(r + 1, r, *range(r)))
        try:
            y = _CONV[self._torch_rank](
                x, kernel, self.bias, self._torch_strides, padding, self._torch_dilation, self.groups
            )
        except RuntimeError:
            self._raise_if_window_too_large(U.shown_shape(inputs))
            raise
        y = self._from_torch(y)
        return y if self._linear else self.activation(y)

    # ----------------------------------------------------------------- config
    def _base_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "groups": self.groups,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": serialize_or_none(regularizers, self.kernel_regularizer),
                "bias_regularizer": serialize_or_none(regularizers, self.bias_regularizer),
                "activity_regularizer": serialize_or_none(regularizers, self._activity_regularizer),
                "kernel_constraint": serialize_or_none(constraints, self.kernel_constraint),
                "bias_constraint": serialize_or_none(constraints, self.bias_constraint),
            }
        )
        return config

    def get_config(self):
        return self._base_config()
