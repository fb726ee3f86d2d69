"""`Dot`: the dot product of two tensors along given axes, per example."""

import torch

from capas.keras.layers.merging._base_merge import BaseMerge, _shape_text
from capas.keras.saving.object_registration import register_builtin


def _l2_normalize(x, axis):
    # Keras: x * min(rsqrt(sum(x^2)), 1 / epsilon), epsilon = 1e-7.
    return x * torch.rsqrt(x.square().sum(dim=axis, keepdim=True)).clamp(max=1e7)


@register_builtin("layers")
class Dot(BaseMerge):
    """Computes the dot product of two tensors along `axes`, per sample.

    For inputs `(batch, n, k)` and `(batch, k, m)` with `axes=(2, 1)` the
    output is `(batch, n, m)`: the remaining dims of the first input, then
    those of the second; two vectors give `(batch, 1)`.

    Args:
        axes: int or pair of ints, the axis of each input to contract
            (never 0, the batch axis).
        normalize: L2-normalize both inputs along `axes` first, giving the
            cosine similarity.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Dot(axes=(2, 1))([tf.ones((2, 3, 5)), tf.ones((2, 5, 4))]).shape
    torch.Size([2, 3, 4])
    """

    min_inputs = 2
    max_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(f"Dot '{self.name}': `axes` must be an int or a pair of ints, received {axes!r}.")
            if len(axes) != 2 or not all(isinstance(a, int) for a in axes):
                raise ValueError(f"Dot '{self.name}': `axes` must hold two integers, received axes={axes!r}.")
        self.axes = axes
        self.normalize = normalize

    def _axes_for(self, x1, x2):
        pair = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        return [a % x.dim() for a, x in zip(pair, (x1, x2))]

    def _check_shapes(self, shapes):
        if len(shapes) != 2:
            raise ValueError(f"Dot '{self.name}' should be called on exactly 2 inputs; received {len(shapes)}.")
        pair = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        a1, a2 = (a % len(s) for a, s in zip(pair, shapes))
        if 0 in (a1, a2):
            raise ValueError(
                f"Dot '{self.name}' cannot contract the batch axis 0 (axes={self.axes}, shapes "
                f"{_shape_text(shapes)}). If your inputs are not batched, add a batch axis first."
            )
        d1, d2 = shapes[0][a1], shapes[1][a2]
        if d1 is not None and d2 is not None and d1 != d2:
            raise ValueError(
                f"Dot '{self.name}': incompatible input shapes {_shape_text(shapes)}: axis {a1} of the first "
                f"({d1}) != axis {a2} of the second ({d2})."
            )

    def call(self, inputs):
        self._check_list(inputs)
        x1, x2 = inputs
        a1, a2 = self._axes_for(x1, x2)
        if self.normalize:
            x1, x2 = _l2_normalize(x1, a1), _l2_normalize(x2, a2)
        batch = x1.shape[0]
        left = x1.movedim(a1, -1)
        right = x2.movedim(a2, 1)
        rest1, rest2 = left.shape[1:-1], right.shape[2:]
        out = torch.bmm(left.reshape(batch, -1, left.shape[-1]), right.reshape(batch, right.shape[1], -1))
        out = out.reshape((batch,) + tuple(rest1) + tuple(rest2))
        return out.unsqueeze(1) if out.dim() == 1 else out

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def dot(inputs, axes=-1, **kwargs):
    """Functional interface to the `Dot` layer.

    Args:
        inputs: a list of two input tensors.
        axes: int or pair of ints, the axes to contract.
        normalize: (keyword) L2-normalize along `axes` first.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the per-sample dot product of the inputs.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.dot([tf.ones((2, 3)), tf.ones((2, 3))], axes=1).shape
    torch.Size([2, 1])
    """
    return Dot(axes=axes, **kwargs)(inputs)
