"""Keras 2's serialization: `{"class_name": name, "config": get_config()}`, and its inverse.

Names resolve only through the registry (custom-object scopes, `custom_objects`,
`module_objects`, registered and built-in names), never by importing modules: a legacy
config is data, as a `.keras` config is.
"""

from capas.keras.saving import object_registration, serialization_lib


def serialize_keras_object(instance):
    """Keras 2's config of `instance`: `{"class_name", "config"}`, or the name of a function.

    Example:

    >>> from capas import keras
    >>> config = keras.legacy.saving.serialize_keras_object(keras.layers.Dense(2, name="d"))
    >>> config["class_name"], config["config"]["units"]
    ('Dense', 2)
    """
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        return {
            "class_name": object_registration.get_registered_name(type(instance)),
            "config": instance.get_config(),
        }
    if hasattr(instance, "__name__"):
        return object_registration.get_registered_name(instance)
    raise ValueError(f"Cannot serialize {instance} because it doesn't implement `get_config()`.")


def deserialize_keras_object(identifier, module_objects=None, custom_objects=None, printable_module_name="object"):
    """The object a Keras 2 config (or name) describes.

    Args:
        identifier: `{"class_name": ..., "config": ...}`, a name, or None.
        module_objects: `{name: class or function}` searched after `custom_objects`.
        custom_objects: `{name: class or function}` searched first.
        printable_module_name: how errors name the kind of object ("layer", "loss"...).

    Example:

    >>> from capas import keras
    >>> layer = keras.legacy.saving.deserialize_keras_object({"class_name": "Dense", "config": {"units": 3}})
    >>> type(layer).__name__, layer.units
    ('Dense', 3)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        if "class_name" not in identifier or "config" not in identifier:
            raise ValueError(
                f"Improper config format for {identifier}. Expecting python dict contains `class_name` and `config` as keys"
            )
        name = identifier["class_name"]
        cls = _lookup(name, module_objects, custom_objects, "class")
        if cls is None:
            raise ValueError(
                f"Unknown {printable_module_name}: '{name}'. Please ensure you are using a `keras.utils.custom_object_scope` "
                "and that this object is included in the scope. See "
                "https://www.tensorflow.org/guide/keras/save_and_serialize#registering_the_custom_object for details."
            )
        return serialization_lib._instantiate(cls, identifier["config"] or {}, custom_objects, name)
    if isinstance(identifier, str):
        obj = _lookup(identifier, module_objects, custom_objects, None)
        if obj is None:
            raise ValueError(f"Unknown {printable_module_name}: '{identifier}'.")
        return obj() if isinstance(obj, type) else obj
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier}")


def _lookup(name, module_objects, custom_objects, kind):
    obj = object_registration.get_registered_object(name, custom_objects, module_objects)
    if obj is None:
        obj = serialization_lib._find(name, None, None, kind=kind, any_family=True)
    return obj
