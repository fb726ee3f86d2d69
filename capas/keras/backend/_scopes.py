"""`keras.name_scope` and `keras.device`: the two context managers at the top of `keras`."""

import threading

import torch

from capas.variables import _scope_stack

_opened = threading.local()  # (caller, name, depth) of each open keras.name_scope, for deduplication


def _open_scopes():
    if not hasattr(_opened, "entries"):
        _opened.entries = []
    return _opened.entries


class name_scope:  # noqa: N801  (Keras's name)
    """Prefix the paths of variables created inside the block with `name/`.

    Args:
        name: The scope's name (a string without `/`).
        caller: Optional object that opens the scope (a layer); with `deduplicate`, a
            caller re-entering its own scope does not nest it twice.
        deduplicate: See `caller`.
        override_parent: A path (`"a/b"`) that replaces the enclosing scopes inside the block.

    Example:

    >>> from capas import keras
    >>> with keras.name_scope("encoder"):
    ...     v = keras.Variable(1.0, name="bias")
    >>> v.path
    'encoder/bias'
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"Argument `name` must be a string and cannot contain character `/`. Received: name={name}"
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._saved = None
        self._pushed = False

    def __enter__(self):
        stack = _scope_stack()
        entries = _open_scopes()
        if self.deduplicate and self.caller is not None and entries:
            caller, name, depth = entries[-1]
            if caller is self.caller and name == self.name and depth == len(stack):
                return self
        if self.override_parent is not None:
            self._saved = list(stack)
            stack[:] = [p for p in self.override_parent.split("/") if p]
        stack.append(self.name)
        entries.append((self.caller, self.name, len(stack)))
        self._pushed = True
        return self

    def __exit__(self, *exc):
        stack = _scope_stack()
        if self._pushed:
            stack.pop()
            _open_scopes().pop()
            self._pushed = False
        if self._saved is not None:
            stack[:] = self._saved
            self._saved = None
        return False


def _torch_device(device_name):
    if not isinstance(device_name, str):
        raise ValueError(
            f"Invalid value for argument `device_name`. Expected a string like 'gpu:0' or 'cpu'. "
            f"Received: device_name='{device_name}'"
        )
    name = device_name.lower().replace("gpu", "cuda")
    try:
        device = torch.device(name)
    except RuntimeError as error:
        raise ValueError(
            f"keras.device: cannot read the device name {device_name!r} ({error}). "
            "Use 'cpu', 'gpu', 'gpu:0', 'cuda:1' ..."
        ) from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"keras.device({device_name!r}): no CUDA GPU is available to PyTorch on this machine. "
            "Use keras.device('cpu'), or install a CUDA build of PyTorch."
        )
    return device


class device:  # noqa: N801  (Keras's name)
    """Create tensors and variables on `device_name` inside the block.

    Keras's names map to torch devices: `"cpu"`, `"gpu"`, `"gpu:1"` (= `"cuda:1"`); the block
    yields the `torch.device`. Tensors that torch creates without an explicit device (layer
    weights, `keras.ops.zeros`, ...) land on it.

    Differs from Keras: a GPU name on a machine without CUDA fails on entry with a clear
    ValueError (Keras fails at the first tensor created).

    Example:

    >>> from capas import keras
    >>> with keras.device("cpu") as d:
    ...     x = keras.ops.zeros((2,))
    >>> d, x.device.type
    (device(type='cpu'), 'cpu')
    """

    def __init__(self, device_name):
        self._device = _torch_device(device_name)

    def __enter__(self):
        self._device.__enter__()
        return self._device

    def __exit__(self, *exc):
        return self._device.__exit__(*exc)
