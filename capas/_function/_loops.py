"""The runtime of converted loops: `for x in tf.range(...)` inside a `tf.function` (see `_autograph.py`).

`_autograph.py` rewrites such a loop into a call of `for_range(range_fn, arguments, body,
getters, setter, names)`: `body(index)` is the loop body as a nested function whose assigned
names are `nonlocal`, `getters` read those names (`UNDEFINED` where unbound) and `setter`
writes them. Outside a trace, or when no bound is a tensor, `for_range` is the Python loop.

Inside a trace with a tensor bound it does what TensorFlow's `tf.while_loop` does for AutoGraph:

1. the first iteration runs under a recorder of its own (`_BodyRecorder`), which records the
   body once as a sub-graph: its inputs are the loop index, the loop-carried tensors (names
   assigned in the body that held tensors before the loop) and any outer tensor the body reads;
   its outputs are the carried tensors and the tensors first assigned in the body;
2. the remaining iterations of this call run that sub-graph (so the body's Python side effects
   happen once, while tracing; its `tf.print`s wait with the trace's own);
3. one node, `_run_loop`, goes into the outer graph: each replay evaluates `tf.range` with the
   bounds of that call and runs the sub-graph that many times.

When the body reads a tensor's value into Python, when a name that held a Python value (or
nothing that fits: another dtype or shape) changes in the body, or when the loop runs 0 times
while tracing, the trace falls back to today's rule: it becomes this call's eager run and the
function runs as Python on every call (`python_only`, `decorator.py` warns once).
"""

import torch
from torch.utils._python_dispatch import TorchDispatchMode, _disable_current_modes

from capas._function import _trace
from capas.ops import _convert
from capas.ops import array as _array


class _Undefined:
    """The value of a loop's name that is not bound before the loop."""

    __slots__ = ()

    def __repr__(self):
        return "UNDEFINED"


UNDEFINED = _Undefined()


def arguments(*args, **kwargs):
    """The arguments of the loop's `tf.range(...)` call, evaluated where the loop stood."""
    return args, kwargs


def for_range(range_fn, arguments, body, getters, setter, names):
    """Run `for names[0] in range_fn(*args, **kwargs): body` (see the module docstring)."""
    args, kwargs = arguments
    recorder = _trace.current_recorder()
    if (
        recorder is None
        or recorder.python_only is not None
        or range_fn is not _array.range
        or not any(isinstance(a, torch.Tensor) for a in (*args, *kwargs.values()))
    ):
        for index in range_fn(*args, **kwargs):
            body(index)
        return
    _graph_loop(recorder, range_fn, args, kwargs, body, getters, setter, names)


def _read(getter):
    try:
        return getter()
    except NameError:  # UnboundLocalError too; a free variable not yet bound
        return UNDEFINED


class _Marker(TorchDispatchMode):
    """Notes every tensor the unrecorded iterations make (`_Recorder.internal`)."""

    @classmethod
    def _should_skip_dynamo(cls):
        return False

    def __init__(self, internal):
        super().__init__()
        self.internal = internal

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        given = {id(a) for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor)}
        for item in out if isinstance(out, (list, tuple)) else (out,):
            if isinstance(item, torch.Tensor) and id(item) not in given:  # in-place ops return their input
                self.internal[id(item)] = item
        return out


class _BodyRecorder(_trace._Recorder):
    """Records one iteration of a loop body; outer tensors it reads become inputs of the body."""

    def __init__(self, outer):
        super().__init__(outer.dry)
        self.outer = outer
        self.pending = outer.pending  # one list: prints stay in order if the trace falls back
        self.free_tensors = []
        self.free_nodes = []  # the outer graph's nodes for free_tensors
        self.carried_nodes = set()
        self.last_placeholder = None

    def input(self, tensor, name):
        if self.last_placeholder is None:
            node = self.graph.placeholder(name)
        else:
            with self.graph.inserting_after(self.last_placeholder):
                node = self.graph.placeholder(name)
        self.last_placeholder = node
        self._bind(tensor, node)
        return node

    def _capture(self, tensor):
        outer_node = self.outer.node_for(tensor)
        self.free_tensors.append(tensor)
        self.free_nodes.append(outer_node)
        return self.input(tensor, f"free{len(self.free_tensors) - 1}")


