"""`get`, `serialize` and `deserialize` of the small families, over the one registry.

`initializers`, `activations`, `regularizers` and `constraints` each keep a
`_Registry` naming their family in `object_registration`, where their
definitions registered themselves (Keras's class names, their snake_case
spellings and Keras's aliases, with `register_builtin`). Names resolve through
`object_registration.get_registered_object`, so active `custom_object_scope`s,
`custom_objects=` and classes registered with `register_keras_serializable`
win over built-ins in the same way everywhere. Configs are written in Keras 3's
layout (`module`, `class_name`, `config`, `registered_name`) so that files move
between capas and Keras; nothing is ever imported because a config names a module.
A capas object of another kind (a layer used as an activation) is handed to
`capas.keras.saving.serialization_lib`, imported lazily at that point only.

This module is shared by the four packages; it would sit as well in
`capas/keras/saving/` (it only needs the object registry).
"""

import types

from capas.keras.saving import object_registration
from capas.keras.utils import naming
from capas.keras.saving import serialization_lib


class _Registry:
    """Built-in objects of one kind (e.g. "initializer") and how to (de)serialize them.

    Args:
        kind: Singular name used in messages ("initializer").
        module: Keras's module name written into configs ("keras.initializers").
        family: The registry family ("initializers") whose built-ins it resolves.
        examples: A few names to suggest in error messages.
        name_defaults: Optional dict of name -> constructor arguments used when
            that name alone is given (Keras's `"l1_l2"` means `L1L2(0.01, 0.01)`).
    """

    def __init__(self, kind, module, family, examples, name_defaults=None):
        self.kind = kind
        self.name_defaults = dict(name_defaults or {})
        self.examples = tuple(examples)
        self.a_kind = ("an " if kind[0] in "aeiou" else "a ") + kind
        self.module = module
        self.family = family

    @property
    def objects(self):
        """The family's built-ins by name, aliases included (read from the registry)."""
        return object_registration.builtin_family(self.family)

    def is_builtin(self, obj):
        return object_registration.is_builtin(obj, self.family)

    def lookup(self, name, custom_objects=None):
        """The object registered under `name`, or a ValueError listing the closest names."""
        obj = object_registration.get_registered_object(name, custom_objects, family=self.family)
        if obj is None:
            raise naming.unknown_name_error(self.kind, name, sorted(self.objects))
        return obj

    def serialize(self, obj):
        """Keras 3's config dict for an object that has `get_config()`."""
        if obj is None:
            return None
        cls = type(obj)
        if not self.is_builtin(cls) and cls.__module__.startswith("capas."):
            # A capas object of another kind (a layer used as an activation):
            # the saving library knows every package's Keras module name.
            return serialization_lib.serialize_keras_object(obj)
        get_config = getattr(obj, "get_config", None)
        if get_config is None or isinstance(obj, type):
            raise TypeError(
                f"Cannot serialize {obj!r} as {self.a_kind}: expected an instance with a "
                f"`get_config()` method, received {cls.__name__}. Subclass the package's "
                "base class and implement `get_config()`."
            )
        config = get_config()
        if not isinstance(config, dict):
            raise TypeError(
                f"`{cls.__name__}.get_config()` must return a dict; it returned {type(config).__name__}: {config!r}."
            )
        if self.is_builtin(cls):
            module, registered_name = self.module, None
        else:
            module = cls.__module__
            registered_name = object_registration.get_registered_name(cls)
        return {
            "module": module,
            "class_name": cls.__name__,
            "config": config,
            "registered_name": registered_name,
        }

    def deserialize(self, config, custom_objects=None):
        """Rebuild an object from a name or a `{'class_name': ..., 'config': ...}` dict.

        A name gives the registered object itself, with a class instantiated
        with its defaults (or `name_defaults[name]`). A dict is rebuilt with
        `from_config` (or the constructor); a `registered_name` is tried
        before `class_name`.
        """
        if config is None:
            return None
        if isinstance(config, str):
            obj = self.lookup(config, custom_objects)
            if isinstance(obj, type):
                return obj(**self.name_defaults.get(config, {}))
            return obj
        if not isinstance(config, dict):
            raise TypeError(
                f"Could not deserialize {self.a_kind} from {config!r} of type "
                f"{type(config).__name__}: expected a name (str) or a dict with "
                "'class_name' and 'config' keys, as `serialize()` returns."
            )
        if "class_name" not in config:
            raise ValueError(
                f"Could not deserialize {self.a_kind} from {config!r}: the dict has no "
                "'class_name' key. Expected {'class_name': ..., 'config': {...}}."
            )
        class_name = config["class_name"]
        inner = config.get("config")
        if class_name == "function":
            # A function is stored by name: {'class_name': 'function', 'config': 'relu'}.
            return self.lookup(inner, custom_objects)
        obj = None
        registered_name = config.get("registered_name")
        if registered_name and registered_name != class_name:
            obj = object_registration.get_registered_object(registered_name, custom_objects, family=self.family)
        if obj is None:
            module = config.get("module")
            if self._names_another_keras_package(module, class_name, custom_objects):
                # E.g. `{'module': 'keras.layers', 'class_name': 'ReLU'}` as an
                # activation: resolved, still through the registry, by keras.saving.
                return serialization_lib.deserialize_keras_object(config, custom_objects)
            obj = self.lookup(class_name, custom_objects)
        if not isinstance(obj, type):
            return obj
        if not isinstance(inner or {}, dict):
            raise TypeError(
                f"Could not deserialize {self.kind} '{class_name}': its 'config' must be a "
                f"dict of constructor arguments, received {inner!r}."
            )
        inner = {**self.name_defaults.get(class_name, {}), **(inner or {})}
        from_config = getattr(obj, "from_config", None)
        if from_config is not None:
            return from_config(inner)
        return obj(**inner)

    def _names_another_keras_package(self, module, class_name, custom_objects):
        found = object_registration.get_registered_object(class_name, custom_objects, family=self.family)
        return found is None and isinstance(module, str) and module.startswith("keras.") and module != self.module

    def get(self, identifier, what):
        """The shared part of `get`: names and dicts deserialize, classes are
        instantiated, callables pass through; anything else is a TypeError.

        `what` describes the accepted callables for the error message.
        """
        if isinstance(identifier, (str, dict)):
            obj = self.deserialize(identifier)
        else:
            obj = identifier
        if isinstance(obj, type):
            return obj()
        if callable(obj):
            return obj
        raise TypeError(
            f"Could not interpret {self.kind} identifier: {identifier!r} of type "
            f"{type(identifier).__name__}. Expected None, {self.a_kind} name such as "
            f"{', '.join(repr(n) for n in self.examples)}, a config dict "
            f"({{'class_name': ..., 'config': ...}}), {self.a_kind} class or instance, "
            f"or {what}."
        )


def is_python_function(obj):
    """True for plain functions and lambdas (not classes or callable instances)."""
    return isinstance(obj, (types.FunctionType, types.BuiltinFunctionType))
