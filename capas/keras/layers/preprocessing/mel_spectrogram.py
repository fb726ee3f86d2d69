"""`MelSpectrogram`: power spectrogram (keras.ops.stft), mel filter bank, optional decibel scale."""

import torch

from capas.keras.layers.layer import Layer
from capas.ops._convert import as_torch_dtype
from capas.keras.saving.object_registration import register_builtin

# The HTK mel scale: mel(f) = 1127 * ln(1 + f / 700).
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(hertz):
    return _MEL_HIGH_FREQUENCY_Q * torch.log(1.0 + hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sampling_rate, lower_edge_hertz, upper_edge_hertz):
    """`(num_spectrogram_bins, num_mel_bins)` triangular filters (peak 1) on the HTK mel scale.

    The DC bin gets no weight; filter `m` rises from mel edge `m` to `m + 1` and
    falls to `m + 2`, the `num_mel_bins + 2` edges evenly spaced in mels."""
    dtype = torch.float32
    nyquist = torch.tensor(float(sampling_rate), dtype=dtype) / 2.0
    linear = torch.linspace(0.0, float(nyquist), num_spectrogram_bins, dtype=dtype)[1:]
    bins_mel = _hertz_to_mel(linear).unsqueeze(1)
    lower = _hertz_to_mel(torch.tensor(float(lower_edge_hertz), dtype=dtype))
    upper = _hertz_to_mel(torch.tensor(float(upper_edge_hertz), dtype=dtype))
    edges = torch.linspace(float(lower), float(upper), num_mel_bins + 2, dtype=dtype)
    left, center, right = edges[:-2].unsqueeze(0), edges[1:-1].unsqueeze(0), edges[2:].unsqueeze(0)
    rising = (bins_mel - left) / (center - left)
    falling = (right - bins_mel) / (right - center)
    weights = torch.clamp(torch.minimum(rising, falling), min=0.0)
    return torch.nn.functional.pad(weights, (0, 0, 1, 0))


@register_builtin("layers")
class MelSpectrogram(Layer):
    """A preprocessing layer to convert raw audio signals to Mel spectrograms.

    Computes `|stft(x)| ** mag_exp` (centered frames, "hann" window by
    default), projects the frequency bins onto `num_mel_bins` triangular mel
    filters, and (with `power_to_db`) converts to decibels clipped to
    `top_db` below the maximum of the whole batch.

    Args:
        fft_length: FFT size (samples per frame after zero-padding).
        sequence_stride: samples between frames.
        sequence_length: window length (default `fft_length`).
        window: "hann", "hamming", or None.
        sampling_rate: samples per second of the signal.
        num_mel_bins: number of mel filters.
        min_freq, max_freq: the filters' frequency range in Hz (max default: Nyquist).
        power_to_db: whether to convert to decibels.
        top_db: the decibel range kept below the maximum.
        mag_exp: the magnitude's exponent (2: power).
        min_power: floor before the logarithm.
        ref_power: the power mapped to 0 dB.

    Input shape: `(samples,)` or `(batch, samples)`.
    Output shape: `(num_mel_bins, frames)` or `(batch, num_mel_bins, frames)`,
    `frames = 1 + samples // sequence_stride`.

    Example:

    >>> from capas import keras
    >>> from capas.keras import layers
    >>> layer = layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
    >>> tuple(layer(keras.ops.ones((2, 128))).shape)
    (2, 8, 9)
    """

    def __init__(
        self,
        fft_length=2048,
        sequence_stride=512,
        sequence_length=None,
        window="hann",
        sampling_rate=16000,
        num_mel_bins=128,
        min_freq=20.0,
        max_freq=None,
        power_to_db=True,
        top_db=80.0,
        mag_exp=2.0,
        min_power=1e-10,
        ref_power=1.0,
        **kwargs,
    ):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(
                "MelSpectrogram: `fft_length` must be greater than or equal to `sequence_length`. "
                f"Received: sequence_length={self.sequence_length}, fft_length={self.fft_length}."
            )
        if isinstance(window, str) and window not in ("hann", "hamming"):
            raise ValueError(f"MelSpectrogram: window must be 'hann', 'hamming', None or an array; got {window!r}.")
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)

    def call(self, inputs):
        compute = as_torch_dtype(self.compute_dtype) or torch.float32
        dtype = compute if compute in (torch.float32, torch.float64) else torch.float32
        inputs = torch.as_tensor(inputs).to(dtype)
        frames = self._stft(inputs)
        spectrum = torch.pow(torch.sqrt(frames.real * frames.real + frames.imag * frames.imag), self.mag_exp)
        matrix = linear_to_mel_weight_matrix(
            self.num_mel_bins, spectrum.shape[-1], self.sampling_rate, self.min_freq, self.max_freq
        ).to(dtype=dtype, device=spectrum.device)
        mel = torch.tensordot(spectrum, matrix, dims=1)
        if self.power_to_db:
            mel = self._decibels(mel)
        return mel.transpose(-1, -2).to(compute)

    def _stft(self, inputs):
        """Centered STFT frames `(..., frames, fft_length // 2 + 1)`, as `keras.ops.stft` computes them."""
        length, dtype = self.sequence_length, inputs.dtype
        if self.window is None:
            window = torch.ones(length, dtype=dtype)
        elif isinstance(self.window, str):
            make = torch.hann_window if self.window == "hann" else torch.hamming_window
            window = make(length, periodic=True, dtype=dtype)
        else:
            window = torch.as_tensor(self.window, dtype=dtype)
        flat = inputs.reshape(-1, inputs.shape[-1])
        out = torch.stft(
            flat,
            n_fft=self.fft_length,
            hop_length=self.sequence_stride,
            win_length=length,
            window=window.to(inputs.device),
            center=True,
            return_complex=True,
        )
        return out.reshape(tuple(inputs.shape[:-1]) + tuple(out.shape[-2:])).transpose(-2, -1)

    def _decibels(self, power):
        log_spec = 10.0 * torch.log10(torch.clamp(power, min=self.min_power))
        reference = torch.clamp(torch.abs(torch.tensor(float(self.ref_power), dtype=power.dtype)), min=self.min_power)
        log_spec = log_spec - 10.0 * torch.log10(reference)
        return torch.maximum(log_spec, torch.max(log_spec) - self.top_db)

    def compute_output_shape(self, input_shape):
        samples = input_shape[-1]
        frames = None if samples is None else 1 + samples // self.sequence_stride  # centered frames
        return (*input_shape[:-1], self.num_mel_bins, frames)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length,
                "window": self.window,
                "sampling_rate": self.sampling_rate,
                "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq,
                "max_freq": self.max_freq,
                "power_to_db": self.power_to_db,
                "top_db": self.top_db,
                "mag_exp": self.mag_exp,
                "min_power": self.min_power,
                "ref_power": self.ref_power,
            }
        )
        return config
