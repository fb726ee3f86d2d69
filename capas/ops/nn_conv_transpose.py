"""Transposed, depthwise, separable and atrous convolutions, 3-d pooling, depth/space moves (TF layouts).

`conv*_transpose` is the gradient of the forward convolution with respect to its input:
the full transposed convolution, zero-extended and then cropped to `output_shape` by the
forward convolution's own 'SAME'/'VALID' padding, so shapes and values are TF's.
"""

import torch
import torch.nn.functional as F

from capas.ops._recording import op
from capas.tape import record_gradients
from capas.ops._utils import to_tensor
from capas.ops.nn_conv import _channels_last
from capas.ops.nn_conv import _pads
from capas.ops.nn_conv import _spatial
from capas.ops.nn_conv import avg_pool
from capas.ops.nn_conv import convolution
from capas.ops.nn_conv import max_pool

_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _shape_list(output_shape):
    if isinstance(output_shape, torch.Tensor):
        return [int(v) for v in output_shape.reshape(-1).tolist()]
    return [int(v) for v in output_shape]


@op
def conv_transpose(input, filters, output_shape, strides, padding="SAME", data_format=None, dilations=None, name=None):  # noqa: A002
    """The transpose of `tf.nn.convolution` (1-3 spatial axes; the rank of `input` decides).

    Args:
        input: `[batch, *spatial, in_channels]` (channels first with `data_format='NC...'`).
        filters: `[*kernel, out_channels, in_channels]` (TF's order: output before input).
        output_shape: the full output shape `[batch, *out_spatial, out_channels]` (or the spatial part only).
        strides, dilations: an int or one value per spatial axis.
        padding: 'SAME' or 'VALID', of the forward convolution this transposes.

    Example:

    >>> import capas as tf
    >>> tf.nn.conv2d_transpose(tf.ones([1, 2, 2, 1]), tf.ones([3, 3, 1, 1]), [1, 4, 4, 1], 2).numpy()[0, :, :, 0].tolist()
    [[1.0, 1.0, 2.0, 1.0], [1.0, 1.0, 2.0, 1.0], [2.0, 2.0, 4.0, 2.0], [1.0, 1.0, 2.0, 1.0]]
    """
    x = to_tensor(input)
    w = to_tensor(filters)
    n = x.dim() - 2
    if n not in _CONV_T or w.dim() != n + 2:
        raise ValueError(
            f"tf.nn.conv_transpose: expected input of rank 3-5 and filters of the same rank; received input "
            f"{tuple(x.shape)} and filters {tuple(w.shape)}."
        )
    last = _channels_last(data_format, n)
    strides = _spatial(strides, n, "strides", last)
    dilations = _spatial(1 if dilations is None else dilations, n, "dilations", last)
    shape = _shape_list(output_shape)
    if len(shape) == n + 2:
        spatial = shape[1:-1] if last else shape[2:]
        out_channels = shape[-1] if last else shape[1]
        if out_channels != w.shape[-2]:
            raise ValueError(
                f"tf.nn.conv_transpose: output_shape {shape} has {out_channels} channels but the filters "
                f"{tuple(w.shape)} make {w.shape[-2]} (filters are [*kernel, out_channels, in_channels])."
            )
    elif len(shape) == n:
        spatial = shape
    else:
        raise ValueError(f"tf.nn.conv_transpose: output_shape must have {n + 2} (or {n}) entries; received {shape}.")
    if last:
        x = torch.movedim(x, -1, 1)
    if x.shape[1] != w.shape[-1]:
        raise ValueError(
            f"tf.nn.conv_transpose: input has {x.shape[1]} channels but the filters {tuple(w.shape)} expect "
            f"{w.shape[-1]} (the last filter axis)."
        )
    weight = w.permute(n + 1, n, *range(n))  # [in(x), out, *kernel]
    full = _CONV_T[n](x, weight, stride=strides, dilation=dilations)
    pads = _pads(padding, spatial, w.shape[:n], strides, dilations, last)
    for axis, ((before, _), size) in enumerate(zip(pads, spatial)):
        dim = 2 + axis
        have = full.shape[dim]
        if have < before + size:  # positions the forward conv never read: zero gradient
            extra = list(full.shape)
            extra[dim] = before + size - have
            full = torch.cat([full, full.new_zeros(extra)], dim=dim)
        full = full.narrow(dim, before, size)
    return torch.movedim(full, 1, -1) if last else full


