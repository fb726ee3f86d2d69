"""Sparse tensors: construction, conversion and the tf.sparse ops.

Source: tensorflow/docs site/en/guide/sparse_tensor.ipynb
Covers: tf.sparse.SparseTensor(indices, values, dense_shape), its components, tf.sparse.to_dense,
tf.sparse.from_dense, tf.sparse.add, tf.sparse.sparse_dense_matmul, tf.sparse.reorder,
tf.sparse.reduce_sum, tf.sparse.slice.
"""
from _target import report, tf

st1 = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[10, 20], dense_shape=[3, 10])
report("indices", st1.indices)
report("values", st1.values)
report("dense_shape", st1.dense_shape)
report("to_dense", tf.sparse.to_dense(st1))
st2 = tf.sparse.from_dense([[1, 0, 0, 8], [0, 0, 0, 0], [0, 0, 3, 0]])
report("from_dense.indices", st2.indices)
report("from_dense.values", st2.values)
st_a = tf.sparse.SparseTensor(indices=[[0, 2], [3, 4]], values=[31, 2], dense_shape=[8, 10])
st_b = tf.sparse.SparseTensor(indices=[[0, 2], [7, 0]], values=[56, 38], dense_shape=[8, 10])
st_sum = tf.sparse.add(st_a, st_b)
report("add.dense", tf.sparse.to_dense(st_sum))
st_c = tf.sparse.SparseTensor(indices=([0, 1], [1, 0], [1, 1]), values=[13, 15, 17], dense_shape=(2, 2))
mb = tf.constant([[4], [6]])
report("sparse_dense_matmul", tf.sparse.sparse_dense_matmul(st_c, mb))
unordered = tf.sparse.SparseTensor(indices=[[2, 1], [0, 0]], values=[5.0, 7.0], dense_shape=[3, 3])
ordered = tf.sparse.reorder(unordered)
report("reorder.indices", ordered.indices)
report("reduce_sum_axis1", tf.sparse.reduce_sum(st1, axis=1))
sliced = tf.sparse.slice(st1, start=[0, 0], size=[3, 4])
report("slice.values", sliced.values)
report("slice.dense_shape", sliced.dense_shape)
