"""More top-level `tf.*` array ops: space/batch rearrangement, bitcast, broadcast shapes,
partition/stitch, sequence reversal, casts and small graph-era helpers.

Ops follow TF's argument names, dtypes (shapes come back as int32) and error types.
"""

import logging
import time

import torch

from capas import errors
from capas._function._trace import current_recorder
from capas.ops._convert import as_torch_dtype, convert_to_tensor, dtype_name
from capas.ops._recording import op
from capas.ops._utils import pair, to_tensor
from capas.ops.tensor_shape import TensorShape
from capas.variables import current_scope


def _ints(value):
    if isinstance(value, torch.Tensor):
        return [int(v) for v in value.reshape(-1).tolist()]
    return [int(v) for v in value]


@op
def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002
    """Zero-pad the spatial axes, then move `block_shape` blocks of them into the batch axis.

    >>> import capas as tf
    >>> tf.space_to_batch(tf.reshape(tf.range(4), [1, 2, 2, 1]), [2, 2], [[0, 0], [0, 0]]).shape
    torch.Size([4, 1, 1, 1])
    """
    x = to_tensor(input)
    block = _ints(block_shape)
    pads = [_ints(p) for p in (paddings.tolist() if isinstance(paddings, torch.Tensor) else paddings)]
    m = len(block)
    rest = x.dim() - 1 - m
    flat_pad = []
    for _ in range(rest):
        flat_pad += [0, 0]
    for before, after in reversed(pads):
        flat_pad += [before, after]
    padded = torch.nn.functional.pad(x, flat_pad)
    batch = padded.shape[0]
    spatial = padded.shape[1 : 1 + m]
    for size, b in zip(spatial, block):
        if size % b:
            raise errors.InvalidArgumentError(
                None, None, f"padded spatial shape {list(spatial)} must be divisible by block_shape {block}"
            )
    shape = [batch]
    for size, b in zip(spatial, block):
        shape += [size // b, b]
    shape += list(padded.shape[1 + m :])
    y = padded.reshape(shape)
    perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + list(range(1 + 2 * m, y.dim()))
    y = y.permute(perm)
    out = (
        [batch * int(torch.tensor(block).prod())]
        + [s // b for s, b in zip(spatial, block)]
        + list(padded.shape[1 + m :])
    )
    return y.reshape(out)


def space_to_batch(input, block_shape, paddings, name=None):  # noqa: A002
    """`tf.space_to_batch` (TF 2's name for `space_to_batch_nd`)."""
    return space_to_batch_nd(input, block_shape, paddings, name=name)


@op
def batch_to_space(input, block_shape, crops, name=None):  # noqa: A002
    """The inverse of `space_to_batch`: move batch blocks back into the spatial axes, then crop.

    >>> import capas as tf
    >>> x = tf.reshape(tf.range(4), [4, 1, 1, 1])
    >>> tf.reshape(tf.batch_to_space(x, [2, 2], [[0, 0], [0, 0]]), [-1]).tolist()
    [0, 1, 2, 3]
    """
    x = to_tensor(input)
    block = _ints(block_shape)
    crop = [_ints(c) for c in (crops.tolist() if isinstance(crops, torch.Tensor) else crops)]
    m = len(block)
    prod = 1
    for b in block:
        prod *= b
    if x.shape[0] % prod:
        raise errors.InvalidArgumentError(
            None, None, f"Input batch dimension ({x.shape[0]}) is not divisible by product of block sizes ({prod})"
        )
    batch = x.shape[0] // prod
    spatial = list(x.shape[1 : 1 + m])
    rest = list(x.shape[1 + m :])
    y = x.reshape(block + [batch] + spatial + rest)
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(2 * m + 1, y.dim()))
    y = y.permute(perm).reshape([batch] + [s * b for s, b in zip(spatial, block)] + rest)
    for i, (start, end) in enumerate(crop):
        y = y.narrow(1 + i, start, y.shape[1 + i] - start - end)
    return y


@op
def bitcast(input, type, name=None):  # noqa: A002 - TF's argument names
    """Reinterpret the bytes of `input` as `type`; a smaller type adds an innermost axis, a larger one consumes it.

    >>> import capas as tf
    >>> tf.bitcast(tf.constant(1.0), tf.int32).numpy().item()
    1065353216
    """
    x = to_tensor(input).contiguous()
    target = as_torch_dtype(type)
    size_in = x.element_size()
    size_out = torch.empty((), dtype=target).element_size()
    if size_in == size_out:
        return x.view(target)
    if size_in > size_out:
        return x.unsqueeze(-1).view(target)
    ratio = size_out // size_in
    if x.dim() == 0 or x.shape[-1] != ratio:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Cannot bitcast from {dtype_name(x.dtype)} to {dtype_name(target)}: the innermost axis must be "
            f"{ratio} (got shape {list(x.shape)}).",
        )
    return x.view(target).squeeze(-1)


