"""`tf.Module`: a named container that finds its variables and submodules.

As TensorFlow's: the attributes of a module are walked in sorted attribute
order (lists and tuples in order, dicts by sorted key); the variables held
directly come first, then each submodule's, depth first. `name_scope` is the
module's scope (`'my_module/'`): variables created inside
`with self.name_scope:` (or in a method wrapped by `tf.Module.with_name_scope`)
are named `'my_module/w:0'`.
"""

import contextlib
import functools
import re

import torch

from capas import variables as _variables
from capas._function import _trace
from capas.variables import Variable


def _camel_to_snake(name):
    name = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class _ModuleScope:
    """The context manager `module.name_scope` returns; `.name` is `'my_module/'`."""

    def __init__(self, scope):
        self._scope = scope

    @property
    def name(self):
        return self._scope + "/"

    def __enter__(self):
        stack = _variables._scope_stack()
        self._saved = stack[:]
        stack[:] = self._scope.split("/")  # absolute: the scope the module was created in
        return self.name

    def __exit__(self, *exc):
        _variables._scope_stack()[:] = self._saved
        return False


class Module:
    """A container of variables and submodules (TensorFlow's `tf.Module`).

    Args:
        name: the module's name, a Python identifier; defaults to the class
            name in snake_case (`MyModule` -> `'my_module'`).

    Example:

    >>> import capas as tf
    >>> class Dense(tf.Module):
    ...     def __init__(self, n_in, n_out, name=None):
    ...         super().__init__(name=name)
    ...         with self.name_scope:
    ...             self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
    ...             self.b = tf.Variable(tf.zeros([n_out]), name="b")
    >>> [v.name for v in Dense(2, 3).variables]
    ['dense/b:0', 'dense/w:0']
    """

    def __init__(self, name=None):
        if name is None:
            name = _camel_to_snake(type(self).__name__)
        elif not isinstance(name, str) or not name.isidentifier():
            raise ValueError(
                f"{name!r} is not a valid module name: module names must be valid Python identifiers "
                "(letters, digits, underscores; e.g. 'my_module')."
            )
        self._name = name
        outer = _variables.current_scope()
        self._scope_name = f"{outer}/{name}" if outer else name

    @property
    def name(self):
        """The module's name (no scope)."""
        return self._name

    @property
    def name_scope(self):
        """A context manager entering this module's name scope (`.name` is `'my_module/'`)."""
        return _ModuleScope(self._scope_name)

    @property
    def variables(self):
        """All variables of this module and its submodules, in TF's order (a tuple)."""
        return tuple(_walk(self, _is_variable))

    @property
    def trainable_variables(self):
        """The variables with `trainable=True`, in the order of `variables`."""
        return tuple(_walk(self, lambda v: _is_variable(v) and v.trainable))

    @property
    def non_trainable_variables(self):
        return tuple(_walk(self, lambda v: _is_variable(v) and not v.trainable))

    @property
    def submodules(self):
        """All modules held by this one, recursively (breadth of each level first, as TF)."""
        return tuple(_walk(self, lambda v: isinstance(v, Module)))

    @classmethod
    def with_name_scope(cls, method):
        """Decorate a method so that it runs inside `self.name_scope`."""

        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)

        return wrapper

    def __repr__(self):
        name = getattr(self, "_name", None)  # None when a subclass never called Module.__init__
        return f"<{type(self).__module__}.{type(self).__name__} object named {name!r}>"


_IGNORED = ("_name", "_scope_name")


def _is_variable(value):
    return isinstance(value, Variable)


def _leaves(value):
    """Flatten lists, tuples and dicts (sorted keys) as tf.nest does."""
    if isinstance(value, dict):
        for key in sorted(value, key=repr if not all(isinstance(k, str) for k in value) else None):
            yield from _leaves(value[key])
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _walk(module, predicate, seen=None):
    seen = set() if seen is None else seen
    submodules = []
    for key in sorted(vars(module)):
        if key in _IGNORED:
            continue
        for leaf in _leaves(vars(module)[key]):
            if id(leaf) in seen:
                continue
            if isinstance(leaf, Module):
                seen.add(id(leaf))
                submodules.append(leaf)
                if predicate(leaf):
                    yield leaf
            elif isinstance(leaf, torch.nn.Module) and hasattr(leaf, "weights"):
                # a Keras layer held by a module: its weights count (Differs from TF: docs/checkpoints.md)
                for weight in leaf.weights:
                    if id(weight) not in seen and predicate(weight):
                        seen.add(id(weight))
                        yield weight
            elif predicate(leaf):
                seen.add(id(leaf))
                yield leaf
    for sub in submodules:
        yield from _walk(sub, predicate, seen)


@contextlib.contextmanager
def init_scope():
    """Lift the block out of any function being traced and out of any tape (TF's `tf.init_scope`).

    Inside a `tf.function` trace the block runs eagerly, once, while tracing: its ops are not
    recorded (a replay does not repeat them) and what it writes is kept. It records no gradients.
    """
    with _trace.outside_trace(), torch.no_grad():
        yield
