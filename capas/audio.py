"""`tf.audio`: WAV files to float tensors and back (16-bit PCM, stdlib `wave` + numpy).

TensorFlow's scaling: a 16-bit sample `s` decodes to `s / 32768` (so values lie in
[-1, 1)), and a float `x` encodes to `round(x * 32768)` (halves away from zero) clamped to [-32768, 32767].
"""

import io as _io
import wave

import numpy as np
import torch

from capas.ops import strings as _strings
from capas.ops._convert import convert_to_tensor

_SCALE = 32768.0


def _contents_bytes(contents, op):
    if isinstance(contents, (bytes, bytearray)):
        return bytes(contents)
    if isinstance(contents, _strings.StringTensor) and contents.ndim == 0:
        value = contents.numpy()
        return value if isinstance(value, bytes) else value.item()
    raise TypeError(
        f"tf.audio.{op}: `contents` must be a scalar string (the bytes of a WAV file); received {contents!r:.80}."
    )


def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    """Decode a 16-bit PCM WAV file into float32 samples in [-1, 1).

    Args:
        contents: the bytes of the file (a scalar string tensor or `bytes`).
        desired_channels: the number of channels to return (-1: as in the file).
            Fewer than the file keeps the first ones; more repeats the last one
            (as TensorFlow does).
        desired_samples: the number of samples to return (-1: all); shorter
            files are padded with zeros.
        name: unused (TensorFlow's op name).

    Returns:
        `(audio, sample_rate)`: a float32 tensor `[samples, channels]` and an int32 scalar.

    Example:

    >>> import capas as tf
    >>> wav = tf.audio.encode_wav(tf.constant([[0.5], [-0.25]]), 16000)
    >>> audio, rate = tf.audio.decode_wav(wav)
    >>> audio.numpy().ravel().tolist(), int(rate)
    ([0.5, -0.25], 16000)
    """
    data = _contents_bytes(contents, "decode_wav")
    try:
        with wave.open(_io.BytesIO(data), "rb") as f:
            channels, width, rate, frames = f.getnchannels(), f.getsampwidth(), f.getframerate(), f.getnframes()
            raw = f.readframes(frames)
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"tf.audio.decode_wav: the contents are not a readable WAV file ({exc}).") from exc
    if width != 2:
        raise ValueError(
            f"tf.audio.decode_wav: only 16-bit PCM WAV files can be decoded (as in TensorFlow); this file has "
            f"{8 * width}-bit samples. Convert it first (e.g. `sox in.wav -b 16 out.wav`)."
        )
    samples = np.frombuffer(raw, dtype="<i2").reshape(-1, channels).astype(np.float32) / np.float32(_SCALE)
    if desired_channels is not None and desired_channels > 0 and desired_channels != channels:
        if desired_channels < channels:
            samples = samples[:, :desired_channels]
        else:  # TF repeats the last channel
            extra = np.repeat(samples[:, -1:], desired_channels - channels, axis=1)
            samples = np.concatenate([samples, extra], axis=1)
    if desired_samples is not None and desired_samples >= 0:
        if samples.shape[0] >= desired_samples:
            samples = samples[:desired_samples]
        else:
            pad = np.zeros((desired_samples - samples.shape[0], samples.shape[1]), np.float32)
            samples = np.concatenate([samples, pad])
    return torch.from_numpy(np.ascontiguousarray(samples)), torch.tensor(rate, dtype=torch.int32)


def encode_wav(audio, sample_rate, name=None):
    """Encode float samples `[samples, channels]` as a 16-bit PCM WAV file.

    Args:
        audio: a float32 tensor `[samples, channels]`, values in [-1, 1] (clipped outside).
        sample_rate: samples per second (an int or int32 scalar tensor).
        name: unused (TensorFlow's op name).

    Returns:
        A scalar string tensor holding the file's bytes.

    Example:

    >>> import capas as tf
    >>> wav = tf.audio.encode_wav(tf.zeros([4, 2]), 8000)
    >>> wav.numpy()[:4]
    b'RIFF'
    """
    audio = convert_to_tensor(audio)
    if audio.ndim != 2:
        raise ValueError(
            f"tf.audio.encode_wav: `audio` must be 2-D [samples, channels]; received shape {list(audio.shape)}. "
            "Add a channel axis with tf.expand_dims(audio, -1) for mono sound."
        )
    if not audio.dtype.is_floating_point:
        raise TypeError(f"tf.audio.encode_wav: `audio` must be float32; received {audio.dtype}.")
    values = audio.detach().cpu().to(torch.float32).numpy()
    scaled = values * np.float32(_SCALE)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5))  # C's roundf: halves away from zero
    pcm = np.clip(rounded, -32768, 32767).astype("<i2")
    buffer = _io.BytesIO()
    with wave.open(buffer, "wb") as f:
        f.setnchannels(values.shape[1])
        f.setsampwidth(2)
        f.setframerate(int(sample_rate))
        f.writeframes(pcm.tobytes())
    return _strings.StringTensor(buffer.getvalue())
