"""Correctly rounded square roots for the optimizers' updates on the CPU.

On the CPU, `torch.sqrt` (and `torch._foreach_sqrt`, `pow(0.5)`) of float32 and
float64 tensors goes through MKL's vector math in its high-accuracy mode, which
allows 1 ulp of error: on an AVX-512 machine about one result in five differs
from the correctly rounded root that IEEE 754 defines, that TensorFlow returns
(Eigen's kernel is the hardware instruction), that CUDA returns, and that
Inductor's compiled code returns. MKL is also called with denormal handling
switched on explicitly, so a slot holding denormals (an Adam velocity early in
training) costs up to 30x more while flush-to-zero is on. NumPy's `sqrt` is the
hardware instruction: correctly rounded, and fast on denormals.

So the optimizers take the root of their CPU state through NumPy, on the same
memory (no copy): the eager update then equals TensorFlow's and the jit
update's bit for bit. Anything else (CUDA, other dtypes, tensor subclasses such
as FSDP's DTensor, and code being traced: `tf.function`'s recorder or dynamo)
uses torch's op, which those paths need to see.

>>> import torch
>>> v = torch.tensor([4.0, 2.0])
>>> foreach_sqrt([v])[0].tolist() == [2.0, 1.4142135381698608]
True
"""

import numpy as np
import torch

_HOST_DTYPES = (torch.float32, torch.float64)
_view = torch._C.TensorBase.numpy  # torch's own: a view, also of 0-d tensors and Variables (capas's is a value)
_PYTHON_KEY = torch._C.DispatchKey.Python
_dispatch_keys = torch._C._dispatch_keys
_dispatch_modes = torch._C._len_torch_dispatch_stack
_is_compiling = torch.compiler.is_compiling
_np_sqrt = np.sqrt


def untraced():
    """Whether the ops run now are run, not traced: no dispatch mode (`tf.function`'s recorder, fake
    tensors) and no dynamo compilation."""
    return not _dispatch_modes() and not _is_compiling()


def plain(t):
    """Whether `t` is a strided tensor of no tensor subclass (FSDP's DTensor has the Python key)."""
    return t.layout == torch.strided and not _dispatch_keys(t).has(_PYTHON_KEY)


def _on_host(tensors):
    """Whether numpy may compute on these tensors' memory: plain CPU floats, nothing tracing them.

    An optimizer's group shares one device and dtype, and its slots and temporaries are all
    plain tensors or all subclasses (FSDP's DTensor): the first tensor speaks for the group.
    """
    if not tensors or not untraced():
        return False
    t = tensors[0]
    return t.device.type == "cpu" and t.dtype in _HOST_DTYPES and not t.requires_grad and not t.is_neg() and plain(t)


def foreach_sqrt(tensors):
    """`torch._foreach_sqrt(tensors)`, correctly rounded on the CPU: new tensors."""
    if not _on_host(tensors):
        return list(torch._foreach_sqrt(tensors))
    results = []
    for t in tensors:
        r = torch.empty_like(t)
        _np_sqrt(_view(t), out=_view(r))
        results.append(r)
    return results


def foreach_sqrt_(tensors):
    """`torch._foreach_sqrt_(tensors)`, correctly rounded on the CPU: in place."""
    if not _on_host(tensors):
        torch._foreach_sqrt_(tensors)
        return
    for t in tensors:
        array = _view(t)
        _np_sqrt(array, out=array)


def sqrt(tensor):
    """`torch.sqrt(tensor)`, correctly rounded on the CPU."""
    return foreach_sqrt([tensor])[0]
