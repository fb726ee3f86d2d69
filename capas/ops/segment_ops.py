"""Segment reductions, counting and lookup ops: `tf.math.segment_*`, `unsorted_segment_*`,
`bincount`, `confusion_matrix`, `in_top_k`, `tf.unique`, `tf.searchsorted`,
`tf.histogram_fixed_width`.

Empty segments get TF's values: 0 for sorted segment ops and sums/means, 1 for products,
and the dtype's lowest (max) or highest (min) value for `unsorted_segment_max/min`.
"""

import collections

import torch

from capas.ops._convert import as_torch_dtype
from capas.ops._recording import op
from capas.ops._utils import to_tensor

_REDUCE = {"sum": "sum", "mean": "mean", "max": "amax", "min": "amin", "prod": "prod"}


def _extreme(dtype, lowest):
    if dtype.is_floating_point:
        info = torch.finfo(dtype)  # TF fills empty segments with the finite extremes
        return info.min if lowest else info.max
    info = torch.iinfo(dtype)
    return info.min if lowest else info.max


def _segment(data, segment_ids, num_segments, kind, empty):
    data = to_tensor(data)
    ids = to_tensor(segment_ids).long().to(data.device)
    keep = ids >= 0  # unsorted ops drop negative ids, as TF
    lead = ids.dim()
    if tuple(data.shape[:lead]) != tuple(ids.shape):
        raise ValueError(f"segment ids shape {tuple(ids.shape)} must be a prefix of data shape {tuple(data.shape)}.")
    flat_ids = ids[keep]
    rows = data[keep] if lead else data.reshape((1,) + tuple(data.shape))
    shape = (int(num_segments),) + tuple(data.shape[lead:])
    if kind == "sum":
        return torch.zeros(shape, dtype=data.dtype, device=data.device).index_add(0, flat_ids, rows)
    fill = {"max": _extreme(data.dtype, True), "min": _extreme(data.dtype, False), "prod": 1, "mean": 0}[kind]
    base = torch.full(shape, fill, dtype=data.dtype, device=data.device)
    index = flat_ids.reshape((-1,) + (1,) * (rows.dim() - 1)).expand_as(rows)
    out = base.scatter_reduce(0, index, rows, _REDUCE[kind], include_self=False)
    if empty is not None:
        counts = torch.zeros(shape[0], dtype=torch.int64, device=data.device).index_add(
            0, flat_ids, torch.ones_like(flat_ids)
        )
        missing = (counts == 0).reshape((-1,) + (1,) * (len(shape) - 1))
        out = torch.where(missing, torch.full_like(out, empty), out)
    return out


def _sorted_count(segment_ids):
    ids = to_tensor(segment_ids)
    return int(ids.max()) + 1 if ids.numel() else 0


def _make_sorted(kind):
    @op
    def segment(data, segment_ids, name=None):
        return _segment(data, segment_ids, _sorted_count(segment_ids), kind, 1 if kind == "prod" else 0)

    segment.__name__ = segment.__qualname__ = f"segment_{kind}"
    segment.__doc__ = f"""The {kind} of `data` rows per sorted segment id (empty segments: {1 if kind == "prod" else 0}).

    >>> import capas as tf
    >>> tf.math.segment_{kind}(tf.constant([1.0, 2.0, 4.0]), tf.constant([0, 0, 1])).numpy().tolist()
    {[{"sum": 3.0, "mean": 1.5, "max": 2.0, "min": 1.0, "prod": 2.0}[kind], 4.0]}
    """
    return segment


def _make_unsorted(kind):
    empty = {"sum": None, "mean": 0, "max": None, "min": None, "prod": 1}[kind]

    @op
    def unsorted_segment(data, segment_ids, num_segments, name=None):
        return _segment(data, segment_ids, int(to_tensor(num_segments)), kind, empty)

    unsorted_segment.__name__ = unsorted_segment.__qualname__ = f"unsorted_segment_{kind}"
    unsorted_segment.__doc__ = f"""The {kind} of `data` rows per segment id, ids in any order (negative ids dropped).

    Empty segments hold {"the dtype's lowest value" if kind == "max" else "the dtype's highest value" if kind == "min" else empty or 0}, as in TF.
    """
    return unsorted_segment