def conv1d_transpose(
    input, filters, output_shape, strides, padding="SAME", data_format="NWC", dilations=None, name=None
):  # noqa: A002
    """The transpose of `conv1d`: filters `[k, out, in]`."""
    return conv_transpose(input, filters, output_shape, strides, padding, data_format, dilations)


def conv2d_transpose(
    input, filters, output_shape, strides, padding="SAME", data_format="NHWC", dilations=None, name=None
):  # noqa: A002
    """The transpose of `conv2d`: filters `[kh, kw, out, in]`."""
    return conv_transpose(input, filters, output_shape, strides, padding, data_format, dilations)


def conv3d_transpose(
    input, filters, output_shape, strides, padding="SAME", data_format="NDHWC", dilations=None, name=None
):  # noqa: A002
    """The transpose of `conv3d`: filters `[kd, kh, kw, out, in]`."""
    return conv_transpose(input, filters, output_shape, strides, padding, data_format, dilations)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """`conv2d` with holes: dilation `rate` on both spatial axes."""
    return convolution(value, filters, 1, padding, "NHWC", rate)


@op
def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None, name=None):  # noqa: A002
    """Each input channel convolved with its own `channel_multiplier` filters.

    `filter` is `[kh, kw, in_channels, channel_multiplier]`; output channel `c * multiplier + m`.
    """
    w = to_tensor(filter)
    if w.dim() != 4:
        raise ValueError(
            f"tf.nn.depthwise_conv2d: `filter` must be [kh, kw, in, multiplier]; received {tuple(w.shape)}."
        )
    kh, kw, channels, multiplier = w.shape
    grouped = w.reshape(kh, kw, 1, channels * multiplier)
    return convolution(input, grouped, strides, padding, data_format or "NHWC", dilations)


@op
def separable_conv2d(
    input, depthwise_filter, pointwise_filter, strides, padding, data_format=None, dilations=None, name=None
):  # noqa: A002
    """A depthwise convolution, then a 1x1 convolution with `pointwise_filter` `[1, 1, in * multiplier, out]`."""
    depth = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return convolution(depth, pointwise_filter, 1, "VALID", data_format or "NHWC")


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """Average pooling of `[batch, depth, height, width, channels]` ('SAME' padding not counted)."""
    return avg_pool(input, ksize, strides, padding, data_format)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """Max pooling of `[batch, depth, height, width, channels]`."""
    return max_pool(input, ksize, strides, padding, data_format)


def _block(block_size, op_name):
    block_size = int(block_size)
    if block_size < 2:
        raise ValueError(f"tf.nn.{op_name}: `block_size` must be at least 2; received {block_size}.")
    return block_size


