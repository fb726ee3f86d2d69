"""`tf.RaggedTensorSpec`: the type of a RaggedTensor (shape with None ragged dims, dtype, ragged_rank)."""

from capas.ops._convert import as_torch_dtype, dtype_name
from capas.ops.strings import string
from capas.ops.tensor_shape import TensorShape


def _dtype(dtype):
    if dtype is string or dtype == "string" or getattr(dtype, "name", None) == "string":
        return string
    return as_torch_dtype(dtype)


def _name(dtype):
    return "string" if dtype is string else dtype_name(dtype)


class RaggedTensorSpec:
    """Describes a `tf.RaggedTensor`: its shape, dtype and how many dims are ragged.

    In `tf.data`, an element whose spec is a `RaggedTensorSpec` batches into a
    RaggedTensor (`Dataset.batch`, `ragged_batch`) and unbatches into its rows. With
    `ragged_rank=0` the value is a plain tensor (a row of a RaggedTensor), as TF hands it.

    Args:
        shape: the shape, ragged dims None (a `TensorShape` or a list).
        dtype: the dtype of the values (`tf.string` too).
        ragged_rank: how many dims after the first are ragged (default: all but the last,
            `rank - 1`).
        row_splits_dtype: int64 (the only dtype of capas's row splits); int32 is accepted.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1, 2], [3]]))
    >>> ds.element_spec
    RaggedTensorSpec(TensorShape([None]), tf.int32, 0, tf.int64)
    >>> ds.batch(2).element_spec
    RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)
    """

    def __init__(self, shape=None, dtype="float32", ragged_rank=None, row_splits_dtype="int64", flat_values_spec=None):
        self.shape = TensorShape(shape)
        self.dtype = _dtype(dtype)
        rank = self.shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("tf.RaggedTensorSpec: give ragged_rank when the shape has an unknown rank.")
            ragged_rank = rank - 1
        ragged_rank = int(ragged_rank)
        if ragged_rank < 0 or (rank is not None and ragged_rank >= max(rank, 1)):
            raise ValueError(
                f"tf.RaggedTensorSpec: ragged_rank must be in [0, rank - 1] for shape {self.shape}; "
                f"received {ragged_rank}."
            )
        self.ragged_rank = ragged_rank
        self.row_splits_dtype = as_torch_dtype(row_splits_dtype)
        self.flat_values_spec = flat_values_spec

    @classmethod
    def from_value(cls, value):
        """The spec of a RaggedTensor."""
        return cls(value.shape, value.dtype, value.ragged_rank)

    def is_compatible_with(self, spec_or_value):
        """True for a RaggedTensor (or spec) of this dtype, ragged_rank and a compatible shape."""
        rank = getattr(spec_or_value, "ragged_rank", 0)
        return (
            _dtype(spec_or_value.dtype) == self.dtype
            and rank == self.ragged_rank
            and self.shape.is_compatible_with(TensorShape(spec_or_value.shape))
        )

    def __eq__(self, other):
        return (
            isinstance(other, RaggedTensorSpec)
            and self.shape == other.shape
            and self.dtype == other.dtype
            and self.ragged_rank == other.ragged_rank
        )

    def __hash__(self):
        return hash((self.shape, self.dtype, self.ragged_rank))

    def __repr__(self):
        return (
            f"RaggedTensorSpec({self.shape!r}, tf.{_name(self.dtype)}, {self.ragged_rank}, "
            f"tf.{dtype_name(self.row_splits_dtype)})"
        )
