"""`MultiOptimizer` and `OptimizerMap`: a different optimizer for each group of variables."""

import re
from collections.abc import MutableMapping

from capas.keras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.saving import serialization_lib
from capas.keras.saving.object_registration import register_builtin


@register_builtin("optimizers")
class OptimizerMap(MutableMapping):
    """Variable paths (regular expressions) -> optimizers, with a default for the rest.

    `optimizer_map(variable)` is the optimizer of `variable.path`: an exact key first, else the
    one key that `re.fullmatch`es the path (two matching keys are an error), else the default.

    Args:
        default_optimizer: the optimizer of the variables no key matches.
        optimizer_map: `{"path or regex": optimizer}`.

    Example:

    >>> from capas import keras
    >>> opt_map = keras.optimizers.OptimizerMap(keras.optimizers.SGD(0.1), {".*bias": keras.optimizers.Adam()})
    >>> type(opt_map["dense/bias"]).__name__, type(opt_map["dense/kernel"]).__name__
    ('Adam', 'SGD')
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(f"default_optimizer must be a Keras Optimizer instance. Received: {default_optimizer}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matching) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key} (patterns {matching}).")
        return self._optimizer_map[matching[0]] if matching else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(
                f"'{key}' already exists in the OptimizerMap with value {self._optimizer_map[key]}. "
                "Please make sure to not use duplicated keys."
            )
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key}")
        if not isinstance(optimizer, Optimizer):
            raise ValueError(f"optimizer must be a Keras Optimizer instance. Received: {optimizer}")
        if isinstance(optimizer, (LossScaleOptimizer, MultiOptimizer)):
            raise ValueError(f"optimizer cannot be {type(optimizer).__name__}.")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        return {
            "default_optimizer": serialization_lib.serialize_keras_object(self._default_optimizer),
            "optimizer_map": serialization_lib.serialize_keras_object(self._optimizer_map),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        default = serialization_lib.deserialize_keras_object(config["default_optimizer"], custom_objects=custom_objects)
        mapping = serialization_lib.deserialize_keras_object(config["optimizer_map"], custom_objects=custom_objects)
        return cls(default, mapping)


@register_builtin("optimizers")
class MultiOptimizer(Optimizer):
    """Updates each variable with the optimizer `optimizer_map` assigns to it.

    Each inner optimizer keeps its own learning rate, slots and step counter; the
    MultiOptimizer counts its own `iterations` and lists its state first, then each inner
    optimizer's (in the order they were first met), as Keras 3 does.

    Args:
        optimizer_map: an `OptimizerMap`, or any callable `variable -> optimizer`.
        loss_scale_factor: set on every inner optimizer.
        name: the optimizer's name.

    Example:

    >>> import torch
    >>> from capas import keras
    >>> layer = keras.layers.Dense(2)
    >>> _ = layer(torch.ones(1, 3))
    >>> opt = keras.optimizers.MultiOptimizer(
    ...     keras.optimizers.OptimizerMap(keras.optimizers.SGD(0.1), {".*bias": keras.optimizers.Adam(0.01)})
    ... )
    >>> opt.apply([torch.ones(3, 2), torch.ones(2)], layer.trainable_variables)
    >>> [type(o).__name__ for o in opt.optimizers], int(opt.iterations)
    (['Adam', 'SGD'], 1)
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        self._inner_optimizers = []
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        found = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for optimizer in found + ([default] if default is not None else []):
            self._adopt(optimizer)

    def _adopt(self, optimizer):
        if optimizer not in self._inner_optimizers:
            optimizer.loss_scale_factor = self.loss_scale_factor
            self._inner_optimizers.append(optimizer)

    @property
    def optimizers(self):
        """The inner optimizers, in the order their state is listed."""
        return self._inner_optimizers

    @property
    def variables(self):
        out = self._variables[:]
        for optimizer in self._inner_optimizers:
            out.extend(optimizer.variables)
        return out

    @property
    def learning_rate(self):
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. "
            "Access the learning rate on the individual sub-optimizers instead."
        )

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(
            "Learning rate cannot be set on a MultiOptimizer. "
            "Set the learning rate on the individual sub-optimizers instead."
        )

    @property
    def loss_scale_factor(self):
        return self.__dict__.get("_loss_scale_factor")

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for optimizer in self.__dict__.get("_inner_optimizers", ()):
            optimizer.loss_scale_factor = value

    @property
    def iterations(self):
        return self._iterations

    def _optimizer_of(self, variable):
        optimizer = self._optimizer_map(variable)
        if not isinstance(optimizer, Optimizer):
            raise ValueError(f"Optimizer for variable {variable.path!r} is not an Optimizer instance: {optimizer!r}.")
        if isinstance(optimizer, (LossScaleOptimizer, MultiOptimizer)):
            raise ValueError(f"{type(optimizer).__name__} cannot be used inside a MultiOptimizer.")
        return optimizer

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self._owner = {}
        for variable in var_list:
            optimizer = self._optimizer_of(variable)
            self._adopt(optimizer)
            self._owner[id(variable)] = self._inner_optimizers.index(optimizer)
        for index, optimizer in enumerate(self._inner_optimizers):
            mine = [v for v in var_list if self._owner[id(v)] == index]
            if mine:
                optimizer.build(mine)
        super().build(var_list)

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"MultiOptimizer '{self.name}': when passing `grads` without `variables`, the optimizer "
                    "must already be built. Call `optimizer.build(trainable_variables)` first."
                )
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"MultiOptimizer '{self.name}': received {len(grads)} gradients for "
                f"{len(trainable_variables)} variables. Pass one gradient (or None) per variable."
            )
        parts = [([], []) for _ in self._inner_optimizers]
        for gradient, variable in zip(grads, trainable_variables):
            index = self._owner.get(id(variable))
            if index is None:
                raise ValueError(
                    f"MultiOptimizer '{self.name}': variable {variable.path!r} was not among the variables "
                    "it was built with."
                )
            parts[index][0].append(gradient)
            parts[index][1].append(variable)
        for optimizer, (sub_grads, sub_vars) in zip(self._inner_optimizers, parts):
            if sub_vars:
                optimizer.apply(sub_grads, sub_vars)
        self._iterations.add_(1)

    def finalize_variable_values(self, var_list):
        for index, optimizer in enumerate(self._inner_optimizers):
            mine = [v for v in var_list if self._owner.get(id(v)) == index]
            if mine:
                optimizer.finalize_variable_values(mine)

    def get_config(self):
        return {
            "optimizer_map": serialization_lib.serialize_keras_object(self._optimizer_map),
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["optimizer_map"] = serialization_lib.deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(**config)
