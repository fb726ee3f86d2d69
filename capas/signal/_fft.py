"""The FFT family with TensorFlow's conventions, over `torch.fft`.

`fft`/`ifft` (and 2d/3d) transform the innermost axes of a complex tensor; `rfft`
takes float32/float64 and gives complex64/complex128; `fft_length` crops or zero-pads
the innermost axes first; the `*nd` forms take `axes` (default all) and `norm`.
"""

import torch

from capas.ops._convert import convert_to_tensor
from capas.ops._recording import op as _recorded

_NORMS = (None, "backward", "forward", "ortho")


def _complex_input(x, op):
    x = convert_to_tensor(x)
    if not x.is_complex():
        if x.dtype in (torch.float32, torch.float64):
            raise TypeError(
                f"tf.signal.{op} takes complex64 or complex128 input (as TF); received {x.dtype}. "
                f"Cast first: tf.cast(x, tf.complex64), or use tf.signal.r{op.lstrip('i')} for real signals."
            )
        raise TypeError(f"tf.signal.{op} takes complex64 or complex128 input; received {x.dtype}.")
    return x


def _real_input(x, op):
    x = convert_to_tensor(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise ValueError(f"tf.signal.{op} requires tf.float32 or tf.float64 inputs (as TF); received {x.dtype}.")
    return x


def _lengths(fft_length, rank, op):
    if fft_length is None:
        return None
    if isinstance(fft_length, torch.Tensor):
        fft_length = fft_length.reshape(-1).tolist()
    elif isinstance(fft_length, int):
        fft_length = [fft_length]
    fft_length = [int(n) for n in fft_length]
    if len(fft_length) != rank:
        raise ValueError(f"tf.signal.{op}: `fft_length` must hold {rank} length(s); received {fft_length}.")
    return fft_length


def _dims(rank):
    return tuple(range(-rank, 0))


def _check_rank(x, rank, op):
    if x.ndim < rank:
        raise ValueError(f"tf.signal.{op} transforms the {rank} innermost axes; input has shape {list(x.shape)}.")


def _complex_op(torch_fn, rank, op):
    def transform(input, name=None):
        x = _complex_input(input, op)
        _check_rank(x, rank, op)
        return torch_fn(x, dim=_dims(rank))

    transform.__name__ = transform.__qualname__ = op
    transform.__doc__ = (
        f"TensorFlow's `tf.signal.{op}`: the {'inverse ' if op.startswith('i') else ''}discrete Fourier "
        f"transform over the {rank} innermost axes of a complex64/complex128 tensor."
    )
    return _recorded(transform)


fft = _complex_op(torch.fft.fftn, 1, "fft")
ifft = _complex_op(torch.fft.ifftn, 1, "ifft")
fft2d = _complex_op(torch.fft.fftn, 2, "fft2d")
ifft2d = _complex_op(torch.fft.ifftn, 2, "ifft2d")
fft3d = _complex_op(torch.fft.fftn, 3, "fft3d")
ifft3d = _complex_op(torch.fft.ifftn, 3, "ifft3d")


def _real_op(rank, op):
    def transform(input_tensor, fft_length=None, name=None):
        x = _real_input(input_tensor, op)
        _check_rank(x, rank, op)
        return torch.fft.rfftn(x, s=_lengths(fft_length, rank, op), dim=_dims(rank))

    transform.__name__ = transform.__qualname__ = op
    transform.__doc__ = (
        f"TensorFlow's `tf.signal.{op}`: the FFT of a real float32/float64 signal over its {rank} innermost "
        "axes (complex64/complex128 out, the innermost axis `fft_length // 2 + 1` long). `fft_length` "
        "crops or zero-pads those axes first."
    )
    return _recorded(transform)


def _inverse_real_op(rank, op):
    def transform(input_tensor, fft_length=None, name=None):
        x = convert_to_tensor(input_tensor)
        if not x.is_complex():
            raise ValueError(
                f"tf.signal.{op} requires tf.complex64 or tf.complex128 inputs (as TF); received {x.dtype}."
            )
        _check_rank(x, rank, op)
        lengths = _lengths(fft_length, rank, op)
        if lengths is None:
            lengths = list(x.shape[-rank:-1]) + [2 * (x.shape[-1] - 1)]
        return torch.fft.irfftn(x, s=lengths, dim=_dims(rank))

    transform.__name__ = transform.__qualname__ = op
    transform.__doc__ = (
        f"TensorFlow's `tf.signal.{op}`: the inverse of `r{op[2:]}`, a real signal from the half spectrum "
        f"over the {rank} innermost axes (`fft_length` defaults to `2 * (n - 1)` on the innermost)."
    )
    return _recorded(transform)


rfft = _real_op(1, "rfft")
rfft2d = _real_op(2, "rfft2d")
rfft3d = _real_op(3, "rfft3d")
irfft = _inverse_real_op(1, "irfft")
irfft2d = _inverse_real_op(2, "irfft2d")
irfft3d = _inverse_real_op(3, "irfft3d")


def _nd_args(x, fft_length, axes, norm, op):
    if norm not in _NORMS:
        raise ValueError(f"tf.signal.{op}: `norm` must be one of 'backward', 'forward', 'ortho'; received {norm!r}.")
    axes = list(range(x.ndim)) if axes is None else [int(a) for a in torch.as_tensor(axes).reshape(-1).tolist()]
    return _lengths(fft_length, len(axes), op), axes, norm or "backward"


@_recorded
def fftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The N-D FFT of a complex tensor over `axes` (default all), `norm` 'backward' (default), 'forward' or 'ortho'.

    Example:

    >>> import capas as tf
    >>> tf.signal.fftnd(tf.constant([[1, 2], [3, 4]], tf.complex64)).numpy().real.tolist()
    [[10.0, -2.0], [-4.0, 0.0]]
    """
    x = _complex_input(input_tensor, "fftnd")
    s, axes, norm = _nd_args(x, fft_length, axes, norm, "fftnd")
    return torch.fft.fftn(x, s=s, dim=axes, norm=norm)


@_recorded
def ifftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The inverse of `fftnd` (same arguments)."""
    x = _complex_input(input_tensor, "ifftnd")
    s, axes, norm = _nd_args(x, fft_length, axes, norm, "ifftnd")
    return torch.fft.ifftn(x, s=s, dim=axes, norm=norm)


@_recorded
def rfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The N-D FFT of a real tensor over `axes` (the last one halved), as `fftnd`'s arguments."""
    x = _real_input(input_tensor, "rfftnd")
    s, axes, norm = _nd_args(x, fft_length, axes, norm, "rfftnd")
    return torch.fft.rfftn(x, s=s, dim=axes, norm=norm)


@_recorded
def irfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The inverse of `rfftnd` (the last axis's length defaults to `2 * (n - 1)`)."""
    x = convert_to_tensor(input_tensor)
    if not x.is_complex():
        raise ValueError(f"tf.signal.irfftnd requires tf.complex64 or tf.complex128 inputs; received {x.dtype}.")
    s, axes, norm = _nd_args(x, fft_length, axes, norm, "irfftnd")
    if s is None:
        s = [x.shape[a] for a in axes[:-1]] + [2 * (x.shape[axes[-1]] - 1)]
    return torch.fft.irfftn(x, s=s, dim=axes, norm=norm)


def _shift_axes(x, axes):
    if axes is None:
        return list(range(x.ndim))
    if isinstance(axes, int):
        return [axes]
    return [int(a) for a in axes]


@_recorded
def fftshift(x, axes=None, name=None):
    """Move the zero-frequency term to the centre of `axes` (default all), as numpy's `fftshift`.

    Example:

    >>> import capas as tf
    >>> tf.signal.fftshift(tf.range(5)).numpy().tolist()
    [3, 4, 0, 1, 2]
    """
    x = convert_to_tensor(x)
    return torch.fft.fftshift(x, dim=_shift_axes(x, axes))


@_recorded
def ifftshift(x, axes=None, name=None):
    """The inverse of `fftshift`."""
    x = convert_to_tensor(x)
    return torch.fft.ifftshift(x, dim=_shift_axes(x, axes))
