"""`Variable`: a `torch.nn.Parameter` with TensorFlow's and Keras's face.

A capas variable *is* a PyTorch parameter (DESIGN.md, decision 2): any torch op
takes it at no extra cost, `nn.Module` registers it, optimizers and
`state_dict()` see it. On top it carries a `name` (TF style, `'scope/a:0'`), a
`path` (Keras 3 style, `'scope/a'`), a `trainable` flag mapped onto
`requires_grad`, `assign*` methods that record no graph, `numpy()` and the repr
a TensorFlow user knows.
"""

import contextlib
import copy
import itertools
import threading

import numpy as np
import torch

from capas.ops._convert import convert_to_tensor, dtype_name

_scope = threading.local()
_creation_observers = []  # called with each new variable (tf.function watches its traces with it)
_creation_order = itertools.count()  # GradientTape.watched_variables() lists variables in creation order, as TF


def _scope_stack():
    stack = getattr(_scope, "stack", None)
    if stack is None:
        stack = _scope.stack = []
    return stack


@contextlib.contextmanager
def name_scope(name):
    """Prefix the names of variables created inside the block with `name/`.

    Layers enter their own scope while they build and run, so a variable
    created by `Lineal_v1` inside `Cuadratica_v4` is named
    `'cuadratica_v4/lineal_v1/a:0'`, as TensorFlow 2 names it.
    """
    stack = _scope_stack()
    stack.append(str(name))
    try:
        yield "/".join(stack)
    finally:
        stack.pop()


def current_scope():
    """The active name scope as `'a/b'`, or `''` outside any scope."""
    return "/".join(_scope_stack())


