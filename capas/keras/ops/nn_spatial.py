"""keras.ops' spatial nn ops: adaptive pooling, transposed convolution, fold/unfold, depth<->space.

Each runs torch's kernel (channels first) and moves the channel axis where Keras's
`data_format` (default `keras.config.image_data_format()`, "channels_last") puts it."""

import torch
import torch.nn.functional as F

from capas.keras import config
from capas.keras.ops._dispatch import keras_op
from capas.ops.nn_conv_transpose import depth_to_space_nhwc, space_to_depth_nhwc
from capas.keras.ops._dispatch import tensor as _t
from capas.keras.ops._dispatch import to_float as _f
from capas.keras.layers.convolutional._base_conv_transpose import _keras_crops

_ADAPTIVE = {
    "average": {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d},
    "max": {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d},
}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _channels_last(data_format, what):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{what}: `data_format` must be 'channels_last' or 'channels_first'. Received: data_format={data_format!r}"
        )
    return data_format == "channels_last"


def _spatial_dims(x, what):
    n = x.dim() - 2
    if n not in (1, 2, 3):
        raise ValueError(
            f"{what} expects a 3D, 4D or 5D input (batch, spatial..., channels); "
            f"received shape {tuple(x.shape)}. Add the batch/channel axes or pick the 1D/2D/3D form."
        )
    return n


def _sizes(value, n, what, name):
    if isinstance(value, int):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"{what}: `{name}` needs {n} values for a {n}D input; received {name}={value}.")
    return value


def _adaptive(kind, inputs, output_size, data_format):
    what = f"adaptive_{kind}_pool"
    x = _t(inputs)
    n = _spatial_dims(x, what)
    channels_last = _channels_last(data_format, what)
    if channels_last:
        x = torch.movedim(x, -1, 1)
    out = _ADAPTIVE[kind][n](x, _sizes(output_size, n, what, "output_size"))
    return torch.movedim(out, 1, -1) if channels_last else out


@keras_op
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed `output_size`, whatever the input size (as torch's adaptive pools).

    Output position `i` of an axis of length `L` averages inputs
    `floor(i * L / out)` to `ceil((i + 1) * L / out)`.

    Example:

    >>> from capas import keras
    >>> x = keras.ops.reshape(keras.ops.arange(6.0), (1, 6, 1))
    >>> keras.ops.adaptive_average_pool(x, 2)[0, :, 0].tolist()
    [1.0, 4.0]
    """
    return _adaptive("average", inputs, output_size, data_format)


@keras_op
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed `output_size` (the windows of `adaptive_average_pool`).

    Example:

    >>> from capas import keras
    >>> x = keras.ops.reshape(keras.ops.arange(6.0), (1, 6, 1))
    >>> keras.ops.adaptive_max_pool(x, 3)[0, :, 0].tolist()
    [1.0, 3.0, 5.0]
    """
    return _adaptive("max", inputs, output_size, data_format)


@keras_op
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1):
    """N-D transposed convolution; `kernel` is `(spatial..., out_channels, in_channels)` as in Keras.

    The output size follows Keras: 'valid' gives `(in - 1) * stride + max(kernel, stride)`,
    'same' gives `in * stride`, and `output_padding` sets the extra rows at the end.

    Example:

    >>> from capas import keras
    >>> y = keras.ops.conv_transpose(keras.ops.ones((1, 4, 4, 3)), keras.ops.ones((3, 3, 5, 3)), 2, "same")
    >>> tuple(y.shape)
    (1, 8, 8, 5)
    """
    what = "conv_transpose"
    x, kernel = _f(inputs), _f(kernel)
    n = _spatial_dims(x, what)
    channels_last = _channels_last(data_format, what)
    if channels_last:
        x = torch.movedim(x, -1, 1)
    if kernel.dim() != n + 2 or kernel.shape[-1] != x.shape[1]:
        raise ValueError(
            f"{what}: the kernel must be (spatial..., out_channels, in_channels) with in_channels="
            f"{x.shape[1]} (the input's channels); received kernel shape {tuple(kernel.shape)}."
        )
    strides = _sizes(strides, n, what, "strides")
    dilations = _sizes(dilation_rate, n, what, "dilation_rate")
    extras = (None,) * n if output_padding is None else _sizes(output_padding, n, what, "output_padding")
    padding = padding.lower()
    weight = kernel.permute(n + 1, n, *range(n))  # (*k, out, in) -> torch's (in, out, *k)
    y = _CONV_T[n](x, weight, stride=strides, dilation=dilations)
    index, zero_pads = [slice(None), slice(None)], []
    for i in range(n):
        before, after = _keras_crops(kernel.shape[i], strides[i], dilations[i], padding, extras[i])
        index.append(slice(max(before, 0), -after if after > 0 else None))
        zero_pads = [max(-before, 0), max(-after, 0)] + zero_pads
    y = y[tuple(index)]
    if any(zero_pads):
        y = F.pad(y, zero_pads)
    return torch.movedim(y, 1, -1) if channels_last else y


