"""tf.random ops, the seeding model, and the initializer objects."""

import math

import numpy as np
import pytest
import torch

import capas as tf


def _np(t):
    return t.detach().cpu().numpy()


@pytest.mark.parametrize("fn", [tf.random.normal, tf.random.uniform, tf.random.truncated_normal])
@pytest.mark.parametrize("dtype", ["float32", tf.float64, 1])
def test_shapes_and_dtypes(fn, dtype):
    out = fn((3, 4), dtype=dtype)
    assert tuple(out.shape) == (3, 4)
    assert out.dtype == tf.dtypes.as_dtype(dtype)


def test_set_seed_makes_unseeded_ops_reproducible_and_seeds_torch():
    tf.random.set_seed(7)
    a = tf.random.normal((5,))
    t1 = torch.rand(3)
    tf.random.set_seed(7)
    b = tf.random.normal((5,))
    t2 = torch.rand(3)
    np.testing.assert_array_equal(_np(a), _np(b))
    np.testing.assert_array_equal(_np(t1), _np(t2))


def test_op_seed_gives_a_reproducible_sequence():
    tf.random.set_seed(1)
    a1, a2 = tf.random.uniform((4,), seed=3), tf.random.uniform((4,), seed=3)
    tf.random.set_seed(1)
    b1, b2 = tf.random.uniform((4,), seed=3), tf.random.uniform((4,), seed=3)
    np.testing.assert_array_equal(_np(a1), _np(b1))
    np.testing.assert_array_equal(_np(a2), _np(b2))
    assert not np.array_equal(_np(a1), _np(a2))


def test_normal_statistics():
    tf.random.set_seed(0)
    x = _np(tf.random.normal((20000,), mean=2.0, stddev=3.0))
    assert abs(x.mean() - 2.0) < 0.1 and abs(x.std() - 3.0) < 0.1


def test_uniform_ranges_and_int_dtypes():
    x = _np(tf.random.uniform((5000,), minval=-2.0, maxval=3.0))
    assert x.min() >= -2.0 and x.max() < 3.0 and abs(x.mean() - 0.5) < 0.1
    i = tf.random.uniform((1000,), minval=0, maxval=4, dtype="int32")
    assert i.dtype == torch.int32 and set(_np(i).tolist()) == {0, 1, 2, 3}
    with pytest.raises(ValueError, match="maxval"):
        tf.random.uniform((2,), dtype="int32")


def test_truncated_normal_stays_within_two_stddevs():
    x = _np(tf.random.truncated_normal((20000,), mean=1.0, stddev=0.5))
    assert x.min() >= 0.0 and x.max() <= 2.0
    # std of a standard normal truncated to [-2, 2]: sqrt(1 - 2 * 2 * pdf(2) / (cdf(2) - cdf(-2)))
    pdf2 = math.exp(-2.0) / math.sqrt(2 * math.pi)
    expected = math.sqrt(1 - 4 * pdf2 / math.erf(2 / math.sqrt(2)))
    assert abs(x.std() / 0.5 - expected) < 0.02


def test_shuffle_permutes_the_first_axis():
    x = np.arange(20).reshape(10, 2).astype(np.int32)
    out = _np(tf.random.shuffle(x, seed=1))
    assert sorted(map(tuple, out.tolist())) == sorted(map(tuple, x.tolist()))
    np.testing.assert_array_equal(out[:, 1] - out[:, 0], np.ones(10))


def test_categorical():
    logits = np.log(np.array([[0.0001, 0.9999], [0.9999, 0.0001]], np.float32))
    out = tf.random.categorical(logits, 50, seed=0)
    assert out.dtype == torch.int64 and tuple(out.shape) == (2, 50)
    assert _np(out)[0].mean() > 0.9 and _np(out)[1].mean() < 0.1


def test_random_normal_initializer_as_the_seed_uses_it():
    init = tf.random_normal_initializer()
    w = init(shape=(2, 3), dtype="float32")
    assert tuple(w.shape) == (2, 3) and w.dtype == torch.float32
    tf.random.set_seed(0)
    big = _np(tf.random_normal_initializer()(shape=(200, 200)))
    assert abs(big.mean()) < 0.005 and abs(big.std() - 0.05) < 0.002
    v = tf.Variable(initial_value=init(shape=(2, 3), dtype="float32"), trainable=True)
    assert v.requires_grad


def test_random_uniform_initializer_defaults():
    x = _np(tf.random_uniform_initializer()(shape=(5000,)))
    assert x.min() >= -0.05 and x.max() < 0.05


def test_seeded_initializers_repeat_their_values():
    for init in (tf.random_normal_initializer(seed=4), tf.random_uniform_initializer(seed=4)):
        np.testing.assert_array_equal(_np(init((3,))), _np(init((3,))))
        clone = type(init).from_config(init.get_config())
        np.testing.assert_array_equal(_np(init((3,))), _np(clone((3,))))


def test_constant_zeros_ones_initializers():
    assert _np(tf.zeros_initializer()(shape=(2,))).tolist() == [0.0, 0.0]
    assert tf.zeros_initializer()((2,), dtype="int32").dtype == torch.int32
    assert _np(tf.ones_initializer()((2,), dtype=tf.float64)).tolist() == [1.0, 1.0]
    np.testing.assert_array_equal(_np(tf.constant_initializer(3.0)((2, 2))), np.full((2, 2), 3.0, np.float32))
    np.testing.assert_array_equal(_np(tf.constant_initializer([1, 2, 3, 4])((2, 2), dtype="float32")), [[1, 2], [3, 4]])


def test_random_initializers_reject_integer_dtypes():
    with pytest.raises(ValueError, match="floating"):
        tf.random_normal_initializer()((2,), dtype="int32")
