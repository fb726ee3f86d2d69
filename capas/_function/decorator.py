"""`tf.function`: trace a Python function once per input signature, then replay its graph.

As in TensorFlow, calling a `Function` first *traces*: the Python function
runs once and every tensor op it performs is recorded (see
`capas/_function/_trace.py`); what it did to variables is undone and the
recorded graph then runs. Later calls whose arguments have the same trace
key (tensor dtypes and shapes, Python values; see `_function/_signature.py`)
only replay the graph: Python side effects (`print`, list appends, reading a
global) happen while tracing, `tf.print` and variable updates on every call.
`docs/function.md` lists where capas differs from TF.
"""

import functools
import inspect
import warnings
import weakref

import torch

from capas import variables as _variables
from capas._function import _arguments, _autograph, _loops, _signature, _trace
from capas._function._concrete import ConcreteFunction
from capas.data._iterator import end_of_sequence
from capas.ops import _recording
from capas.ops.tensor_spec import TensorSpec

_run_eagerly = False
_NOTHING = object()

_SINGLETON_VARIABLES = (
    "tf.function only supports singleton tf.Variables created on the first call. Make sure the "
    "tf.Variable is only created once or created outside tf.function. See "
    "https://www.tensorflow.org/guide/function#creating_tfvariables for more information."
)


def run_functions_eagerly(run_eagerly):
    """Run every `tf.function` as plain Python (no tracing, no compilation) while True.

    Example:

    >>> import capas as tf
    >>> tf.config.run_functions_eagerly(True)
    >>> tf.config.functions_run_eagerly()
    True
    >>> tf.config.run_functions_eagerly(False)
    """
    global _run_eagerly
    _run_eagerly = bool(run_eagerly)


def functions_run_eagerly():
    """True after `run_functions_eagerly(True)`."""
    return _run_eagerly


@_recording.op
def _replay(module, tensors):
    # An op like any other: outside a GradientTape it records no gradient graph.
    return module.forward(*tensors)


class _Entry:
    """One trace: its key, its graph, the structure of its outputs."""

    def __init__(self, key, traced, shapes):
        self.key = key
        self.module = traced.module
        self.template = traced.template
        self.python_only = traced.python_only
        self.structured_outputs = _output_specs(traced.result)
        self.shapes = shapes  # the concrete input shapes the graph was recorded with
        self.by_shapes = {}  # other concrete shapes -> a graph re-recorded for them
        self.generic = traced.module is not None and not _bakes_shapes(traced.module)
        self.compiled = None
        self.fresh = _NOTHING  # a python_only trace's result, for the call that made it


