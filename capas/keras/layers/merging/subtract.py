"""`Subtract`: the element-wise difference (first minus second) of a list of tensors."""

from capas.keras.layers.merging._base_merge import BaseMerge
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Subtract(BaseMerge):
    """Performs the element-wise difference (first minus second) of a list of inputs.

    Takes a list of tensors of the same shape (or with dims of size 1 that
    broadcast) and returns one tensor of that shape. Exactly two inputs.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Subtract()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """

    min_inputs = 2
    max_inputs = 2

    def _merge(self, inputs):
        return inputs[0] - inputs[1]


def subtract(inputs, **kwargs):
    """Functional interface to the `Subtract` layer.

    Args:
        inputs: a list of input tensors of size 2.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the element-wise difference (first minus second) of the inputs.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.subtract([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """
    return Subtract(**kwargs)(inputs)
