"""Gather, gather_nd, where, boolean_mask, one_hot and pad against numpy."""

import numpy as np
import pytest
import torch

import capas as tf


def _np(t):
    return t.detach().cpu().numpy()


def _np_gather(params, indices, axis, batch_dims):
    """The definition of tf.gather, written with loops over the batch axes."""
    if batch_dims == 0:
        return np.take(params, indices, axis=axis)
    return np.stack([_np_gather(p, i, axis - 1, batch_dims - 1) for p, i in zip(params, indices)])


@pytest.mark.parametrize(
    "pshape,ishape,axis,batch_dims",
    [
        ((5,), (3,), 0, 0),
        ((4, 5), (2, 3), 1, 0),
        ((4, 5, 6), (), 1, 0),
        ((4, 5, 6), (2,), 2, 0),
        ((3, 5, 6), (3, 4), 1, 1),
        ((3, 5, 6), (3, 4), 2, 1),
        ((3, 4, 5, 6), (3, 2), 3, 1),
        ((2, 3, 5, 4), (2, 3, 7), 2, 2),
        ((2, 3, 5), (2, 3), None, 1),
    ],
)
def test_gather_matches_numpy(pshape, ishape, axis, batch_dims):
    rng = np.random.default_rng(0)
    params = rng.standard_normal(pshape).astype(np.float32)
    gather_axis = batch_dims if axis is None else axis
    indices = rng.integers(0, pshape[gather_axis], size=ishape).astype(np.int32)
    out = tf.gather(params, indices, axis=axis, batch_dims=batch_dims)
    np.testing.assert_array_equal(_np(out), _np_gather(params, indices, gather_axis, batch_dims))


def test_gather_rejects_float_indices_with_a_fix():
    with pytest.raises(TypeError, match=r"tf.cast"):
        tf.gather([1, 2, 3], [0.0, 1.0])


def _np_gather_nd(params, indices, batch_dims):
    if batch_dims:
        return np.stack([_np_gather_nd(p, i, batch_dims - 1) for p, i in zip(params, indices)])
    flat = indices.reshape(-1, indices.shape[-1])
    out = np.stack([params[tuple(ix)] for ix in flat])
    return out.reshape(indices.shape[:-1] + params.shape[indices.shape[-1] :])


@pytest.mark.parametrize(
    "pshape,ishape,batch_dims",
    [
        ((3, 4), (2, 2), 0),
        ((3, 4, 5), (2, 1), 0),
        ((3, 4, 5), (2, 2, 2), 0),
        ((2, 4, 5), (2, 3, 1), 1),
        ((2, 4, 5), (2, 2), 1),
    ],
)
def test_gather_nd_matches_numpy(pshape, ishape, batch_dims):
    rng = np.random.default_rng(1)
    params = rng.standard_normal(pshape).astype(np.float32)
    k = ishape[-1]
    cols = [rng.integers(0, pshape[batch_dims + j], size=ishape[:-1]) for j in range(k)]
    indices = np.stack(cols, axis=-1).astype(np.int64)
    out = tf.gather_nd(params, indices, batch_dims=batch_dims)
    np.testing.assert_array_equal(_np(out), _np_gather_nd(params, indices, batch_dims))


def test_where_one_argument_gives_int64_coordinates():
    cond = np.array([[True, False], [False, True], [True, True]])
    out = tf.where(cond)
    assert out.dtype == torch.int64
    np.testing.assert_array_equal(_np(out), np.argwhere(cond))


@pytest.mark.parametrize(
    "x,y", [(np.ones((3, 2), np.float32), np.zeros((3, 2), np.float32)), (np.ones((2,), np.float32), 5.0)]
)
def test_where_three_arguments_broadcast_like_numpy(x, y):
    cond = np.array([[True, False], [False, True], [True, True]])
    np.testing.assert_array_equal(_np(tf.where(cond, x, y)), np.where(cond, x, y))


def test_where_needs_both_branches():
    with pytest.raises(ValueError, match="both"):
        tf.where([True], [1.0])


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_boolean_mask_matches_numpy(axis):
    x = np.arange(24).reshape(2, 3, 4).astype(np.int32)
    if axis in (None, 0):
        mask = np.array([[True, False, True], [False, False, True]])
        expected = x[mask]
    else:
        mask = np.array([True, False, True])
        expected = x[:, mask]
    np.testing.assert_array_equal(_np(tf.boolean_mask(x, mask, axis=axis)), expected)


def test_boolean_mask_shape_error():
    with pytest.raises(ValueError, match=r"mask shape \(2,\)"):
        tf.boolean_mask(tf.zeros((3,)), [True, False])


