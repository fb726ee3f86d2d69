"""The source conversion behind `tf.function`'s `for x in tf.range(...)` loops (capas/_function/_autograph.py).

What TF does with these loops is checked against recorded TF behaviour in
`tests/goldens/function` (cases `*tensor_range*`); these tests check that the rewritten function
is still the user's function (closures, defaults, methods, `super()`, private names, line
numbers) and that what cannot be converted runs as before.
"""

import traceback
import warnings

import pytest

import capas as tf
from capas._function import _autograph

OFFSET = 100


def _count(n):
    total = tf.constant(0)
    for i in tf.range(n):
        total += i + OFFSET
    return total


def test_a_converted_function_keeps_globals_closures_and_defaults():
    step = tf.constant(2)

    def f(n, scale=3, *, extra=1):
        total = tf.constant(0)
        for i in tf.range(n):
            total += i * scale + step + extra + OFFSET
        return total

    converted = _autograph.convert(f)
    assert converted is not f
    assert converted.__name__ == "f" and converted.__qualname__ == f.__qualname__
    assert converted.__defaults__ == (3,) and converted.__kwdefaults__ == {"extra": 1}
    assert int(converted(tf.constant(3))) == int(f(tf.constant(3))) == 3 * 103 + 9
    step = tf.constant(5)  # the closure cell is shared, not copied
    assert int(converted(3)) == int(f(3)) == 3 * 106 + 9
    assert _autograph.convert(f) is converted  # converted once per function


def test_methods_keep_super_and_private_names():
    class Base:
        def offset(self):
            return 10

    class Counter(Base):
        def __init__(self):
            self.__secret = 7

        @tf.function
        def count(self, n):
            total = tf.constant(0)
            for _ in tf.range(n):
                total += super().offset() + self.__secret
            return total

    counter = Counter()
    assert int(counter.count(tf.constant(3))) == 51
    assert int(counter.count(tf.constant(5))) == 85
    assert counter.count.experimental_get_tracing_count() == 1


def test_a_tensor_bounded_loop_is_traced_once_and_replayed():
    traces = []

    @tf.function
    def f(n):
        traces.append(1)
        return _count(n)

    # `_count` is inlined into f's trace unconverted (it is not a tf.function): its bound is
    # read into Python, so f falls back to Python; converting f itself keeps one trace.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert int(f(tf.constant(3))) == 303
        assert int(f(tf.constant(4))) == 406
    assert len(traces) == 2

    @tf.function
    def g(n):
        traces.append(2)
        total = tf.constant(0)
        for i in tf.range(n):
            total += i + OFFSET
        return total

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback warning
        assert [int(g(tf.constant(n))) for n in (3, 4, 0, 1)] == [303, 406, 0, 100]
    assert traces.count(2) == 1


def test_eager_calls_run_the_function_as_written():
    calls = []

    @tf.function
    def f(n):
        total = tf.constant(0)
        for i in tf.range(n):
            calls.append(int(i))
            total += i
        return total

    tf.config.run_functions_eagerly(True)
    try:
        assert int(f(tf.constant(3))) == 3
        assert calls == [0, 1, 2]
    finally:
        tf.config.run_functions_eagerly(False)


def test_errors_in_the_loop_body_point_at_the_users_line():
    @tf.function
    def f(n):
        total = tf.constant(0)
        for _ in tf.range(n):
            total += tf.constant([1, 2, 3])  # the failing line
        return total

    with pytest.raises(Exception) as info:
        f(tf.constant(2))
    frames = traceback.extract_tb(info.value.__traceback__)
    assert any(frame.filename == __file__ and "# the failing line" in frame.line for frame in frames)


@pytest.mark.parametrize(
    "source_kind",
    ["lambda", "builtin range", "break", "return", "else", "tuple target", "nested def"],
)
def test_loops_that_cannot_be_converted_leave_the_function_as_it_is(source_kind):
    def with_break(n):
        total = tf.constant(0)
        for i in tf.range(n):
            if i > 2:
                break
            total += i
        return total

    def with_return(n):
        for i in tf.range(n):
            return i

    def with_else(n):
        total = tf.constant(0)
        for i in tf.range(n):
            total += i
        else:
            total += 1
        return total

    def tuple_target(n):
        for a, b in tf.range(n):  # noqa: B007 - the shape of the loop is what is tested
            pass

    def nested_def(n):
        for i in tf.range(n):

            def g():
                return i  # noqa: B023 - the shape of the loop is what is tested

    def builtin_range(n):
        total = 0
        for i in range(n):
            total += i
        return total

    functions = {
        "lambda": lambda n: [i for i in tf.range(n)],
        "builtin range": builtin_range,
        "break": with_break,
        "return": with_return,
        "else": with_else,
        "tuple target": tuple_target,
        "nested def": nested_def,
    }
    fn = functions[source_kind]
    assert _autograph.convert(fn) is fn


