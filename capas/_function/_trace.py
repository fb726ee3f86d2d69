"""Trace a Python function into a `torch.fx` graph by running it once on real tensors.

While the function runs, a `TorchDispatchMode` sees every ATen op (below
autograd, so tape gradients computed inside the function are recorded as
ops too) and appends it to a graph: the function's tensor arguments become
placeholders, tensors made by recorded ops become nodes, and any other tensor
an op reads is captured *by reference* (`get_attr`), so a `Variable` read or
assigned in the function is the real variable on every replay. Python
values are baked in, as TensorFlow bakes them into its graph.

An op that hands a value back to Python (`bool(t)`, `float(t)`, `.item()`)
makes the trace data-dependent: the graph could not take the other branch,
so the trace is marked `python_only` and its caller runs the Python function
on each call instead.
"""

import threading

import numpy as np
import torch
import torch.fx
from torch.utils._python_dispatch import TorchDispatchMode, _disable_current_modes

from capas._function._signature import holds_strings
from capas.ops._convert import convert_to_tensor

_state = threading.local()


def current_recorder():
    """The recorder of the innermost trace running on this thread, or None."""
    return getattr(_state, "recorder", None)


class _Recorder(TorchDispatchMode):
    @classmethod
    def _should_skip_dynamo(cls):
        # Otherwise torch wraps __torch_dispatch__ in dynamo.disable, and the first trace
        # would import torch._dynamo (seconds) for nothing: this mode never runs compiled.
        return False

    def __init__(self, dry):
        super().__init__()
        self.dry = dry  # get_concrete_function: never let a trace act (no prints, writes undone)
        self.pending = []  # recorded tf.print calls: run now if the trace turns python_only
        self.graph = torch.fx.Graph()
        self.attrs = {}
        self.nodes = {}  # id(tensor) -> Node producing it
        self.alive = []  # keeps traced tensors alive so that their ids stay unique
        self.python_only = None  # the op that read a value back into Python, if any
        self.saved = {}  # id -> (tensor, value before the trace first wrote it)
        self.constants = set()  # ids of constants made in the function, not written yet
        self.lazy = {}  # id -> (tensor, make_node): a loop's value bound to a node on first use
        self.internal = {}  # id -> tensor made by a loop's trace-time iterations (capas/_function/_loops.py)

    # -- tensors -> nodes ------------------------------------------------------
    def placeholder(self, tensor, index):
        node = self.graph.placeholder(f"arg{index}")
        self._bind(tensor, node)

    def _bind(self, tensor, node):
        self.nodes[id(tensor)] = node
        self.alive.append(tensor)

    def attr(self, value):
        name = f"_capture{len(self.attrs)}"
        self.attrs[name] = value
        return self.graph.get_attr(name)

    def node_for(self, tensor):
        node = self.nodes.get(id(tensor))
        if node is None:
            lazy = self.lazy.pop(id(tensor), None)
            if lazy is not None:
                node = lazy[1]()
            elif id(tensor) in self.internal:
                # Only autograd reaches a tensor of a loop's unrecorded iterations (a tape inside
                # the function differentiating through the loop): no graph can replay that.
                raise _FallBack(LOOP_FALLBACK + "a gradient is taken through the loop inside the function")
            else:
                node = self._capture(tensor)
            self._bind(tensor, node)
        return node

    def _capture(self, tensor):
        return self.attr(tensor)  # captured by reference: variables stay live

    def fall_back(self, reason):
        """From here on the trace is the eager run of this call: catch up its recorded prints."""
        self.python_only = reason
        if not self.dry:
            for fn, template, tensors in self.pending:
                fn(template, *tensors)

    def _arg(self, value):
        if isinstance(value, torch.Tensor):
            return self.node_for(value)
        if isinstance(value, (list, tuple)):
            return type(value)(self._arg(v) for v in value)
        if isinstance(value, torch.Generator):
            # A seeded random op (tf.random.uniform(seed=...)) passes its generator: the graph
            # holds it by reference, so each call draws the next numbers, as TF's seeded op.
            return self.attr(value)
        return value

    # -- the recording ---------------------------------------------------------
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        written = _written_tensors(func, args, kwargs)
        for tensor in written:
            if id(tensor) in self.constants:  # first write to a constant made in the function
                self.constants.discard(id(tensor))
                self.nodes[id(tensor)] = self.graph.call_function(
                    torch.ops.aten.clone.default, (self.nodes[id(tensor)],)
                )
        for tensor in written:
            node = self.nodes.get(id(tensor))
            made_here = node is not None and node.op == "call_function"
            if not made_here and id(tensor) not in self.saved:
                self.saved[id(tensor)] = (tensor, tensor.detach().clone())
        out = func(*args, **kwargs)
        if self.python_only is not None:
            return out
        if not isinstance(out, (torch.Tensor, list, tuple)) and out is not None:
            self.fall_back(str(func))  # a tensor's value went back to Python
            return out
        if func is _LIFT_FRESH:
            # `tf.constant(0)` in the function: the graph holds a snapshot of its value, and copies
            # it before an in-place op writes it (below), so `total += 1` (torch's in-place add)
            # never changes what the next run starts from; TF's `+=` makes a new tensor.
            self._bind(out, self.attr(args[0].detach().clone()))
            self.constants.add(id(out))
            return out
        try:
            node_args = self._arg(args)
            node_kwargs = {k: self._arg(v) for k, v in kwargs.items()}
        except _FallBack as exc:
            self.fall_back(str(exc))
            return out
        guard = any(t.requires_grad and t.is_leaf for t in written)
        if guard:
            previous = self.graph.call_function(torch.is_grad_enabled)
            self.graph.call_function(torch._C._set_grad_enabled, (False,))
        node = self.graph.call_function(func, node_args, node_kwargs)
        if guard:
            self.graph.call_function(torch._C._set_grad_enabled, (previous,))
        if isinstance(out, torch.Tensor):
            self._bind(out, node)
        elif isinstance(out, (list, tuple)):
            for i, item in enumerate(out):
                if isinstance(item, torch.Tensor):
                    self._bind(item, self.graph.call_function(_getitem, (node, i)))
        return out

    def record_call(self, fn, template, tensors):
        """Record `fn(template, *tensors)` (a Python side-effect op such as tf.print)."""
        if self.python_only is not None:
            if not self.dry:
                fn(template, *tensors)
            return
        with _disable_current_modes():  # the values now: a loop may write these tensors in place later
            self.pending.append((fn, template, [t.detach().clone() for t in tensors]))
        self.graph.call_function(
            _side_effect, (self.attr(fn), self.attr(template), *[self.node_for(t) for t in tensors])
        )


