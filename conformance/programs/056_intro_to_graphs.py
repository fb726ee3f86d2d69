"""Introduction to graphs and tf.function: polymorphism, eager vs graph results, run_functions_eagerly.

Source: tensorflow/docs site/en/guide/intro_to_graphs.ipynb
Covers: tf.function(a_regular_function) equal to the eager result, a decorated outer function
calling an inner one, a relu-like function with Python if on tensors (AutoGraph), concrete
functions per input type, tf.config.run_functions_eagerly(True/False) with print side effects,
and the "print vs tf.print" count, and a tf.function computing MSE.
"""
import numpy as np
from _target import report, tf


def a_regular_function(x, y, b):
    x = tf.matmul(x, y)
    x = x + b
    return x


a_function_that_uses_a_graph = tf.function(a_regular_function)
x1 = tf.constant([[1.0, 2.0]])
y1 = tf.constant([[2.0], [3.0]])
b1 = tf.constant(4.0)
orig_value = a_regular_function(x1, y1, b1).numpy()
tf_function_value = a_function_that_uses_a_graph(x1, y1, b1).numpy()
report("orig", orig_value)
report("equal", bool(orig_value == tf_function_value))


def inner_function(x, y, b):
    return tf.matmul(x, y) + b


@tf.function
def outer_function(x):
    y = tf.constant([[2.0], [3.0]])
    b = tf.constant(4.0)
    return inner_function(x, y, b)


report("outer", outer_function(tf.constant([[1.0, 2.0]])).numpy())


def simple_relu(x):
    if tf.greater(x, 0):
        return x
    else:
        return 0


tf_simple_relu = tf.function(simple_relu)
report("relu_positive", tf_simple_relu(tf.constant(1)).numpy())
report("relu_list", [tf_simple_relu(tf.constant(v)).numpy() for v in (-1, 3)])


@tf.function
def my_relu(x):
    return tf.maximum(0.0, x)


report("my_relu_scalar", my_relu(tf.constant(5.5)).numpy())
report("my_relu_list", my_relu([1, -1]).numpy())
report("my_relu_tensor", my_relu(tf.constant([3.0, -3.0])).numpy())
report("tracing_count", my_relu.experimental_get_tracing_count())
report("concrete_structured_outputs", my_relu.get_concrete_function(tf.constant(5.5)).structured_outputs.dtype)

rng = np.random.default_rng(0)
y_true = tf.constant(rng.integers(0, 10, 10).astype("float32"))
y_pred = tf.constant(rng.integers(0, 10, 10).astype("float32"))
calls = []


@tf.function
def get_MSE(y_true, y_pred):
    calls.append("traced")
    sq_diff = tf.pow(y_true - y_pred, 2)
    return tf.reduce_mean(sq_diff)


error = get_MSE(y_true, y_pred)
error = get_MSE(y_true, y_pred)
error = get_MSE(y_true, y_pred)
report("mse", error.numpy())
report("python_calls_graph", len(calls))
calls.clear()
tf.config.run_functions_eagerly(True)
error = get_MSE(y_true, y_pred)
error = get_MSE(y_true, y_pred)
report("python_calls_eager", len(calls))
tf.config.run_functions_eagerly(False)
report("functions_run_eagerly", tf.config.functions_run_eagerly())
