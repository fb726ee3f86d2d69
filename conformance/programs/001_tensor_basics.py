"""Tensors: ranks, dtypes, numpy conversion, basic math and shapes.

Source: tensorflow/docs site/en/guide/tensor.ipynb ("Basics", "About shapes")
Covers: tf.constant of rank 0-3, dtype names, np.array(t) / t.numpy(), tf.add/multiply/matmul and
the operators, reduce_max, argmax, nn.softmax, convert_to_tensor, shape/ndim/size, rank-4 shapes.
"""
import numpy as np
from _target import report, tf

rank_0_tensor = tf.constant(4)
report("rank0", rank_0_tensor)
report("rank0.dtype", rank_0_tensor.dtype)
rank_1_tensor = tf.constant([2.0, 3.0, 4.0])
report("rank1", rank_1_tensor)
report("rank1.dtype", rank_1_tensor.dtype)
rank_2_tensor = tf.constant([[1, 2], [3, 4], [5, 6]], dtype=tf.float16)
report("rank2", rank_2_tensor)
report("rank2.dtype", rank_2_tensor.dtype)
rank_3_tensor = tf.constant([[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]],
                             [[10, 11, 12, 13, 14], [15, 16, 17, 18, 19]],
                             [[20, 21, 22, 23, 24], [25, 26, 27, 28, 29]]])
report("rank3.shape", rank_3_tensor.shape)
arr = np.array(rank_2_tensor)
report("np.array.type", type(arr).__name__)
report("np.array.dtype", str(arr.dtype))
report("numpy()", rank_2_tensor.numpy())

a = tf.constant([[1, 2], [3, 4]])
b = tf.constant([[1, 1], [1, 1]])
report("tf.add", tf.add(a, b))
report("tf.multiply", tf.multiply(a, b))
report("tf.matmul", tf.matmul(a, b))
report("a+b", a + b)
report("a*b", a * b)
report("a@b", a @ b)

c = tf.constant([[4.0, 5.0], [10.0, 1.0]])
report("reduce_max", tf.reduce_max(c))
report("argmax", tf.math.argmax(c))
report("argmax.dtype", tf.math.argmax(c).dtype)
report("softmax", tf.nn.softmax(c))
report("convert_to_tensor", tf.convert_to_tensor([1, 2, 3]))
report("reduce_max(list)", tf.reduce_max([1, 2, 3]))
report("reduce_max(ndarray)", tf.reduce_max(np.array([1, 2, 3])))

rank_4_tensor = tf.zeros([3, 2, 4, 5])
report("rank4.dtype", rank_4_tensor.dtype)
report("rank4.ndim", rank_4_tensor.ndim)
report("rank4.shape", rank_4_tensor.shape)
report("rank4.shape[0]", rank_4_tensor.shape[0])
report("rank4.shape[-1]", rank_4_tensor.shape[-1])
report("tf.size", tf.size(rank_4_tensor).numpy())
report("tf.rank", tf.rank(rank_4_tensor))
report("tf.shape", tf.shape(rank_4_tensor))
report("shape.as_list", rank_4_tensor.shape.as_list())
