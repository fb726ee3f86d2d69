"""`frame` and `overlap_and_add`: a signal cut into (overlapping) frames, and put back."""

import torch

from capas.ops._recording import op
from capas.ops._convert import convert_to_tensor


def _positive_int(value, what, op):
    value = int(value.item() if isinstance(value, torch.Tensor) else value)
    if value <= 0:
        raise ValueError(f"tf.signal.{op}: `{what}` must be positive; received {value}.")
    return value


@op
def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Cut `signal` into frames of `frame_length` samples, `frame_step` apart, along `axis`.

    The axis of `n` samples becomes two axes `[num_frames, frame_length]`, with
    `num_frames = 1 + (n - frame_length) // frame_step` (0 when `n < frame_length`), or
    `ceil(n / frame_step)` with `pad_end=True` (the end padded with `pad_value`).

    Example:

    >>> import capas as tf
    >>> tf.signal.frame(tf.range(7), 3, 2).numpy().tolist()
    [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    >>> tf.signal.frame(tf.range(7), 3, 2, pad_end=True).numpy().tolist()
    [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 0, 0]]
    """
    x = convert_to_tensor(signal)
    frame_length = _positive_int(frame_length, "frame_length", "frame")
    frame_step = _positive_int(frame_step, "frame_step", "frame")
    if x.ndim == 0:
        raise ValueError("tf.signal.frame: `signal` must have at least one axis; received a scalar.")
    axis = axis + x.ndim if axis < 0 else axis
    if not 0 <= axis < x.ndim:
        raise ValueError(f"tf.signal.frame: `axis` {axis} is out of range for a signal of shape {list(x.shape)}.")
    samples = x.shape[axis]
    if pad_end:
        num_frames = -(-samples // frame_step)
        padded = max(0, (num_frames - 1) * frame_step + frame_length)
        if padded > samples:
            pad_shape = list(x.shape)
            pad_shape[axis] = padded - samples
            x = torch.cat([x, torch.full(pad_shape, pad_value, dtype=x.dtype, device=x.device)], dim=axis)
    else:
        num_frames = max(0, 1 + (samples - frame_length) // frame_step)
    if num_frames == 0:
        shape = list(x.shape[:axis]) + [0, frame_length] + list(x.shape[axis + 1 :])
        return x.new_zeros(shape)
    frames = x.unfold(axis, frame_length, frame_step)  # [..., num_frames, ..., frame_length]
    return frames.movedim(-1, axis + 1)


@op
def overlap_and_add(signal, frame_step, name=None):
    """Sum frames `[..., frames, frame_length]`, each `frame_step` after the last, into one signal.

    The output has `(frames - 1) * frame_step + frame_length` samples.

    Example:

    >>> import capas as tf
    >>> tf.signal.overlap_and_add(tf.ones([3, 4]), 2).numpy().tolist()
    [1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0]
    """
    x = convert_to_tensor(signal)
    frame_step = _positive_int(frame_step, "frame_step", "overlap_and_add")
    if x.ndim < 2:
        raise ValueError(
            f"tf.signal.overlap_and_add: `signal` must have at least 2 axes [..., frames, frame_length]; "
            f"received shape {list(x.shape)}."
        )
    frames, frame_length = x.shape[-2], x.shape[-1]
    length = max(0, (frames - 1) * frame_step + frame_length) if frames else 0
    starts = torch.arange(frames, device=x.device) * frame_step
    index = (starts[:, None] + torch.arange(frame_length, device=x.device)[None, :]).reshape(-1)
    out = x.new_zeros(*x.shape[:-2], length)
    return out.index_add(-1, index, x.reshape(*x.shape[:-2], frames * frame_length))
