"""tf.function: tracing, retracing rules, side effects, input_signature and concrete functions.

Source: tensorflow/docs site/en/guide/function.ipynb
Covers: a traced function giving the eager result, Python side effects only while tracing,
retracing per dtype/shape and Python value, experimental_get_tracing_count, input_signature
enforcement, get_concrete_function, reduce_retracing, and tf.Variable updates inside a function.
"""
from _target import report, report_error, tf

trace_log = []


@tf.function
def double(a):
    trace_log.append("traced with %s" % type(a).__name__)
    return a + a


report("int", double(tf.constant(1)).numpy())
report("float", double(tf.constant(1.1)).numpy())
report("string", double(tf.constant("a")).numpy())
report("traces_after_3", len(trace_log))
double(tf.constant(2))
report("traces_same_signature", len(trace_log))
report("tracing_count", double.experimental_get_tracing_count())


@tf.function
def f(x):
    trace_log.append("f")
    return x


trace_log.clear()
f(1)
f(1)
f(2)
report("python_value_retraces", len(trace_log))


@tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
def next_collatz(x):
    trace_log.append("collatz")
    return tf.where(x % 2 == 0, x // 2, 3 * x + 1)


trace_log.clear()
report("collatz1", next_collatz(tf.constant([1, 2])).numpy())
report("collatz2", next_collatz(tf.constant([3, 4, 5])).numpy())
report("collatz_traces", len(trace_log))
report_error("collatz_wrong_rank", lambda: next_collatz(tf.constant([[1, 2], [3, 4]])))
report_error("collatz_wrong_dtype", lambda: next_collatz(tf.constant([1.0, 2.0])))

concrete = double.get_concrete_function(tf.constant(1))
report("concrete_call", concrete(tf.constant(5)).numpy())
report_error("concrete_wrong_dtype", lambda: concrete(tf.constant(5.0)))


@tf.function(reduce_retracing=True)
def g(x):
    trace_log.append("g")
    return x * 2


trace_log.clear()
g(tf.constant([1]))
g(tf.constant([1, 2]))
g(tf.constant([1, 2, 3]))
report("reduce_retracing_traces_le_2", len(trace_log) <= 2)

v = tf.Variable(1.0)


@tf.function
def add_to_v(x):
    v.assign_add(x)
    return v.read_value()


report("assign_add_1", add_to_v(tf.constant(1.0)).numpy())
report("assign_add_2", add_to_v(tf.constant(2.0)).numpy())

external_list = []


@tf.function
def side_effect(x):
    external_list.append(1)
    return x + 1


side_effect(tf.constant(1))
side_effect(tf.constant(2))
side_effect(tf.constant(3))
report("side_effect_runs_once", len(external_list))
