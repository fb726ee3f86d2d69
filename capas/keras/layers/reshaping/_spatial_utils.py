"""Argument parsing shared by Cropping, ZeroPadding and UpSampling layers."""


def normalize_pairs(value, rank, arg, owner):
    """An int, `rank` ints or `rank` pairs -> a tuple of `rank` (before, after) pairs."""

    def is_int(v):
        return isinstance(v, int) and not isinstance(v, bool)

    if is_int(value):
        pairs = ((value, value),) * rank
    elif rank == 1 and isinstance(value, (list, tuple)) and len(value) == 2 and all(is_int(v) for v in value):
        pairs = (tuple(value),)
    elif isinstance(value, (list, tuple)) and len(value) == rank:
        pairs = []
        for v in value:
            if is_int(v):
                pairs.append((v, v))
            elif isinstance(v, (list, tuple)) and len(v) == 2 and all(is_int(x) for x in v):
                pairs.append(tuple(v))
            else:
                pairs = None
                break
        pairs = tuple(pairs) if pairs is not None else None
    else:
        pairs = None
    if pairs is None or any(x < 0 for p in pairs for x in p):
        raise ValueError(
            f"{owner}: `{arg}` must be a non-negative int, a tuple of {rank} ints, or a tuple of {rank} "
            f"(before, after) pairs; received {arg}={value!r}."
        )
    return pairs


def spatial_axes(rank, data_format, ndim):
    """The spatial axes of a (batch, ..., channels) or (batch, channels, ...) tensor."""
    return list(range(1, rank + 1)) if data_format == "channels_last" else list(range(2, ndim))
