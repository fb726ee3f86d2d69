"""`tf.function`: a decorator that runs the function as written, or compiled with `torch.compile`.

TensorFlow traces a `tf.function` into a graph; capas runs eagerly on PyTorch,
so by default the decorated function is simply called. `jit_compile=True`
compiles it with `torch.compile` on first call; if compilation is not possible
here (no compiler, unsupported platform) capas warns once and runs it eagerly.
`tf.config.run_functions_eagerly(True)` turns compilation off everywhere.
"""

import functools
import warnings

import torch

_run_eagerly = False


def run_functions_eagerly(run_eagerly):
    """Run every `tf.function` eagerly (no compilation) while True."""
    global _run_eagerly
    _run_eagerly = bool(run_eagerly)


def functions_run_eagerly():
    """True after `run_functions_eagerly(True)`."""
    return _run_eagerly


def _compile_errors():
    try:
        from torch._dynamo.exc import TorchDynamoException
    except ImportError:  # pragma: no cover - torch without dynamo
        return (RuntimeError,)
    return (TorchDynamoException,)


class Function:
    """A function decorated with `tf.function` (see `function`)."""

    def __init__(self, python_function, jit_compile=None, **options):
        functools.update_wrapper(self, python_function)
        self.python_function = python_function
        self.jit_compile = bool(jit_compile)
        self.options = options
        self._compiled = None
        self._failed = False

    def __call__(self, *args, **kwargs):
        if not self.jit_compile or self._failed or _run_eagerly:
            return self.python_function(*args, **kwargs)
        if self._compiled is None:
            try:
                self._compiled = torch.compile(self.python_function)
            except Exception as exc:  # noqa: BLE001 - any failure to set up means: run eagerly
                return self._fall_back(exc, args, kwargs)
        try:
            return self._compiled(*args, **kwargs)
        except _compile_errors() as exc:
            return self._fall_back(exc, args, kwargs)

    def _fall_back(self, exc, args, kwargs):
        self._failed = True
        warnings.warn(
            f"tf.function(jit_compile=True): could not compile {self.python_function.__qualname__} with "
            f"torch.compile ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
            "running it eagerly instead.",
            RuntimeWarning,
            stacklevel=3,
        )
        return self.python_function(*args, **kwargs)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return functools.partial(self.__call__, instance)

    def __repr__(self):
        return f"<capas.function {self.python_function.__qualname__} jit_compile={self.jit_compile}>"


def function(
    func=None,
    input_signature=None,
    autograph=True,
    jit_compile=None,
    reduce_retracing=False,
    experimental_implements=None,
    experimental_autograph_options=None,
    experimental_attributes=None,
    experimental_relax_shapes=None,
    experimental_compile=None,
    experimental_follow_type_hints=None,
):
    """Decorate a function the way `tf.function` does: `@tf.function` or `@tf.function(jit_compile=True)`.

    Args:
        func: the function (when used without parentheses).
        jit_compile: compile with `torch.compile` on first call (falls back to
            eager execution, with a warning, where compiling fails).
        input_signature, autograph, reduce_retracing, experimental_*: accepted
            for compatibility; PyTorch needs no tracing hints.

    Returns:
        A callable `Function` (or a decorator, when `func` is None).

    Differs from TensorFlow: without `jit_compile=True` the function runs
    eagerly, so Python side effects happen on every call (TF runs them once,
    while tracing).

    Example:

    >>> import capas as tf
    >>> @tf.function
    ... def f(x):
    ...     return tf.reduce_sum(x * x)
    >>> float(f(tf.constant([1.0, 2.0])))
    5.0
    """
    jit = experimental_compile if jit_compile is None else jit_compile
    options = {"input_signature": input_signature, "reduce_retracing": reduce_retracing}

    def decorate(fn):
        return Function(fn, jit_compile=jit, **options)

    return decorate if func is None else decorate(func)
