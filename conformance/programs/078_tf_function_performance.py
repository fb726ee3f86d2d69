"""Better performance with tf.function: polymorphism, input_signature, reduce_retracing, variables, tf.print.

Source: tensorflow/docs site/en/guide/function.ipynb ("Rules of tracing", "Controlling retracing",
"Creating tf.Variables", "Executing Python side effects")
Covers: one Function traced once per input signature (Python side effects count the traces), a
concrete function per dtype, input_signature with a None dimension and the TypeError/ValueError a
mismatched call raises, reduce_retracing=True, Python scalars as trace keys, experimental_get_tracing_count,
get_concrete_function and structured_outputs, a Variable created only on the first call of a
Module's tf.function, tf.print vs print under tracing.
"""
import numpy as np
from _target import report, report_error, tf

traces = []


@tf.function
def double(a):
    traces.append(a.dtype.name if hasattr(a, "dtype") else type(a).__name__)
    return a + a


report("double_int", double(tf.constant(1)))
report("double_float", double(tf.constant(1.1)), tol=1e-6)
report("double_string", double(tf.constant("a")))
report("traces_after_three", len(traces))
double(tf.constant(2))
report("traces_after_repeat", len(traces))
report("tracing_count", double.experimental_get_tracing_count())

concrete = double.get_concrete_function(tf.constant("a"))
report("concrete_call", concrete(tf.constant("b")))
report("structured_outputs.dtype", concrete.structured_outputs.dtype)
report("concrete_wrong_dtype_error", report_error("concrete_wrong_dtype", lambda: concrete(tf.constant(1))) is not None)


@tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
def next_collatz(x):
    traces.append("collatz")
    return tf.where(x % 2 == 0, x // 2, 3 * x + 1)


report("collatz_1", next_collatz(tf.constant([1, 2])))
report("collatz_2", next_collatz(tf.constant([3, 4, 5])))
report("collatz_traces", traces.count("collatz"))
report_error("collatz_wrong_shape", lambda: next_collatz(tf.constant([[1, 2], [3, 4]])))
report_error("collatz_wrong_dtype", lambda: next_collatz(tf.constant([1.0, 2.0])))


@tf.function(reduce_retracing=True)
def g(x):
    traces.append("g")
    return x


report("g_1", g(tf.constant([1, 2, 3])))
report("g_2", g(tf.constant([1, 2, 3, 4, 5])))
report("g_3", g(tf.constant([1, 2, 3, 4, 5, 6, 7])))
report("g_traces_at_most_two", traces.count("g") <= 2)


@tf.function
def train(num_steps):
    traces.append("train")
    total = tf.constant(0)
    for _ in tf.range(num_steps):
        total += 1
    return total


report("train_py_10", train(num_steps=10))
report("train_py_20", train(num_steps=20))
report("train_py_traces", traces.count("train"))
report("train_t_10", train(num_steps=tf.constant(10)))
report("train_t_20", train(num_steps=tf.constant(20)))
report("train_all_traces", traces.count("train"))


class Count(tf.Module):
    def __init__(self):
        self.count = None

    @tf.function
    def __call__(self):
        if self.count is None:
            self.count = tf.Variable(0)
        return self.count.assign_add(1)


c = Count()
report("count_1", c())
report("count_2", c())
report("count_var_type", isinstance(c.count, tf.Variable))


@tf.function
def f_print(x):
    print("Traced with", x.dtype.name)
    tf.print("Executed with", x)
    return x


report("f_print_1", f_print(tf.constant(1)))
report("f_print_2", f_print(tf.constant(2)))

v = tf.Variable(1.0)


@tf.function
def add_v(x):
    return v + x


report("add_v_1", add_v(1.0), tol=1e-6)
v.assign(5.0)
report("add_v_after_assign", add_v(1.0), tol=1e-6)
report("variable_in_fn_dtype", add_v(tf.constant(2.0)).dtype)
report("np_arg", double(np.array([1.5, 2.5], dtype=np.float32)), tol=1e-6)
