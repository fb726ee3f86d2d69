"""keras.activations: activation functions and the `get`/`serialize`/`deserialize` registry."""

import types as _types

from capas.keras.activations.activations import celu as celu
from capas.keras.activations.activations import elu as elu
from capas.keras.activations.activations import exponential as exponential
from capas.keras.activations.activations import gelu as gelu
from capas.keras.activations.activations import glu as glu
from capas.keras.activations.activations import hard_shrink as hard_shrink
from capas.keras.activations.activations import hard_sigmoid as hard_sigmoid
from capas.keras.activations.activations import hard_silu as hard_silu
from capas.keras.activations.activations import hard_silu as hard_swish
from capas.keras.activations.activations import hard_tanh as hard_tanh
from capas.keras.activations.activations import leaky_relu as leaky_relu
from capas.keras.activations.activations import linear as linear
from capas.keras.activations.activations import log_sigmoid as log_sigmoid
from capas.keras.activations.activations import log_softmax as log_softmax
from capas.keras.activations.activations import mish as mish
from capas.keras.activations.activations import relu as relu
from capas.keras.activations.activations import relu6 as relu6
from capas.keras.activations.activations import selu as selu
from capas.keras.activations.activations import sigmoid as sigmoid
from capas.keras.activations.activations import silu as silu
from capas.keras.activations.activations import silu as swish
from capas.keras.activations.activations import soft_shrink as soft_shrink
from capas.keras.activations.activations import softmax as softmax
from capas.keras.activations.activations import softplus as softplus
from capas.keras.activations.activations import softsign as softsign
from capas.keras.activations.activations import sparse_plus as sparse_plus
from capas.keras.activations.activations import sparse_sigmoid as sparse_sigmoid
from capas.keras.activations.activations import sparsemax as sparsemax
from capas.keras.activations.activations import squareplus as squareplus
from capas.keras.activations.activations import tanh as tanh
from capas.keras.activations.activations import tanh_shrink as tanh_shrink
from capas.keras.activations.activations import threshold as threshold
from capas.keras.saving import object_registration as _object_registration
from capas.keras.saving import serialization_lib as _serialization_lib


def serialize(activation):
    """Returns the name of a built-in activation, or a config for a custom one.

    A built-in function serializes to its name (`"relu"`; aliases to the
    canonical name, so `swish` gives `"silu"`). A named custom function gives
    Keras's `{'class_name': 'function', 'config': <registered name>, ...}`,
    and an object with `get_config()` gives its class config.

    Example:

    >>> from capas.keras import activations
    >>> activations.serialize(activations.relu)
    'relu'
    """
    if _object_registration.is_builtin(activation, "activations"):
        return activation.__name__
    if isinstance(activation, (_types.FunctionType, _types.BuiltinFunctionType)):
        if activation.__name__ == "<lambda>":
            raise ValueError(
                f"Cannot serialize the activation {activation!r}: a lambda has no name to "
                "store. Define it with `def`, decorate it with "
                "`@keras.saving.register_keras_serializable()`, and pass the function."
            )
        return _serialization_lib.serialize_family_object(activation, "activations", "activation")
    if hasattr(activation, "get_config"):
        return _serialization_lib.serialize_family_object(activation, "activations", "activation")
    raise ValueError(
        f"Cannot serialize the activation {activation!r} of type {type(activation).__name__}: "
        "pass a built-in activation, a named function registered with "
        "`@keras.saving.register_keras_serializable()`, or an object with `get_config()`."
    )


def deserialize(config, custom_objects=None):
    """Returns an activation function from its name or config.

    Args:
        config: A name such as `"relu"`, or a dict as returned by `serialize()`.
        custom_objects: Optional dict mapping names to custom functions or classes.
    """
    return _serialization_lib.deserialize_family_object(config, "activations", "activation", custom_objects)


def get(identifier):
    """Retrieves an activation function via an identifier.

    Args:
        identifier: None (returns `linear`); a name such as `"relu"`; a
            config dict; a class (instantiated with its defaults); or a callable.

    Returns:
        A callable activation.

    Example:

    >>> from capas.keras import activations
    >>> activations.get("swish") is activations.silu
    True
    >>> activations.get(None) is activations.linear
    True
    """
    if identifier is None:
        return linear
    return _serialization_lib.get_family_object(
        identifier, "activations", "activation", accepts="a callable `fn(x)`", examples=("relu", "softmax", "sigmoid")
    )