def _output_specs(value):
    if isinstance(value, torch.Tensor):
        return TensorSpec(tuple(value.shape), value.dtype)
    if isinstance(value, list):
        return [_output_specs(v) for v in value]
    if isinstance(value, tuple):
        items = [_output_specs(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {k: _output_specs(v) for k, v in value.items()}
    return value


def _bakes_shapes(module):
    # Ops taking sizes (view, expand, zeros...) record the traced shape as numbers.
    for node in module.graph.nodes:
        if node.target in _loops.LOOP_NODES and _loops.bakes_shapes(
            getattr(module, node.args[0].target), _bakes_shapes
        ):
            return True
        schema = getattr(node.target, "_schema", None)
        if schema is not None and "SymInt" in str(schema):
            return True
    return False


class Function:
    """A Python function wrapped by `tf.function` (see `function`): a cache of traces."""

    def __init__(
        self,
        python_function,
        input_signature=None,
        jit_compile=None,
        reduce_retracing=False,
        instance=None,
        autograph=True,
    ):
        functools.update_wrapper(self, python_function, updated=())
        for attr in ("__name__", "__qualname__"):  # partials and callable objects have none
            if not hasattr(self, attr):
                setattr(self, attr, type(python_function).__name__)
        self.python_function = python_function
        self.input_signature = None if input_signature is None else tuple(input_signature)
        self.jit_compile = bool(jit_compile)
        self.reduce_retracing = bool(reduce_retracing)
        self.autograph = bool(autograph)
        self._traced_function = None  # python_function with its tf.range loops converted (_autograph.py)
        self._instance = instance
        self._signature = inspect.signature(python_function)
        params = list(self._signature.parameters.values())
        if instance is not None:
            params = params[1:]
            self._signature = self._signature.replace(parameters=params)
        self.__signature__ = self._signature  # what inspect.signature shows (no `self` once bound)
        simple = all(p.kind == p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in params)
        self._n_simple = len(params) if simple else -1
        self._cache = {}
        self._entries = []
        self._tracing_count = 0
        self._variables_created = False
        self._warned = set()
        self._compile_failed = False
        self._compiled_python = None
        self._bound = weakref.WeakKeyDictionary()
        if self.input_signature is not None:
            self._signature_key = _arguments.check_input_signature(self.__name__, self.input_signature)

    # -- calling -----------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if _run_eagerly:
            return self._call_python(args, kwargs)
        if _trace.current_recorder() is not None:
            return self._call_traced(args, kwargs)  # inside another trace: inline, as TF does
        try:
            return self._call_function(args, kwargs)
        except StopIteration:
            # An iterator read past its end inside the function: TF's graph raises OutOfRangeError.
            raise end_of_sequence() from None

    def _call_function(self, args, kwargs):
        if self.input_signature is not None:
            args, kwargs = self._cast_to_signature(args, kwargs)
        elif _arguments.has_arrays(args) or _arguments.has_arrays(kwargs):
            args, kwargs = _arguments.arrays_to_tensors(args), _arguments.arrays_to_tensors(kwargs)
        tensors = []
        key = self._key(args, kwargs, tensors)
        entry = self._cache.get(key)
        if entry is None:
            entry = self._find_or_trace(key, args, kwargs, tensors)
        return self._run(entry, key, args, kwargs, tensors)

    def _call_python(self, args, kwargs, fn=None):
        fn = self.python_function if fn is None else fn
        if self._instance is not None:
            return fn(self._instance, *args, **kwargs)
        return fn(*args, **kwargs)

    def _call_traced(self, args, kwargs):
        # Under a trace the Python function runs with its `for ... in tf.range(...)` loops
        # converted (once per function); eager calls run the function as written.
        if self._traced_function is None:
            self._traced_function = _autograph.convert(self.python_function) if self.autograph else self.python_function
        return self._call_python(args, kwargs, self._traced_function)

    def _key(self, args, kwargs, tensors):
        if not kwargs and len(args) == self._n_simple:
            return _signature.make_key(args, tensors)
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{self.__name__}(): {exc}. Its signature is {self.__name__}{self._signature}.") from None
        bound.apply_defaults()
        return _signature.make_key(tuple(bound.arguments.values()), tensors)

    def _find_or_trace(self, key, args, kwargs, tensors):
        best = None
        for entry in self._entries:
            if _signature.accepts(entry.key, key):
                best = entry
        if best is None:
            trace_key = key
            if self.input_signature is not None:
                trace_key = self._signature_key
            elif self.reduce_retracing:
                for entry in self._entries:
                    general = _signature.generalize(entry.key, key)
                    if general is not None:
                        trace_key = general
                        break
            best = self._trace(trace_key, args, kwargs, tensors)
        self._cache[key] = best
        return best

    def _run(self, entry, key, args, kwargs, tensors):
        if entry.python_only is not None:
            self._warn_python_only(entry.python_only)
            fresh, entry.fresh = entry.fresh, _NOTHING
            if fresh is not _NOTHING:
                return _trace.python_outputs_as_tensors(fresh)  # the trace of this very call ran it already
            if self.jit_compile and not self._compile_failed:
                return _trace.python_outputs_as_tensors(self._call_compiled_python(args, kwargs))
            return _trace.python_outputs_as_tensors(self._call_python(args, kwargs))
        module = entry.module
        if not entry.generic:
            shapes = tuple(tuple(t.shape) for t in tensors)
            if shapes != entry.shapes:
                # The graph holds its traced shapes as numbers: record one for these shapes
                # (running the Python again, which a TF trace with None dims would not).
                sub = entry.by_shapes.get(shapes)
                if sub is None:
                    sub = entry.by_shapes[shapes] = self._record(args, kwargs, tensors)
                    if sub.python_only is not None:
                        return _trace.python_outputs_as_tensors(sub.result)  # this call's eager run
                if sub.python_only is not None:
                    return _trace.python_outputs_as_tensors(self._call_python(args, kwargs))
                module = sub.module
        if self.jit_compile and not self._compile_failed:
            module = self._compiled(entry, module)
        outputs = _replay(module, tensors)
        return _trace.fill_template(entry.template, outputs)

    # -- tracing -------------------------------------------------------------
    def _record(self, args, kwargs, tensors, creating=False, dry=False):
        created = []

        def observe(variable):
            if not creating:
                raise ValueError(_SINGLETON_VARIABLES)
            created.append(variable)

        _variables._creation_observers.append(observe)
        try:
            strings = "a tf.string argument" if _signature.holds_strings((args, kwargs)) else None
            traced = _trace.trace(
                self.python_function, tensors, lambda: self._call_traced(args, kwargs), dry, python_only=strings
            )
        finally:
            _variables._creation_observers.remove(observe)
        traced.created = created
        return traced

    def _trace(self, key, args, kwargs, tensors, dry=False):
        first = not self._entries and not self._variables_created
        traced = self._record(args, kwargs, tensors, creating=first, dry=dry)
        self._tracing_count += 1
        acted = traced.python_only is not None and not dry  # it was this call's eager run
        if traced.created:
            self._variables_created = True
            if not acted:
                # Variables made on the first trace are kept; trace again, as TF does, to
                # check that the function does not make new ones on each call.
                traced = self._record(args, kwargs, tensors, dry=dry)
                acted = traced.python_only is not None and not dry
        entry = _Entry(key, traced, tuple(tuple(t.shape) for t in tensors))
        entry.fresh = traced.result if acted else _NOTHING
        self._entries.append(entry)
        return entry

    def _warn_python_only(self, op):
        if "python_only" in self._warned:
            return
        self._warned.add("python_only")
        warnings.warn(_python_only_message(self.__qualname__, op), RuntimeWarning, stacklevel=4)

    def _compiled(self, entry, module):
        if entry.compiled is None or entry.compiled[0] is not module:
            try:
                entry.compiled = (module, torch.compile(module))
            except Exception as exc:  # noqa: BLE001 - any failure to set up means: replay uncompiled
                self._compile_fall_back(exc)
                return module
        return _CompiledCall(self, entry.compiled[1], module)

    def _call_compiled_python(self, args, kwargs):
        # No graph of ours fits data-dependent code, but dynamo splits it at the branches.
        if self._compiled_python is None:
            try:
                self._compiled_python = torch.compile(self.python_function)
            except Exception as exc:  # noqa: BLE001 - any failure to set up means: plain Python
                self._compile_fall_back(exc)
                return self._call_python(args, kwargs)
        if self._instance is not None:
            args = (self._instance, *args)
        try:
            return self._compiled_python(*args, **kwargs)
        except Exception as exc:
            if not _is_compile_error(exc):
                raise
            self._compile_fall_back(exc)
            return self.python_function(*args, **kwargs)

    def _compile_fall_back(self, exc):
        self._compile_failed = True
        warnings.warn(
            f"tf.function(jit_compile=True): could not compile {self.__qualname__} with torch.compile "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); running its traced "
            "graph uncompiled instead.",
            RuntimeWarning,
            stacklevel=5,
        )

    # -- input_signature -----------------------------------------------------
    def _cast_to_signature(self, args, kwargs):
        return _arguments.cast_to_signature(self.__name__, self._signature, self.input_signature, args, kwargs)

    # -- introspection -------------------------------------------------------
    def get_concrete_function(self, *args, **kwargs):
        """Trace (without running) for these arguments; `tf.TensorSpec`s stand for tensors.

        Returns:
            A `ConcreteFunction`: callable with tensors of the traced types.
        """
        if not args and not kwargs and self.input_signature is not None:
            args = self.input_signature
        example_args, example_kwargs = _arguments.example_values(args), _arguments.example_values(kwargs)
        if self.input_signature is not None:
            example_args, example_kwargs = self._cast_to_signature(example_args, example_kwargs)
            trace_key = self._signature_key
        else:
            trace_key = self._key(_arguments.spec_keys(args), _arguments.spec_keys(kwargs), [])
        tensors = []
        self._key(example_args, example_kwargs, tensors)
        entry = None
        for candidate in self._entries:
            if _signature.accepts(candidate.key, trace_key):
                entry = candidate
        if entry is None:
            entry = self._trace(trace_key, example_args, example_kwargs, tensors, dry=True)
        return ConcreteFunction(self, entry, example_args, example_kwargs)

    def experimental_get_tracing_count(self):
        """How many times the Python function was traced (one per new input signature)."""
        return self._tracing_count

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        try:
            bound = self._bound.get(instance)
        except TypeError:
            bound = None
        if bound is None:
            bound = Function(
                self.python_function,
                input_signature=self.input_signature,
                jit_compile=self.jit_compile,
                reduce_retracing=self.reduce_retracing,
                instance=instance,
                autograph=self.autograph,
            )
            try:
                self._bound[instance] = bound  # one trace cache per instance, as in TF
            except TypeError:
                pass
        return bound

    def __repr__(self):
        return f"<capas.function {self.python_function.__qualname__} jit_compile={self.jit_compile}>"


def _is_compile_error(exc):
    try:
        from torch._dynamo.exc import TorchDynamoException
    except ImportError:  # pragma: no cover - torch without dynamo
        return isinstance(exc, RuntimeError)
    return isinstance(exc, TorchDynamoException)


class _CompiledCall:
    """Runs a compiled graph; on a compiler error falls back to the plain graph once and for all."""

    def __init__(self, function, compiled, module):
        self.function, self.compiled, self.module = function, compiled, module

    def __call__(self, *tensors):
        try:
            return self.compiled(*tensors)
        except Exception as exc:  # noqa: BLE001 - torch.compile raises many kinds; the graph still runs
            self.function._compile_fall_back(exc)
            return self.module(*tensors)

    forward = __call__


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
    """Make a `Function` that traces `func` once per input signature and replays the trace.

    The first call with a new signature (tensor dtypes and shapes, values of
    Python arguments) runs `func` as Python once, recording its tensor ops;
    every call then runs the recorded graph. Python side effects therefore
    happen only while tracing; `tf.print` and variable assignments happen on
    every call.

    Args:
        func: the function (when used without parentheses).
        input_signature: a sequence of `tf.TensorSpec`: the only signature
            accepted (None dims match any size); one trace serves every call.
        autograph: convert `for x in tf.range(...)` loops over tensor bounds and `while`
            loops on tensor conditions into graph loops (the part of TF's AutoGraph capas
            has; see `docs/function.md`).
        jit_compile: run the traced graph compiled by `torch.compile` (falls
            back, with a warning, where compiling fails).
        reduce_retracing: on a second trace, generalise differing dims to None.
        experimental_*: accepted for compatibility.

    Returns:
        A callable `Function` (or a decorator, when `func` is None).

    Example:

    >>> import capas as tf
    >>> @tf.function
    ... def f(x):
    ...     print("tracing")
    ...     return tf.reduce_sum(x * x)
    >>> float(f(tf.constant([1.0, 2.0])))
    tracing
    5.0
    >>> float(f(tf.constant([3.0, 4.0])))
    25.0
    >>> f.experimental_get_tracing_count()
    1
    """
    jit = experimental_compile if jit_compile is None else jit_compile
    relax = reduce_retracing or bool(experimental_relax_shapes)

    def decorate(fn):
        return Function(
            fn, input_signature=input_signature, jit_compile=jit, reduce_retracing=relax, autograph=autograph
        )

    return decorate if func is None else decorate(func)


_EACH_CALL = "(its Python side effects run each time; TensorFlow runs them once, when tracing)"


def _python_only_message(name, op):
    """Why the function `name` runs as plain Python on every call, from the op that made it so."""
    if "tf.string" in op:
        return (
            f"tf.function: {name} takes or returns a tf.string tensor. capas's string tensors are numpy arrays "
            f"outside torch's graphs, so this trace runs as plain Python on every call {_EACH_CALL}."
        )
    if op == _trace.ITERATOR_FALLBACK:
        return (
            f"tf.function: {name} takes elements from a dataset iterator with next(). capas runs it as plain "
            f"Python on every call, so that each call takes the next element as TensorFlow's graph does {_EACH_CALL}."
        )
    if op.startswith(_trace.LOOP_FALLBACK):
        return (
            f"tf.function: in {name}, {op}. capas therefore runs this function as plain Python on every call "
            "(its Python side effects run each time; results are TensorFlow's). docs/function.md lists the loops "
            "capas keeps in the graph."
        )
    return (
        f"tf.function: {name} reads a tensor's value into Python ({op}), as `if tensor > 0:`, `float(t)` or "
        "`t.numpy()` do. TensorFlow's AutoGraph turns such code into graph control flow; capas converts only "
        "`for x in tf.range(...)` and `while <tensor>:` loops (docs/function.md), so it runs this function as "
        "plain Python on every call (its Python side effects run each time). Use tf.where / tensor ops instead "
        "of Python control flow on tensor values to get a traced graph."
    )
