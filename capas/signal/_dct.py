"""DCT types I-IV and the MDCT with TensorFlow's (scipy's) scaling, as matrix products.

A cosine basis (built in float64, cast to the input's dtype) times the signal: exact
gradients, any length, and torch's matmul kernels. TF computes the same sums with FFTs.
"""

import math

import torch

from capas.ops._recording import op
from capas.ops._convert import convert_to_tensor
from capas.signal._framing import frame
from capas.signal._framing import overlap_and_add
from capas.signal._windows import vorbis_window


def _check(x, type, n, axis, norm, op):
    if axis != -1:
        raise NotImplementedError(f"tf.signal.{op}: `axis` must be -1 (as in TF); received {axis}.")
    if n is not None and int(n) < 1:
        raise ValueError(f"tf.signal.{op}: `n` should be a positive integer or None; received {n}.")
    if type not in (1, 2, 3, 4):
        raise ValueError(f"tf.signal.{op}: types I, II, III and IV are supported; received type={type!r}.")
    if norm not in (None, "ortho"):
        raise ValueError(f"tf.signal.{op}: unknown normalization; expected None or 'ortho', got {norm!r}.")
    if type == 1:
        if norm == "ortho":
            raise ValueError(f"tf.signal.{op}: normalization is not supported for the Type-I DCT.")
        length = x.shape[-1] if n is None else int(n)
        if length < 2:
            raise ValueError(f"tf.signal.{op}: the Type-I DCT needs more than one sample; the axis has {length}.")


def _basis(type, length, norm, dtype, device):
    """`M[n, k]` with `dct(x)[k] = sum_n x[n] M[n, k]`."""
    i = torch.arange(length, dtype=torch.float64)
    n, k = i[:, None], i[None, :]
    if type == 1:
        m = 2.0 * torch.cos(math.pi * n * k / (length - 1))
        m[0, :] = 1.0
        m[-1, :] = torch.cos(math.pi * k[0] * (length - 1) / (length - 1))
    elif type == 2:
        m = 2.0 * torch.cos(math.pi * k * (2 * n + 1) / (2 * length))
        if norm == "ortho":
            scale = torch.full((length,), math.sqrt(1.0 / (2.0 * length)), dtype=torch.float64)
            scale[0] = math.sqrt(1.0 / (4.0 * length))
            m = m * scale[None, :]
    elif type == 3:
        m = 2.0 * torch.cos(math.pi * n * (2 * k + 1) / (2 * length))
        m[0, :] = 1.0
        if norm == "ortho":
            scale = torch.full((length,), math.sqrt(1.0 / (2.0 * length)), dtype=torch.float64)
            scale[0] = math.sqrt(1.0 / length)
            m = m * scale[:, None]
    else:
        m = 2.0 * torch.cos(math.pi * (2 * n + 1) * (2 * k + 1) / (4 * length))
        if norm == "ortho":
            m = m * math.sqrt(1.0 / (2.0 * length))
    return m.to(dtype=dtype, device=device)


@op
def dct(input, type=2, n=None, axis=-1, norm=None, name=None):
    """The discrete cosine transform (types 1-4) of the innermost axis of a float tensor.

    `n` cuts or zero-pads the axis first; `norm='ortho'` gives the orthonormal
    transform (not for type 1). Without `norm`, type 2 is `2 sum_n x[n] cos(pi k (2n+1) / 2N)`.

    Example:

    >>> import capas as tf
    >>> [round(v, 4) for v in tf.signal.dct(tf.constant([1.0, 2.0, 3.0, 4.0]), norm="ortho").numpy().tolist()]
    [5.0, -2.2304, 0.0, -0.1585]
    """
    x = convert_to_tensor(input)
    _check(x, type, n, axis, norm, "dct")
    if not x.dtype.is_floating_point:
        raise ValueError(f"tf.signal.dct: `input` must be float32 or float64; received {x.dtype}.")
    if n is not None:
        n = int(n)
        if n <= x.shape[-1]:
            x = x[..., :n]
        else:
            x = torch.nn.functional.pad(x, (0, n - x.shape[-1]))
    return torch.matmul(x, _basis(type, x.shape[-1], norm, x.dtype, x.device))


@op
def idct(input, type=2, n=None, axis=-1, norm=None, name=None):
    """The inverse DCT: `dct` of the inverse type (2 <-> 3; 1 and 4 are their own).

    Without `norm='ortho'`, divide by `2N` (`2(N-1)` for type 1) to invert `dct`, as in TF.
    """
    x = convert_to_tensor(input)
    _check(x, type, n, axis, norm, "idct")
    return dct(x, type={1: 1, 2: 3, 3: 2, 4: 4}[type], n=n, axis=axis, norm=norm)


@op
def mdct(signals, frame_length, window_fn=vorbis_window, pad_end=False, norm=None, name=None):
    """The modified DCT of `signals` `[..., samples]`: frames of `frame_length` (a multiple of 4) every half frame.

    Returns:
        `[..., frames, frame_length // 2]` in the signal's dtype.
    """
    x = convert_to_tensor(signals)
    frame_length = int(frame_length)
    if frame_length % 4 != 0:
        raise ValueError(f"tf.signal.mdct: `frame_length` must be a multiple of 4; received {frame_length}.")
    frames = frame(x, frame_length, frame_length // 2, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * window_fn(frame_length, dtype=x.dtype).to(x.device)
    else:
        frames = frames * (1.0 / math.sqrt(2.0))
    a, b, c, d = torch.split(frames, frame_length // 4, dim=-1)
    folded = torch.cat([-c.flip(-1) - d, a - b.flip(-1)], dim=-1)
    return dct(folded, type=4, norm=norm)


@op
def inverse_mdct(mdcts, window_fn=vorbis_window, norm=None, name=None):
    """The inverse of `mdct`: `[..., frames, half_len]` to `[..., samples]` by overlap-add."""
    x = convert_to_tensor(mdcts)
    half_len = x.shape[-1]
    if norm is None:
        unfolded = dct(x, type=4) * (0.5 / half_len)
    elif norm == "ortho":
        unfolded = dct(x, type=4, norm="ortho")
    else:
        raise ValueError(f"tf.signal.inverse_mdct: unknown normalization; expected None or 'ortho', got {norm!r}.")
    first, second = torch.split(unfolded, half_len // 2, dim=-1)
    frames = torch.cat([second, -second.flip(-1), -first.flip(-1), -first], dim=-1)
    if window_fn is not None:
        frames = frames * window_fn(2 * half_len, dtype=x.dtype).to(x.device)
    else:
        frames = frames * (1.0 / math.sqrt(2.0))
    return overlap_and_add(frames, half_len)
