"""`tf.function` behaviour cases, run by `record.py` on TensorFlow and by the tests on capas.

Each case is a function `case(tf, log)`: `tf` is the module under test
(`tensorflow` or `capas`), `log` an `EventLog` that records, in order, the
Python side effects (`log.py(...)`), what `tf.print` wrote (`log.tfprint`),
call results and raised exceptions (`log.call`) and other values
(`log.value`). The event lists of TF and capas must agree.
"""

import os
import tempfile

import numpy as np


class EventLog:
    def __init__(self, tf):
        self.tf = tf
        self.events = []
        handle, self.path = tempfile.mkstemp(suffix=".txt")
        os.close(handle)
        self.stream = "file://" + self.path
        self._read = 0

    def close(self):
        os.remove(self.path)

    def py(self, *parts):
        """A Python side effect (what a `print` in the function body would show)."""
        self.events.append(["py", " ".join(_show(p) for p in parts)])

    def tfprint(self, *inputs):
        self.tf.print(*inputs, output_stream=self.stream)

    def _flush_tfprint(self):
        with open(self.path) as f:
            text = f.read()
        for line in text[self._read :].splitlines():
            self.events.append(["tf.print", line])
        self._read = len(text)

    def call(self, label, fn, *args, **kwargs):
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the exception is the observation
            self._flush_tfprint()
            self.events.append(["raised", label, type(exc).__name__, str(exc)])
            return None
        self._flush_tfprint()
        self.events.append(["result", label, _value(result)])
        return result

    def value(self, label, value):
        self.events.append(["value", label, _value(value)])


def _show(part):
    """Python-side text of a traced argument: its kind only (TF shows a symbolic tensor)."""
    if hasattr(part, "dtype") and hasattr(part, "shape"):
        return "<tensor>"
    return str(part)


def _value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if hasattr(value, "numpy"):
        array = np.asarray(value.numpy())
        if array.dtype.kind in "OS":  # tf.string: bytes, shown as text
            text = np.vectorize(lambda b: b.decode(), otypes=[object])(array) if array.size else array
            return {"dtype": "string", "value": np.asarray(text, dtype=object).tolist()}
        if array.dtype.kind == "f":
            array = np.round(array.astype(np.float64), 5)
        return {"dtype": str(np.asarray(value.numpy()).dtype), "value": array.tolist()}
    return repr(value)


def _module(tf):
    # tf.Module comes with issue 12 point 6; a plain class behaves the same in these cases.
    return getattr(tf, "Module", object)


# -- the cases ------------------------------------------------------------------
def case_retrace_per_dtype(tf, log):
    @tf.function
    def double(a):
        log.py("Tracing with", a)
        return a + a

    log.call("int", double, tf.constant(1))
    log.call("float", double, tf.constant(1.1))
    log.call("int again", double, tf.constant(2))
    log.call("float again", double, tf.constant(2.5))
    log.value("count", double.experimental_get_tracing_count())


def case_list_append_once(tf, log):
    external_list = []

    @tf.function
    def side_effect(x):
        log.py("Python side effect")
        external_list.append(x)

    for _ in range(3):
        log.call("call", side_effect, 1)
    log.value("len", len(external_list))


def case_python_print_vs_tf_print(tf, log):
    @tf.function
    def f(x):
        log.py("Traced with", x)
        log.tfprint("Executed with", x)

    log.call("1", f, 1)
    log.call("1 again", f, 1)
    log.call("2", f, 2)
    log.value("count", f.experimental_get_tracing_count())


def case_tf_print_each_call_with_tensor(tf, log):
    @tf.function
    def f(x):
        log.py("tracing")
        log.tfprint("x =", x, "sum", tf.reduce_sum(x))
        return x * 2

    log.call("a", f, tf.constant([1.0, 2.0]))
    log.call("b", f, tf.constant([3.0, 4.0]))
    log.call("c", f, tf.constant([5.0, 6.0]))


