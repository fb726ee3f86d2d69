"""TFRecord files and `tf.train.Example` protos: writing, reading and parsing.

The Example protos are real protobuf messages (Google's `protobuf` package),
built from TensorFlow's `feature.proto`/`example.proto` definitions at first
use, in a private descriptor pool; protobuf serializes and parses them. The
TFRecord framing (length, masked CRC-32C of the length, data, masked CRC-32C
of the data) uses the `crc32c` package. Both are optional dependencies:
`pip install "capas[data]"`.

Public names (for `tf.io` / `tf.train`): TFRecordWriter, TFRecordOptions,
FixedLenFeature, VarLenFeature, parse_single_example, parse_example,
Example, SequenceExample, Features, Feature, FeatureList, FeatureLists,
BytesList, FloatList, Int64List.
"""

import collections
import gzip
import os
import struct
import zlib

import numpy as np
import torch

from capas.errors import DataLossError
from capas.errors import InvalidArgumentError
from capas.sparse import SparseTensor

_PROTO_NAMES = (
    "BytesList",
    "FloatList",
    "Int64List",
    "Feature",
    "Features",
    "FeatureList",
    "FeatureLists",
    "Example",
    "SequenceExample",
)
_classes = {}


def _require(module):
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as exc:
        raise ImportError(
            f"TFRecord and tf.train.Example support needs the '{module.split('.')[0]}' package: "
            'pip install "capas[data]" (or: pip install protobuf crc32c).'
        ) from exc


