"""tf.TensorArray and tf.py_function / tf.numpy_function against TF's recorded results."""

import json
import pathlib

import numpy as np
import pytest

import capas as tf

GOLD = json.loads((pathlib.Path(__file__).parents[1] / "goldens" / "tfcore" / "goldens.json").read_text())


def test_tensor_array_matches_tf():
    g = GOLD["tensor_array"]
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in range(3):
        ta = ta.write(i, tf.fill([2], float(i)))
    assert ta.stack().tolist() == g["stack"]
    assert ta.size().item() == g["size"]
    assert ta.read(1).tolist() == g["read1"]  # clear_after_read: element 1 now reads as zeros
    assert ta.gather([2, 0]).tolist() == g["gather"]
    assert ta.concat().tolist() == g["concat"]
    assert str(ta.dtype).replace("torch.", "") == g["dtype"]
    tb = tf.TensorArray(tf.int32, size=3).unstack(tf.constant([[1, 2], [3, 4], [5, 6]]))
    assert tb.read(2).tolist() == g["unstack_read"]
    assert (
        tf.TensorArray(tf.int32, size=3).unstack(tf.constant([[1, 2], [3, 4], [5, 6]])).stack().tolist()
        == g["unstack_stack"]
    )
    tc = tf.TensorArray(tf.float32, size=2, infer_shape=False)
    tc = tc.write(0, tf.ones([2])).write(1, tf.zeros([3]))
    assert tc.concat().tolist() == g["ragged_concat"]
    with pytest.raises(getattr(tf.errors, g["fixed_oob_write"]), match="index 5 but array size is: 2"):
        tf.TensorArray(tf.float32, size=2).write(5, 1.0)


def test_tensor_array_element_shape_is_checked():
    ta = tf.TensorArray(tf.float32, size=2, element_shape=(2,))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"element shape \(3,\) differs.*\(2,\)"):
        ta.write(0, tf.ones([3]))


def test_py_function_and_numpy_function_match_tf():
    g = GOLD["py_function"]
    out = tf.py_function(lambda a, b: a * b + 1, [tf.constant(2.0), tf.constant(3.0)], Tout=tf.float32)
    assert out.dtype == tf.float32 and out.item() == g["py"]
    arr = tf.numpy_function(
        lambda a: (a * 2).astype(np.float32),
        [np.arange(3, dtype=np.float32)],
        tf.float32,
    )
    assert arr.tolist() == g["np"]
    multi = tf.py_function(lambda a: (a + 1, a - 1), [tf.constant([1, 2])], Tout=[tf.int32, tf.int32])
    assert [m.tolist() for m in multi] == g["multi"]
    with pytest.raises(ValueError, match="returned 1 values but Tout names 2"):
        tf.py_function(lambda a: a, [tf.constant(1)], Tout=[tf.int32, tf.int32])