LOOP_FALLBACK = "a loop over tensors stays Python: "
ITERATOR_FALLBACK = "next() of a dataset iterator"


class _FallBack(Exception):
    """Raised inside the recorder when the trace must become this call's eager run."""


def _side_effect(fn, template, *tensors):
    # A recorded tf.print. While a loop's remaining iterations run during tracing, their prints
    # are held back with the trace's own (`deferred_side_effects`), as the trace holds its prints.
    sink = getattr(_state, "sink", None)
    if sink is not None:
        sink.append((fn, template, [t.detach().clone() for t in tensors]))
        return
    fn(template, *tensors)


class deferred_side_effects:
    """Within this block, recorded side effects (tf.print) go to `sink` instead of running."""

    def __init__(self, sink):
        self.sink = sink

    def __enter__(self):
        self.previous = getattr(_state, "sink", None)
        _state.sink = self.sink

    def __exit__(self, *exc):
        _state.sink = self.previous


class recording:
    """Within this block, `current_recorder()` is `recorder` (a loop body's recorder)."""

    def __init__(self, recorder):
        self.recorder = recorder

    def __enter__(self):
        self.previous = current_recorder()
        _state.recorder = self.recorder

    def __exit__(self, *exc):
        _state.recorder = self.previous


class outside_trace:
    """Within this block no trace records (`tf.init_scope`): ops run eagerly and stay done."""

    def __enter__(self):
        self.previous = current_recorder()
        if self.previous is None:
            self.modes = None
            return
        self.modes = _disable_current_modes()
        self.modes.__enter__()
        _state.recorder = None

    def __exit__(self, *exc):
        if self.modes is not None:
            _state.recorder = self.previous
            self.modes.__exit__(*exc)


_LIFT_FRESH = torch.ops.aten.lift_fresh.default


def _getitem(sequence, index):
    return sequence[index]


def _written_tensors(func, args, kwargs):
    schema = getattr(func, "_schema", None)
    if schema is None or not schema.is_mutable:
        return ()
    written = []
    for i, argument in enumerate(schema.arguments):
        if argument.alias_info is None or not argument.alias_info.is_write:
            continue
        value = args[i] if i < len(args) else kwargs.get(argument.name)
        if isinstance(value, torch.Tensor):
            written.append(value)
        elif isinstance(value, (list, tuple)):  # _foreach_add_(self: Tensor(a!)[], ...)
            written.extend(v for v in value if isinstance(v, torch.Tensor))
    return written


