"""tf.nn activations, normalization helpers, dropout and cross-entropies against numpy (and keras)."""

import math

import numpy as np
import pytest
import torch

import capas as tf


def _np(t):
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def _rand(shape, seed=0):
    return (np.random.default_rng(seed).standard_normal(shape) * 3).astype(np.float32)


_erf = np.vectorize(math.erf)


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


ACTIVATIONS = [
    ("relu", lambda x: np.maximum(x, 0)),
    ("relu6", lambda x: np.clip(x, 0, 6)),
    ("elu", lambda x: np.where(x > 0, x, np.expm1(x))),
    ("gelu", lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    ("silu", lambda x: x / (1 + np.exp(-x))),
    ("swish", lambda x: x / (1 + np.exp(-x))),
    ("leaky_relu", lambda x: np.where(x > 0, x, 0.2 * x)),
    ("sigmoid", lambda x: 1 / (1 + np.exp(-x))),
    ("tanh", np.tanh),
    ("softplus", lambda x: np.log1p(np.exp(x))),
    ("softsign", lambda x: x / (1 + np.abs(x))),
    ("softmax", _softmax),
    ("log_softmax", lambda x: np.log(_softmax(x))),
]


@pytest.mark.parametrize("shape", [(5,), (2, 3), (2, 3, 4)])
@pytest.mark.parametrize("name,np_fn", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activations_match_numpy(name, np_fn, shape):
    x = _rand(shape)
    np.testing.assert_allclose(_np(getattr(tf.nn, name)(x)), np_fn(x.astype(np.float64)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "name,kwargs", [("selu", {}), ("gelu", {"approximate": True}), ("leaky_relu", {"negative_slope": 0.3})]
)
def test_activations_match_keras(name, kwargs):
    keras = pytest.importorskip("keras")
    x = _rand((3, 4))
    expected = keras.ops.convert_to_numpy(getattr(keras.ops, name)(x, **kwargs))
    if name == "leaky_relu":
        out = tf.nn.leaky_relu(x, alpha=0.3)
    else:
        out = getattr(tf.nn, name)(x, **kwargs)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-6)


def test_silu_beta():
    x = _rand((4,))
    np.testing.assert_allclose(_np(tf.nn.silu(x, beta=2.0)), x / (1 + np.exp(-2.0 * x)), rtol=1e-5)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_axis(axis):
    x = _rand((3, 4))
    np.testing.assert_allclose(_np(tf.nn.softmax(x, axis=axis)), _softmax(x, axis), rtol=1e-5)
    np.testing.assert_allclose(_np(tf.math.log_softmax(x, axis=axis)), np.log(_softmax(x, axis)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("axis", [None, 0, 1, [0, 1]], ids=str)
def test_l2_normalize_matches_numpy(axis):
    x = _rand((3, 4))
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = x / np.sqrt(np.maximum(np.sum(x * x, axis=np_axis, keepdims=True), 1e-12))
    np.testing.assert_allclose(_np(tf.nn.l2_normalize(x, axis=axis)), expected, rtol=1e-5)
    np.testing.assert_allclose(_np(tf.math.l2_normalize(x, axis=axis)), expected, rtol=1e-5)


@pytest.mark.parametrize("axes,keepdims", [([0], False), ([0, 1], True), ([1], True)])
def test_moments_match_numpy(axes, keepdims):
    x = _rand((4, 3, 2))
    mean, var = tf.nn.moments(x, axes=axes, keepdims=keepdims)
    np.testing.assert_allclose(_np(mean), x.mean(axis=tuple(axes), keepdims=keepdims), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(var), x.var(axis=tuple(axes), keepdims=keepdims), rtol=1e-5, atol=1e-6)


def test_batch_normalization_matches_formula():
    x, m, v = _rand((4, 3)), _rand((3,), 1), np.abs(_rand((3,), 2))
    off, sc = _rand((3,), 3), _rand((3,), 4)
    expected = (x - m) / np.sqrt(v + 1e-3) * sc + off
    np.testing.assert_allclose(_np(tf.nn.batch_normalization(x, m, v, off, sc, 1e-3)), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("data_format", [None, "NHWC", "NCHW"])
def test_bias_add(data_format):
    x = _rand((2, 3, 4, 5))
    if data_format == "NCHW":
        b = _rand((3,), 1)
        expected = x + b[None, :, None, None]
    else:
        b = _rand((5,), 1)
        expected = x + b
    np.testing.assert_allclose(_np(tf.nn.bias_add(x, b, data_format=data_format)), expected, rtol=1e-6)


def test_bias_add_error_names_shapes():
    with pytest.raises(ValueError, match=r"\(4,\).*\(2, 3\)"):
        tf.nn.bias_add(tf.zeros((2, 3)), tf.zeros((4,)))


@pytest.mark.parametrize("rate", [0.0, 0.25, 0.5, 0.9])
def test_dropout_zeroes_and_scales(rate):
    x = np.ones((200, 50), np.float32)
    out = _np(tf.nn.dropout(x, rate=rate, seed=1))
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / (1 - rate), rtol=1e-6)
    assert abs(kept.mean() - (1 - rate)) < 0.03


def test_dropout_noise_shape_broadcasts_and_seed_is_reproducible():
    x = np.ones((4, 6), np.float32)
    out = _np(tf.nn.dropout(x, rate=0.5, noise_shape=[4, 1], seed=3))
    assert all(len(set(row)) == 1 for row in out)  # whole rows kept or dropped
    tf.random.set_seed(5)
    a = _np(tf.nn.dropout(x, 0.5, seed=2))
    b = _np(tf.nn.dropout(x, 0.5, seed=2))
    tf.random.set_seed(5)
    a2 = _np(tf.nn.dropout(x, 0.5, seed=2))
    np.testing.assert_array_equal(a, a2)
    assert not np.array_equal(a, b)  # successive calls continue the sequence
    with pytest.raises(ValueError, match=r"rate must be in \[0, 1\)"):
        tf.nn.dropout(x, 1.0)


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 5)])
def test_sparse_softmax_cross_entropy_matches_numpy(shape):
    logits = _rand(shape)
    labels = np.random.default_rng(1).integers(0, shape[-1], size=shape[:-1]).astype(np.int32)
    logp = np.log(_softmax(logits.astype(np.float64)))
    expected = -np.take_along_axis(logp, labels[..., None].astype(np.int64), axis=-1)[..., 0]
    out = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-5)


