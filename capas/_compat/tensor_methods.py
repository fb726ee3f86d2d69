"""Tensor methods that TensorFlow code uses the TensorFlow way.

* `t.numpy()` and `float(t)` work inside a GradientTape: they detach a tensor that
  requires grad (torch would raise or warn). For every call torch accepted before, the
  array is the same (a view of the tensor, as torch's `numpy()` gives) except that a
  0-d tensor gives a numpy scalar (`np.float32`), as TensorFlow's `numpy()` does.
  `Variable.numpy()` returns a copy (capas/variables.py).
* `t[::-1]`, `t[:, 4:1:-2]`: negative slice steps, which torch refuses, are answered by
  flipping the sliced dimensions (a copy, as TensorFlow's strided slice makes).
"""

import operator

import torch

_original_numpy = torch._C.TensorBase.numpy


def _numpy(self, *, force=False):
    if force:
        return _original_numpy(self, force=True)
    array = _original_numpy(self.detach() if self.requires_grad else self)
    if array.ndim == 0:
        return array[()]
    return array


_original_float = torch.Tensor.__float__


def _float(self):
    # float(loss) inside a GradientTape, as TF code writes it, without torch's warning.
    if self.requires_grad:
        return _original_float(self.detach())
    return _original_float(self)


_original_getitem = torch.Tensor.__getitem__


def _getitem(self, key):
    try:
        return _original_getitem(self, key)
    except ValueError as error:
        if "step must be greater than zero" not in str(error):
            raise
    flipped, key = _positive_steps(self, key)
    return _original_getitem(flipped, key)


def _dims_taken(item):
    """How many dimensions of the indexed tensor one index item consumes."""
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    if isinstance(item, torch.Tensor) and item.dtype == torch.bool:
        return item.dim()
    return 1


def _positive_steps(tensor, key):
    """(tensor flipped along each negative-step slice, the key rewritten with positive steps)."""
    items = key if isinstance(key, tuple) else (key,)
    explicit = sum(_dims_taken(item) for item in items)
    dim = 0
    flips = []
    rewritten = []
    for item in items:
        if item is Ellipsis:
            dim += tensor.dim() - explicit
        elif isinstance(item, slice) and item.step is not None and operator.index(item.step) < 0:
            size = tensor.shape[dim]
            picked = range(*item.indices(size))
            if len(picked) == 0:
                item = slice(0, 0)
            else:
                # position i of the original is position size-1-i of the flipped tensor
                item = slice(size - 1 - picked[0], size - picked[-1], -picked.step)
                flips.append(dim)
        rewritten.append(item)
        dim += _dims_taken(item)
    flipped = tensor.flip(flips) if flips else tensor
    return flipped, tuple(rewritten)


def install():
    if torch.Tensor.numpy is not _numpy:
        _numpy.__doc__ = _original_numpy.__doc__
        torch.Tensor.numpy = _numpy
    if torch.Tensor.__float__ is not _float:
        torch.Tensor.__float__ = _float
    if torch.Tensor.__getitem__ is not _getitem:
        torch.Tensor.__getitem__ = _getitem
