"""The runtime of converted loops in a `tf.function` (the rewriting is `_autograph.py`).

`_autograph.py` rewrites `for x in tf.range(...)` into `for_range(range_fn, arguments, body,
getters, setter, names)` and `while cond:` into `while_loop(cond, body, getters, setter,
names)`: `body` is the loop body as a nested function whose assigned names are `nonlocal`,
`getters` read those names (`UNDEFINED` where unbound) and `setter` writes them. Outside a
trace, with Python bounds, or with a Python condition, these are the Python loops.

Inside a trace with a tensor bound (a tensor condition) they do what TensorFlow's
`tf.while_loop` does for AutoGraph:

1. the body (and the condition) run once under recorders of their own (`_BodyRecorder`), which
   record them as sub-graphs: their inputs are the loop index, the loop-carried tensors (names
   assigned in the body that held tensors before the loop; Python numbers are made tensors
   first) and any outer tensor they read; the body's outputs are the carried tensors and the
   tensors first assigned in the body;
2. the remaining iterations of this call run those sub-graphs (so the body's Python side
   effects happen once, while tracing; its `tf.print`s wait with the trace's own). A loop that
   runs 0 times in the traced call has its body recorded all the same, without acting;
3. one node (`_run_loop`, `_run_while`) goes into the outer graph: each replay evaluates the
   bounds (the condition) of that call and runs the body sub-graph that many times.

When the body reads a tensor's value into Python, when a carried name changes dtype, shape or
kind, when a name holding a Python object is replaced, or when a tape inside the function
differentiates through the loop, the trace falls back to today's rule: it becomes this call's
eager run and the function runs as Python on every call (`python_only`, `decorator.py` warns).
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
        self.index_node = None
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
    body = spec.body.forward  # the generated code, without Module.__call__
    for index in sequence:
        out = body(index, *values, *free)
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
        empty = not indices
        if empty:  # record the body with a stand-in index (a 0-d tensor of the range's dtype)
            indices = [torch.zeros((), dtype=sequence.dtype, device=sequence.device)]
    # names[0] is the loop's target: assigned first thing in the body, never an input.
    loop = _Loop(recorder, getters, setter, names, first=1, internal=internal)
    sub = loop.body_recorder(index=indices[0])
    after = loop.record(sub, lambda: body(indices[0]), dry=empty)
    if after is None:
        if not empty:
            _python_loop(body, indices[1:])
        return
    module = loop.finish_body(sub, after)

    # This call's real values: the remaining iterations run the recorded body.
    values, last = loop.values(after)
    if empty:
        values = [loop.before[k] for k in loop.carried]
    with _disable_current_modes(), _Marker(internal), _trace.deferred_side_effects(recorder.pending):
        for index in indices[1:]:
            values, last = loop.split(module.forward(index, *values, *sub.free_tensors))
        finals = [_clone(t) for t in (*values, *last)]  # new objects for the names, bound below
    bounds = []
    template = _bound_template(args, kwargs, bounds)
    spec = _LoopSpec(range_fn, template, module, len(bounds), len(loop.carried), loop.temp_names())
    loop.put_node(_run_loop, spec, bounds, [sub], finals)


def while_loop(cond, body, getters, setter, names):
    """Run `while cond(): body()`; a tensor condition inside a trace makes one graph loop."""
    recorder = _trace.current_recorder()
    if recorder is None or recorder.python_only is not None:
        while cond():
            body()
        return
    going = cond()  # under the outer recorder: a Python condition stays a Python loop
    if not isinstance(going, torch.Tensor) or going.numel() != 1 or recorder.python_only is not None:
        _python_while(going, cond, body)
        return
    internal = {}
    loop = _Loop(recorder, getters, setter, names, first=0, internal=internal)
    cond_sub = loop.body_recorder()
    result = loop.record(cond_sub, lambda: cond(), condition=True)
    if result is None:
        _python_while(going, cond, body)
        return
    going = result
    if not isinstance(going, torch.Tensor) or going.numel() != 1:
        recorder.fall_back(_trace.LOOP_FALLBACK + "its condition is not one tensor value")
        _python_while(going, cond, body)
        return
    cond_sub.graph.output((cond_sub.node_for(going),))
    cond_module = _trace.graph_module(cond_sub, "loop_cond")
    with _disable_current_modes():
        first = bool(going)
    sub = loop.body_recorder()
    after = loop.record(sub, body, dry=not first)
    if after is None:
        if first:
            _python_while(cond(), cond, body)
        return
    module = loop.finish_body(sub, after)

    values, last = loop.values(after)
    if not first:
        values = [loop.before[k] for k in loop.carried]
    with _disable_current_modes(), _Marker(internal), _trace.deferred_side_effects(recorder.pending):
        while first and bool(cond_module.forward(*values, *cond_sub.free_tensors)[0]):
            values, last = loop.split(module.forward(*values, *sub.free_tensors))
        finals = [_clone(t) for t in (*values, *last)]
    spec = _WhileSpec(cond_module, len(cond_sub.free_tensors), module, len(loop.carried), loop.temp_names())
    loop.put_node(_run_while, spec, [], [cond_sub, sub], finals)


def _python_while(going, cond, body):
    while going:
        body()
        going = cond()


class _Loop:
    """What a `for` and a `while` loop share: carried names, recording, the outer node."""

    def __init__(self, recorder, getters, setter, names, first, internal):
        self.recorder, self.getters, self.setter, self.names = recorder, getters, setter, names
        self.internal = internal
        self.before = _promote_numbers([_read(g) for g in getters], setter, first)
        self.carried = [k for k in range(first, len(names)) if isinstance(self.before[k], torch.Tensor)]
        _own_objects(self.before, self.carried, setter)
        self.first = first
        self.temps = []
        self.subs = []

    def body_recorder(self, index=None):
        sub = _BodyRecorder(self.recorder)
        if index is not None:
            sub.index_node = sub.input(index, "index")
        for k in self.carried:
            sub.carried_nodes.add(sub.input(self.before[k], f"carried_{self.names[k]}"))
        self.subs.append(sub)
        return sub

    def record(self, sub, call, condition=False, dry=False):
        """Run `call` once under `sub`: the names' values after it (the condition's value), or
        None after falling back (the trace is then this call's eager run).

        `dry`: the loop runs 0 times in this call, but its body is recorded all the same (TF
        traces it too): its prints are dropped, its writes undone, its names set back.
        """
        if dry:
            sub.pending, sub.dry = [], True
        try:
            with _disable_current_modes(), _trace.recording(sub), sub:
                result = call()
        finally:
            if dry:
                with _disable_current_modes():  # not an op of an enclosing loop's body
                    _trace._restore(sub.saved)
            else:
                for key, value in sub.saved.items():
                    self.recorder.saved.setdefault(key, value)  # the outer trace undoes the body's writes too
        if condition:
            if sub.python_only is not None:
                self.recorder.python_only = sub.python_only  # the shared prints were caught up by `sub`
                return None
            return result
        after = [_read(g) for g in self.getters]
        if dry:
            # Names first bound in the body keep the recorded values (a replay that runs 0 times
            # raises if they are read); the others get their values from before the loop back.
            self.setter([self.before[k] if k in self.carried else UNDEFINED for k in range(len(self.names))])
        reason = sub.python_only
        if reason is None:
            reason = _unfit(self.names, self.before, after, self.carried, self.first)
            if reason is not None:
                reason = _trace.LOOP_FALLBACK + reason
        if reason is not None:
            if sub.python_only is not None and not dry:
                self.recorder.python_only = reason  # the shared prints were caught up by `sub`
            else:
                self.recorder.fall_back(reason)
            return None
        return after

    def finish_body(self, sub, after):
        names = range(len(self.names))
        self.temps = [k for k in names if k not in self.carried and isinstance(after[k], torch.Tensor)]
        outputs = [_output_node(sub, after[k]) for k in (*self.carried, *self.temps)]
        sub.graph.output(tuple(outputs))
        return _trace.graph_module(sub, "loop_body")

    def values(self, after):
        return [after[k] for k in self.carried], [after[k] for k in self.temps]

    def split(self, out):
        n = len(self.carried)
        return list(out[:n]), list(out[n:])

    def temp_names(self):
        return [self.names[k] for k in self.temps]

    def put_node(self, run, spec, bounds, subs, finals):
        recorder, carried = self.recorder, self.carried
        free_nodes = [node for sub in subs for node in sub.free_nodes]
        inputs = [recorder.node_for(t) for t in bounds] + [recorder.node_for(self.before[k]) for k in carried]
        for sub in self.subs:
            for tensor in sub.alive:
                self.internal[id(tensor)] = tensor
        outer_tensors = [*bounds, *(self.before[k] for k in carried)]
        outer_tensors += [t for sub in subs for t in sub.free_tensors]
        for tensor in outer_tensors:
            self.internal.pop(id(tensor), None)  # the loop's inputs are the outer trace's own tensors
        recorder.internal.update(self.internal)
        loop = recorder.graph.call_function(run, (recorder.attr(spec), *inputs, *free_nodes))
        for j, tensor in enumerate(finals[: len(carried)]):
            recorder._bind(tensor, recorder.graph.call_function(_trace._getitem, (loop, j)))
        for j, tensor in enumerate(finals[len(carried) :]):
            if tensor is None:  # an inner loop's name that its last run did not bind
                continue
            position, name = len(carried) + j, self.names[self.temps[j]]

            def make(position=position, name=name):
                return recorder.graph.call_function(_loop_local, (loop, position, name))

            def make_quiet(position=position):  # for an enclosing loop's output: None stays None
                return recorder.graph.call_function(_trace._getitem, (loop, position))

            recorder.lazy[id(tensor)] = (tensor, make, make_quiet)
            recorder.alive.append(tensor)
        state = [UNDEFINED] * len(self.names)
        for k, tensor in zip((*carried, *self.temps), finals):
            state[k] = UNDEFINED if tensor is None else tensor
        self.setter(state)


class _WhileSpec:
    """What a `_run_while` node needs besides its tensors."""

    def __init__(self, cond, n_cond_free, body, n_carried, temp_names):
        self.cond = cond
        self.n_cond_free = n_cond_free
        self.body = body
        self.n_carried = n_carried
        self.temp_names = temp_names


def _run_while(spec, *tensors):
    """A while-loop node of a traced graph: the body while the condition holds."""
    n = spec.n_carried
    values = [t.clone() for t in tensors[:n]]
    cond_free = tensors[n : n + spec.n_cond_free]
    body_free = tensors[n + spec.n_cond_free :]
    last = (None,) * len(spec.temp_names)
    cond, body = spec.cond.forward, spec.body.forward  # the generated code, without Module.__call__
    while bool(cond(*values, *cond_free)[0]):
        out = body(*values, *body_free)
        values, last = out[:n], out[n:]
    return (*values, *last)


def _promote_numbers(before, setter, first):
    # As tf.while_loop does with AutoGraph's loop variables: a Python number the body assigns
    # (`total = 0` before `total += i`) enters the loop as a tensor (int32, float32, bool).
    state = [UNDEFINED] * len(before)
    for k in range(first, len(before)):
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


def _unfit(names, before, after, carried, first):
    for k in range(first, len(names)):
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


def _clone(tensor):
    return None if tensor is None else tensor.clone()


def _output_node(sub, tensor):
    lazy = sub.lazy.get(id(tensor))
    if lazy is not None and id(tensor) not in sub.nodes:
        return lazy[2]()  # an inner loop's name, unbound when that loop ran 0 times: no error here
    node = sub.node_for(tensor)
    own = sub.carried_nodes | {sub.index_node}
    if node.op == "get_attr" or (node.op == "placeholder" and node not in own):
        # A constant or an outer tensor: the next iteration may write it in place (each
        # iteration's index is a new view of this call's range).
        node = sub.graph.call_function(torch.ops.aten.clone.default, (node,))
    return node


def bakes_shapes(spec, check):
    """Whether a loop's graphs record traced shapes as numbers (`check` tests one graph)."""
    return check(spec.body) or (isinstance(spec, _WhileSpec) and check(spec.cond))


LOOP_NODES = (_run_loop, _run_while)  # the graph nodes a converted loop puts in a trace
