"""Window functions by scipy's names, for the STFT initializer and STFTSpectrogram.

The common windows are computed here (float64, as scipy does); any other name is
passed to `scipy.signal.get_window` when scipy is installed (it is optional)."""

import torch

_BUILTIN = {
    "hann": torch.signal.windows.hann,
    "hamming": torch.signal.windows.hamming,
    "blackman": torch.signal.windows.blackman,
    "bartlett": torch.signal.windows.bartlett,
    "boxcar": lambda length, sym, dtype: torch.ones(length, dtype=dtype),
}


def check_window_name(window, owner):
    """Raise early (at construction) for a window name that cannot be computed."""
    if isinstance(window, str):
        get_window(window, 1, False, owner)


def get_window(window, length, periodic, owner):
    """The `length`-point window `window` (symmetric unless `periodic`) as a float64 tensor."""
    if window in _BUILTIN:
        return _BUILTIN[window](length, sym=not periodic, dtype=torch.float64)
    try:
        import scipy.signal
    except ImportError:
        raise ValueError(
            f"{owner}: window {window!r} is not built into capas ({', '.join(sorted(_BUILTIN))}); other "
            "scipy.signal window names need scipy (`pip install scipy`), or pass the window values as an array."
        ) from None
    return torch.as_tensor(scipy.signal.get_window(window, length, fftbins=periodic), dtype=torch.float64)
