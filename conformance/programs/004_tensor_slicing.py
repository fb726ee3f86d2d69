"""Tensor slicing: slice, strided_slice, gather, gather_nd, scatter_nd, tensor_scatter_nd_*.

Source: tensorflow/docs site/en/guide/tensor_slicing.ipynb
Covers: tf.slice, python slices, tf.strided_slice, tf.gather (axis), tf.gather_nd, tf.scatter_nd,
tf.tensor_scatter_nd_add / update, tf.boolean_mask.
"""
from _target import report, tf

t1 = tf.constant([0, 1, 2, 3, 4, 5, 6, 7])
report("slice", tf.slice(t1, begin=[1], size=[3]))
report("python_slice", t1[1:4])
report("last3", t1[-3:])
t2 = tf.constant([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15, 16, 17, 18, 19]])
report("t2[:-1,1:3]", t2[:-1, 1:3])
t3 = tf.constant([[[1, 3, 5, 7], [9, 11, 13, 15]], [[17, 19, 21, 23], [25, 27, 29, 31]]])
report("slice3d", tf.slice(t3, begin=[1, 1, 0], size=[1, 1, 2]))
report("strided_slice", tf.strided_slice(t1, begin=[1], end=[7], strides=[2]))
report("gather", tf.gather(t1, indices=[0, 3, 6]))
alphabet = tf.constant(list("abcdefghijklmnopqrstuvwxyz"))
report("gather_strings", tf.gather(alphabet, indices=[2, 0, 19, 18]))
t4 = tf.constant([[0, 5], [1, 6], [2, 7], [3, 8], [4, 9]])
report("gather_nd", tf.gather_nd(t4, indices=[[2], [3], [0]]))
t5 = tf.constant([[[0, 5], [1, 6], [2, 7], [3, 8], [4, 9]]])
t6 = tf.reshape(tf.range(18), [2, 3, 3])
report("gather_axis1", tf.gather(t6, indices=[0, 2], axis=1))
report("gather_nd_pairs", tf.gather_nd(t6, indices=[[0, 0], [1, 2]]))
t7 = tf.constant([[-2, -7, 0], [-9, 0, 1], [0, -3, -8]])
report("gather_nd_points", tf.gather_nd(t7, indices=[[0, 0], [1, 1], [2, 2]]))

t8 = tf.constant([10])
indices = tf.constant([[1], [3], [5], [7], [9]])
data = tf.constant([2, 4, 6, 8, 10])
report("scatter_nd", tf.scatter_nd(indices=indices, updates=data, shape=t8))
new_indices = tf.constant([[0, 2], [2, 1], [3, 3]])
t9 = tf.gather_nd(t2, indices=new_indices)
report("gather_nd_t2", t9)
t10 = tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
report("tensor_scatter_nd_add", tf.tensor_scatter_nd_add(t10, indices=[[0, 2], [1, 1], [2, 0]],
                                                          updates=[100, 200, 300]))
t11 = tf.constant([[2, 7, 0], [9, 0, 1], [0, 3, 8]])
report("tensor_scatter_nd_update", tf.tensor_scatter_nd_update(t11, indices=[[0, 2], [1, 1], [2, 0]],
                                                                updates=[6, 5, 4]))
report("boolean_mask", tf.boolean_mask(t1, t1 > 3))
