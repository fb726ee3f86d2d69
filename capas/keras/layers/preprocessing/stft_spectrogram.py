"""`STFTSpectrogram`: a (trainable) STFT of 1-D signals as a strided convolution with Fourier kernels."""

import math
import warnings

import torch

from capas.keras.initializers.constant_initializers import STFT
from capas.keras.initializers._windows import check_window_name
from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.layer import Layer
from capas.ops import nn_conv as _conv
from capas.keras.saving.object_registration import register_builtin

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


@register_builtin("layers")
class STFTSpectrogram(Layer):
    """Layer computing the Short-Time Fourier Transform of signals, as a convolution.

    The kernels are the windowed real and imaginary Fourier bases (the `STFT`
    initializer), so they can be trained. Input `(batch, time, channels)`
    (channels_last) or `(batch, channels, time)`; each channel is transformed
    on its own.

    Args:
        mode: "log" (log magnitude, default), "magnitude", "psd" (power spectral
            density), "real", "imag", "angle", or "stft" (real then imaginary
            parts, concatenated on the frequency axis).
        frame_length: samples per frame (the window's length).
        frame_step: samples between frames (default `frame_length // 2`).
        fft_length: FFT size (default: the power of two >= `frame_length`).
        window: a window name ("hann", "hamming", "blackman", "bartlett",
            "boxcar"; other scipy names need scipy), an array of
            `frame_length` values, or None.
        periodic: whether a named window is periodic (else symmetric).
        scaling: "density" (L2-normalize the window), "spectrum" (L1) or None.
        padding: "valid" or "same" (frames padded as a convolution pads).
        expand_dims: output `(batch, time, freq, channels)` instead of folding
            the channels into the frequency axis.
        data_format: "channels_last" (default) or "channels_first".

    Output shape:
        `(batch, frames, channels * freq)` (channels_last, `freq` is
        `fft_length // 2 + 1`, twice that for mode "stft"), with `expand_dims`
        `(batch, frames, freq, channels)`; channels_first moves the last two first.

    Example:

    >>> from capas import keras
    >>> from capas.keras import layers
    >>> layer = layers.STFTSpectrogram(frame_length=16, frame_step=8, fft_length=32)
    >>> tuple(layer(keras.ops.ones((2, 64, 1))).shape)
    (2, 7, 17)
    """

    def __init__(
        self,
        mode="log",
        frame_length=256,
        frame_step=None,
        fft_length=None,
        window="hann",
        periodic=False,
        scaling="density",
        padding="valid",
        expand_dims=False,
        data_format=None,
        **kwargs,
    ):
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError(
                "STFTSpectrogram: `frame_step` should be a positive integer not greater than `frame_length`. "
                f"Received frame_step={frame_step}, frame_length={frame_length}"
            )
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(
                "STFTSpectrogram: `fft_length` should be not less than `frame_length`. "
                f"Received fft_length={fft_length}, frame_length={frame_length}"
            )
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(
                f"STFTSpectrogram: `fft_length` is recommended to be a power of two. Received {fft_length}",
                stacklevel=2,
            )
        if mode not in _MODES:
            raise ValueError(f"STFTSpectrogram: mode must be one of {', '.join(_MODES)}. Received: mode={mode!r}")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                f"STFTSpectrogram: scaling must be None, 'density' or 'spectrum'. Received scaling={scaling!r}"
            )
        if padding not in ("valid", "same"):
            raise ValueError(f"STFTSpectrogram: padding must be 'valid' or 'same'. Received: padding={padding!r}")
        check_window_name(window, "STFTSpectrogram")
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = U.normalize_data_format(data_format, "STFTSpectrogram")

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel", shape=shape, initializer=STFT("real", self.window, self.scaling, self.periodic)
            )
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel", shape=shape, initializer=STFT("imag", self.window, self.scaling, self.periodic)
            )

    def _frames(self, inputs, kernel):
        """(batch, channels, freq, frames): every channel convolved on its own."""
        if self.data_format == "channels_last":
            inputs = inputs.transpose(1, 2)
        batch, channels, steps = inputs.shape
        signals = inputs.reshape(batch * channels, 1, steps)
        out = _conv.convolution(
            signals,
            kernel.to(inputs.dtype),
            strides=(self._frame_step,),
            padding=self.padding.upper(),
            data_format="NCW",
        )
        return out.reshape(batch, channels, out.shape[1], out.shape[2])

    def _arrange(self, outputs):
        batch, channels, freq, frames = outputs.shape
        if self.expand_dims:
            return outputs.permute(0, 3, 2, 1) if self.data_format == "channels_last" else outputs.transpose(2, 3)
        outputs = outputs.reshape(batch, channels * freq, frames)
        return outputs.transpose(1, 2) if self.data_format == "channels_last" else outputs

    def call(self, inputs):
        if inputs.dtype not in (torch.float16, torch.float32, torch.float64):
            raise TypeError(
                f"STFTSpectrogram '{self.name}': the input must be float16, float32 or float64; received "
                f"{inputs.dtype}. Cast the signal to float first."
            )
        if inputs.dim() != 3:
            raise ValueError(
                f"STFTSpectrogram '{self.name}' expects a 3D input (batch, time, channels) or (batch, channels, "
                f"time); received shape {tuple(inputs.shape)}."
            )
        real = self._frames(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._frames(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            return self._arrange(real)
        if self.mode == "imag":
            return self._arrange(imag)
        if self.mode == "angle":
            return self._arrange(torch.atan2(imag, real))
        if self.mode == "stft":
            return self._arrange(torch.cat([real, imag], dim=2))
        power = real * real + imag * imag
        if self.mode == "psd":
            # One-sided density: every bin but DC and Nyquist also holds its mirror's power.
            return self._arrange(power + torch.nn.functional.pad(power[:, :, 1:-1, :], (0, 0, 1, 1)))
        from capas.keras import config  # in-function: import cycle capas.keras.config -> layers -> this module

        epsilon = config.epsilon()
        magnitude = self._arrange(torch.sqrt(torch.clamp(power, min=epsilon)))
        if self.mode == "magnitude":
            return magnitude
        return torch.log(torch.clamp(magnitude, min=epsilon))

    def compute_output_shape(self, input_shape):
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        steps = input_shape[1] if self.data_format == "channels_last" else input_shape[2]
        freq = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        if steps is None:
            frames = None
        elif self.padding == "same":
            frames = -(-steps // self._frame_step)
        else:
            frames = (steps - self.frame_length) // self._frame_step + 1
        if self.expand_dims:
            if self.data_format == "channels_last":
                return (input_shape[0], frames, freq, channels)
            return (input_shape[0], channels, frames, freq)
        features = None if channels is None else channels * freq
        if self.data_format == "channels_last":
            return (input_shape[0], frames, features)
        return (input_shape[0], features, frames)

    def get_config(self):
        config_ = super().get_config()
        window = self.window.tolist() if hasattr(self.window, "tolist") else self.window
        config_.update(
            {
                "mode": self.mode,
                "frame_length": self.frame_length,
                "frame_step": self.frame_step,
                "fft_length": self.fft_length,
                "window": window,
                "periodic": self.periodic,
                "scaling": self.scaling,
                "padding": self.padding,
                "data_format": self.data_format,
                "expand_dims": self.expand_dims,
            }
        )
        return config_
