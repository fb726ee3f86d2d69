"""Element-wise math, comparisons, logic and products against numpy."""

import numpy as np
import pytest
import torch

import capas as tf

SHAPES = [(), (3,), (2, 3), (2, 3, 4)]


def _np(t):
    return t.detach().cpu().numpy()


def _rand(shape, dtype=np.float32, positive=False, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(dtype)
    return np.abs(x) + 0.1 if positive else x


UNARY = [
    (tf.negative, np.negative, False),
    (tf.abs, np.abs, False),
    (tf.sign, np.sign, False),
    (tf.square, np.square, False),
    (tf.sqrt, np.sqrt, True),
    (tf.exp, np.exp, False),
    (tf.math.log, np.log, True),
    (tf.math.log1p, np.log1p, True),
    (tf.math.expm1, np.expm1, False),
    (tf.math.reciprocal, np.reciprocal, True),
    (tf.math.rsqrt, lambda x: 1 / np.sqrt(x), True),
    (tf.floor, np.floor, False),
    (tf.math.ceil, np.ceil, False),
    (tf.sin, np.sin, False),
    (tf.cos, np.cos, False),
    (tf.tanh, np.tanh, False),
    (tf.math.atan, np.arctan, False),
    (tf.sigmoid, lambda x: 1 / (1 + np.exp(-x)), False),
    (tf.math.softplus, lambda x: np.log1p(np.exp(x)), False),
    (tf.math.log_sigmoid, lambda x: -np.log1p(np.exp(-x)), False),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("tf_fn,np_fn,positive", UNARY, ids=lambda v: getattr(v, "__name__", ""))
def test_unary_matches_numpy(tf_fn, np_fn, positive, shape, dtype):
    x = np.asarray(_rand(shape, dtype=dtype, positive=positive))
    out = tf_fn(tf.constant(x))
    assert out.shape == x.shape and out.dtype == torch.from_numpy(x).dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(_np(out), np_fn(x).astype(dtype), rtol=tol, atol=tol)


def test_round_is_half_to_even_like_tf():
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, 0.6], dtype=np.float32)
    np.testing.assert_array_equal(_np(tf.round(x)), np.round(x))  # numpy rounds half to even too


BINARY = [
    (tf.add, np.add),
    (tf.subtract, np.subtract),
    (tf.multiply, np.multiply),
    (tf.divide, np.divide),
    (tf.maximum, np.maximum),
    (tf.minimum, np.minimum),
    (tf.math.squared_difference, lambda a, b: (a - b) ** 2),
    (tf.math.atan2, np.arctan2),
]


