"""Creation, dtype rules and shape manipulation against numpy."""

import numpy as np
import pytest
import torch

import capas as tf


def _np(t):
    return t.detach().cpu().numpy()


@pytest.mark.parametrize(
    "value,dtype",
    [
        (1, torch.int32),
        (1.5, torch.float32),
        (True, torch.bool),
        ([1, 2], torch.int32),
        ([1.0, 2], torch.float32),
        ([[True, False]], torch.bool),
        (np.array([1.0]), torch.float64),
        (np.array([1], dtype=np.int64), torch.int64),
        (np.float32(2.0), torch.float32),
    ],
    ids=repr,
)
def test_constant_follows_tf_dtype_rules(value, dtype):
    out = tf.constant(value)
    assert out.dtype == dtype
    np.testing.assert_array_equal(_np(out), np.asarray(value))
    assert tf.convert_to_tensor(value).dtype == dtype


def test_constant_dtype_and_shape():
    assert tf.constant(1, dtype="float32").dtype == torch.float32
    assert tf.constant(1, dtype=tf.float64).dtype == torch.float64
    assert tf.constant(1, dtype=1).dtype == torch.float32  # TF enum 1 = float32
    np.testing.assert_array_equal(_np(tf.constant(7, shape=(2, 3))), np.full((2, 3), 7))
    np.testing.assert_array_equal(_np(tf.constant([1, 2, 3, 4], shape=[2, 2])), [[1, 2], [3, 4]])
    with pytest.raises(TypeError, match=r"\(3,\).*\(2, 2\)"):
        tf.constant([1, 2, 3], shape=(2, 2))


def test_constant_of_a_variable_is_a_snapshot_without_grad():
    v = tf.Variable([1.0, 2.0])
    c = tf.constant(v)
    v.assign([5.0, 6.0])
    assert type(c) is torch.Tensor and not c.requires_grad
    assert c.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("fn,np_fn", [(tf.zeros, np.zeros), (tf.ones, np.ones)])
@pytest.mark.parametrize("shape", [3, (2, 3), [1, 2, 3], (), tf.TensorShape([2, 2]), torch.Size([4])], ids=str)
def test_zeros_ones_shapes_and_float32_default(fn, np_fn, shape):
    out = fn(shape)
    expected = np_fn(tuple(shape) if not isinstance(shape, int) else shape, dtype=np.float32)
    assert out.dtype == torch.float32
    np.testing.assert_array_equal(_np(out), expected)


def test_ones_second_positional_argument_is_the_dtype_enum():
    t = tf.ones(1, 1)  # the seed's tf.ones(1, 1): shape (1,), dtype enum 1 = float32
    assert tuple(t.shape) == (1,) and t.dtype == torch.float32
    assert tf.zeros((2,), 3).dtype == torch.int32
    assert tf.ones((2,), "int64").dtype == torch.int64


def test_fill_and_like_ops():
    np.testing.assert_array_equal(_np(tf.fill([2, 3], 9)), np.full((2, 3), 9))
    assert tf.fill([2], 9).dtype == torch.int32 and tf.fill([2], 0.5).dtype == torch.float32
    x = tf.constant([[1, 2]], dtype="int64")
    assert tf.zeros_like(x).dtype == torch.int64 and tf.zeros_like(x).tolist() == [[0, 0]]
    assert tf.ones_like(x, dtype="float32").tolist() == [[1.0, 1.0]]
    assert not tf.zeros_like(tf.Variable([1.0])).requires_grad


@pytest.mark.parametrize("rows,cols,batch", [(3, None, None), (2, 4, None), (3, 3, [2])])
def test_eye_matches_numpy(rows, cols, batch):
    expected = np.eye(rows, cols, dtype=np.float32)
    if batch:
        expected = np.broadcast_to(expected, tuple(batch) + expected.shape)
    np.testing.assert_array_equal(_np(tf.eye(rows, cols, batch_shape=batch)), expected)
    assert tf.linalg.eye(2).dtype == torch.float32


@pytest.mark.parametrize(
    "args,dtype",
    [
        ((5,), torch.int32),
        ((2, 9, 3), torch.int32),
        ((0.0, 1.0, 0.25), torch.float32),
        ((1, 4, 0.5), torch.float32),
        ((5, 0, -1), torch.int32),
    ],
)
def test_range_matches_numpy_arange(args, dtype):
    out = tf.range(*args)
    assert out.dtype == dtype
    np.testing.assert_allclose(_np(out), np.arange(*args))
    assert tf.range(3, dtype="float64").dtype == torch.float64


@pytest.mark.parametrize("num", [1, 2, 5, 11])
def test_linspace_matches_numpy(num):
    np.testing.assert_allclose(_np(tf.linspace(-1.0, 3.0, num)), np.linspace(-1, 3, num, dtype=np.float32), rtol=1e-6)


def test_linspace_with_tensor_endpoints_and_axis():
    start, stop = np.array([0.0, 1.0], np.float32), np.array([1.0, 5.0], np.float32)
    expected = np.linspace(start, stop, 5, axis=0)
    np.testing.assert_allclose(_np(tf.linspace(start, stop, 5)), expected, rtol=1e-6)
    np.testing.assert_allclose(_np(tf.linspace(start, stop, 5, axis=1)), expected.T, rtol=1e-6)


def test_shape_rank_size_are_int32_tensors():
    x = tf.zeros((2, 3, 4))
    assert tf.shape(x).tolist() == [2, 3, 4] and tf.shape(x).dtype == torch.int32
    assert int(tf.rank(x)) == 3 and tf.rank(x).dtype == torch.int32
    assert int(tf.size(x)) == 24
    assert tf.shape(x, out_type="int64").dtype == torch.int64


