"""Rematerialization: `keras.remat(f)` and `keras.RematScope`, over `torch.utils.checkpoint`.

A rematerialized function keeps none of its intermediate activations for the backward pass;
autograd runs it again there (less memory, one more forward). A layer constructed inside a
`RematScope` keeps the scope's mode and rematerializes its `call` whenever it runs with
gradients, as Keras 3 does:

- `"full"`: every such layer;
- `"larger_than"`: layers whose output has more than `output_size_threshold` elements;
- `"list_of_layers"`: layers whose name is in `layer_names`;
- `"activations"`: only the `activation` function of layers that have one;
- `None`: none (a scope that switches an outer one off).
"""

import collections
import contextlib
import functools
import math
import threading

import torch
import torch.utils.checkpoint

from capas import tape as _tape

RematMode = collections.namedtuple("RematMode", ["mode", "output_size_threshold", "layer_names"])
_MODES = ("full", "activations", "larger_than", "list_of_layers", None)
_stack = threading.local()


def remat(f):
    """`f` rematerialized: its activations are recomputed in the backward pass instead of kept.

    Args:
        f: a function or layer of tensors.

    Returns:
        A function computing what `f` computes, with the same gradients.

    Example:

    >>> import torch
    >>> from capas import keras
    >>> x = torch.ones(3, requires_grad=True)
    >>> y = keras.remat(lambda t: torch.sin(t) * 2)(x)
    >>> y.sum().backward()
    >>> torch.allclose(x.grad, 2 * torch.cos(x.detach()))
    True
    """

    @functools.wraps(f)
    def rematerialized(*args, **kwargs):
        # The recomputation runs inside autograd's backward, after the GradientTape block may
        # have closed: it must record as the first run did, or capas layers would skip autograd.
        recording = _tape.is_recording()

        def run(*a, **k):
            with _recording(recording):
                return f(*a, **k)

        return torch.utils.checkpoint.checkpoint(run, *args, use_reentrant=False, **kwargs)

    return rematerialized


@contextlib.contextmanager
def _recording(recording):
    bump = recording and not _tape.is_recording()
    if bump:
        _tape._state.depth = getattr(_tape._state, "depth", 0) + 1
    try:
        yield
    finally:
        if bump:
            _tape._state.depth -= 1


class RematScope:
    """Layers constructed inside the block rematerialize their calls (see the module doc).

    Args:
        mode: `"full"`, `"activations"`, `"larger_than"`, `"list_of_layers"` or None.
        output_size_threshold: for `"larger_than"`, the output size (elements) above which a
            layer is rematerialized.
        layer_names: for `"list_of_layers"`, the names of the layers to rematerialize.

    Example:

    >>> from capas import keras
    >>> with keras.RematScope(mode="full"):
    ...     layer = keras.layers.Dense(4)
    >>> layer._remat_mode.mode
    'full'
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in _MODES:
            raise ValueError(
                f"Invalid mode '{mode}'. Supported modes are: 'full', 'activations', 'larger_than', "
                "'list_of_layers', or  None."
            )
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = layer_names or []

    def __enter__(self):
        _scopes().append(self)
        return self

    def __exit__(self, *exc):
        _scopes().pop()
        return False


def _scopes():
    if not hasattr(_stack, "scopes"):
        _stack.scopes = []
    return _stack.scopes


def current_mode():
    """The `RematMode` of the innermost open `RematScope`, or None."""
    scopes = _scopes()
    if not scopes:
        return None
    top = scopes[-1]
    return RematMode(top.mode, top.output_size_threshold, top.layer_names)


def layer_call(layer, args, kwargs, context):
    """`layer.call`, or its rematerialized form when the layer's mode asks for it in this call.

    `context()` re-enters the layer's call state (nesting depth, training flag) around the
    recomputation, so sublayers run as they did the first time.
    """
    mode = layer._remat_mode
    if mode.mode is None or not torch.is_grad_enabled():
        return layer.call

    def call(*a, **k):
        with context():
            return layer.call(*a, **k)

    if mode.mode == "full":
        return remat(call)
    if mode.mode == "list_of_layers":
        return remat(call) if layer.name in mode.layer_names else layer.call
    if mode.mode == "larger_than":
        size = _output_size(layer, args)
        return remat(call) if size and size > mode.output_size_threshold else layer.call
    if mode.mode == "activations" and getattr(layer, "activation", None) is not None:
        return _with_remat_activation(layer)
    return layer.call


def _output_size(layer, args):
    """Elements of the layer's output for these inputs (unknown dims count 1), or 0 when unknown."""
    try:
        shapes = [tuple(a.shape) for a in args if isinstance(a, torch.Tensor)]
        shape = layer.compute_output_shape(shapes[0] if len(shapes) == 1 else shapes)
    except Exception:  # noqa: BLE001 - a layer without a shape rule is not rematerialized, as in Keras
        return 0
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return sum(math.prod(d or 1 for d in s) for s in shape)
    return math.prod(d or 1 for d in shape)


def _with_remat_activation(layer):
    def call(*args, **kwargs):
        activation = layer.activation
        layer._set_untracked(activation=remat(activation))
        try:
            return layer.call(*args, **kwargs)
        finally:
            layer._set_untracked(activation=activation)

    return call
