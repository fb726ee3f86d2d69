"""`JaxLayer` and `FlaxLayer`: names Keras exports for wrapping JAX code, which capas cannot run."""

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin

_WHY = (
    "{name} wraps a JAX function ({what}) and needs Keras's JAX backend; capas runs on PyTorch and cannot "
    "execute JAX code. Rewrite the computation as a keras Layer (or wrap a torch.nn.Module with "
    "keras.layers.TorchModuleWrapper), or run this model with Keras on the JAX backend."
)


@register_builtin("layers")
class JaxLayer(Layer):
    """Keras's wrapper of a JAX `call_fn`: present so the name resolves; constructing it raises.

    Raises:
        NotImplementedError: always, naming why and what to use instead.

    Example:

    >>> from capas.keras import layers
    >>> layers.JaxLayer(call_fn=None)
    Traceback (most recent call last):
    ...
    NotImplementedError: JaxLayer wraps a JAX function (call_fn) and needs Keras's JAX backend; ...
    """

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_WHY.format(name="JaxLayer", what="call_fn"))


@register_builtin("layers")
class FlaxLayer(JaxLayer):
    """Keras's wrapper of a Flax module: present so the name resolves; constructing it raises.

    Raises:
        NotImplementedError: always, naming why and what to use instead.
    """

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_WHY.format(name="FlaxLayer", what="a flax.linen Module"))