segment_sum = _make_sorted("sum")
segment_mean = _make_sorted("mean")
segment_max = _make_sorted("max")
segment_min = _make_sorted("min")
segment_prod = _make_sorted("prod")
unsorted_segment_mean = _make_unsorted("mean")
unsorted_segment_max = _make_unsorted("max")
unsorted_segment_min = _make_unsorted("min")
unsorted_segment_prod = _make_unsorted("prod")


@op
def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """The sum per segment divided by the square root of the segment's size (0 when empty).

    >>> import capas as tf
    >>> tf.math.unsorted_segment_sqrt_n(tf.constant([2.0, 2.0]), tf.constant([0, 0]), 1).numpy().round(4).tolist()
    [2.828399896621704]
    """
    data = to_tensor(data)
    total = _segment(data, segment_ids, int(to_tensor(num_segments)), "sum", None)
    ones = torch.ones(to_tensor(segment_ids).shape, dtype=data.dtype, device=data.device)
    counts = _segment(ones, segment_ids, int(to_tensor(num_segments)), "sum", None)
    counts = counts.reshape((-1,) + (1,) * (total.dim() - 1))
    return total / torch.sqrt(torch.clamp(counts, min=1))


@op
def bincount(
    arr, weights=None, minlength=None, maxlength=None, dtype=torch.int32, name=None, axis=None, binary_output=False
):
    """Count each non-negative int in `arr` (summing `weights` instead, when given).

    `axis=-1` counts each row of a 2-D `arr` separately; `binary_output` gives 1 for present values.

    >>> import capas as tf
    >>> tf.math.bincount(tf.constant([1, 1, 3])).numpy()
    array([0, 2, 0, 1], dtype=int32)
    """
    arr = to_tensor(arr).long()
    out_dtype = to_tensor(weights).dtype if weights is not None else as_torch_dtype(dtype)
    size = int(arr.max()) + 1 if arr.numel() else 0
    if minlength is not None:
        size = max(size, int(minlength))
    if maxlength is not None:
        size = min(size, int(maxlength))
    if axis is not None and axis not in (0, -1):
        raise ValueError(f"tf.math.bincount: axis must be None, 0 or -1; got {axis}.")
    rows = arr.reshape(1, -1) if axis in (None, 0) else arr.reshape(-1, arr.shape[-1])
    w = None if weights is None else to_tensor(weights).reshape(rows.shape).to(out_dtype)
    keep = rows < size
    out = torch.zeros((rows.shape[0], size), dtype=out_dtype, device=arr.device)
    row_index = torch.arange(rows.shape[0], device=arr.device).unsqueeze(1).expand_as(rows)
    flat = (row_index * size + rows)[keep]
    values = torch.ones(flat.shape, dtype=out_dtype, device=arr.device) if w is None else w[keep]
    out = out.reshape(-1).index_add(0, flat, values).reshape(out.shape)
    if binary_output:
        out = (out != 0).to(out_dtype)
    if axis in (None, 0):
        return out[0]
    return out.reshape(tuple(arr.shape[:-1]) + (size,))


@op
def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=torch.int32, name=None):
    """`m[i, j]` counts (or sums `weights` over) the examples with label i predicted as j.

    >>> import capas as tf
    >>> tf.math.confusion_matrix([1, 2, 4], [2, 2, 4]).numpy()[1:, 1:].tolist()
    [[0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]]
    """
    labels = to_tensor(labels).long().reshape(-1)
    predictions = to_tensor(predictions).long().reshape(-1)
    if labels.shape != predictions.shape:
        raise ValueError(
            f"tf.math.confusion_matrix: labels and predictions must have the same size; got "
            f"{labels.shape[0]} and {predictions.shape[0]}."
        )
    n = int(num_classes) if num_classes is not None else int(torch.max(torch.cat([labels, predictions]))) + 1
    out_dtype = as_torch_dtype(dtype)
    values = (
        torch.ones_like(labels, dtype=out_dtype) if weights is None else to_tensor(weights).reshape(-1).to(out_dtype)
    )
    out = torch.zeros(n * n, dtype=out_dtype, device=labels.device)
    return out.index_add(0, labels * n + predictions, values).reshape(n, n)


