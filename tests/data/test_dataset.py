"""capas.data.Dataset: the tf.data subset, checked against plain numpy."""

import numpy as np
import pytest
import torch

import capas as tf


def test_from_tensor_slices_batch_keeps_order_and_remainder():
    x = np.arange(10, dtype="float32")
    batches = list(tf.data.Dataset.from_tensor_slices(x).batch(4))
    assert [b.tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert len(tf.data.Dataset.from_tensor_slices(x).batch(4, drop_remainder=True)) == 2


def test_shuffle_is_a_permutation_and_reshuffles():
    ds = tf.data.Dataset.from_tensor_slices(np.arange(100)).shuffle(100, seed=1).batch(100)
    first, second = next(iter(ds)), next(iter(ds))
    assert sorted(first.tolist()) == list(range(100))
    assert first.tolist() != second.tolist()


def test_small_buffer_shuffle_is_a_permutation():
    ds = tf.data.Dataset.from_tensor_slices(np.arange(50)).shuffle(5, seed=0)
    values = [int(v) for v in ds]
    assert sorted(values) == list(range(50)) and values != list(range(50))


def test_tuples_dicts_and_map():
    x = np.arange(6, dtype="float32").reshape(3, 2)
    y = np.array([0, 1, 2])
    ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a * 2, b + 1)).batch(2)
    xb, yb = next(iter(ds))
    np.testing.assert_array_equal(xb.numpy(), x[:2] * 2)
    np.testing.assert_array_equal(yb.numpy(), y[:2] + 1)
    d = next(iter(tf.data.Dataset.from_tensor_slices({"a": x}).batch(3)))
    np.testing.assert_array_equal(d["a"].numpy(), x)


def test_repeat_take_skip_filter_unbatch_cache_prefetch():
    ds = tf.data.Dataset.range(5)
    assert [int(v) for v in ds.repeat(2)] == [0, 1, 2, 3, 4] * 2
    assert [int(v) for v in ds.take(3)] == [0, 1, 2]
    assert [int(v) for v in ds.skip(3)] == [3, 4]
    assert [int(v) for v in ds.filter(lambda v: v % 2 == 0)] == [0, 2, 4]
    assert [int(v) for v in ds.batch(2).unbatch()] == [0, 1, 2, 3, 4]
    cached = ds.map(lambda v: v * 10).cache()
    assert [int(v) for v in cached] == [int(v) for v in cached] == [0, 10, 20, 30, 40]
    assert [b.tolist() for b in ds.batch(2).prefetch(tf.data.AUTOTUNE)] == [[0, 1], [2, 3], [4]]


def test_prefetch_propagates_errors():
    def boom(v):
        raise RuntimeError("bad element")

    with pytest.raises(RuntimeError, match="bad element"):
        list(tf.data.Dataset.range(3).map(boom).prefetch(2))


def test_from_generator_and_as_numpy_iterator():
    ds = tf.data.Dataset.from_generator(lambda: ((i, i * i) for i in range(3)))
    assert [tuple(int(t) for t in e) for e in ds] == [(0, 0), (1, 1), (2, 4)]
    assert list(tf.data.Dataset.range(2).as_numpy_iterator()) == [0, 1]


def test_mismatched_lengths_are_explained():
    with pytest.raises(ValueError, match="same first dimension"):
        tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))


def test_unknown_length_raises_type_error():
    with pytest.raises(TypeError, match="unknown"):
        len(tf.data.Dataset.range(3).repeat())


def test_dataloader_interop():
    ds = tf.data.Dataset.from_tensor_slices(torch.arange(4.0)).batch(2)
    assert [b.tolist() for b in ds] == [[0.0, 1.0], [2.0, 3.0]]
