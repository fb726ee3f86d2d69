"""keras.ops' math ops: segment reductions, top-k, erf family, FFTs and framing."""

import torch

from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t
from capas.keras.ops._dispatch import to_float as _f


def _segments(data, segment_ids, num_segments, reduce):
    data, ids = _t(data), _t(segment_ids).to(torch.int64)
    n = int(ids.max()) + 1 if num_segments is None else int(num_segments)
    out = torch.zeros((n,) + tuple(data.shape[1:]), dtype=data.dtype)
    index = ids.reshape((-1,) + (1,) * (data.dim() - 1)).expand(data.shape)
    valid = (ids >= 0) & (ids < n)
    if not bool(valid.all()):
        data, index = data[valid], index[valid]
    return out.scatter_reduce(0, index, data, reduce=reduce, include_self=False)


@keras_op
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums of the rows of `data` grouped by `segment_ids`.

    Example:

    >>> from capas import keras
    >>> keras.ops.segment_sum([1.0, 2.0, 3.0], [0, 0, 1]).tolist()
    [3.0, 3.0]
    """
    return _segments(data, segment_ids, num_segments, "sum")


@keras_op
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maxima of the rows of `data` grouped by `segment_ids` (0 for empty segments)."""
    return _segments(data, segment_ids, num_segments, "amax")


@keras_op
def top_k(x, k, sorted=True):
    """`(values, indices)` of the `k` largest entries along the last axis (indices int32)."""
    result = torch.topk(_t(x), k, dim=-1, sorted=sorted)
    return result.values, result.indices.to(torch.int32)


@keras_op
def in_top_k(targets, predictions, k):
    """Whether each target class is among the `k` largest predictions of its row."""
    predictions = _f(predictions)
    targets = _t(targets).to(torch.int64)
    target_scores = predictions.gather(-1, targets.unsqueeze(-1))
    return (predictions > target_scores).sum(-1) < k


@keras_op
def erfc(x):
    """`1 - erf(x)`, element-wise."""
    return torch.erfc(_f(x))


@keras_op
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` samples every `sequence_stride` along the last axis."""
    return _t(x).unfold(-1, int(sequence_length), int(sequence_stride))


@keras_op
def fft(x):
    """FFT of a `(real, imag)` pair along the last axis -> `(real, imag)`."""
    real, imag = x
    out = torch.fft.fft(torch.complex(_f(real), _f(imag)))
    return out.real, out.imag


@keras_op
def fft2(x):
    """2D FFT of a `(real, imag)` pair over the last two axes -> `(real, imag)`."""
    real, imag = x
    out = torch.fft.fft2(torch.complex(_f(real), _f(imag)))
    return out.real, out.imag


@keras_op
def rfft(x, fft_length=None):
    """Real FFT along the last axis -> `(real, imag)`."""
    out = torch.fft.rfft(_f(x), n=fft_length)
    return out.real, out.imag


@keras_op
def irfft(x, fft_length=None):
    """Inverse of `rfft` for a `(real, imag)` pair."""
    real, imag = x
    return torch.fft.irfft(torch.complex(_f(real), _f(imag)), n=fft_length)


@keras_op
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minima of the rows of `data` grouped by `segment_ids`."""
    return _segments(data, segment_ids, num_segments, "amin")


@keras_op
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Products of the rows of `data` grouped by `segment_ids`."""
    return _segments(data, segment_ids, num_segments, "prod")


@keras_op
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio between `x1` and `x2` (dB)."""
    mse = torch.mean((_f(x1) - _f(x2)) ** 2)
    return 20 * torch.log10(torch.tensor(float(max_val))) - 10 * torch.log10(mse)
