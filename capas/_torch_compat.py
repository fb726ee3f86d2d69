"""The one place capas adjusts torch's behaviour for TensorFlow code.

TensorFlow lets `loss.numpy()` run inside a GradientTape; torch refuses
`Tensor.numpy()` on a tensor that requires grad. The seed's custom training
loop does exactly that, so capas makes `Tensor.numpy()` detach first when the
tensor requires grad, and `float(tensor)` (`Tensor.__float__`) detaches the same way, so
`float(loss)` inside a tape gives no warning. Nothing else changes: for every call torch accepted
before, the result is identical (torch's own `numpy(force=True)` detaches too).
"""

import torch

_original_numpy = torch.Tensor.numpy


def _numpy(self, *, force=False):
    if self.requires_grad and not force:
        return _original_numpy(self.detach())
    return _original_numpy(self, force=force)


_original_float = torch.Tensor.__float__


def _float(self):
    # float(loss) inside a GradientTape, as TF code writes it, without torch's warning.
    if self.requires_grad:
        return _original_float(self.detach())
    return _original_float(self)


def install():
    if torch.Tensor.numpy is not _numpy:
        _numpy.__doc__ = _original_numpy.__doc__
        torch.Tensor.numpy = _numpy
    if torch.Tensor.__float__ is not _float:
        torch.Tensor.__float__ = _float

install()
