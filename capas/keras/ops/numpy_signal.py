"""keras.ops' numpy-like signal ops: window functions (numpy's symmetric windows) and `correlate`."""

import torch
import torch.nn.functional as F

from capas.keras.ops._dispatch import floatx as _floatx
from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t


def _length(x, what):
    length = int(_t(x).item()) if not isinstance(x, int) else x
    if length < 0:
        raise ValueError(f"{what}: the window length must be >= 0; received {length}.")
    return length


@keras_op
def bartlett(x):
    """The Bartlett (triangular) window of `x` points, as `numpy.bartlett`.

    Example:

    >>> from capas import keras
    >>> keras.ops.bartlett(5).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return torch.signal.windows.bartlett(_length(x, "bartlett"), dtype=_floatx())


@keras_op
def blackman(x):
    """The Blackman window of `x` points, as `numpy.blackman`.

    Example:

    >>> from capas import keras
    >>> [round(v, 4) for v in keras.ops.blackman(3).tolist()]
    [-0.0, 1.0, -0.0]
    """
    return torch.signal.windows.blackman(_length(x, "blackman"), dtype=_floatx())


@keras_op
def hamming(x):
    """The Hamming window of `x` points, as `numpy.hamming`.

    Example:

    >>> from capas import keras
    >>> [round(v, 4) for v in keras.ops.hamming(3).tolist()]
    [0.08, 1.0, 0.08]
    """
    return torch.signal.windows.hamming(_length(x, "hamming"), dtype=_floatx())


@keras_op
def hanning(x):
    """The Hann window of `x` points, as `numpy.hanning`.

    Example:

    >>> from capas import keras
    >>> keras.ops.hanning(3).tolist()
    [0.0, 1.0, 0.0]
    """
    return torch.signal.windows.hann(_length(x, "hanning"), dtype=_floatx())


@keras_op
def kaiser(x, beta):
    """The Kaiser window of `x` points with shape parameter `beta`, as `numpy.kaiser`.

    Example:

    >>> from capas import keras
    >>> [round(v, 4) for v in keras.ops.kaiser(3, 0.0).tolist()]
    [1.0, 1.0, 1.0]
    """
    return torch.signal.windows.kaiser(_length(x, "kaiser"), beta=float(beta), dtype=_floatx())


@keras_op
def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1D sequences, `mode` "valid", "same" or "full" (as `numpy.correlate`
    for real inputs). Integers compute in float32 (int64: float64).

    Example:

    >>> from capas import keras
    >>> keras.ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0, 0.5], mode="full").tolist()
    [0.5, 2.0, 3.5, 3.0, 0.0]
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate: `mode` must be 'valid', 'same' or 'full'. Received: mode={mode!r}")
    x1, x2 = _t(x1), _t(x2)
    dtype = torch.result_type(x1, x2)
    if dtype == torch.int64:
        dtype = torch.float64
    elif dtype not in (torch.bfloat16, torch.float16, torch.float64):
        dtype = torch.float32
    x1, x2 = x1.to(dtype), x2.to(dtype)
    n1, n2 = x1.shape[0], x2.shape[0]
    batch = torch.broadcast_shapes(x1.shape[:-1], x2.shape[:-1])
    x1 = x1.broadcast_to(batch + x1.shape[-1:]).reshape(-1, x1.shape[-1])
    x2 = x2.broadcast_to(batch + x2.shape[-1:]).reshape(-1, x2.shape[-1])
    full = F.conv1d(x1.unsqueeze(0), x2.unsqueeze(1), groups=x1.shape[0], padding=x2.shape[-1] - 1)
    full = full.reshape(x1.shape[:-1] + (-1,))
    keep = {"valid": max(n1, n2) - min(n1, n2) + 1, "same": n1, "full": full.shape[-1]}[mode]
    start = (full.shape[-1] - keep) // 2
    return torch.squeeze(full[..., start : start + keep])
