"""`keras.utils.pad_sequences`: a list of sequences -> one padded numpy array."""

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pad (or cut) sequences to the same length.

    Args:
        sequences: list of sequences (lists or arrays; their items may be arrays too).
        maxlen: the output length (default: the longest sequence).
        dtype: output dtype (use "object" or a string dtype for text).
        padding: "pre" or "post": where the padding goes.
        truncating: "pre" or "post": which end of a long sequence is cut.
        value: the padding value.

    Returns:
        numpy array `(len(sequences), maxlen, ...)`.

    Example:

    >>> from capas import keras
    >>> keras.utils.pad_sequences([[1, 2, 3], [4]], maxlen=2).tolist()
    [[2, 3], [0, 4]]
    >>> keras.utils.pad_sequences([[1], [2, 3]], padding="post").tolist()
    [[1, 0], [2, 3]]
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable (a list of sequences).")
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood; use "pre" or "post".')
    if truncating not in ("pre", "post"):
        raise ValueError(f'Truncating type "{truncating}" not understood; use "pre" or "post".')
    lengths, sample_shape = [], ()
    found_shape = False
    for i, x in enumerate(sequences):
        try:
            lengths.append(len(x))
        except TypeError as exc:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable at index {i}: {x!r}"
            ) from exc
        if not found_shape and len(x):
            sample_shape = np.asarray(x).shape[1:]
            found_shape = True
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_text = np.issubdtype(np.dtype(dtype), np.str_) or np.dtype(dtype) == object
    if isinstance(value, str) and not is_text:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type {type(value).__name__}; "
            "use dtype=object for text padding."
        )
    out = np.full((len(sequences), maxlen) + sample_shape, value, dtype=dtype)
    for i, x in enumerate(sequences):
        if not len(x) or maxlen == 0:
            continue
        kept = x[-maxlen:] if truncating == "pre" else x[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at index {i} differs from the expected "
                f"shape {sample_shape}."
            )
        if padding == "post":
            out[i, : len(kept)] = kept
        else:
            out[i, -len(kept) :] = kept
    return out
