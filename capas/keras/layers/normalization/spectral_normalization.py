"""`SpectralNormalization`: divides a wrapped layer's kernel by its largest singular value."""

import torch

from capas.keras import initializers
from capas.keras.layers.core.wrapper import Wrapper
from capas.keras.layers.input_spec import InputSpec
from capas.keras.saving.object_registration import register_builtin

_EPSILON = 1e-7  # keras.config.epsilon(), the floor of Keras's ops.normalize


def _l2_normalize(v):
    # Keras's ops.normalize(v, axis=None): v * min(rsqrt(sum(v**2)), 1/epsilon)
    return v * torch.rsqrt(v.square().sum()).clamp(max=1.0 / _EPSILON)


@register_builtin("layers")
class SpectralNormalization(Wrapper):
    """Performs spectral normalization on the weights of a target layer.

    In training calls, one or more power iterations estimate the kernel's
    largest singular value `sigma` (the vector `vector_u`, a non-trainable
    weight, carries the estimate from call to call), and the kernel is
    replaced by `kernel / sigma` before the wrapped layer runs; inference calls
    use the kernel as it is. This bounds the layer's Lipschitz constant, which
    stabilizes GAN training.

    Args:
        layer: a layer with a `kernel` (Dense, Conv2D...) or an `embeddings`
            (Embedding) weight.
        power_iterations: int > 0, iterations per training call (default 1).

    Call arguments:
        inputs: the wrapped layer's input.
        training: normalize the kernel first when True.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> sn = layers.SpectralNormalization(layers.Dense(3))
    >>> sn(tf.ones((2, 4)), training=True).shape
    torch.Size([2, 3])
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if not isinstance(power_iterations, int) or power_iterations <= 0:
            raise ValueError(
                f"SpectralNormalization '{self.name}': `power_iterations` should be greater than zero. "
                f"Received: power_iterations={power_iterations!r}."
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"SpectralNormalization '{self.name}': {type(self.layer).__name__} '{self.layer.name}' has no "
                "attribute 'kernel' nor 'embeddings'. Wrap a layer with a kernel (Dense, Conv2D...) or an "
                "Embedding."
            )
        # Tracked here too, as Keras does: its .keras file holds the kernel under the wrapper's vars
        # (0: kernel, 1: vector_u) and again under the wrapped layer's; get_weights() lists it once.
        self.kernel = kernel
        self.vector_u = self.add_weight(
            name="vector_u",
            shape=(1, kernel.shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            dtype=kernel.dtype,
        )

    def call(self, inputs, training=False):
        if training:
            with torch.no_grad():
                if bool(torch.any(self.kernel != 0)):
                    new_u, new_kernel = self.normalized_weights()
                    self.vector_u.assign(new_u)
                    self.kernel.assign(new_kernel)
        output = self.layer(inputs)
        return output.to(inputs.dtype) if output.dtype != inputs.dtype else output

    def normalized_weights(self):
        """The updated `(vector_u, kernel / sigma)` after `power_iterations` power iterations."""
        kernel = self.kernel.detach()
        weights = kernel.reshape(-1, kernel.shape[-1])
        u = self.vector_u.detach()
        for _ in range(self.power_iterations):
            v = _l2_normalize(u @ weights.T)
            u = _l2_normalize(v @ weights)
        sigma = (v @ weights) @ u.T
        return u.to(self.vector_u.dtype), (kernel / sigma).reshape(kernel.shape).to(kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
