"""`tf.function`: plain calls by default, torch.compile with jit_compile=True."""

import warnings

import numpy as np
import pytest
import torch

import capas as tf


def test_plain_decorator_calls_the_function():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return tf.reduce_sum(tf.square(x))

    assert float(f(tf.constant([1.0, 2.0]))) == 5.0
    f(tf.constant([1.0]))
    assert len(calls) == 2  # runs eagerly each call
    assert f.__name__ == "f" and f.python_function.__name__ == "f"


@pytest.mark.parametrize("kwargs", [{}, {"reduce_retracing": True}, {"input_signature": None}, {"autograph": False}, {"jit_compile": False}])
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

    np.testing.assert_allclose(M().step(tf.constant([3.0])).numpy(), [3.0])


def _tiny(x, y):
    return tf.reduce_sum(tf.nn.relu(tf.matmul(x, y)), axis=1)


def test_jit_compile_goes_through_torch_compile_once(monkeypatch):
    real_compile = torch.compile
    compiled_fns = []

    def eager_backend_compile(fn, *args, **kwargs):
        compiled_fns.append(fn)
        return real_compile(fn, backend="eager")  # dynamo tracing without the slow C++ codegen

    monkeypatch.setattr(torch, "compile", eager_backend_compile)
    f = tf.function(_tiny, jit_compile=True)
    x, y = torch.randn(3, 4), torch.randn(4, 5)
    np.testing.assert_allclose(f(x, y).numpy(), _tiny(x, y).numpy(), rtol=1e-6)
    f(x, y)
    assert compiled_fns == [_tiny]


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

    with pytest.warns(RuntimeWarning, match=r"could not compile .*\.f with torch.compile \(RuntimeError: no compiler here\); running it eagerly"):
        assert f(tf.constant(2.0)).item() == 4.0
    assert f(tf.constant(3.0)).item() == 6.0


def test_run_functions_eagerly_skips_compilation(monkeypatch):
    monkeypatch.setattr(torch, "compile", lambda *a, **k: pytest.fail("compiled despite run_functions_eagerly"))
    tf.config.run_functions_eagerly(True)
    try:
        assert tf.config.functions_run_eagerly()
        assert tf.function(lambda x: x + 1, jit_compile=True)(tf.constant(1)).item() == 2
    finally:
        tf.config.run_functions_eagerly(False)
