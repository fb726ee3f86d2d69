"""Faster spellings of torch ops whose CPU kernels are slow for some shapes, with the same math.

`softmax(x, dim)`: torch's CPU softmax over a contiguous last axis vectorizes along
that axis, so an axis shorter than one vector register (16 floats with AVX-512, 8 with
AVX2: ten classes with AVX-512) runs nearly scalar: 180 µs for a (1024, 10) batch on one core. Over the first axis
of the transposed view the same kernel vectorizes across the rows instead: 23 µs,
and 28 µs with the copy back to a contiguous result. The values are the same
softmax up to rounding (at most 1 ulp apart: the two kernels divide in different
orders).

`sparse_cross_entropy(logits, labels)`: `F.cross_entropy(..., reduction="none")`, which is
`log_softmax` over the classes and then `nll_loss`; its `log_softmax` has the same short-axis
problem, so with few classes and many rows it runs over the first axis of the transposed view:
a (1024, 10) batch 168 -> 24 µs forward and 271 -> 120 µs with the backward (one thread),
(256, 10) 41 -> 9 µs forward; equal values in our measurements (the same per-row arithmetic).

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

`max_pool(x, kernel, strides, padding)`: `F.max_pool1d/2d/3d`. Compiled on the CPU,
Inductor writes its own max-pool backward: a scatter-add into a zeroed channels-first
buffer, its inner loop striding across the whole activation (676 floats apart for a
26x26 map). In the benchmark CNN (batch 128) its two max-pool backward kernels (fused
with the ReLU backward) took 14 ms per step where eager mode's ATen kernels take 5 ms for
the same work, which made `jit_compile=True` slower than eager (0.85x of the torch loop).
Compiled on the CPU, max pooling is therefore one opaque op (`capas::max_pool`, with
`capas::max_pool_backward`) that Inductor calls as it is: the same ATen kernels, so the
values and gradients equal eager mode's bit for bit.

`computed_once(scalar)`: the 0-d tensor itself. Compiled on the CPU, Inductor inlines a 0-d
computation into every element loop that reads it, and the C++ compiler cannot hoist a
`pow` out of that loop (it may set errno): Adam's bias-corrected step size, `lr *
sqrt(1 - beta_2**t) / (1 - beta_1**t)`, was computed again for every 16 weights, and the
compiled update of the `wide` model's 1.9M weights took 2.1 ms instead of 0.8. A reduction
over two elements is always a buffer of its own, so `max(scalar, scalar)` (exactly
`scalar`) is computed once per step and the update loop loads it.

>>> import torch
>>> x, w, b = torch.randn(256, 64), torch.randn(64, 10), torch.randn(10)
>>> bool(torch.allclose(addmm(b, x, w), torch.addmm(b, x, w), rtol=1e-5, atol=1e-5))
True

>>> x = torch.randn(512, 10)
>>> bool(torch.allclose(softmax(x, -1), torch.softmax(x, -1), rtol=1e-6, atol=1e-7))
True
>>> labels = torch.randint(0, 10, (512,))
>>> bool(torch.allclose(sparse_cross_entropy(x, labels), F.cross_entropy(x, labels, reduction="none"), rtol=1e-6))
True
"""

import torch
import torch.nn.functional as F

_is_compiling = torch.compiler.is_compiling


def _vector_floats():
    """float32 lanes in one vector of the kernels torch dispatches to here: 16 with AVX-512, else 8
    (AVX2; torch's NEON and default vectors are 8 floats wide too)."""
    return 16 if torch.backends.cpu.get_cpu_capability() == "AVX512" else 8


# Shorter last axes take the transposed route: one vector of floats. Measured on one core at 1024
# rows: with AVX-512, ten classes 180 -> 28 µs; with AVX2, seven classes 132 -> 39 µs, while ten
# (one vector and a tail) are faster direct, 42 µs against 53.
_SHORT_AXIS = _vector_floats()
_MIN_ROWS = 128  # below this the direct kernel is as fast (measured at 8, 64 and 1024 rows)
# addmm's column-major route pays up to this many outputs: 16 with AVX-512; with AVX2, ten outputs
# 1348 -> 639 µs for (1024, 784) @ (784, 10), while twelve are 2% slower rerouted.
_FEW_OUTPUTS = 16 if _SHORT_AXIS == 16 else 11


def _short_rows(x, dim):
    """Whether `x`'s contiguous last axis `dim` is short and its rows many (on the CPU, eagerly)."""
    return (
        x.device.type == "cpu"
        and x.dim() >= 2
        and (dim == -1 or dim == x.dim() - 1)
        and x.shape[-1] < _SHORT_AXIS
        and x.dtype is torch.float32  # dtypes are singletons: `==` is a Python call under capas
        and x.is_contiguous()
        and x.numel() >= _MIN_ROWS * x.shape[-1]
        and not _is_compiling()  # Inductor writes its own kernel for either spelling
    )


