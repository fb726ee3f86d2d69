"""`Maximum`: the element-wise maximum of a list of tensors."""

import torch

from capas.keras.layers.merging._base_merge import BaseMerge, merge_keeping_masked
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Maximum(BaseMerge):
    """Performs the element-wise maximum of a list of inputs.

    Takes a list of tensors of the same shape (or with dims of size 1 that
    broadcast) and returns one tensor of that shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Maximum()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """

    def _merge(self, inputs):
        return merge_keeping_masked(torch.maximum, inputs)


def maximum(inputs, **kwargs):
    """Functional interface to the `Maximum` layer.

    Args:
        inputs: a list of input tensors.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the element-wise maximum of the inputs.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.maximum([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """
    return Maximum(**kwargs)(inputs)
