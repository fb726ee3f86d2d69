"""`GradientTape`: TensorFlow's tape, written as a window onto torch autograd.

What TensorFlow defines, and how capas gets it:

- **Recording only inside a tape.** capas layers, models and ops called
  outside a tape (or `capas.record_gradients()`) run under `torch.no_grad()`,
  so `model(x).numpy()` just works and eager inference keeps no graph.
- **Which sources get a gradient** is decided by the tape, not by
  `requires_grad`: a trainable variable (any `torch.nn.Parameter` that
  requires grad) when the tape watches accessed variables, a tensor or
  variable the tape `watch()`ed, or a tensor computed while the tape was
  recording (an intermediate result). Anything else gives `None`, as in TF:
  `x = x + 1` turns a variable into a tensor computed outside the tape, a
  non-trainable variable is not watched, an unwatched constant is not either.
  Recorded ops carry autograd sequence numbers, so "computed while this tape
  was recording" is one integer comparison.
- **`watch()` is scoped to its tape.** A constant is switched to
  `requires_grad=True` while a tape that watches it is open and switched back
  when the last such tape closes; another tape that did not watch it gives
  `None` for it.

Why not toggle every variable's `requires_grad` when the outermost tape opens
and closes? `requires_grad` is the trainable flag that torch optimizers, DDP,
`p.requires_grad` counts and capas's own weight lists read, `loss.backward()`
after a `record_gradients()` block would silently skip variables whose flag
was switched off, and every tape would pay a walk over all live variables.
The cost of the choice made here: a raw torch operator on a variable outside
any tape (`v * 2`) still builds a graph (harmless: `.numpy()` works on it, and
the tape ignores it for sources). See `docs/tape.md`.

PyTorch users who prefer `loss.backward()` open `capas.record_gradients()`
(or a tape) around the forward pass.
"""

import contextlib
import enum
import threading
import warnings

import torch

from capas._malloc import retain_freed_memory
from capas._nest import flatten as _flatten
from capas.distribute import replica as _replica
from capas._nest import map_structure
from capas._tape import _graph, _jacobian
from capas.ops._convert import dtype_name

_state = threading.local()
_get_sequence_nr = torch._C._autograd._get_sequence_nr
_is_compiling = torch.compiler.is_compiling
_OPEN_END = 2**63


def _next_seq(default=0):
    """The autograd sequence number the next recorded op will get.

    torch.compile cannot trace autograd's counter; in compiled code the tape
    gets `default` instead (0 for "since the start", `_OPEN_END` for "until the end").
    """
    if _is_compiling():
        return default
    return _get_sequence_nr()


_Parameter = torch.nn.Parameter
_set_grad_enabled = torch._C._set_grad_enabled  # what torch.enable_grad() calls, without the object


class UnconnectedGradients(enum.Enum):
    """What `GradientTape.gradient` returns for a source the target does not depend on.

    `NONE` (the default) gives `None`, `ZERO` gives zeros shaped like the source.

    Example:

    >>> import capas as tf
    >>> x, y = tf.Variable(2.0), tf.Variable(3.0)
    >>> with tf.GradientTape() as tape:
    ...     z = y * y
    >>> float(tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))
    0.0
    """

    NONE = "none"
    ZERO = "zero"


def is_recording():
    """True when capas layers and ops should record an autograd graph."""
    return getattr(_state, "depth", 0) > 0


def _open_tapes():
    tapes = getattr(_state, "tapes", None)
    if tapes is None:
        tapes = _state.tapes = []
    return tapes


def _switched():
    # Tensors whose requires_grad a tape's watch() turned on: id -> tensor.
    switched = getattr(_state, "switched", None)
    if switched is None:
        switched = _state.switched = {}
    return switched


@contextlib.contextmanager
def record_gradients(enabled=True):
    """Record autograd graphs for capas layers and ops inside the block.

    `with capas.record_gradients(): loss = loss_fn(y, model(x)); loss.backward()`
    is the PyTorch way of writing a training step with capas models.
    """
    depth = getattr(_state, "depth", 0)
    _state.depth = depth + 1 if enabled else 0
    try:
        with torch.enable_grad() if enabled else torch.no_grad():
            yield
    finally:
        _state.depth = depth


