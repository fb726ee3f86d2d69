"""`tf.io.serialize_sparse`, `serialize_many_sparse` and `deserialize_many_sparse` with TF's bytes.

Each part (indices, values, dense_shape) is a serialized `TensorProto` as TF's
`SerializeTensor` writes it (all numeric data in `tensor_content`, strings in `string_val`), so
TF reads what capas writes and the other way round. Needs the optional `protobuf` package.
"""

import numpy as np
import torch

from capas.errors import InvalidArgumentError
from capas.io._tensor_proto import _DT, make_ndarray, tensor_proto_class
from capas.ops.strings import StringTensor
from capas.sparse.sparse_tensor import SparseTensor


def _numpy(value):
    if isinstance(value, StringTensor):
        return np.asarray(value.numpy(), dtype=object)
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _serialize_array(arr):
    kind = "string" if arr.dtype == object else arr.dtype.name
    if kind not in _DT:
        raise TypeError(f"serialize_sparse: unsupported dtype {kind}.")
    proto = tensor_proto_class()(dtype=_DT[kind])
    proto.tensor_shape.SetInParent()
    for s in arr.shape:
        proto.tensor_shape.dim.add(size=int(s))
    if kind == "string":
        # TF's encoding of a string tensor's content: every length as a varint, then the bytes
        items = arr.reshape(-1).tolist()
        if items:
            proto.tensor_content = b"".join(_varint(len(b)) for b in items) + b"".join(items)
    elif arr.size:
        proto.tensor_content = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()
    return proto.SerializeToString()


def _varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _parse_array(blob):
    proto = tensor_proto_class().FromString(blob)
    if proto.dtype != _DT["string"] or not proto.tensor_content:
        return make_ndarray(proto)
    shape = [d.size for d in proto.tensor_shape.dim]
    n = int(np.prod(shape)) if shape else 1
    data, pos, lengths = proto.tensor_content, 0, []
    for _ in range(n):
        value, shift = 0, 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        lengths.append(value)
    items = []
    for length in lengths:
        items.append(data[pos : pos + length])
        pos += length
    out = np.empty(n, dtype=object)
    out[:] = items
    return out.reshape(shape)


def _check_type(out_type, where):
    name = getattr(out_type, "name", out_type)
    if name not in ("string", None):
        raise TypeError(f"{where}: out_type must be tf.string (capas has no tf.variant), got {out_type}.")


def serialize_sparse(sp_input, out_type=None, name=None):
    """A `[3]` string tensor: the serialized indices, values and dense shape (`tf.io.serialize_sparse`).

    Example:

    >>> import capas as tf
    >>> sp = tf.sparse.SparseTensor([[0, 1]], [5], [2, 3])
    >>> back = tf.io.deserialize_many_sparse(tf.io.serialize_sparse(sp)[None], tf.int32)
    >>> back.indices.tolist(), back.values.tolist(), back.dense_shape.tolist()
    ([[0, 0, 1]], [5], [1, 2, 3])
    """
    _check_type(out_type, "serialize_sparse")
    parts = [_numpy(sp_input.indices), _numpy(sp_input.values), _numpy(sp_input.dense_shape)]
    return StringTensor(np.array([_serialize_array(p) for p in parts], dtype=object))


def serialize_many_sparse(sp_input, out_type=None, name=None):
    """An `[N, 3]` string tensor: row i serializes the sparse tensor `sp_input[i]` (rank R - 1).

    Example:

    >>> import capas as tf
    >>> sp = tf.sparse.SparseTensor([[0, 1], [1, 0]], [5, 6], [2, 3])
    >>> list(tf.io.serialize_many_sparse(sp).shape)
    [2, 3]
    """
    _check_type(out_type, "serialize_many_sparse")
    indices, values, shape = _numpy(sp_input.indices), _numpy(sp_input.values), _numpy(sp_input.dense_shape)
    if shape.shape[0] < 2:
        raise InvalidArgumentError(
            None, None, f"serialize_many_sparse: the input must have rank 2 or more, got rank {shape.shape[0]}."
        )
    rows = []
    for i in range(int(shape[0])):
        keep = indices[:, 0] == i
        rows.append(
            [
                _serialize_array(np.ascontiguousarray(indices[keep][:, 1:])),
                _serialize_array(values[keep]),
                _serialize_array(shape[1:]),
            ]
        )
    out = np.empty((len(rows), 3), dtype=object)
    for i, row in enumerate(rows):
        out[i] = row
    return StringTensor(out)


def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None):
    """One SparseTensor from `[N, 3]` serialized sparse tensors (`tf.io.deserialize_many_sparse`):
    row i becomes batch entry i; the dense shape is the largest of each dimension."""
    arr = _numpy(serialized_sparse)
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise InvalidArgumentError(
            None, None, f"deserialize_many_sparse: expected a [N, 3] string tensor, got shape {list(arr.shape)}."
        )
    want = getattr(dtype, "name", None) or str(dtype).replace("torch.", "")
    all_indices, all_values, shapes = [], [], []
    for i, (ind_blob, val_blob, shape_blob) in enumerate(arr.tolist()):
        ind, val, shape = _parse_array(ind_blob), _parse_array(val_blob), _parse_array(shape_blob)
        got = "string" if val.dtype == object else val.dtype.name
        if got != want:
            raise InvalidArgumentError(
                None, None, f"deserialize_many_sparse: the values are {got}, but dtype {want} was requested."
            )
        all_indices.append(
            np.concatenate(
                [np.full((ind.shape[0], 1), i, dtype=np.int64), ind.reshape(ind.shape[0], len(shape)).astype(np.int64)],
                1,
            )
        )
        all_values.append(val)
        shapes.append(shape)
    if rank is not None and shapes and len(shapes[0]) + 1 != int(rank):
        raise InvalidArgumentError(
            None, None, f"deserialize_many_sparse: rank {rank} does not match {len(shapes[0]) + 1}."
        )
    dense = [len(shapes)] + list(np.max(np.stack(shapes), axis=0)) if shapes else [0]
    indices = np.concatenate(all_indices) if all_indices else np.zeros((0, 1), np.int64)
    values = np.concatenate(all_values) if all_values else np.zeros((0,))
    value_tensor = StringTensor(values) if values.dtype == object else torch.from_numpy(np.ascontiguousarray(values))
    return SparseTensor(torch.from_numpy(indices), value_tensor, [int(d) for d in dense])
