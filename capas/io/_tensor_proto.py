"""TF's `TensorProto` (the protobuf message, built with the optional `protobuf` package as
`tf.train.Example` is) and `tf.make_tensor_proto` / `tf.make_ndarray`; `tf.io.decode_json_example`.

The message layout follows tensorflow/core/framework/tensor.proto (field numbers and types), so
the bytes are TF's: `make_tensor_proto(x).SerializeToString()` equals TF's for the same value.
"""

import numpy as np
import torch

from capas.errors import InvalidArgumentError
from capas.io import _tfrecord
from capas.ops.strings import StringTensor

_classes = {}

# DataType enum values of tensorflow/core/framework/types.proto
_DT = {
    "float32": 1,
    "float64": 2,
    "int32": 3,
    "uint8": 4,
    "int16": 5,
    "int8": 6,
    "string": 7,
    "complex64": 8,
    "int64": 9,
    "bool": 10,
    "bfloat16": 14,
    "uint16": 17,
    "complex128": 18,
    "float16": 19,
    "uint32": 22,
    "uint64": 23,
}
_NAME = {v: k for k, v in _DT.items()}
# which repeated field holds the values of each dtype when tensor_content is not used
_FIELD = {
    "float32": "float_val",
    "float64": "double_val",
    "int32": "int_val",
    "uint8": "int_val",
    "int16": "int_val",
    "int8": "int_val",
    "uint16": "int_val",
    "float16": "half_val",
    "bfloat16": "half_val",
    "int64": "int64_val",
    "bool": "bool_val",
    "string": "string_val",
    "complex64": "scomplex_val",
    "complex128": "dcomplex_val",
    "uint32": "uint32_val",
    "uint64": "uint64_val",
}


# the dtypes TF packs into tensor_content (others use the typed repeated fields)
_CONTENT_KINDS = {
    "float16",
    "float32",
    "float64",
    "int32",
    "uint8",
    "int16",
    "int8",
    "int64",
    "uint16",
    "uint32",
    "uint64",
}