def broadcast_static_shape(shape_x, shape_y):
    """The broadcast of two `TensorShape`s (None dims stay unknown); ValueError when they cannot broadcast.

    >>> import capas as tf
    >>> tf.broadcast_static_shape(tf.TensorShape([None, 1]), tf.TensorShape([3])).as_list()
    [None, 3]
    """
    x = list(TensorShape(shape_x).as_list()) if TensorShape(shape_x).rank is not None else None
    y = list(TensorShape(shape_y).as_list()) if TensorShape(shape_y).rank is not None else None
    if x is None or y is None:
        return TensorShape(None)
    out = []
    for i in range(1, max(len(x), len(y)) + 1):
        a = x[-i] if i <= len(x) else 1
        b = y[-i] if i <= len(y) else 1
        if a == 1:
            out.append(b)
        elif b == 1 or b is None and a is not None:
            out.append(a)
        elif a is None:
            out.append(b if b != 1 else None)
        elif a == b:
            out.append(a)
        else:
            raise ValueError(
                f"Incompatible shapes for broadcasting. Two shapes are compatible if for each dimension pair they are either equal or one of them is 1. Received: {TensorShape(x)} and {TensorShape(y)}."
            )
    return TensorShape(out[::-1])


@op
def broadcast_dynamic_shape(shape_x, shape_y):
    """The broadcast of two shape vectors, as an int32 tensor.

    >>> import capas as tf
    >>> tf.broadcast_dynamic_shape([1, 3], [2, 1]).tolist()
    [2, 3]
    """
    x = to_tensor(shape_x)
    out_dtype = x.dtype if x.dtype in (torch.int32, torch.int64) else torch.int32
    try:
        shape = torch.broadcast_shapes(tuple(_ints(shape_x)), tuple(_ints(shape_y)))
    except RuntimeError:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Incompatible shapes: [{','.join(map(str, _ints(shape_x)))}] vs. [{','.join(map(str, _ints(shape_y)))}]",
        ) from None
    return torch.tensor(list(shape), dtype=out_dtype)


@op
def dynamic_partition(data, partitions, num_partitions, name=None):
    """Split `data` into `num_partitions` tensors by the partition id of each (leading-axis) element.

    >>> import capas as tf
    >>> [p.numpy().tolist() for p in tf.dynamic_partition(tf.constant([1, 2, 3]), tf.constant([1, 0, 1]), 2)]
    [[2], [1, 3]]
    """
    data = to_tensor(data)
    parts = to_tensor(partitions).to(data.device)
    return [data[parts == i] for i in range(int(num_partitions))]


@op
def dynamic_stitch(indices, data, name=None):
    """Interleave `data` into one tensor: `merged[indices[m][i]] = data[m][i]` (later pieces win).

    >>> import capas as tf
    >>> tf.dynamic_stitch([[0, 2], [1]], [tf.constant([1, 3]), tf.constant([2])]).numpy().tolist()
    [1, 2, 3]
    """
    indices = [to_tensor(i).long() for i in indices]
    data = [to_tensor(d) for d in data]
    size = max((int(i.max()) + 1 for i in indices if i.numel()), default=0)
    inner = tuple(data[0].shape[indices[0].dim() :])
    out = torch.zeros((size,) + inner, dtype=data[0].dtype, device=data[0].device)
    for idx, values in zip(indices, data):
        out[idx.reshape(-1)] = values.reshape((-1,) + inner)
    return out


@op
def ensure_shape(x, shape, name=None):
    """Return `x`, raising `InvalidArgumentError` unless its shape is compatible with `shape` (None: any).

    >>> import capas as tf
    >>> tf.ensure_shape(tf.zeros([2, 3]), [None, 3]).shape
    torch.Size([2, 3])
    """
    x = to_tensor(x)
    expected = TensorShape(shape)
    if not expected.is_compatible_with(TensorShape(list(x.shape))):
        dims = ",".join("?" if d is None else str(d) for d in expected.as_list()) if expected.rank is not None else "?"
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Shape of tensor input [{','.join(str(d) for d in x.shape)}] is not compatible with expected shape [{dims}].",
        )
    return x