def case_python_arguments_retrace_tensors_do_not(tf, log):
    @tf.function
    def train(num_steps):
        log.py("Tracing with num_steps =", num_steps)
        log.tfprint("Executing with num_steps =", num_steps)

    log.call("10", train, num_steps=10)
    log.call("20", train, num_steps=20)
    log.call("t10", train, num_steps=tf.constant(10))
    log.call("t20", train, num_steps=tf.constant(20))
    log.value("count", train.experimental_get_tracing_count())


def case_new_function_traces_again(tf, log):
    def f():
        log.py("Tracing!")
        log.tfprint("Executing")

    log.call("first", tf.function(f))
    log.call("second", tf.function(f))


def case_variable_assign_in_module_call(tf, log):
    class Model(_module(tf)):
        def __init__(self):
            self.v = tf.Variable(0)
            self.counter = 0

        @tf.function
        def __call__(self):
            if self.counter == 0:
                self.counter += 1
                self.v.assign_add(1)
            return self.v

    m = Model()
    for i in range(3):
        log.call(f"call {i}", m)


def case_variable_created_on_first_call_only(tf, log):
    class Count(_module(tf)):
        def __init__(self):
            self.count = None

        @tf.function
        def __call__(self):
            log.py("tracing Count")
            if self.count is None:
                self.count = tf.Variable(0)
            return self.count.assign_add(1)

    c = Count()
    log.call("first", c)
    log.call("second", c)
    log.call("third", c)


def case_variable_created_each_call_raises(tf, log):
    @tf.function
    def f(x):
        v = tf.Variable(1.0)
        log.py("after creating")
        return v

    log.call("first", f, 1.0)


def case_input_signature(tf, log):
    @tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
    def next_collatz(x):
        log.py("Tracing with", x)
        return tf.where(x % 2 == 0, x // 2, 3 * x + 1)

    log.call("ok", next_collatz, tf.constant([1, 2]))
    log.call("longer", next_collatz, tf.constant([1, 2, 3, 4, 5]))
    log.call("list", next_collatz, [5, 6])
    log.call("2-D", next_collatz, tf.constant([[1, 2], [3, 4]]))
    log.call("float", next_collatz, tf.constant([1.0, 2.0]))
    log.call("scalar", next_collatz, 3)
    log.call("two args", next_collatz, tf.constant([1]), tf.constant([1]))
    log.value("count", next_collatz.experimental_get_tracing_count())


def case_reduce_retracing(tf, log):
    @tf.function(reduce_retracing=True)
    def g(x):
        log.py("Tracing with", x)
        return x * 2

    log.call("3", g, tf.constant([1, 2, 3]))
    log.call("5", g, tf.constant([1, 2, 3, 4, 5]))
    log.call("7", g, tf.constant([1, 2, 3, 4, 5, 6, 7]))
    log.call("9", g, tf.constant([1, 2, 3, 4, 5, 6, 7, 8, 9]))
    log.value("count", g.experimental_get_tracing_count())


def case_concrete_function(tf, log):
    @tf.function
    def pow(a, b):
        log.py("tracing pow")
        return a**b

    square = pow.get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)
    log.value("count after get_concrete_function", pow.experimental_get_tracing_count())
    log.value("structured_input_signature", str(square.structured_input_signature))
    log.call("square(10)", square, tf.constant(10.0))
    log.call("square(a=3)", square, a=tf.constant(3.0))
    log.call("square(10, b=3)", square, tf.constant(10.0), b=3)
    log.call("pow(4., 2)", pow, tf.constant(4.0), 2)
    log.value("count", pow.experimental_get_tracing_count())


