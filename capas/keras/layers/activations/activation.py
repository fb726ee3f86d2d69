"""`Activation`: applies an activation function to its input."""

from capas.keras import activations
from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Activation(Layer):
    """Applies an activation function to an output.

    Args:
        activation: a name ('relu', 'softmax'...) or a callable.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Activation("relu")(tf.constant([-1.0, 2.0])).numpy()
    array([0., 2.], dtype=float32)
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True

    def call(self, inputs):
        return self.activation(inputs)

    def _inference_fn(self):
        """The activation function, which is all `call` runs (`Layer._inference_fn`)."""
        return self.activation if self._calls_plainly(Activation) else None

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
