"""Reductions, arg-reductions, sorting and scans against numpy."""

import numpy as np
import pytest
import torch

import capas as tf


def _np(t):
    return t.detach().cpu().numpy()


def _rand(shape, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


AXES = [None, 0, 1, -1, [0, 2], (1, 2), [-1, 0]]

REDUCTIONS = [
    (tf.reduce_sum, np.sum),
    (tf.reduce_mean, np.mean),
    (tf.reduce_max, np.max),
    (tf.reduce_min, np.min),
    (tf.reduce_prod, np.prod),
    (tf.math.reduce_variance, np.var),
    (tf.math.reduce_std, np.std),
    (tf.reduce_logsumexp, lambda x, axis, keepdims: np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))),
    (tf.math.reduce_euclidean_norm, lambda x, axis, keepdims: np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims))),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("tf_fn,np_fn", REDUCTIONS, ids=lambda v: getattr(v, "__name__", ""))
def test_float_reductions_match_numpy(tf_fn, np_fn, axis, keepdims, dtype):
    x = _rand((2, 3, 4), dtype=dtype)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = np_fn(x, axis=np_axis, keepdims=keepdims)
    out = tf_fn(tf.constant(x), axis=axis, keepdims=keepdims)
    assert tuple(out.shape) == np.shape(expected)
    assert out.dtype == torch.from_numpy(x).dtype
    np.testing.assert_allclose(
        _np(out), expected, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5 if dtype == np.float32 else 1e-12
    )


@pytest.mark.parametrize(
    "name", ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_logsumexp"]
)
def test_reductions_live_in_tf_and_tf_math(name):
    assert getattr(tf, name) is getattr(tf.math, name)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_integer_sum_and_mean_keep_int32(axis):
    x = np.array([[1, 2, 4], [-3, 5, 7]], dtype=np.int32)
    s = tf.reduce_sum(x, axis=axis)
    m = tf.reduce_mean(x, axis=axis)
    assert s.dtype == torch.int32 and m.dtype == torch.int32
    np.testing.assert_array_equal(_np(s), x.sum(axis=axis))
    # TF's integer mean truncates toward zero
    np.testing.assert_array_equal(_np(m), np.trunc(x.sum(axis=axis) / (x.size if axis is None else x.shape[axis])))


def test_empty_axis_list_reduces_nothing():
    x = _rand((2, 3))
    np.testing.assert_array_equal(_np(tf.reduce_sum(x, axis=[])), x)


@pytest.mark.parametrize("axis", [None, 0, 1, [0, 1]], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduce_any_all_match_numpy(axis, keepdims):
    x = np.array([[True, False, True], [True, True, True]])
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    np.testing.assert_array_equal(_np(tf.reduce_any(x, axis, keepdims)), np.any(x, axis=np_axis, keepdims=keepdims))
    np.testing.assert_array_equal(_np(tf.reduce_all(x, axis, keepdims)), np.all(x, axis=np_axis, keepdims=keepdims))


def test_count_nonzero_matches_numpy():
    x = np.array([[0, 1, 2], [0, 0, 3]], dtype=np.int32)
    assert _np(tf.math.count_nonzero(x)).item() == 3
    np.testing.assert_array_equal(_np(tf.math.count_nonzero(x, axis=1)), [2, 1])


def test_bad_axis_names_the_rank():
    with pytest.raises(ValueError, match=r"axis 3 .*rank 2"):
        tf.reduce_sum(tf.ones((2, 2)), axis=[3])


@pytest.mark.parametrize("fn,np_fn", [(tf.argmax, np.argmax), (tf.argmin, np.argmin)])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_argmax_argmin_match_numpy_with_int64_default(fn, np_fn, axis):
    x = np.array([[1, 5, 5], [7, 0, 7], [2, 2, 0]], dtype=np.float32)  # ties: first index wins
    out = fn(x, axis=axis)
    assert out.dtype == torch.int64
    np.testing.assert_array_equal(_np(out), np_fn(x, axis=0 if axis is None else axis))
    assert fn(x, axis=axis, output_type=tf.int32).dtype == torch.int32


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("direction", ["ASCENDING", "DESCENDING"])
def test_sort_and_argsort_match_numpy(axis, direction):
    x = np.array([[3, 1, 2, 1], [0, 5, 5, -1], [2, 2, 2, 2]], dtype=np.float32)
    expected = np.sort(x, axis=axis)
    if direction == "DESCENDING":
        expected = np.flip(expected, axis=axis)
        order = np.argsort(-x, axis=axis, kind="stable")
    else:
        order = np.argsort(x, axis=axis, kind="stable")
    np.testing.assert_array_equal(_np(tf.sort(x, axis=axis, direction=direction)), expected)
    idx = tf.argsort(x, axis=axis, direction=direction)
    assert idx.dtype == torch.int32
    np.testing.assert_array_equal(_np(idx), order)


def test_sort_rejects_unknown_direction():
    with pytest.raises(ValueError, match="ASCENDING"):
        tf.sort([1, 2], direction="UP")


@pytest.mark.parametrize("k", [1, 2, 4])
def test_top_k_matches_numpy_with_lowest_index_first_on_ties(k):
    x = np.array([[1, 3, 3, 2], [4, 4, 4, 4]], dtype=np.float32)
    values, indices = tf.math.top_k(x, k=k)
    order = np.argsort(-x, axis=-1, kind="stable")[:, :k]
    np.testing.assert_array_equal(_np(indices), order)
    np.testing.assert_array_equal(_np(values), np.take_along_axis(x, order, axis=-1))
    assert indices.dtype == torch.int32
    assert tf.nn.top_k(x, k=k).indices.tolist() == indices.tolist()


def _np_cumsum(x, axis, exclusive, reverse, op=np.cumsum, fill=0):
    if reverse:
        x = np.flip(x, axis)
    out = op(x, axis=axis)
    if exclusive:
        out = np.concatenate(
            [np.full_like(np.take(out, [0], axis=axis), fill), np.delete(out, -1, axis=axis)], axis=axis
        )
    if reverse:
        out = np.flip(out, axis)
    return out


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_cumsum_and_cumprod_match_numpy(axis, exclusive, reverse, dtype):
    x = (np.arange(12).reshape(3, 4) % 5 + 1).astype(dtype)
    out = tf.cumsum(x, axis=axis, exclusive=exclusive, reverse=reverse)
    assert out.dtype == torch.from_numpy(x).dtype
    np.testing.assert_allclose(_np(out), _np_cumsum(x, axis, exclusive, reverse))
    prod = tf.math.cumprod(x, axis=axis, exclusive=exclusive, reverse=reverse)
    np.testing.assert_allclose(_np(prod), _np_cumsum(x, axis, exclusive, reverse, np.cumprod, 1))


@pytest.mark.parametrize(
    "fn",
    [
        tf.reduce_mean,
        tf.reduce_max,
        tf.reduce_prod,
        tf.math.reduce_variance,
        tf.math.reduce_std,
        tf.math.reduce_euclidean_norm,
    ],
)
def test_every_reduction_reduces_nothing_for_an_empty_axis_list(fn):
    x = _rand((2, 3))
    np_fn = {
        "reduce_mean": np.mean,
        "reduce_max": np.max,
        "reduce_prod": np.prod,
        "reduce_variance": np.var,
        "reduce_std": np.std,
        "reduce_euclidean_norm": lambda v, axis: np.sqrt(np.sum(v * v, axis=axis)),
    }[fn.__name__]
    np.testing.assert_allclose(_np(fn(x, axis=[])), np_fn(x, axis=()), rtol=1e-6)