class _LoopSpec:
    """What a `_run_loop` node needs besides its tensors: the range call, the body, the counts."""

    def __init__(self, range_fn, template, body, n_bounds, n_carried, temp_names):
        self.range_fn = range_fn
        self.template = template  # (args, kwargs) with _trace._Slot(i) for bound tensor i
        self.body = body
        self.n_bounds = n_bounds
        self.n_carried = n_carried
        self.temp_names = temp_names


def _run_loop(spec, *tensors):
    """A loop node of a traced graph: `tf.range` with this call's bounds, then the body per index."""
    bounds = tensors[: spec.n_bounds]
    args, kwargs = _trace.fill_template(spec.template, bounds)
    sequence = spec.range_fn(*args, **kwargs)
    end = spec.n_bounds + spec.n_carried
    # The carried values may be graph-owned (a constant of the trace): the body writes copies.
    values = [t.clone() for t in tensors[spec.n_bounds : end]]
    free = tensors[end:]
    last = (None,) * len(spec.temp_names)
    for index in sequence:
        out = spec.body(index, *values, *free)
        values, last = out[: spec.n_carried], out[spec.n_carried :]
    return (*values, *last)


def _loop_local(outputs, index, name):
    value = outputs[index]
    if value is None:
        raise ValueError(
            f"tf.function: '{name}' is first assigned inside a `for ... in tf.range(...)` loop and read "
            f"after it, but the loop ran 0 times in this call, so '{name}' has no value. Give '{name}' a "
            "value before the loop (TensorFlow requires it too)."
        )
    return value


def _bound_template(args, kwargs, bounds):
    def slot(value):
        if isinstance(value, torch.Tensor):
            bounds.append(value)
            return _trace._Slot(len(bounds) - 1)
        return value

    return tuple(slot(a) for a in args), {k: slot(v) for k, v in kwargs.items()}


def _same_kind(before, after):
    return (
        isinstance(after, torch.Tensor)
        and after.dtype == before.dtype
        and after.shape == before.shape
        and after.device == before.device
    )


def _graph_loop(recorder, range_fn, args, kwargs, body, getters, setter, names):
    internal = {}
    with _disable_current_modes(), _Marker(internal):
        sequence = range_fn(*args, **kwargs)  # the bounds of this call, read outside the trace
        indices = list(sequence)
    if not indices:
        if not recorder.dry:
            recorder.fall_back(
                _trace.LOOP_FALLBACK + "the loop runs 0 times while tracing, so its body cannot be recorded"
            )
            return
        # get_concrete_function traces with zeros for TensorSpecs: record the body all the same
        # (a dry trace neither acts nor returns its values; only the graph is kept).
        with _disable_current_modes():
            indices = [torch.zeros((), dtype=sequence.dtype)]
    before = _promote_numbers([_read(g) for g in getters], setter)
    sub = _BodyRecorder(recorder)
    sub.input(indices[0], "index")
    # names[0] is the loop's target: assigned first thing in the body, never an input.
    carried = [k for k in range(1, len(names)) if isinstance(before[k], torch.Tensor)]
    _own_objects(before, carried, setter)
    for k in carried:
        sub.carried_nodes.add(sub.input(before[k], f"carried_{names[k]}"))
    try:
        with _disable_current_modes(), _trace.recording(sub), sub:
            body(indices[0])
    finally:
        for key, value in sub.saved.items():
            recorder.saved.setdefault(key, value)  # the outer trace undoes the body's writes too
    if sub.python_only is not None:
        recorder.python_only = sub.python_only  # the shared prints were caught up by `sub`
        _python_loop(body, indices[1:])
        return
    after = [_read(g) for g in getters]
    reason = _unfit(names, before, after, carried)
    if reason is not None:
        recorder.fall_back(_trace.LOOP_FALLBACK + reason)
        _python_loop(body, indices[1:])
        return
    temps = [k for k in range(len(names)) if k not in carried and isinstance(after[k], torch.Tensor)]
    outputs = [_output_node(sub, after[k]) for k in (*carried, *temps)]
    sub.graph.output(tuple(outputs))
    module = _trace.graph_module(sub, "loop_body")

    # This call's real values: the remaining iterations run the recorded body.
    values = [after[k] for k in carried]
    last = [after[k] for k in temps]
    with _disable_current_modes(), _Marker(internal), _trace.deferred_side_effects(recorder.pending):
        for index in indices[1:]:
            out = module(index, *values, *sub.free_tensors)
            values, last = list(out[: len(carried)]), list(out[len(carried) :])
        finals = [t.clone() for t in (*values, *last)]  # new objects for the names, bound below
    bounds = []
    template = _bound_template(args, kwargs, bounds)
    spec = _LoopSpec(range_fn, template, module, len(bounds), len(carried), [names[k] for k in temps])
    inputs = [recorder.node_for(t) for t in bounds] + [recorder.node_for(before[k]) for k in carried]
    for tensor in sub.alive:
        internal[id(tensor)] = tensor
    for tensor in (*bounds, *(before[k] for k in carried), *sub.free_tensors):
        internal.pop(id(tensor), None)  # the loop's inputs are the outer trace's own tensors
    recorder.internal.update(internal)
    loop = recorder.graph.call_function(_run_loop, (recorder.attr(spec), *inputs, *sub.free_nodes))
    for j, tensor in enumerate(finals[: len(carried)]):
        recorder._bind(tensor, recorder.graph.call_function(_trace._getitem, (loop, j)))
    for j, tensor in enumerate(finals[len(carried) :]):
        position, name = len(carried) + j, names[temps[j]]

        def make(position=position, name=name):
            return recorder.graph.call_function(_loop_local, (loop, position, name))

        recorder.lazy[id(tensor)] = (tensor, make)
        recorder.alive.append(tensor)
    state = [UNDEFINED] * len(names)
    for k, tensor in zip((*carried, *temps), finals):
        state[k] = tensor
    setter(state)


