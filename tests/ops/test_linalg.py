"""tf.linalg and tf.norm against numpy."""

import numpy as np
import pytest
import torch

import capas as tf


def _np(t):
    return t.detach().cpu().numpy()


def _rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _spd(n, seed=0):
    a = _rand((n, n), seed).astype(np.float64)
    return (a @ a.T + n * np.eye(n)).astype(np.float32)


@pytest.mark.parametrize("ord_", ["euclidean", 1, 2, 3, np.inf])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_vector_norms_match_numpy(ord_, axis, keepdims):
    x = _rand((3, 4))
    p = 2 if ord_ == "euclidean" else ord_
    if axis is None:
        expected = np.linalg.norm(x.reshape(-1), ord=p)
        if keepdims:
            expected = np.reshape(expected, (1, 1))
    else:
        expected = np.linalg.norm(x, ord=p, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(_np(tf.norm(x, ord=ord_, axis=axis, keepdims=keepdims)), expected, rtol=1e-5)
    np.testing.assert_allclose(_np(tf.linalg.norm(x, ord=ord_, axis=axis, keepdims=keepdims)), expected, rtol=1e-5)


@pytest.mark.parametrize("ord_,np_ord", [("euclidean", "fro"), ("fro", "fro"), (1, 1), (2, 2), (np.inf, np.inf)])
def test_matrix_norms_match_numpy(ord_, np_ord):
    x = _rand((2, 3, 4))
    expected = np.linalg.norm(x, ord=np_ord, axis=(1, 2))
    np.testing.assert_allclose(_np(tf.norm(x, ord=ord_, axis=[1, 2])), expected, rtol=1e-5)


def test_norm_errors():
    with pytest.raises(ValueError, match="fro"):
        tf.norm(tf.ones((3,)), ord="fro")
    with pytest.raises(ValueError, match="positive"):
        tf.norm(tf.ones((3,)), ord=-1)


def test_matrix_functions_match_numpy():
    a = _spd(4)
    b = _rand((4, 2), 1)
    np.testing.assert_allclose(_np(tf.linalg.inv(a)), np.linalg.inv(a), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(tf.linalg.det(a)), np.linalg.det(a), rtol=1e-4)
    sign, logabs = tf.linalg.slogdet(a)
    np.testing.assert_allclose([_np(sign), _np(logabs)], np.linalg.slogdet(a), rtol=1e-4)
    np.testing.assert_allclose(_np(tf.linalg.logdet(a)), np.linalg.slogdet(a)[1], rtol=1e-4)
    np.testing.assert_allclose(_np(tf.linalg.cholesky(a)), np.linalg.cholesky(a), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(tf.linalg.solve(a, b)), np.linalg.solve(a, b), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(tf.linalg.trace(a)), np.trace(a), rtol=1e-5)
    np.testing.assert_allclose(_np(tf.linalg.diag_part(a)), np.diag(a))
    np.testing.assert_allclose(_np(tf.linalg.diag([1.0, 2.0])), np.diag([1.0, 2.0]))
    np.testing.assert_allclose(_np(tf.linalg.matrix_transpose(b)), b.T)
    np.testing.assert_allclose(_np(tf.linalg.matvec(a, b[:, 0])), a @ b[:, 0], rtol=1e-5)
    np.testing.assert_allclose(_np(tf.linalg.pinv(b)), np.linalg.pinv(b), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(tf.linalg.cross([1.0, 0, 0], [0, 1.0, 0])), [0, 0, 1.0])


@pytest.mark.parametrize("lower,upper", [(0, 0), (1, 0), (0, -1), (-1, 1)])
def test_band_part_matches_numpy(lower, upper):
    x = _rand((4, 5))
    i, j = np.indices(x.shape)
    keep = ((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper))
    np.testing.assert_array_equal(_np(tf.linalg.band_part(x, lower, upper)), np.where(keep, x, 0))


def test_decompositions_reconstruct_their_input():
    x = _rand((5, 3))
    q, r = tf.linalg.qr(x)
    np.testing.assert_allclose(_np(q @ r), x, atol=1e-5)
    s, u, v = tf.linalg.svd(x)
    np.testing.assert_allclose(_np(s), np.linalg.svd(x, compute_uv=False), rtol=1e-5)
    np.testing.assert_allclose(_np(u @ torch.diag(s) @ v.T), x, atol=1e-5)
    a = _spd(3)
    e, vecs = tf.linalg.eigh(a)
    np.testing.assert_allclose(_np(e), np.linalg.eigvalsh(a), rtol=1e-4)


def test_global_norm():
    ts = [_rand((2, 3)), None, _rand((4,), 1)]
    expected = np.sqrt(sum(np.sum(t * t) for t in ts if t is not None))
    np.testing.assert_allclose(_np(tf.linalg.global_norm(ts)), expected, rtol=1e-5)
