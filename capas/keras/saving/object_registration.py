"""The registry of named classes and functions: the only way a name becomes an object.

`from_config` and model loading resolve names here. Built-ins are registered
by their packages: each family package (`capas.keras.layers`, `losses`,
`metrics`, ...) ends with one `register_builtins(family, namespace)` call, which
keeps only what a config may name (serialisable classes: those with
`get_config`; plain functions only in the families whose configs name
functions, such as activations and losses). Users register their own classes
with `register_keras_serializable` or pass `custom_objects`. Nothing is ever
imported because a file names a module (DESIGN.md, decision 9), and nothing
outside this registry (`load_model`, `clone_model`, `Input`...) is loadable.
"""

import contextlib
import inspect
import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_scope = threading.local()

# family -> {name: object}; the families a config names by function as well as by class.
_BUILTIN_FAMILIES = {}
_FUNCTION_FAMILIES = frozenset({"activations", "losses", "metrics", "initializers", "regularizers", "constraints"})
# The order in which a bare name (no module hint) is looked up across families.
FAMILY_ORDER = ("regularizers", "constraints", "initializers", "activations", "losses", "metrics", "optimizers",
                "schedules", "layers", "models")
_NOT_CONFIG_NAMES = frozenset({"get", "serialize", "deserialize"})


def _serialisable(name, obj, family):
    if name.startswith("_") or name in _NOT_CONFIG_NAMES or not getattr(obj, "__module__", "").startswith("capas."):
        return False
    if isinstance(obj, type):
        return callable(getattr(obj, "get_config", None)) and not issubclass(obj, BaseException)
    return family in _FUNCTION_FAMILIES and (inspect.isfunction(obj) or inspect.isbuiltin(obj))


def register_builtins(family, namespace):
    """Register the built-ins a config may name, from a family package's public names.

    Args:
        family: one of `FAMILY_ORDER` ('layers', 'losses', ...).
        namespace: `{name: object}` (the package's `globals()`); only serialisable
            classes, and functions in function families, are kept.

    Returns:
        The family's table `{name: object}`.

    Example:

    >>> from capas.keras import layers
    >>> from capas.keras.saving.object_registration import register_builtins
    >>> table = register_builtins("layers", {"Dense": layers.Dense, "Input": layers.Input})
    >>> "Dense" in table, "Input" in table  # Input is a function, not a layer class
    (True, False)
    """
    if family not in FAMILY_ORDER:
        raise ValueError(f"register_builtins(): unknown family {family!r}; expected one of {list(FAMILY_ORDER)}.")
    table = _BUILTIN_FAMILIES.setdefault(family, {})
    for name, obj in list(namespace.items()):
        if _serialisable(name, obj, family):
            table.setdefault(name, obj)
    return table


def builtin_family(family):
    """The registered built-ins of `family` (`{name: object}`; empty when none registered)."""
    return _BUILTIN_FAMILIES.get(family, {})


def builtin_objects():
    """Every registered built-in by name; a name in several families resolves in `FAMILY_ORDER`."""
    table = {}
    for family in FAMILY_ORDER:
        for name, obj in _BUILTIN_FAMILIES.get(family, {}).items():
            table.setdefault(name, obj)
    return table


def _scope_stack():
    stack = getattr(_scope, "stack", None)
    if stack is None:
        stack = _scope.stack = []
    return stack


def register_keras_serializable(package="Custom", name=None):
    """Class/function decorator registering `obj` as `'package>name'`.

    Example:

    >>> from capas import keras
    >>> @keras.saving.register_keras_serializable(package="demo")
    ... class Twice(keras.layers.Layer):
    ...     def call(self, x):
    ...         return 2 * x
    >>> keras.saving.get_registered_name(Twice)
    'demo>Twice'
    """

    def decorator(obj):
        short = name if name is not None else getattr(obj, "__name__", None)
        if short is None:
            raise ValueError(f"Cannot register {obj!r}: it has no __name__; pass name=.")
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register {obj.__name__}: a class needs a get_config() method to be saved.")
        key = f"{package}>{short}"
        _GLOBAL_CUSTOM_OBJECTS[key] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = key
        return obj

    return decorator


def get_registered_name(obj):
    """The registered `'package>name'` of `obj`, else its `__name__`."""
    if obj in _GLOBAL_CUSTOM_NAMES:
        return _GLOBAL_CUSTOM_NAMES[obj]
    return getattr(obj, "__name__", None)


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Resolve `name` through: the active custom-object scopes, `custom_objects`,
    the global registry, then `module_objects` (a package's built-ins)."""
    for scope in reversed(_scope_stack()):
        if name in scope:
            return scope[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def get_custom_objects():
    """The global dict of registered objects (mutable, as in Keras)."""
    return _GLOBAL_CUSTOM_OBJECTS


@contextlib.contextmanager
def custom_object_scope(*dicts):
    """Make `custom_objects` resolvable by name inside the block."""
    merged = {}
    for d in dicts:
        merged.update(d or {})
    stack = _scope_stack()
    stack.append(merged)
    try:
        yield merged
    finally:
        stack.pop()


CustomObjectScope = custom_object_scope