def identity_n(input, name=None):  # noqa: A002
    """The tensors of the list `input`, unchanged."""
    return [to_tensor(t) for t in input]


def tuple_(tensors, control_inputs=None, name=None):
    """The tensors, grouped (eagerly: the same list back; None entries stay None)."""
    return [t for t in tensors]


tuple_.__name__ = tuple_.__qualname__ = "tuple"  # exported as tf.tuple (a builtin's name: kept off this module)


def parallel_stack(values, name=None):
    """`tf.stack(values, axis=0)` inside a `tf.function`; eagerly a RuntimeError, as TF raises."""
    if current_recorder() is None:
        raise RuntimeError(
            "tf.parallel_stack() is not compatible with eager execution.\n"
            "Call it inside a tf.function, or use tf.stack(values) eagerly."
        )
    return _stack([to_tensor(v) for v in values])


@op
def _stack(values):
    return torch.stack(values)


@op
def realdiv(x, y, name=None):
    """`x / y` for real (floating) tensors.

    >>> import capas as tf
    >>> tf.realdiv(tf.constant([1.0]), tf.constant([4.0])).numpy().tolist()
    [0.25]
    """
    x, y = pair(x, y)
    return x / y


@op
def truncatediv(x, y, name=None):
    """Integer division rounding toward zero (`-7 // 2 == -3`).

    >>> import capas as tf
    >>> tf.truncatediv(tf.constant([-7, 7]), tf.constant([2, 2])).numpy().tolist()
    [-3, 3]
    """
    x, y = pair(x, y)
    if x.dtype.is_floating_point:
        return torch.trunc(x / y)
    return torch.div(x, y, rounding_mode="trunc")


@op
def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None):  # noqa: A002
    """Reverse the first `seq_lengths[b]` entries along `seq_axis` of each batch row `b`.

    >>> import capas as tf
    >>> tf.reverse_sequence(tf.constant([[1, 2, 3], [4, 5, 6]]), [2, 3], seq_axis=1).numpy().tolist()
    [[2, 1, 3], [6, 5, 4]]
    """
    x = to_tensor(input)
    seq_axis = 1 if seq_axis is None else int(seq_axis) % x.dim()
    batch_axis = 0 if batch_axis is None else int(batch_axis) % x.dim()
    lengths = to_tensor(seq_lengths).long().to(x.device)
    n = x.shape[seq_axis]
    pos = torch.arange(n, device=x.device)
    length = lengths.reshape(-1, 1)
    index = torch.where(pos < length, length - 1 - pos, pos)  # [batch, n]
    shape = [1] * x.dim()
    shape[batch_axis] = x.shape[batch_axis]
    shape[seq_axis] = n
    if batch_axis > seq_axis:
        index = index.T
    index = index.reshape(shape).expand_as(x)
    return torch.gather(x, seq_axis, index)


@op
def saturate_cast(value, dtype, name=None):
    """Cast to `dtype`, clamping first to its range (so 300 -> uint8 gives 255, not 44).

    >>> import capas as tf
    >>> tf.saturate_cast(tf.constant([-5.0, 300.0]), tf.uint8).numpy().tolist()
    [0, 255]
    """
    x = to_tensor(value)
    target = as_torch_dtype(dtype)
    if not target.is_floating_point and not target.is_complex and target != torch.bool:
        info = torch.iinfo(target)
        if x.dtype.is_floating_point:
            x = torch.clamp(x, float(info.min), float(info.max))
        else:
            x = torch.clamp(x.long(), info.min, info.max) if x.dtype != torch.uint64 else x
    elif target.is_floating_point and x.dtype.is_floating_point:
        info = torch.finfo(target)
        x = torch.clamp(x, info.min, info.max)
    return x.to(target)


def shape_n(input, out_type=torch.int32, name=None):  # noqa: A002
    """The shapes of the tensors of `input`, as a list of 1-D tensors.

    >>> import capas as tf
    >>> [s.numpy().tolist() for s in tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])])]
    [[2, 3], [4]]
    """
    dtype = as_torch_dtype(out_type)
    return [torch.tensor(list(to_tensor(t).shape), dtype=dtype) for t in input]


