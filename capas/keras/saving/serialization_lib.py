"""Objects <-> Keras 3 config dicts, resolving classes only through the registry.

This is the one (de)serializer: `keras.saving.serialize_keras_object` /
`deserialize_keras_object`, and the `serialize`/`deserialize`/`get` of every
family (`keras.losses`, `keras.metrics`, `keras.activations`,
`keras.initializers`, `keras.regularizers`, `keras.constraints`,
`keras.optimizers`, `keras.optimizers.schedules`, `keras.layers`), thin
wrappers over `serialize_family_object`, `deserialize_family_object` and
`get_family_object` here.

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
# The module Keras 3 writes for each family's built-ins; read back, it hints at the family to search.
FAMILY_MODULES = {
    "layers": "keras.layers",
    "models": "keras.models",
    "losses": "keras.losses",
    "metrics": "keras.metrics",
    "optimizers": "keras.optimizers",
    "schedules": "keras.optimizers.schedules",
    "initializers": "keras.initializers",
    "activations": "keras.activations",
    "regularizers": "keras.regularizers",
    "constraints": "keras.constraints",
}


def _is_builtin(cls):
    return cls.__module__.startswith("capas.")


def _module_for(obj):
    """The `module` Keras 3 writes: its public package for a built-in, else the class's module."""
    cls = obj if isinstance(obj, type) else type(obj)
    if "_keras_module" in vars(cls):  # a built-in Keras files name by its private module (FeatureSpace's Feature)
        return cls._keras_module
    if cls.__name__ in _KERAS_MODULES and _is_builtin(cls):
        return _KERAS_MODULES[cls.__name__]
    module = cls.__module__
    if module.startswith("capas.keras."):
        public = "keras." + module[len("capas.keras.") :]
        # The longest family package it lives in ('keras.optimizers.schedules' before 'keras.optimizers').
        for package in sorted(FAMILY_MODULES.values(), key=len, reverse=True):
            if public == package or public.startswith(package + "."):
                return package
        return "keras." + module.split(".")[2]
    # Keras writes no module for a class defined in the script that runs (`__main__`).
    return None if module == "__main__" else module


def _registered_name_for(obj):
    cls = type(obj)
    registered = object_registration.get_registered_name(cls)
    if registered and ">" in registered:
        return registered
    if "_keras_registered_name" in vars(cls):  # a built-in Keras files name with a registered name
        return cls._keras_registered_name
    if _is_builtin(cls):
        return "Functional" if cls.__name__ == "Functional" else None
    return cls.__name__


def _function_config(fn):
    """Keras 3's dict for a function: its registered name (`'package>name'`, else `__name__`), never its code."""
    name = object_registration.get_registered_name(fn)
    if not name:
        raise TypeError(f"Cannot serialize the function {fn!r}: it has no __name__ to store.")
    return {"module": "builtins", "class_name": "function", "config": name, "registered_name": "function"}


