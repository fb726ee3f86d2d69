"""`Concatenate`: join a list of tensors along one axis."""

import torch

from capas.keras.layers.merging._base_merge import BaseMerge, _shape_text
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Concatenate(BaseMerge):
    """Concatenates a list of inputs along `axis`.

    Every other dim must match. With masks, the output mask is the
    concatenated masks (an input without one counts as unmasked), reduced
    with `any` over the last axis, as in Keras.

    Args:
        axis: the concatenation axis (default -1).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Concatenate(axis=1)([tf.ones((2, 3)), tf.ones((2, 4))]).shape
    torch.Size([2, 7])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _check_shapes(self, shapes):
        ranks = {len(s) for s in shapes}
        if len(ranks) != 1:
            raise ValueError(
                f"Concatenate '{self.name}' needs inputs of the same rank; received shapes {_shape_text(shapes)}."
            )
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Concatenate '{self.name}': axis {self.axis} is out of bounds for inputs of rank {rank} (shapes "
                f"{_shape_text(shapes)})."
            )
        axis = self.axis % rank
        for d in range(1, rank):
            if d == axis:
                continue
            sizes = {s[d] for s in shapes} - {None}
            if len(sizes) > 1:
                raise ValueError(
                    f"Concatenate '{self.name}' requires inputs with matching shapes except for the "
                    f"concatenation axis {self.axis}; received shapes {_shape_text(shapes)} (they differ on "
                    f"axis {d}). Reshape or crop the inputs so every other dim agrees."
                )

    def call(self, inputs):
        self._check_list(inputs)
        try:
            return torch.cat(list(inputs), dim=self.axis)
        except RuntimeError:
            self._check_shapes([tuple(x.shape) for x in inputs])
            raise

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            if not isinstance(inputs, (list, tuple)):
                return None
            mask = [getattr(x, "_keras_mask", None) for x in inputs]
        if all(m is None for m in mask):
            return None
        full = []
        for x, m in zip(inputs, mask):
            if m is None:
                full.append(torch.ones(x.shape, dtype=torch.bool, device=x.device))
            elif m.dim() < x.dim():
                full.append(m.unsqueeze(-1).expand(x.shape))
            else:
                full.append(m.bool())
        return torch.cat(full, dim=self.axis).any(dim=-1)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface to the `Concatenate` layer.

    Args:
        inputs: a list of input tensors.
        axis: the concatenation axis.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the concatenation of the inputs along `axis`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.concatenate([tf.ones((2, 3)), tf.ones((2, 4))]).shape
    torch.Size([2, 7])
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
