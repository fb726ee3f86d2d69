"""More `tf.strings` ops: hash buckets, `unsorted_segment_join`, `ngrams`, `unicode_transcode`, `*_with_offsets`."""

import numpy as np
import torch

from capas.errors import InvalidArgumentError
from capas.ops._hashes import fingerprint64
from capas.ops._hashes import siphash64
from capas.ops._convert import convert_to_tensor
from capas.ops.strings import StringTensor
from capas.ops.strings import as_string_tensor
from capas.ragged.ragged_tensor import RaggedTensor

_MASK = (1 << 64) - 1
_MURMUR_M = 0xC6A4A7935BD1E995


def _hash64(data, seed=0xDECAFCAFFE):
    """TensorFlow's legacy `Hash64` (a MurmurHash64A variant), used by `to_hash_bucket`."""
    n = len(data)
    h = (seed ^ (n * _MURMUR_M)) & _MASK
    whole = n - n % 8
    for i in range(0, whole, 8):
        k = int.from_bytes(data[i : i + 8], "little")
        k = (k * _MURMUR_M) & _MASK
        k ^= k >> 47
        k = (k * _MURMUR_M) & _MASK
        h ^= k
        h = (h * _MURMUR_M) & _MASK
    tail = data[whole:]
    if tail:
        for j in range(len(tail) - 1, -1, -1):
            h ^= tail[j] << (8 * j)
        h = (h * _MURMUR_M) & _MASK
    h ^= h >> 47
    h = (h * _MURMUR_M) & _MASK
    h ^= h >> 47
    return h


def _buckets(input, num_buckets, hash_fn, op):
    num_buckets = int(num_buckets)
    if num_buckets < 1:
        raise ValueError(f"tf.strings.{op}: `num_buckets` must be at least 1; received {num_buckets}.")
    arr = as_string_tensor(input)._array
    out = np.fromiter((hash_fn(v) % num_buckets for v in arr.reshape(-1)), dtype=np.int64, count=arr.size)
    return torch.from_numpy(out.reshape(arr.shape))


def to_hash_bucket_fast(input, num_buckets, name=None):
    """`Fingerprint64(s) % num_buckets` (TF's farmhash fingerprint) for each string, int64.

    Example:

    >>> import capas as tf
    >>> tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3).numpy().tolist()
    [0, 2, 2]
    """
    return _buckets(input, num_buckets, fingerprint64, "to_hash_bucket_fast")


def to_hash_bucket_strong(input, num_buckets, key, name=None):
    """`SipHash-2-4(key, s) % num_buckets` with a secret `key` of two ints, int64."""
    key = [int(k) for k in (key.tolist() if isinstance(key, torch.Tensor) else key)]
    if len(key) != 2:
        raise ValueError(f"tf.strings.to_hash_bucket_strong: `key` must be two ints; received {key}.")
    return _buckets(input, num_buckets, lambda s: siphash64(tuple(key), s), "to_hash_bucket_strong")


def to_hash_bucket(input, num_buckets, name=None):
    """TF's legacy `Hash64(s) % num_buckets`, int64 (prefer `to_hash_bucket_fast`)."""
    return _buckets(input, num_buckets, _hash64, "to_hash_bucket")


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """Join the strings of each segment (in input order) with `separator`; empty segments give "".

    Example:

    >>> import capas as tf
    >>> tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 2, separator="-").numpy().tolist()
    [b'b', b'a-c']
    """
    arr = as_string_tensor(inputs)._array
    ids = convert_to_tensor(segment_ids).detach().cpu().numpy()
    num_segments = int(num_segments)
    if ids.shape != arr.shape[: ids.ndim]:
        raise ValueError(
            f"tf.strings.unsorted_segment_join: segment_ids shape {list(ids.shape)} must be a prefix of the "
            f"inputs shape {list(arr.shape)}."
        )
    inner = arr.shape[ids.ndim :]
    flat = arr.reshape((-1,) + inner)
    sep = separator.encode() if isinstance(separator, str) else separator
    parts = [[[] for _ in range(int(np.prod(inner, dtype=np.int64)))] for _ in range(num_segments)]
    for row, segment in zip(flat, ids.reshape(-1).tolist()):
        if not 0 <= segment < num_segments:
            raise InvalidArgumentError(
                None,
                None,
                f"tf.strings.unsorted_segment_join: segment id {segment} must be in [0, num_segments={num_segments}).",
            )
        for j, value in enumerate(np.asarray(row, dtype=object).reshape(-1)):
            parts[segment][j].append(value)
    out = np.empty((num_segments, len(parts[0]) if parts else 0), dtype=object)
    for i, segment in enumerate(parts):
        for j, values in enumerate(segment):
            out[i, j] = sep.join(values)
    return StringTensor._wrap(out.reshape((num_segments,) + inner))