def serialize_keras_object(obj):
    """An object -> its config dict (JSON-friendly), as Keras 3 writes it.

    Args:
        obj: a layer, model, loss, metric, optimizer, initializer... (anything
            with `get_config()`), a registered function, or plain data.

    Returns:
        A dict `{"module", "class_name", "config", "registered_name", ...}`,
        or the plain value. A function is stored by name:
        `{"module": "builtins", "class_name": "function", "config": name,
        "registered_name": "function"}`.

    Raises:
        TypeError: for an object without `get_config()`, or one whose
            `get_config()` returns something other than a dict.

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
    if isinstance(obj, tuple):
        return tuple(serialize_keras_object(x) for x in obj)
    if isinstance(obj, list):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, type):
        return object_registration.get_registered_name(obj)
    if callable(obj) and not hasattr(obj, "get_config"):
        return _function_config(obj)
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no get_config().")
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(
            f"`{type(obj).__name__}.get_config()` must return a dict; it returned {type(config).__name__}: {config!r}."
        )
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


def serialize_family_object(obj, family, what):
    """The body of every family's `serialize()`: Keras 3's dict for an instance or a function.

    Args:
        obj: an instance with `get_config()`, a function (in the families whose
            configs name functions), or None.
        family: the registry family (`"losses"`).
        what: the kind in messages (`"loss"`).

    Returns:
        `serialize_keras_object(obj)`; None for None.

    Raises:
        TypeError: for a class, or an object that has no `get_config()` (and
            is no function where the family accepts functions).

    Example:

    >>> from capas.keras import losses
    >>> serialize_family_object(losses.mean_squared_error, "losses", "loss")["config"]
    'mean_squared_error'
    """
    if obj is None:
        return None
    functions = object_registration.names_functions(family)
    if not isinstance(obj, type) and (hasattr(obj, "get_config") or (functions and callable(obj))):
        return serialize_keras_object(obj)
    expected = "an instance with a `get_config()` method" + (" or a named function" if functions else "")
    received = f"the class {obj.__name__}" if isinstance(obj, type) else f"{obj!r} of type {type(obj).__name__}"
    raise TypeError(
        f"Cannot serialize {received} as {_a(what)}: expected {expected}. Pass an instance (get() "
        "instantiates a class), or subclass the family's base class and implement `get_config()`."
    )


def _a(what):
    return ("an " if what[0] in "aeiou" else "a ") + what


def _serialize_config_values(config):
    def convert(value):
        # Tuples stay tuples, as Keras keeps them (JSON writes both as lists).
        if isinstance(value, tuple):
            return tuple(convert(v) for v in value)
        if isinstance(value, list):
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


# ------------------------------------------------------------ lookup (the allowlist)
# The built-ins registered themselves at definition (object_registration.register_builtin); a
# config's `module` string picks the family to try first.
_MODULE_FAMILIES = {module: family for family, module in FAMILY_MODULES.items()}
_MODULE_FAMILIES["keras.src.models.functional"] = "models"


def _module_family(module):
    """The registry family a Keras `module` string points to (a hint for lookups), or None."""
    if not isinstance(module, str):
        return None
    for key in sorted(_MODULE_FAMILIES, key=len, reverse=True):
        if module == key or module.startswith(key + "."):
            return _MODULE_FAMILIES[key]
    return None


def _find(name, family, custom_objects, kind=None, fold_case=False, any_family=False):
    """The one lookup of a name: custom-object scopes, `custom_objects`, registered `'package>Name'`s,
    the built-ins of `family` (case-insensitively with `fold_case`), then, with `any_family`, those of
    every family in `FAMILY_ORDER`. `kind` is None, "class" or "function" (see `builtin_lookup`).
    None when nothing matches."""
    if not isinstance(name, str) or not name:
        return None
    obj = object_registration.get_registered_object(name, custom_objects, family=family, kind=kind)
    if obj is None and fold_case and family is not None:
        folded = {n.lower(): o for n, o in object_registration.builtin_family(family, kind).items()}
        obj = folded.get(name.lower())
    if obj is None and any_family:
        obj = object_registration.builtin_objects(kind).get(name)
    if obj is None and name.startswith("keras>"):  # Keras 3 registers some built-ins as 'keras>Name'
        obj = _find(name.split(">", 1)[1], family, custom_objects, kind, fold_case, any_family)
    return obj


def _unknown(kind, name, module, registered):
    known = sorted(set(object_registration.builtin_objects()) | set(object_registration.get_custom_objects()))
    near = object_registration.closest(name, known)
    hint = f" Did you mean: {', '.join(repr(x) for x in near)}?" if near else ""
    return UnknownObjectError(
        f"Unknown {kind} '{name}' (module {module!r}, registered name {registered!r}).{hint} capas never "
        "imports modules named by a config: register it with keras.saving.register_keras_serializable() "
        f"or pass custom_objects={{'{name}': ...}}."
    )


def _unknown_in_family(what, family, name, custom_objects, kind=None, fold_case=False):
    """A family's unknown-name error: the ValueError that lists the closest names it knows."""
    known = set(object_registration.builtin_family(family, kind))
    if fold_case:
        known |= {n.lower() for n in known}
    known |= set(object_registration.get_custom_objects()) | set(custom_objects or {})
    package = FAMILY_MODULES[family][len("keras.") :]
    return object_registration.unknown_name_error(what, name, sorted(known), plural=package)


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
        obj = _find(config, None, custom_objects, any_family=True)
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
        family = _module_family(module)
        fn = _find(registered, family, custom_objects, "function", any_family=True) or _find(
            name, family, custom_objects, "function", any_family=True
        )
        if fn is None or isinstance(fn, type):
            raise _unknown("function", name, module, registered)
        return fn
    family = _module_family(module)
    cls = None
    if registered and registered != class_name:
        cls = _find(registered, family, custom_objects, "class", any_family=True)
    if cls is None:
        cls = _find(class_name, family, custom_objects, "class", any_family=True)
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
    obj = _instantiate(cls, inner, custom_objects, class_name)
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


