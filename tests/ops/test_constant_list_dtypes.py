"""`tf.constant(list, dtype)` keeps the precision of the dtype asked for (as TF), not float32/int32 first."""

import capas as tf


def test_float64_list_keeps_double_precision():
    assert tf.constant([1 / 3, 0.1], tf.float64).numpy().tolist() == [1 / 3, 0.1]


def test_int64_list_keeps_large_values():
    assert tf.constant([2**40, -(2**40)], tf.int64).numpy().tolist() == [2**40, -(2**40)]


def test_lists_without_dtype_still_default_to_float32_and_int32():
    assert tf.constant([1.5]).dtype == tf.float32 and tf.constant([1]).dtype == tf.int32
