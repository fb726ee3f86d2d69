"""Objects <-> Keras 3 config dicts, resolving classes only through the registry.

The config format is Keras 3's (`{"module", "class_name", "config",
"registered_name", "build_config", "compile_config"}`), so configs move
between capas and Keras. Deserialization is data, never code (DESIGN.md,
decision 9):

- a class or function is found only among capas's built-ins, registered
  objects, active `custom_object_scope`s and `custom_objects`; the `module`
  a config names is a hint, never imported;
- only classes are instantiated; a name that resolves to a function is
  returned, never called;
- a config carrying Python bytecode (a Lambda's `__lambda__`) is refused
  unless the caller passes `safe_mode=False`; nothing inside a config can
  change the safe mode, which the outermost call fixes for the whole tree.
"""

import inspect
import threading

from capas.keras.saving import object_registration
from capas.keras.utils import naming

_safe = threading.local()

# Keras writes these `module` strings; capas writes the same so Keras can load them.
_KERAS_MODULES = {"Functional": "keras.src.models.functional", "Sequential": "keras", "Model": "keras"}
_CODE_MARKERS = ("__lambda__",)


class UnknownObjectError(ValueError):
    """A config names a class or function that is not registered."""


class UnsafeConfigError(ValueError):
    """A config would run code (Lambda bytecode) while safe mode is on."""


class SafeModeScope:
    """Within the block, deserialization runs with the given `safe_mode`.

    Example:

    >>> from capas.keras.saving import serialization_lib
    >>> with serialization_lib.SafeModeScope(False):
    ...     serialization_lib.in_safe_mode()
    False
    """

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._previous = getattr(_safe, "mode", None)
        _safe.mode = bool(self.safe_mode) and not _UNSAFE_EVERYWHERE[0]
        return self

    def __exit__(self, *exc):
        _safe.mode = self._previous
        return False


def in_safe_mode():
    """The safe mode of the deserialization in progress (True outside any, unless disabled globally)."""
    mode = getattr(_safe, "mode", None)
    return not _UNSAFE_EVERYWHERE[0] if mode is None else bool(mode)


_UNSAFE_EVERYWHERE = [False]


def enable_unsafe_deserialization():
    """Turn safe mode off for every later load in this process (`keras.config.enable_unsafe_deserialization`).

    Only trusted files should be loaded afterwards: Lambda bytecode and
    pickled torch modules will run. A file can never do this by itself.
    """
    _UNSAFE_EVERYWHERE[0] = True


def _scope_active():
    return getattr(_safe, "mode", None) is not None


# ---------------------------------------------------------------- serialize
def _is_builtin(cls):
    return cls.__module__.startswith("capas.")


