"""`Metric`: the base of every metric, with its state on the device of the data.

A metric is not a layer: it owns a few non-trainable `capas.Variable` objects
(counts, totals, confusion matrices), accumulates into them in
`update_state` and reads them in `result`. Nothing here converts a tensor to a
Python number, so a metric updated every training step costs a handful of
fused torch ops and no host-device synchronisation (DESIGN.md, decision 7).

State follows the data: the first `update_state` that receives tensors on
another device (a model moved to CUDA) moves every state variable there, in
place, so references to the variables stay valid and the trainer needs to
know nothing about it.
"""

import functools

import torch

from capas.keras import initializers
from capas.keras.utils import naming
from capas.ops._convert import as_torch_dtype, dtype_name
from capas.variables import Variable, name_scope
from capas.keras.saving.object_registration import register_builtin


def _follow_data_device(update_state):
    # The one piece of class magic in metrics: every `update_state` defined by
    # a subclass (user metrics included) first moves the state to the device
    # of its tensor arguments, runs without recording gradients, and turns
    # shape errors into errors that name the metric. Removing it would mean
    # each subclass doing all three itself.
    @functools.wraps(update_state)
    def wrapper(self, *args, **kwargs):
        self._check_super_called()
        self._move_state_to(args, kwargs)
        try:
            if not torch.is_grad_enabled():
                return update_state(self, *args, **kwargs)
            with torch.no_grad():  # metric state never needs a graph
                return update_state(self, *args, **kwargs)
        except ValueError as error:
            if self.name in str(error):
                raise
            raise ValueError(f"{type(self).__name__} metric '{self.name}': {error}") from error
        except RuntimeError as error:
            if "size of tensor" in str(error) or "shape" in str(error):
                raise ValueError(
                    f"{type(self).__name__} metric '{self.name}' could not combine its "
                    f"inputs of shapes {_shapes(args, kwargs)}: {error}. Pass `y_true`, "
                    "`y_pred` and `sample_weight` whose shapes broadcast together "
                    "(usually the same batch size)."
                ) from error
            raise

    wrapper._follows_data_device = True
    return wrapper


def _shapes(args, kwargs):
    parts = []
    for value in list(args) + list(kwargs.values()):
        shape = getattr(value, "shape", None)
        if shape is None and isinstance(value, (list, tuple)):
            try:
                shape = torch.as_tensor(value).shape
            except (TypeError, ValueError, RuntimeError):
                shape = None
        parts.append(tuple(shape) if shape is not None else type(value).__name__)
    return ", ".join(str(p) for p in parts)


