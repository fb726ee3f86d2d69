"""`tf.IndexedSlices`: rows `values` of a dense tensor at `indices` (TF's sparse gradient form).

capas's `GradientTape` returns dense gradients (autograd's form), so `isinstance(g,
tf.IndexedSlices)` is False for them and code that densifies IndexedSlices skips that
branch. An IndexedSlices built by hand converts with `tf.convert_to_tensor` (the rows
summed into zeros of `dense_shape`), as TF does.

>>> import capas as tf
>>> s = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([3, 2]))
>>> tf.convert_to_tensor(s).numpy().tolist()
[[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]]
"""

import torch

from capas.ops._convert import convert_to_tensor


class IndexedSlices:
    """Rows `values[i]` placed at `indices[i]` of a tensor of shape `dense_shape`."""

    def __init__(self, values, indices, dense_shape=None):
        self.values = convert_to_tensor(values)
        self.indices = convert_to_tensor(indices)
        self.dense_shape = None if dense_shape is None else convert_to_tensor(dense_shape)

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def shape(self):
        if self.dense_shape is None:
            return torch.Size([None] + list(self.values.shape[1:]))
        return torch.Size(self.dense_shape.tolist())

    @property
    def device(self):
        return self.values.device

    def __capas_dense__(self):
        """The dense tensor (what `tf.convert_to_tensor` returns); duplicate indices add up."""
        if self.dense_shape is None:
            raise ValueError(
                "tf.IndexedSlices without dense_shape cannot be converted to a dense tensor; "
                "pass dense_shape when building it."
            )
        shape = tuple(int(d) for d in self.dense_shape.tolist())
        out = torch.zeros(shape, dtype=self.values.dtype, device=self.values.device)
        return out.index_add(0, self.indices.long().to(out.device), self.values)

    def __neg__(self):
        return IndexedSlices(-self.values, self.indices, self.dense_shape)

    def __repr__(self):
        return f"IndexedSlices(indices={self.indices}, values={self.values}, dense_shape={self.dense_shape})"
