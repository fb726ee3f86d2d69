"""`Model`: a layer that trains. Subclass it, or call it as `Model(inputs, outputs)`.

`keras.Model(inputs, outputs)` returns a `Functional` model (the one piece of
constructor magic, kept here). A subclass with layers in `__init__` and logic
in `call` is built at its first call, exactly as the seed's `miModelo`.
"""

import json
import os
from collections.abc import Callable
from typing import Any

import torch

from capas.keras.layers import _symbolic
from capas.keras.layers.layer import Layer
from capas.keras.trainers.trainer import Trainer
from capas.keras.saving.object_registration import register_builtin
from capas.keras.utils.summary_utils import print_summary
from capas.keras.saving import saving_api
from capas.distribute import sharding
from capas.keras.saving import serialization_lib


@register_builtin("models")
class Model(Trainer, Layer):
    """A model: layers plus `compile`/`fit`/`evaluate`/`predict`/`save`.

    Two ways to make one:

    - functional: `keras.Model(inputs=keras.Input((784,)), outputs=...)`;
    - subclassing: define layers in `__init__` and the forward pass in `call`.

    Example:

    >>> from capas import keras
    >>> from capas.keras import layers
    >>> inputs = keras.Input(shape=(4,))
    >>> model = keras.Model(inputs, layers.Dense(2)(inputs))
    >>> model.count_params()
    10
    """

    _accepts_strings = True  # keras.Input(dtype='string') may feed it (layers/_symbolic.py)

    def __new__(cls, *args, **kwargs):
        if len(args) >= 2 or "inputs" in kwargs or ("outputs" in kwargs and args):
            # in-function: import cycle keras.models.functional -> this module
            from capas.keras.models.functional import Functional

            if cls is Model:
                return Functional.__new__(Functional, *args, **kwargs)
            if not issubclass(cls, Functional) and cls.__init__ is Model.__init__:
                # `class CustomModel(keras.Model)` built as CustomModel(inputs, outputs): a
                # functional model that keeps the subclass's overrides (train_step, ...).
                # A subclass with its own __init__ (Word2Vec(vocab_size, dim)) decides in
                # Model.__init__, from what it passes to super().__init__().
                target = _with_functional(cls)
                return Functional.__new__(target, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", None)
        outputs = kwargs.pop("outputs", None)
        if len(args) >= 1 and inputs is None:
            inputs = args[0]
            args = args[1:]
        if len(args) >= 1 and outputs is None:
            outputs = args[0]
            args = args[1:]
        if inputs is not None and outputs is not None:
            # A subclass calling super().__init__(inputs=..., outputs=...): functional.
            # in-function: import cycle keras.models.functional -> this module
            from capas.keras.models.functional import Functional

            if not isinstance(self, Functional):
                self.__class__ = _with_functional(type(self))
            Functional.__init__(self, inputs, outputs, **kwargs)
            return
        Layer.__init__(self, **_layer_kwargs(kwargs))
        self._init_model_state()

    def _init_model_state(self):
        Trainer._init_trainer_state(self)

    def call(self, *args, **kwargs):
        raise NotImplementedError(
            f"Model '{self.name}' ({type(self).__name__}) has no call() method. Subclasses of "
            "keras.Model define the forward pass in call(self, inputs); or build a functional "
            "model with keras.Model(inputs, outputs)."
        )

    # ------------------------------------------------------------------ layers
    @property
    def layers(self) -> list:
        return [m for m in self._direct_sublayers() if isinstance(m, torch.nn.Module)]

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer of the model, by name or by index in `layers`."""
        if index is not None and name is not None:
            raise ValueError("get_layer() takes a name or an index, not both.")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"Model '{self.name}' has {len(layers)} layers; index {index} is out of range.")
            return layers[index]
        if name is not None:
            for layer in layers:
                if getattr(layer, "name", None) == name:
                    return layer
            names = [getattr(layer, "name", "?") for layer in layers]
            raise ValueError(f"No layer named '{name}' in model '{self.name}'. Its layers are: {names}.")
        raise ValueError("get_layer() needs a name or an index.")

    def build(self, input_shape: Any = None) -> None:
        """Build the model's layers by calling it on a symbolic input of `input_shape`."""
        if self.built:
            return
        if input_shape is None:
            raise ValueError(f"Model '{self.name}'.build() needs an input_shape.")
        if isinstance(input_shape, (list, tuple)) and input_shape and isinstance(input_shape[0], (list, tuple)):
            x = [_symbolic.KerasTensor(s) for s in input_shape]
        elif isinstance(input_shape, dict):
            x = {k: _symbolic.KerasTensor(s) for k, s in input_shape.items()}
        else:
            x = _symbolic.KerasTensor(input_shape)
        self.built = True
        try:
            _symbolic.compute_output_spec(lambda t: self._inner_symbolic((t,), {}), (x,), {}, owner=self)
        except Exception:
            self.built = False
            raise
        self._set_untracked(_build_input_shape=input_shape)

    def summary(
        self,
        line_length: int | None = None,
        positions: list | None = None,
        print_fn: Callable[..., Any] | None = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: list | tuple | None = None,
    ) -> None:
        """Print a table of layers, output shapes and parameter counts."""
        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    # ------------------------------------------------------------------ saving
    def save(
        self, filepath: str | os.PathLike, overwrite: bool = True, zipped: bool | None = None, **kwargs: Any
    ) -> None:
        """Save architecture, weights and optimizer state to a `.keras` file."""
        with sharding.full_weights(self) as writer:  # FSDPStrategy: every rank gathers, rank 0 writes
            return saving_api.save_model(self, filepath, overwrite=overwrite, **kwargs) if writer else None

    def save_weights(self, filepath: str | os.PathLike, overwrite: bool = True) -> None:
        """Save the weights to a `.weights.h5` file."""
        with sharding.full_weights(self) as writer:  # FSDPStrategy: every rank gathers, rank 0 writes
            return saving_api.save_weights(self, filepath, overwrite=overwrite) if writer else None

    def load_weights(self, filepath: str | os.PathLike, skip_mismatch: bool = False, **kwargs: Any) -> None:
        """Load weights saved by `save_weights` (or from a `.keras` file)."""
        with sharding.full_weights(self):  # FSDPStrategy: loaded into the gathered variables, then the shards
            return saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs: Any) -> str:
        """The model's config as a JSON string (no weights)."""
        return json.dumps(serialization_lib.serialize_keras_object(self), **kwargs)

    def get_config(self) -> dict:
        return Layer.get_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "Model":
        if "layers" in config and "input_layers" in config:
            # in-function: import cycle keras.models.functional -> this module
            from capas.keras.models.functional import Functional

            # in-function: import cycle keras.models._functional_config -> keras.models.functional -> this module
            from capas.keras.models._functional_config import functional_from_config

            target = Functional if cls is Model else cls
            return functional_from_config(target, config, custom_objects=custom_objects)
        return cls(**config)


_FUNCTIONAL_VARIANTS = {}


def _with_functional(cls):
    """`cls` with `Functional` mixed in after it (its overrides win), made once per class."""
    # in-function: import cycle keras.models.functional -> this module
    from capas.keras.models.functional import Functional

    variant = _FUNCTIONAL_VARIANTS.get(cls)
    if variant is None:
        variant = type(
            cls.__name__, (cls, Functional), {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        )
        _FUNCTIONAL_VARIANTS[cls] = variant
    return variant


def _layer_kwargs(kwargs):
    allowed = {"name", "trainable", "dtype"}
    unknown = set(kwargs) - allowed
    if unknown:
        raise TypeError(
            f"keras.Model.__init__() got unexpected keyword argument(s) {sorted(unknown)}. "
            "It accepts inputs, outputs, name, trainable and dtype."
        )
    return kwargs