def case_globals_are_captured_at_trace(tf, log):
    state = {"foo": 1}

    @tf.function
    def buggy_add():
        return 1 + state["foo"]

    @tf.function
    def recommended_add(foo):
        return 1 + foo

    log.call("buggy", buggy_add)
    log.call("correct", recommended_add, state["foo"])
    state["foo"] = 100
    log.call("buggy after update", buggy_add)
    log.call("correct after update", recommended_add, state["foo"])
    foo = tf.Variable(1)

    @tf.function
    def variable_add():
        return 1 + foo

    log.call("variable", variable_add)
    foo.assign(100)
    log.call("variable after assign", variable_add)


def case_object_attributes_baked_variables_live(tf, log):
    class SimpleModel(_module(tf)):
        def __init__(self):
            self.bias = 0.0
            self.weight = 2.0

    class BetterModel:
        def __init__(self):
            self.bias = tf.Variable(0.0)
            self.weight = tf.Variable(2.0)

    @tf.function
    def evaluate(model, x):
        return model.weight * x + model.bias

    x = tf.constant(10.0)
    simple = SimpleModel()
    log.call("simple", evaluate, simple, x)
    simple.bias += 5.0
    log.call("simple after +5", evaluate, simple, x)
    better = BetterModel()
    log.call("better", evaluate, better, x)
    better.bias.assign_add(5.0)
    log.call("better after assign_add", evaluate, better, x)


def case_python_iterator_consumed_once(tf, log):
    @tf.function
    def buggy_consume_next(iterator):
        log.tfprint("Value:", next(iterator))

    iterator = iter([1, 2, 3])
    for i in range(3):
        log.call(f"call {i}", buggy_consume_next, iterator)


def case_gradients_through_function(tf, log):
    @tf.function
    def add(a, b):
        return a + b

    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        result = add(v, 1.0)
    log.value("add", result)
    log.value("gradient", tape.gradient(result, v))
    w = tf.Variable([1.0, -2.0])

    @tf.function
    def loss_fn(x):
        return tf.reduce_sum(w * w * x)

    for i in range(2):
        with tf.GradientTape() as tape:
            loss = loss_fn(tf.constant([3.0, 4.0]))
        log.value(f"loss {i}", loss)
        log.value(f"grad {i}", tape.gradient(loss, w))


def case_train_step_with_tape_inside(tf, log):
    w = tf.Variable([[0.5], [-0.5]])
    b = tf.Variable([0.1])

    @tf.function
    def train_step(x, y):
        log.py("tracing train_step")
        with tf.GradientTape() as tape:
            pred = tf.matmul(x, w) + b
            loss = tf.reduce_mean(tf.square(pred - y))
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * dw)
        b.assign_sub(0.1 * db)
        return loss

    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = tf.constant([[1.0], [2.0], [3.0]])
    for i in range(3):
        log.call(f"step {i}", train_step, x, y)
    log.value("w", w)
    log.value("b", b)


def case_nested_functions(tf, log):
    @tf.function
    def add(a, b):
        return a + b

    @tf.function
    def dense_layer(x, w, b):
        log.py("tracing dense_layer")
        return add(tf.matmul(x, w), b)

    log.call("dense", dense_layer, tf.ones([3, 2]), tf.ones([2, 2]), tf.ones([2]))
    log.call("dense again", dense_layer, tf.ones([3, 2]), tf.ones([2, 2]), tf.ones([2]))


def case_keyword_and_positional_share_a_trace(tf, log):
    @tf.function
    def f(x, scale=2.0):
        log.py("tracing f scale", scale)
        return x * scale

    log.call("positional", f, tf.constant(1.0))
    log.call("keyword", f, x=tf.constant(2.0))
    log.call("default given", f, tf.constant(3.0), 2.0)
    log.call("other scale", f, tf.constant(3.0), scale=3.0)
    log.value("count", f.experimental_get_tracing_count())