@pytest.mark.parametrize("axis", [None, -1, 0, 1])
@pytest.mark.parametrize("on,off", [(None, None), (5.0, -1.0)])
def test_one_hot_matches_numpy(axis, on, off):
    idx = np.array([[0, 2], [1, -1]], dtype=np.int32)  # -1 (out of range) gives an all-off row
    on_v = 1.0 if on is None else on
    off_v = 0.0 if off is None else off
    hot = np.where(idx[..., None] == np.arange(3), on_v, off_v).astype(np.float32)
    if axis not in (None, -1):
        hot = np.moveaxis(hot, -1, axis)
    out = tf.one_hot(idx, 3, on_value=on, off_value=off, axis=axis)
    assert out.dtype == torch.float32
    np.testing.assert_array_equal(_np(out), hot)


def test_one_hot_dtype():
    assert tf.one_hot([1], 2, dtype="int32").dtype == torch.int32
    assert tf.one_hot([1], 2, on_value=3, off_value=0).dtype == torch.int32


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC", "reflect"])
@pytest.mark.parametrize("paddings", [[[1, 2], [2, 1]], [[0, 0], [2, 2]], [[1, 0], [0, 0]]], ids=str)
def test_pad_matches_numpy(mode, paddings):
    x = np.arange(12).reshape(3, 4).astype(np.float32)
    np_mode = mode.lower()
    expected = np.pad(x, paddings, mode=np_mode) if np_mode != "constant" else np.pad(x, paddings, constant_values=7)
    np.testing.assert_array_equal(_np(tf.pad(x, paddings, mode=mode, constant_values=7)), expected)


def test_pad_3d_reflect_matches_numpy():
    x = np.arange(60).reshape(3, 4, 5).astype(np.float32)
    p = [[1, 1], [2, 3], [0, 4]]
    np.testing.assert_array_equal(_np(tf.pad(x, p, "REFLECT")), np.pad(x, p, mode="reflect"))
    np.testing.assert_array_equal(_np(tf.pad(x, p, "SYMMETRIC")), np.pad(x, p, mode="symmetric"))


def test_pad_errors():
    with pytest.raises(ValueError, match=r"at most 2"):
        tf.pad(tf.zeros((3,)), [[3, 0]], mode="REFLECT")
    with pytest.raises(ValueError, match=r"mode must be"):
        tf.pad(tf.zeros((3,)), [[1, 1]], mode="WRAP")


def _np_scatter(base, indices, updates, accumulate):
    out = base.copy()
    k = indices.shape[-1]
    for ix, up in zip(indices.reshape(-1, k), updates.reshape((-1,) + base.shape[k:])):
        if accumulate:
            out[tuple(ix)] += up
        else:
            out[tuple(ix)] = up
    return out


@pytest.mark.parametrize(
    "shape,ishape",
    [((5,), (3, 1)), ((4, 3), (2, 2)), ((4, 3), (2, 1)), ((2, 3, 4), (2, 2, 2))],
)
def test_scatter_ops_match_numpy(shape, ishape):
    rng = np.random.default_rng(0)
    k = ishape[-1]
    indices = np.stack([rng.integers(0, shape[j], size=ishape[:-1]) for j in range(k)], axis=-1).astype(np.int32)
    indices.reshape(-1, k)[-1] = indices.reshape(-1, k)[0]  # a duplicate: summed by scatter_nd
    updates = rng.standard_normal(ishape[:-1] + shape[k:]).astype(np.float32)
    base = rng.standard_normal(shape).astype(np.float32)
    zeros = np.zeros(shape, np.float32)
    np.testing.assert_allclose(
        _np(tf.scatter_nd(indices, updates, shape)), _np_scatter(zeros, indices, updates, True), rtol=1e-6
    )
    np.testing.assert_allclose(
        _np(tf.tensor_scatter_nd_add(base, indices, updates)), _np_scatter(base, indices, updates, True), rtol=1e-6
    )
    unique = np.unique(indices.reshape(-1, k), axis=0)
    unique_updates = rng.standard_normal((len(unique),) + shape[k:]).astype(np.float32)
    np.testing.assert_allclose(
        _np(tf.tensor_scatter_nd_update(base, unique, unique_updates)), _np_scatter(base, unique, unique_updates, False)
    )


def test_sequence_mask_matches_numpy():
    lengths = np.array([[1, 3], [0, 2]])
    expected = np.arange(4) < lengths[..., None]
    np.testing.assert_array_equal(_np(tf.sequence_mask(lengths, 4)), expected)
    np.testing.assert_array_equal(_np(tf.sequence_mask(lengths)), expected[..., :3])
    assert tf.sequence_mask([2], 3, dtype="float32").dtype == torch.float32
