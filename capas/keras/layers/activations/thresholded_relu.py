"""`ThresholdedReLU`: `x` where `x > theta`, else 0 (a name tf.keras 2.21 still exports)."""

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class ThresholdedReLU(Layer):
    """Thresholded Rectified Linear Unit: `f(x) = x` for `x > theta`, `0` otherwise.

    TensorFlow 2.21's `tf.keras.layers` exports it (a legacy layer of
    Keras 2); Keras 3's `keras.layers` does not.

    Args:
        theta: float >= 0, the threshold (default 1.0).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.ThresholdedReLU(theta=1.0)(tf.constant([-1.0, 1.0, 2.0])).numpy()
    array([-0.,  0.,  2.], dtype=float32)
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError(
                f"ThresholdedReLU '{self.name}': theta cannot be None, expecting a float. Received: {theta}"
            )
        if theta < 0:
            raise ValueError(f"ThresholdedReLU '{self.name}': theta should be >= 0. Received: {theta}")
        self.theta = float(theta)
        self.supports_masking = True

    def call(self, inputs):
        return inputs * (inputs > self.theta).to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["theta"] = self.theta
        return config
