"""keras.regularizers: weight penalties and the `get`/`serialize`/`deserialize` registry."""

from capas.keras.regularizers.regularizer import Regularizer as Regularizer
from capas.keras.regularizers.regularizers import L1 as L1
from capas.keras.regularizers.regularizers import L1 as l1
from capas.keras.regularizers.regularizers import L1L2 as L1L2
from capas.keras.regularizers.regularizers import L1L2 as l1_l2
from capas.keras.regularizers.regularizers import L2 as L2
from capas.keras.regularizers.regularizers import L2 as l2
from capas.keras.regularizers.regularizers import OrthogonalRegularizer as OrthogonalRegularizer
from capas.keras.regularizers.regularizers import OrthogonalRegularizer as orthogonal_regularizer
from capas.keras.saving import serialization_lib as _serialization_lib

# Keras documents `kernel_regularizer="l1_l2"` as l1=0.01, l2=0.01 (the class defaults are 0.0 for
# backward compatibility).
_NAME_DEFAULTS = {"l1_l2": {"l1": 0.01, "l2": 0.01}}


def serialize(regularizer):
    """Returns the regularizer configuration as a Python dict (Keras 3's layout).

    Example:

    >>> from capas.keras import regularizers
    >>> regularizers.serialize(regularizers.L2(0.1))["config"]
    {'l2': 0.1}
    """
    return _serialization_lib.serialize_family_object(regularizer, "regularizers", "regularizer")


def deserialize(config, custom_objects=None):
    """Returns a regularizer from a config dict (or a name).

    Args:
        config: A dict as returned by `serialize()`, or a regularizer name.
        custom_objects: Optional dict mapping names to custom classes.
    """
    return _serialization_lib.deserialize_family_object(
        config, "regularizers", "regularizer", custom_objects, name_defaults=_NAME_DEFAULTS
    )


def get(identifier):
    """Retrieves a regularizer via an identifier.

    Args:
        identifier: None (returns None); a name such as `"l2"` (factor 0.01);
            a config dict; a `Regularizer` class (instantiated) or instance;
            or a callable `fn(weights) -> scalar`.

    Example:

    >>> from capas.keras import regularizers
    >>> regularizers.get("l1_l2")
    L1L2(l1=0.01, l2=0.01)
    """
    if identifier is None:
        return None
    return _serialization_lib.get_family_object(
        identifier,
        "regularizers",
        "regularizer",
        accepts="a callable `fn(weights)` returning a scalar",
        examples=("l2", "l1", "l1_l2"),
        name_defaults=_NAME_DEFAULTS,
    )
