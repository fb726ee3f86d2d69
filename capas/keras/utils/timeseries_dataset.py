"""`keras.utils.timeseries_dataset_from_array`: sliding windows over a time series."""

import numpy as np
import torch

from capas.data import Dataset


def _as_tensor(array):
    if isinstance(array, torch.Tensor):
        return array
    return torch.from_numpy(np.ascontiguousarray(np.asarray(array)))


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
):
    """A Dataset of windows `data[i : i + sequence_length * sampling_rate : sampling_rate]`.

    Window starts run from 0 in steps of `sequence_stride` (relative to
    `start_index`); the target of the window starting at `i` is `targets[i]`.
    With `shuffle=True` the window order is `np.random.RandomState(seed)`'s
    permutation, as in Keras.

    Args:
        data: array or tensor, time steps on the first axis.
        targets: one target per time step, or None (windows only).
        sequence_length: steps per window.
        sequence_stride: steps between window starts.
        sampling_rate: steps between the rows of a window.
        batch_size: windows per batch (None: single windows).
        shuffle: shuffle the windows.
        seed: seed of the shuffle.
        start_index, end_index: use `data[start_index:end_index]` only.

    Returns:
        A `capas.data.Dataset` of `(windows, targets)` batches, or of windows.

    Example:

    >>> import numpy as np
    >>> from capas import keras
    >>> ds = keras.utils.timeseries_dataset_from_array(np.arange(10), None, sequence_length=3, sequence_stride=4)
    >>> next(iter(ds)).tolist()
    [[0, 1, 2], [4, 5, 6]]
    """
    n = len(data)
    if start_index is not None and not 0 <= start_index < n:
        raise ValueError(
            f"`start_index` must be in [0, {n}) for data of length {n}. Received: start_index={start_index}"
        )
    if end_index is not None:
        if end_index <= 0 or end_index >= n or (start_index and end_index <= start_index):
            raise ValueError(
                f"`end_index` must be higher than 0 and than `start_index`, and lower than the length of the data "
                f"({n}). Received: start_index={start_index}, end_index={end_index}"
            )
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if not 0 < value < n:
            raise ValueError(
                f"`{name}` must be higher than 0 and lower than the length of the data ({n}). Received: {name}={value}"
            )
    start = start_index or 0
    stop = n if end_index is None else end_index
    num_seqs = stop - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride, dtype="int64")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(positions)
    steps = _as_tensor(data)[start:stop]
    offsets = torch.arange(0, sequence_length * sampling_rate, sampling_rate)
    target_steps = _as_tensor(targets)[start:stop] if targets is not None else None

    def window(position):
        position = torch.as_tensor(position)
        rows = steps[(position.unsqueeze(-1) + offsets).reshape(-1)]
        windows = rows.reshape(tuple(position.shape) + (len(offsets),) + tuple(steps.shape[1:]))
        if target_steps is None:
            return windows
        return windows, target_steps[position]

    dataset = Dataset.from_tensor_slices(positions)
    if shuffle:
        dataset = dataset.shuffle(batch_size * 8 if batch_size is not None else 1024, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset.map(window)