def _promote_numbers(before, setter):
    # As tf.while_loop does with AutoGraph's loop variables: a Python number the body assigns
    # (`total = 0` before `total += i`) enters the loop as a tensor (int32, float32, bool).
    state = [UNDEFINED] * len(before)
    for k in range(1, len(before)):
        if isinstance(before[k], (bool, int, float)):
            before[k] = state[k] = _convert.convert_to_tensor(before[k])
    if any(value is not UNDEFINED for value in state):
        setter(state)
    return before


def _own_objects(before, carried, setter):
    # Each carried name gets a tensor object of its own (an alias, recorded in the outer graph):
    # after `y = x`, the body's `y * x` must read `y` from the carried input and `x` from outside.
    state = [UNDEFINED] * len(before)
    for k in carried:
        before[k] = state[k] = torch.ops.aten.alias.default(before[k])
    if carried:
        setter(state)


def _python_loop(body, indices):
    for index in indices:
        body(index)


def _unfit(names, before, after, carried):
    for k in range(1, len(names)):
        if k in carried:
            if not _same_kind(before[k], after[k]):
                return (
                    f"`{names[k]}` changes dtype, shape or kind in the loop "
                    f"({_describe(before[k])} before, {_describe(after[k])} after one iteration)"
                )
        elif before[k] is not UNDEFINED and not _unchanged(before[k], after[k]):
            return (
                f"`{names[k]}` holds a Python {_describe(before[k])} that the loop replaces, and capas's "
                "graph loops carry only tensors"
            )
    return None


def _unchanged(before, after):
    if after is before:
        return True
    return type(after) is type(before) and isinstance(before, (int, float, str, bytes)) and after == before


def _describe(value):
    if isinstance(value, torch.Tensor):
        return f"tensor {str(value.dtype).replace('torch.', '')} {list(value.shape)}"
    return type(value).__name__


def _output_node(sub, tensor):
    node = sub.node_for(tensor)
    if node.op == "get_attr" or (node.op == "placeholder" and node not in sub.carried_nodes):
        # A constant, an outer tensor or the index: the next iteration may write it in place.
        node = sub.graph.call_function(torch.ops.aten.clone.default, (node,))
    return node


def bakes_shapes(spec, check):
    """Whether a loop's body graph records traced shapes as numbers (`check` tests one graph)."""
    return check(spec.body)
