"""Loss objects to and from Keras 3's serialized dicts, through the registry only.

A class instance becomes `{'module', 'class_name', 'config', 'registered_name'}`
and a function `{'module': 'builtins', 'class_name': 'function', 'config': name,
'registered_name': 'function'}`, the layout Keras 3 writes into `.keras` files.
Names resolve through `object_registration.get_registered_object`; nothing is
imported because a dict names a module.
"""

import inspect

from capas.keras.saving import object_registration
from capas.keras.utils import naming


def unknown_loss_error(name, custom_objects=None):
    options = set(object_registration.builtin_family("losses")) | set(object_registration.get_custom_objects())
    options |= set(custom_objects or {})
    return naming.unknown_name_error("loss", name, sorted(options))


def serialize_object(obj):
    """A loss instance, class or function -> its serialized dict (None stays None)."""
    if obj is None:
        return None
    if inspect.isfunction(obj) or (callable(obj) and not hasattr(obj, "get_config")):
        registered = object_registration._GLOBAL_CUSTOM_NAMES.get(obj)
        name = registered or getattr(obj, "__name__", None)
        if name is None:
            raise TypeError(f"Cannot serialize the loss {obj!r}: it has no name.")
        return {
            "module": "builtins",
            "class_name": "function",
            "config": name,
            "registered_name": "function",
        }
    cls = obj if inspect.isclass(obj) else type(obj)
    registered = object_registration._GLOBAL_CUSTOM_NAMES.get(cls)
    if registered is not None:
        module = None
    elif object_registration.is_builtin(cls, "losses"):
        module = "keras.losses"
    else:
        module = cls.__module__
    config = None if inspect.isclass(obj) else obj.get_config()
    return {
        "module": module,
        "class_name": cls.__name__,
        "config": config,
        "registered_name": registered,
    }


def resolve_name(name, custom_objects=None):
    """A loss name (built-in, alias, 'package>Name' or custom) -> the object, else raise."""
    obj = object_registration.get_registered_object(name, custom_objects=custom_objects, family="losses")
    if obj is None:
        raise unknown_loss_error(name, custom_objects)
    return obj


def deserialize_object(config, custom_objects=None):
    """The inverse of `serialize_object` (also accepts a bare name string)."""
    if config is None:
        return None
    if isinstance(config, str):
        obj = resolve_name(config, custom_objects)
        return obj() if inspect.isclass(obj) else obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Cannot deserialize a loss from {config!r}: expected a name or a dict with "
            "'class_name' and 'config' (the output of keras.losses.serialize)."
        )
    if config["class_name"] == "function":
        return resolve_name(config["config"], custom_objects)
    name = config.get("registered_name") or config["class_name"]
    try:
        cls = resolve_name(name, custom_objects)
    except ValueError:
        cls = resolve_name(config["class_name"], custom_objects)
    inner = config.get("config")
    if not inspect.isclass(cls):
        return cls
    if inner is None:
        return cls()
    if hasattr(cls, "from_config"):
        return cls.from_config(dict(inner))
    return cls(**inner)
