"""A memory budget for rebuilding a model from a config.

A config is a few bytes that can declare `Dense(units=10**9)`: building it
would allocate gigabytes before any weight is read. While a model is rebuilt
from a file, `BuildBudget` watches torch's factory functions (`empty`,
`zeros`, `rand`, ...) and refuses, before allocating, once the real tensors
created exceed the budget: about twice the weights the file actually holds,
plus a small allowance. Tensors on the `meta` device or under a
`FakeTensorMode` (symbolic shape inference) cost nothing and are not counted.
"""

import math

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import _get_current_dispatch_mode_stack

from capas.keras.saving._errors import InvalidModelFileError

ALLOWANCE_BYTES = 64 * 1024 * 1024
# A JSON config carries no weights; it may still not declare more than this.
MAX_UNBACKED_BYTES = 4 * 1024 * 1024 * 1024

_SHAPED = {
    torch.empty,
    torch.zeros,
    torch.ones,
    torch.rand,
    torch.randn,
    torch.full,
    torch.normal,
    torch.randint,
    torch.empty_strided,
}


def _shape_from(args, kwargs, func):
    if func is torch.randint:
        args = args[2:] if len(args) >= 3 else args[1:] if len(args) == 2 else ()
        size = kwargs.get("size", args[0] if args else None)
    elif func is torch.normal:
        size = kwargs.get("size", args[2] if len(args) >= 3 else None)
    elif func is torch.full:
        size = kwargs.get("size", args[0] if args else None)
    else:
        size = kwargs.get("size", args[0] if len(args) == 1 or func is torch.empty_strided else args)
    if isinstance(size, int):
        return (size,)
    if isinstance(size, (tuple, list, torch.Size)) and all(isinstance(d, int) for d in size):
        return tuple(size)
    return None


def _numel(func, args, kwargs):
    if func is torch.eye:
        n = args[0] if args else kwargs.get("n")
        m = args[1] if len(args) > 1 and isinstance(args[1], int) else kwargs.get("m", n)
        return n * m if isinstance(n, int) and isinstance(m, int) else None
    shape = _shape_from(args, kwargs, func)
    return None if shape is None else math.prod(shape)


def _free(kwargs):
    device = kwargs.get("device")
    device = torch.device(device) if device is not None else torch.get_default_device()
    if device.type == "meta":
        return True
    return any(type(m).__name__ == "FakeTensorMode" for m in _get_current_dispatch_mode_stack())


class BuildBudget(TorchFunctionMode):
    """Refuse factory calls once `limit_bytes` of real tensors have been created."""

    def __init__(self, limit_bytes, filepath):
        super().__init__()
        self.limit = int(limit_bytes)
        self.filepath = filepath
        self.used = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in _SHAPED or func is torch.eye:
            numel = _numel(func, args, kwargs)
            if numel is not None and not _free(kwargs):
                dtype = kwargs.get("dtype") or torch.get_default_dtype()
                self.used += numel * torch.empty((), dtype=dtype, device="meta").element_size()
                if self.used > self.limit:
                    raise InvalidModelFileError(
                        self.filepath,
                        f"its config declares layers needing more than {self.limit} bytes of "
                        "weights, far more than the file holds (a size bomb). Refusing to "
                        "build the model.",
                    )
        return func(*args, **kwargs)


def budget_for(weights_size):
    """The budget for a file holding `weights_size` bytes of weights (None: no weights)."""
    if weights_size is None:
        return MAX_UNBACKED_BYTES
    return 2 * weights_size + ALLOWANCE_BYTES