def softmax(x, dim=-1):
    """`torch.softmax(x, dim)`; on the CPU, a short contiguous last axis is computed across rows."""
    if _short_rows(x, dim):
        classes = x.shape[-1]
        return torch.softmax(x.view(-1, classes).t(), 0).t().contiguous().view(x.shape)
    return torch.softmax(x, dim)


def sparse_cross_entropy(logits, labels, reduction="none", ignore_index=-100):
    """`F.cross_entropy(logits, labels, reduction=reduction, ignore_index=ignore_index)` for `(batch,
    classes)` logits; on the CPU, few classes and many rows take the log-softmax across rows, then
    `nll_loss` (the same two steps)."""
    if logits.dim() == 2 and _short_rows(logits, 1):
        return F.nll_loss(torch.log_softmax(logits.t(), 0).t(), labels, reduction=reduction, ignore_index=ignore_index)
    return F.cross_entropy(logits, labels, reduction=reduction, ignore_index=ignore_index)


def addmm(bias, x, kernel):
    """`torch.addmm(bias, x, kernel)`; on the CPU, few outputs and many rows use a column-major kernel."""
    if (
        kernel.shape[1] < _FEW_OUTPUTS
        and kernel.device.type == "cpu"
        and kernel.dtype is torch.float32
        and x.dtype is torch.float32
        and bias.dtype is torch.float32
        # Compiled, always: Inductor calls the same GEMM, and reading a (dynamic) batch size would guard on it.
        and (_is_compiling() or x.shape[0] >= _MIN_ROWS)
    ):
        return torch.addmm(bias, x, kernel.t().contiguous().t())
    return torch.addmm(bias, x, kernel)


def computed_once(scalar):
    """`scalar` (a 0-d tensor); compiled on the CPU, a buffer of its own rather than a value recomputed in
    every element loop that reads it (see the module docstring)."""
    if not (_is_compiling() and scalar.device.type == "cpu"):
        return scalar
    return torch.stack((scalar, scalar)).amax()


_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_MAX_POOL_WITH_INDICES = {2: torch.ops.aten.max_pool2d_with_indices, 3: torch.ops.aten.max_pool3d_with_indices}
_MAX_POOL_BACKWARD = {
    2: torch.ops.aten.max_pool2d_with_indices_backward,
    3: torch.ops.aten.max_pool3d_with_indices_backward,
}


def max_pool(x, kernel, strides, padding=0):
    """`F.max_pool{1,2,3}d(x, kernel, strides, padding)` (channels first); compiled on the CPU, one opaque op."""
    rank = x.dim() - 2
    if not (_is_compiling() and x.device.type == "cpu" and rank in _MAX_POOL):
        return _MAX_POOL[rank](x, kernel, strides, padding)
    kernel, strides, padding = (_ints(value, rank) for value in (kernel, strides, padding))
    if rank == 1:  # as a 2-D pooling over a height of one
        out = _OpaqueMaxPool.apply(x.unsqueeze(-2), [1] + kernel, [1] + strides, [0] + padding)[0]
        return out.squeeze(-2)
    return _OpaqueMaxPool.apply(x, kernel, strides, padding)[0]


def _ints(value, rank):
    return [int(v) for v in value] if isinstance(value, (tuple, list)) else [int(value)] * rank


def _max_pool_with_indices(
    x: torch.Tensor, kernel: list[int], strides: list[int], padding: list[int]
) -> tuple[torch.Tensor, torch.Tensor]:
    return _MAX_POOL_WITH_INDICES[len(kernel)](x, kernel, strides, padding)


def _max_pool_gradient(
    grad: torch.Tensor,
    x: torch.Tensor,
    indices: torch.Tensor,
    kernel: list[int],
    strides: list[int],
    padding: list[int],
) -> torch.Tensor:
    dilation = [1] * len(kernel)
    return _MAX_POOL_BACKWARD[len(kernel)](grad, x, kernel, strides, padding, dilation, False, indices)


# The ATen calls serve as the ops' kernels and, on fake tensors, as their shape functions (ATen's meta kernels).
_max_pool_op = torch.library.custom_op("capas::max_pool", _max_pool_with_indices, mutates_args=())
_max_pool_op.register_fake(_max_pool_with_indices)
_max_pool_backward_op = torch.library.custom_op("capas::max_pool_backward", _max_pool_gradient, mutates_args=())
_max_pool_backward_op.register_fake(_max_pool_gradient)


class _OpaqueMaxPool(torch.autograd.Function):
    """Max pooling whose forward and backward Inductor calls as ATen's kernels: `(values, indices)`."""

    @staticmethod
    def forward(x, kernel, strides, padding):
        return _max_pool_op(x, kernel, strides, padding)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, kernel, strides, padding = inputs
        ctx.args = (kernel, strides, padding)
        ctx.save_for_backward(x, output[1])
        ctx.mark_non_differentiable(output[1])

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        x, indices = ctx.saved_tensors
        return _max_pool_backward_op(grad, x, indices, *ctx.args), None, None, None
