"""California housing price regression dataset."""

import numpy as np

from capas.keras.datasets import _fetch
from capas.keras.datasets import _sources
from capas.keras.datasets import _tabular


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Loads the California Housing dataset.

    A regression dataset of 20,640 census block groups from 1990 with 8
    features each (MedInc, HouseAge, AveRooms, AveBedrms, Population,
    AveOccup, Latitude, Longitude); the target is the median house value in
    dollars.

    Args:
        version: `"small"` (the first 600 samples, a stand-in for
            `boston_housing`) or `"large"` (all 20,640 samples).
        path: the cache file: a name inside the capas dataset cache, or an
            absolute path.
        test_split: fraction of the data to reserve as test set, in `[0, 1)`.
        seed: random seed for shuffling the data before the split.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`:
        **x** of shape `(num_samples, 8)`, **y** of shape `(num_samples,)`.

    Example:

    >>> (x_train, y_train), _ = california_housing.load_data(version="small")  # doctest: +SKIP
    >>> x_train.shape  # doctest: +SKIP
    (480, 8)
    """
    who = "california_housing.load_data"
    _tabular.check_test_split(test_split, who)
    if version not in ("small", "large"):
        raise ValueError(f"{who}: `version` must be one of 'small', 'large'. Received: version={version!r}.")
    fpath = _fetch.get_file(_sources.CALIFORNIA_HOUSING, path=path)
    with np.load(fpath, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return _tabular.shuffle_split(x, y, test_split, seed)