def test_sparse_softmax_cross_entropy_shape_error():
    with pytest.raises(ValueError, match=r"labels \(4, 1\) and logits \(4, 5\)"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=np.zeros((4, 1), np.int32), logits=np.zeros((4, 5), np.float32)
        )


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_cross_entropy_matches_numpy(axis):
    logits = _rand((4, 5))
    labels = _softmax(_rand((4, 5), 2), axis)
    expected = -np.sum(labels * np.log(_softmax(logits.astype(np.float64), axis)), axis=axis)
    out = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=axis)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-5)


def test_sigmoid_and_weighted_cross_entropy_match_numpy():
    x = _rand((3, 4)).astype(np.float64)
    z = (np.random.default_rng(3).random((3, 4)) > 0.5).astype(np.float64)
    p = 1 / (1 + np.exp(-x))
    expected = -(z * np.log(p) + (1 - z) * np.log(1 - p))
    out = tf.nn.sigmoid_cross_entropy_with_logits(labels=z.astype(np.float32), logits=x.astype(np.float32))
    np.testing.assert_allclose(_np(out), expected, rtol=1e-4, atol=1e-5)
    weighted = -(2.5 * z * np.log(p) + (1 - z) * np.log(1 - p))
    out = tf.nn.weighted_cross_entropy_with_logits(z.astype(np.float32), x.astype(np.float32), pos_weight=2.5)
    np.testing.assert_allclose(_np(out), weighted, rtol=1e-4, atol=1e-5)


def test_l2_loss_and_embedding_lookup():
    x = _rand((3, 4))
    np.testing.assert_allclose(_np(tf.nn.l2_loss(x)), np.sum(x * x) / 2, rtol=1e-5)
    ids = np.array([[2, 0], [1, 1]])
    np.testing.assert_array_equal(_np(tf.nn.embedding_lookup(x, ids)), x[ids])