@op
def in_top_k(targets, predictions, k, name=None):
    """Whether each target class is among the `k` highest predictions of its row (ties count in).

    >>> import capas as tf
    >>> tf.math.in_top_k(tf.constant([0, 1]), tf.constant([[0.9, 0.1], [0.8, 0.2]]), 1).numpy()
    array([ True, False])
    """
    predictions = to_tensor(predictions)
    targets = to_tensor(targets).long()
    target_values = predictions.gather(1, targets.unsqueeze(1))
    higher = (predictions > target_values).sum(1)
    finite = torch.isfinite(predictions).all(1)
    return (higher < int(k)) & finite


Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _unique(x, out_idx):
    x = to_tensor(x)
    if x.dim() != 1:
        raise ValueError(f"tf.unique: x must be 1-D; got shape {tuple(x.shape)}. Flatten it with tf.reshape(x, [-1]).")
    values, inverse, counts = torch.unique(x, sorted=True, return_inverse=True, return_counts=True)
    # TF orders the unique values by first occurrence, not by value
    first = torch.full((values.shape[0],), x.shape[0], dtype=torch.int64, device=x.device)
    first = first.scatter_reduce(0, inverse, torch.arange(x.shape[0], device=x.device), "amin")
    order = torch.argsort(first)
    rank = torch.empty_like(order)
    rank[order] = torch.arange(order.shape[0], device=x.device)
    idx_dtype = as_torch_dtype(out_idx)
    return values[order], rank[inverse].to(idx_dtype), counts[order].to(idx_dtype)


@op
def unique(x, out_idx=torch.int32, name=None):
    """The distinct values of 1-D `x` in order of first appearance, and each element's index into them.

    >>> import capas as tf
    >>> y, idx = tf.unique(tf.constant([3, 1, 3, 2]))
    >>> y.numpy().tolist(), idx.numpy().tolist()
    ([3, 1, 2], [0, 1, 0, 2])
    """
    y, idx, _ = _unique(x, out_idx)
    return Unique(y, idx)


@op
def unique_with_counts(x, out_idx=torch.int32, name=None):
    """`tf.unique` plus how often each distinct value occurs.

    >>> import capas as tf
    >>> tf.unique_with_counts(tf.constant([4, 4, 1])).count.numpy().tolist()
    [2, 1]
    """
    return UniqueWithCounts(*_unique(x, out_idx))


@op
def searchsorted(sorted_sequence, values, side="left", out_type=torch.int32, name=None):
    """Where each of `values` would go in the (innermost-axis) sorted `sorted_sequence`.

    >>> import capas as tf
    >>> tf.searchsorted(tf.constant([1, 3, 5]), tf.constant([3, 6]), side="right").numpy()
    array([2, 3], dtype=int32)
    """
    if side not in ("left", "right"):
        raise ValueError(f"tf.searchsorted: side must be 'left' or 'right'; got {side!r}.")
    seq = to_tensor(sorted_sequence)
    vals = to_tensor(values, dtype=seq.dtype) if not isinstance(values, torch.Tensor) else values
    out = torch.searchsorted(seq.contiguous(), vals.contiguous(), right=side == "right")
    return out.to(as_torch_dtype(out_type))


def _bins(values, value_range, nbins):
    values = to_tensor(values)
    value_range = to_tensor(value_range, dtype=values.dtype)
    nbins = int(to_tensor(nbins))
    if nbins <= 0:
        raise ValueError(f"tf.histogram_fixed_width: nbins must be positive; got {nbins}.")
    lo, hi = value_range[0], value_range[1]
    scaled = (values.double() - lo.double()) / (hi.double() - lo.double())
    return torch.clamp(torch.floor(scaled * nbins), 0, nbins - 1).long(), nbins


@op
def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=torch.int32, name=None):
    """The bin index of each value among `nbins` equal bins over `value_range` (outside: first/last bin).

    >>> import capas as tf
    >>> tf.histogram_fixed_width_bins(tf.constant([0.1, 0.9]), [0.0, 1.0], nbins=2).numpy().tolist()
    [0, 1]
    """
    index, _ = _bins(values, value_range, nbins)
    return index.to(as_torch_dtype(dtype))


@op
def histogram_fixed_width(values, value_range, nbins=100, dtype=torch.int32, name=None):
    """How many values fall in each of `nbins` equal bins over `value_range`.

    >>> import capas as tf
    >>> tf.histogram_fixed_width(tf.constant([0.0, 0.1, 0.6, 2.0]), [0.0, 1.0], nbins=2).numpy()
    array([2, 2], dtype=int32)
    """
    index, n = _bins(values, value_range, nbins)
    return torch.bincount(index.reshape(-1), minlength=n).to(as_torch_dtype(dtype))
