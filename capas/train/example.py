"""`tf.train.Example` and its parts, in the protocol buffer wire format TensorFlow writes.

`Example(features=Features(feature={"x": Feature(int64_list=Int64List(value=[1]))}))`,
`.SerializeToString()` and `Example.FromString(data)` read and write the same
bytes as TF's protos (so TFRecord files move between capas and TF), with a
small hand-written codec: no protobuf dependency, and parsing only builds
these data classes.
"""

import struct

import numpy as np

_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5


def _varint(value):
    value &= (1 << 64) - 1  # negative int64: two's complement, 10 bytes, as protobuf
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data, pos):
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated protocol buffer (a varint runs past the end)")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _field(number, payload):
    return _varint(number << 3 | _LEN) + _varint(len(payload)) + payload


def _fields(data):
    """Yield (field number, wire type, value) of a serialized message."""
    data = bytes(data)
    pos = 0
    while pos < len(data):
        key, pos = _read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            value, pos = _read_varint(data, pos)
        elif wire == _LEN:
            size, pos = _read_varint(data, pos)
            if pos + size > len(data):
                raise ValueError("truncated protocol buffer (a field runs past the end)")
            value, pos = data[pos : pos + size], pos + size
        elif wire == _I32:
            value, pos = data[pos : pos + 4], pos + 4
        elif wire == _I64:
            value, pos = data[pos : pos + 8], pos + 8
        else:
            raise ValueError(f"unsupported protocol buffer wire type {wire}")
        yield number, wire, value


class _Message:
    def SerializeToString(self, deterministic=None):
        return self._encode()

    @classmethod
    def FromString(cls, data):
        msg = cls()
        msg.ParseFromString(data)
        return msg

    def ParseFromString(self, data):
        try:
            self._decode(data)
        except (ValueError, struct.error, UnicodeDecodeError) as exc:
            from capas.errors import DataLossError

            raise DataLossError(None, None, f"{type(self).__name__}: cannot parse the bytes: {exc}.") from exc
        return len(data)

    def __eq__(self, other):  # by content: map order differs between writers
        return type(self) is type(other) and self._key() == other._key()

    def _key(self):
        return tuple(getattr(self, "value", ()))

    def __repr__(self):
        return f"{type(self).__name__}({self._show()})"


class BytesList(_Message):
    """`value`: a list of bytes."""

    def __init__(self, value=()):
        self.value = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in value]

    def _encode(self):
        return b"".join(_field(1, v) for v in self.value)

    def _decode(self, data):
        self.value = [bytes(v) for n, w, v in _fields(data) if n == 1 and w == _LEN]

    def _show(self):
        return f"value={self.value!r}"


class FloatList(_Message):
    """`value`: a list of float32 numbers."""

    def __init__(self, value=()):
        self.value = [float(np.float32(v)) for v in value]

    def _encode(self):
        return _field(1, struct.pack(f"<{len(self.value)}f", *self.value)) if self.value else b""

    def _decode(self, data):
        self.value = []
        for n, w, v in _fields(data):
            if n == 1 and w == _LEN:  # packed
                self.value.extend(struct.unpack(f"<{len(v) // 4}f", v))
            elif n == 1 and w == _I32:
                self.value.append(struct.unpack("<f", v)[0])

    def _show(self):
        return f"value={self.value!r}"


class Int64List(_Message):
    """`value`: a list of int64 numbers."""

    def __init__(self, value=()):
        self.value = [int(v) for v in value]

    def _encode(self):
        return _field(1, b"".join(_varint(v) for v in self.value)) if self.value else b""

    def _decode(self, data):
        self.value = []
        for n, w, v in _fields(data):
            if n == 1 and w == _LEN:  # packed
                pos = 0
                while pos < len(v):
                    item, pos = _read_varint(v, pos)
                    self.value.append(item - (1 << 64) if item >= 1 << 63 else item)
            elif n == 1 and w == _VARINT:
                self.value.append(v - (1 << 64) if v >= 1 << 63 else v)

    def _show(self):
        return f"value={self.value!r}"


class Feature(_Message):
    """One of `bytes_list`, `float_list` or `int64_list`."""

    _KINDS = ("bytes_list", "float_list", "int64_list")

    def __init__(self, bytes_list=None, float_list=None, int64_list=None):
        given = [k for k, v in zip(self._KINDS, (bytes_list, float_list, int64_list)) if v is not None]
        if len(given) > 1:
            raise ValueError(f"tf.train.Feature holds one list; received {given}.")
        self._kind = given[0] if given else None
        self.bytes_list = bytes_list if bytes_list is not None else BytesList()
        self.float_list = float_list if float_list is not None else FloatList()
        self.int64_list = int64_list if int64_list is not None else Int64List()

    def WhichOneof(self, name):
        return self._kind

    def _key(self):
        return (self._kind, getattr(self, self._kind)._key() if self._kind else None)

    def _encode(self):
        if self._kind is None:
            return b""
        return _field(self._KINDS.index(self._kind) + 1, getattr(self, self._kind)._encode())

    def _decode(self, data):
        for n, w, v in _fields(data):
            if 1 <= n <= 3 and w == _LEN:
                self._kind = self._KINDS[n - 1]
                setattr(
                    self,
                    self._kind,
                    (BytesList, FloatList, Int64List)[n - 1].FromString(v),
                )

    def _show(self):
        return f"{self._kind}={getattr(self, self._kind)!r}" if self._kind else ""


class Features(_Message):
    """`feature`: a dict from name to `Feature`."""

    def __init__(self, feature=None):
        self.feature = dict(feature or {})

    def _encode(self):
        out = b""
        for key in self.feature:  # insertion order (TF writes maps in hash order; readers take any order)
            entry = _field(1, key.encode("utf-8")) + _field(2, self.feature[key]._encode())
            out += _field(1, entry)
        return out

    def _decode(self, data):
        self.feature = {}
        for n, w, entry in _fields(data):
            if n != 1 or w != _LEN:
                continue
            key, value = "", Feature()
            for en, ew, ev in _fields(entry):
                if en == 1:
                    key = bytes(ev).decode("utf-8")
                elif en == 2:
                    value = Feature.FromString(ev)
            self.feature[key] = value

    def _key(self):
        return {k: v._key() for k, v in self.feature.items()}

    def _show(self):
        return f"feature={self.feature!r}"


class Example(_Message):
    """A record of named features (TensorFlow's `tf.train.Example`).

    Example:

    >>> import capas as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "n": tf.train.Feature(int64_list=tf.train.Int64List(value=[7]))}))
    >>> tf.train.Example.FromString(ex.SerializeToString()).features.feature["n"].int64_list.value
    [7]
    """

    def __init__(self, features=None):
        self.features = features if features is not None else Features()

    def _encode(self):
        return _field(1, self.features._encode())

    def _decode(self, data):
        for n, w, v in _fields(data):
            if n == 1 and w == _LEN:
                self.features = Features.FromString(v)

    def _key(self):
        return self.features._key()

    def _show(self):
        return f"features={self.features!r}"
