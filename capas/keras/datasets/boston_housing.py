"""Boston housing price regression dataset."""

import numpy as np

from capas.keras.datasets import _fetch
from capas.keras.datasets import _sources
from capas.keras.datasets import _tabular


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads the Boston Housing dataset.

    Samples contain 13 attributes of houses around Boston in the late 1970s;
    targets are median home values in k$. **Warning:** the dataset includes a
    variable, "B", that may appear to assume that racial self-segregation
    influences house prices; use it only to illustrate such issues.

    Args:
        path: the cache file: a name inside the capas dataset cache, or an
            absolute path.
        test_split: fraction of the data to reserve as test set, in `[0, 1)`.
        seed: random seed for shuffling the data before the split.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`:
        **x** of shape `(num_samples, 13)`, **y** of shape `(num_samples,)`.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = boston_housing.load_data()  # doctest: +SKIP
    >>> x_train.shape  # doctest: +SKIP
    (404, 13)
    """
    _tabular.check_test_split(test_split, "boston_housing.load_data")
    fpath = _fetch.get_file(_sources.BOSTON_HOUSING, path=path)
    with np.load(fpath, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return _tabular.shuffle_split(x, y, test_split, seed)