@register_builtin("metrics", "metric")
class Metric:
    """Encapsulates metric logic and state.

    Subclasses create their state with `add_variable` in `__init__`,
    accumulate into it in `update_state(...)` and compute the value in
    `result()`. Calling the metric (`metric(y_true, y_pred)`) updates it and
    returns the result, as in Keras 3. Results stay tensors: turn them into a
    number with `float(metric.result())` only when you show them.

    Args:
        dtype: (Optional) dtype of the metric's computations and result;
            defaults to `"float32"`.
        name: (Optional) name of the metric instance; defaults to the class
            name in snake_case made unique (`"my_metric"`, `"my_metric_1"`).

    Example:

    >>> import torch
    >>> from capas import keras
    >>> class BinaryTruePositives(keras.metrics.Metric):
    ...     def __init__(self, name="binary_true_positives", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.true_positives = self.add_variable(
    ...             shape=(), initializer="zeros", name="true_positives")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         values = torch.logical_and(
    ...             torch.as_tensor(y_true).bool(), torch.as_tensor(y_pred).bool())
    ...         self.true_positives.assign_add(values.float().sum())
    ...     def result(self):
    ...         return self.true_positives
    >>> m = BinaryTruePositives()
    >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
    2.0
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("update_state")
        if own is not None and not getattr(own, "_follows_data_device", False):
            cls.update_state = _follow_data_device(own)

    def __init__(self, dtype=None, name=None):
        self._variables = []  # first: __setattr__ tracks variables and metrics once this exists
        self._metrics = []
        if name is None:
            name = naming.uniquify(naming.to_snake_case(type(self).__name__))
        if not isinstance(name, str):
            raise TypeError(
                f"{type(self).__name__}: `name` must be a string, received {name!r} of type {type(name).__name__}."
            )
        self.name = name
        self._torch_dtype = as_torch_dtype(dtype) or torch.float32
        self._dtype = dtype_name(self._torch_dtype)
        self._device = None

    # -- state ---------------------------------------------------------------
    @property
    def dtype(self):
        """The dtype name of the metric's computations (`"float32"`)."""
        return self._dtype

    @property
    def variables(self):
        """The state variables: this metric's, then those of its sub-metrics."""
        found = list(self._variables)
        for metric in self._metrics:
            found.extend(metric.variables)
        return found

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Create a non-trainable state variable tracked by this metric.

        Args:
            shape: the variable's shape (a tuple, `()` for a scalar).
            initializer: `"zeros"`, `"ones"`, a number, or a callable taking
                `(shape, dtype)` such as a Keras initializer.
            dtype: the variable's dtype; defaults to `"float32"`.
            aggregation: how replicas combine it (`"sum"`, `"mean"`,
                `"only_first_replica"`, `"none"`); kept on the variable as
                `aggregation` for distributed metric reduction.
            name: the variable's short name; its path is `"<metric>/<name>"`.

        Returns:
            The `capas.Variable`.
        """
        self._check_super_called()
        shape = tuple(int(d) for d in (shape if shape is not None else ()))
        torch_dtype = as_torch_dtype(dtype) or torch.float32
        value = _initial_value(self, initializer, shape, torch_dtype)
        if self._device is not None:
            value = value.to(self._device)
        with name_scope(self.name.replace("/", ">")):
            variable = Variable(value, trainable=False, name=name or "variable", dtype=torch_dtype)
        variable.aggregation = aggregation
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of `add_variable` kept for tf.keras code."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def reset_state(self):
        """Set every state variable back to zero (between epochs)."""
        with torch.no_grad():
            for variable in self.variables:
                variable.zero_()

    def _move_state_to(self, args, kwargs):
        device = None
        for value in args:
            if isinstance(value, torch.Tensor):
                device = value.device
                break
        else:
            for value in kwargs.values():
                if isinstance(value, torch.Tensor):
                    device = value.device
                    break
        if device is None or device == self._device:
            return
        if device.type == "meta":
            return
        self._device = device
        with torch.no_grad():
            for variable in self.variables:
                if variable.device != device:
                    variable.data = variable.data.to(device)
        for metric in self._metrics:
            metric._device = device

    # -- the contract ----------------------------------------------------------
    def update_state(self, *args, **kwargs):
        """Accumulate statistics for the metric (subclasses implement)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_state(...)`.")

    def result(self):
        """The current value of the metric, a scalar tensor (or a dict of them)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `result()`.")

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    # -- config ----------------------------------------------------------------
    def get_config(self):
        """The serializable config of the metric (`name` and `dtype`)."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    # -- plumbing --------------------------------------------------------------
    def __setattr__(self, name, value):
        if "_variables" in self.__dict__:
            if isinstance(value, Variable) and not any(value is v for v in self._variables):
                self._variables.append(value)
            elif isinstance(value, Metric) and value is not self and value not in self._metrics:
                self._metrics.append(value)
        super().__setattr__(name, value)

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}: you forgot to call `super().__init__()` in "
                "`__init__()`. Call it before creating variables."
            )

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__


def _initial_value(metric, initializer, shape, dtype):
    if initializer is None or initializer == "zeros" or initializer == "Zeros":
        return torch.zeros(shape, dtype=dtype)
    if initializer == "ones" or initializer == "Ones":
        return torch.ones(shape, dtype=dtype)
    if isinstance(initializer, (int, float, bool)):
        return torch.full(shape, initializer, dtype=dtype)
    if isinstance(initializer, torch.Tensor):
        return initializer.detach().to(dtype).expand(shape).clone()
    if isinstance(initializer, str):
        initializer = _resolve_initializer(metric, initializer)
    if callable(initializer):
        try:
            value = initializer(shape=shape, dtype=dtype_name(dtype))
        except TypeError:
            value = initializer(shape, dtype_name(dtype))
        return torch.as_tensor(value, dtype=dtype)
    raise TypeError(
        f"{type(metric).__name__} metric '{metric.name}': cannot use {initializer!r} as an "
        "initializer. Pass 'zeros', 'ones', a number or a callable (shape, dtype)."
    )


def _resolve_initializer(metric, name):
    return initializers.get(name)