def case_structures_of_tensors(tf, log):
    @tf.function
    def f(pair, named):
        log.py("tracing structures")
        return {"sum": pair[0] + pair[1], "scaled": named["x"] * named["k"]}

    log.call("a", f, [tf.constant(1.0), tf.constant(2.0)], {"x": tf.constant(3.0), "k": 2})
    log.call("b", f, [tf.constant(5.0), tf.constant(6.0)], {"x": tf.constant(1.0), "k": 2})
    log.call("c", f, [tf.constant(5.0), tf.constant(6.0)], {"x": tf.constant(1.0), "k": 3})
    log.value("count", f.experimental_get_tracing_count())


def case_one_trace_cache_per_instance(tf, log):
    class Scale(_module(tf)):
        def __init__(self, k):
            self.k = tf.Variable(k)

        @tf.function
        def __call__(self, x):
            log.py("tracing Scale")
            return self.k * x

    a, b = Scale(2.0), Scale(3.0)
    log.call("a", a, tf.constant(1.0))
    log.call("b", b, tf.constant(1.0))
    log.call("a again", a, tf.constant(2.0))
    log.value("a count", a.__call__.experimental_get_tracing_count())
    log.value("b count", b.__call__.experimental_get_tracing_count())


def case_run_functions_eagerly(tf, log):
    @tf.function
    def f(x):
        log.py("running Python")
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        log.value("functions_run_eagerly", tf.config.functions_run_eagerly())
        log.call("1", f, tf.constant(1))
        log.call("2", f, tf.constant(2))
    finally:
        tf.config.run_functions_eagerly(False)
    log.value("functions_run_eagerly after", tf.config.functions_run_eagerly())


def case_data_dependent_branch(tf, log):
    @tf.function
    def g(x):
        if tf.reduce_sum(x) > 0:
            return x * x
        return -x // 2

    log.call("positive", g, tf.constant([1.0, 2.0]))
    log.call("negative", g, tf.constant([-3.0, -4.0]))


def case_tf_print_formats(tf, log):
    @tf.function
    def f(x):
        log.tfprint("floats", x, "scaled", x * 0.1, "scalar", tf.reduce_mean(x))
        log.tfprint("matrix", tf.reshape(x, [2, 5]), "bools", x > 4.0)
        log.tfprint("ints", tf.range(10), "list", [1, "a"])

    log.call("call", f, tf.constant([1.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 1e-5]))


def case_numpy_arrays_are_traced_as_tensors(tf, log):
    @tf.function
    def f(x):
        log.py("tracing with", x)
        return x * 2

    log.call("ones", f, np.ones(3, np.float32))
    log.call("twos", f, np.ones(3, np.float32) * 2)
    log.call("four", f, np.ones(4, np.float32))
    log.value("count", f.experimental_get_tracing_count())


def case_data_dependent_branch_with_effects(tf, log):
    v = tf.Variable(0.0)

    @tf.function
    def g(x):
        # One tf.print per call: TF orders independent graph ops freely.
        v.assign_add(1.0)
        if tf.reduce_sum(x) > 0:
            log.tfprint("positive")
            return x + v
        log.tfprint("negative")
        return x - v

    log.call("positive", g, tf.constant(2.0))
    log.call("negative", g, tf.constant(-2.0))
    log.call("positive again", g, tf.constant(3.0))
    log.value("v", v)


def case_reduce_retracing_across_ranks_and_dtypes(tf, log):
    @tf.function(reduce_retracing=True)
    def h(x):
        log.py("tracing h")
        return tf.reduce_sum(x)

    log.call("[2]", h, tf.constant([1.0, 2.0]))
    log.call("[3]", h, tf.constant([1.0, 2.0, 3.0]))
    log.call("[2,2]", h, tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    log.call("[4]", h, tf.constant([1.0, 2.0, 3.0, 4.0]))
    log.call("[1,3]", h, tf.constant([[1.0, 2.0, 3.0]]))
    log.call("int [2]", h, tf.constant([1, 2]))
    log.value("count", h.experimental_get_tracing_count())


def case_nested_input_signature(tf, log):
    signature = [[tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.int32)]]

    @tf.function(input_signature=signature)
    def f(pair):
        log.py("tracing f")
        values, count = pair
        return tf.reduce_sum(values) * tf.cast(count, tf.float32)

    log.call("ok", f, [tf.constant([1.0, 2.0]), tf.constant(3)])
    log.call("python values", f, [[1.0, 2.0, 3.0], 2])
    log.call("wrong inner dtype", f, [tf.constant([1.0]), tf.constant(1.0)])
    log.value("count", f.experimental_get_tracing_count())