def _instantiate(cls, inner, custom_objects, class_name):
    """`cls.from_config(inner)` (the constructor when it has none), with `custom_objects` in scope."""
    inner = _strip_shared_ids(inner)
    if not hasattr(cls, "from_config"):
        return cls(**inner)
    try:
        if "custom_objects" in inspect.signature(cls.from_config).parameters:
            return cls.from_config(inner, custom_objects=custom_objects)
        with object_registration.custom_object_scope(custom_objects or {}):
            return cls.from_config(inner)
    except TypeError as exc:
        if getattr(exc, "_capas_from_config", False):
            raise
        error = TypeError(
            f"{class_name}.from_config() could not rebuild the object from its config ({exc}). If it is "
            "a custom class, give it a get_config() returning its __init__ arguments."
        )
        error._capas_from_config = True
        raise error from exc


def deserialize_family_object(
    config, family, what, custom_objects=None, *, name_kind=None, fold_case=False, name_defaults=None
):
    """The body of every family's `deserialize()`: a name or Keras 3's dict -> the object.

    Args:
        config: None; a name (a built-in, one of Keras's aliases, a registered
            `'package>Name'`, a key of `custom_objects`); or a dict
            `{"module", "class_name", "config", "registered_name"}` as
            `serialize_family_object` (and Keras) writes it.
        family: the registry family searched first (`"losses"`).
        what: the kind in messages (`"loss"`).
        custom_objects: names resolved before the registry.
        name_kind: how names read: None (Keras's aliases first, so losses'
            `'mse'` is the function) or `"class"` (metrics' `'mse'` is
            `MeanSquaredError`).
        fold_case: built-in names also match case-insensitively (`'adam'`,
            `'RMSprop'`), as Keras's optimizers do.
        name_defaults: `{name: constructor arguments}` for a class given by
            that name alone (Keras's `"l1_l2"` means `L1L2(0.01, 0.01)`).

    Returns:
        None, a function, or a new instance (a class given by name alone is
        instantiated with its defaults). A function dict resolves in `family`
        first, then in every family, as Keras's `'builtins'` functions do. A
        dict whose `module` names another Keras package (a `ReLU` layer as an
        activation) is rebuilt by `deserialize_keras_object`.

    Raises:
        ValueError: for an unknown name (listing the closest known names) or
            a dict without `'class_name'`.
        TypeError: for something that is neither a name nor a dict, or a
            `'config'` that is not a dict.

    Example:

    >>> deserialize_family_object("mse", "losses", "loss").__name__
    'mean_squared_error'
    >>> deserialize_family_object("mse", "metrics", "metric", name_kind="class").name
    'mean_squared_error'
    """
    if config is None:
        return None
    defaults = name_defaults or {}
    if isinstance(config, str):
        obj = _find(config, family, custom_objects, name_kind, fold_case)
        if obj is None:
            raise _unknown_in_family(what, family, config, custom_objects, name_kind, fold_case)
        return obj(**defaults.get(config, {})) if isinstance(obj, type) else obj
    if not isinstance(config, dict):
        raise TypeError(
            f"Could not deserialize {_a(what)} from {config!r} of type {type(config).__name__}: expected a name "
            "(str) or a dict with 'class_name' and 'config' keys, as `serialize()` returns."
        )
    if "class_name" not in config:
        raise ValueError(
            f"Could not deserialize {_a(what)} from {config!r}: the dict has no 'class_name' key. Expected "
            "{'class_name': ..., 'config': {...}}, as `serialize()` returns."
        )
    class_name, inner, registered = config["class_name"], config.get("config"), config.get("registered_name")
    if class_name == "function" and object_registration.names_functions(family):
        # Keras 3 writes registered_name 'function'; older capas files wrote the name there.
        for name in (registered, inner):
            if name != "function":
                fn = _find(name, family, custom_objects, "function", any_family=True)
                if fn is not None:
                    return fn
        raise _unknown_in_family(what, family, inner, custom_objects, "function")
    obj = None
    if registered and registered != class_name:
        obj = _find(registered, family, custom_objects, name_kind, fold_case)
    if obj is None:
        obj = _find(class_name, family, custom_objects, name_kind, fold_case)
    module = config.get("module")
    if obj is None and isinstance(module, str) and module.startswith("keras.") and _module_family(module) != family:
        # E.g. `{'module': 'keras.layers', 'class_name': 'ReLU'}` as an activation: still the registry.
        return deserialize_keras_object(config, custom_objects)
    if obj is None:
        name = registered if isinstance(registered, str) and ">" in registered else class_name
        raise _unknown_in_family(what, family, name, custom_objects, name_kind, fold_case)
    if not isinstance(obj, type):
        return obj
    if inner is None:
        inner = {}
    if not isinstance(inner, dict):
        raise TypeError(
            f"Could not deserialize {what} '{class_name}': its 'config' must be a dict of constructor "
            f"arguments, received {inner!r}."
        )
    return _instantiate(obj, {**defaults.get(class_name, {}), **inner}, custom_objects, class_name)


