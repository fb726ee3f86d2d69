"""`Minimum`: the element-wise minimum of a list of tensors."""

import torch

from capas.keras.layers.merging._base_merge import BaseMerge, merge_keeping_masked
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Minimum(BaseMerge):
    """Performs the element-wise minimum of a list of inputs.

    Takes a list of tensors of the same shape (or with dims of size 1 that
    broadcast) and returns one tensor of that shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Minimum()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """

    def _merge(self, inputs):
        return merge_keeping_masked(torch.minimum, inputs)


def minimum(inputs, **kwargs):
    """Functional interface to the `Minimum` layer.

    Args:
        inputs: a list of input tensors.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the element-wise minimum of the inputs.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.minimum([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """
    return Minimum(**kwargs)(inputs)