@pytest.mark.parametrize("shapes", [((3,), (3,)), ((2, 3), (3,)), ((2, 1, 4), (3, 1)), ((), (2, 2))])
@pytest.mark.parametrize("tf_fn,np_fn", BINARY, ids=lambda v: getattr(v, "__name__", ""))
def test_binary_broadcasts_like_numpy(tf_fn, np_fn, shapes):
    a, b = _rand(shapes[0], seed=1), _rand(shapes[1], seed=2)
    np.testing.assert_allclose(_np(tf_fn(a, b)), np_fn(a, b), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("tf_fn,np_fn", BINARY[:6], ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("scalar", [2, 0.5])
def test_python_scalars_take_the_tensor_dtype(tf_fn, np_fn, scalar):
    x = np.array([1.0, -2.0, 3.0], dtype=np.float32)
    for args in ((x, scalar), (scalar, x)):
        out = tf_fn(
            tf.constant(args[0]) if isinstance(args[0], np.ndarray) else args[0],
            tf.constant(args[1]) if isinstance(args[1], np.ndarray) else args[1],
        )
        assert out.dtype == torch.float32
        np.testing.assert_allclose(_np(out), np_fn(*args).astype(np.float32), rtol=1e-6)


def test_pow_and_python_operands():
    np.testing.assert_allclose(_np(tf.pow(tf.constant([1.0, 2.0, 3.0]), 2)), [1.0, 4.0, 9.0])
    out = tf.pow(2, 3)
    assert out.dtype == torch.int32 and int(out) == 8
    assert tf.add(1, 2).dtype == torch.int32
    assert tf.add(1.0, 2).dtype == torch.float32
    assert tf.multiply([1, 2], [3, 4]).tolist() == [3, 8]


@pytest.mark.parametrize(
    "dtype,expected",
    [("int32", torch.float64), ("int64", torch.float64), ("int16", torch.float32), ("float32", torch.float32)],
)
def test_divide_of_integers_is_true_division_as_in_tf(dtype, expected):
    out = tf.divide(tf.constant([1, 3, -7], dtype=dtype), tf.constant([2, 2, 2], dtype=dtype))
    assert out.dtype == expected
    np.testing.assert_allclose(_np(out), [0.5, 1.5, -3.5])


def test_floordiv_floormod_truncatemod_match_numpy():
    a = np.array([7, -7, 7, -7], dtype=np.int32)
    b = np.array([2, 2, -2, -2], dtype=np.int32)
    np.testing.assert_array_equal(_np(tf.math.floordiv(a, b)), np.floor_divide(a, b))
    np.testing.assert_array_equal(_np(tf.math.floormod(a, b)), np.mod(a, b))
    np.testing.assert_array_equal(_np(tf.math.truncatemod(a, b)), np.fmod(a, b))


def test_divide_no_nan_and_multiply_no_nan():
    x = tf.constant([1.0, np.inf, 3.0])
    y = tf.constant([0.0, 0.0, 2.0])
    np.testing.assert_array_equal(_np(tf.math.divide_no_nan(x, y)), [0.0, 0.0, 1.5])
    np.testing.assert_array_equal(_np(tf.math.multiply_no_nan(x, y)), [0.0, 0.0, 6.0])


def test_add_n_sums_and_checks_shapes():
    xs = [_rand((2, 3), seed=i) for i in range(3)]
    np.testing.assert_allclose(_np(tf.add_n(xs)), sum(xs), rtol=1e-6)
    with pytest.raises(ValueError, match=r"one shape"):
        tf.add_n([np.zeros((2,), np.float32), np.zeros((3,), np.float32)])


COMPARE = [
    (tf.equal, np.equal),
    (tf.not_equal, np.not_equal),
    (tf.greater, np.greater),
    (tf.greater_equal, np.greater_equal),
    (tf.less, np.less),
    (tf.less_equal, np.less_equal),
]


@pytest.mark.parametrize("tf_fn,np_fn", COMPARE, ids=lambda v: getattr(v, "__name__", ""))
def test_comparisons_match_numpy(tf_fn, np_fn):
    a = np.array([[1, 2, 3], [3, 2, 1]], dtype=np.int32)
    b = np.array([2, 2, 2], dtype=np.int32)
    out = tf_fn(a, b)
    assert out.dtype == torch.bool
    np.testing.assert_array_equal(_np(out), np_fn(a, b))
    np.testing.assert_array_equal(_np(tf_fn(tf.constant(a), 2)), np_fn(a, 2))


@pytest.mark.parametrize(
    "tf_fn,np_fn",
    [(tf.logical_and, np.logical_and), (tf.logical_or, np.logical_or), (tf.math.logical_xor, np.logical_xor)],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_logical_ops_match_numpy(tf_fn, np_fn):
    a = np.array([True, True, False, False])
    b = np.array([True, False, True, False])
    np.testing.assert_array_equal(_np(tf_fn(a, b)), np_fn(a, b))
    np.testing.assert_array_equal(_np(tf.logical_not(a)), ~a)


@pytest.mark.parametrize(
    "src,dst", [("float32", "int32"), ("float32", "bool"), ("int32", "float64"), ("float64", "float16")]
)
def test_cast_matches_numpy_astype(src, dst):
    x = np.array([-1.7, -0.2, 0.0, 0.5, 2.9], dtype=src)
    out = tf.cast(x, dst)
    assert tf.dtypes.as_dtype(out.dtype).name == dst
    np.testing.assert_array_equal(_np(out), x.astype(dst))


def test_cast_accepts_tf_dtypes_and_enums():
    assert tf.cast([1, 2], tf.float32).dtype == torch.float32
    assert tf.cast([1, 2], 1).dtype == torch.float32
    assert tf.cast([1.5], tf.dtypes.as_dtype("int64")).dtype == torch.int64


@pytest.mark.parametrize("lo,hi", [(-0.5, 0.5), (0, 1), (np.float32(-1.0), np.array([0.0, 0.5, 1.0], np.float32))])
def test_clip_by_value_matches_numpy(lo, hi):
    x = _rand((4, 3))
    np.testing.assert_allclose(_np(tf.clip_by_value(x, lo, hi)), np.clip(x, lo, hi))


def test_clip_by_norm_matches_formula():
    x = _rand((3, 4)) * 5
    norm = np.sqrt((x**2).sum())
    np.testing.assert_allclose(_np(tf.clip_by_norm(x, 1.0)), x / max(norm, 1.0), rtol=1e-5)
    row = np.sqrt((x**2).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(_np(tf.clip_by_norm(x, 2.0, axes=[1])), x * 2.0 / np.maximum(row, 2.0), rtol=1e-5)


@pytest.mark.parametrize("batch", [(), (2,), (2, 3)])
@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_matmul_transposes_match_numpy(batch, ta, tb):
    a = _rand(batch + ((4, 3) if ta else (3, 4)), seed=3)
    b = _rand(batch + ((5, 4) if tb else (4, 5)), seed=4)
    expected = np.matmul(np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b)
    np.testing.assert_allclose(_np(tf.matmul(a, b, transpose_a=ta, transpose_b=tb)), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        _np(tf.linalg.matmul(a, b, transpose_a=ta, transpose_b=tb)), expected, rtol=1e-5, atol=1e-5
    )


def test_matmul_adjoint_conjugates():
    rng = np.random.default_rng(0)
    a = (rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))).astype(np.complex64)
    b = (rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))).astype(np.complex64)
    np.testing.assert_allclose(_np(tf.matmul(a, b, adjoint_a=True)), a.conj().T @ b, rtol=1e-5, atol=1e-5)