@keras_op
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of a 4D `(N, C, H, W)` (channels first) image -> `(N, C * kH * kW, L)`.

    Example:

    >>> from capas import keras
    >>> tuple(keras.ops.unfold(keras.ops.ones((1, 2, 4, 4)), 2).shape)
    (1, 8, 9)
    """
    x = _t(x)
    if x.dim() != 4:
        raise ValueError(f"unfold: the input must be a 4D (N, C, H, W) tensor. Received: input.shape={tuple(x.shape)}")
    return F.unfold(x, kernel_size, dilation=dilation, padding=padding, stride=stride)


@keras_op
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The inverse arrangement of `unfold`: `(N, C * kH * kW, L)` blocks summed into `(N, C, H, W)`.

    Example:

    >>> from capas import keras
    >>> y = keras.ops.fold(keras.ops.ones((1, 4, 9)), (4, 4), 2)
    >>> y[0, 0, 1, 1].item()  # four blocks overlap there
    4.0
    """
    x = _t(x)
    if x.dim() != 3:
        raise ValueError(f"fold: the input must be a 3D (N, C*kH*kW, L) tensor. Received: input.shape={tuple(x.shape)}")
    return F.fold(x, output_size, kernel_size, dilation=dilation, padding=padding, stride=stride)


def _block_format(x, block_size, data_format, what):
    if block_size < 2:
        raise ValueError(f"{what}: `block_size` must be at least 2. Received: block_size={block_size}")
    if x.dim() != 4:
        raise ValueError(f"{what} requires a 4D input tensor. Received: x.shape={tuple(x.shape)}")
    return _channels_last(data_format, what)


@keras_op
def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into `block_size x block_size` spatial tiles (TF's `depth_to_space`).

    Channel `(i * block_size + j) * C' + c` goes to tile position `(i, j)`, channel `c`, in both
    data formats (channels_first is computed as channels_last between two transposes, as TF does).

    Example:

    >>> from capas import keras
    >>> tuple(keras.ops.depth_to_space(keras.ops.ones((1, 2, 3, 8)), 2).shape)
    (1, 4, 6, 2)
    """
    x = _t(x)
    if not _block_format(x, block_size, data_format, "depth_to_space"):
        return depth_to_space_nhwc(x.permute(0, 2, 3, 1), block_size, "depth_to_space").permute(0, 3, 1, 2)
    return depth_to_space_nhwc(x, block_size, "depth_to_space")


@keras_op
def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves `block_size x block_size` spatial tiles into channels (the inverse of `depth_to_space`, TF's order).

    Example:

    >>> from capas import keras
    >>> tuple(keras.ops.space_to_depth(keras.ops.ones((1, 4, 6, 2)), 2).shape)
    (1, 2, 3, 8)
    """
    x = _t(x)
    if not _block_format(x, block_size, data_format, "space_to_depth"):
        return space_to_depth_nhwc(x.permute(0, 2, 3, 1), block_size, "space_to_depth").permute(0, 3, 1, 2)
    return space_to_depth_nhwc(x, block_size, "space_to_depth")