def case_concrete_function_from_tensors(tf, log):
    @tf.function
    def scale(x, k):
        log.py("tracing scale with k =", k)
        return x * k

    concrete = scale.get_concrete_function(tf.constant([1.0, 2.0]), 3.0)
    log.value("count after get_concrete_function", scale.experimental_get_tracing_count())
    log.call("concrete", concrete, tf.constant([2.0, 4.0]))
    log.call("function, same types", scale, tf.constant([5.0, 6.0]), 3.0)
    log.call("function, other k", scale, tf.constant([5.0, 6.0]), 4.0)
    log.value("count", scale.experimental_get_tracing_count())


def case_string_tensor_arguments(tf, log):
    # A string tensor is a tensor argument (dtype string, its shape counts), not a Python value.
    @tf.function
    def double(a):
        return a + a

    log.call("string", double, tf.constant("a"))
    log.call("other string, same trace", double, tf.constant("b"))
    log.call("string vector", double, tf.constant(["x", "y"]))
    log.value("count", double.experimental_get_tracing_count())
    concrete = double.get_concrete_function(tf.constant("a"))
    log.value("count after get_concrete_function", double.experimental_get_tracing_count())
    log.call("concrete", concrete, tf.constant("c"))
    log.value("structured_outputs dtype", concrete.structured_outputs.dtype.name)
    try:
        concrete(tf.constant(1))
        log.value("concrete with an int tensor raises", None)
    except Exception as exc:  # noqa: BLE001 - the exception type is the observation
        log.value("concrete with an int tensor raises", type(exc).__name__)
    spec = double.get_concrete_function(tf.TensorSpec([None], tf.string))
    log.value("count after spec", double.experimental_get_tracing_count())
    log.call("spec concrete", spec, tf.constant(["p", "q", "r"]))


def case_string_input_signature(tf, log):
    @tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.string),))
    def join(words):
        return words + words

    log.call("tensor", join, tf.constant(["a", "b"]))
    log.call("python list", join, ["c"])
    log.call("int tensor", join, tf.constant([1, 2]))
    log.value("count", join.experimental_get_tracing_count())


def case_constant_accumulated_in_a_loop(tf, log):
    # `total += 1` on a constant made in the function: every call starts again from 0.
    @tf.function
    def count(n):
        log.py("tracing count with n =", n)
        total = tf.constant(0)
        for _ in tf.range(n):
            total += 1
        return total

    log.call("3", count, 3)
    log.call("3 again", count, 3)
    log.call("3 a third time", count, 3)
    log.call("5", count, 5)
    log.value("count", count.experimental_get_tracing_count())


def case_init_scope_lifts_out_of_the_trace(tf, log):
    # The guide's Model with `tf.init_scope()`: the guarded increment happens once, while tracing.
    class Model(_module(tf)):
        def __init__(self):
            self.v = tf.Variable(0)
            self.counter = 0

        @tf.function
        def __call__(self):
            if self.counter == 0:
                with tf.init_scope():
                    self.counter += 1
                    self.v.assign_add(1)
            return self.v

    m = Model()
    for i in range(3):
        log.call(f"call {i}", m)
    log.value("v", m.v)


