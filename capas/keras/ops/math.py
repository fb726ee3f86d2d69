"""keras.ops' math ops: segment reductions, top-k, erf family, FFTs and STFTs, framing, complex views."""

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


@keras_op
def cdist(x, y):
    """Euclidean distances between the rows of `x` `(..., n, d)` and `y` `(..., m, d)` -> `(..., n, m)`.

    Example:

    >>> from capas import keras
    >>> keras.ops.cdist([[0.0, 0.0]], [[3.0, 4.0], [0.0, 1.0]]).tolist()
    [[5.0, 1.0]]
    """
    x, y = _t(x), _t(y)
    if x.dim() < 2 or y.dim() < 2:
        raise ValueError(f"cdist: inputs must have rank >= 2; received shapes {tuple(x.shape)} and {tuple(y.shape)}.")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(
            f"cdist: the last dimensions of the inputs must match; received shapes {tuple(x.shape)} and {tuple(y.shape)}."
        )
    diff = x.unsqueeze(-2) - y.unsqueeze(-3)
    return torch.sqrt(torch.sum(diff * diff, dim=-1))


def _complex(x, what):
    real, imag = x
    real, imag = _t(real), _t(imag)
    if real.shape != imag.shape:
        raise ValueError(
            f"{what}: the real and imaginary parts must have the same shape; "
            f"received {tuple(real.shape)} and {tuple(imag.shape)}."
        )
    if not (real.is_floating_point() and imag.is_floating_point()):
        raise ValueError(
            f"{what}: the real and imaginary parts must be float tensors; received {real.dtype}, {imag.dtype}."
        )
    return torch.complex(real, imag)


@keras_op
def ifft2(x):
    """Inverse 2D FFT of a `(real, imag)` pair over the last two axes -> `(real, imag)`.

    Example:

    >>> from capas import keras
    >>> real, imag = keras.ops.ifft2((keras.ops.ones((2, 2)), keras.ops.zeros((2, 2))))
    >>> real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    out = torch.fft.ifft2(_complex(x, "ifft2"))
    return out.real, out.imag


def _window(window, sequence_length, dtype, what):
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"{what}: a string `window` must be 'hann' or 'hamming'. Received: window={window!r}")
        make = torch.hann_window if window == "hann" else torch.hamming_window
        return make(sequence_length, periodic=True, dtype=dtype)
    win = _t(window).to(dtype)
    if win.dim() != 1 or win.shape[0] != sequence_length:
        raise ValueError(
            f"{what}: the shape of `window` must be [sequence_length] = [{sequence_length}]; "
            f"received {tuple(win.shape)}."
        )
    return win


@keras_op
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform along the last axis -> `(real, imag)`, each `(..., frames, fft_length // 2 + 1)`.

    `window` is "hann", "hamming" (periodic), a tensor of `sequence_length`, or
    None; `center` pads `fft_length // 2` reflected samples on both sides.

    Example:

    >>> from capas import keras
    >>> real, imag = keras.ops.stft(keras.ops.ones((2, 16)), 8, 4, 8)
    >>> tuple(real.shape)
    (2, 5, 5)
    """
    x = _t(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"stft: the input must be float32 or float64; received {x.dtype}. Cast it first.")
    if fft_length < sequence_length:
        raise ValueError(
            f"stft: `fft_length` must be >= `sequence_length`; received sequence_length={sequence_length}, "
            f"fft_length={fft_length}."
        )
    win = _window(window, sequence_length, x.dtype, "stft")
    if win is None:
        win = torch.ones(sequence_length, dtype=x.dtype)
    batch_shape = tuple(x.shape[:-1])
    flat = x.reshape(-1, x.shape[-1])
    out = torch.stft(
        flat,
        n_fft=fft_length,
        hop_length=sequence_stride,
        win_length=sequence_length,
        window=win.to(x.device),
        center=center,
        return_complex=True,
    )
    out = out.reshape(batch_shape + tuple(out.shape[-2:])).transpose(-2, -1)
    return out.real, out.imag