def test_identity_and_stop_gradient():
    v = tf.Variable([1.0, 2.0])
    ident = tf.identity(v)
    v.assign([3.0, 4.0])
    assert type(ident) is torch.Tensor and ident.tolist() == [1.0, 2.0]
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.stop_gradient(v) * v)
    np.testing.assert_allclose(_np(tape.gradient(y, v)), [3.0, 4.0])


@pytest.mark.parametrize("shape", [(6,), (2, 3), (3, -1), [-1], (1, 2, 3)])
def test_reshape_matches_numpy(shape):
    x = np.arange(6, dtype=np.float32)
    np.testing.assert_array_equal(_np(tf.reshape(x, shape)), x.reshape(shape))


def test_reshape_error_names_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4,\)"):
        tf.reshape(tf.zeros((2, 3)), [4])


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_expand_dims_matches_numpy(axis):
    x = np.zeros((2, 3), np.float32)
    assert tuple(tf.expand_dims(x, axis).shape) == np.expand_dims(x, axis).shape


@pytest.mark.parametrize("axis", [None, 0, [2], [0, -1]], ids=str)
def test_squeeze_matches_numpy(axis):
    x = np.zeros((1, 3, 1), np.float32)
    expected = np.squeeze(x, axis=tuple(axis) if isinstance(axis, list) else axis)
    assert tuple(tf.squeeze(x, axis).shape) == expected.shape


def test_squeeze_error_names_axis_and_length():
    with pytest.raises(ValueError, match=r"axis 1 of length 3"):
        tf.squeeze(tf.zeros((1, 3)), axis=1)


@pytest.mark.parametrize("perm", [None, [1, 0, 2], [2, 0, 1]], ids=str)
def test_transpose_matches_numpy(perm):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    np.testing.assert_array_equal(_np(tf.transpose(x, perm)), np.transpose(x, perm))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concat_stack_unstack_match_numpy(axis):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = a + 10
    np.testing.assert_array_equal(_np(tf.concat([a, b], axis)), np.concatenate([a, b], axis))
    np.testing.assert_array_equal(_np(tf.stack([a, b], axis)), np.stack([a, b], axis))
    parts = tf.unstack(a, axis=axis)
    expected = [np.take(a, i, axis=axis) for i in range(a.shape[axis])]
    assert len(parts) == len(expected)
    for p, e in zip(parts, expected):
        np.testing.assert_array_equal(_np(p), e)


@pytest.mark.parametrize(
    "splits,axis", [(2, 0), (3, 1), ([2, 4], 1), ([1, 0, 5], 1), ([2, -1], 1), ([1, 1], 0)], ids=str
)
def test_split_matches_numpy(splits, axis):
    x = np.arange(12, dtype=np.float32).reshape(2, 6)
    if isinstance(splits, int):
        expected = np.split(x, splits, axis=axis)
    else:
        sizes = list(splits)
        if -1 in sizes:
            sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
        expected = np.split(x, np.cumsum(sizes)[:-1], axis=axis)
    parts = tf.split(x, splits, axis=axis)
    assert len(parts) == len(expected)
    for p, e in zip(parts, expected):
        np.testing.assert_array_equal(_np(p), e)


def test_split_errors_name_length_and_sizes():
    with pytest.raises(ValueError, match=r"length 5 cannot be split into 2"):
        tf.split(tf.zeros((5,)), 2)
    with pytest.raises(ValueError, match=r"do not add up"):
        tf.split(tf.zeros((5,)), [2, 2])


@pytest.mark.parametrize("multiples", [[1, 1], [2, 1], [2, 3]])
def test_tile_matches_numpy(multiples):
    x = np.arange(6).reshape(2, 3).astype(np.int32)
    np.testing.assert_array_equal(_np(tf.tile(x, multiples)), np.tile(x, multiples))


def test_tile_error_needs_one_multiple_per_axis():
    with pytest.raises(ValueError, match="one entry per axis"):
        tf.tile(tf.zeros((2, 3)), [2])


def test_broadcast_to_reverse_roll_repeat_slice_meshgrid():
    x = np.arange(6).reshape(2, 3).astype(np.int32)
    np.testing.assert_array_equal(_np(tf.broadcast_to([1, 2, 3], [2, 3])), np.broadcast_to([1, 2, 3], (2, 3)))
    np.testing.assert_array_equal(_np(tf.reverse(x, [1])), x[:, ::-1])
    np.testing.assert_array_equal(_np(tf.roll(x, 1, axis=1)), np.roll(x, 1, axis=1))
    np.testing.assert_array_equal(_np(tf.repeat(x, 2, axis=0)), np.repeat(x, 2, axis=0))
    np.testing.assert_array_equal(_np(tf.slice(x, [0, 1], [2, -1])), x[0:2, 1:])
    gx, gy = tf.meshgrid([1, 2, 3], [4, 5])
    ex, ey = np.meshgrid([1, 2, 3], [4, 5])
    np.testing.assert_array_equal(_np(gx), ex)
    np.testing.assert_array_equal(_np(gy), ey)


def test_newaxis_indexes_like_numpy():
    x = tf.zeros((2, 3))
    assert tf.newaxis is None
    assert tuple(x[:, tf.newaxis].shape) == (2, 1, 3)


def test_concat_and_stack_errors_list_the_shapes():
    with pytest.raises(ValueError, match=r"axis 0.*\[\(2, 3\), \(2, 4\)\]"):
        tf.concat([tf.zeros((2, 3)), tf.zeros((2, 4))], axis=0)
    with pytest.raises(ValueError, match=r"\[\(2,\), \(3,\)\]"):
        tf.stack([tf.zeros((2,)), tf.zeros((3,))])
    with pytest.raises(ValueError, match="non-empty list"):
        tf.concat([], axis=0)
