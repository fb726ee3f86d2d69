"""Deterministic initializers: Zeros, Ones, Constant, Identity, STFT."""

import numbers

import numpy as np
import torch

from capas.keras.initializers import _random
from capas.keras.initializers._windows import check_window_name, get_window
from capas.keras.initializers.initializer import Initializer
from capas.ops._convert import convert_to_tensor
from capas.keras.saving.object_registration import register_builtin


@register_builtin("initializers", "zero", "zeros")
class Zeros(Initializer):
    """Initializer that generates tensors initialized to 0.

    Example:

    >>> from capas.keras import initializers
    >>> initializers.Zeros()((2, 2))
    tensor([[0., 0.],
            [0., 0.]])
    """

    def __call__(self, shape, dtype=None):
        """Returns a tensor of zeros.

        Args:
            shape: Shape of the tensor.
            dtype: Optional dtype of the tensor (numeric or bool; float32 when None).
        """
        shape = _random.standardize_shape(shape, "Zeros")
        return torch.zeros(shape, dtype=_random.standardize_dtype(dtype, "Zeros"))


@register_builtin("initializers", "one", "ones")
class Ones(Initializer):
    """Initializer that generates tensors initialized to 1.

    Example:

    >>> from capas.keras import initializers
    >>> initializers.Ones()((3,), dtype="int32")
    tensor([1, 1, 1], dtype=torch.int32)
    """

    def __call__(self, shape, dtype=None):
        """Returns a tensor of ones.

        Args:
            shape: Shape of the tensor.
            dtype: Optional dtype of the tensor (numeric or bool; float32 when None).
        """
        shape = _random.standardize_shape(shape, "Ones")
        return torch.ones(shape, dtype=_random.standardize_dtype(dtype, "Ones"))


@register_builtin("initializers", "constant")
class Constant(Initializer):
    """Initializer that generates tensors with constant values.

    The value must be convertible to the dtype requested when calling the
    initializer. A scalar fills the tensor; an array is broadcast to the shape.

    Args:
        value: A Python scalar (or an array broadcastable to the shape).

    Example:

    >>> from capas.keras import initializers
    >>> initializers.Constant(3.0)((2,))
    tensor([3., 3.])
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        shape = _random.standardize_shape(shape, "Constant")
        dtype = _random.standardize_dtype(dtype, "Constant")
        if isinstance(self.value, numbers.Number):
            return torch.full(shape, self.value, dtype=dtype)
        value = convert_to_tensor(self.value, dtype=dtype)
        try:
            return torch.broadcast_to(value, shape).clone()
        except RuntimeError:
            raise ValueError(
                f"Constant initializer: value of shape {tuple(value.shape)} cannot be "
                f"broadcast to the requested shape {shape}. Pass a scalar value or an "
                "array whose shape broadcasts to the weight's shape."
            ) from None

    def get_config(self):
        value = self.value
        if isinstance(value, (torch.Tensor, np.ndarray, np.generic)):
            value = value.tolist()
        return {"value": value}


@register_builtin("initializers", "IdentityInitializer", "identity")
class Identity(Initializer):
    """Initializer that generates the identity matrix (2D shapes only).

    Args:
        gain: Multiplicative factor to apply to the identity matrix.

    Example:

    >>> from capas.keras import initializers
    >>> initializers.Identity(gain=2.0)((2, 3))
    tensor([[2., 0., 0.],
            [0., 2., 0.]])

    Differs from Keras: `get_config()` includes `gain` (Keras 3.15 drops it).
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _random.standardize_shape(shape, "Identity")
        if len(shape) != 2:
            raise ValueError(
                "Identity initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}. Use a 2D weight, or "
                "another initializer (e.g. Orthogonal) for kernels of other ranks."
            )
        dtype = _random.standardize_dtype(dtype, "Identity")
        eye = torch.eye(shape[0], shape[1], dtype=dtype)
        if self.gain == 1:
            return eye
        return (eye * self.gain).to(dtype)

    def get_config(self):
        return {"gain": self.gain}


@register_builtin("initializers", "STFTInitializer", "stft")
class STFT(Initializer):
    """Initializer of the real or imaginary part of a windowed discrete Fourier basis (STFT kernels).

    For a shape `(T, 1, F // 2 + 1)` it returns `cos` (side "real") or `sin`
    (side "imag") of `-2 pi t f / F`, times the window and divided by its
    L2 norm (scaling "density") or L1 norm ("spectrum"). It is the kernel
    of `STFTSpectrogram`.

    Args:
        side: "real" or "imag".
        window: a `scipy.signal.windows` name ("hann", "hamming", "blackman",
            "bartlett", "boxcar" are built in; others need scipy), an array
            of `T` values, or None.
        scaling: "density", "spectrum" or None.
        periodic: whether the named window is periodic (else symmetric).

    Example:

    >>> from capas.keras import initializers
    >>> kernel = initializers.STFT("real", "hann", "density", False)((16, 1, 9))
    >>> tuple(kernel.shape)
    (16, 1, 9)
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"STFT initializer: side should be 'real' or 'imag', not {side!r}.")
        check_window_name(window, "STFT initializer")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                f"STFT initializer: Scaling is invalid; it must be None, 'density' or 'spectrum'. Received scaling={scaling!r}"
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        shape = _random.standardize_shape(shape, "STFT")
        dtype = _random.standardize_dtype(dtype, "STFT")
        if len(shape) != 3:
            raise ValueError(
                f"STFT initializer: the shape must be (frame_length, 1, fft_length // 2 + 1); received {shape}."
            )
        frame_length, _, bins = shape
        fft_length = (bins - 1) * 2
        freq = torch.arange(bins, dtype=dtype).reshape(1, 1, bins) / fft_length
        time = torch.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        angles = -2 * time * freq * torch.arccos(torch.tensor(-1.0, dtype=dtype))
        kernel = torch.cos(angles) if self.side == "real" else torch.sin(angles)
        if self.window is None:
            return kernel
        if isinstance(self.window, str):
            win = get_window(self.window, frame_length, self.periodic, "STFT initializer").to(dtype)
        else:
            win = convert_to_tensor(self.window, dtype=dtype)
        if win.dim() != 1 or win.shape[0] != frame_length:
            raise ValueError(
                f"STFT initializer: the window must have shape [frame_length] = [{frame_length}]; "
                f"received {tuple(win.shape)}."
            )
        win = win.reshape(frame_length, 1, 1)
        if self.scaling == "density":
            kernel = kernel * win / torch.sqrt(torch.sum(win * win))
        elif self.scaling == "spectrum":
            kernel = kernel * win / torch.sum(torch.abs(win))
        else:
            kernel = kernel * win
        return kernel

    def get_config(self):
        window = self.window
        if isinstance(window, (torch.Tensor, np.ndarray)):
            window = window.tolist()
        return {"side": self.side, "window": window, "periodic": self.periodic, "scaling": self.scaling}
