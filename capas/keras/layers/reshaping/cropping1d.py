"""`Cropping1D`: crop the 1 spatial dim(s) of the input."""

from capas.keras.layers.reshaping._base_cropping import BaseCropping
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Cropping1D(BaseCropping):
    """Cropping layer for 1D input.

    Removes `cropping` entries from the start and end of each spatial dim; the
    result is a view of the input (no copy).

    Args:
        cropping: an int (the same on both sides), a pair `(before, after)`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Cropping1D((1, 1))(tf.ones((2, 6, 3))).shape
    torch.Size([2, 4, 3])
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("data_format")
        config["cropping"] = self.cropping[0]
        return config
