"""tf.nn convolution and pooling (TF layouts, SAME/VALID padding) against keras and numpy."""

import numpy as np
import pytest

import capas as tf


def _np(t):
    return t.detach().cpu().numpy()


def _rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("spatial", [(7,), (6, 7), (5, 6, 5)], ids=lambda s: f"{len(s)}d")
@pytest.mark.parametrize("padding", ["VALID", "SAME"])
@pytest.mark.parametrize("strides,dilations", [(1, 1), (2, 1), (1, 2)])
def test_convolution_matches_keras(spatial, padding, strides, dilations):
    keras = pytest.importorskip("keras")
    n = len(spatial)
    x = _rand((2,) + spatial + (3,))
    w = _rand((3,) * n + (3, 4), seed=1)
    expected = keras.ops.convert_to_numpy(
        keras.ops.conv(x, w, strides=strides, padding=padding.lower(), dilation_rate=dilations)
    )
    fn = {1: tf.nn.conv1d, 2: tf.nn.conv2d, 3: tf.nn.conv3d}[n]
    out = fn(x, w, strides, padding, dilations=dilations)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(
        _np(tf.nn.convolution(x, w, strides, padding, dilations=dilations)), expected, rtol=1e-4, atol=1e-4
    )


def test_conv2d_channels_first_and_explicit_padding():
    x = _rand((1, 6, 6, 2))
    w = _rand((3, 3, 2, 5), seed=1)
    nhwc = _np(tf.nn.conv2d(x, w, [1, 1, 1, 1], [[0, 0], [1, 1], [1, 1], [0, 0]]))
    same = _np(tf.nn.conv2d(x, w, 1, "SAME"))
    np.testing.assert_allclose(nhwc, same, rtol=1e-5, atol=1e-5)
    nchw = _np(tf.nn.conv2d(np.transpose(x, (0, 3, 1, 2)), w, 1, "SAME", data_format="NCHW"))
    np.testing.assert_allclose(np.transpose(nchw, (0, 2, 3, 1)), same, rtol=1e-5, atol=1e-5)


def test_conv_channel_mismatch_error():
    with pytest.raises(ValueError, match=r"3 channels.*in_channels 2"):
        tf.nn.conv2d(tf.zeros((1, 4, 4, 3)), tf.zeros((3, 3, 2, 1)), 1, "SAME")


def _np_pool(x, k, s, padding, reduce):
    """The definition of TF's 2-d pooling (NHWC); SAME windows see only real entries."""
    n, h, w, c = x.shape
    if padding == "SAME":
        oh, ow = -(-h // s), -(-w // s)
        ph = max((oh - 1) * s + k - h, 0) // 2
        pw = max((ow - 1) * s + k - w, 0) // 2
    else:
        oh, ow = (h - k) // s + 1, (w - k) // s + 1
        ph = pw = 0
    out = np.zeros((n, oh, ow, c), np.float32)
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s - ph, j * s - pw
            win = x[:, max(r0, 0) : r0 + k, max(c0, 0) : c0 + k, :]
            out[:, i, j, :] = reduce(win, axis=(1, 2))
    return out


@pytest.mark.parametrize("k,s", [(2, 2), (3, 2), (3, 1)])
@pytest.mark.parametrize("padding", ["VALID", "SAME"])
def test_pool2d_matches_numpy_definition(k, s, padding):
    x = _rand((2, 7, 6, 3))
    np.testing.assert_allclose(_np(tf.nn.max_pool2d(x, k, s, padding)), _np_pool(x, k, s, padding, np.max), rtol=1e-6)
    np.testing.assert_allclose(
        _np(tf.nn.avg_pool2d(x, k, s, padding)), _np_pool(x, k, s, padding, np.mean), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_pool1d_matches_keras(padding):
    keras = pytest.importorskip("keras")
    x = _rand((2, 9, 3))
    expected = keras.ops.convert_to_numpy(keras.ops.max_pool(x, 3, 2, padding=padding))
    np.testing.assert_allclose(_np(tf.nn.max_pool1d(x, 3, 2, padding.upper())), expected, rtol=1e-6)
    np.testing.assert_allclose(_np(tf.nn.max_pool(x, [3], [2], padding.upper())), expected, rtol=1e-6)


def test_pool_argument_errors():
    with pytest.raises(ValueError, match="padding must be"):
        tf.nn.max_pool2d(tf.zeros((1, 4, 4, 1)), 2, 2, "FULL")
    with pytest.raises(ValueError, match="strides"):
        tf.nn.avg_pool2d(tf.zeros((1, 4, 4, 1)), 2, [1, 2, 3], "SAME")
