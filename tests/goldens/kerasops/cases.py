"""keras.ops cases (and the layers built on them) run unchanged by Keras 3 on TensorFlow (record.py)
and by capas (tests/keras/ops/test_ops_tf_goldens.py): the ops whose TF-backend result could differ
from Keras's torch backend (layouts, padding, decoders, frame counts).

Each case takes the `keras` module and returns a tensor or a list of tensors."""

import numpy as np

R = np.random.RandomState(7)
IMG = R.randn(2, 7, 5, 3).astype("float32")
NCHW = R.randn(2, 8, 4, 6).astype("float32")
D2S = R.randn(2, 3, 4, 8).astype("float32")
SEQ = R.randn(2, 9, 3).astype("float32")
VOL = R.randn(1, 5, 6, 4, 2).astype("float32")
KT2 = R.randn(3, 3, 4, 3).astype("float32")
KT1 = R.randn(4, 2, 3).astype("float32")
AUDIO = R.randn(2, 80).astype("float32")
LOGITS = R.randn(3, 8, 5).astype("float32")
TARGETS = np.array([[1, 2, 0], [3, 3, 1], [2, 0, 0]], "int32")
INTS = R.randint(0, 5, size=(12,)).astype("int32")
HANN16 = np.hanning(16).astype("float32")


def _t(keras, x):
    return keras.ops.convert_to_tensor(x)


CASES = {
    "depth_to_space": lambda k: k.ops.depth_to_space(D2S, 2),
    "depth_to_space_first": lambda k: k.ops.depth_to_space(NCHW, 2, data_format="channels_first"),
    "space_to_depth": lambda k: k.ops.space_to_depth(IMG[:, :6, :4], 2),
    "space_to_depth_first": lambda k: k.ops.space_to_depth(NCHW, 2, data_format="channels_first"),
    "adaptive_average_pool_2d": lambda k: k.ops.adaptive_average_pool(_t(k, IMG), (3, 2)),
    "adaptive_average_pool_1d_up": lambda k: k.ops.adaptive_average_pool(_t(k, SEQ), 4),
    "adaptive_max_pool_2d": lambda k: k.ops.adaptive_max_pool(_t(k, IMG), 3),
    "adaptive_max_pool_3d": lambda k: k.ops.adaptive_max_pool(_t(k, VOL), (2, 3, 3)),
    "conv_transpose_valid": lambda k: k.ops.conv_transpose(IMG, KT2),
    "conv_transpose_same_strided": lambda k: k.ops.conv_transpose(IMG, KT2, strides=2, padding="same"),
    "conv_transpose_output_padding": lambda k: k.ops.conv_transpose(IMG, KT2, strides=3, output_padding=1),
    "conv_transpose_1d_same": lambda k: k.ops.conv_transpose(SEQ, KT1, strides=2, padding="same"),
    "ctc_loss": lambda k: k.ops.ctc_loss(TARGETS, LOGITS, np.array([2, 3, 1], "int32"), np.array([8, 6, 5], "int32")),
    "ctc_decode_greedy": lambda k: list(k.ops.ctc_decode(LOGITS, np.array([8, 5, 7], "int32"))),
    "ctc_decode_beam": lambda k: list(
        k.ops.ctc_decode(LOGITS, np.array([8, 5, 7], "int32"), strategy="beam_search", beam_width=4, top_paths=2)
    ),
    "stft": lambda k: list(k.ops.stft(AUDIO, 16, 8, 16)),
    "stft_hamming_padded": lambda k: list(k.ops.stft(AUDIO, 10, 5, 16, window="hamming")),
    "stft_no_center": lambda k: list(k.ops.stft(AUDIO, 8, 3, 8, window=None, center=False)),
    "istft": lambda k: k.ops.istft(k.ops.stft(AUDIO, 16, 8, 16), 16, 8, 16),
    "istft_padded_window": lambda k: k.ops.istft(k.ops.stft(AUDIO, 10, 5, 16), 10, 5, 16),
    "ifft2": lambda k: list(k.ops.ifft2((IMG[0, :, :, 0], IMG[0, :, :, 1]))),
    "correlate_full": lambda k: k.ops.correlate(AUDIO[0, :6], AUDIO[1, :3], mode="full"),
    "correlate_same": lambda k: k.ops.correlate(AUDIO[0, :7], AUDIO[1, :4], mode="same"),
    "unique_counts": lambda k: list(k.ops.unique(INTS, return_counts=True)),
    "unique_all": lambda k: list(k.ops.unique(INTS, return_index=True, return_inverse=True, return_counts=True)),
    "unique_size": lambda k: list(k.ops.unique(INTS, size=7, fill_value=-1, return_index=True)),
    "cdist": lambda k: k.ops.cdist(SEQ[0], SEQ[1]),
    "geomspace": lambda k: k.ops.geomspace(2.0, 512.0, 5),
    "kaiser": lambda k: k.ops.kaiser(7, 4.0),
    "blackman": lambda k: k.ops.blackman(6),
    "rearrange": lambda k: k.ops.rearrange(IMG[:, :6], "b (h1 h) w c -> b h (w h1) c", h1=2),
    "fabs_int": lambda k: k.ops.fabs(INTS),
    "stft_spectrogram_log": lambda k: k.layers.STFTSpectrogram(
        frame_length=16, frame_step=6, fft_length=32, window=HANN16
    )(SEQ.repeat(10, axis=1)),
    "stft_spectrogram_psd_same": lambda k: k.layers.STFTSpectrogram(
        mode="psd", frame_length=16, frame_step=8, window=HANN16, padding="same", expand_dims=True
    )(SEQ.repeat(10, axis=1)),
    "mel_spectrogram": lambda k: k.layers.MelSpectrogram(
        fft_length=64, sequence_stride=16, num_mel_bins=10, sampling_rate=8000
    )(AUDIO),
    "adaptive_average_pooling_layer": lambda k: k.layers.AdaptiveAveragePooling2D((2, 3))(IMG),
}


def as_record(value):
    """A JSON-able record of a case's result: shape, dtype and values."""
    if isinstance(value, (list, tuple)):
        return [as_record(v) for v in value]
    array = np.asarray(value.detach().cpu() if hasattr(value, "detach") else value)
    return {"shape": list(array.shape), "dtype": str(array.dtype), "values": array.astype("float64").ravel().tolist()}
