"""Tensor basics: broadcasting, conversion, reshape/transpose, casting and dtypes.

Source: tensorflow/docs site/en/guide/tensor.ipynb ("Broadcasting", "tf.convert_to_tensor",
"Manipulating shapes", "DTypes")
Covers: scalar and vector broadcasting in multiply, broadcast of a column against a row,
tf.broadcast_to, tf.convert_to_tensor of lists and numpy arrays, tf.reshape with -1,
tf.transpose, tf.cast of floats to ints and to uint8, the dtypes of constants.
"""
import numpy as np
from _target import report, tf

x = tf.constant([1, 2, 3])
y = tf.constant(2)
z = tf.constant([2, 2, 2])
report("mul_scalar", tf.multiply(x, 2).numpy())
report("mul_y", (x * y).numpy())
report("mul_z", (x * z).numpy())

x = tf.reshape(x, [3, 1])
y = tf.range(1, 5)
report("col", x.numpy())
report("row", y.numpy())
report("outer", tf.multiply(x, y).numpy())
x_stretch = tf.constant([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]])
y_stretch = tf.constant([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]])
report("stretch", (x_stretch * y_stretch).numpy())
report("broadcast_to", tf.broadcast_to(tf.constant([1, 2, 3]), [3, 3]).numpy())

t = tf.convert_to_tensor([1.5, 2.5])
report("convert_list.dtype", t.dtype)
t = tf.convert_to_tensor(np.array([[1, 2], [3, 4]], dtype=np.int64))
report("convert_np.dtype", t.dtype)
report("convert_np", t.numpy())
report("convert_tuple", tf.convert_to_tensor((1, 2, 3)).numpy())

rank_3_tensor = tf.constant([[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]],
                             [[10, 11, 12, 13, 14], [15, 16, 17, 18, 19]],
                             [[20, 21, 22, 23, 24], [25, 26, 27, 28, 29]]])
report("reshape_flat", tf.reshape(rank_3_tensor, [-1]).numpy())
report("reshape_merge", tf.reshape(rank_3_tensor, [3 * 2, 5]).numpy())
report("reshape_merge2", tf.reshape(rank_3_tensor, [3, -1]).shape)
report("transpose", tf.transpose(rank_3_tensor, [2, 0, 1]).shape)
report("transpose_default", tf.transpose(tf.reshape(tf.range(6), [2, 3])).numpy())
report("transpose_perm_vals", tf.transpose(rank_3_tensor, perm=[1, 0, 2]).numpy())

the_f64_tensor = tf.constant([2.2, 3.3, 4.4], dtype=tf.float64)
the_f16_tensor = tf.cast(the_f64_tensor, dtype=tf.float16)
the_u8_tensor = tf.cast(the_f16_tensor, dtype=tf.uint8)
report("f16.dtype", the_f16_tensor.dtype)
report("u8", the_u8_tensor.numpy())
report("u8.dtype", the_u8_tensor.dtype)
report("cast_neg_int", tf.cast(tf.constant([-1.7, 1.7, 2.5]), tf.int32).numpy())
report("cast_bool", tf.cast(tf.constant([0, 3, -1]), tf.bool).numpy())
report("cast_bool_float", tf.cast(tf.constant([True, False]), tf.float32).numpy())
report("dtype.int", tf.constant(1).dtype)
report("dtype.float", tf.constant(1.0).dtype)
report("dtype.str", tf.constant("a").dtype)
report("dtype.bool", tf.constant(True).dtype)
report("dtype.complex", tf.constant(1 + 2j).dtype)
report("dtype.np_f64", tf.constant(np.array([1.0])).dtype)
report("dtype.is_floating", [tf.float16.is_floating, tf.int32.is_floating])
report("dtype.is_integer", [tf.uint8.is_integer, tf.float32.is_integer])
report("dtype.as_numpy", str(np.dtype(tf.float32.as_numpy_dtype)))
report("dtype.name", tf.as_dtype("int64").name)
