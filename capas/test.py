"""`tf.test`: a `TestCase` with TF's tensor assertions, `main`, build queries and `compute_gradient`.

`TestCase` is a `unittest.TestCase`: tests written for `tf.test.TestCase` run under
unittest or pytest. Sessions do not exist in TF 2 eager code, so `session()` and
`cached_session()` are contexts that do nothing, and `evaluate` turns tensors (in any
nested structure) into numpy values.

>>> import capas as tf
>>> class T(tf.test.TestCase):
...     def test_add(self):
...         self.assertAllClose(tf.constant([1.0, 2.0]) + 1.0, [2.0, 3.0])
>>> import unittest
>>> unittest.TextTestRunner(stream=open("/dev/null", "w")).run(T("test_add")).wasSuccessful()
True
"""

import contextlib
import math
import os
import shutil
import tempfile
import types
import unittest

import numpy as np
import torch

from capas import errors
from capas import nest
from capas.ops._convert import convert_to_tensor, dtype_name
from capas.tape import GradientTape

__all__ = [
    "Benchmark",
    "TestCase",
    "create_local_cluster",
    "disable_with_predicate",
    "experimental",
    "with_eager_op_as_function",
    "compute_gradient",
    "gpu_device_name",
    "is_built_with_cuda",
    "is_built_with_gpu_support",
    "is_built_with_rocm",
    "is_built_with_xla",
    "is_gpu_available",
    "main",
]


def _numpy(value):
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    if hasattr(value, "numpy") and callable(value.numpy):
        return value.numpy()
    return np.asarray(value)


def _walk(a, b, path, check):
    """Compare two values leaf by leaf: dicts by key; sequences as one array when they convert
    to one (as TF's assertAllClose does), else element by element."""
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)) or set(a) != set(b):
            raise AssertionError(f"{path}: mismatched structures: {a!r} vs {b!r}")
        for key in a:
            _walk(a[key], b[key], f"{path}[{key!r}]", check)
        return
    x, y = _as_array(a), _as_array(b)
    if x is None or y is None:
        if not (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))) or len(a) != len(b):
            raise AssertionError(f"{path}: mismatched structures: {a!r} vs {b!r}")
        for i, (p, q) in enumerate(zip(a, b)):
            _walk(p, q, f"{path}[{i}]", check)
        return
    check(x, y, path)


def _as_array(value):
    """`value` as a numpy array, or None when it is a structure that does not make one."""
    if isinstance(value, (list, tuple)):
        items = [_as_array(v) for v in value]
        if any(i is None for i in items):
            return None
        try:
            array = np.array(items)
        except ValueError:
            return None
        return None if array.dtype == object else array
    return _numpy(value)


