"""Optimizers (`keras.optimizers`) and their registry: `get`, `serialize`, `deserialize`."""

from capas.keras.optimizers import schedules as schedules
from capas.keras.optimizers.adadelta import Adadelta as Adadelta
from capas.keras.optimizers.adafactor import Adafactor as Adafactor
from capas.keras.optimizers.adagrad import Adagrad as Adagrad
from capas.keras.optimizers.adam import Adam as Adam
from capas.keras.optimizers.adamax import Adamax as Adamax
from capas.keras.optimizers.adamw import AdamW as AdamW
from capas.keras.optimizers.ftrl import Ftrl as Ftrl
from capas.keras.optimizers.lamb import Lamb as Lamb
from capas.keras.optimizers.lion import Lion as Lion
from capas.keras.optimizers.multi_optimizer import MultiOptimizer as MultiOptimizer
from capas.keras.optimizers.multi_optimizer import OptimizerMap as OptimizerMap
from capas.keras.optimizers.muon import Muon as Muon
from capas.keras.optimizers.schedule_free_adamw import ScheduleFreeAdamW as ScheduleFreeAdamW
from capas.keras.optimizers.loss_scale_optimizer import LossScaleOptimizer as LossScaleOptimizer
from capas.keras.optimizers.nadam import Nadam as Nadam
from capas.keras.optimizers.optimizer import Optimizer as Optimizer
from capas.keras.optimizers.rmsprop import RMSprop as RMSprop
from capas.keras.optimizers.sgd import SGD as SGD
from capas.keras.saving import serialization_lib as _serialization_lib


def serialize(optimizer):
    """An optimizer as Keras 3's config dict (`module`, `class_name`, `config`, `registered_name`).

    Example:

    >>> from capas import keras
    >>> keras.optimizers.serialize(keras.optimizers.SGD())["module"]
    'keras.optimizers'
    """
    return _serialization_lib.serialize_family_object(optimizer, "optimizers", "optimizer")


def deserialize(config, custom_objects=None):
    """Rebuild an optimizer from `serialize()`'s dict (Keras 3's format) or a name.

    Built-in names match case-insensitively, as in Keras 3 ('adam', 'Adam', 'rmsprop', 'RMSprop').
    """
    return _serialization_lib.deserialize_family_object(
        config, "optimizers", "optimizer", custom_objects, name_kind="class", fold_case=True
    )


def get(identifier):
    """An optimizer from an instance, a name (`'adam'`, a new Adam with defaults) or a config dict.

    Example:

    >>> from capas import keras
    >>> type(keras.optimizers.get("rmsprop")).__name__
    'RMSprop'
    """
    if identifier is None:
        return None
    return _serialization_lib.get_family_object(
        identifier,
        "optimizers",
        "optimizer",
        accepts="an optimizer instance",
        examples=("adam", "sgd", "rmsprop"),
        error=ValueError,
        base=Optimizer,
        name_kind="class",
        fold_case=True,
    )
