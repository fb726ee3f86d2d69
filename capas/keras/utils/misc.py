"""Small utilities tutorials use: to_categorical, set_random_seed, normalize, clear_session."""

import random
import gc

import numpy as np
import torch

from capas.keras.utils import naming


def to_categorical(x, num_classes=None):
    """Integer class vector -> one-hot matrix (numpy, float64 as in TF/Keras 3), as keras.utils.to_categorical.

    `fit` casts float64 data to float32 on the way to the device.

    Example:

    >>> y = to_categorical([0, 2], num_classes=3)
    >>> y
    array([[1., 0., 0.],
           [0., 0., 1.]])
    >>> y.dtype
    dtype('float64')
    """
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    x = np.asarray(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if x.size and x.min() < 0:
        raise ValueError(f"to_categorical: class indices must be >= 0, received {x.min()}.")
    num_classes = int(num_classes) if num_classes is not None else int(x.max()) + 1 if x.size else 0
    if x.size and x.max() >= num_classes:
        raise ValueError(f"to_categorical: class index {x.max()} is out of range for num_classes={num_classes}.")
    out = np.zeros((x.size, num_classes), dtype="float64")
    out[np.arange(x.size), x] = 1.0
    return out.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Normalize an array to unit `order`-norm along `axis`."""
    if isinstance(x, torch.Tensor):
        return torch.nn.functional.normalize(x, p=order, dim=axis)
    x = np.asarray(x)
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    norm[norm == 0] = 1
    return x / norm


def set_random_seed(seed):
    """Seed Python's, numpy's and torch's random generators (keras.utils.set_random_seed)."""
    if not isinstance(seed, int):
        raise TypeError(f"set_random_seed expects an int, received {type(seed).__name__}.")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    # in-function: import cycle keras.random.seed_generator -> keras.utils -> this module
    from capas.keras.random import seed_generator  # unseeded keras.random ops restart from the new seed

    seed_generator._GLOBAL.clear()


def clear_session(free_memory=True):
    """Reset layer-name counters (so names start again at 'dense') and free cached memory."""
    naming.reset_uids()
    gc.collect()
    if free_memory and torch.cuda.is_available():
        torch.cuda.empty_cache()