class TestCase(unittest.TestCase):
    """`unittest.TestCase` plus TF's tensor assertions (`assertAllClose`, `assertAllEqual`, ...)."""

    # -- sessions and values (TF 1 leftovers: eager in TF 2) -------------------------
    def evaluate(self, tensors):
        """The numpy values of `tensors` (any nested structure), as TF 2's eager `evaluate`."""
        return nest.map_structure(
            lambda t: _numpy(t) if isinstance(t, torch.Tensor) or hasattr(t, "numpy") else t, tensors
        )

    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """A context with a stand-in session whose `run(fetches)` is `evaluate` (code is eager in TF 2)."""
        yield _Session(self)

    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """A context with a stand-in session whose `run(fetches)` is `evaluate` (code is eager in TF 2)."""
        yield _Session(self)

    def get_temp_dir(self):
        """A temporary directory for this test, made on first use and removed after the test."""
        if getattr(self, "_capas_temp_dir", None) is None:
            self._capas_temp_dir = tempfile.mkdtemp(prefix=f"{type(self).__name__}_")
            self.addCleanup(shutil.rmtree, self._capas_temp_dir, ignore_errors=True)
        return self._capas_temp_dir

    def create_tempdir(self):
        """A fresh temporary directory path (removed after the test)."""
        path = tempfile.mkdtemp(dir=self.get_temp_dir())
        return path

    def create_tempfile(self, file_path=None, content=None):
        """A temporary file (with `content` written, if given); returns its path."""
        path = (
            os.path.join(self.get_temp_dir(), file_path) if file_path else tempfile.mkstemp(dir=self.get_temp_dir())[1]
        )
        if content is not None:
            mode = "wb" if isinstance(content, bytes) else "w"
            with open(path, mode) as f:
                f.write(content)
        return path

    # -- array assertions -------------------------------------------------------------
    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802 - TF's names
        """Assert `|a - b| <= atol + rtol * |b|` element-wise, for tensors, arrays or nested structures."""

        def check(x, y, path):
            if x.shape != y.shape and x.size != 0 and y.size != 0:
                raise AssertionError(f"{path}: shape mismatch: {x.shape} vs {y.shape}. {msg or ''}")
            np.testing.assert_allclose(
                x, y, rtol=rtol, atol=atol, err_msg=f"{msg or ''} Mismatched value: a is different from b. {path}"
            )

        _walk(a, b, "", check)

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        """Assert that `assertAllClose(a, b)` would fail."""
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)
        except AssertionError:
            return
        raise AssertionError(f"The two values are close at all elements. {msg or ''}")

    def assertAllCloseAccordingToType(
        self,
        a,
        b,
        rtol=1e-6,
        atol=1e-6,
        float_rtol=1e-6,
        float_atol=1e-6,
        half_rtol=1e-3,
        half_atol=1e-3,
        bfloat16_rtol=1e-2,
        bfloat16_atol=1e-2,
        msg=None,
    ):  # noqa: N802, E501
        """`assertAllClose` with the tolerance widened for float32 / float16 / bfloat16 values."""
        x = a if isinstance(a, torch.Tensor) else convert_to_tensor(a)
        if x.dtype == torch.float32:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        elif x.dtype == torch.float16:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        elif x.dtype == torch.bfloat16:
            rtol, atol = max(rtol, bfloat16_rtol), max(atol, bfloat16_atol)
            a = x.float()
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertAllEqual(self, a, b, msg=None):  # noqa: N802
        """Assert the same shape and values (exactly)."""
        x, y = _numpy(a), _numpy(b)
        if x.shape != y.shape and x.size != 1 and y.size != 1:
            raise AssertionError(f"Shape mismatch: expected {x.shape}, got {y.shape}. {msg or ''}")
        np.testing.assert_array_equal(x, y, err_msg=msg or "")

    def assertNotAllEqual(self, a, b, msg=None):  # noqa: N802
        """Assert that some element differs."""
        if np.array_equal(_numpy(a), _numpy(b)):
            raise AssertionError(f"Expected unequal values, got equal ones: {_numpy(a)}. {msg or ''}")

    def _compare_all(self, a, comparison, what, bound):
        x = _numpy(a)
        if not np.all(comparison(x, bound)):
            raise AssertionError(f"Not all elements are {what} {bound}: {x}")

    def assertAllGreater(self, a, comparison_target):  # noqa: N802
        """Assert every element is > `comparison_target`."""
        self._compare_all(a, np.greater, "greater than", comparison_target)

    def assertAllGreaterEqual(self, a, comparison_target):  # noqa: N802
        """Assert every element is >= `comparison_target`."""
        self._compare_all(a, np.greater_equal, "greater than or equal to", comparison_target)

    def assertAllLess(self, a, comparison_target):  # noqa: N802
        """Assert every element is < `comparison_target`."""
        self._compare_all(a, np.less, "less than", comparison_target)

    def assertAllLessEqual(self, a, comparison_target):  # noqa: N802
        """Assert every element is <= `comparison_target`."""
        self._compare_all(a, np.less_equal, "less than or equal to", comparison_target)

    def assertAllInRange(self, target, lower_bound, upper_bound, open_lower_bound=False, open_upper_bound=False):  # noqa: N802
        """Assert every element lies in the range (closed by default; either end may be open)."""
        x = _numpy(target)
        low = np.greater(x, lower_bound) if open_lower_bound else np.greater_equal(x, lower_bound)
        high = np.less(x, upper_bound) if open_upper_bound else np.less_equal(x, upper_bound)
        bad = ~(low & high)
        if np.any(bad):
            left = "(" if open_lower_bound else "["
            right = ")" if open_upper_bound else "]"
            raise AssertionError(
                f"{int(bad.sum())} of the {x.size} element(s) are outside the range "
                f"{left}{lower_bound}, {upper_bound}{right}: {x[bad]}"
            )

    def assertAllInSet(self, target, expected_set):  # noqa: N802
        """Assert every element is one of `expected_set`."""
        x = _numpy(target)
        missing = set(np.unique(x).tolist()) - set(np.asarray(list(expected_set)).tolist())
        if missing:
            raise AssertionError(f"{sorted(missing)} not in the expected set {sorted(expected_set)}")

    def assertShapeEqual(self, input_a, input_b, msg=None):  # noqa: N802
        """Assert that two arrays or tensors have the same shape."""
        a_shape = tuple(input_a.shape)
        b_shape = tuple(input_b.shape)
        if a_shape != b_shape:
            raise AssertionError(f"Shape mismatch: {a_shape} vs {b_shape}. {msg or ''}")

    def assertDTypeEqual(self, target, expected_dtype):  # noqa: N802
        """Assert `target`'s dtype (any spelling: tf, numpy or torch) is `expected_dtype`."""
        actual = target.dtype if hasattr(target, "dtype") else np.asarray(target).dtype
        if dtype_name(actual) != dtype_name(expected_dtype):
            raise AssertionError(f"dtype {dtype_name(actual)} != expected {dtype_name(expected_dtype)}")

    def assertNear(self, f1, f2, err, msg=None):  # noqa: N802
        """Assert `|f1 - f2| <= err` for two numbers."""
        if not (math.isclose(f1, f2) or abs(f1 - f2) <= err):
            raise AssertionError(f"{f1} != {f2} +/- {err} {msg or ''}")

    def assertArrayNear(self, farray1, farray2, err, msg=None):  # noqa: N802
        """Assert two float lists are the same length and element-wise within `err`."""
        self.assertEqual(len(farray1), len(farray2), msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg)

    def assertNDArrayNear(self, ndarray1, ndarray2, err, msg=None):  # noqa: N802
        """Assert two arrays are element-wise within `err`."""
        if not np.allclose(_numpy(ndarray1), _numpy(ndarray2), rtol=0, atol=err):
            raise AssertionError(f"Arrays differ by more than {err}. {msg or ''}")

    def assertRaisesOpError(self, expected_err_re_or_predicate):  # noqa: N802
        """A context asserting a `tf.errors.OpError` whose message matches the regex."""
        return self.assertRaisesRegex(errors.OpError, expected_err_re_or_predicate)

    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):  # noqa: N802
        """A context asserting `exception_type` whose message matches the regex (or satisfies the predicate)."""
        if callable(expected_err_re_or_predicate):
            return _PredicateRaises(self, exception_type, expected_err_re_or_predicate)
        return self.assertRaisesRegex(exception_type, expected_err_re_or_predicate)

    def assertStartsWith(self, actual, expected_start, msg=None):  # noqa: N802
        """Assert `actual` starts with `expected_start`."""
        if not actual.startswith(expected_start):
            raise AssertionError(f"{actual!r} does not start with {expected_start!r} {msg or ''}")

    def assertItemsEqual(self, first, second, msg=None):  # noqa: N802
        """`assertCountEqual` under its TF name."""
        self.assertCountEqual(first, second, msg)


