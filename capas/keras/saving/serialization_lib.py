"""Objects <-> Keras 3 config dicts, resolving classes only through the registry.

The config format is Keras 3's (`{"module", "class_name", "config",
"registered_name", "build_config", "compile_config"}`), so configs move
between capas and Keras. Deserialization never imports a module a config
names: a class is found among capas's built-ins, registered objects, active
`custom_object_scope`s, or `custom_objects` (DESIGN.md, decision 9).
"""

import threading

from capas.keras.saving import object_registration

_safe = threading.local()


class SafeModeScope:
    """Within the block, deserialization runs with the given `safe_mode`."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._previous = getattr(_safe, "mode", None)
        _safe.mode = self.safe_mode
        return self

    def __exit__(self, *exc):
        _safe.mode = self._previous
        return False


def in_safe_mode():
    mode = getattr(_safe, "mode", None)
    return True if mode is None else bool(mode)


def _module_for(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    module = cls.__module__
    if module.startswith("capas.keras."):
        parts = module.split(".")
        return "keras." + parts[2] if len(parts) > 2 else "keras"
    return module


def serialize_keras_object(obj):
    """An object -> its config dict (JSON-friendly), as Keras 3 writes it."""
    if obj is None:
        return None
    if isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, type):
        return object_registration.get_registered_name(obj)
    if callable(obj) and not hasattr(obj, "get_config"):
        name = object_registration.get_registered_name(obj)
        registered = name if name and ">" in name else None
        return {"module": _module_for_function(obj), "class_name": "function", "config": getattr(obj, "__name__", name),
                "registered_name": registered or getattr(obj, "__name__", name)}
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no get_config().")
    config = obj.get_config()
    registered = object_registration.get_registered_name(type(obj))
    out = {
        "module": _module_for(obj),
        "class_name": type(obj).__name__,
        "config": _serialize_config_values(config),
        "registered_name": registered if registered and ">" in registered else type(obj).__name__,
    }
    if hasattr(obj, "get_build_config"):
        build_config = obj.get_build_config()
        if build_config is not None:
            out["build_config"] = _serialize_config_values(build_config)
    if hasattr(obj, "get_compile_config") and getattr(obj, "compiled", False):
        compile_config = obj.get_compile_config()
        if compile_config is not None:
            out["compile_config"] = _serialize_config_values(compile_config)
    return out


def _module_for_function(fn):
    module = getattr(fn, "__module__", "") or ""
    if module.startswith("capas.keras."):
        return "keras." + module.split(".")[2]
    if module.startswith("torch"):
        return "keras.activations"
    return module


def _serialize_config_values(config):
    def convert(value):
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if hasattr(value, "get_config") or callable(value):
            return serialize_keras_object(value)
        if hasattr(value, "tolist"):
            return value.tolist()
        return value

    return convert(config)


def _builtin_objects():
    """Every built-in class/function that configs may name, by class name."""
    from capas.keras import activations, constraints, initializers, layers, losses, metrics, models, optimizers
    from capas.keras import regularizers

    table = {}
    for module in (regularizers, constraints, initializers, activations, losses, metrics, optimizers, layers, models):
        for name in getattr(module, "__dict__", {}):
            if name.startswith("_"):
                continue
            obj = getattr(module, name)
            if isinstance(obj, type) or callable(obj):
                table.setdefault(name, obj)
    from capas.keras.models.functional import Functional

    table["Functional"] = Functional
    return table


def _module_table(module):
    from capas.keras import activations, constraints, initializers, layers, losses, metrics, models, optimizers
    from capas.keras import regularizers

    mapping = {
        "keras.layers": layers, "keras.models": models, "keras.losses": losses, "keras.metrics": metrics,
        "keras.optimizers": optimizers, "keras.initializers": initializers, "keras.activations": activations,
        "keras.regularizers": regularizers, "keras.constraints": constraints, "keras.src.models.functional": models,
    }
    for key, value in mapping.items():
        if module and (module == key or module.startswith(key + ".")):
            return value
    return None


class UnknownObjectError(ValueError):
    """A config names a class or function that is not registered."""


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """A config dict (or a name) -> the object, through the registry only."""
    if config is None:
        return None
    if isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, list):
        return [deserialize_keras_object(c, custom_objects, safe_mode) for c in config]
    if isinstance(config, str):
        obj = _lookup(config, None, custom_objects)
        if obj is None:
            raise UnknownObjectError(
                f"Could not locate '{config}'. Register it with keras.saving.register_keras_serializable() "
                "or pass it in custom_objects={...}."
            )
        return obj
    if not isinstance(config, dict):
        raise TypeError(f"Cannot deserialize {type(config).__name__}: expected a dict config.")
    if "class_name" not in config:
        return {k: deserialize_keras_object(v, custom_objects, safe_mode) if isinstance(v, dict) and "class_name" in v else v
                for k, v in config.items()}
    class_name = config["class_name"]
    inner = config.get("config", {})
    module = config.get("module")
    registered = config.get("registered_name")
    if class_name == "__keras_tensor__":
        raise UnknownObjectError("A bare KerasTensor config cannot be deserialized outside a functional model.")
    if class_name == "function":
        name = inner if isinstance(inner, str) else registered
        fn = _lookup(registered or name, module, custom_objects) or _lookup(name, module, custom_objects)
        if fn is None:
            raise UnknownObjectError(
                f"Unknown function '{name}' (module {module!r}). capas resolves functions only from its "
                "registry: register it with keras.saving.register_keras_serializable() or pass "
                "custom_objects={...}."
            )
        return fn
    cls = None
    if registered and registered != class_name:
        cls = _lookup(registered, module, custom_objects)
    if cls is None:
        cls = _lookup(class_name, module, custom_objects)
    if cls is None:
        raise UnknownObjectError(
            f"Unknown class '{class_name}' (module {module!r}, registered name {registered!r}). capas never "
            "imports modules named by a file: register the class with "
            "keras.saving.register_keras_serializable() or pass custom_objects={'" + class_name + "': cls}."
        )
    if isinstance(cls, type) and hasattr(cls, "from_config"):
        try:
            import inspect

            params = inspect.signature(cls.from_config).parameters
            if "custom_objects" in params:
                obj = cls.from_config(inner, custom_objects=custom_objects)
            else:
                with object_registration.custom_object_scope(custom_objects or {}):
                    obj = cls.from_config(inner)
        except TypeError as exc:
            raise TypeError(
                f"{class_name}.from_config() could not rebuild the object from its config ({exc}). If it is "
                "a custom class, give it a get_config() returning its __init__ arguments."
            ) from exc
    else:
        obj = cls(**inner) if isinstance(inner, dict) else cls
    build_config = config.get("build_config")
    if build_config and hasattr(obj, "build_from_config"):
        obj.build_from_config(build_config)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(obj, "compile_from_config") and kwargs.get("compile", True):
        obj.compile_from_config(deserialize_compile_config(compile_config, custom_objects))
    return obj


def deserialize_compile_config(config, custom_objects=None):
    out = {}
    for key, value in config.items():
        if isinstance(value, dict) and "class_name" in value:
            out[key] = deserialize_keras_object(value, custom_objects)
        elif isinstance(value, list):
            out[key] = [deserialize_keras_object(v, custom_objects) if isinstance(v, dict) and "class_name" in v else v
                        for v in value]
        else:
            out[key] = value
    return out


def _lookup(name, module, custom_objects):
    obj = object_registration.get_registered_object(name, custom_objects)
    if obj is not None:
        return obj
    table = _module_table(module)
    if table is not None and hasattr(table, name) and not name.startswith("_"):
        return getattr(table, name)
    builtins = _builtin_objects()
    if name in builtins:
        return builtins[name]
    # Keras 3 registers some objects as 'keras>Name' or with a package prefix.
    if ">" in name:
        return _lookup(name.split(">", 1)[1], module, custom_objects) if name.startswith("keras>") else None
    return None
