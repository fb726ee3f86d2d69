"""Faster spellings of torch ops whose CPU kernels are slow for some shapes, with the same math.

`softmax(x, dim)`: torch's CPU softmax over a contiguous last axis vectorizes along
that axis, so an axis shorter than one vector register (16 floats: ten classes)
runs nearly scalar: 180 µs for a (1024, 10) batch on one core. Over the first axis
of the transposed view the same kernel vectorizes across the rows instead: 23 µs,
and 28 µs with the copy back to a contiguous result. The values are the same
softmax up to rounding (at most 1 ulp apart: the two kernels divide in different
orders); `log_softmax` is not rerouted since the losses call torch's fused kernels.

`addmm(bias, x, kernel)`: `bias + x @ kernel` with a Keras `(in, out)` kernel. With few
outputs (ten classes) and a row-major kernel, the CPU GEMM and the kernel's gradient
(`x.T @ grad`, a tall (in, 10) result) run nearly scalar. Multiplied by a column-major
copy of the kernel (the layout of torch's `nn.Linear` weight; 10,240 floats for a
1024-input layer), forward and backward of a (256, 1024) @ (1024, 10) layer take 0.60 ms
instead of 1.46 (torch's `F.linear`: 0.52), and a (1024, 64) @ (64, 10) predict batch
71 µs instead of 151, on one core. The gradient flows back through the copy into the
kernel's own layout. The products are summed as `F.linear` sums them (another order
than the row-major call: equal up to rounding). Eagerly, batches under 128 rows keep the
direct call, which is as fast there; a compiled step (Inductor calls the same CPU GEMMs)
always takes the column-major copy: the wide output layer with its loss, forward and
backward, 1.98 ms compiled with the row-major kernel, 0.54 ms with the copy.

>>> import torch
>>> x, w, b = torch.randn(256, 64), torch.randn(64, 10), torch.randn(10)
>>> bool(torch.allclose(addmm(b, x, w), torch.addmm(b, x, w), rtol=1e-5, atol=1e-5))
True

>>> x = torch.randn(512, 10)
>>> bool(torch.allclose(softmax(x, -1), torch.softmax(x, -1), rtol=1e-6, atol=1e-7))
True
"""

import torch

_is_compiling = torch.compiler.is_compiling
_SHORT_AXIS = 16  # floats in one AVX-512 register: shorter last axes take the transposed route
_MIN_ROWS = 128  # below this the direct kernel is as fast (measured at 8, 64 and 1024 rows)
_FEW_OUTPUTS = 16  # floats in one AVX-512 register (addmm's rerouting, as softmax's)


def softmax(x, dim=-1):
    """`torch.softmax(x, dim)`; on the CPU, a short contiguous last axis is computed across rows."""
    if (
        x.device.type == "cpu"
        and x.dim() >= 2
        and (dim == -1 or dim == x.dim() - 1)
        and x.shape[-1] < _SHORT_AXIS
        and x.dtype == torch.float32
        and x.is_contiguous()
        and x.numel() >= _MIN_ROWS * x.shape[-1]
        and not _is_compiling()  # Inductor writes its own kernel for either spelling
    ):
        classes = x.shape[-1]
        return torch.softmax(x.view(-1, classes).t(), 0).t().contiguous().view(x.shape)
    return torch.softmax(x, dim)


def addmm(bias, x, kernel):
    """`torch.addmm(bias, x, kernel)`; on the CPU, few outputs and many rows use a column-major kernel."""
    if (
        kernel.shape[1] < _FEW_OUTPUTS
        and kernel.device.type == "cpu"
        and kernel.dtype == torch.float32
        and x.dtype == torch.float32
        and bias.dtype == torch.float32
        # Compiled, always: Inductor calls the same GEMM, and reading a (dynamic) batch size would guard on it.
        and (_is_compiling() or x.shape[0] >= _MIN_ROWS)
    ):
        return torch.addmm(bias, x, kernel.t().contiguous().t())
    return torch.addmm(bias, x, kernel)