def _module_for(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    if cls.__name__ in _KERAS_MODULES and _is_builtin(cls):
        return _KERAS_MODULES[cls.__name__]
    module = cls.__module__
    if module.startswith("capas.keras."):
        parts = module.split(".")
        return "keras." + parts[2] if len(parts) > 2 else "keras"
    return module


def _registered_name_for(obj):
    cls = type(obj)
    registered = object_registration.get_registered_name(cls)
    if registered and ">" in registered:
        return registered
    if _is_builtin(cls):
        return "Functional" if cls.__name__ == "Functional" else None
    return cls.__name__


def serialize_keras_object(obj):
    """An object -> its config dict (JSON-friendly), as Keras 3 writes it.

    Args:
        obj: a layer, model, loss, metric, optimizer, initializer... (anything
            with `get_config()`), a registered function, or plain data.

    Returns:
        A dict `{"module", "class_name", "config", "registered_name", ...}`,
        or the plain value.

    Example:

    >>> from capas.keras import layers
    >>> from capas.keras.saving import serialize_keras_object
    >>> serialize_keras_object(layers.Dense(2, name="d"))["class_name"]
    'Dense'
    """
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
        return {
            "module": _module_for_function(obj),
            "class_name": "function",
            "config": getattr(obj, "__name__", name),
            "registered_name": registered or getattr(obj, "__name__", name),
        }
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no get_config().")
    config = obj.get_config()
    out = {
        "module": _module_for(obj),
        # A class may carry the name Keras exports it under (GroupedQueryAttention is
        # `keras.layers.GroupQueryAttention` in configs); only the class itself, not subclasses.
        "class_name": vars(type(obj)).get("_keras_class_name", type(obj).__name__),
        "config": _serialize_config_values(config),
        "registered_name": _registered_name_for(obj),
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


def serialize_family_instance(obj, family, module):
    """Keras 3's dict for an instance of a class-only family (`optimizers`, `schedules`).

    A built-in writes `module` (`"keras.optimizers"`) and no registered name;
    a registered class writes its `'package>Name'`.
    """
    cls = type(obj)
    builtin = object_registration.is_builtin(cls, family)
    registered = object_registration.get_registered_name(cls)
    return {
        "module": module if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": obj.get_config(),
        "registered_name": None if builtin or registered == cls.__name__ else registered,
    }


def deserialize_family_instance(config, family, what, custom_objects=None, fold_case=False):
    """`serialize_family_instance`'s dict -> a new instance, the class found through the registry.

    Args:
        config: `{"class_name", "config", "registered_name"?}`.
        family: the registry family to look built-ins up in.
        what: the kind in messages ("optimizer").
        custom_objects: names to resolve first.
        fold_case: also match built-in names case-insensitively (`'adam'`, `'RMSprop'`), as Keras does
            for optimizers.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Deserializing a {what} expects a dict with 'class_name' and 'config' keys, as serialize() "
            f"writes. Received: {config!r}."
        )

    def resolve(name):
        cls = object_registration.get_registered_object(name, custom_objects, family=family, kind="class")
        if cls is None and fold_case and isinstance(name, str):
            folded = {n.lower(): c for n, c in object_registration.builtin_family(family, "class").items()}
            cls = folded.get(name.lower())
        return cls

    name = config.get("registered_name") or config["class_name"]
    cls = resolve(name)
    if cls is None and name != config["class_name"]:
        cls = resolve(config["class_name"])
    if cls is None:
        known = sorted(object_registration.builtin_family(family, "class"))
        if fold_case:
            known = sorted(set(known) | {n.lower() for n in known})
        raise naming.unknown_name_error(what, name, known)
    return cls.from_config(dict(config.get("config") or {}))


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


# ------------------------------------------------------------ the allowlist
# The built-ins registered themselves at definition (object_registration.register_builtin); a
# config's `module` string picks the family to try first.
_MODULE_FAMILIES = {
    "keras.layers": "layers",
    "keras.models": "models",
    "keras.src.models.functional": "models",
    "keras.losses": "losses",
    "keras.metrics": "metrics",
    "keras.optimizers.schedules": "schedules",
    "keras.optimizers": "optimizers",
    "keras.initializers": "initializers",
    "keras.activations": "activations",
    "keras.regularizers": "regularizers",
    "keras.constraints": "constraints",
}


def _builtin_objects(kind=None):
    """Every built-in class/function that configs may name, by name."""
    return object_registration.builtin_objects(kind)


def _module_family(module):
    """The registry family a Keras `module` string points to (a hint for lookups), or None."""
    if not isinstance(module, str):
        return None
    for key, family in _MODULE_FAMILIES.items():
        if module == key or module.startswith(key + "."):
            return family
    return None


def _lookup(name, module, custom_objects, kind=None):
    if not isinstance(name, str) or not name:
        return None
    obj = object_registration.get_registered_object(name, custom_objects, family=_module_family(module), kind=kind)
    if obj is not None:
        return obj
    builtins = _builtin_objects(kind)
    if name in builtins:
        return builtins[name]
    # Keras 3 registers some built-ins as 'keras>Name'.
    if name.startswith("keras>"):
        return _lookup(name.split(">", 1)[1], module, custom_objects, kind)
    return None


def _unknown(kind, name, module, registered):
    known = sorted(set(_builtin_objects()) | set(object_registration.get_custom_objects()))
    near = naming.closest(name, known)
    hint = f" Did you mean: {', '.join(repr(x) for x in near)}?" if near else ""
    return UnknownObjectError(
        f"Unknown {kind} '{name}' (module {module!r}, registered name {registered!r}).{hint} capas never "
        "imports modules named by a config: register it with keras.saving.register_keras_serializable() "
        f"or pass custom_objects={{'{name}': ...}}."
    )


# -------------------------------------------------------------- the policy
def find_code(config, path="config"):
    """The path of the first item of `config` that carries Python bytecode, or None.

    Keras serializes a Lambda's lambda function as marshalled bytecode under
    `{"class_name": "__lambda__"}`; Keras 2 wrote `"function_type": "lambda"`;
    a TorchModuleWrapper stores its module pickled.
    """
    stack = [(config, path)]
    seen = 0
    while stack:
        value, where = stack.pop()
        seen += 1
        if isinstance(value, dict):
            if value.get("class_name") in _CODE_MARKERS or any(k in _CODE_MARKERS for k in value):
                return where
            if value.get("function_type") == "lambda" or value.get("output_shape_type") == "lambda":
                return where
            inner = value.get("config")
            if (
                value.get("class_name") == "TorchModuleWrapper"
                and isinstance(inner, dict)
                and isinstance(inner.get("module"), str)
            ):
                return f"{where}.config.module"  # a pickled torch module
            stack.extend((v, f"{where}.{k}") for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(value))
    return None


def check_safe(config, what="config"):
    """Raise `UnsafeConfigError` if safe mode is on and `config` carries bytecode."""
    if not in_safe_mode():
        return
    where = find_code(config)
    if where is not None:
        raise UnsafeConfigError(
            f"The {what} contains Python code (a Lambda layer's bytecode or a pickled torch module, at "
            f"{where}): loading it would run code from the file. capas refuses this in safe mode. If you "
            "trust the source, load with safe_mode=False; better, rewrite it as a registered custom layer."
        )


# ------------------------------------------------------------ deserialize
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """A config dict (or a name) -> the object, through the registry only.

    Args:
        config: what `serialize_keras_object` returned, or a registered name.
        custom_objects: dict of names to classes/functions to resolve first.
        safe_mode: refuse configs that carry bytecode (Lambda). The outermost
            call decides for the whole tree; nested calls cannot change it.

    Returns:
        The rebuilt object.

    Raises:
        UnknownObjectError: a class or function is not in the registry.
        UnsafeConfigError: bytecode in safe mode.

    Example:

    >>> from capas.keras import layers
    >>> from capas.keras.saving import serialize_keras_object, deserialize_keras_object
    >>> deserialize_keras_object(serialize_keras_object(layers.Dense(3))).units
    3
    """
    if _scope_active():
        check_safe(config)
        return _deserialize(config, custom_objects, kwargs)
    with SafeModeScope(safe_mode):
        check_safe(config)
        return _deserialize(config, custom_objects, kwargs)


def _deserialize(config, custom_objects, kwargs):
    if config is None:
        return None
    if isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, list):
        return [_deserialize(c, custom_objects, {}) for c in config]
    if isinstance(config, str):
        obj = _lookup(config, None, custom_objects)
        if obj is None:
            raise _unknown("object", config, None, None)
        return obj
    if not isinstance(config, dict):
        raise TypeError(f"Cannot deserialize {type(config).__name__}: expected a dict config.")
    if "class_name" not in config:
        return {
            k: _deserialize(v, custom_objects, {}) if isinstance(v, dict) and "class_name" in v else v
            for k, v in config.items()
        }
    class_name = config["class_name"]
    inner = config.get("config", {})
    module = config.get("module")
    registered = config.get("registered_name")
    if not isinstance(class_name, str):
        raise TypeError(f"A config's class_name must be a string, received {type(class_name).__name__}.")
    if class_name == "__keras_tensor__":
        raise UnknownObjectError("A bare KerasTensor config cannot be deserialized outside a functional model.")
    if class_name == "function":
        name = inner if isinstance(inner, str) else registered
        fn = _lookup(registered, module, custom_objects, "function") or _lookup(
            name, module, custom_objects, "function"
        )
        if fn is None or isinstance(fn, type):
            raise _unknown("function", name, module, registered)
        return fn
    cls = None
    if registered and registered != class_name:
        cls = _lookup(registered, module, custom_objects, "class")
    if cls is None:
        cls = _lookup(class_name, module, custom_objects, "class")
    if cls is None:
        raise _unknown("class", class_name, module, registered)
    if not isinstance(cls, type):
        raise UnknownObjectError(
            f"The config names '{class_name}' as a class, but it resolves to {cls!r}, which is not a class. "
            "capas instantiates only classes from a config; a function is stored as "
            "{'class_name': 'function', 'config': name}."
        )
    if inner is None:
        inner = {}
    if not isinstance(inner, dict):
        raise TypeError(f"The config of '{class_name}' must be a dict, received {type(inner).__name__}.")
    inner = _strip_shared_ids(inner)
    if hasattr(cls, "from_config"):
        try:
            params = inspect.signature(cls.from_config).parameters
            if "custom_objects" in params:
                obj = cls.from_config(inner, custom_objects=custom_objects)
            else:
                with object_registration.custom_object_scope(custom_objects or {}):
                    obj = cls.from_config(inner)
        except TypeError as exc:
            if getattr(exc, "_capas_from_config", False):
                raise
            error = TypeError(
                f"{class_name}.from_config() could not rebuild the object from its config ({exc}). If it is "
                "a custom class, give it a get_config() returning its __init__ arguments."
            )
            error._capas_from_config = True
            raise error from exc
    else:
        obj = cls(**inner)
    build_config = config.get("build_config")
    if build_config and hasattr(obj, "build_from_config") and not getattr(obj, "built", False):
        obj.build_from_config(build_config)
        shape = build_config.get("input_shape") if isinstance(build_config, dict) else None
        if shape is not None and getattr(obj, "built", False) and obj.__dict__.get("_build_input_shape") is None:
            obj._set_untracked(
                _build_input_shape=tuple(shape)
                if isinstance(shape, list) and (not shape or not isinstance(shape[0], (list, dict)))
                else shape
            )
    compile_config = config.get("compile_config")
    if compile_config and hasattr(obj, "compile_from_config") and kwargs.get("compile", True):
        obj.compile_from_config(deserialize_compile_config(compile_config, custom_objects))
    return obj


def _strip_shared_ids(value):
    """Drop Keras's `shared_object_id` bookkeeping (capas rebuilds shared objects by name)."""
    if isinstance(value, dict):
        return {k: _strip_shared_ids(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(value, list):
        return [_strip_shared_ids(v) for v in value]
    return value


def deserialize_compile_config(config, custom_objects=None):
    """A serialized `compile()` config -> keyword arguments for `compile()`."""
    if not isinstance(config, dict):
        raise TypeError(f"A compile_config must be a dict, received {type(config).__name__}.")
    allowed = {
        "optimizer",
        "loss",
        "loss_weights",
        "metrics",
        "weighted_metrics",
        "run_eagerly",
        "steps_per_execution",
        "jit_compile",
        "auto_scale_loss",
    }
    out = {}
    for key, value in config.items():
        if key not in allowed:
            continue
        if isinstance(value, dict) and "class_name" in value:
            out[key] = deserialize_keras_object(value, custom_objects)
        elif isinstance(value, list):
            out[key] = [
                deserialize_keras_object(v, custom_objects) if isinstance(v, dict) and "class_name" in v else v
                for v in value
            ]
        elif isinstance(value, dict):
            out[key] = {
                k: deserialize_keras_object(v, custom_objects) if isinstance(v, dict) and "class_name" in v else v
                for k, v in value.items()
            }
        else:
            out[key] = value
    if out.get("jit_compile") not in (True, False, "auto"):
        out.pop("jit_compile", None)
    return out