# -- `for ... in tf.range(tensor)`: AutoGraph's loops (capas/_function/_autograph.py) -------------
def case_tensor_range_loop_traces_once(tf, log):
    # The guide's `train(num_steps)`: Python numbers retrace, tensors share one trace.
    @tf.function
    def train(num_steps):
        log.py("Tracing with num_steps =", num_steps)
        total = tf.constant(0)
        for _ in tf.range(num_steps):
            total += 1
        return total

    log.call("10", train, num_steps=10)
    log.call("20", train, num_steps=20)
    log.call("t10", train, num_steps=tf.constant(10))
    log.call("t20", train, num_steps=tf.constant(20))
    log.call("t0", train, num_steps=tf.constant(0))
    log.call("t3", train, tf.constant(3))
    log.value("count", train.experimental_get_tracing_count())


def case_tensor_range_start_limit_delta(tf, log):
    @tf.function
    def total(start, limit, delta):
        log.py("tracing total")
        s = tf.constant(0)
        for i in tf.range(start, limit, delta):
            s += i
        return s

    log.call("1..10 by 3", total, tf.constant(1), tf.constant(10), tf.constant(3))
    log.call("10..1 by -2", total, tf.constant(10), tf.constant(1), tf.constant(-2))
    log.call("5..5", total, tf.constant(5), tf.constant(5), tf.constant(1))
    log.value("count", total.experimental_get_tracing_count())

    @tf.function
    def floats(start, limit, step):
        log.py("tracing floats")
        s = tf.constant(0.0)
        for x in tf.range(start, limit, delta=step):
            s = s + x * x
        return s, x

    log.call("5.0..1.0 by -1.5", floats, tf.constant(5.0), tf.constant(1.0), tf.constant(-1.5))
    log.call("0.0..1.0 by 0.25", floats, tf.constant(0.0), tf.constant(1.0), tf.constant(0.25))
    log.value("floats count", floats.experimental_get_tracing_count())

    @tf.function
    def from_two(n):
        log.py("tracing from_two")
        s = 0  # a Python number the loop assigns enters the loop as a tensor
        for i in tf.range(2, n):
            s += i
        return s

    log.call("2..6", from_two, tf.constant(6))
    log.call("2..9", from_two, tf.constant(9))
    log.value("from_two count", from_two.experimental_get_tracing_count())


def case_tensor_range_loop_updates_variable(tf, log):
    v = tf.Variable(0)

    @tf.function
    def bump(n):
        log.py("tracing bump")
        for i in tf.range(n):
            v.assign_add(i + 1)
        return v + 0

    log.call("3", bump, tf.constant(3))
    log.value("v after 3", v)
    log.call("4", bump, tf.constant(4))
    log.value("v after 4", v)
    log.call("0", bump, tf.constant(0))
    log.value("count", bump.experimental_get_tracing_count())


def case_tensor_range_loop_reads_outer_tensors(tf, log):
    w = tf.Variable([1.0, -1.0])

    @tf.function
    def f(x, n):
        log.py("tracing f")
        scale = tf.reduce_sum(x)
        acc = tf.zeros([2])
        for i in tf.range(n):
            step = x * scale + w * tf.cast(i, tf.float32)
            acc = acc + step
        return acc, step

    log.call("x=[1,2] n=3", f, tf.constant([1.0, 2.0]), tf.constant(3))
    log.call("x=[0.5,-1] n=2", f, tf.constant([0.5, -1.0]), tf.constant(2))
    w.assign([2.0, 3.0])
    log.call("after w.assign", f, tf.constant([1.0, 2.0]), tf.constant(3))
    log.value("count", f.experimental_get_tracing_count())


def case_nested_tensor_range_loops(tf, log):
    @tf.function
    def tri(n):
        log.py("tracing tri")
        total = tf.constant(0)
        for i in tf.range(n):
            for j in tf.range(i + 1):
                total += i * 10 + j
        return total

    log.call("3", tri, tf.constant(3))
    log.call("5", tri, tf.constant(5))
    log.value("tri count", tri.experimental_get_tracing_count())

    @tf.function
    def inner_python_bound(n):
        log.py("tracing inner_python_bound")
        total = tf.constant(0.0)
        for i in tf.range(n):
            for j in tf.range(3):
                total = total + tf.cast(i * j, tf.float32)
        return total

    log.call("2", inner_python_bound, tf.constant(2))
    log.call("4", inner_python_bound, tf.constant(4))
    log.value("inner_python_bound count", inner_python_bound.experimental_get_tracing_count())


