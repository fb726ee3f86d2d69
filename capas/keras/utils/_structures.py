"""keras.utils helpers on data tuples and tensors: pack/unpack `(x, y, sample_weight)`, tensor checks."""


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """`(x,)`, `(x, y)` or `(x, y, sample_weight)`, the tuple `fit` unpacks (x alone if it is not a tuple).

    Example:

    >>> from capas import keras
    >>> keras.utils.pack_x_y_sample_weight([1], [2])
    ([1], [2])
    """
    if y is None:
        return x if not isinstance(x, (tuple, list)) else (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """`(x, y, sample_weight)` from the data a `train_step` receives (missing parts are None).

    Example:

    >>> from capas import keras
    >>> keras.utils.unpack_x_y_sample_weight(([1], [2]))
    ([1], [2], None)
    """
    # The trainer's own rule, imported late (trainers import layers, which import this package).
    from capas.keras.trainers.data_adapters import unpack_x_y_sample_weight as unpack

    return unpack(data)


def is_keras_tensor(x):
    """Whether `x` is a symbolic KerasTensor (from `keras.Input` or a layer called on one)."""
    return getattr(type(x), "_is_keras_tensor", False)


def standardize_dtype(dtype):
    """A dtype in any spelling -> its Keras name ("float32", ...)."""
    from capas.keras.backend._values import standardize_dtype as standardize

    return standardize(dtype)