def note_layer_call(layer):
    """Tell the open tapes that `layer` ran (its trainable weights count as accessed)."""
    for tape in getattr(_state, "tapes", ()):
        if tape._watch_accessed:
            tape._layers[id(layer)] = layer


def _pack_like(structure, flat):
    values = iter(flat)
    return map_structure(lambda _: next(values), structure)


def _is_float(t):
    return t.is_floating_point() or t.is_complex()


def _unconnected_is_zero(value):
    value = getattr(value, "value", value)
    if value not in ("none", "zero"):
        raise ValueError(
            f"GradientTape: unconnected_gradients must be tf.UnconnectedGradients.NONE or .ZERO "
            f"('none' or 'zero'), received {value!r}."
        )
    return value == "zero"


class GradientTape:
    """Record operations for automatic differentiation (TF's `tf.GradientTape`).

    Operations run inside the `with` block are recorded; `gradient()` then
    differentiates a target with respect to sources: the trainable variables
    used in the block and the tensors the tape `watch()`ed.

    Args:
        persistent: allow `gradient()`/`jacobian()` to be called more than once.
        watch_accessed_variables: when True (the default) trainable variables
            used inside the block are watched; when False only what `watch()`
            is given gets gradients (other sources give None).

    Example:

    >>> import capas as tf
    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * x
    >>> float(tape.gradient(y, x))
    6.0

    Differs from TensorFlow: ops recorded before the tape opened (raw torch
    operators on variables outside any tape) are not cut from the target's graph.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed = bool(watch_accessed_variables)
        self._watched = {}  # id -> tensor or variable given to watch(), in order
        self._spans = []  # [first, end) autograd sequence numbers recorded while open
        self._layers = {}  # id -> layer called while open (watched_variables)
        self._targets = []  # graph roots asked about (watched_variables)
        self._shared = False  # another tape recorded the same ops: keep the graph
        self._reset_at = None
        self._gaps = []  # [end, start) sequence ranges another tape recorded while this one was paused
        self._used = False
        self._restore = None

    # ------------------------------------------------------------ the block
    def __enter__(self):
        tapes = _open_tapes()
        if self in tapes:
            raise ValueError("GradientTape is already recording: a tape's `with` block cannot be nested in itself.")
        if tapes:
            self._shared = True
            for tape in tapes:
                tape._shared = True
        tapes.append(self)
        retain_freed_memory()  # once per process (then a dict lookup): keep freed memory (capas._malloc)
        for t in self._watched.values():
            self._switch_on(t)
        self._spans.append([_next_seq(), None])
        # What record_gradients() does, inlined: a tape opens once per training step.
        self._restore = (getattr(_state, "depth", 0), torch.is_grad_enabled())
        _state.depth = self._restore[0] + 1
        _set_grad_enabled(True)
        return self

    def __exit__(self, *exc):
        tapes = _open_tapes()
        if self in tapes:
            tapes.remove(self)
        if self._spans and self._spans[-1][1] is None:
            self._spans[-1][1] = _next_seq(_OPEN_END)
        if self._watched:
            self._release(self._watched.values())
        restore, self._restore = self._restore, None
        if restore is not None:
            _state.depth = restore[0]
            _set_grad_enabled(restore[1])
        return False

    def _switch_on(self, t):
        if not t.requires_grad and t.grad_fn is None:
            if isinstance(t, torch.nn.Parameter):
                if "_trainable_intent" not in vars(t):
                    t._trainable_intent = False  # a watched frozen variable stays frozen
            t.requires_grad_(True)
            _switched()[id(t)] = t

    def _release(self, tensors):
        # Switch a watched constant back off once no open tape watches it.
        switched = _switched()
        tapes = _open_tapes()
        for t in list(tensors):
            if id(t) in switched and not any(id(t) in tape._watched for tape in tapes):
                del switched[id(t)]
                t.requires_grad_(False)

    def watch(self, tensor):
        """Ensure that `tensor` (a tensor, a variable, or a nested structure of them) is traced by this tape.

        Watching a non-floating tensor logs a warning and its gradient is None, as in TensorFlow.
        """
        for t in _flatten(tensor):
            if not isinstance(t, torch.Tensor):
                raise TypeError(
                    f"GradientTape.watch() expects tensors or variables, received {type(t).__name__}. "
                    "Convert it first: tf.constant(value)."
                )
            if not _is_float(t):
                warnings.warn(
                    f"The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.{dtype_name(t.dtype)}",
                    stacklevel=2,
                )
                continue
            self._watched[id(t)] = t
            if self in _open_tapes():
                self._switch_on(t)

    def watched_variables(self):
        """The variables this tape watches, in creation order.

        With `watch_accessed_variables=True`: the trainable variables of the
        layers and models called inside the block, those reached from the
        targets given to `gradient()`/`jacobian()`, and the variables given to
        `watch()`. Differs from TensorFlow: a variable used only by raw ops
        whose result was never differentiated is not listed.
        """
        found = {}
        for t in self._watched.values():
            if isinstance(t, torch.nn.Parameter):
                found[id(t)] = t
        if self._watch_accessed:
            for layer in self._layers.values():
                for v in getattr(layer, "trainable_weights", ()):
                    found.setdefault(id(v), v)
            for _, v in _graph.accessed_parameters(self._targets, self._recorded):
                found.setdefault(id(v), v)
        ordered = sorted(enumerate(found.values()), key=lambda iv: (getattr(iv[1], "_uid", float("inf")), iv[0]))
        return tuple(v for _, v in ordered)

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stop recording operations on this tape (other open tapes go on recording).

        Example:

        >>> import capas as tf
        >>> x = tf.Variable(2.0)
        >>> with tf.GradientTape() as outer:
        ...     with tf.GradientTape() as inner:
        ...         with inner.stop_recording():
        ...             y = x * x
        ...         z = y + x
        ...     dz_inner = inner.gradient(z, x)
        >>> float(dz_inner), float(outer.gradient(z, x))
        (1.0, 5.0)
        """
        tapes = _open_tapes()
        if self not in tapes:
            raise ValueError(
                "GradientTape.stop_recording(): the tape must be recording (call it inside its `with` block)."
            )
        depth = getattr(_state, "depth", 0)
        position = tapes.index(self)
        tapes.remove(self)
        paused_at = _next_seq(_OPEN_END)
        self._spans[-1][1] = paused_at
        others_record = depth > 1  # another tape or a record_gradients() block stays open
        try:
            if others_record:
                # The others record into the same autograd graph: remember the range to cut for this tape.
                _state.depth = depth - 1
                yield
            else:
                _state.depth = 0
                with torch.no_grad():
                    yield
        finally:
            _state.depth = depth
            resumed_at = _next_seq()
            if others_record and resumed_at > paused_at:
                self._gaps.append((paused_at, resumed_at))
            tapes.insert(min(position, len(tapes)), self)
            self._spans.append([resumed_at, None])

    def reset(self):
        """Forget everything recorded so far, as if the block had just been entered with a new tape."""
        watched = list(self._watched.values())
        self._watched = {}
        self._release(watched)
        self._layers = {}
        self._targets = []
        self._used = False
        now = _next_seq()
        self._reset_at = now
        self._gaps = []
        self._spans = [[now, None]] if self in _open_tapes() else []

    # ------------------------------------------------------------ gradients
    def _check_usable(self, what):
        if self._used and not self._persistent:
            raise RuntimeError(
                f"GradientTape.{what}(): a non-persistent GradientTape can only be used to compute one set of "
                "gradients (or jacobians). Create it with tf.GradientTape(persistent=True) to ask several times."
            )

    def _blocked(self, seq):
        """Whether an op with autograd sequence number `seq` is outside what this tape recorded."""
        if self._reset_at is not None and seq < self._reset_at:
            return True
        return any(end <= seq < start for end, start in self._gaps)

    def _recorded(self, node):
        seq = node._sequence_nr()
        return any(first <= seq and (end is None or seq < end) for first, end in self._spans)

    def _source_indices(self, flat):
        """Indices of the sources this tape gives a gradient for (the others get None)."""
        watched = self._watched
        accessed = self._watch_accessed
        wanted = []
        for i, s in enumerate(flat):
            # issubclass, not isinstance: Parameter's metaclass makes isinstance slow.
            if issubclass(type(s), _Parameter):
                # Variables and torch parameters: watched when trainable (requires_grad) or watch()ed.
                if (accessed and s.requires_grad) or id(s) in watched:
                    wanted.append(i)
            elif id(s) in watched:
                wanted.append(i)
            else:
                # An intermediate result counts when this tape recorded it.
                node = s.grad_fn
                if node is not None and self._recorded(node):
                    wanted.append(i)
        return wanted

    def _create_graph(self):
        # Gradients are themselves recorded when another tape is recording (second derivatives).
        tapes = getattr(_state, "tapes", ())
        if len(tapes) == 0 or not (getattr(_state, "depth", 0) and torch.is_grad_enabled()):
            return False
        return any(tape is not self or tape._persistent for tape in tapes)

    def _checked_sources(self, sources, what):
        flat = _flatten(sources)
        for s in flat:
            if not isinstance(s, torch.Tensor):
                raise TypeError(
                    f"GradientTape.{what}() sources must be tensors or variables, received {type(s).__name__}."
                )
        return flat

    def _grad(self, outs, inputs, upstream, retain, create):
        """`torch.autograd.grad` of `outs` w.r.t. `inputs`, honouring reset() and closed watches."""
        if _replica.active():  # tf.distribute: DDP's reducer reduces the gradients across replicas
            return _replica.gradient(outs, inputs, upstream, retain, create)
        if self._reset_at is None and not self._gaps and all(t.requires_grad for t in inputs):
            return torch.autograd.grad(
                outs, inputs, grad_outputs=upstream, retain_graph=retain, create_graph=create, allow_unused=True
            )
        results = [None] * len(inputs)
        with self._differentiable(inputs), self._cut([o.grad_fn for o in outs], inputs) as kept:
            live = [i for i, s in enumerate(kept) if s is not None]
            if live:
                grads = torch.autograd.grad(
                    outs,
                    [inputs[i] for i in live],
                    grad_outputs=upstream,
                    retain_graph=retain,
                    create_graph=create,
                    allow_unused=True,
                )
                for i, g in zip(live, grads):
                    results[i] = g
        return results

    @contextlib.contextmanager
    def _differentiable(self, inputs):
        # A watched constant is switched off once its tape closes; autograd needs it on to be an input.
        off = [t for t in inputs if not t.requires_grad]
        for t in off:
            t.requires_grad_(True)
        try:
            yield
        finally:
            for t in off:
                t.requires_grad_(False)

    @contextlib.contextmanager
    def _cut(self, roots, inputs):
        # After reset(), nothing recorded before it reaches the sources; nor does anything
        # other tapes recorded while this one was paused (stop_recording).
        if self._reset_at is None and not self._gaps:
            yield inputs
            return
        handles, reachable = _graph.cut(roots, self._blocked)
        try:
            yield [s if (id(s) in reachable or id(s.grad_fn) in reachable) else None for s in inputs]
        finally:
            for h in handles:
                h.remove()

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=UnconnectedGradients.NONE):
        """Gradients of `target` with respect to `sources`, shaped like `sources`.

        Args:
            target: a tensor or a nested structure of tensors; non-scalar
                targets are summed (or weighted by `output_gradients`).
            sources: a variable, a tensor, or a nested structure (list, dict)
                of them.
            output_gradients: the upstream gradient of each target (same
                structure as `target`), None for ones.
            unconnected_gradients: `tf.UnconnectedGradients.NONE` gives None for
                sources the target does not depend on; `ZERO` gives zeros.

        Returns:
            The gradients, in the structure of `sources`.

        Raises:
            RuntimeError: a non-persistent tape asked a second time.
        """
        if self._used and not self._persistent:
            self._check_usable("gradient")
        zero = unconnected_gradients is not UnconnectedGradients.NONE and _unconnected_is_zero(unconnected_gradients)
        flat_sources = self._checked_sources(sources, "gradient")
        flat_targets = _flatten(target)
        if output_gradients is None:
            flat_upstream = [None] * len(flat_targets)
        else:
            flat_upstream = _flatten(output_gradients)
        outs, upstream = [], []
        for t, g in zip(flat_targets, flat_upstream):
            if not isinstance(t, torch.Tensor) or not t.requires_grad:
                continue
            self._targets.append(t.grad_fn)
            if g is None:
                outs.append(t if t.dim() == 0 else t.sum())
            else:
                outs.append(t)
            upstream.append(None if g is None else torch.as_tensor(g, dtype=t.dtype, device=t.device))
        results = [None] * len(flat_sources)
        wanted = self._source_indices(flat_sources) if outs else ()
        if wanted:
            create = self._create_graph()
            grads = self._grad(
                outs,
                [flat_sources[i] for i in wanted],
                None if all(g is None for g in upstream) else upstream,
                self._persistent or self._shared or create,
                create,
            )
            for i, g in zip(wanted, grads):
                results[i] = g
        if zero:
            results = [torch.zeros_like(s) if g is None else g for s, g in zip(flat_sources, results)]
        self._used = True
        if type(sources) is list:
            return results
        return _pack_like(sources, results)

    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """The Jacobian of `target` with respect to each source: shape `target.shape + source.shape`.

        `experimental_use_pfor=True` computes all rows in one vectorized
        backward pass (`torch.vmap`), False one backward pass per target
        element; `parallel_iterations` is accepted for compatibility.
        """
        self._check_usable("jacobian")
        zero = _unconnected_is_zero(unconnected_gradients)
        flat_sources = self._checked_sources(sources, "jacobian")
        results = [None] * len(flat_sources)
        wanted = self._source_indices(flat_sources)
        if isinstance(target, torch.Tensor) and target.requires_grad and wanted:
            self._targets.append(target.grad_fn)
            inputs = [flat_sources[i] for i in wanted]
            with self._differentiable(inputs), self._cut([target.grad_fn], inputs) as kept:
                live = [(i, s) for i, s in zip(wanted, kept) if s is not None]
                if live:
                    rows = _jacobian.jacobian_rows(
                        target, [s for _, s in live], self._create_graph(), bool(experimental_use_pfor)
                    )
                    for (i, _), g in zip(live, rows):
                        results[i] = g
        if zero:
            shape = tuple(getattr(target, "shape", ()))
            results = [
                torch.zeros(shape + tuple(s.shape), dtype=s.dtype, device=s.device) if g is None else g
                for s, g in zip(flat_sources, results)
            ]
        self._used = True
        return _pack_like(sources, results)

    def batch_jacobian(
        self,
        target,
        source,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """Per-example Jacobians: `result[b]` is d target[b] / d source[b].

        `target` has shape `[batch, ...]` and `source` `[batch, ...]`; the
        result has shape `[batch] + target.shape[1:] + source.shape[1:]`. Rows of
        the batch must not depend on each other (as TF assumes). An unconnected
        source gives zeros, as in TF (which ignores `unconnected_gradients` here).
        """
        self._check_usable("batch_jacobian")
        _unconnected_is_zero(unconnected_gradients)
        (source,) = self._checked_sources(source, "batch_jacobian")
        if target.dim() == 0 or source.dim() == 0 or target.shape[0] != source.shape[0]:
            raise ValueError(
                "GradientTape.batch_jacobian(): target and source need the same first (batch) dimension; "
                f"received target shape {tuple(target.shape)} and source shape {tuple(source.shape)}."
            )
        result = None
        if target.requires_grad and self._source_indices([source]):
            self._targets.append(target.grad_fn)
            with self._differentiable([source]), self._cut([target.grad_fn], [source]) as kept:
                if kept[0] is not None:
                    result = _jacobian.batch_jacobian_of(
                        target, source, self._create_graph(), bool(experimental_use_pfor)
                    )
        if result is None:
            # TF gives zeros here whatever `unconnected_gradients` says (its batch_jacobian always has).
            shape = (target.shape[0],) + tuple(target.shape[1:]) + tuple(source.shape[1:])
            result = torch.zeros(shape, dtype=target.dtype, device=source.device)
        self._used = True
        return result
