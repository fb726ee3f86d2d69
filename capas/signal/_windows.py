"""Window functions with TensorFlow's definitions (periodic Hann/Hamming as TF defines them)."""

import math

import torch

from capas.ops._recording import op
from capas.ops._convert import as_torch_dtype


def _check(window_length, dtype, op):
    window_length = int(window_length.item() if isinstance(window_length, torch.Tensor) else window_length)
    if window_length < 0:
        raise ValueError(f"tf.signal.{op}: `window_length` must be non-negative; received {window_length}.")
    dtype = as_torch_dtype(dtype)
    if not dtype.is_floating_point:
        raise ValueError(f"tf.signal.{op}: `dtype` must be a floating point type; received {dtype}.")
    return window_length, dtype


def _raised_cosine(window_length, periodic, dtype, a, b, op):
    window_length, dtype = _check(window_length, dtype, op)
    if window_length == 1:
        return torch.ones(1, dtype=dtype)
    # TF: the denominator is N for a periodic window of even length N, else N - 1
    even = 1 - window_length % 2
    denominator = window_length + int(bool(periodic)) * even - 1
    count = torch.arange(window_length, dtype=dtype)
    return a - b * torch.cos(2.0 * math.pi * count / denominator)


@op
def hann_window(window_length, periodic=True, dtype="float32", name=None):
    """TF's Hann window `0.5 - 0.5 cos(2 pi n / N)`: N is the length (periodic, even length) or length - 1.

    Example:

    >>> import capas as tf
    >>> tf.signal.hann_window(4).numpy().tolist()
    [0.0, 0.5, 1.0, 0.5]
    """
    return _raised_cosine(window_length, periodic, dtype, 0.5, 0.5, "hann_window")


@op
def hamming_window(window_length, periodic=True, dtype="float32", name=None):
    """TF's Hamming window `0.54 - 0.46 cos(2 pi n / N)` (N as in `hann_window`)."""
    return _raised_cosine(window_length, periodic, dtype, 0.54, 0.46, "hamming_window")


@op
def kaiser_window(window_length, beta=12.0, dtype="float32", name=None):
    """The Kaiser window `I0(beta sqrt(1 - (2n / (N - 1) - 1)^2)) / I0(beta)`.

    Example:

    >>> import capas as tf
    >>> [round(v, 4) for v in tf.signal.kaiser_window(3, beta=2.0).numpy().tolist()]
    [0.4387, 1.0, 0.4387]
    """
    window_length, dtype = _check(window_length, dtype, "kaiser_window")
    if window_length == 1:
        return torch.ones(1, dtype=dtype)
    half = (window_length - 1) / 2.0
    n = torch.arange(window_length, dtype=torch.float64)
    ratio = (n - half) / half
    arg = beta * torch.sqrt(torch.clamp(1.0 - ratio * ratio, min=0.0))
    beta = torch.tensor(float(beta), dtype=torch.float64)
    # i0e keeps large beta finite: I0(a) / I0(b) = exp(a - b) * i0e(a) / i0e(b)
    window = torch.exp(arg - beta) * torch.special.i0e(arg) / torch.special.i0e(beta)
    return window.to(dtype)


@op
def kaiser_bessel_derived_window(window_length, beta=12.0, dtype="float32", name=None):
    """The Kaiser-Bessel-derived window (for MDCT): square roots of a Kaiser window's running sums, mirrored."""
    window_length, dtype = _check(window_length, dtype, "kaiser_bessel_derived_window")
    half = window_length // 2
    kaiser = kaiser_window(half + 1, beta, dtype=torch.float64)
    running = torch.cumsum(kaiser, 0)
    half_window = torch.sqrt(running[:-1] / running[-1])
    return torch.cat([half_window, half_window.flip(0)]).to(dtype)


@op
def vorbis_window(window_length, dtype="float32", name=None):
    """The Vorbis power-complementary window `sin(pi/2 sin^2(pi (n + 0.5) / N))` (for MDCT)."""
    window_length, dtype = _check(window_length, dtype, "vorbis_window")
    n = torch.arange(window_length, dtype=torch.float64)
    inner = torch.sin(math.pi * (n + 0.5) / window_length)
    return torch.sin(math.pi / 2.0 * inner * inner).to(dtype)