def _build_classes():
    descriptor_pb2 = _require("google.protobuf.descriptor_pb2")
    descriptor_pool = _require("google.protobuf.descriptor_pool")
    message_factory = _require("google.protobuf.message_factory")
    F = descriptor_pb2.FieldDescriptorProto
    f = descriptor_pb2.FileDescriptorProto(name="capas/tensorflow_example.proto", package="tensorflow", syntax="proto3")

    def message(name, *fields):
        m = f.message_type.add(name=name)
        for field in fields:
            m.field.add(**field)
        return m

    def field(name, number, type_, label=F.LABEL_OPTIONAL, type_name=None, oneof=None):
        out = {"name": name, "number": number, "type": type_, "label": label}
        if type_name:
            out["type_name"] = type_name
        if oneof is not None:
            out["oneof_index"] = oneof
        return out

    def map_field(m, name, value_type):
        entry = m.nested_type.add(name="".join(p.capitalize() for p in name.split("_")) + "Entry")
        entry.options.map_entry = True
        entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        entry.field.add(name="value", number=2, type=F.TYPE_MESSAGE, label=F.LABEL_OPTIONAL, type_name=value_type)
        m.field.add(
            name=name,
            number=1,
            type=F.TYPE_MESSAGE,
            label=F.LABEL_REPEATED,
            type_name=f".tensorflow.{m.name}.{entry.name}",
        )

    repeated = F.LABEL_REPEATED
    message("BytesList", field("value", 1, F.TYPE_BYTES, repeated))
    message("FloatList", field("value", 1, F.TYPE_FLOAT, repeated))
    message("Int64List", field("value", 1, F.TYPE_INT64, repeated))
    feature = message(
        "Feature",
        field("bytes_list", 1, F.TYPE_MESSAGE, type_name=".tensorflow.BytesList", oneof=0),
        field("float_list", 2, F.TYPE_MESSAGE, type_name=".tensorflow.FloatList", oneof=0),
        field("int64_list", 3, F.TYPE_MESSAGE, type_name=".tensorflow.Int64List", oneof=0),
    )
    feature.oneof_decl.add(name="kind")
    map_field(message("Features"), "feature", ".tensorflow.Feature")
    message("FeatureList", field("feature", 1, F.TYPE_MESSAGE, repeated, ".tensorflow.Feature"))
    map_field(message("FeatureLists"), "feature_list", ".tensorflow.FeatureList")
    message("Example", field("features", 1, F.TYPE_MESSAGE, type_name=".tensorflow.Features"))
    message(
        "SequenceExample",
        field("context", 1, F.TYPE_MESSAGE, type_name=".tensorflow.Features"),
        field("feature_lists", 2, F.TYPE_MESSAGE, type_name=".tensorflow.FeatureLists"),
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    for name in _PROTO_NAMES:
        _classes[name] = message_factory.GetMessageClass(pool.FindMessageTypeByName(f"tensorflow.{name}"))


def __getattr__(name):
    """`Example`, `Feature`, ...: the protobuf classes, built on first use."""
    if name in _PROTO_NAMES:
        if not _classes:
            _build_classes()
        return _classes[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------- framing
def _data_loss(message):
    # TF raises DataLossError for a corrupted or truncated record file.
    return DataLossError(None, None, message)


def _invalid(message):
    # TF raises InvalidArgumentError (also a ValueError in capas) for Examples that do not fit the spec.
    return InvalidArgumentError(None, None, message)


def _masked_crc(data):
    crc32c = _require("crc32c")
    crc = crc32c.crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _compression(options):
    if options is None:
        return ""
    kind = options.compression_type if isinstance(options, TFRecordOptions) else options
    kind = (kind or "").upper()
    if kind not in ("", "GZIP", "ZLIB"):
        raise ValueError(f"TFRecord: unknown compression_type {kind!r}; use None, '', 'GZIP' or 'ZLIB'.")
    return kind


class TFRecordOptions:
    """Options for TFRecord files: `compression_type` None/"", "GZIP" or "ZLIB"."""

    def __init__(self, compression_type=None, **kwargs):
        self.compression_type = compression_type


class TFRecordWriter:
    """Writes records (bytes) to a TFRecord file, as `tf.io.TFRecordWriter`.

    The file is written under a temporary name and renamed into place by
    `close()` (or the end of a `with` block), so readers never see half a file.

    Example:

    >>> import os, tempfile
    >>> from capas.io._tfrecord import TFRecordWriter
    >>> path = os.path.join(tempfile.mkdtemp(), "a.tfrecord")
    >>> with TFRecordWriter(path) as writer:
    ...     writer.write(b"hello")
    >>> os.path.getsize(path)  # 8 length + 4 crc + 5 data + 4 crc
    21
    """

    def __init__(self, path, options=None):
        self._path = os.fspath(path)
        self._tmp = f"{self._path}.tmp-{os.getpid()}-{id(self)}"
        kind = _compression(options)
        _masked_crc(b"")  # fail now, not at the first write, when crc32c is missing
        raw = open(self._tmp, "wb")  # noqa: SIM115 - closed by close()
        if kind == "GZIP":
            self._file = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0)
            self._raw = raw
        else:
            self._file, self._raw = raw, None
        self._zlib = zlib.compressobj() if kind == "ZLIB" else None
        self._closed = False

    def write(self, record):
        """Append one record: bytes, or a proto message (serialized with sorted map keys, so the
        same Example always gives the same bytes; protobuf's default map order varies per process)."""
        if self._closed:
            raise ValueError(f"TFRecordWriter: {self._path!r} is closed.")
        if hasattr(record, "SerializeToString"):
            record = record.SerializeToString(deterministic=True)
        record = bytes(np.asarray(record, dtype=object).item()) if not isinstance(record, bytes) else record
        header = struct.pack("<Q", len(record))
        frame = header + struct.pack("<I", _masked_crc(header)) + record + struct.pack("<I", _masked_crc(record))
        self._file.write(self._zlib.compress(frame) if self._zlib else frame)

    def flush(self):
        if self._zlib:
            self._file.write(self._zlib.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self):
        """Finish the file and move it into place."""
        if self._closed:
            return
        self._closed = True
        if self._zlib:
            self._file.write(self._zlib.flush())
        self._file.close()
        if self._raw is not None:
            self._raw.close()
        os.replace(self._tmp, self._path)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self._closed = True
            self._file.close()
            if self._raw is not None:
                self._raw.close()
            os.remove(self._tmp)


def read_records(file, path):
    """Yield the records of an open TFRecord stream, checking both CRCs of each."""
    offset = 0
    while True:
        header = file.read(12)
        if not header:
            return
        if len(header) < 12:
            raise _data_loss(f"TFRecord {path!r}: truncated record header at byte {offset}.")
        length, length_crc = struct.unpack("<QI", header)
        if _masked_crc(header[:8]) != length_crc:
            raise _data_loss(f"TFRecord {path!r}: corrupted record at byte {offset} (length checksum mismatch).")
        data = file.read(length)
        footer = file.read(4)
        if len(data) < length or len(footer) < 4:
            raise _data_loss(f"TFRecord {path!r}: truncated record at byte {offset}.")
        if _masked_crc(data) != struct.unpack("<I", footer)[0]:
            raise _data_loss(f"TFRecord {path!r}: corrupted record at byte {offset} (data checksum mismatch).")
        offset += 16 + length
        yield data


# ---------------------------------------------------------------- parsing
FixedLenFeature = collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"], defaults=[None])
FixedLenFeature.__doc__ = "A feature with a fixed number of values, parsed to a dense tensor of `shape`."
VarLenFeature = collections.namedtuple("VarLenFeature", ["dtype"])
VarLenFeature.__doc__ = "A feature with any number of values, parsed to a SparseTensor."


def _dtype_kind(dtype):
    name = getattr(dtype, "name", None) or str(dtype).replace("torch.", "")
    if name == "string":
        return "bytes_list", None
    if name == "int64":
        return "int64_list", torch.int64
    if name == "float32":
        return "float_list", torch.float32
    raise TypeError(f"parse_example: feature dtype must be tf.int64, tf.float32 or tf.string; received {dtype!r}.")


def _values(example, key, kind):
    if key not in example.features.feature:
        return None
    feature = example.features.feature[key]
    which = feature.WhichOneof("kind")
    if which is None:
        return []
    if which != kind:
        raise _invalid(f"parse_example: feature {key!r} holds a {which}, but the spec asks for a {kind}.")
    return list(getattr(feature, which).value)


def _leaf(values, kind, dtype, shape):
    if kind == "bytes_list":
        from capas.data._structure import make_string  # in-function: import cycle data -> data.tfrecord -> this module

        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        return make_string(arr.reshape(shape))
    return torch.tensor(values, dtype=dtype).reshape(shape)


def _sparse(indices, values, dense_shape):
    return SparseTensor(
        torch.tensor(indices, dtype=torch.int64).reshape(-1, len(dense_shape)),
        values,
        torch.tensor(dense_shape, dtype=torch.int64),
    )


def _parse_one(example, features):
    out = {}
    for key, spec in features.items():
        kind, dtype = _dtype_kind(spec.dtype)
        values = _values(example, key, kind)
        if isinstance(spec, VarLenFeature):
            values = values or []
            out[key] = (values, kind, dtype)
            continue
        shape = [int(d) for d in spec.shape]
        if values is None:
            if spec.default_value is None:
                raise _invalid(
                    f"parse_example: feature {key!r} is missing and its FixedLenFeature has no default_value."
                )
            default = np.broadcast_to(
                np.asarray(spec.default_value, dtype=object if kind == "bytes_list" else None), shape
            )
            values = list(default.reshape(-1))
        if len(values) != int(np.prod(shape)):
            raise _invalid(
                f"parse_example: feature {key!r} has {len(values)} values; its FixedLenFeature shape "
                f"{shape} needs {int(np.prod(shape))}."
            )
        out[key] = _leaf(values, kind, dtype, shape)
    return out


def _to_example(serialized):
    if hasattr(serialized, "numpy"):
        serialized = serialized.numpy()
    if isinstance(serialized, np.ndarray):
        serialized = serialized.item()
    example = __getattr__("Example")()
    example.ParseFromString(bytes(serialized))
    return example


def parse_single_example(serialized, features, name=None, example_names=None):
    """Parse one serialized `tf.train.Example` into a dict of tensors, as `tf.io.parse_single_example`.

    Args:
        serialized: the bytes (a scalar string).
        features: a dict of name -> `FixedLenFeature` or `VarLenFeature`.

    Returns:
        A dict: dense tensors for FixedLenFeature, SparseTensor for VarLenFeature.
    """
    parsed = _parse_one(_to_example(serialized), features)
    for key, value in parsed.items():
        if isinstance(value, tuple):
            values, kind, dtype = value
            parsed[key] = _sparse(
                [[i] for i in range(len(values))], _leaf(values, kind, dtype, [len(values)]), [len(values)]
            )
    return parsed


def parse_example(serialized, features, name=None, example_names=None):
    """Parse a batch (1-D) of serialized Examples, as `tf.io.parse_example`.

    FixedLenFeatures stack to `[batch] + shape`; a VarLenFeature becomes a
    SparseTensor of dense shape `[batch, longest]`.
    """
    if hasattr(serialized, "numpy"):
        serialized = serialized.numpy()
    items = [_parse_one(_to_example(s), features) for s in np.asarray(serialized, dtype=object).reshape(-1)]
    out = {}
    for key in features:
        column = [item[key] for item in items]
        if isinstance(features[key], VarLenFeature):
            kind, dtype = _dtype_kind(features[key].dtype)
            indices = [[b, i] for b, (values, _, _) in enumerate(column) for i in range(len(values))]
            flat = [v for values, _, _ in column for v in values]
            longest = max([len(values) for values, _, _ in column] + [0])
            out[key] = _sparse(indices, _leaf(flat, kind, dtype, [len(flat)]), [len(column), longest])
        elif column and isinstance(column[0], torch.Tensor):
            out[key] = torch.stack(column) if column else torch.zeros(0)
        else:
            # in-function: import cycle data -> data.tfrecord -> this module
            from capas.data._structure import make_string

            out[key] = make_string(np.stack([np.asarray(c, dtype=object) for c in column]))
    return out