class _Session:
    """What `session()` yields: `run` evaluates tensors eagerly (feeds are not supported)."""

    def __init__(self, case):
        self._case = case

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        if feed_dict:
            raise NotImplementedError(
                "tf.test.TestCase.session().run: feed_dict needs TF 1 placeholders; call the function "
                "with the values instead."
            )
        return self._case.evaluate(fetches)


class _PredicateRaises:
    def __init__(self, case, exception_type, predicate):
        self.case, self.exception_type, self.predicate = case, exception_type, predicate

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            raise AssertionError(f"{self.exception_type.__name__} not raised")
        if not issubclass(exc_type, self.exception_type):
            return False
        if not self.predicate(exc):
            raise AssertionError(f"Exception {exc!r} does not satisfy the predicate")
        return True


class Benchmark:
    """`tf.test.Benchmark`: `report_benchmark` prints TF's entry (name, iters, times, extras)."""

    def report_benchmark(
        self, iters=None, cpu_time=None, wall_time=None, throughput=None, extras=None, name=None, metrics=None
    ):
        owner = "TensorFlowBenchmark" if type(self) is Benchmark else type(self).__name__  # TF's class name
        name = f"{owner}.{name}" if name else owner
        lines = ["entry {", f'  name: "{name}"']
        for key, value in (
            ("iters", iters),
            ("cpu_time", cpu_time),
            ("wall_time", wall_time),
            ("throughput", throughput),
        ):
            if value is not None:
                lines.append(f"  {key}: {value}")
        for key, value in sorted((extras or {}).items()):
            lines.append(f'  extras {{ key: "{key}" value: {value} }}')
        lines.append("}")
        print("\n".join(lines) + "\n")

    def evaluate(self, tensors):
        """The numpy values of `tensors` (any nested structure)."""
        return TestCase.evaluate(self, tensors)


def disable_with_predicate(pred, skip_message):
    """Decorate a test method to skip it (with `skip_message`) when `pred()` is true."""

    def decorator(fn):
        def wrapper(self, *args, **kwargs):
            if pred():
                self.skipTest(skip_message)
            return fn(self, *args, **kwargs)

        wrapper.__name__ = fn.__name__
        wrapper.__doc__ = fn.__doc__
        return wrapper

    return decorator


def with_eager_op_as_function(cls=None, only_as_function=False):
    """Return the test class unchanged (capas runs eager ops one way only)."""
    if cls is None:
        return lambda c: c
    return cls


