"""Errors users catch: the exception types TF raises for common mistakes.

Source: tensorflow/docs site/en/guide/tensor.ipynb ("Broadcasting", "Reshaping", "Ragged"),
site/en/guide/variable.ipynb and site/en/guide/function.ipynb (error cases shown there)
Covers: tf.errors names (InvalidArgumentError, NotFoundError, OutOfRangeError exist and
subclass OpError), a non-rectangular constant (ValueError), matmul of incompatible shapes,
reshape to a wrong size, adding mismatched shapes, int + float constants, Variable assign of
the wrong shape, next() on an exhausted dataset iterator, and a Dense layer called on the wrong
feature count after build.
"""
import numpy as np
from _target import layers, report, report_error, tf

report("InvalidArgumentError_is_OpError", issubclass(tf.errors.InvalidArgumentError, tf.errors.OpError))
report("names", [hasattr(tf.errors, n) for n in ("InvalidArgumentError", "NotFoundError", "OutOfRangeError",
                                                 "ResourceExhaustedError", "UnimplementedError")])
report_error("ragged_constant", lambda: tf.constant([[1, 2], [3]]))
report_error("matmul_shapes", lambda: tf.matmul(tf.ones([2, 3]), tf.ones([2, 3])))
report_error("reshape_size", lambda: tf.reshape(tf.range(6), [4, 2]))
report_error("add_shapes", lambda: tf.ones([2, 3]) + tf.ones([4, 3]))
report_error("int_plus_float", lambda: tf.constant(1) + tf.constant(1.5))
report_error("variable_assign_shape", lambda: tf.Variable([1.0, 2.0]).assign([1.0, 2.0, 3.0]))
it = iter(tf.data.Dataset.range(1))
next(it)
report_error("exhausted_iterator", lambda: next(it))
layer = layers.Dense(2)
layer(tf.ones([1, 3]))
report_error("dense_wrong_features", lambda: layer(tf.ones([1, 4])))
report_error("cast_string_to_float", lambda: tf.strings.to_number(tf.constant("abc")))
report_error("gather_out_of_range", lambda: tf.gather(tf.constant([1, 2, 3]), [5]))
report("convert_np_float64_dtype", tf.convert_to_tensor(np.array([1.0])).dtype)
report("constant_python_float_dtype", tf.constant(1.0).dtype)
report("constant_python_int_dtype", tf.constant(1).dtype)
report("constant_dtype_arg", tf.constant([1, 2], dtype=tf.float32))
