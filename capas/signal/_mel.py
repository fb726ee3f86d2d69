"""Mel filter banks and MFCCs with TensorFlow's formulas (HTK mel scale, `1127 ln(1 + f / 700)`)."""

import math

import torch

from capas.ops._recording import op
from capas.ops._convert import as_torch_dtype
from capas.ops._convert import convert_to_tensor
from capas.signal._dct import dct


def _linspace(start, stop, num, dtype):
    """TF's LinSpace: `start + i * step` with the last value exactly `stop`."""
    if num == 1:
        return torch.tensor([start], dtype=dtype)
    start = torch.tensor(start, dtype=dtype)
    stop = torch.tensor(stop, dtype=dtype)
    step = (stop - start) / (num - 1)
    values = start + torch.arange(num, dtype=dtype) * step
    values[-1] = stop
    return values


def _hertz_to_mel(frequencies):
    return 1127.0 * torch.log1p(frequencies / 700.0)


@op
def linear_to_mel_weight_matrix(
    num_mel_bins=20,
    num_spectrogram_bins=129,
    sample_rate=8000,
    lower_edge_hertz=125.0,
    upper_edge_hertz=3800.0,
    dtype="float32",
    name=None,
):
    """A `[num_spectrogram_bins, num_mel_bins]` matrix of triangular mel filters.

    Multiply a magnitude spectrogram `[..., num_spectrogram_bins]` by it for a mel
    spectrogram. The DC bin gets no weight; filters are spaced evenly on the mel scale
    between `lower_edge_hertz` and `upper_edge_hertz`.

    Example:

    >>> import capas as tf
    >>> tf.signal.linear_to_mel_weight_matrix(num_mel_bins=40, num_spectrogram_bins=257, sample_rate=16000).shape
    torch.Size([257, 40])
    """
    dtype = as_torch_dtype(dtype)
    if not dtype.is_floating_point:
        raise ValueError(f"tf.signal.linear_to_mel_weight_matrix: `dtype` must be a float type; received {dtype}.")
    sample_rate = float(sample_rate.item() if isinstance(sample_rate, torch.Tensor) else sample_rate)
    lower, upper = float(lower_edge_hertz), float(upper_edge_hertz)
    problems = []
    if num_mel_bins <= 0:
        problems.append(f"num_mel_bins must be positive; received {num_mel_bins}")
    if lower < 0.0:
        problems.append(f"lower_edge_hertz must be non-negative; received {lower}")
    if lower >= upper:
        problems.append(f"lower_edge_hertz {lower} must be below upper_edge_hertz {upper}")
    if sample_rate <= 0.0:
        problems.append(f"sample_rate must be positive; received {sample_rate}")
    elif upper > sample_rate / 2:
        problems.append(f"upper_edge_hertz {upper} must not exceed the Nyquist frequency {sample_rate / 2}")
    if problems:
        raise ValueError("tf.signal.linear_to_mel_weight_matrix: " + "; ".join(problems) + ".")
    nyquist = sample_rate / 2.0
    linear = _linspace(0.0, nyquist, int(num_spectrogram_bins), dtype)[1:]
    bins_mel = _hertz_to_mel(linear)[:, None]
    edges = _linspace(
        float(_hertz_to_mel(torch.tensor(lower, dtype=dtype))),
        float(_hertz_to_mel(torch.tensor(upper, dtype=dtype))),
        int(num_mel_bins) + 2,
        dtype,
    )
    lower_mel, center_mel, upper_mel = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    lower_slopes = (bins_mel - lower_mel) / (center_mel - lower_mel)
    upper_slopes = (upper_mel - bins_mel) / (upper_mel - center_mel)
    weights = torch.clamp(torch.minimum(lower_slopes, upper_slopes), min=0.0)
    return torch.nn.functional.pad(weights, (0, 0, 1, 0))


@op
def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """MFCCs: the DCT-II of log-mel spectrograms `[..., num_mel_bins]`, scaled by `1 / sqrt(2 num_mel_bins)`.

    Example:

    >>> import capas as tf
    >>> tf.signal.mfccs_from_log_mel_spectrograms(tf.ones([2, 8])).shape
    torch.Size([2, 8])
    """
    x = convert_to_tensor(log_mel_spectrograms)
    if x.ndim < 1 or x.shape[-1] == 0:
        raise ValueError(
            f"tf.signal.mfccs_from_log_mel_spectrograms: the input must end in a non-empty mel axis; "
            f"received shape {list(x.shape)}."
        )
    return dct(x, type=2) * (1.0 / math.sqrt(2.0 * x.shape[-1]))
