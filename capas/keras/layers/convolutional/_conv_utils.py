"""Argument checks and TF padding arithmetic shared by conv and pooling layers.

Keras layers take channels_last tensors by default; torch kernels want
channels_first. `to_channels_first` is a view (`permute`), not a copy, so a
contiguous NHWC input becomes a channels_last-strided NCHW tensor and torch
picks its channels_last kernels; `to_channels_last` permutes the result back,
again as a view.
"""

import torch.nn.functional as F

from capas.keras.layers import _symbolic
from capas.keras.saving import object_registration

DATA_FORMATS = ("channels_last", "channels_first")


def normalize_tuple(value, rank, arg, owner, allow_zero=False):
    """`value` (an int or a sequence of `rank` ints) as a tuple of ints."""
    if isinstance(value, int) and not isinstance(value, bool):
        out = (value,) * rank
    else:
        try:
            out = tuple(value)
        except TypeError:
            out = None
        if out is None or len(out) != rank or not all(isinstance(v, int) and not isinstance(v, bool) for v in out):
            raise ValueError(
                f"{owner}: `{arg}` must be an integer or a tuple of {rank} integers, received {arg}={value!r}."
            )
    low = 0 if allow_zero else 1
    if any(v < low for v in out):
        raise ValueError(f"{owner}: every value of `{arg}` must be >= {low}, received {arg}={value!r}.")
    return out


def normalize_data_format(value, owner):
    if value is None:
        return "channels_last"
    value = str(value).lower()
    if value not in DATA_FORMATS:
        raise object_registration.unknown_name_error("data_format", value, DATA_FORMATS) from None
    return value


def normalize_padding(value, owner, allowed=("valid", "same")):
    padding = str(value).lower()
    if padding not in allowed:
        near = object_registration.closest(padding, allowed)
        hint = f" Did you mean {near[0]!r}?" if near else ""
        raise ValueError(f"{owner}: `padding` must be one of {list(allowed)}, received padding={value!r}.{hint}")
    return padding


def to_channels_first(x, channels_last):
    """(N, *spatial, C) -> (N, C, *spatial) as a view; identity for channels_first."""
    if not channels_last:
        return x
    rank = x.dim()
    return x.permute(0, rank - 1, *range(1, rank - 1))


def to_channels_last(x, channels_last):
    """(N, C, *spatial) -> (N, *spatial, C) as a view; identity for channels_first."""
    if not channels_last:
        return x
    rank = x.dim()
    return x.permute(0, *range(2, rank), 1)


def same_padding(length, kernel, stride, dilation=1):
    """TF's 'same' padding of one dim: (before, after), the extra pixel at the end."""
    effective = (kernel - 1) * dilation + 1
    out = -(-length // stride)
    total = max((out - 1) * stride + effective - length, 0)
    return total // 2, total - total // 2


def pad_for_torch(x, pads, value=0.0):
    """Pad the spatial dims of a channels_first tensor; returns (x, torch_padding).

    Symmetric pads go to the kernel's own `padding` argument (no copy);
    asymmetric ones are applied with `F.pad` and the kernel gets 0.
    """
    if all(before == after for before, after in pads):
        return x, tuple(before for before, _ in pads)
    flat = []
    for before, after in reversed(pads):
        flat.extend((before, after))
    return F.pad(x, flat, value=value), 0


def shown_shape(x):
    """`x.shape` for an error message; during symbolic shape inference, the stand-ins
    for unknown dims (the batch dim, usually) are shown as None."""
    shape = tuple(x.shape)
    if _symbolic.in_symbolic_call():
        shape = tuple(None if d in _symbolic._PROBE_SIZES else d for d in shape)
    return shape


def check_window_fits(owner, layer_name, shape, spatial_axes, kernel, dilation, what="kernel_size"):
    """A clear error when a 'valid' window is larger than the (spatial) input."""
    for i, axis in enumerate(spatial_axes):
        length = shape[axis]
        effective = (kernel[i] - 1) * dilation[i] + 1
        if length is not None and length < effective:
            raise ValueError(
                f"{owner} '{layer_name}': the {what} {tuple(kernel)}"
                + (f" (dilated to {effective} along spatial dim {i})" if dilation[i] > 1 else "")
                + f" is larger than the input's spatial dims {tuple(shape[a] for a in spatial_axes)} "
                f"with padding='valid' (full input shape {tuple(shape)}). Use padding='same', a smaller "
                f"{what}, or a larger input."
            )
