"""`RepeatVector`: repeat a vector `n` times along a new time axis."""

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RepeatVector(Layer):
    """Repeats the input n times: `(batch, features)` -> `(batch, n, features)`.

    The result is a broadcast view of the input (no copy).

    Args:
        n: int, the repetition factor.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RepeatVector(3)(tf.ones((2, 32))).shape
    torch.Size([2, 3, 32])
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise TypeError(f"RepeatVector '{self.name}': `n` must be a positive int, received n={n!r}.")
        self.n = n

    def call(self, inputs):
        if inputs.dim() != 2:
            raise ValueError(
                f"RepeatVector '{self.name}' expects a 2-D input (batch, features), but received shape "
                f"{tuple(inputs.shape)}."
            )
        return inputs.unsqueeze(1).expand(-1, self.n, -1)

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
