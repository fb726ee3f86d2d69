"""More `tf.nn` pooling-like ops: `max_pool_with_argmax`, `dilation2d`/`erosion2d`, `pool`,
`space_to_batch`, `approx_max_k`/`approx_min_k`, `batch_norm_with_global_normalization`, `collapse_repeated`.
"""

import torch
import torch.nn.functional as F

from capas.ops._recording import op
from capas.ops._utils import to_tensor
from capas.ops.nn_conv import _pads
from capas.ops.nn_conv import _spatial
from capas.ops.nn_conv import avg_pool
from capas.ops.nn_conv import max_pool


def _windows(x, kernel, strides, dilations, padding):
    """NHWC `x` -> (`[N, C, kh*kw, L]` windows padded with -inf, (out_h, out_w), (pad_top, pad_left))."""
    pads = _pads(padding, x.shape[1:3], kernel, strides, dilations, True)
    planes = torch.movedim(x, -1, 1)
    (top, bottom), (left, right) = pads
    if top or bottom or left or right:
        planes = F.pad(planes, (left, right, top, bottom), value=float("-inf"))
    n, c, h, w = planes.shape
    eff = [(k - 1) * d + 1 for k, d in zip(kernel, dilations)]
    out_h = (h - eff[0]) // strides[0] + 1
    out_w = (w - eff[1]) // strides[1] + 1
    cols = F.unfold(planes, kernel, dilation=dilations, stride=strides)  # [N, C*kh*kw, L]
    return cols.reshape(n, c, kernel[0] * kernel[1], out_h * out_w), (out_h, out_w), (top, left)


