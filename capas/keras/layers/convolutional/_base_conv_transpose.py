"""`BaseConvTranspose`: the N-D transposed convolution of Conv1D/2D/3DTranspose.

Keras defines the output by the padding of the (stride-dilated) input:
'valid' gives `(in - 1) * stride + max(kernel, stride)`, 'same' gives
`in * stride`, and `output_padding` adds rows at the end. Torch's kernel
computes the full output `(in - 1) * stride + kernel` and crops it
symmetrically. The crops Keras implies depend only on the configuration, so
they are computed once, in `__init__`, and turned into torch's
`padding`/`output_padding` where possible (no copy), or a slice (a view)
otherwise.
"""

import torch.nn.functional as F

from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.convolutional._base_conv import BaseConv

_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _keras_crops(kernel, stride, dilation, padding, output_padding):
    """(crop_before, crop_after) of torch's full output along one dim (negative: zero-pad)."""
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        before, after = effective - 1, effective - 1 + extra
    else:
        if output_padding is None:
            total = stride + effective - 2
        else:
            total = effective + effective % 2 - 2 + output_padding
        before = min(total // 2 + total % 2, effective - 1)
        after = total - before
    return effective - 1 - before, effective - 1 - after


class BaseConvTranspose(BaseConv):
    """N-D transposed convolution, kernel in Keras's `(*kernel_size, filters, in_channels)` layout."""

    _transposed = True  # any input size is valid

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=1,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        owner = f"{type(self).__name__} '{self.name}'"
        if output_padding is None:
            self.output_padding = None
        else:
            self.output_padding = U.normalize_tuple(output_padding, self.rank, "output_padding", owner, allow_zero=True)
            for i, (extra, stride) in enumerate(zip(self.output_padding, self.strides)):
                if extra >= stride:
                    raise ValueError(
                        f"{owner}: each value of `output_padding` must be strictly less than the matching "
                        f"`strides` value; at index {i} output_padding is {extra} and strides is {stride}. "
                        f"Received output_padding={self.output_padding}, strides={self.strides}."
                    )
        self._plan()

    def _plan(self):
        """Translate Keras's crops into torch padding, output_padding, a slice and a zero-pad."""
        pads, out_pads, slices, zero_pads = [], [], [slice(None), slice(None)], []
        for i in range(self.rank):
            extra = None if self.output_padding is None else self.output_padding[i]
            before, after = _keras_crops(
                self.kernel_size[i], self.strides[i], self.dilation_rate[i], self.padding, extra
            )
            limit = max(self.strides[i], self.dilation_rate[i])
            if before >= 0 and after >= 0 and before - after in range(limit):
                pads.append(before)
                out_pads.append(before - after)
                slices.append(slice(None))
                zero_pads.append((0, 0))
            else:
                common = max(min(before, after), 0)
                pads.append(common)
                out_pads.append(0)
                b, a = max(before - common, 0), max(after - common, 0)
                slices.append(slice(b, -a if a else None))
                zero_pads.append((max(-before, 0), max(-after, 0)))
        self._torch_padding = tuple(pads)
        self._torch_output_padding = tuple(out_pads)
        self._slices = tuple(slices) if any(s != slice(None) for s in slices[2:]) else None
        self._zero_pads = None
        if any(p != (0, 0) for p in zero_pads):
            flat = []
            for before, after in reversed(zero_pads):
                flat.extend((before, after))
            self._zero_pads = flat

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (self.filters, channels),
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

    def call(self, inputs):
        self._check_input(inputs)
        if inputs.dtype != self.kernel.dtype:
            inputs = inputs.to(self.kernel.dtype)
        x = U.to_channels_first(inputs, self._channels_last)
        late_bias = self._zero_pads is not None and self.bias is not None
        # (*k, out, in) -> torch's (in, out, *k), a view of the Keras-layout variable.
        r = self.rank
        kernel = self.kernel.permute(r + 1, r, *range(r))
        y = _CONV_T[r](
            x,
            kernel,
            None if late_bias else self.bias,
            self.strides,
            self._torch_padding,
            self._torch_output_padding,
            1,
            self.dilation_rate,
        )
        if self._slices is not None:
            y = y[self._slices]
        if self._zero_pads is not None:
            y = F.pad(y, self._zero_pads)
            if late_bias:
                y = y + self.bias.view((-1,) + (1,) * r)
        y = U.to_channels_last(y, self._channels_last)
        return y if self._linear else self.activation(y)

    def get_config(self):
        config = self._base_config()
        config.pop("groups")
        items = list(config.items())
        index = [k for k, _ in items].index("padding") + 1
        items.insert(index, ("output_padding", self.output_padding))
        return dict(items)
