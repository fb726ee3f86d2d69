"""tf.compat: the string and path helpers TF 2 programs use (`tf.compat.as_bytes`, `as_text`...).

TensorFlow's `tf.compat` also holds the TF 1 API (`tf.compat.v1`), which capas does not provide:
capas is the TF 2 programming model only.

>>> import capas as tf
>>> tf.compat.as_bytes("JFIF")
b'JFIF'
>>> tf.compat.as_text(b"caf\\xc3\\xa9")
'café'
>>> tf.compat.as_str_any(3)
'3'
"""

import os

from capas.ops import _missing

__all__ = ["as_bytes", "as_str", "as_str_any", "as_text", "path_to_str"]


def _not_text(name, value):
    return TypeError(
        f"tf.compat.{name}: expected binary or unicode string, got {value!r} "
        f"({type(value).__name__}). Pass a str or bytes (str(value) turns other values into text)."
    )


def as_bytes(bytes_or_text, encoding="utf-8"):
    """`bytes_or_text` as bytes: a str is encoded with `encoding`, bytes/bytearray come back as bytes."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise _not_text("as_bytes", bytes_or_text)


def as_text(bytes_or_text, encoding="utf-8"):
    """`bytes_or_text` as str: bytes are decoded with `encoding`, a str comes back as it is."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, (bytes, bytearray)):
        return bytes(bytes_or_text).decode(encoding)
    raise _not_text("as_text", bytes_or_text)


as_str = as_text


def as_str_any(value, encoding="utf-8"):
    """`value` as str: bytes are decoded, anything else goes through str()."""
    if isinstance(value, (bytes, bytearray)):
        return as_text(value, encoding)
    return str(value)


def path_to_str(path):
    """A path-like object (pathlib.Path) as its str (os.fspath); anything else comes back as it is."""
    if isinstance(path, os.PathLike):
        return os.fspath(path)
    return path


__getattr__ = _missing.make_getattr(__name__, "tf.compat")