class Trace:
    """The outcome of one trace: the graph, the outputs of the traced call, the output template."""

    def __init__(self, module, result, template, python_only):
        self.module = module
        self.result = result
        self.template = template
        self.python_only = python_only


class _Slot:
    """Marks where output tensor number `index` goes back into the output structure."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def __repr__(self):
        return f"_Slot({self.index})"


def trace(fn, flat_tensors, call, dry=False, python_only=None):
    """Run `call()` (which calls `fn` on arguments holding `flat_tensors`) under a recorder.

    What the call wrote into variables and inputs is undone, unless the trace turned out
    `python_only` (and is not `dry`): then the call was simply the eager run of this call.
    `python_only` (a reason) makes it so from the start: string tensor arguments, whose ops
    (numpy) no graph can hold. A string tensor in the result makes it so at the end.
    """
    recorder = _Recorder(dry)
    recorder.python_only = python_only
    for i, tensor in enumerate(flat_tensors):
        recorder.placeholder(tensor, i)
    outer = current_recorder()
    _state.recorder = recorder
    acted = False
    try:
        with recorder:
            result = call()
            if recorder.python_only is None and holds_strings(result):
                recorder.python_only = "a tf.string result"
                if not dry:  # this was the eager run of the call: catch up its prints
                    for fn_, template, tensors in recorder.pending:
                        fn_(template, *tensors)
        acted = recorder.python_only is not None and not dry
    finally:
        _state.recorder = outer
        if not acted:
            _restore(recorder.saved)
    if recorder.python_only is not None:
        return Trace(None, result, None, recorder.python_only)
    outputs = []
    template = _make_template(result, recorder, outputs)
    recorder.graph.output(tuple(outputs))
    module = graph_module(recorder, getattr(fn, "__name__", "traced"))
    return Trace(module, result, template, None)


def graph_module(recorder, name):
    """The recorder's graph (its output already set) as a callable module."""
    root = torch.nn.Module()
    for attr, value in recorder.attrs.items():
        root.__dict__[attr] = value  # plain attributes: no parameter registration, no copies
    return torch.fx.GraphModule(root, recorder.graph, class_name=name)


def _restore(saved):
    # Tracing only traces: what the Python function wrote into variables (or
    # into its inputs) is undone, and the graph does it again when it runs.
    with torch.no_grad():
        for tensor, value in saved.values():
            if tensor.shape == value.shape:
                tensor.copy_(value)
            else:  # resized in place by the trace (an out= buffer): put the old storage back
                tensor.data = value


def _make_template(value, recorder, outputs):
    if isinstance(value, torch.Tensor):
        node = recorder.node_for(value)
        if isinstance(value, torch.nn.Parameter) or id(value) in recorder.constants:
            # TF returns the value read / a new tensor: never the graph's own constant
            node = recorder.graph.call_function(torch.ops.aten.clone.default, (node,))
        outputs.append(node)
        return _Slot(len(outputs) - 1)
    if isinstance(value, list):
        return [_make_template(v, recorder, outputs) for v in value]
    if isinstance(value, tuple):
        items = [_make_template(v, recorder, outputs) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {k: _make_template(v, recorder, outputs) for k, v in value.items()}
    if isinstance(value, (bool, int, float, complex, np.generic, np.ndarray)):
        return _Constant(convert_to_tensor(value))  # TF returns Python numbers as tensors
    return value


def python_outputs_as_tensors(value):
    """A Python-only run's result with its Python numbers as tensors, as TF's function returns them."""
    if isinstance(value, (bool, int, float, complex, np.generic, np.ndarray)):
        return convert_to_tensor(value)
    if isinstance(value, list):
        return [python_outputs_as_tensors(v) for v in value]
    if isinstance(value, tuple):
        items = [python_outputs_as_tensors(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {k: python_outputs_as_tensors(v) for k, v in value.items()}
    return value


class _Constant:
    """A returned Python value, given back as the same constant tensor on every call."""

    __slots__ = ("tensor",)

    def __init__(self, tensor):
        self.tensor = tensor


def fill_template(template, outputs):
    """Put replayed output tensors back into the structure the Python function returned."""
    if isinstance(template, _Slot):
        return outputs[template.index]
    if isinstance(template, _Constant):
        return template.tensor
    if isinstance(template, list):
        return [fill_template(v, outputs) for v in template]
    if isinstance(template, tuple):
        items = [fill_template(v, outputs) for v in template]
        return type(template)(*items) if hasattr(template, "_fields") else tuple(items)
    if isinstance(template, dict):
        return {k: fill_template(v, outputs) for k, v in template.items()}
    return template
