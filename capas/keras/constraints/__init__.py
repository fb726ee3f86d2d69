"""keras.constraints: weight projections and the `get`/`serialize`/`deserialize` registry."""

from capas.keras.constraints.constraint import Constraint as Constraint
from capas.keras.constraints.constraints import MaxNorm as MaxNorm
from capas.keras.constraints.constraints import MaxNorm as max_norm
from capas.keras.constraints.constraints import MinMaxNorm as MinMaxNorm
from capas.keras.constraints.constraints import MinMaxNorm as min_max_norm
from capas.keras.constraints.constraints import NonNeg as NonNeg
from capas.keras.constraints.constraints import NonNeg as non_neg
from capas.keras.constraints.constraints import UnitNorm as UnitNorm
from capas.keras.constraints.constraints import UnitNorm as unit_norm
from capas.keras.saving import serialization_lib as _serialization_lib


def serialize(constraint):
    """Returns the constraint configuration as a Python dict (Keras 3's layout).

    Example:

    >>> from capas.keras import constraints
    >>> constraints.serialize(constraints.MaxNorm(3))["config"]
    {'max_value': 3, 'axis': 0}
    """
    return _serialization_lib.serialize_family_object(constraint, "constraints", "constraint")


def deserialize(config, custom_objects=None):
    """Returns a constraint from a config dict (or a name).

    Args:
        config: A dict as returned by `serialize()`, or a constraint name.
        custom_objects: Optional dict mapping names to custom classes.
    """
    return _serialization_lib.deserialize_family_object(config, "constraints", "constraint", custom_objects)


def get(identifier):
    """Retrieves a constraint via an identifier.

    Args:
        identifier: None (returns None); a name such as `"max_norm"`; a
            config dict; a `Constraint` class (instantiated) or instance; or a
            callable `fn(w) -> projected w`.

    Example:

    >>> from capas.keras import constraints
    >>> constraints.get("max_norm")
    MaxNorm(max_value=2, axis=0)
    """
    if identifier is None:
        return None
    return _serialization_lib.get_family_object(
        identifier,
        "constraints",
        "constraint",
        accepts="a callable `fn(w)` returning the projected weight",
        examples=("max_norm", "non_neg", "unit_norm"),
    )