def test_break_in_an_inner_loop_does_not_stop_the_outer_conversion():
    def f(n):
        total = tf.constant(0)
        for i in tf.range(n):
            for j in range(5):
                if j > 1:
                    break
                total += i
        return total

    assert _autograph.convert(f) is not f
    traced = tf.function(f)
    assert [int(traced(tf.constant(n))) for n in (3, 4)] == [6, 12]
    assert traced.experimental_get_tracing_count() == 1


def test_autograph_false_keeps_the_python_loop():
    @tf.function(autograph=False)
    def f(n):
        total = tf.constant(0)
        for _ in tf.range(n):
            total += 1
        return total

    with pytest.warns(RuntimeWarning, match="runs this function as plain Python"):
        assert int(f(tf.constant(3))) == 3


def test_a_name_changing_dtype_in_the_loop_falls_back_with_the_right_values():
    @tf.function
    def f(n):
        x = tf.constant(1)
        for _ in tf.range(n):
            x = tf.cast(x, tf.float32) * 1.5
        return x

    with pytest.warns(RuntimeWarning, match="loop over tensors stays Python: `x` changes dtype, shape or kind"):
        assert float(f(tf.constant(2))) == 2.25
    assert float(f(tf.constant(3))) == 3.375


def test_a_name_first_assigned_in_the_loop_and_read_after_it_needs_an_iteration():
    @tf.function
    def f(n):
        for i in tf.range(n):
            last = i * 2
        return last

    assert int(f(tf.constant(4))) == 6
    with pytest.raises(ValueError, match="'last' is first assigned inside a `for ... in tf.range"):
        f(tf.constant(0))


def test_variables_written_in_the_loop_are_restored_after_tracing_only_once():
    v = tf.Variable(0.0)

    @tf.function
    def f(n):
        for _ in tf.range(n):
            v.assign_add(1.0)
        return v + 0.0

    concrete = f.get_concrete_function(tf.TensorSpec([], tf.int32))
    assert float(v) == 0.0  # get_concrete_function traces without acting
    assert float(concrete(tf.constant(3))) == 3.0
    assert float(f(tf.constant(2))) == 5.0
    assert float(v) == 5.0


def test_tf_print_in_a_loop_body_waits_when_only_tracing(tmp_path):
    out = tmp_path / "printed.txt"

    @tf.function
    def f(n):
        for i in tf.range(n):
            tf.print("i", i, output_stream=f"file://{out}")
        return n

    f.get_concrete_function(tf.TensorSpec([], tf.int32))
    assert not out.exists() or out.read_text() == ""
    f(tf.constant(2))
    assert out.read_text().splitlines() == ["i 0", "i 1"]


def test_while_loops_with_a_python_condition_stay_python_loops():
    @tf.function
    def f(x):
        i = 0
        while i < 3:  # a Python condition: unrolled while tracing, as in TF
            x = x * 2.0
            i += 1
        return x, i

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, i = f(tf.constant(1.5))
        assert float(out) == 12.0 and int(i) == 3
        assert float(f(tf.constant(0.5))[0]) == 4.0
    assert f.experimental_get_tracing_count() == 1


def test_while_loops_that_cannot_be_converted_leave_the_function_as_it_is():
    def with_break(x):
        while x > 0:
            if x < 3:
                break
            x = x - 1
        return x

    def with_else(x):
        while x > 0:
            x = x - 1
        else:
            x = x + 10
        return x

    for fn in (with_break, with_else):
        assert _autograph.convert(fn) is fn
        with pytest.warns(RuntimeWarning, match="runs this function as plain Python"):
            assert int(tf.function(fn)(tf.constant(5))) == int(fn(tf.constant(5)))


def test_a_while_loop_whose_body_assigns_nothing():
    v = tf.Variable(0)

    @tf.function
    def f(n):
        while v < n:
            v.assign_add(2)
        return v + 0

    assert int(f(tf.constant(5))) == 6
    assert int(f(tf.constant(9))) == 10
    assert f.experimental_get_tracing_count() == 1


def test_a_walrus_in_a_comprehension_keeps_the_loop_as_written():
    def f(n):
        total = tf.constant(0)
        for i in tf.range(n):
            _ = [(last := i) for _ in range(1)]
            total += last
        return total

    assert _autograph.convert(f) is f
