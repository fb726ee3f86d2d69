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
    # in-function: import cycle keras.trainers.data_adapters -> keras.layers -> ... -> keras.utils -> this module
    from capas.keras.trainers.data_adapters import unpack_x_y_sample_weight as unpack

    return unpack(data)


def is_keras_tensor(x):
    """Whether `x` is a symbolic KerasTensor (from `keras.Input` or a layer called on one)."""
    return getattr(type(x), "_is_keras_tensor", False)


def standardize_dtype(dtype):
    """A dtype in any spelling -> its Keras name ("float32", ...)."""
    # in-function: import cycle keras.backend._values -> keras.utils -> this module
    from capas.keras.backend._values import standardize_dtype as standardize

    return standardize(dtype)


def get_source_inputs(tensor):
    """The `keras.Input` tensors that `tensor` was computed from, in first-use order.

    Example:

    >>> from capas import keras
    >>> a, b = keras.Input((2,)), keras.Input((2,))
    >>> out = keras.layers.Add()([a, keras.layers.Dense(2)(b)])
    >>> [t is a or t is b for t in keras.utils.get_source_inputs(out)]
    [True, True]
    """
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return [tensor]
    layer, node_index, _ = history
    inputs = layer._inbound_nodes[node_index].input_tensors
    if not inputs:
        return [tensor]
    found = []
    for t in inputs:
        for source in get_source_inputs(t):
            if not any(source is seen for seen in found):
                found.append(source)
    return found
