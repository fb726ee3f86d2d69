"""STFTSpectrogram and MelSpectrogram against Keras (torch backend), and their layer contract.

Keras builds STFT kernels from named windows with scipy, which is not installed here: the Keras
comparisons pass the window as an array (numpy's symmetric/periodic Hann), and the named windows
are checked against numpy's formulas."""

import numpy as np
import pytest

from capas.keras import initializers, layers
from capas.keras.testing import assert_matches_keras, run_layer_test
from tests.conftest import keras_reference

R = np.random.RandomState(0)
SIGNAL = R.randn(2, 96, 2).astype("float32")
HANN16 = np.hanning(16).astype("float32")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mode": "log"},
        {"mode": "magnitude", "padding": "same"},
        {"mode": "psd", "scaling": "spectrum"},
        {"mode": "real", "expand_dims": True},
        {"mode": "imag", "data_format": "channels_first"},
        {"mode": "angle", "scaling": None},
        {"mode": "stft", "expand_dims": True, "data_format": "channels_first"},
    ],
    ids=lambda k: "-".join(f"{v}" for v in k.values()),
)
def test_stft_spectrogram_matches_keras(kwargs):
    keras = keras_reference()
    config = dict(frame_length=16, frame_step=6, fft_length=32, window=HANN16, **kwargs)
    x = SIGNAL.transpose(0, 2, 1) if kwargs.get("data_format") == "channels_first" else SIGNAL
    ours, theirs = layers.STFTSpectrogram(**config), keras.layers.STFTSpectrogram(**config)
    assert_matches_keras(ours, theirs, x, atol=2e-4, rtol=2e-4)
    assert tuple(ours.compute_output_shape(x.shape)) == tuple(ours(x).shape)
    # Same kernels from the initializer (no weights copied).
    fresh = layers.STFTSpectrogram(**config)
    fresh.build(x.shape)
    for a, b in zip(fresh.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_stft_spectrogram_layer_contract_and_keras_file():
    run_layer_test(
        layers.STFTSpectrogram,
        {"frame_length": 8, "frame_step": 4, "fft_length": 16, "mode": "magnitude"},
        input_shape=(2, 40, 1),
        expected_output_shape=(2, 9, 9),
        expected_num_trainable_weights=2,
    )


def test_stft_spectrogram_log_mode_is_the_log_magnitude_of_numpys_rfft():
    x = R.randn(1, 32, 1).astype("float32")
    out = layers.STFTSpectrogram(frame_length=16, frame_step=16, window=None, scaling=None)(x)
    expected = np.log(np.abs(np.fft.rfft(x[0, :, 0].reshape(2, 16), n=16)))
    np.testing.assert_allclose(np.asarray(out)[0], expected, atol=1e-4)


@pytest.mark.parametrize("periodic", [False, True])
def test_stft_initializer_named_window_is_numpys_hann(periodic):
    keras = keras_reference()
    window = np.hanning(17)[:-1] if periodic else np.hanning(16)
    ours = initializers.STFT("imag", "hann", "density", periodic)((16, 1, 17))
    theirs = keras.initializers.STFT("imag", window.astype("float32"), "density")((16, 1, 17))
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), atol=1e-6)


def test_stft_initializer_config_round_trip_and_aliases():
    init = initializers.get({"class_name": "STFTInitializer", "config": {"side": "imag", "window": "hamming"}})
    assert isinstance(init, initializers.STFT) and initializers.stft is initializers.STFT
    again = initializers.deserialize(initializers.serialize(init))
    assert (
        again.get_config()
        == init.get_config()
        == {
            "side": "imag",
            "window": "hamming",
            "periodic": False,
            "scaling": "density",
        }
    )
    np.testing.assert_array_equal(np.asarray(again((8, 1, 5))), np.asarray(init((8, 1, 5))))


def test_stft_initializer_unknown_window_says_what_to_do():
    with pytest.raises(ValueError, match="pass the window values as an array"):
        initializers.STFT("real", "no_such_window")


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"power_to_db": False, "mag_exp": 1.0},
        {"window": "hamming", "sequence_length": 48, "min_freq": 100.0, "max_freq": 3000.0, "top_db": 40.0},
        {"window": None, "ref_power": 2.0},
    ],
    ids=["default", "magnitude", "hamming_range", "no_window"],
)
def test_mel_spectrogram_matches_keras(kwargs):
    keras = keras_reference()
    config = dict(fft_length=64, sequence_stride=16, num_mel_bins=10, sampling_rate=8000, **kwargs)
    x = R.randn(2, 200).astype("float32")
    ours, theirs = layers.MelSpectrogram(**config), keras.layers.MelSpectrogram(**config)
    assert_matches_keras(ours, theirs, x, grad=False, atol=2e-3, rtol=2e-4)
    ours_config = {k: v for k, v in ours.get_config().items() if k != "name"}  # names count per library
    assert ours_config == {k: v for k, v in theirs.get_config().items() if k in ours_config}


def test_mel_spectrogram_layer_contract_and_keras_file():
    run_layer_test(
        layers.MelSpectrogram,
        {"fft_length": 32, "sequence_stride": 8, "num_mel_bins": 6, "sampling_rate": 4000},
        input_shape=(2, 64),
        expected_output_shape=(2, 6, 9),
        expected_num_trainable_weights=0,
        run_training_check=False,
    )
