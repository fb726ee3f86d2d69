"""The registry of named classes and functions: the only way a name becomes an object.

`compile('adam')`, `from_config` and model loading all resolve names here.
Built-ins are registered by their packages; users register their own classes
with `register_keras_serializable` or pass `custom_objects`. Nothing is ever
imported because a file names a module (DESIGN.md, decision 9).
"""

import contextlib
import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_scope = threading.local()


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