def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 5\).*transpose"):
        tf.matmul(tf.ones((2, 3)), tf.ones((4, 5)))


@pytest.mark.parametrize("axes", [1, 2, [1, 0], [[0], [1]], [[1, 2], [0, 1]]])
def test_tensordot_matches_numpy(axes):
    a = _rand((3, 4, 5), seed=5)
    if axes == 1:
        b = _rand((5, 2), seed=6)
    elif axes == 2:
        b = _rand((4, 5, 2), seed=6)
    elif axes == [1, 0]:
        b = _rand((4, 2), seed=6)
    elif axes == [[0], [1]]:
        b = _rand((2, 3), seed=6)
    else:
        b = _rand((4, 5, 2), seed=6)
    np.testing.assert_allclose(_np(tf.tensordot(a, b, axes)), np.tensordot(a, b, axes), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "eq,shapes", [("ij,jk->ik", [(2, 3), (3, 4)]), ("bij->bji", [(2, 3, 4)]), ("i,i->", [(5,), (5,)])]
)
def test_einsum_matches_numpy(eq, shapes):
    xs = [_rand(s, seed=i) for i, s in enumerate(shapes)]
    np.testing.assert_allclose(_np(tf.einsum(eq, *xs)), np.einsum(eq, *xs), rtol=1e-5, atol=1e-5)


def test_more_unary_math_matches_numpy():
    math = pytest.importorskip("math")
    x = np.array([0.1, 0.5, 1.5, 3.0], dtype=np.float32)
    np.testing.assert_allclose(_np(tf.math.erfc(x)), [math.erfc(v) for v in x], rtol=1e-5)
    np.testing.assert_allclose(_np(tf.math.lgamma(x)), [math.lgamma(v) for v in x], rtol=1e-5)
    np.testing.assert_allclose(_np(tf.math.erf(tf.math.erfinv(x[:2]))), x[:2], rtol=1e-5)
    np.testing.assert_allclose(_np(tf.math.xlogy([0.0, 2.0], [0.0, 3.0])), [0.0, 2 * np.log(3.0)], rtol=1e-6)
    z = np.array([1 + 2j, -3j], dtype=np.complex64)
    np.testing.assert_array_equal(_np(tf.math.real(z)), z.real)
    np.testing.assert_array_equal(_np(tf.math.imag(z)), z.imag)
    np.testing.assert_array_equal(_np(tf.math.conj(z)), z.conj())
    np.testing.assert_array_equal(_np(tf.math.imag(x)), np.zeros_like(x))


@pytest.mark.parametrize(
    "data_shape,ids", [((5,), [0, 2, 0, 1, 7]), ((4, 3), [1, 1, 0, -1]), ((2, 2, 3), [[0, 1], [1, 1]])]
)
def test_unsorted_segment_sum_matches_numpy(data_shape, ids):
    data = np.arange(np.prod(data_shape), dtype=np.float32).reshape(data_shape)
    ids = np.array(ids)
    k = ids.ndim
    expected = np.zeros((3,) + data_shape[k:], np.float32)
    for i, row in zip(ids.reshape(-1), data.reshape((-1,) + data_shape[k:])):
        if 0 <= i < 3:  # out-of-range ids are dropped, as in TF
            expected[i] += row
    np.testing.assert_array_equal(_np(tf.math.unsorted_segment_sum(data, ids, 3)), expected)


def test_clip_by_global_norm_matches_formula():
    ts = [_rand((2, 3), seed=1) * 3, None, _rand((4,), seed=2) * 3]
    norm = np.sqrt(sum(np.sum(t * t) for t in ts if t is not None))
    clipped, gnorm = tf.clip_by_global_norm(ts, 1.5)
    np.testing.assert_allclose(_np(gnorm), norm, rtol=1e-5)
    assert clipped[1] is None
    for c, t in zip(clipped, ts):
        if t is not None:
            np.testing.assert_allclose(_np(c), t * 1.5 / max(norm, 1.5), rtol=1e-5)
