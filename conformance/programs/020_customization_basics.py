"""Customization basics: tensors, NumPy compatibility, devices and datasets.

Source: tensorflow/docs site/en/tutorials/customization/basics.ipynb
Covers: tf.math.add/square/reduce_sum, operator overloading, tensor.shape/dtype, NumPy
compatibility both ways, tf.config.list_physical_devices("CPU"), tensor.device is a string,
Dataset.from_tensor_slices + TextLineDataset with map(tf.square).shuffle(2).batch(2).
"""
import os
import tempfile

import numpy as np
from _target import report, tf

report("add", tf.math.add(1, 2))
report("add_lists", tf.math.add([1, 2], [3, 4]))
report("square", tf.math.square(5))
report("reduce_sum", tf.math.reduce_sum([1, 2, 3]))
report("operator_overloading", tf.math.square(2) + tf.math.square(3))
x = tf.linalg.matmul([[1]], [[2, 3]])
report("matmul", x)
report("shape", x.shape)
report("dtype", x.dtype)

ndarray = np.ones([3, 3])
tensor = tf.math.multiply(ndarray, 42)
report("np_to_tensor", tensor)
report("tensor_to_np", np.add(tensor, 1))
report("numpy", tensor.numpy())

report("has_cpu", len(tf.config.list_physical_devices("CPU")) >= 1)
x = tf.ones([3, 3])
report("device_is_str", isinstance(x.device, str))

ds_tensors = tf.data.Dataset.from_tensor_slices([1, 2, 3, 4, 5, 6])
filename = os.path.join(tempfile.mkdtemp(), "lines.txt")
with open(filename, "w") as f:
    f.write("Line 1\nLine 2\nLine 3\n")
ds_file = tf.data.TextLineDataset(filename)
ds_tensors = ds_tensors.map(tf.math.square).shuffle(2, seed=0).batch(2)
ds_file = ds_file.batch(2)
report("tensor_batches", sorted(int(v) for b in ds_tensors for v in b.numpy()))
report("file_batches", [b.numpy() for b in ds_file])