def create_local_cluster(num_workers, num_ps, protocol="grpc", worker_config=None, ps_config=None):
    """Raise: capas has no TF parameter-server cluster (see docs/distributed.md for torch.distributed)."""
    raise NotImplementedError(
        "tf.test.create_local_cluster: capas has no TF gRPC cluster; multi-process tests use "
        "torch.distributed (docs/distributed.md)."
    )


def _sync_devices():
    """Wait for every queued GPU kernel to finish (`torch.cuda.synchronize`); nothing to wait for on a CPU."""
    if torch.cuda.is_available():
        torch.cuda.synchronize()


experimental = types.SimpleNamespace(sync_devices=_sync_devices)


def main(argv=None):
    """Run the tests of the calling module (`unittest.main`), as `tf.test.main()`."""
    return unittest.main(argv=argv)


def is_built_with_cuda():
    """True when this PyTorch build has CUDA support."""
    return torch.version.cuda is not None


def is_built_with_rocm():
    """True when this PyTorch build has ROCm support."""
    return getattr(torch.version, "hip", None) is not None


def is_built_with_gpu_support():
    """True when this PyTorch build supports a GPU (CUDA or ROCm)."""
    return is_built_with_cuda() or is_built_with_rocm()


def is_built_with_xla():
    """False: capas compiles with torch.compile (Inductor), not XLA (see docs/differences.md)."""
    return False


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """True when a GPU is visible (and meets `min_cuda_compute_capability`, a (major, minor) pair)."""
    if not torch.cuda.is_available():
        return False
    if min_cuda_compute_capability is None:
        return True
    wanted = tuple(min_cuda_compute_capability)
    return any(torch.cuda.get_device_capability(i) >= wanted for i in range(torch.cuda.device_count()))


def gpu_device_name():
    """`'/device:GPU:0'` when a GPU is visible, else `''` (as TF)."""
    return "/device:GPU:0" if torch.cuda.is_available() else ""


def is_cpu_target_available(cpu_target):
    """True: PyTorch runs on the host CPU it was built for."""
    return True


def _jacobian_numeric(f, xs, index, delta):
    x = xs[index]
    flat = x.detach().clone().reshape(-1)
    columns = []
    for j in range(flat.numel()):
        plus = flat.clone()
        plus[j] += delta
        minus = flat.clone()
        minus[j] -= delta
        args_plus = list(xs)
        args_plus[index] = plus.reshape(x.shape)
        args_minus = list(xs)
        args_minus[index] = minus.reshape(x.shape)
        y_plus = convert_to_tensor(f(*args_plus)).reshape(-1)
        y_minus = convert_to_tensor(f(*args_minus)).reshape(-1)
        columns.append((y_plus - y_minus) / (2 * delta))
    y_size = convert_to_tensor(f(*xs)).numel()
    if not columns:
        return np.zeros((y_size, 0), dtype=_numpy(x).dtype)
    return torch.stack(columns, dim=1).detach().cpu().numpy()


def compute_gradient(f, x, delta=None):
    """The analytic and numeric Jacobians of `f` at `x`, as TF returns them.

    `x` is a list of the arguments of `f`. Returns `(theoretical, numerical)`, each a
    tuple with one `(y_size, x_size)` numpy array per argument; the numeric one uses
    central differences with step `delta` (default 1/1024, as TF).

    >>> import capas as tf
    >>> theoretical, numerical = tf.test.compute_gradient(lambda x: x * x, [tf.constant([1.0, 2.0])])
    >>> theoretical[0].tolist()
    [[2.0, 0.0], [0.0, 4.0]]
    """
    if not isinstance(x, (list, tuple)):
        raise ValueError(
            f"`x` must be a list or tuple of values convertible to a Tensor (arguments to `f`), not a {type(x)}"
        )
    delta = 1.0 / 1024 if delta is None else delta
    xs = [convert_to_tensor(v).detach() for v in x]
    theoretical, numerical = [], []
    for index in range(len(xs)):
        source = xs[index].clone().requires_grad_(True)

        def g(value, index=index):
            args = list(xs)
            args[index] = value
            return convert_to_tensor(f(*args))

        with GradientTape() as tape:
            tape.watch(source)
            y = g(source)
        y_flat_size = y.numel()
        rows = []
        for k in range(y_flat_size):
            grad = torch.autograd.grad(y.reshape(-1)[k], source, retain_graph=True, allow_unused=True)[0]
            rows.append(torch.zeros_like(source).reshape(-1) if grad is None else grad.reshape(-1))
        jac = torch.stack(rows) if rows else torch.zeros((0, source.numel()), dtype=source.dtype)
        theoretical.append(jac.detach().cpu().numpy().astype(_numpy(y).dtype))
        numerical.append(_jacobian_numeric(f, xs, index, delta).astype(_numpy(y).dtype))
    return tuple(theoretical), tuple(numerical)
