"""`GradientTape`: TensorFlow's tape, written as a window onto torch autograd.

As in TensorFlow, gradients are recorded only while a tape is open (and inside
`fit`/`evaluate`'s own steps): layers, models and capas ops called outside a
tape run under `torch.no_grad()`, so `model(x).numpy()` just works and eager
inference keeps no graph. PyTorch users who prefer `loss.backward()` open
`capas.record_gradients()` (or a tape) around the forward pass.
"""

import contextlib
import threading

import torch

from capas._nest import flatten as _flatten
from capas.distribute import replica as _replica
from capas._nest import map_structure

_state = threading.local()


def is_recording():
    """True when capas layers and ops should record an autograd graph."""
    return getattr(_state, "depth", 0) > 0


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


def _pack_like(structure, flat):
    values = iter(flat)
    return map_structure(lambda _: next(values), structure)


class GradientTape:
    """Record operations for automatic differentiation (TF's `tf.GradientTape`).

    Args:
        persistent: allow `gradient()` to be called more than once.
        watch_accessed_variables: accepted for compatibility; trainable
            variables are always watched (they are parameters that require grad).

    Example:

    >>> import capas as tf
    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * x
    >>> float(tape.gradient(y, x))
    6.0
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed = bool(watch_accessed_variables)
        self._watched = []
        self._used = False
        self._recording = None

    def __enter__(self):
        self._recording = record_gradients(True)
        self._recording.__enter__()
        return self

    def __exit__(self, *exc):
        recording, self._recording = self._recording, None
        return recording.__exit__(*exc)

    def watch(self, tensor):
        """Make gradients with respect to a constant tensor available.

        A plain tensor is switched to `requires_grad=True` in place (it must be
        a leaf: a constant, not the result of a recorded op).
        """
        for t in _flatten(tensor):
            if not isinstance(t, torch.Tensor):
                raise TypeError(f"GradientTape.watch() expects tensors, received {type(t).__name__}.")
            if not t.requires_grad:
                if not (t.is_floating_point() or t.is_complex()):
                    raise TypeError(
                        f"GradientTape.watch() can only watch floating tensors, received dtype {t.dtype}. "
                        "Cast it first: tf.cast(x, 'float32')."
                    )
                if t.grad_fn is not None:
                    continue
                t.requires_grad_(True)
            self._watched.append(t)

    def watched_variables(self):
        return tuple(self._watched)

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stop recording operations inside the tape's block."""
        depth = getattr(_state, "depth", 0)
        _state.depth = 0
        try:
            with torch.no_grad():
                yield
        finally:
            _state.depth = depth

    def reset(self):
        self._watched = []
        self._used = False

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """Gradients of `target` with respect to `sources` (any nested structure).

        Sources not connected to the target give None (or zeros with
        `unconnected_gradients='zero'`). A non-persistent tape can be asked once.
        """
        if self._used and not self._persistent:
            raise RuntimeError(
                "GradientTape.gradient() can only be called once on a non-persistent tape. "
                "Create the tape with tf.GradientTape(persistent=True) to ask for several gradients."
            )
        flat_sources = _flatten(sources)
        for s in flat_sources:
            if not isinstance(s, torch.Tensor):
                raise TypeError(
                    f"GradientTape.gradient() sources must be tensors or variables, received {type(s).__name__}."
                )
        targets = _flatten(target)
        if output_gradients is not None:
            grad_outputs = [torch.as_tensor(g) for g in _flatten(output_gradients)]
        else:
            grad_outputs = None
        connected = [i for i, s in enumerate(flat_sources) if s.requires_grad]
        results = [None] * len(flat_sources)
        live_targets = [t for t in targets if isinstance(t, torch.Tensor) and t.requires_grad]
        if connected and live_targets:
            if grad_outputs is None:
                outs = [t if t.dim() == 0 else t.sum() for t in live_targets]
                gouts = None
            else:
                outs = live_targets
                gouts = [g for t, g in zip(targets, grad_outputs) if isinstance(t, torch.Tensor) and t.requires_grad]
            wrt = [flat_sources[i] for i in connected]
            # under tf.distribute (strategy.run, distributed fit) DDP's reducer reduces across replicas
            grads = _replica.gradient(outs, wrt, gouts, self._persistent) if _replica.active() else None
            if grads is None:
                grads = torch.autograd.grad(outs, wrt, grad_outputs=gouts, retain_graph=self._persistent,
                                            allow_unused=True)
            for i, g in zip(connected, grads):
                results[i] = g
        if unconnected_gradients == "zero":
            results = [torch.zeros_like(s) if g is None else g for s, g in zip(flat_sources, results)]
        self._used = True
        return _pack_like(sources, results)

    def jacobian(self, target, sources):
        """Jacobian of `target` w.r.t. each source (persistent tape recommended)."""
        flat_sources = _flatten(sources)
        flat_target = target.reshape(-1)
        rows = []
        for i in range(flat_target.numel()):
            grads = torch.autograd.grad(flat_target[i], flat_sources, retain_graph=True, allow_unused=True)
            rows.append(grads)
        self._used = True
        out = []
        for j, s in enumerate(flat_sources):
            stacked = torch.stack([r[j] if r[j] is not None else torch.zeros_like(s) for r in rows])
            out.append(stacked.reshape(tuple(target.shape) + tuple(s.shape)))
        return _pack_like(sources, out)
