"""`keras.Variable`: Keras 3's variable constructor, making the one capas `Variable`."""

from capas.variables import Variable as _Variable
from capas.keras import initializers


class _KerasVariableMeta(type(_Variable)):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _Variable)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, _Variable)


class Variable(_Variable, metaclass=_KerasVariableMeta):
    """A variable, made with Keras 3's argument order.

    `keras.Variable(initializer, shape=None, dtype=None, trainable=True, name=None)`
    returns the same class as `tf.Variable` (layer weights included), so
    `isinstance(layer.kernel, keras.Variable)` holds.

    Args:
        initializer: a tensor, array or number; an initializer object or
            callable called with `shape` and `dtype`; or an initializer name
            such as `"zeros"`.
        shape: the shape passed to a callable or named initializer.
        dtype: the dtype; an array keeps its own dtype when None, an
            initializer makes float32.
        trainable: whether gradients train it.
        autocast: accepted for Keras compatibility (mixed precision casts reads
            inside layers in any case).
        aggregation: accepted for Keras compatibility; only `"none"`/`"mean"`
            style values, ignored on one device.
        synchronization: accepted for Keras compatibility; ignored.
        name: the variable's name (default `"variable"`).

    Example:

    >>> from capas import keras
    >>> v = keras.Variable("ones", shape=(2,), name="w")
    >>> v.assign_add([1.0, 2.0]).numpy()
    array([2., 3.], dtype=float32)
    """

    def __new__(
        cls,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
    ):
        if isinstance(initializer, str):
            initializer = initializers.get(initializer)
        if callable(initializer) and shape is None:
            raise ValueError(
                f"keras.Variable(initializer={initializer!r}) needs a `shape` to call the "
                "initializer with; pass e.g. keras.Variable(initializer, shape=(2, 3))."
            )
        return _Variable(
            initial_value=initializer,
            trainable=trainable,
            name="variable" if name is None else name,
            dtype=dtype,
            shape=shape,
        )