@op
def max_pool_with_argmax(
    input, ksize, strides, padding, data_format="NHWC", output_dtype="int64", include_batch_in_index=False, name=None
):  # noqa: A002
    """Max pooling of NHWC `input` and, for each output, the flat index of the max: `(y * width + x) * channels + c`.

    With `include_batch_in_index=True` the index also counts the batch: `((b * height + y) * width + x) * channels + c`.
    """
    x = to_tensor(input)
    if x.dim() != 4 or str(data_format).upper() != "NHWC":
        raise ValueError(
            f"tf.nn.max_pool_with_argmax: input must be 4-D NHWC; received shape {tuple(x.shape)}, {data_format}."
        )
    kernel = _spatial(ksize, 2, "ksize", True)
    strides = _spatial(strides, 2, "strides", True)
    cols, (out_h, out_w), (top, left) = _windows(x, kernel, strides, (1, 1), padding)
    values, k = cols.max(dim=2)  # first maximum in row-major window order, as TF
    n, c, _ = values.shape
    grid = torch.arange(out_h * out_w, device=x.device)
    y = (grid // out_w) * strides[0] + torch.div(k, kernel[1], rounding_mode="floor") - top
    xx = (grid % out_w) * strides[1] + k % kernel[1] - left
    channel = torch.arange(c, device=x.device)[None, :, None]
    index = (y * x.shape[2] + xx) * c + channel
    if include_batch_in_index:
        index = index + torch.arange(n, device=x.device)[:, None, None] * (x.shape[1] * x.shape[2] * c)
    shape = (n, c, out_h, out_w)
    out = torch.movedim(values.reshape(shape), 1, -1)
    argmax = torch.movedim(index.reshape(shape), 1, -1).to(torch.int64 if "64" in str(output_dtype) else torch.int32)
    return out, argmax


@op
def dilation2d(input, filters, strides, padding, data_format, dilations, name=None):  # noqa: A002
    """Grayscale morphological dilation: `max over the window of input + filters` (filters `[h, w, channels]`)."""
    x = to_tensor(input)
    f = to_tensor(filters, dtype=x.dtype)
    if str(data_format).upper() != "NHWC" or x.dim() != 4 or f.dim() != 3:
        raise ValueError(
            f"tf.nn.dilation2d: input must be NHWC 4-D and filters [h, w, channels]; received {tuple(x.shape)}, "
            f"{tuple(f.shape)}, {data_format!r}."
        )
    kernel = tuple(f.shape[:2])
    strides = _spatial(strides, 2, "strides", True)
    dilations = _spatial(dilations, 2, "dilations", True)
    cols, (out_h, out_w), _ = _windows(x, kernel, strides, dilations, padding)
    weights = f.permute(2, 0, 1).reshape(1, f.shape[2], kernel[0] * kernel[1], 1)
    out = (cols + weights).max(dim=2).values
    return torch.movedim(out.reshape(x.shape[0], x.shape[3], out_h, out_w), 1, -1)


def erosion2d(value, filters, strides, padding, data_format, dilations, name=None):
    """Grayscale morphological erosion: `-dilation2d(-value, filters flipped in h and w)`."""
    f = to_tensor(filters)
    return -dilation2d(-to_tensor(value), torch.flip(f, (0, 1)), strides, padding, data_format, dilations)


def pool(input, window_shape, pooling_type, strides=None, padding="VALID", data_format=None, dilations=None, name=None):  # noqa: A002
    """`max_pool` or `avg_pool` by name (`pooling_type` 'MAX' or 'AVG'); dilations other than 1 are not supported."""
    kind = str(pooling_type).upper()
    if kind not in ("MAX", "AVG"):
        raise ValueError(f"tf.nn.pool: `pooling_type` must be 'MAX' or 'AVG'; received {pooling_type!r}.")
    if dilations is not None and any(int(d) != 1 for d in ([dilations] if isinstance(dilations, int) else dilations)):
        raise NotImplementedError(
            "tf.nn.pool: dilation rates other than 1 are not supported in capas; pool a tf.nn.space_to_batch "
            "of the input instead (what TF does for them)."
        )
    strides = 1 if strides is None else strides
    fn = max_pool if kind == "MAX" else avg_pool
    return fn(input, window_shape, strides, padding, data_format)


@op
def space_to_batch(input, block_shape, paddings, name=None):  # noqa: A002
    """Pad the spatial axes, cut them into `block_shape` blocks and move the block offsets into the batch.

    `input` is `[batch, *spatial(M), *rest]`; the output is `[prod(block_shape) * batch, *padded / block, *rest]`
    with batch index `offset * batch + b` (offsets in row-major order), as `tf.space_to_batch_nd`.
    """
    x = to_tensor(input)
    blocks = [int(b) for b in (block_shape.tolist() if isinstance(block_shape, torch.Tensor) else block_shape)]
    pairs = paddings.tolist() if isinstance(paddings, torch.Tensor) else paddings
    pairs = [(int(a), int(b)) for a, b in pairs]
    m = len(blocks)
    if len(pairs) != m or x.dim() < m + 1:
        raise ValueError(
            f"tf.nn.space_to_batch: need {m} (before, after) paddings and an input of rank > {m}; received "
            f"paddings {pairs} and shape {tuple(x.shape)}."
        )
    pad = []
    for before, after in reversed(pairs):
        pad += [before, after]
    x = F.pad(x, [0, 0] * (x.dim() - 1 - m) + pad)
    batch, spatial, rest = x.shape[0], list(x.shape[1 : m + 1]), list(x.shape[m + 1 :])
    for size, block in zip(spatial, blocks):
        if size % block:
            raise ValueError(f"tf.nn.space_to_batch: padded size {size} is not divisible by block size {block}.")
    split = [batch]
    for size, block in zip(spatial, blocks):
        split += [size // block, block]
    x = x.reshape(split + rest)
    block_axes = [2 + 2 * i for i in range(m)]
    grid_axes = [1 + 2 * i for i in range(m)]
    rest_axes = list(range(1 + 2 * m, 1 + 2 * m + len(rest)))
    x = x.permute(block_axes + [0] + grid_axes + rest_axes)
    total = batch
    for block in blocks:
        total *= block
    return x.reshape([total] + [s // b for s, b in zip(spatial, blocks)] + rest)


def _approx_k(operand, k, reduction_dimension, largest):
    x = to_tensor(operand)
    values, indices = torch.topk(x, int(k), dim=reduction_dimension, largest=largest, sorted=True)
    return values, indices.to(torch.int32)


@op
def approx_max_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """The `k` largest values along `reduction_dimension` and their int32 indices (exact here, as TF on CPU)."""
    return _approx_k(operand, k, reduction_dimension, True)


@op
def approx_min_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """The `k` smallest values along `reduction_dimension` and their int32 indices (exact here)."""
    return _approx_k(operand, k, reduction_dimension, False)


@op
def batch_norm_with_global_normalization(
    input, mean, variance, beta, gamma, variance_epsilon, scale_after_normalization, name=None
):  # noqa: A002
    """`(input - mean) / sqrt(variance + eps) * gamma + beta` (`gamma` only with `scale_after_normalization`)."""
    x = to_tensor(input)
    inv = torch.rsqrt(to_tensor(variance, dtype=x.dtype) + variance_epsilon)
    if scale_after_normalization:
        inv = inv * to_tensor(gamma, dtype=x.dtype)
    return x * inv + (to_tensor(beta, dtype=x.dtype) - to_tensor(mean, dtype=x.dtype) * inv)


def collapse_repeated(labels, seq_length, name=None):
    """Merge runs of one label in each row (up to its `seq_length`): `(collapsed labels, new lengths)`.

    The collapsed rows are zero-padded to the longest new length.
    """
    labels = to_tensor(labels)
    lengths = to_tensor(seq_length).to(torch.int64).tolist()
    rows = []
    for row, length in zip(labels.tolist(), lengths):
        out = []
        for value in row[:length]:
            if not out or out[-1] != value:
                out.append(value)
        rows.append(out)
    width = max((len(r) for r in rows), default=0)
    collapsed = torch.zeros(len(rows), width, dtype=labels.dtype)
    for i, row in enumerate(rows):
        collapsed[i, : len(row)] = torch.tensor(row, dtype=labels.dtype)
    return collapsed, torch.tensor([len(r) for r in rows], dtype=to_tensor(seq_length).dtype)