def _ngrams_of(tokens, widths, sep, left, right, padding_width, preserve_short):
    out = []
    for width in widths:
        pad = width - 1 if padding_width is None else min(int(padding_width), width - 1)
        padded = [left] * pad + tokens + [right] * pad if (left is not None) else tokens
        count = len(padded) - width + 1
        if count <= 0 and preserve_short and tokens and left is None:
            out.append(sep.join(tokens))
            continue
        out.extend(sep.join(padded[i : i + width]) for i in range(max(0, count)))
    return out


def ngrams(
    data, ngram_width, separator=" ", pad_values=None, padding_width=None, preserve_short_sequences=False, name=None
):
    """The n-grams of each row of tokens (the innermost axis), joined by `separator`.

    Args:
        data: a string tensor `[..., tokens]` or a RaggedTensor of token rows.
        ngram_width: an int, or a list of them (their n-grams follow one another).
        pad_values: None, a string, or `(left, right)` strings added `padding_width`
            (default `ngram_width - 1`) times on each side.
        preserve_short_sequences: without padding, a row shorter than `ngram_width` gives one
            n-gram of all its tokens instead of none.

    Example:

    >>> import capas as tf
    >>> tf.strings.ngrams(["a", "b", "c"], 2).numpy().tolist()
    [b'a b', b'b c']
    """
    widths = [int(ngram_width)] if isinstance(ngram_width, int) else [int(w) for w in ngram_width]
    sep = separator.encode() if isinstance(separator, str) else separator
    left = right = None
    if pad_values is not None:
        left, right = (pad_values, pad_values) if isinstance(pad_values, (str, bytes)) else tuple(pad_values)
        left = left.encode() if isinstance(left, str) else left
        right = right.encode() if isinstance(right, str) else right

    def grams(row):
        return _ngrams_of(list(row), widths, sep, left, right, padding_width, preserve_short_sequences)

    def as_strings(flat):
        return StringTensor(np.asarray(list(flat) + [None], dtype=object)[:-1])

    if isinstance(data, RaggedTensor):
        rows = [grams(np.asarray(row.numpy(), dtype=object).tolist()) for row in data]
        return RaggedTensor.from_rows(rows, as_strings)
    arr = as_string_tensor(data)._array
    if arr.ndim == 0:
        raise ValueError("tf.strings.ngrams: `data` must have at least one axis of tokens; received a scalar.")
    rows = [grams(row.tolist()) for row in arr.reshape(-1, arr.shape[-1])]
    length = len(rows[0]) if rows else 0
    out = np.empty((len(rows), length), dtype=object)
    for i, row in enumerate(rows):
        out[i, :] = row
    return StringTensor._wrap(out.reshape(arr.shape[:-1] + (length,)))


_CODECS = {
    "UTF-8": "utf-8",
    "UTF-16-BE": "utf-16-be",
    "UTF-32-BE": "utf-32-be",
    "UTF-16-LE": "utf-16-le",
    "UTF-32-LE": "utf-32-le",
    "US-ASCII": "ascii",
    "ISO-8859-1": "latin-1",
}


def _codec(encoding, op):
    key = str(encoding).upper().replace("_", "-")
    if key not in _CODECS:
        raise ValueError(f"tf.strings.{op}: unknown encoding {encoding!r}; known: {', '.join(_CODECS)}.")
    return _CODECS[key]


