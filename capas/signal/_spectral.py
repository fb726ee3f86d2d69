"""`stft`, `inverse_stft` and `inverse_stft_window_fn`, as TensorFlow frames, windows and transforms."""

import torch

from capas.ops._recording import op
from capas.ops._convert import convert_to_tensor
from capas.signal._fft import irfft
from capas.signal._fft import rfft
from capas.signal._framing import frame
from capas.signal._framing import overlap_and_add
from capas.signal._windows import hann_window


def _enclosing_power_of_2(n):
    return 1 << max(0, (int(n) - 1).bit_length())


@op
def stft(signals, frame_length, frame_step, fft_length=None, window_fn=hann_window, pad_end=False, name=None):
    """The short-time Fourier transform of real `signals` `[..., samples]`.

    Frames of `frame_length` samples every `frame_step` (`pad_end` pads the last), times
    `window_fn(frame_length, dtype)` (a periodic Hann window by default), then an `rfft`
    of `fft_length` points (default: the smallest power of 2 >= `frame_length`).

    Returns:
        complex64 (complex128 for float64 signals) `[..., frames, fft_length // 2 + 1]`.

    Example (TF's "Simple audio recognition" spectrogram):

    >>> import capas as tf
    >>> waveform = tf.sin(tf.range(16000, dtype=tf.float32) / 10.0)
    >>> spectrogram = tf.abs(tf.signal.stft(waveform, frame_length=255, frame_step=128))
    >>> spectrogram.shape
    torch.Size([124, 129])
    """
    x = convert_to_tensor(signals)
    if x.dtype not in (torch.float32, torch.float64):
        raise ValueError(f"tf.signal.stft: `signals` must be float32 or float64 (real); received {x.dtype}.")
    if x.ndim < 1:
        raise ValueError("tf.signal.stft: `signals` must have at least one axis [..., samples].")
    fft_length = _enclosing_power_of_2(frame_length) if fft_length is None else int(fft_length)
    frames = frame(x, frame_length, frame_step, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * window_fn(frame_length, dtype=x.dtype).to(x.device)
    return rfft(frames, [fft_length])


@op
def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window, name=None):
    """The inverse of `stft`: `irfft` each frame, window it, overlap-add.

    For a perfect reconstruction pass `window_fn=tf.signal.inverse_stft_window_fn(frame_step)`.

    Example:

    >>> import capas as tf
    >>> x = tf.random.normal([1024], seed=1)
    >>> s = tf.signal.stft(x, 256, 64)
    >>> y = tf.signal.inverse_stft(s, 256, 64, window_fn=tf.signal.inverse_stft_window_fn(64))
    >>> bool(tf.reduce_max(tf.abs(x[256:-256] - y[256:-256])) < 1e-5)
    True
    """
    s = convert_to_tensor(stfts)
    if not s.is_complex():
        raise ValueError(f"tf.signal.inverse_stft: `stfts` must be complex64 or complex128; received {s.dtype}.")
    if s.ndim < 2:
        raise ValueError(
            f"tf.signal.inverse_stft: `stfts` must be [..., frames, bins]; received shape {list(s.shape)}."
        )
    frame_length = int(frame_length)
    fft_length = _enclosing_power_of_2(frame_length) if fft_length is None else int(fft_length)
    frames = irfft(s, [fft_length])[..., :frame_length]
    if frames.shape[-1] < frame_length:  # fft_length < frame_length: TF pads the frames with zeros
        frames = torch.nn.functional.pad(frames, (0, frame_length - frames.shape[-1]))
    if window_fn is not None:
        frames = frames * window_fn(frame_length, dtype=frames.dtype).to(frames.device)
    return overlap_and_add(frames, frame_step)


@op
def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """A window function that makes `inverse_stft` invert an `stft` made with `forward_window_fn`.

    The window is the forward window divided by the overlapping sum of its squares.
    """
    frame_step = int(frame_step)

    def inverse_stft_window_fn_inner(frame_length, dtype):
        frame_length = int(frame_length)
        forward = forward_window_fn(frame_length, dtype=dtype)
        squares = forward * forward
        overlaps = -(-frame_length // frame_step)
        squares = torch.nn.functional.pad(squares, (0, overlaps * frame_step - frame_length))
        denominator = squares.reshape(overlaps, frame_step).sum(0, keepdim=True)
        denominator = denominator.repeat(overlaps, 1).reshape(overlaps * frame_step)
        return forward / denominator[:frame_length]

    return inverse_stft_window_fn_inner