@op
def depth_to_space(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """Move depth into `block_size x block_size` spatial blocks (channel `(i * bs + j) * C + c` to pixel offset `(i, j)`).

    Example:

    >>> import capas as tf
    >>> tf.nn.depth_to_space(tf.reshape(tf.range(4), [1, 1, 1, 4]), 2).numpy()[0, :, :, 0].tolist()
    [[0, 1], [2, 3]]
    """
    x = to_tensor(input)
    bs = _block(block_size, "depth_to_space")
    last = _channels_last(data_format, 2)
    if x.dim() != 4:
        raise ValueError(f"tf.nn.depth_to_space: input must be 4-D; received shape {tuple(x.shape)}.")
    if not last:
        return depth_to_space_nhwc(x.permute(0, 2, 3, 1), bs, "tf.nn.depth_to_space").permute(0, 3, 1, 2)
    return depth_to_space_nhwc(x, bs, "tf.nn.depth_to_space")


@op
def space_to_depth(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """The inverse of `depth_to_space`: each `block_size x block_size` block becomes depth."""
    x = to_tensor(input)
    bs = _block(block_size, "space_to_depth")
    last = _channels_last(data_format, 2)
    if x.dim() != 4:
        raise ValueError(f"tf.nn.space_to_depth: input must be 4-D; received shape {tuple(x.shape)}.")
    if not last:
        return space_to_depth_nhwc(x.permute(0, 2, 3, 1), bs, "tf.nn.space_to_depth").permute(0, 3, 1, 2)
    return space_to_depth_nhwc(x, bs, "tf.nn.space_to_depth")


def depth_to_space_nhwc(x, bs, who):
    """TF's depth_to_space on an NHWC tensor (also keras.ops's): channel `(i * bs + j) * C + c` to offset `(i, j)`."""
    b, h, w, c = x.shape
    if c % (bs * bs):
        raise ValueError(f"{who}: the depth {c} is not divisible by block_size**2 = {bs * bs}.")
    return (
        x.reshape(b, h, w, bs, bs, c // (bs * bs)).permute(0, 1, 3, 2, 4, 5).reshape(b, h * bs, w * bs, c // (bs * bs))
    )


def space_to_depth_nhwc(x, bs, who):
    """TF's space_to_depth on an NHWC tensor (also keras.ops's): the inverse of `depth_to_space_nhwc`."""
    b, h, w, c = x.shape
    if h % bs or w % bs:
        raise ValueError(f"{who}: height {h} and width {w} must be divisible by block_size {bs}.")
    return x.reshape(b, h // bs, bs, w // bs, bs, c).permute(0, 1, 3, 2, 4, 5).reshape(b, h // bs, w // bs, bs * bs * c)


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """The transpose of `atrous_conv2d`: `conv2d_transpose` with dilation `rate` and stride 1."""
    return conv_transpose(value, filters, output_shape, 1, padding, "NHWC", rate)


def _depthwise_vjp(x, w, out_backprop, strides, padding, data_format, dilations, wrt):
    keep_graph = torch.is_grad_enabled()  # inside a tape: the result is differentiable too
    with record_gradients(), torch.enable_grad():
        x = x.detach().requires_grad_(wrt == "input") if wrt == "input" else x
        w = w.detach().requires_grad_(wrt == "filter") if wrt == "filter" else w
        y = depthwise_conv2d.__wrapped_op__(x, w, strides, padding, data_format, dilations)
        target = x if wrt == "input" else w
        (grad,) = torch.autograd.grad(y, target, grad_outputs=out_backprop, create_graph=keep_graph)
    return grad


@op
def depthwise_conv2d_backprop_input(
    input_sizes, filter, out_backprop, strides, padding, data_format="NHWC", dilations=(1, 1, 1, 1), name=None
):  # noqa: A002
    """The gradient of `depthwise_conv2d` with respect to an input of shape `input_sizes`."""
    w = to_tensor(filter)
    dy = to_tensor(out_backprop, dtype=w.dtype)
    sizes = _shape_list(input_sizes)
    x = torch.zeros(sizes, dtype=w.dtype, device=w.device)
    return _depthwise_vjp(x, w, dy, strides, padding, data_format, dilations, "input")


@op
def depthwise_conv2d_backprop_filter(
    input, filter_sizes, out_backprop, strides, padding, data_format="NHWC", dilations=(1, 1, 1, 1), name=None
):  # noqa: A002
    """The gradient of `depthwise_conv2d` with respect to a filter of shape `filter_sizes`."""
    x = to_tensor(input)
    dy = to_tensor(out_backprop, dtype=x.dtype)
    w = torch.zeros(_shape_list(filter_sizes), dtype=x.dtype, device=x.device)
    return _depthwise_vjp(x, w, dy, strides, padding, data_format, dilations, "filter")