def _build():
    descriptor_pb2 = _tfrecord._require("google.protobuf.descriptor_pb2")
    descriptor_pool = _tfrecord._require("google.protobuf.descriptor_pool")
    message_factory = _tfrecord._require("google.protobuf.message_factory")
    F = descriptor_pb2.FieldDescriptorProto
    f = descriptor_pb2.FileDescriptorProto(name="capas/tensorflow_tensor.proto", package="tensorflow", syntax="proto3")
    dim = f.message_type.add(name="TensorShapeProto")
    d = dim.nested_type.add(name="Dim")
    d.field.add(name="size", number=1, type=F.TYPE_INT64, label=F.LABEL_OPTIONAL)
    d.field.add(name="name", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    dim.field.add(
        name="dim", number=2, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED, type_name=".tensorflow.TensorShapeProto.Dim"
    )
    dim.field.add(name="unknown_rank", number=3, type=F.TYPE_BOOL, label=F.LABEL_OPTIONAL)
    t = f.message_type.add(name="TensorProto")
    t.field.add(name="dtype", number=1, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
    t.field.add(
        name="tensor_shape",
        number=2,
        type=F.TYPE_MESSAGE,
        label=F.LABEL_OPTIONAL,
        type_name=".tensorflow.TensorShapeProto",
    )
    t.field.add(name="version_number", number=3, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
    t.field.add(name="tensor_content", number=4, type=F.TYPE_BYTES, label=F.LABEL_OPTIONAL)
    for name, number, kind in (
        ("float_val", 5, F.TYPE_FLOAT),
        ("double_val", 6, F.TYPE_DOUBLE),
        ("int_val", 7, F.TYPE_INT32),
        ("string_val", 8, F.TYPE_BYTES),
        ("scomplex_val", 9, F.TYPE_FLOAT),
        ("int64_val", 10, F.TYPE_INT64),
        ("bool_val", 11, F.TYPE_BOOL),
        ("dcomplex_val", 12, F.TYPE_DOUBLE),
        ("half_val", 13, F.TYPE_INT32),
        ("uint32_val", 16, F.TYPE_UINT32),
        ("uint64_val", 17, F.TYPE_UINT64),
    ):
        field = t.field.add(name=name, number=number, type=kind, label=F.LABEL_REPEATED)
        if kind != F.TYPE_BYTES:
            field.options.packed = True
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    for name in ("TensorProto", "TensorShapeProto"):
        _classes[name] = message_factory.GetMessageClass(pool.FindMessageTypeByName(f"tensorflow.{name}"))


def tensor_proto_class():
    if "TensorProto" not in _classes:
        _build()
    return _classes["TensorProto"]


def _as_numpy(values, dtype):
    if isinstance(values, StringTensor):
        return np.asarray(values.numpy(), dtype=object)
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu()
        if values.dtype == torch.bfloat16:
            return values.float().numpy(), "bfloat16"
        values = values.numpy()
    arr = np.asarray(values)
    if arr.dtype.kind in "SUO":
        return np.vectorize(lambda s: s if isinstance(s, bytes) else str(s).encode(), otypes=[object])(arr)
    if dtype is not None:
        name = dtype if isinstance(dtype, str) else (getattr(dtype, "name", None) or str(dtype).replace("torch.", ""))
        if name != "string":
            arr = arr.astype(np.dtype(name))
    elif arr.dtype == np.float64 and not isinstance(values, np.ndarray) and not np.isscalar(values):
        arr = arr.astype(np.float32)  # Python floats become float32, as tf.constant
    elif isinstance(values, float):
        arr = arr.astype(np.float32)
    elif arr.dtype == np.int64 and not isinstance(values, (np.ndarray, np.generic)):
        arr = arr.astype(np.int32)  # Python ints become int32
    return arr


def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False, allow_broadcast=False):
    """A `TensorProto` holding `values` (`tf.make_tensor_proto`): TF's bytes for the same input.

    Needs the optional `protobuf` package (`pip install protobuf`).

    Example:

    >>> import capas as tf
    >>> proto = tf.make_tensor_proto([[1, 2], [3, 4]])
    >>> tf.make_ndarray(proto).tolist()
    [[1, 2], [3, 4]]
    """
    arr = _as_numpy(values, dtype)
    bf16 = False
    if isinstance(arr, tuple):
        arr, bf16 = arr[0], True
    kind = "string" if arr.dtype == object else ("bfloat16" if bf16 else arr.dtype.name)
    if kind not in _DT:
        raise TypeError(f"make_tensor_proto: unsupported dtype {kind}; pass numbers, bools or strings.")
    if shape is None:
        shape = list(arr.shape)
    else:
        shape = [int(s) for s in shape]
        size = int(np.prod(shape)) if shape else 1
        if arr.size != size:
            if verify_shape:
                raise TypeError(f"make_tensor_proto: expected shape {shape}, got {list(arr.shape)}.")
            if allow_broadcast:
                arr = np.broadcast_to(arr, shape)
            elif arr.size != 1:
                raise ValueError(
                    f"make_tensor_proto: {arr.size} values do not fill shape {shape}; pass one value to repeat "
                    "or a matching number of values."
                )
    proto = tensor_proto_class()(dtype=_DT[kind])
    proto.tensor_shape.SetInParent()  # TF writes the (empty) shape of a scalar too
    for s in shape:
        proto.tensor_shape.dim.add(size=s)
    n = int(np.prod(shape)) if shape else 1
    flat = arr.reshape(-1)
    if kind in _CONTENT_KINDS and arr.size == n and n > 1:
        data = arr.astype(np.float32) if bf16 else arr
        if bf16:
            proto.tensor_content = (data.view(np.uint32) >> 16).astype("<u2").tobytes()
        else:
            proto.tensor_content = np.ascontiguousarray(data).astype(data.dtype.newbyteorder("<")).tobytes()
        return proto
    field = getattr(proto, _FIELD[kind])
    if kind == "string":
        field.extend(flat.tolist())
    elif kind in ("float16",):
        field.extend(flat.astype(np.float16).view(np.uint16).astype(int).tolist())
    elif kind == "bfloat16":
        field.extend((flat.astype(np.float32).view(np.uint32) >> 16).astype(int).tolist())
    elif kind.startswith("complex"):
        for c in flat.tolist():
            field.extend([c.real, c.imag])
    else:
        field.extend(flat.tolist())
    return proto


def make_ndarray(tensor):
    """The numpy array a `TensorProto` holds (`tf.make_ndarray`); reads TF's protos too.

    Example:

    >>> import capas as tf
    >>> tf.make_ndarray(tf.make_tensor_proto(2.5, shape=[2])).tolist()
    [2.5, 2.5]
    """
    kind = _NAME.get(tensor.dtype)
    if kind is None:
        raise TypeError(f"make_ndarray: unsupported TensorProto dtype {tensor.dtype}.")
    shape = [d.size for d in tensor.tensor_shape.dim]
    n = int(np.prod(shape)) if shape else 1
    if kind == "string":
        values = np.array(list(tensor.string_val) or [b""], dtype=object)
        return (values if values.size == n else np.repeat(values[-1:], n)).reshape(shape)
    if kind == "bfloat16":
        if tensor.tensor_content:
            bits = np.frombuffer(tensor.tensor_content, "<u2").astype(np.uint32) << 16
        else:
            bits = np.array(list(tensor.half_val) or [0], dtype=np.uint32) << 16
        out = bits.view(np.float32)
        return (out if out.size == n else np.repeat(out[-1:], n)).reshape(shape)
    np_dtype = np.dtype(kind)
    if n == 0:
        return np.zeros(shape, dtype=np_dtype)
    if tensor.tensor_content:
        return np.frombuffer(tensor.tensor_content, np_dtype.newbyteorder("<")).astype(np_dtype).reshape(shape)
    values = list(getattr(tensor, _FIELD[kind]))
    if kind == "float16":
        out = np.array(values, dtype=np.uint16).view(np.float16)
    elif kind.startswith("complex"):
        out = np.array(values[0::2], dtype=np_dtype) + 1j * np.array(values[1::2], dtype=np_dtype)
        out = out.astype(np_dtype)
    else:
        out = np.array(values, dtype=np_dtype)
    if out.size == 0:
        out = np.zeros(1, dtype=np_dtype)
    if out.size != n:
        out = np.concatenate([out, np.repeat(out[-1:], n - out.size)])
    return out.reshape(shape)


def _json_example_class():
    """tf.train.Example with unpacked repeated numbers: the bytes TF's JSON decoder writes."""
    if "JsonExample" not in _classes:
        descriptor_pb2 = _tfrecord._require("google.protobuf.descriptor_pb2")
        descriptor_pool = _tfrecord._require("google.protobuf.descriptor_pool")
        message_factory = _tfrecord._require("google.protobuf.message_factory")
        f = descriptor_pb2.FileDescriptorProto()
        _tfrecord.Example.DESCRIPTOR.file.CopyToProto(f)
        f.name = "capas/tensorflow_example_unpacked.proto"
        for message in f.message_type:
            for field in message.field:
                if field.label == field.LABEL_REPEATED and field.type != field.TYPE_MESSAGE:
                    field.options.packed = False
        pool = descriptor_pool.DescriptorPool()
        pool.Add(f)
        _classes["JsonExample"] = message_factory.GetMessageClass(pool.FindMessageTypeByName("tensorflow.Example"))
    return _classes["JsonExample"]


def decode_json_example(json_examples, name=None):
    """Each JSON-encoded `tf.train.Example` as its binary serialization (`tf.io.decode_json_example`).

    Needs the optional `protobuf` package.

    Example:

    >>> import capas as tf
    >>> blob = tf.io.decode_json_example('{"features": {"feature": {"a": {"int64List": {"value": ["3"]}}}}}')
    >>> tf.train.Example.FromString(blob.numpy()).features.feature["a"].int64_list.value[0]
    3
    """
    json_format = _tfrecord._require("google.protobuf.json_format")
    example_cls = _json_example_class()
    arr = np.asarray(json_examples.numpy() if hasattr(json_examples, "numpy") else json_examples, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for index, text in np.ndenumerate(arr):
        text = text.decode() if isinstance(text, bytes) else text
        try:
            message = json_format.Parse(text, example_cls())
        except json_format.ParseError as exc:
            raise InvalidArgumentError(None, None, f"decode_json_example: not a JSON tf.train.Example: {exc}") from exc
        out[index] = message.SerializeToString(deterministic=True)
    return StringTensor(out)