@keras_op
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """Inverse of `stft` for a `(real, imag)` pair `(..., frames, fft_length // 2 + 1)` -> samples.

    Example:

    >>> from capas import keras
    >>> signal = keras.ops.sin(keras.ops.arange(32.0))
    >>> back = keras.ops.istft(keras.ops.stft(signal, 8, 4, 8), 8, 4, 8)
    >>> float(keras.ops.max(keras.ops.abs(back - signal))) < 1e-5
    True
    """
    spectrum = _complex(x, "istft")
    dtype = spectrum.real.dtype
    win = _window(window, sequence_length, dtype, "istft")
    if win is not None:
        win = win.to(spectrum.device)
    if sequence_length == fft_length and center and win is not None:
        batch_shape = tuple(spectrum.shape[:-2])
        flat = spectrum.reshape((-1,) + tuple(spectrum.shape[-2:])).transpose(-2, -1)
        out = torch.istft(
            flat,
            n_fft=fft_length,
            hop_length=sequence_stride,
            win_length=sequence_length,
            window=win,
            center=center,
            length=length,
        )
        return out.reshape(batch_shape + (out.shape[-1],))
    frames = torch.fft.irfft(spectrum, n=fft_length)
    num_frames = frames.shape[-2]
    if win is not None:
        left = (fft_length - sequence_length) // 2
        win = torch.nn.functional.pad(win, (left, fft_length - sequence_length - left))
        # TF's inverse_stft_window_fn: divide by the sum of squared windows overlapping each sample.
        hops = -(-fft_length // sequence_stride)
        squares = torch.nn.functional.pad(win * win, (0, hops * sequence_stride - fft_length))
        denominator = squares.reshape(hops, sequence_stride).sum(0).repeat(hops)[:fft_length]
        frames = frames * (win / denominator)
    total = fft_length + sequence_stride * (num_frames - 1)
    batch_shape = tuple(frames.shape[:-2])
    columns = frames.reshape((-1, num_frames, fft_length)).transpose(1, 2)
    out = torch.nn.functional.fold(columns, (1, total), (1, fft_length), stride=(1, sequence_stride))
    out = out.reshape(batch_shape + (total,))
    start = fft_length // 2 if center else 0
    if length is not None:
        return out[..., start : start + length]
    return out[..., start : -(fft_length // 2)] if center else out


@keras_op
def view_as_complex(x):
    """A complex64 tensor from a real one whose last axis (size 2) holds the real and imaginary parts.

    Example:

    >>> from capas import keras
    >>> keras.ops.view_as_complex([[1.0, 2.0], [3.0, 4.0]]).tolist()
    [(1+2j), (3+4j)]
    """
    x = _t(x)
    if x.dim() < 1 or x.shape[-1] != 2:
        raise ValueError(
            f"view_as_complex: the last dimension must be of size 2 (real, imaginary). Received shape: {tuple(x.shape)}"
        )
    return torch.complex(x[..., 0].to(torch.float32), x[..., 1].to(torch.float32))


@keras_op
def view_as_real(x):
    """The real and imaginary parts of `x` stacked on a new last axis.

    Example:

    >>> from capas import keras
    >>> import numpy as np
    >>> keras.ops.view_as_real(np.array([1 + 2j], "complex64")).tolist()
    [[1.0, 2.0]]
    """
    x = _t(x)
    if x.is_complex():
        return torch.stack((x.real, x.imag), dim=-1)
    return torch.stack((x, torch.zeros_like(x)), dim=-1)


@keras_op
def polar(abs_, angle):
    """The complex numbers `abs_ * (cos(angle) + i sin(angle))`.

    Example:

    >>> from capas import keras
    >>> z = keras.ops.polar(2.0, 0.0)
    >>> (z.real.item(), z.imag.item())
    (2.0, 0.0)
    """
    abs_, angle = _t(abs_), _t(angle)
    return torch.complex(abs_ * torch.cos(angle), abs_ * torch.sin(angle))