def get_family_object(identifier, family, what, *, accepts, examples, error=TypeError, base=None, **lookup):
    """The body of every family's `get()`: names and dicts deserialize, classes are instantiated,
    instances and functions pass through.

    Args:
        identifier: a name, a config dict, a class, an instance or a function.
        family: the registry family (`"losses"`).
        what: the kind in messages (`"loss"`).
        accepts: what else the family takes, for the error (`"a function fn(y_true, y_pred)"`).
        examples: a few names shown in the error.
        error: the exception for an identifier it cannot interpret (Keras
            raises ValueError for losses, metrics and optimizers, TypeError elsewhere).
        base: the class results must be instances of (optimizers); without
            it any callable is accepted.
        **lookup: `name_kind`, `fold_case`, `name_defaults` of `deserialize_family_object`.

    Example:

    >>> type(get_family_object("Huber", "losses", "loss", accepts="a function", examples=("mse",))).__name__
    'Huber'
    """
    if isinstance(identifier, (str, dict)):
        obj = deserialize_family_object(identifier, family, what, **lookup)
    else:
        obj = identifier
    if isinstance(obj, type) and (base is None or issubclass(obj, base)):
        obj = obj()
    if isinstance(obj, base) if base is not None else callable(obj):
        return obj
    raise error(
        f"Could not interpret {what} identifier: {identifier!r} of type {type(identifier).__name__}. Expected "
        f"None, {_a(what)} name such as {', '.join(repr(n) for n in examples)}, a config dict "
        f"({{'class_name': ..., 'config': ...}}), {_a(what)} class or instance, or {accepts}."
    )


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
