"""Tensors and NumPy together: operators both ways, numpy functions on tensors, .numpy() copies.

Source: tensorflow/docs site/en/tutorials/customization/basics.ipynb ("NumPy compatibility")
and site/en/guide/tensor.ipynb
Covers: np.multiply(ndarray) -> tensor, tf.math on ndarrays, np.add on a tensor -> ndarray,
tensor.numpy(), tensor (op) ndarray and ndarray (op) tensor, numpy reductions on tensors.
"""
import numpy as np
from _target import report, tf

ndarray = np.ones([3, 3])
tensor = tf.math.multiply(ndarray, 42)
report("multiply.dtype", tensor.dtype)
report("multiply", tensor)
out = np.add(tensor, 1)
report("np.add.type", type(out).__name__)
report("np.add", out)
report("tensor.numpy", tensor.numpy())

t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
a = np.array([[10.0, 20.0], [30.0, 40.0]], dtype=np.float32)
r = t * a
report("t*a.is_ndarray", isinstance(r, np.ndarray))
report("t*a", r)
r = a - t
report("a-t.is_ndarray", isinstance(r, np.ndarray))
report("a-t", r)
report("t+np.float32", t + np.float32(1.5))
report("np.mean(axis=0)", np.mean(t, axis=0))
report("np.max", np.max(t))
report("np.sum", np.sum(t))
report("np.argmax", np.argmax(t))
report("np.argmax.type", type(np.argmax(t)).__name__)
report("np.abs.type", type(np.abs(-t)).__name__)
report("np.std", np.std(t))

v = tf.Variable([1.0, 2.0])
snapshot = v.numpy()
v.assign([5.0, 6.0])
report("numpy_is_a_copy", snapshot)
report("scalar.numpy.type", type(tf.constant(3.0).numpy()).__name__)
report("variable*list", v * [3.0, 4.0])
report("list@matrix", tf.matmul([[1.0, 2.0]], t))
