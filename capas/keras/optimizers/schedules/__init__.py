"""Learning rate schedules (`keras.optimizers.schedules`) and their registry."""

from capas.keras.optimizers.schedules.cosine_decay import CosineDecay as CosineDecay
from capas.keras.optimizers.schedules.cosine_decay import CosineDecayRestarts as CosineDecayRestarts
from capas.keras.optimizers.schedules.exponential_decay import ExponentialDecay as ExponentialDecay
from capas.keras.optimizers.schedules.inverse_time_decay import InverseTimeDecay as InverseTimeDecay
from capas.keras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule as LearningRateSchedule
from capas.keras.optimizers.schedules.piecewise_constant_decay import (
    PiecewiseConstantDecay as PiecewiseConstantDecay,
)
from capas.keras.optimizers.schedules.polynomial_decay import PolynomialDecay as PolynomialDecay
from capas.keras.saving import object_registration as _registration
from capas.keras.utils import naming as _naming

_BUILTINS = {
    cls.__name__: cls
    for cls in (
        LearningRateSchedule,
        ExponentialDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        InverseTimeDecay,
        CosineDecay,
        CosineDecayRestarts,
    )
}


def serialize(learning_rate_schedule):
    """A schedule as Keras 3's config dict (`module`, `class_name`, `config`, `registered_name`)."""
    cls = type(learning_rate_schedule)
    builtin = _BUILTINS.get(cls.__name__) is cls
    registered = _registration.get_registered_name(cls)
    return {
        "module": "keras.optimizers.schedules" if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": learning_rate_schedule.get_config(),
        "registered_name": None if builtin or registered == cls.__name__ else registered,
    }


def deserialize(config, custom_objects=None):
    """Rebuild a schedule from `serialize()`'s dict (or `{'class_name', 'config'}`)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "keras.optimizers.schedules.deserialize() expects a dict with 'class_name' and "
            f"'config' keys, as serialize() writes. Received: {config!r}."
        )
    name = config.get("registered_name") or config["class_name"]
    cls = _registration.get_registered_object(name, custom_objects, _BUILTINS)
    if cls is None and name != config["class_name"]:
        cls = _registration.get_registered_object(config["class_name"], custom_objects, _BUILTINS)
    if cls is None:
        raise _naming.unknown_name_error("learning rate schedule", name, list(_BUILTINS))
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier):
    """A schedule from an instance, a config dict or a class name."""
    if identifier is None or isinstance(identifier, LearningRateSchedule):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    raise TypeError(
        "Could not interpret learning rate schedule identifier: "
        f"{identifier!r} (type {type(identifier).__name__}). Pass a LearningRateSchedule, a dict or a name."
    )


from capas.keras.saving.object_registration import register_builtins as _register_builtins  # noqa: E402

_register_builtins("schedules", globals())
