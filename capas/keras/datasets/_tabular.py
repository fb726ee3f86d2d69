"""Shuffle-and-split for the small regression datasets (Boston, California)."""

import numpy as np


def check_test_split(test_split, who):
    """Raise a ValueError naming `who` unless `0 <= test_split < 1`."""
    if not 0 <= test_split < 1:
        raise ValueError(
            f"{who}: `test_split` must be a fraction in [0, 1) (0.2 keeps 20% for "
            f"testing). Received: test_split={test_split!r}."
        )


def shuffle_split(x, y, test_split, seed):
    """Shuffle `(x, y)` with `RandomState(seed)` and cut off the last `test_split` for testing."""
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    split = int(len(x) * (1 - test_split))
    return (x[:split], y[:split]), (x[split:], y[split:])
