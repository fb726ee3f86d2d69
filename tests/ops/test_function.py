"""`tf.function`: traces once per signature and replays the graph (TF-defined behaviour is
compared with TensorFlow in `test_function_tf.py`; these tests cover capas's own mechanics)."""

import warnings

import numpy as np
import pytest
import torch

import capas as tf


def test_python_runs_once_per_signature_and_the_graph_on_every_call():
    # Was: "runs eagerly each call" (the old tf.function called the Python each time).
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return tf.reduce_sum(tf.square(x))

    assert float(f(tf.constant([1.0, 2.0]))) == 5.0
    assert float(f(tf.constant([3.0, 4.0]))) == 25.0
    assert len(calls) == 1
    f(tf.constant([1.0]))  # a new shape: a new trace
    assert len(calls) == 2 and f.experimental_get_tracing_count() == 2
    assert f.__name__ == "f" and f.python_function.__name__ == "f"


@pytest.mark.parametrize(
    "kwargs", [{}, {"reduce_retracing": True}, {"input_signature": None}, {"autograph": False}, {"jit_compile": False}]
)
def test_decorator_with_arguments(kwargs):
    @tf.function(**kwargs)
    def f(x):
        return x + 1

    assert f(tf.constant(1)).item() == 2


def test_methods_can_be_decorated_and_gradients_flow():
    class M:
        def __init__(self):
            self.w = tf.Variable([2.0])

        @tf.function
        def step(self, x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(self.w * x)
            return tape.gradient(loss, self.w)

    m = M()
    np.testing.assert_allclose(m.step(tf.constant([3.0])).numpy(), [3.0])
    np.testing.assert_allclose(m.step(tf.constant([5.0])).numpy(), [5.0])  # the replayed backward


def test_tracing_undoes_variable_writes_and_the_graph_redoes_them():
    v = tf.Variable(1.0)

    @tf.function
    def bump(var):
        var.assign_add(1.0)
        return var  # returned as the value read, not as the variable

    outs = [bump(v) for _ in range(3)]
    assert [float(o) for o in outs] == [2.0, 3.0, 4.0]
    assert not isinstance(outs[0], tf.Variable)


def test_assign_inside_a_function_called_under_a_tape():
    v = tf.Variable(1.0)

    @tf.function
    def bump_and_scale(var):
        var.assign_add(1.0)
        return var * 3.0

    bump_and_scale(v)  # trace outside the tape
    with tf.GradientTape() as tape:
        out = bump_and_scale(v)
    assert float(out) == 9.0
    assert float(tape.gradient(out, v)) == 3.0


def test_get_concrete_function_traces_without_running(tmp_path):
    v = tf.Variable(5.0)
    log = tmp_path / "printed.txt"
    log.write_text("")

    @tf.function
    def f(x):
        v.assign_add(x)
        tf.print("ran with", x, output_stream=f"file://{log}")
        return v * 1.0

    concrete = f.get_concrete_function(tf.TensorSpec([], tf.float32))
    assert float(v) == 5.0 and log.read_text() == ""  # tracing ran nothing
    assert float(concrete(tf.constant(2.0))) == 7.0 and float(v) == 7.0
    assert log.read_text() == "ran with 2\n"
    f(tf.constant(1.0))  # a call that fits the trace does not trace again
    assert f.experimental_get_tracing_count() == 1 and float(v) == 8.0


def test_concrete_function_refuses_other_dtypes():
    @tf.function
    def f(x):
        return x * 2

    concrete = f.get_concrete_function(tf.TensorSpec([None], tf.float32))
    np.testing.assert_allclose(concrete(tf.constant([1.0, 2.0, 3.0])).numpy(), [2.0, 4.0, 6.0])
    error = tf.errors.InvalidArgumentError
    with pytest.raises(
        error, match=r"ConcreteFunction f was traced for inputs \(TensorSpec\(shape=\(None,\), dtype=tf.float32"
    ):
        concrete(tf.constant([1, 2]))


def test_data_dependent_python_control_flow_falls_back_to_python_with_one_warning():
    traced = []

    @tf.function
    def g(x):
        traced.append(1)
        if tf.reduce_sum(x) > 0:
            return x * x
        return -x

    with pytest.warns(
        RuntimeWarning, match=r"g reads a tensor's value into Python .*runs this function as plain Python"
    ):
        assert g(tf.constant([2.0])).tolist() == [4.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once only
        assert g(tf.constant([-2.0])).tolist() == [2.0]
    assert len(traced) == 2  # the trace was the first call's run; then plain Python on each call


def test_reduce_retracing_with_shapes_baked_into_the_graph_stays_correct():
    @tf.function(reduce_retracing=True)
    def h(x):
        return tf.reshape(x, [x.shape[0] * 2]) * 2

    for n in (2, 3, 4, 5):
        assert h(tf.ones([n, 2])).shape == (2 * n,)
    assert h.experimental_get_tracing_count() == 2


def test_input_signature_must_hold_tensor_specs():
    def f(x):
        return x

    with pytest.raises(
        TypeError, match=r"tf.function\(f\): input_signature must hold only tf.TensorSpec objects .*received 3"
    ):
        tf.function(f, input_signature=[3])


def test_input_signature_converts_python_values():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return x * 2

    assert f([1, 2]).dtype == torch.float32 and f([1, 2]).tolist() == [2.0, 4.0]
    assert f.experimental_get_tracing_count() == 1


def test_nested_function_inlines_into_the_outer_trace():
    @tf.function
    def inner(x):
        return x + 1

    @tf.function
    def outer(x):
        return inner(x) * 2

    assert outer(tf.constant(1.0)).item() == 4.0
    assert outer(tf.constant(2.0)).item() == 6.0
    assert inner.experimental_get_tracing_count() == 0  # inlined, as TF inlines it


def _tiny(x, y):
    return tf.reduce_sum(tf.nn.relu(tf.matmul(x, y)), axis=1)


def test_jit_compile_compiles_each_traced_graph_once(monkeypatch):
    # Was: torch.compile applied to the Python function; now to the traced graph.
    real_compile = torch.compile
    compiled = []

    def eager_backend_compile(fn, *args, **kwargs):
        compiled.append(fn)
        return real_compile(fn, backend="eager")  # dynamo without the slow C++ codegen

    monkeypatch.setattr(torch, "compile", eager_backend_compile)
    f = tf.function(_tiny, jit_compile=True)
    x, y = torch.randn(3, 4), torch.randn(4, 5)
    np.testing.assert_allclose(f(x, y).numpy(), _tiny(x, y).numpy(), rtol=1e-6)
    f(x, y)
    assert len(compiled) == 1 and isinstance(compiled[0], torch.fx.GraphModule)


@pytest.mark.slow
def test_jit_compile_true_compiles_with_inductor_and_matches_eager():
    f = tf.function(jit_compile=True)(_tiny)
    x, y = torch.randn(3, 4), torch.randn(4, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a fallback warning is acceptable where no compiler exists
        out = f(x, y)
    np.testing.assert_allclose(out.numpy(), _tiny(x, y).numpy(), rtol=1e-5, atol=1e-5)


def test_jit_compile_falls_back_with_a_warning_when_compiling_fails(monkeypatch):
    def broken_compile(fn, *args, **kwargs):
        raise RuntimeError("no compiler here")

    monkeypatch.setattr(torch, "compile", broken_compile)

    @tf.function(jit_compile=True)
    def f(x):
        return x * 2

    with pytest.warns(
        RuntimeWarning,
        match=r"could not compile .*\.f with torch.compile \(RuntimeError: no compiler here\); running its traced graph uncompiled",
    ):
        assert f(tf.constant(2.0)).item() == 4.0
    assert f(tf.constant(3.0)).item() == 6.0


def test_run_functions_eagerly_skips_tracing_and_compilation(monkeypatch):
    monkeypatch.setattr(torch, "compile", lambda *a, **k: pytest.fail("compiled despite run_functions_eagerly"))
    calls = []

    @tf.function(jit_compile=True)
    def f(x):
        calls.append(1)
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        assert tf.config.functions_run_eagerly()
        assert f(tf.constant(1)).item() == 2 and f(tf.constant(1)).item() == 2
    finally:
        tf.config.run_functions_eagerly(False)
    assert len(calls) == 2 and f.experimental_get_tracing_count() == 0


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_keras_train_step_in_a_function_matches_eager(optimizer):
    # The optimizer reads its rate and step as Python numbers, so this step runs as Python
    # after its trace: the trace's writes (foreach updates of slots and weights) must be undone.
    from capas import keras

    x, y = torch.randn(8, 3), torch.randn(8, 1)

    def make():
        model = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
        model(x)
        return model, keras.optimizers.get(optimizer)

    (eager_model, eager_opt), (traced_model, traced_opt) = make(), make()
    for a, b in zip(traced_model.weights, eager_model.weights):
        a.assign(b.numpy().copy())
    loss_fn = keras.losses.MeanSquaredError()

    def step(model, opt):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    traced_step = tf.function(step)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(3):
            expected = step(eager_model, eager_opt)
            np.testing.assert_allclose(float(traced_step(traced_model, traced_opt)), float(expected), rtol=1e-6)
    for a, b in zip(traced_model.weights, eager_model.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
    assert int(traced_opt.iterations) == 3


def test_jit_compile_of_data_dependent_code_compiles_the_python(monkeypatch):
    real_compile = torch.compile
    compiled = []

    def eager_backend_compile(fn, *args, **kwargs):
        compiled.append(fn)
        return real_compile(fn, backend="eager")

    monkeypatch.setattr(torch, "compile", eager_backend_compile)

    def g(x):
        if tf.reduce_sum(x) > 0:
            return x * x
        return -x

    f = tf.function(g, jit_compile=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert f(tf.constant([3.0])).tolist() == [9.0]  # the trace's own run
        assert f(tf.constant([-3.0])).tolist() == [3.0]
        assert f(tf.constant([2.0])).tolist() == [4.0]
    assert compiled == [g]


def test_string_arguments_run_the_python_on_each_call_and_say_so():
    # String ops are numpy, outside torch's graphs: one trace per signature, Python per call.
    calls = []

    @tf.function
    def shout(s):
        calls.append(1)
        return s + "!"

    with pytest.warns(RuntimeWarning, match="shout takes or returns a tf.string tensor"):
        assert shout(tf.constant("a")).numpy() == b"a!"
    assert shout(tf.constant("b")).numpy() == b"b!"
    assert shout.experimental_get_tracing_count() == 1
    assert len(calls) == 2  # TF: 1 (its graph holds the string op)


def test_a_string_result_of_numeric_arguments_is_not_baked_into_the_graph():
    @tf.function
    def show(x):
        return tf.strings.as_string(x * 2)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert show(tf.constant(1)).numpy() == b"2"
        assert show(tf.constant(4)).numpy() == b"8"
    assert show.experimental_get_tracing_count() == 1


def test_a_constant_made_in_the_function_starts_fresh_on_every_replay():
    @tf.function
    def count(n):
        total = tf.constant(0)
        for _ in range(n):
            total += 1
        return total

    assert [int(count(3)) for _ in range(3)] == [3, 3, 3]
    assert count.experimental_get_tracing_count() == 1


def test_a_returned_constant_is_a_new_tensor_on_every_call():
    @tf.function
    def five():
        return tf.constant(5)

    first = five()
    first += 1  # the caller's in-place change stays in the caller's tensor
    assert int(five()) == 5 and int(first) == 6
