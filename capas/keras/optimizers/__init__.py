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
from capas.keras.optimizers.loss_scale_optimizer import LossScaleOptimizer as LossScaleOptimizer
from capas.keras.optimizers.nadam import Nadam as Nadam
from capas.keras.optimizers.optimizer import Optimizer as Optimizer
from capas.keras.optimizers.rmsprop import RMSprop as RMSprop
from capas.keras.optimizers.sgd import SGD as SGD
from capas.keras.saving import object_registration as _registration
from capas.keras.utils import naming as _naming

# Keras 3 resolves optimizer names case-insensitively: 'adam', 'Adam', 'rmsprop', 'RMSprop'.
_BUILTINS = {
    cls.__name__.lower(): cls
    for cls in (
        Optimizer,
        SGD,
        RMSprop,
        Adam,
        AdamW,
        Adagrad,
        Adadelta,
        Adamax,
        Nadam,
        Adafactor,
        Ftrl,
        Lion,
        Lamb,
        LossScaleOptimizer,
    )
}


def serialize(optimizer):
    """An optimizer as Keras 3's config dict (`module`, `class_name`, `config`, `registered_name`)."""
    cls = type(optimizer)
    builtin = _BUILTINS.get(cls.__name__.lower()) is cls
    registered = _registration.get_registered_name(cls)
    return {
        "module": "keras.optimizers" if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": optimizer.get_config(),
        "registered_name": None if builtin or registered == cls.__name__ else registered,
    }


def _resolve(name, custom_objects):
    cls = _registration.get_registered_object(name, custom_objects)
    if cls is None:
        cls = _BUILTINS.get(str(name).lower())
    return cls


def deserialize(config, custom_objects=None):
    """Rebuild an optimizer from `serialize()`'s dict (Keras 3's format)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "keras.optimizers.deserialize() expects a dict with 'class_name' and 'config' keys, as "
            f"serialize() writes. Received: {config!r}."
        )
    name = config.get("registered_name") or config["class_name"]
    cls = _resolve(name, custom_objects)
    if cls is None and name != config["class_name"]:
        cls = _resolve(config["class_name"], custom_objects)
    if cls is None:
        known = sorted({c.__name__ for c in _BUILTINS.values()} | set(_BUILTINS))
        raise _naming.unknown_name_error("optimizer", name, known)
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier):
    """An optimizer from an instance, a name (`'adam'`, a new Adam with defaults) or a config dict.

    Example:

    >>> from capas import keras
    >>> type(keras.optimizers.get("rmsprop")).__name__
    'RMSprop'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r} (of type {type(identifier).__name__}). "
        "Pass an optimizer instance, a name such as 'adam', or a config dict."
    )


from capas.keras.saving.object_registration import register_builtins as _register_builtins  # noqa: E402

_register_builtins("optimizers", globals())
