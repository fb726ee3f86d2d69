"""`Pipeline`: applies a list of (preprocessing) layers one after another."""

from capas.keras.layers.layer import Layer, _signature
from capas.keras.saving.object_registration import register_builtin
from capas.keras.saving.serialization_lib import deserialize_keras_object, serialize_keras_object


@register_builtin("layers")
class Pipeline(Layer):
    """Applies a series of layers to an input, each to the previous one's output.

    Unlike `Sequential`, a `Pipeline` is a layer, not a model, and is meant
    for preprocessing: the layers may take dicts or strings, and it runs in a
    `tf.data` map as well as in a model. `training` (default True) and the
    mask of each output are passed to the next layer when it accepts them.

    Args:
        layers: a list of layers.
        name: the layer's name.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> pipe = layers.Pipeline([layers.Rescaling(2.0), layers.Rescaling(1.0, offset=1.0)])
    >>> pipe(tf.constant([1.0, 2.0])).numpy()
    array([3., 5.], dtype=float32)
    """

    _accepts_strings = True  # keras.Input(dtype='string') may feed it (its first layer decides)

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(layers, (list, tuple)) or not all(isinstance(layer, Layer) for layer in layers):
            raise ValueError(f"Pipeline '{self.name}': `layers` must be a list of keras layers; received {layers!r}.")
        self._pipeline_layers = list(layers)
        self.built = True

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=True, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            sig = _signature(type(layer))[0]
            kwargs = {}
            if sig.has_mask and mask is not None:
                kwargs["mask"] = mask
            if sig.has_training and training is not None:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            inputs = outputs
            mask = getattr(outputs, "_keras_mask", None)
        return outputs

    def get_config(self):
        return {"layers": [serialize_keras_object(layer) for layer in self._pipeline_layers], "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                "`Pipeline` config must contain a `layers` key mapping to a list of serialized layers. "
                f"Received config with layers={layers!r}."
            )
        config = dict(config)
        config["layers"] = [deserialize_keras_object(x, custom_objects=custom_objects) for x in layers]
        return cls(**config)
