"""`Permute`: reorder the non-batch axes of the input."""

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Permute(Layer):
    """Permutes the dimensions of the input according to a given pattern.

    The result is a view of the input (no copy).

    Args:
        dims: tuple of ints, the permutation of the non-batch axes, indexed
            from 1: `(2, 1)` swaps the first and second non-batch axes.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Permute((2, 1))(tf.ones((2, 10, 64))).shape
    torch.Size([2, 64, 10])
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                f"Permute '{self.name}': `dims` must be a permutation of 1..{len(self.dims)} (the non-batch "
                f"axes, indexed from 1); received dims={dims!r}."
            )

    def call(self, inputs):
        if inputs.dim() != len(self.dims) + 1:
            raise ValueError(
                f"Permute '{self.name}' with dims={self.dims} expects a {len(self.dims) + 1}-D input, but received "
                f"shape {tuple(inputs.shape)}."
            )
        return inputs.permute(0, *self.dims)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config
