"""`keras.utils.split_dataset`: one dataset -> a left and a right `capas.data.Dataset`."""

import random

import numpy as np
import torch

from capas._nest import flatten, map_structure
from capas.data import Dataset


def _rows(dataset):
    """The samples of `dataset` as (structure of per-sample tensors list, first element)."""
    if isinstance(dataset, Dataset):
        samples = list(dataset)
    elif isinstance(dataset, (np.ndarray, torch.Tensor)):
        return [dataset], None, len(dataset)
    elif (
        isinstance(dataset, (list, tuple))
        and dataset
        and all(isinstance(a, (np.ndarray, torch.Tensor, list)) for a in dataset)
    ):
        arrays = [np.asarray(a) if isinstance(a, list) else a for a in dataset]
        sizes = {len(a) for a in arrays}
        if len(sizes) != 1:
            raise ValueError(f"split_dataset: the arrays of `dataset` must have the same length; got {sorted(sizes)}.")
        return arrays, type(dataset)(arrays), sizes.pop()
    elif isinstance(dataset, dict):
        arrays = list(dataset.values())
        return arrays, dict(dataset), len(arrays[0])
    else:
        raise TypeError(
            "split_dataset: `dataset` must be a capas.data.Dataset, an array, or a list/tuple/dict of arrays; "
            f"received {type(dataset).__name__}."
        )
    if not samples:
        raise ValueError("split_dataset: `dataset` is empty.")
    columns = [torch.stack([torch.as_tensor(c) for c in col]) for col in zip(*[flatten(s) for s in samples])]
    return columns, samples[0], len(samples)


def _sizes(left_size, right_size, total):
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(f"split_dataset: `{name}` must be an int or a float; received type({name})={type(size)}.")
        if size is not None and (size <= 0 or (size >= total if type(size) is int else size >= 1)):
            raise ValueError(
                f"split_dataset: `{name}` should be either a positive integer smaller than {total}, or a float "
                f"within the range [0, 1]. Received: {name}={size}"
            )
    if type(left_size) is type(right_size) is float and left_size + right_size > 1:
        raise ValueError(f"split_dataset: left_size + right_size = {left_size + right_size} exceeds 1.")
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"split_dataset: left_size + right_size = {left + right} exceeds the {total} samples.")
    if left == 0 or right == 0:
        side = "left" if left == 0 else "right"
        raise ValueError(
            f"split_dataset: with {total} samples, left_size={left_size} and right_size={right_size} "
            f"leave the {side} split empty."
        )
    return int(left), int(right)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None, preferred_backend=None):
    """Split a dataset (or arrays) into a left and a right Dataset.

    Sizes are sample counts (int) or fractions (float); one of them may be
    None (the rest of the samples). With `shuffle=True` the samples are put
    in the order of Python's `random.Random(seed).shuffle`, so a seed gives
    the same split as Keras.

    Args:
        dataset: a `capas.data.Dataset` (of unbatched samples), an array, or a list/tuple/dict of arrays.
        left_size: size of the left split.
        right_size: size of the right split.
        shuffle: shuffle before splitting.
        seed: the shuffle's seed.
        preferred_backend: ignored (capas always returns capas.data.Dataset).

    Returns:
        `(left, right)`, two `capas.data.Dataset`s.

    Example:

    >>> import numpy as np
    >>> from capas import keras
    >>> left, right = keras.utils.split_dataset(np.arange(10), left_size=0.8)
    >>> len(list(left)), len(list(right))
    (8, 2)
    """
    if left_size is None and right_size is None:
        raise ValueError("At least one of `left_size` or `right_size` must be specified; both are None.")
    columns, structure, total = _rows(dataset)
    order = list(range(total))
    if shuffle:
        random.Random(seed if seed is not None else random.randint(0, int(1e6))).shuffle(order)
    left, right = _sizes(left_size, right_size, total)

    def take(indices):
        index = np.asarray(indices, dtype="int64")
        parts = [c[torch.as_tensor(index)] if isinstance(c, torch.Tensor) else np.asarray(c)[index] for c in columns]
        if structure is None:
            return Dataset.from_tensor_slices(parts[0])
        leaves = iter(parts)
        packed = map_structure(lambda _: next(leaves), structure)
        return Dataset.from_tensor_slices(tuple(packed) if isinstance(packed, list) else packed)

    return take(order[:left]), take(order[total - right :])
