"""Top-level ops of the tfdata2 work: `tf.as_string`, `tf.edit_distance`, `tf.fingerprint`."""

import numpy as np
import torch

from capas.errors import InvalidArgumentError
from capas.ops._hashes import fingerprint64
from capas.ops.strings import StringTensor, is_string_value


def _numpy(value):
    if isinstance(value, StringTensor) or is_string_value(value):
        return np.asarray(value.numpy() if hasattr(value, "numpy") else value, dtype=object)
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="", name=None):  # noqa: A002
    """Format each number as a string (`tf.as_string`): ints as `%d`, floats as `%f` (or `%e`
    with `scientific`, `%g` with `shortest`), bools as `true`/`false`.

    Example:

    >>> import capas as tf
    >>> tf.as_string(tf.constant([1.5, 2.0]), precision=2).numpy().tolist()
    [b'1.50', b'2.00']
    """
    arr = _numpy(input)
    if scientific and shortest:
        raise ValueError("as_string: pass at most one of scientific=True and shortest=True.")
    if len(fill) > 1:
        raise ValueError(f"as_string: fill must be at most one character, got {fill!r}.")
    kind = arr.dtype.kind
    if kind == "O":
        raise TypeError("as_string: the input must be numbers or bools, got strings.")
    if kind in "iu" and (precision > -1 or scientific or shortest):
        raise InvalidArgumentError(
            None, None, f"as_string: precision, scientific and shortest apply to floats only, got {arr.dtype}."
        )
    flags = fill if fill else ""
    spec = "%" + flags + (str(width) if width > -1 else "")
    if kind == "f":
        spec += (f".{precision}" if precision > -1 else "") + ("g" if shortest else "e" if scientific else "f")
    elif kind == "c":
        part = spec + (f".{precision}" if precision > -1 else "") + ("g" if shortest else "e" if scientific else "f")
        spec = None
    else:
        spec += "d"

    def one(x):
        if kind == "b":
            text = "true" if x else "false"
            return (("%" + (str(width) if width > -1 else "") + "s") % text).encode()
        if kind == "c":
            return f"({part % x.real},{part % x.imag})".encode()
        return (spec % x).encode()

    out = np.empty(arr.shape, dtype=object)
    for index, x in np.ndenumerate(arr):
        out[index] = one(x)
    return StringTensor(out)


def _sparse_groups(sp):
    """{outer index tuple: {last index: value}} of a SparseTensor."""
    indices = sp.indices.tolist()
    values = _numpy(sp.values).tolist()
    groups = {}
    for idx, v in zip(indices, values):
        groups.setdefault(tuple(idx[:-1]), {})[idx[-1]] = v
    return groups


def _levenshtein(a, b):
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance"):
    """Levenshtein distance between the sequences of two SparseTensors (`tf.edit_distance`).

    The last dimension holds the sequences; the result has the other dimensions (the larger of
    the two dense shapes). With `normalize`, distances are divided by the truth's length (an
    empty truth gives inf against a non-empty hypothesis).

    Example:

    >>> import capas as tf
    >>> h = tf.sparse.SparseTensor([[0, 0], [0, 1]], ["a", "b"], [1, 2])
    >>> t = tf.sparse.SparseTensor([[0, 0], [0, 1], [0, 2]], ["a", "c", "d"], [1, 3])
    >>> tf.edit_distance(h, t).numpy().tolist()
    [0.6666666865348816]
    """
    for what, sp in (("hypothesis", hypothesis), ("truth", truth)):
        if not hasattr(sp, "indices") or not hasattr(sp, "dense_shape"):
            raise TypeError(f"edit_distance: {what} must be a tf.sparse.SparseTensor, got {type(sp).__name__}.")
    h_shape = hypothesis.dense_shape.tolist()
    t_shape = truth.dense_shape.tolist()
    if len(h_shape) != len(t_shape):
        raise ValueError(f"edit_distance: hypothesis and truth ranks differ ({len(h_shape)} vs {len(t_shape)}).")
    out_shape = [max(a, b) for a, b in zip(h_shape[:-1], t_shape[:-1])]
    h_groups, t_groups = _sparse_groups(hypothesis), _sparse_groups(truth)
    out = np.zeros(out_shape, dtype=np.float32)
    for index in np.ndindex(*out_shape):
        h = [v for _, v in sorted(h_groups.get(index, {}).items())]
        t = [v for _, v in sorted(t_groups.get(index, {}).items())]
        d = float(_levenshtein(h, t))
        if normalize:
            d = d / len(t) if t else (np.inf if h else 0.0)
        out[index] = d
    return torch.from_numpy(out)


def fingerprint(data, method="farmhash64", name=None):
    """A uint8 `[N, 8]` fingerprint of each row of `data` (`tf.fingerprint`, FarmHash Fingerprint64
    of the row's bytes, little-endian; a string row hashes each string's fingerprint in turn).

    Example:

    >>> import capas as tf
    >>> tf.fingerprint(tf.constant([[1, 2], [3, 4]], tf.int32)).shape
    torch.Size([2, 8])
    """
    if method != "farmhash64":
        raise ValueError(f"fingerprint: the only method is 'farmhash64', got {method!r}.")
    arr = _numpy(data)
    if arr.ndim < 1:
        raise ValueError("fingerprint: data must have at least one dimension (the rows).")
    rows = []
    for row in arr.reshape(arr.shape[0], -1):
        if arr.dtype.kind == "O":
            parts = [fingerprint64(s if isinstance(s, bytes) else str(s).encode()) for s in row]
            raw = (
                parts[0].to_bytes(8, "little") if len(parts) == 1 else b"".join(p.to_bytes(8, "little") for p in parts)
            )
            value = parts[0] if len(parts) == 1 else fingerprint64(raw)
        else:
            value = fingerprint64(np.ascontiguousarray(row).astype(row.dtype.newbyteorder("<")).tobytes())
        rows.append(list(value.to_bytes(8, "little")))
    return torch.tensor(rows, dtype=torch.uint8).reshape(arr.shape[0], 8)
