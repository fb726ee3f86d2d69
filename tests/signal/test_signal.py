"""tf.signal against TF 2.21 (recorded in tests/goldens/tfsignal) and numpy.fft for the `*nd` forms."""

import json
import pathlib

import numpy as np
import pytest
import torch

import capas as tf
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).parents[1] / "goldens" / "tfsignal"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "goldens.json").read_text())

# float32 FFTs and sums differ from TF's (Eigen/ducc) in the last bits
TOLERANCE = {"rtol": 2e-5, "atol": 2e-5}
LOOSER = {"tutorial_spectrogram": {"rtol": 1e-4, "atol": 1e-4}, "mfccs": {"rtol": 1e-4, "atol": 1e-4}}

_GOT = {}


def _got(group):
    if group not in _GOT:
        _GOT[group] = cases.CASES[group](tf)
    return _GOT[group]


PARAMS = [(group, name) for group in cases.CASES for name in sorted(EXPECTED[group])]


@pytest.mark.parametrize(("group", "name"), PARAMS, ids=[f"{g}-{n}" for g, n in PARAMS])
def test_signal_as_tf(group, name):
    got, want = _got(group)[name], EXPECTED[group][name]
    assert got["dtype"] == want["dtype"], name
    tol = LOOSER.get(name, TOLERANCE)
    if group == "gradients":  # sums of hundreds of float32 terms: compare relative to the largest
        tol = {"rtol": 1e-4, "atol": 1e-5 * float(np.max(np.abs(want["value"])))}
    if "real" in want:
        np.testing.assert_allclose(got["real"], want["real"], **tol)
        np.testing.assert_allclose(got["imag"], want["imag"], **tol)
    else:
        assert got["shape"] == want["shape"]
        np.testing.assert_allclose(got["value"], want["value"], **tol)


def _complex():
    rng = np.random.default_rng(3)
    return (rng.normal(size=(2, 4, 6)) + 1j * rng.normal(size=(2, 4, 6))).astype("complex64")


@pytest.mark.parametrize("norm", [None, "forward", "ortho"])
@pytest.mark.parametrize(("s", "axes"), [(None, None), (None, [0, 2]), ([3, 8], [1, 2])])
def test_nd_transforms_as_numpy(norm, s, axes):
    # TF 2.21 has no CPU kernel for the *nd ops; numpy.fft defines the same transforms
    c = _complex()
    r = c.real.copy()
    np_norm = norm or "backward"
    kw = {"fft_length": s, "axes": axes, "norm": norm}
    np.testing.assert_allclose(
        tf.signal.fftnd(c, **kw).numpy(), np.fft.fftn(c, s=s, axes=axes, norm=np_norm), rtol=1e-4, atol=1e-4
    )
    np.testing.assert_allclose(
        tf.signal.ifftnd(c, **kw).numpy(), np.fft.ifftn(c, s=s, axes=axes, norm=np_norm), rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(
        tf.signal.rfftnd(r, **kw).numpy(), np.fft.rfftn(r, s=s, axes=axes, norm=np_norm), rtol=1e-4, atol=1e-4
    )
    np.testing.assert_allclose(
        tf.signal.irfftnd(c, **kw).numpy(), np.fft.irfftn(c, s=s, axes=axes, norm=np_norm), rtol=1e-4, atol=1e-5
    )


def test_complex_dtypes_named_as_tf():
    assert tf.signal.rfft(tf.zeros([4])).dtype == tf.complex64
    assert tf.signal.rfft(tf.zeros([4], tf.float64)).dtype == tf.complex128
    assert tf.signal.irfft(tf.zeros([3], tf.complex128)).dtype == tf.float64


def test_gradient_matches_torch_autograd_reference():
    # the transforms are differentiable torch code; check one against a hand-written torch STFT
    x = torch.randn(300, dtype=torch.float64, requires_grad=True)
    window = tf.signal.hann_window(64, dtype=tf.float64)
    with tf.GradientTape():
        ours = tf.abs(tf.signal.stft(x, 64, 32)).sum()
        ref = torch.fft.rfft(x.unfold(0, 64, 32) * window, n=64).abs().sum()
        (g1,) = torch.autograd.grad(ours, x)
        (g2,) = torch.autograd.grad(ref, x)
    torch.testing.assert_close(g1, g2)


def test_fft_of_real_input_says_cast():
    with pytest.raises(TypeError, match=r"complex64.*tf.cast\(x, tf.complex64\).*rfft"):
        tf.signal.fft(tf.zeros([4]))


def test_frame_rejects_bad_lengths():
    with pytest.raises(ValueError, match="frame_step` must be positive; received 0"):
        tf.signal.frame(tf.zeros([8]), 4, 0)


def test_mdct_frame_length_multiple_of_4():
    with pytest.raises(ValueError, match="multiple of 4; received 6"):
        tf.signal.mdct(tf.zeros([24]), 6)


def test_mel_matrix_names_the_bad_edges():
    with pytest.raises(ValueError, match="upper_edge_hertz 5000.0 must not exceed the Nyquist frequency 4000.0"):
        tf.signal.linear_to_mel_weight_matrix(upper_edge_hertz=5000.0)


def test_dct_type1_ortho_refused_as_tf():
    with pytest.raises(ValueError, match="not supported for the Type-I DCT"):
        tf.signal.dct(tf.zeros([4]), type=1, norm="ortho")
