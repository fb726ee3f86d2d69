"""The registry of named classes and functions: the only way a name becomes an object.

Every built-in a config may name registers itself where it is defined, with
`@register_builtin(family, *aliases)` (the internal counterpart of
`register_keras_serializable(package="keras")`): the class `Dense` is
registered as `"Dense"` in the `layers` family; the loss function
`mean_squared_error` as `"mean_squared_error"` with its Keras aliases `"mse"`
and `"MSE"`. Only serialisable objects are accepted (classes with
`get_config`; plain functions only in the families whose configs name
functions, such as activations and losses), so helpers such as `load_model`,
`clone_model` or `Input` are never loadable from a file.

Every lookup reads this module: the families' `get()`/`deserialize()`, the
safe-loading allowlist and `serialization_lib`. Users register their own
classes with `register_keras_serializable` or pass `custom_objects`. Nothing
is ever imported because a file names a module (DESIGN.md, decision 9).
"""

import contextlib
import difflib
import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_scope = threading.local()

# The families a config names by function as well as by class.
_FUNCTION_FAMILIES = frozenset({"activations", "losses", "metrics", "initializers", "regularizers", "constraints"})
# The order in which a bare name (no module hint) is looked up across families.
FAMILY_ORDER = (
    "regularizers",
    "constraints",
    "initializers",
    "activations",
    "losses",
    "metrics",
    "optimizers",
    "schedules",
    "layers",
    "models",
)
# family -> {name: object}: each built-in under its own name (`__name__`, or the `name=` it registered).
_NAMES = {family: {} for family in FAMILY_ORDER}
# family -> {alias: object}: Keras's other spellings ('mse', 'glorot_uniform', 'auc'); `get()` tries them first.
_ALIASES = {family: {} for family in FAMILY_ORDER}
# id(object) -> the families it is registered in (for `is_builtin`).
_FAMILIES_OF = {}


def register_builtin(family, *aliases, name=None):
    """Decorator registering a built-in class or function of `family` where it is defined.

    Args:
        family: one of `FAMILY_ORDER` ('layers', 'losses', ...).
        *aliases: Keras's other names for it in this family (`"mse"` for
            `mean_squared_error`, `"glorot_uniform"` for `GlorotUniform`).
        name: the registered name when it is not `obj.__name__`.

    Returns:
        The decorator (which returns the object unchanged).

    Raises:
        ValueError: for an unknown family, a class without `get_config`, or a
            function in a family whose configs never name functions.

    Example:

    >>> from capas.keras.saving import object_registration
    >>> object_registration.builtin_lookup("losses", "mse").__name__
    'mean_squared_error'
    >>> object_registration.builtin_lookup("layers", "Input") is None  # a function, never loadable
    True
    """
    if family not in _NAMES:
        raise ValueError(f"register_builtin(): unknown family {family!r}; expected one of {list(FAMILY_ORDER)}.")

    def decorator(obj):
        own = name if name is not None else obj.__name__
        if isinstance(obj, type):
            if not callable(getattr(obj, "get_config", None)):
                raise ValueError(
                    f"register_builtin({family!r}): {obj.__name__} has no get_config(), so a config "
                    "could not rebuild it."
                )
        elif family not in _FUNCTION_FAMILIES:
            raise ValueError(
                f"register_builtin({family!r}): {own} is a function, and {family} configs name classes only."
            )
        _NAMES[family].setdefault(own, obj)
        for alias in aliases:
            _ALIASES[family].setdefault(alias, obj)
        _FAMILIES_OF.setdefault(id(obj), set()).add(family)
        return obj

    return decorator


def _kind_matches(obj, kind):
    return kind is None or (kind == "class") == isinstance(obj, type)


def names_functions(family):
    """Whether `family`'s configs may name plain functions (losses, activations...), not only classes."""
    return family in _FUNCTION_FAMILIES


def builtin_lookup(family, name, kind=None):
    """The built-in of `family` registered as `name` (an own name or an alias), or None.

    `kind` is None (aliases first, as `get()` reads names: metrics' `'mse'` is
    the class `MeanSquaredError`), `"class"` or `"function"` (own names first,
    for configs that say which they hold).
    """
    ensure_builtins()
    names, aliases = _NAMES[family], _ALIASES[family]
    order = (aliases, names) if kind is None else (names, aliases)
    for table in order:
        obj = table.get(name)
        if obj is not None and _kind_matches(obj, kind):
            return obj
    return None


def builtin_family(family, kind=None):
    """The registered built-ins of `family` as `{name: object}`, aliases included (a new dict)."""
    ensure_builtins()
    table = {n: o for n, o in _NAMES[family].items() if _kind_matches(o, kind)}
    table.update({n: o for n, o in _ALIASES[family].items() if _kind_matches(o, kind)})
    return table


def builtin_objects(kind=None):
    """Every registered built-in by name; a name in several families resolves in `FAMILY_ORDER`."""
    table = {}
    for family in FAMILY_ORDER:
        for name, obj in builtin_family(family, kind).items():
            table.setdefault(name, obj)
    return table


def is_builtin(obj, family=None):
    """Whether `obj` registered itself as a built-in (of `family`, when given)."""
    families = _FAMILIES_OF.get(id(obj), ())
    return bool(families) if family is None else family in families


def ensure_builtins():
    """Import the family packages, whose definitions register the built-ins (a dict lookup once imported)."""
    # in-function: import cycle keras -> keras.activations -> this module (every family imports it)
    import capas.keras  # noqa: F401


def closest(name, options, n=3):
    """Up to `n` known names closest to `name`, for error messages."""
    return difflib.get_close_matches(str(name), [str(o) for o in options], n=n, cutoff=0.5)


def unknown_name_error(kind, name, options, plural=None):
    """The registry's error for an unknown name: a ValueError listing the closest known names."""
    near = closest(name, options)
    hint = f" Did you mean: {', '.join(repr(x) for x in near)}?" if near else ""
    package = plural or (kind + "es" if kind.endswith("s") else kind + "s")
    return ValueError(
        f"Unknown {kind}: '{name}'.{hint} Pass an object or one of the known names "
        f"(see capas.keras.{package}), or register your own with "
        "keras.saving.register_keras_serializable()."
    )


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


def get_registered_object(name, custom_objects=None, module_objects=None, family=None, kind=None):
    """Resolve `name` through: the active custom-object scopes, `custom_objects`,
    the global registry, `module_objects`, then the built-ins of `family`
    (see `builtin_lookup` for `kind`). None when nothing matches."""
    for scope in reversed(_scope_stack()):
        if name in scope:
            return scope[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    if family is not None and isinstance(name, str):
        return builtin_lookup(family, name, kind)
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