def unicode_transcode(
    input,
    input_encoding,
    output_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """Re-encode each string from `input_encoding` to `output_encoding` (invalid input replaced, or an error with `errors='strict'`)."""
    source, target = _codec(input_encoding, "unicode_transcode"), _codec(output_encoding, "unicode_transcode")
    python_errors = {"replace": "replace", "ignore": "ignore", "strict": "strict"}[errors]

    def transcode(value):
        text = value.decode(source, errors=python_errors)
        if python_errors == "replace" and replacement_char != 65533:
            text = text.replace("\ufffd", chr(replacement_char))
        if replace_control_characters:
            text = "".join(chr(replacement_char) if ord(c) < 32 else c for c in text)
        return text.encode(target, errors="replace")

    arr = as_string_tensor(input)._array
    out = np.empty(arr.shape, dtype=object)
    for i, v in enumerate(arr.reshape(-1)):
        out.reshape(-1)[i] = transcode(v)
    return StringTensor._wrap(out)


def _chars_with_offsets(value):
    chars, offsets, position = [], [], 0
    for char in value.decode("utf-8", errors="replace"):
        encoded = char.encode("utf-8")
        chars.append(char)
        offsets.append(position)
        position += len(encoded) if char != "\ufffd" or value[position : position + 3] == encoded else 1
    return chars, offsets


def _with_offsets(input, make_values, values_fn):
    arr = as_string_tensor(input)._array
    offsets_fn = lambda flat: torch.tensor(list(flat), dtype=torch.int64)  # noqa: E731
    if arr.ndim == 0:
        chars, offsets = _chars_with_offsets(arr[()])
        return values_fn(make_values(chars)), offsets_fn(offsets)
    if arr.ndim != 1:
        raise ValueError(f"tf.strings: expected a scalar or a 1-D string tensor; received shape {arr.shape}.")
    pairs = [_chars_with_offsets(v) for v in arr]
    values = RaggedTensor.from_rows([make_values(c) for c, _ in pairs], values_fn)
    offsets = RaggedTensor.from_rows([o for _, o in pairs], offsets_fn)
    return values, offsets


def unicode_decode_with_offsets(
    input, input_encoding, errors="replace", replacement_char=65533, replace_control_characters=False, name=None
):
    """`(code points, byte offsets)` of each UTF-8 string (RaggedTensors for a 1-D input)."""
    _codec(input_encoding, "unicode_decode_with_offsets")
    return _with_offsets(
        input,
        lambda chars: [ord(c) for c in chars],
        lambda flat: torch.tensor(list(flat), dtype=torch.int32),
    )


def unicode_split_with_offsets(input, input_encoding, errors="replace", replacement_char=65533, name=None):
    """`(characters, byte offsets)` of each UTF-8 string (RaggedTensors for a 1-D input)."""
    _codec(input_encoding, "unicode_split_with_offsets")
    return _with_offsets(
        input,
        lambda chars: [c.encode("utf-8") for c in chars],
        lambda flat: StringTensor(np.asarray(list(flat) + [None], dtype=object)[:-1]),
    )


def _format_float(value, dtype):
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    short, long_ = (15, 17) if dtype == np.float64 else (6, 9)
    text = "%.*g" % (short, value)
    cast = np.float64 if dtype == np.float64 else np.float32
    if cast(text) != cast(value):  # TF's FloatToBuffer: more digits only when the short form does not round-trip
        text = "%.*g" % (long_, value)
    return text


def _format_scalar(value, dtype):
    if dtype.kind == "O":
        return '"' + value.decode("utf-8", errors="replace") + '"'
    if dtype == np.bool_:
        return "1" if value else "0"
    if np.issubdtype(dtype, np.floating):
        return _format_float(float(value), dtype)
    return str(int(value))


def _format_tensor(array, summarize, depth=0):
    if array.ndim == 0:
        return _format_scalar(array[()], array.dtype)
    n = array.shape[0]
    if summarize >= 0 and n > 2 * summarize:
        picks = list(range(summarize)) + [None] + list(range(n - summarize, n))
    else:
        picks = list(range(n))
    if array.ndim == 1:
        return "[" + " ".join("..." if i is None else _format_scalar(array[i], array.dtype) for i in picks) + "]"
    separator = "\n" * (array.ndim - 1) + " " * (depth + 1)
    return (
        "["
        + separator.join("..." if i is None else _format_tensor(array[i], summarize, depth + 1) for i in picks)
        + "]"
    )


def _as_numpy(value):
    if isinstance(value, StringTensor):
        return np.asarray(value.numpy(), dtype=object)
    tensor = as_string_tensor(value) if isinstance(value, (str, bytes)) else convert_to_tensor(value)
    if isinstance(tensor, StringTensor):
        return np.asarray(tensor.numpy(), dtype=object)
    tensor = tensor.detach().cpu()
    if tensor.dtype in (torch.float16, torch.bfloat16):
        return tensor.float().numpy()
    return tensor.numpy()


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001 - TF's name
    """A scalar string: `template` with each `placeholder` replaced by one input printed as TF prints tensors.

    Tensors print as nested `[a b c]` rows (floats in TF's shortest round-trip form, strings quoted,
    bools as 1/0), with only the first and last `summarize` entries of long axes (-1: all).

    Example:

    >>> import capas as tf
    >>> tf.strings.format("loss {} at {}", (tf.constant(0.25), tf.range(10))).numpy()
    b'loss 0.25 at [0 1 2 ... 7 8 9]'
    """
    if not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    text = template.decode() if isinstance(template, bytes) else str(template)
    pieces = text.split(placeholder)
    if len(pieces) - 1 != len(inputs):
        raise ValueError(
            f"The template expects {len(pieces) - 1} tensors, but the inputs only has {len(inputs)}. Please ensure "
            "the number of placeholders in template matches inputs length."
        )
    out = [pieces[0]]
    for value, piece in zip(inputs, pieces[1:]):
        out.append(_format_tensor(_as_numpy(value), int(summarize)))
        out.append(piece)
    return StringTensor("".join(out).encode("utf-8"))
