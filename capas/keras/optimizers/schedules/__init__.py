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
from capas.keras.saving import serialization_lib as _serialization_lib


def serialize(learning_rate_schedule):
    """A schedule as Keras 3's config dict (`module`, `class_name`, `config`, `registered_name`)."""
    return _serialization_lib.serialize_family_object(learning_rate_schedule, "schedules", "learning rate schedule")


def deserialize(config, custom_objects=None):
    """Rebuild a schedule from `serialize()`'s dict (or `{'class_name', 'config'}`)."""
    return _serialization_lib.deserialize_family_object(
        config, "schedules", "learning rate schedule", custom_objects, name_kind="class"
    )


def get(identifier):
    """A schedule from an instance, a config dict or a class name."""
    if identifier is None:
        return None
    return _serialization_lib.get_family_object(
        identifier,
        "schedules",
        "learning rate schedule",
        accepts="a LearningRateSchedule instance",
        examples=("ExponentialDecay", "CosineDecay"),
        base=LearningRateSchedule,
        name_kind="class",
    )
