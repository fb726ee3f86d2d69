"""`Multiply`: the element-wise product of a list of tensors."""

import torch

from capas.keras.layers.merging._base_merge import BaseMerge
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Multiply(BaseMerge):
    """Performs the element-wise product of a list of inputs.

    Takes a list of tensors of the same shape (or with dims of size 1 that
    broadcast) and returns one tensor of that shape.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Multiply()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """

    def _merge(self, inputs):
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        if all(m is None for m in masks):
            out = inputs[0]
            for x in inputs[1:]:
                out = out * x
            return out
        # Keras: masked entries count as 1 in the product; the output is zero where all inputs are masked.
        every = all(m is not None for m in masks)
        out, out_mask = None, None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                mask = mask.unsqueeze(-1).expand(x.shape)
                x = torch.where(mask, x, torch.ones((), dtype=x.dtype, device=x.device))
                if every:
                    out_mask = mask if out_mask is None else torch.logical_or(out_mask, mask)
            out = x if out is None else out * x
        if every:
            out = torch.where(out_mask, out, torch.zeros((), dtype=out.dtype, device=out.device))
        return out


def multiply(inputs, **kwargs):
    """Functional interface to the `Multiply` layer.

    Args:
        inputs: a list of input tensors.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the element-wise product of the inputs.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.multiply([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """
    return Multiply(**kwargs)(inputs)
