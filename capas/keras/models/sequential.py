"""`Sequential`: a plain stack of layers, each feeding the next."""

import torch

from capas.keras.layers._dtype_policy import serialize_policy
from capas.keras.layers import _symbolic
from capas.keras.layers.core.input_layer import InputLayer
from capas.keras.layers.layer import Layer, _bump_structure
from capas.keras.models.model import Model
from capas.ops.strings import StringTensor
from capas.keras.saving.object_registration import register_builtin
from capas.keras.saving import serialization_lib
from capas.keras.layers.core.torch_module_wrapper import TorchModuleWrapper


@register_builtin("models")
class Sequential(Model):
    """A linear stack of layers.

    Args:
        layers: optional list of layers (an `keras.Input`/`InputLayer` first
            fixes the input shape; otherwise the model builds at its first call
            or fit).
        name: the model's name.

    Example:

    >>> from capas import keras
    >>> from capas.keras import layers
    >>> model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    >>> model.output_shape
    (None, 2)
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        Layer.__init__(self, trainable=trainable, name=name, **kwargs)
        self._init_model_state()
        self._set_untracked(_seq_layers=[])
        self._set_untracked(_input_layer=None)
        self._set_untracked(_graph=None)
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_make_graph()

    def add(self, layer, rebuild=True):
        """Append a layer (or a `keras.Input` tensor) to the stack."""
        if _symbolic.is_keras_tensor(layer):
            layer = layer._keras_history[0]
        if isinstance(layer, InputLayer):
            if self._seq_layers or self._input_layer is not None:
                raise ValueError(f"Sequential '{self.name}': an Input can only be the first element.")
            self._set_untracked(_input_layer=layer)
            return
        if not isinstance(layer, Layer) and not hasattr(layer, "forward"):
            raise TypeError(
                f"Sequential '{self.name}'.add() expects a layer, received {type(layer).__name__}: {layer!r}."
            )
        if not isinstance(layer, Layer):
            layer = TorchModuleWrapper(layer)
        names = [l.name for l in self._seq_layers]
        if layer.name in names:
            raise ValueError(
                f"Sequential '{self.name}' already has a layer named '{layer.name}'; layer names must be unique."
            )
        self._seq_layers.append(layer)
        self._modules[layer.name] = layer
        _bump_structure()
        self._set_untracked(_graph=None)
        self.built = False
        if rebuild:
            self._maybe_make_graph()

    def pop(self, rebuild=True):
        """Remove and return the last layer."""
        if not self._seq_layers:
            raise ValueError(f"Sequential '{self.name}' has no layers to pop.")
        layer = self._seq_layers.pop()
        self._modules.pop(layer.name, None)
        _bump_structure()
        self._set_untracked(_graph=None)
        self.built = False
        if rebuild:
            self._maybe_make_graph()
        return layer

    def _input_batch_shape(self):
        if self._input_layer is not None:
            return self._input_layer.batch_shape
        if self._seq_layers:
            return getattr(self._seq_layers[0], "_batch_input_shape", None)
        return None

    def _maybe_make_graph(self, batch_shape=None, dtype=None):
        shape = batch_shape or self._input_batch_shape()
        if shape is None or not self._seq_layers:
            return
        if self._input_layer is None or batch_shape is not None:
            self._set_untracked(_input_layer=InputLayer(batch_shape=tuple(shape), dtype=dtype))
        x = self._input_layer.output
        for layer in self._seq_layers:
            x = layer(x)
        self._set_untracked(_graph=(self._input_layer.output, x))
        self.built = True

    def build(self, input_shape=None):
        if self._graph is not None:
            return
        if input_shape is None:
            input_shape = self._input_batch_shape()
        if input_shape is None:
            raise ValueError(f"Sequential '{self.name}' cannot build without an input shape.")
        self._maybe_make_graph(tuple(None if i == 0 else d for i, d in enumerate(input_shape)))

    def call(self, inputs, training=None, mask=None):
        x = inputs
        graph = self._graph
        if graph is not None and isinstance(x, torch.Tensor):  # Keras: (N,) feeds Input(shape=(1,)), and back
            expected = graph[0].shape
            if x.dim() == len(expected) - 1 and expected[-1] == 1:
                x = x.unsqueeze(-1)
            elif x.dim() == len(expected) + 1 and x.shape[-1] == 1:
                x = x.squeeze(-1)
        for layer in self._seq_layers:
            x = layer(x)  # one plain tensor: Layer.__call__ takes its short path (Layer._call_plain)
        return x

    def __call__(self, *args, **kwargs):
        if self._graph is None and args and not _symbolic.any_symbolic(args) and self._seq_layers:
            first = args[0]
            shape = getattr(first, "shape", None)
            # a string batch (a text layer first) runs eagerly: symbolic tensors are numeric
            if shape is not None and len(shape) >= 1 and not isinstance(first, StringTensor):
                dtype = getattr(first, "dtype", None)
                dtype = dtype if dtype is not None and str(dtype) not in ("float64", "torch.float64") else None
                self._maybe_make_graph((None,) + tuple(shape[1:]), dtype=dtype)
            elif isinstance(first, StringTensor):
                self.built = True  # no graph: each layer builds on its first eager call
        return super().__call__(*args, **kwargs)

    @property
    def layers(self):
        return list(self._seq_layers)

    @property
    def inputs(self):
        return [self._graph[0]] if self._graph else None

    @property
    def outputs(self):
        return [self._graph[1]] if self._graph else None

    @property
    def input(self):
        return self._graph[0] if self._graph else None

    @property
    def output(self):
        return self._graph[1] if self._graph else None

    @property
    def input_shape(self):
        if self._graph is None:
            raise AttributeError(f"Sequential '{self.name}' has no defined input shape yet.")
        return self._graph[0].shape

    @property
    def output_shape(self):
        if self._graph is None:
            raise AttributeError(f"Sequential '{self.name}' has no defined output shape yet.")
        return _symbolic.map_structure(lambda t: t.shape, self._graph[1])

    def get_config(self):
        layers = []
        if self._input_layer is not None:
            layers.append(serialization_lib.serialize_keras_object(self._input_layer))
        layers.extend(serialization_lib.serialize_keras_object(l) for l in self._seq_layers)
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": serialize_policy(self._dtype_policy),
            "layers": layers,
        }
        if self._graph is not None:
            config["build_input_shape"] = list(self._graph[0].shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        layer_configs = config.get("layers", [])
        if not isinstance(layer_configs, list):
            raise TypeError(f"Sequential config 'layers' must be a list, received {type(layer_configs).__name__}.")
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for i, layer_config in enumerate(layer_configs):
            try:
                layer = serialization_lib.deserialize_keras_object(layer_config, custom_objects=custom_objects)
            except (KeyError, AttributeError, IndexError) as exc:
                entry = layer_config if isinstance(layer_config, dict) else {}
                inner = entry.get("config") if isinstance(entry.get("config"), dict) else {}
                raise ValueError(
                    f"Layer #{i} ({inner.get('name')!r}, class {entry.get('class_name')!r}) of Sequential model "
                    f"'{config.get('name')}' cannot be rebuilt: {type(exc).__name__} {exc} (a field of its config "
                    "is missing or has the wrong type)."
                ) from exc
            model.add(layer, rebuild=False)
        model._maybe_make_graph()
        shape = config.get("build_input_shape")
        if model._graph is None and isinstance(shape, (list, tuple)) and model._seq_layers:
            model.build(tuple(shape))
        return model
