"""`Add`: the element-wise sum of a list of tensors."""

from capas.keras.layers.merging._base_merge import BaseMerge
from capas.keras.saving.object_registration import register_builtin


def _sum(inputs):
    out = inputs[0]
    for x in inputs[1:]:
        out = out + x
    return out


@register_builtin("layers")
class Add(BaseMerge):
    """Performs the element-wise sum of a list of inputs.

    Takes a list of tensors of the same shape (or with dims of size 1 that
    broadcast) and returns one tensor of that shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Add()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """

    def _merge(self, inputs):
        return _sum(inputs)


def add(inputs, **kwargs):
    """Functional interface to the `Add` layer.

    Args:
        inputs: a list of input tensors.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the element-wise sum of the inputs.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.add([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """
    return Add(**kwargs)(inputs)
