"""keras.initializers.STFT against Keras's (torch backend)."""

import numpy as np
import pytest

from capas import keras
from tests.conftest import keras_reference


def _keras_can_make_windows():
    try:
        import scipy.signal  # noqa: F401

        return True
    except ImportError:
        return False


@pytest.mark.parametrize("window", [None, "hann", "hamming", "blackman", "bartlett", "boxcar"])
@pytest.mark.parametrize("side", ["real", "imag"])
@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("scaling", ["density", "spectrum", None])
def test_stft_kernel_matches_keras(window, side, periodic, scaling):
    ref = keras_reference()
    if window is not None and not _keras_can_make_windows():
        pytest.skip("Keras computes named windows with scipy, which is not installed")
    args = {"side": side, "window": window, "scaling": scaling, "periodic": periodic}
    for shape in [(8, 1, 5), (16, 1, 9)]:
        mine = keras.initializers.STFT(**args)(shape)
        theirs = ref.initializers.STFT(**args)(shape)
        assert tuple(mine.shape) == tuple(theirs.shape) == shape
        np.testing.assert_allclose(mine.numpy(), np.asarray(theirs), rtol=1e-5, atol=1e-6)


def test_stft_with_an_array_window_names_and_config_as_keras():
    ref = keras_reference()
    window = np.linspace(0.1, 1.0, 6)
    mine = keras.initializers.STFT(window=window, scaling="spectrum")((6, 1, 4))
    theirs = ref.initializers.STFT(window=window, scaling="spectrum")((6, 1, 4))
    np.testing.assert_allclose(mine.numpy(), np.asarray(theirs), rtol=1e-5, atol=1e-6)
    assert keras.initializers.STFT(side="imag", window=None).get_config() == (
        ref.initializers.STFT(side="imag", window=None).get_config()
    )
    assert keras.initializers.STFT(window="hann").get_config()["window"] == "hann"  # without scipy in capas
    for name in ("stft", "STFTInitializer", "STFT"):
        assert isinstance(keras.initializers.get(name), keras.initializers.STFT)
    # Keras makes (frame_length, 1, fft_length) whatever the middle dim asked for
    ours = keras.initializers.STFT(window=None)((8, 3, 5))
    assert tuple(ours.shape) == tuple(ref.initializers.STFT(window=None)((8, 3, 5)).shape) == (8, 1, 5)
    with pytest.raises(ValueError, match="side should be 'real' or 'imag'"):
        keras.initializers.STFT(side="both")
    with pytest.raises(ValueError, match="Scaling is invalid"):
        keras.initializers.STFT(scaling="loud")
    with pytest.raises(ValueError, match="window must have shape \\[frame_length\\]"):
        keras.initializers.STFT(window=np.ones(3))((6, 1, 4))
