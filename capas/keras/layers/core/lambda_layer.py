"""`Lambda`: wraps an arbitrary expression as a layer.

Saving: a named function (a registered one, or a built-in such as
`capas.nn.relu`) is stored by name; a Python `lambda` is stored as Keras
stores it, marshalled bytecode under `{"class_name": "__lambda__"}`, which
loading refuses unless the caller passes `safe_mode=False` (it would run code
from the file). Bytecode only loads on the Python version that wrote it.
"""

import base64
import inspect
import marshal
import types
import numpy as np
import torch

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin
from capas.keras.saving.serialization_lib import serialize_keras_object
from capas.keras.saving import serialization_lib


def _is_lambda(fn):
    return isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>"


def _dump_lambda(fn):
    code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
    closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
    return {"class_name": "__lambda__", "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}


def _lambda_globals():
    """What a loaded lambda may refer to by name: the usual imports of Keras code."""
    import capas  # in-function: import cycle capas -> keras -> keras.layers -> this module
    from capas import keras  # in-function: import cycle keras -> keras.layers -> this module

    return {
        "tf": capas,
        "capas": capas,
        "keras": keras,
        "ops": capas,
        "np": np,
        "torch": torch,
        "__builtins__": __builtins__,
    }


def _load_lambda(config):
    code = config["code"]
    defaults = config.get("defaults")
    closure = config.get("closure")
    if isinstance(code, (list, tuple)):  # a Keras 2 dump: (code, defaults, closure)
        code, defaults, closure = code
    code = marshal.loads(base64.decodebytes(code.encode("ascii")))
    cells = tuple(types.CellType(v) for v in closure) if closure else None
    return types.FunctionType(code, _lambda_globals(), code.co_name, tuple(defaults) if defaults else None, cells)


@register_builtin("layers")
class Lambda(Layer):
    """Wraps arbitrary expressions as a `Layer` object.

    For simple stateless computations; anything with weights or that must be
    saved portably belongs in a subclassed (and registered) layer.

    Args:
        function: the function to evaluate, called as
            `function(inputs, **arguments)`; it also receives `mask` and
            `training` when its signature names them.
        output_shape: the output shape (without batch) or a function of the
            input shape; stored in the config. capas infers shapes by running
            `function` on fake tensors, so it is rarely needed.
        mask: None, a mask to attach to the output, or a function
            `mask(inputs, previous_mask)`.
        arguments: optional dict of keyword arguments for `function`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Lambda(lambda x: x ** 2)(tf.constant([1.0, 3.0])).numpy()
    array([1., 9.], dtype=float32)
    """

    _accepts_strings = True  # keras.Input(dtype='string') may feed it (layers/_symbolic.py)

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda '{self.name}': `function` must be callable, received {type(function).__name__}.")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = output_shape
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):
            params = {}
        self._fn_expects_training_arg = "training" in params
        self._fn_expects_mask_arg = "mask" in params

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    @staticmethod
    def _serialize_function(fn):
        if _is_lambda(fn):
            return _dump_lambda(fn)
        return serialize_keras_object(fn)

    def get_config(self):
        config = super().get_config()
        config["function"] = self._serialize_function(self.function)
        if self._output_shape is not None:
            shape = self._output_shape
            config["output_shape"] = self._serialize_function(shape) if callable(shape) else shape
        if self.mask is not None:
            config["mask"] = (
                self._serialize_function(self.mask) if callable(self.mask) else serialize_keras_object(self.mask)
            )
        config["arguments"] = serialize_keras_object(self.arguments)
        return config

    @classmethod
    def _deserialize_function(cls, value, name, custom_objects, safe_mode):
        if isinstance(value, dict) and value.get("class_name") == "__lambda__":
            if safe_mode:
                raise serialization_lib.UnsafeConfigError(
                    f"Lambda '{name}': its config holds a Python lambda as bytecode; loading it would run code "
                    "from the file, which capas refuses in safe mode. If you trust the source, load with "
                    "safe_mode=False; better, replace the Lambda with a registered custom layer."
                )
            return _load_lambda(value["config"])
        return serialization_lib.deserialize_keras_object(value, custom_objects=custom_objects)

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        if safe_mode is None:
            safe_mode = serialization_lib.in_safe_mode()
        name = config.get("name")
        config["function"] = cls._deserialize_function(config["function"], name, custom_objects, safe_mode)
        shape = config.get("output_shape")
        if isinstance(shape, dict):
            config["output_shape"] = cls._deserialize_function(shape, name, custom_objects, safe_mode)
        elif isinstance(shape, list) and all(isinstance(d, (int, type(None))) for d in shape):
            config["output_shape"] = tuple(shape)
        if isinstance(config.get("mask"), dict):
            config["mask"] = cls._deserialize_function(config["mask"], name, custom_objects, safe_mode)
        if "arguments" in config:
            config["arguments"] = serialization_lib.deserialize_keras_object(
                config["arguments"], custom_objects=custom_objects
            )
        return cls(**config)