class Variable(torch.nn.Parameter):
    """A mutable tensor that a model trains or keeps as state.

    Args:
        initial_value: a tensor, numpy array, Python number or nested list, or
            a callable returning one (as Keras initializers are).
        trainable: when False the variable gets `requires_grad=False` and is
            listed in `non_trainable_weights`.
        name: the short name (`'kernel'`); the active name scope is prepended.
        dtype: optional dtype (`'float32'`, `torch.float32`, `tf.float32`).
        shape: the shape to call a callable `initial_value` with.

    Example:

    >>> import capas as tf
    >>> v = tf.Variable([1.0, 2.0], name="v")
    >>> v.assign_add([1.0, 1.0]).numpy()
    array([2., 3.], dtype=float32)
    """

    def __new__(
        cls,
        initial_value=None,
        trainable=True,
        name=None,
        dtype=None,
        shape=None,
        regularizer=None,
        constraint=None,
        **kwargs,
    ):
        # capas's own callers hand over a tensor made for this variable alone (an initializer's
        # output, an optimizer slot's zeros): taken without the copy, so building a model or an
        # optimizer does not hold every value twice at its peak.
        owned = kwargs.pop("_owned", False)
        _check_unknown_kwargs(kwargs)
        if initial_value is None:
            raise ValueError(
                "Variable needs an `initial_value` (a tensor, array, number or "
                "a callable such as an initializer); received None."
            )
        if callable(initial_value) and not isinstance(initial_value, torch.Tensor):
            if shape is None:
                initial_value = initial_value()
            else:
                initial_value = initial_value(shape=tuple(shape), dtype=dtype or "float32")
        data = convert_to_tensor(initial_value, dtype=dtype)
        if dtype is None and data.dtype == torch.float64 and not isinstance(initial_value, (torch.Tensor, np.ndarray)):
            data = data.to(torch.float32)
        data = data.detach() if owned and data.is_contiguous() else data.detach().clone()
        trainable = bool(trainable)
        intent = trainable
        if trainable and not (data.is_floating_point() or data.is_complex()):
            trainable = False  # torch: only float tensors take gradients
        self = torch.Tensor._make_subclass(cls, data, trainable)
        if intent and not trainable:
            self._trainable_intent = True  # TF lists int variables as trainable
        short = "Variable" if name is None else str(name)
        short = short.removesuffix(":0")
        scope = current_scope()
        self._path = f"{scope}/{short}" if scope else short
        self._short_name = short
        self._uid = next(_creation_order)
        self.regularizer = regularizer
        self.constraint = constraint
        for observe in _creation_observers:
            observe(self)
        return self

    # -- names -------------------------------------------------------------
    @property
    def name(self):
        """The TensorFlow name, scope included: `'dense/kernel:0'`."""
        return self._path + ":0"

    @name.setter
    def name(self, value):
        value = str(value)
        self._path = value.removesuffix(":0")

    @property
    def path(self):
        """The Keras 3 path: `'dense/kernel'` (the name without `:0`)."""
        return self._path

    # -- state -------------------------------------------------------------
    @property
    def trainable(self):
        return bool(self.__dict__.get("_trainable_intent", self.requires_grad))

    @trainable.setter
    def trainable(self, value):
        self._trainable_intent = bool(value)
        self.requires_grad_(bool(value))

    @property
    def value(self):
        """The variable itself, for Keras 3 code that reads `v.value`."""
        return self

    def assign(self, value):
        """Copy `value` into the variable (no gradient is recorded); returns it."""
        value = self._coerce(value, "assign")
        with torch.no_grad():
            self.copy_(value)
        return self

    def assign_add(self, delta):
        """Add `delta` in place (no gradient is recorded); returns the variable."""
        delta = self._coerce(delta, "assign_add")
        with torch.no_grad():
            self.add_(delta)
        return self

    def assign_sub(self, delta):
        """Subtract `delta` in place (no gradient is recorded); returns the variable."""
        delta = self._coerce(delta, "assign_sub")
        with torch.no_grad():
            self.sub_(delta)
        return self

    def _check_has_values(self, what):
        if self.untyped_storage().nbytes() == 0 and self.numel() > 0:  # FSDPStrategy, between steps
            raise RuntimeError(
                f"Variable '{self.name}'.{what}(): this process holds no values of it now: FSDPStrategy keeps only "
                "each process's rows of a sharded variable between training steps. Read or write the weights with "
                "model.get_weights()/set_weights() on every process (they gather them), or after fit."
            )

    def _coerce(self, value, what):
        self._check_has_values(what)
        value = convert_to_tensor(value, dtype=self.dtype)
        if value.device != self.device:
            value = value.to(self.device)
        if value.shape != self.shape:
            try:
                torch.broadcast_shapes(value.shape, self.shape)
                ok = torch.broadcast_shapes(value.shape, self.shape) == self.shape
            except RuntimeError:
                ok = False
            if not ok:
                raise ValueError(
                    f"Variable '{self.name}'.{what}() expected a value of shape "
                    f"{tuple(self.shape)}, received shape {tuple(value.shape)}. "
                    "Reshape the value or create a new variable of that shape."
                )
        return value

    def numpy(self):
        """The value now, as a numpy array (a numpy scalar for a 0-d variable).

        A copy, as in TensorFlow: an array read before `assign` (or a training step)
        keeps the old value. bfloat16 becomes float32 (numpy has no bfloat16).

        Example:

        >>> import capas as tf
        >>> v = tf.Variable([1.0, 2.0])
        >>> before = v.numpy()
        >>> _ = v.assign([5.0, 6.0])
        >>> before, tf.Variable(2.5).numpy()
        (array([1., 2.], dtype=float32), np.float32(2.5))
        """
        self._check_has_values("numpy")
        value = self.detach().cpu()
        if value.dtype == torch.bfloat16:
            value = value.float()
        array = value.numpy()
        return array[()] if array.ndim == 0 else array.copy()

    def read_value(self):
        return self.detach().clone()

    def get_shape(self):
        return self.shape

    # -- copying and display ------------------------------------------------
    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        with torch.no_grad():
            data = self.detach().clone()
        new = torch.Tensor._make_subclass(type(self), data, self.requires_grad)
        new._path = self._path
        new._short_name = self._short_name
        new.regularizer = copy.deepcopy(self.regularizer, memo)
        new.constraint = copy.deepcopy(self.constraint, memo)
        memo[id(self)] = new
        return new

    def __reduce_ex__(self, proto):
        return (
            _rebuild_variable,
            (self.detach().cpu(), self.requires_grad, self._path),
        )

    def __repr__(self):
        shape = tuple(self.shape)
        value = self.numpy()
        text = str(value) if np.ndim(value) == 0 else repr(value)  # TF: numpy=2.5, numpy=array([...])
        if "\n" in text:
            text = "\n" + text
        return f"<tf.Variable '{self.name}' shape={shape} dtype={dtype_name(self.dtype)}, numpy={text}>"

    __str__ = __repr__


def _rebuild_variable(data, requires_grad, path):
    new = torch.Tensor._make_subclass(Variable, data, requires_grad)
    new._path = path
    new._short_name = path.rsplit("/", 1)[-1]
    new.regularizer = None
    new.constraint = None
    return new


_IGNORED_KWARGS = {"aggregation", "synchronization", "validate_shape", "caching_device", "autocast"}


def _check_unknown_kwargs(kwargs):
    unknown = set(kwargs) - _IGNORED_KWARGS
    if unknown:
        raise TypeError(
            f"Variable() got unexpected keyword arguments {sorted(unknown)}. "
            "Accepted: initial_value, trainable, name, dtype, shape, regularizer, constraint."
        )