@op
def unravel_index(indices, dims, name=None):
    """The coordinates of flat `indices` in an array of shape `dims` (one row per dimension).

    >>> import capas as tf
    >>> tf.unravel_index(tf.constant([5]), [2, 3]).numpy().tolist()
    [[1], [2]]
    """
    idx = to_tensor(indices)
    coords = torch.unravel_index(idx.long(), tuple(_ints(dims)))
    return torch.stack(coords).to(idx.dtype)


def _complex(real, imag, name=None):
    """`real + imag * 1j` (float32 parts give complex64, float64 give complex128)."""
    real, imag = pair(real, imag)
    return torch.complex(real, imag)


_complex.__name__ = _complex.__qualname__ = "complex"
complex_ = op(_complex)  # exported as tf.complex


@op
def guarantee_const(input, name=None):  # noqa: A002
    """`input` unchanged (TF's hint that it is constant means nothing here)."""
    return to_tensor(input)


def inside_function():
    """True while a `tf.function` is tracing (building its graph), False eagerly."""
    return current_recorder() is not None


def timestamp(name=None):
    """The current time in seconds since the epoch, as a float64 scalar tensor."""
    return torch.tensor(time.time(), dtype=torch.float64)


def get_logger():
    """The Python logger capas writes its warnings to (`logging.getLogger('capas')`)."""
    return logging.getLogger("capas")


def gradients(ys, xs, grad_ys=None, name="gradients", **kwargs):
    """Raise RuntimeError as TF 2 does eagerly: symbolic gradients need a graph."""
    raise RuntimeError("tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead.")


def hessians(ys, xs, name="hessians", **kwargs):
    """Raise RuntimeError as TF 2 does eagerly (it is built on tf.gradients)."""
    raise RuntimeError(
        "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead "
        "(a tape inside a tape gives second derivatives)."
    )


def grad_pass_through(f):
    """Wrap `f` so its value is `f(x)` but its gradient is the identity (straight-through).

    >>> import capas as tf
    >>> x = tf.Variable(2.5)
    >>> with tf.GradientTape() as tape:
    ...     y = tf.grad_pass_through(tf.round)(x)
    >>> float(y), float(tape.gradient(y, x))
    (2.0, 1.0)
    """

    def wrapped(x, *args, **kwargs):
        x = convert_to_tensor(x) if not isinstance(x, torch.Tensor) else x
        y = f(x, *args, **kwargs)
        return x + (y - x).detach()

    return wrapped


def recompute_grad(f):
    """Wrap `f` so that its activations are recomputed in the backward pass (`torch.utils.checkpoint`)."""
    import torch.utils.checkpoint

    def wrapped(*args, **kwargs):
        return torch.utils.checkpoint.checkpoint(f, *args, use_reentrant=False, **kwargs)

    return wrapped


def get_current_name_scope():
    """The active `tf.name_scope` as `'outer/inner'`, or `''` outside any scope.

    >>> import capas as tf
    >>> tf.get_current_name_scope()
    ''
    """
    return current_scope()


@op
def eig(tensor, name=None):
    """Eigenvalues and eigenvectors of square matrices (complex results, as TF)."""
    values, vectors = torch.linalg.eig(to_tensor(tensor))
    return values, vectors


@op
def eigvals(tensor, name=None):
    """Eigenvalues of square matrices (complex, as TF)."""
    return torch.linalg.eigvals(to_tensor(tensor))


@op
def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """The paddings (and crops) that make `input_shape` divisible by `block_shape` for `space_to_batch`.

    >>> import capas as tf
    >>> [t.numpy().tolist() for t in tf.required_space_to_batch_paddings([5], [2])]
    [[[0, 1]], [[0, 1]]]
    """
    shape = _ints(input_shape)
    block = _ints(block_shape)
    base = [[0, 0] for _ in block] if base_paddings is None else [_ints(p) for p in base_paddings]
    paddings, crops = [], []
    for size, b, (start, end) in zip(shape, block, base):
        padded = size + start + end
        extra = (b - padded % b) % b
        paddings.append([start, end + extra])
        crops.append([0, extra])
    return torch.tensor(paddings, dtype=torch.int32), torch.tensor(crops, dtype=torch.int32)
