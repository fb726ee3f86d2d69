"""`TorchModuleWrapper`: any `torch.nn.Module` as a Keras layer."""

import base64
import io

import torch

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin
from capas.keras.saving import serialization_lib


@register_builtin("layers")
class TorchModuleWrapper(Layer):
    """Wraps a `torch.nn.Module` so it can be used as a layer.

    The module's parameters are the layer's weights (trainable when they
    require grad), so `fit`, `get_weights`/`set_weights`, `summary` and the
    optimizers see them; its buffers travel with `.to(device)` and
    `state_dict()`. Lazy modules (`torch.nn.LazyLinear`) are materialized by
    the first call. `Sequential.add` wraps plain modules in this layer.

    Args:
        module: the `torch.nn.Module` to wrap.
        name: the layer's name.
        output_shape: optional output shape (without batch); stored in the
            config. capas infers shapes by running the module on fake tensors.

    Call arguments:
        *args, **kwargs: forwarded to `module`.
        training: when given, switches the module to train/eval mode (dropout,
            batch norm) before calling it.

    Differs from Keras: `training` sets the module's mode (Keras leaves it).
    The config stores the pickled module as Keras does, and `from_config`
    refuses to unpickle it unless deserialization runs with `safe_mode=False`.

    Example:

    >>> import torch
    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layer = layers.TorchModuleWrapper(torch.nn.Linear(4, 2))
    >>> layer(tf.ones((3, 4))).shape
    torch.Size([3, 2])
    >>> [tuple(w.shape) for w in layer.trainable_weights]
    [(2, 4), (2,)]
    """

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(module, torch.nn.Module):
            raise TypeError(
                f"TorchModuleWrapper '{self.name}' wraps a torch.nn.Module; received {type(module).__name__}. "
                "Wrap a module such as torch.nn.Linear(4, 2), or write a keras.layers.Layer."
            )
        self.module = module
        self.output_shape = output_shape
        self.built = not self._has_lazy_modules()

    def _has_lazy_modules(self):
        return any(
            isinstance(m, torch.nn.modules.lazy.LazyModuleMixin) and m.has_uninitialized_params()
            for m in self.module.modules()
        )

    def build(self, input_shape=None):
        # Lazy modules learn their sizes from a real call (also before a symbolic one).
        if input_shape is not None and self._has_lazy_modules():
            shape = tuple(1 if d is None else int(d) for d in input_shape)
            with torch.no_grad():
                self.module(torch.zeros(shape))

    def call(self, *args, training=None, **kwargs):
        if training is not None and self.module.training != bool(training):
            self.module.train(bool(training))
        return self.module(*args, **kwargs)

    def get_config(self):
        config = super().get_config()
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        config["module"] = base64.b64encode(buffer.getvalue()).decode("ascii")
        config["output_shape"] = self.output_shape
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "module" in config and isinstance(config["module"], str):
            if serialization_lib.in_safe_mode():
                raise serialization_lib.UnsafeConfigError(
                    f"TorchModuleWrapper '{config.get('name')}': its config holds a pickled torch module; "
                    "unpickling it would run code from the file, which capas refuses in safe mode. If you trust "
                    "the source, load with safe_mode=False."
                )
            buffer = io.BytesIO(base64.b64decode(config["module"]))
            config["module"] = torch.load(buffer, weights_only=False)
        return cls(**config)