def case_tensor_range_loop_prints(tf, log):
    # Python's print runs once, while tracing; tf.print on every iteration of every call.
    @tf.function
    def f(n):
        total = tf.constant(0)
        for i in tf.range(n):
            log.py("Python print in the loop body")
            log.tfprint("tf.print i =", i, "total =", total)
            total += i
        log.tfprint("after the loop", total)
        return total

    log.call("3", f, tf.constant(3))
    log.call("2", f, tf.constant(2))
    log.value("count", f.experimental_get_tracing_count())


def case_tensor_range_loop_gradients(tf, log):
    w = tf.Variable(2.0)

    @tf.function
    def power(n):
        y = tf.constant(1.0)
        for _ in tf.range(n):
            y = y * w
        return y

    for n in (3, 4):
        with tf.GradientTape() as tape:
            out = power(tf.constant(n))
        log.value(f"power {n}", out)
        log.value(f"d power {n} / dw", tape.gradient(out, w))


def case_tensor_while_loops(tf, log):
    # The guide's first AutoGraph loop: `while <tensor>:` becomes one graph loop.
    @tf.function
    def shrink(x):
        log.py("tracing shrink")
        k = tf.constant(0)
        while tf.reduce_sum(x) > 1:
            log.tfprint("iteration", k)
            x = tf.tanh(x)
            k += 1
        return k, tf.reduce_sum(x) <= 1

    log.call("[1, 2]", shrink, tf.constant([1.0, 2.0]))
    log.call("[0.2, 0.3]", shrink, tf.constant([0.2, 0.3]))
    log.call("[3, 3]", shrink, tf.constant([3.0, 3.0]))
    log.value("shrink count", shrink.experimental_get_tracing_count())

    v = tf.Variable(0)

    @tf.function
    def count_up(n):
        log.py("tracing count_up")
        i = 0  # a Python number the loop assigns enters it as a tensor
        while i < n:
            v.assign_add(i)
            i += 1
        return i

    log.call("0 first", count_up, tf.constant(0))
    log.value("v after 0", v)
    log.call("4", count_up, tf.constant(4))
    log.value("v after 4", v)
    log.value("count_up count", count_up.experimental_get_tracing_count())

    @tf.function
    def collatz_steps(x):
        log.py("tracing collatz_steps")
        steps = tf.constant(0)
        while x > 1:
            x = tf.where(x % 2 == 0, x // 2, 3 * x + 1)
            steps += 1
        return steps

    log.call("27", collatz_steps, tf.constant(27))
    log.call("6", collatz_steps, tf.constant(6))
    log.call("1", collatz_steps, tf.constant(1))
    log.value("collatz_steps count", collatz_steps.experimental_get_tracing_count())


def case_loops_that_run_zero_times_while_tracing(tf, log):
    # The inner loop runs 0 times on the outer loop's first iteration; the first call runs
    # the outer loop 0 times: TF traces each body anyway, and so does capas.
    @tf.function
    def pairs(n):
        log.py("tracing pairs")
        total = tf.constant(0)
        for i in tf.range(n):
            for j in tf.range(i):
                log.tfprint("pair", i, j)
                total += i * 10 + j
        return total

    log.call("0", pairs, tf.constant(0))
    log.call("3", pairs, tf.constant(3))
    log.call("4", pairs, tf.constant(4))
    log.value("pairs count", pairs.experimental_get_tracing_count())

    @tf.function
    def nested_while(n):
        log.py("tracing nested_while")
        s = tf.constant(0)
        k = tf.constant(0)
        while k < n:
            for j in tf.range(k):
                s += j
            k += 1
        return s

    log.call("4", nested_while, tf.constant(4))
    log.call("5", nested_while, tf.constant(5))
    log.value("nested_while count", nested_while.experimental_get_tracing_count())


def case_tensor_range_loop_fallbacks_compute_values(tf, log):
    # Loops capas cannot keep as one graph loop (capas runs them as Python on each call):
    # only values and tf.print output are compared, not Python side effects.
    @tf.function
    def branchy(n):
        total = tf.constant(0)
        for i in tf.range(n):
            if i % 2 == 0:
                total += i
                log.tfprint("even", i)
        return total

    log.call("branchy 5", branchy, tf.constant(5))
    log.call("branchy 8", branchy, tf.constant(8))

    @tf.function
    def with_break(n):
        total = tf.constant(0)
        for i in tf.range(n):
            if total > 5:
                break
            total += i
        return total

    log.call("break 10", with_break, tf.constant(10))
    log.call("break 3", with_break, tf.constant(3))

    @tf.function
    def empty_first(n):
        total = tf.constant(1.0)
        for _ in tf.range(n):
            total = total * 2.0
        return total

    log.call("empty first 0", empty_first, tf.constant(0))
    log.call("empty first 3", empty_first, tf.constant(3))

    @tf.function
    def grad_inside(x, n):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x
            for _ in tf.range(n):
                y = y * x
        return tape.gradient(y, x)

    log.call("grad inside 3", grad_inside, tf.constant(2.0), tf.constant(3))
    log.call("grad inside 1", grad_inside, tf.constant(3.0), tf.constant(1))


def case_dataset_iterator_argument(tf, log):
    # The guide's good_consume_next: each call takes the iterator's next element.
    @tf.function
    def good_consume_next(iterator):
        log.tfprint("Value:", next(iterator))

    iterator = iter(tf.data.Dataset.from_tensor_slices([1, 2, 3]))
    for i in range(3):
        log.call(f"call {i}", good_consume_next, iterator)

    @tf.function
    def pair(it):
        x, y = next(it)
        return x * 2.0 + y

    it = iter(tf.data.Dataset.from_tensor_slices(([1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0])).batch(2))
    log.call("first batch", pair, it)
    log.call("second batch", pair, it)


def case_dataset_iterator_exhausted(tf, log):
    # Past the end: OutOfRangeError inside a tf.function and from get_next(); an Optional instead.
    @tf.function
    def pair(it):
        x, y = next(it)
        return x * 2.0 + y

    it = iter(tf.data.Dataset.from_tensor_slices(([1.0, 2.0, 3.0], [10.0, 20.0, 30.0])).batch(2))
    log.call("first batch", pair, it)
    log.call("last, short batch", pair, it)
    log.call("past the end", pair, it)

    eager = iter(tf.data.Dataset.range(2))
    log.call("get_next 0", eager.get_next)
    optional = eager.get_next_as_optional()
    log.value("optional 1 has_value", optional.has_value())
    log.value("optional 1 value", optional.get_value())
    log.call("get_next past the end", eager.get_next)
    empty = eager.get_next_as_optional()
    log.value("optional past the end has_value", empty.has_value())
    log.call("get_value of an empty optional", empty.get_value)
    made = tf.experimental.Optional.from_value((tf.constant(1.5), tf.constant([1, 2])))
    log.value("from_value has_value", made.has_value())
    log.value("from_value value", made.get_value())
    none = tf.experimental.Optional.empty(tf.TensorSpec(shape=[], dtype=tf.float32))
    log.value("empty has_value", none.has_value())


CASES = {name[len("case_") :]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")}


def run_case(tf, name):
    log = EventLog(tf)
    try:
        CASES[name](tf, log)
    finally:
        log.close()
    return log.events
