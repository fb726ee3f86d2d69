"""`UpSampling1D`: repeat the 1 spatial dim(s) of the input."""

from capas.keras.layers.layer import Layer
from capas.keras.layers.reshaping._base_up_sampling import BaseUpSampling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class UpSampling1D(BaseUpSampling):
    """Upsampling layer for 1D inputs.

    Repeats each step (row, column...) `size` times along its dim.

    Args:
        size: int, the upsampling factor.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.UpSampling1D()(tf.ones((2, 6, 3))).shape
    torch.Size([2, 12, 3])
    """

    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(size, **kwargs)
        self._size_int = size

    def call(self, inputs):
        if inputs.dim() != 3:
            raise ValueError(
                f"UpSampling1D '{self.name}' expects a 3-D input (batch, steps, features), but received a "
                f"{inputs.dim()}-D input of shape {tuple(inputs.shape)}."
            )
        return inputs.repeat_interleave(self.size[0], dim=1)

    def get_config(self):
        config = Layer.get_config(self)
        config["size"] = self._size_int
        return config
