"""`Wrapper`: the base class of layers that take another layer and augment it."""

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin
from capas.keras.saving.serialization_lib import deserialize_keras_object, serialize_keras_object


@register_builtin("layers")
class Wrapper(Layer):
    """Abstract wrapper base class: holds `self.layer` and (de)serializes it.

    Subclasses (`TimeDistributed`, `SpectralNormalization`) decide what the
    wrapper adds around `self.layer`'s call. As in Keras, `Bidirectional` is a
    plain `Layer` (it holds two copies of its layer, not the one given).

    Args:
        layer: the `keras.layers.Layer` instance to wrap.

    Example:

    >>> from capas.keras import layers
    >>> class Twice(layers.Wrapper):
    ...     def call(self, x):
    ...         return 2 * self.layer(x)
    >>> import capas as tf
    >>> Twice(layers.Identity())(tf.constant([1.0])).numpy()
    array([2.], dtype=float32)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"{type(self).__name__}: `layer` must be a keras Layer instance (e.g. layers.Dense(8)); "
                f"received {layer!r}."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer._maybe_build((_shape_holder(input_shape),), {})

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)


class _ShapeOnly:
    """Something with only a `.shape`, so `_maybe_build` builds the wrapped layer for that shape."""

    def __init__(self, shape):
        self.shape = tuple(shape)


def _shape_holder(shape):
    return _ShapeOnly(shape)
