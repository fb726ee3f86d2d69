"""`keras.quantizers.get/serialize/deserialize`: quantizers by name or config, as Keras 3 writes them."""

from capas.keras.quantizers.quantizers import AbsMaxQuantizer, Quantizer
from capas.keras.saving import object_registration

ALL_OBJECTS_DICT = {"Quantizer": Quantizer, "AbsMaxQuantizer": AbsMaxQuantizer}
ALL_OBJECTS_DICT.update({"quantizer": Quantizer, "abs_max_quantizer": AbsMaxQuantizer})


def serialize(quantizer):
    """Keras 3's config dict of a quantizer.

    Example:

    >>> from capas import keras
    >>> keras.quantizers.serialize(keras.quantizers.AbsMaxQuantizer())["class_name"]
    'AbsMaxQuantizer'
    """
    cls = type(quantizer)
    builtin = ALL_OBJECTS_DICT.get(cls.__name__) is cls
    return {
        "module": "keras.quantizers" if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": quantizer.get_config(),
        "registered_name": None if builtin else object_registration.get_registered_name(cls),
    }


def deserialize(config, custom_objects=None):
    """The quantizer a `serialize` dict describes (`custom_objects` may name your own classes)."""
    name = config.get("registered_name") or config.get("class_name")
    cls = object_registration.get_registered_object(name, custom_objects, ALL_OBJECTS_DICT)
    if cls is None:
        raise ValueError(
            f"keras.quantizers.deserialize: unknown quantizer {name!r}; known: {sorted(ALL_OBJECTS_DICT)}. "
            "Register your own with keras.saving.register_keras_serializable or pass custom_objects."
        )
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier, **kwargs):
    """A quantizer from None, a name ("abs_max_quantizer"), a config dict or a quantizer."""
    if identifier is None:
        return None
    obj = deserialize(identifier) if isinstance(identifier, dict) else identifier
    if isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    if isinstance(obj, type):
        return obj(**kwargs)
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")
