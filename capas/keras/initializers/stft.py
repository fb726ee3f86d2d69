"""`STFT`: the initializer of a short-time Fourier transform as a convolution kernel."""

import math

import numpy as np
import torch

from capas.keras.initializers import _random
from capas.keras.initializers.initializer import Initializer
from capas.keras.saving.object_registration import register_builtin
from capas.ops._convert import convert_to_tensor

# Windows computed with torch (scipy.signal.get_window's definitions); others need scipy.
_TORCH_WINDOWS = {
    "hann": torch.hann_window,
    "hanning": torch.hann_window,
    "hamming": torch.hamming_window,
    "blackman": torch.blackman_window,
    "bartlett": torch.bartlett_window,
    "boxcar": lambda n, periodic, dtype: torch.ones(n, dtype=dtype),
}


def _window(name, length, periodic):
    """scipy.signal.get_window(name, length, fftbins=periodic), in float64."""
    make = _TORCH_WINDOWS.get(name)
    if make is not None:
        if make is _TORCH_WINDOWS["boxcar"]:
            return make(length, periodic, torch.float64)
        return make(length, periodic=periodic, dtype=torch.float64)
    try:
        import scipy.signal  # noqa: PLC0415 - optional: only the less common windows need it
    except ImportError:
        raise ValueError(
            f"STFT initializer: the window {name!r} needs scipy (pip install scipy); without it capas "
            f"computes {sorted(_TORCH_WINDOWS)}, or pass the window as an array."
        ) from None
    return torch.as_tensor(scipy.signal.get_window(name, length, periodic), dtype=torch.float64)


@register_builtin("initializers", "stft", "STFTInitializer")
class STFT(Initializer):
    """Initializes a `(frame_length, input_channels, fft_length)` kernel with STFT basis functions.

    `kernel[t, c, f] = cos(-2 pi t f / (2 (fft_length - 1)))` (`side="real"`) or its sine
    (`side="imag"`), times the window and divided by its scaling, so a 1-D convolution with it
    computes one side of a windowed discrete Fourier transform.

    Args:
        side: "real" or "imag".
        window: a window name ("hann", "hamming", "blackman", "bartlett", "boxcar"; other
            names of `scipy.signal.get_window` need scipy), an array of `frame_length` values,
            or None.
        scaling: "density" (divide by the window's L2 norm), "spectrum" (by its sum) or None.
        periodic: a periodic window (for spectral analysis) instead of a symmetric one.

    Differs from Keras: with `input_channels > 1` the kernel has the requested shape (the same
    basis for every channel); Keras 3.15 returns `input_channels = 1` whatever was asked.

    Example:

    >>> from capas import keras
    >>> kernel = keras.initializers.STFT(window=None)((4, 1, 3))
    >>> [round(float(v), 4) for v in kernel[2, 0]]
    [1.0, -1.0, 1.0]
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"side should be 'real' or 'imag', not {side}")
        if isinstance(window, str):
            _window(window, 1, periodic)  # an unknown name fails here, as in Keras
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                f"Scaling is invalid, it must be `None`, 'density' or 'spectrum'. Received scaling={scaling}"
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        shape = _random.standardize_shape(shape, "STFT")
        dtype = _random.standardize_dtype(dtype, "STFT", floating=True)
        frame_length, _, fft_length = shape
        window = None
        scaling = 1
        if self.window is not None:
            if isinstance(self.window, str):
                window = _window(self.window, frame_length, self.periodic).to(dtype)
            else:
                window = convert_to_tensor(np.asarray(self.window), dtype=dtype)
            if window.dim() != 1 or window.shape[-1] != frame_length:
                raise ValueError(
                    f"The shape of `window` must be equal to [frame_length]. Received: window shape={tuple(window.shape)}"
                )
            window = window.reshape(frame_length, 1, 1)
            if self.scaling == "density":
                scaling = torch.sqrt(torch.sum(window**2))
            elif self.scaling == "spectrum":
                scaling = torch.sum(window.abs())
        freq = torch.arange(fft_length, dtype=dtype).reshape(1, 1, fft_length) / ((fft_length - 1) * 2)
        time = torch.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        args = (-2 * time * freq) * torch.tensor(math.pi, dtype=dtype)
        kernel = torch.cos(args) if self.side == "real" else torch.sin(args)
        if window is not None:
            kernel = kernel * window / scaling
        return kernel.expand(frame_length, shape[1], fft_length).clone()

    def get_config(self):
        return {"side": self.side, "window": self.window, "periodic": self.periodic, "scaling": self.scaling}
