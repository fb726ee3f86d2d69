"""`TensorShape`: TensorFlow's partially known shape (dims may be None)."""

import numbers

import torch


def _as_dim(value):
    if value is None:
        return None
    if isinstance(value, torch.Tensor):
        value = value.item()
    dim = getattr(value, "value", value)  # TF1-style Dimension objects
    if dim is None:
        return None
    if isinstance(dim, float) and dim.is_integer():
        dim = int(dim)
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
        raise TypeError(f"TensorShape dimensions must be integers or None, received {value!r}.")
    dim = int(dim)
    if dim < 0:
        raise ValueError(f"TensorShape dimensions must be >= 0 or None, received {dim}.")
    return dim


class TensorShape:
    """The static shape of a tensor, with unknown dimensions as None.

    Args:
        dims: a list or tuple of ints/None, a `torch.Size`, another
            `TensorShape`, an int (a rank-1 shape) or None (unknown rank).

    Example:

    >>> import capas as tf
    >>> s = tf.TensorShape([None, 3])
    >>> s.rank, s.as_list(), s[1], s == (None, 3)
    (2, [None, 3], 3, True)
    """

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif dims is None:
            self._dims = None
        elif isinstance(dims, int) and not isinstance(dims, bool):
            self._dims = (_as_dim(dims),)
        else:
            if isinstance(dims, torch.Tensor):
                dims = dims.tolist()
            self._dims = tuple(_as_dim(d) for d in dims)

    @property
    def rank(self):
        """The number of dimensions, or None for an unknown rank."""
        return None if self._dims is None else len(self._dims)

    ndims = rank

    @property
    def dims(self):
        return None if self._dims is None else list(self._dims)

    def as_list(self):
        """The dimensions as a list (None for unknown ones)."""
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape (rank None).")
        return list(self._dims)

    def is_fully_defined(self):
        return self._dims is not None and all(d is not None for d in self._dims)

    def num_elements(self):
        """The number of elements, or None when some dimension is unknown."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_compatible_with(self, other):
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other):
        other = TensorShape(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible.")
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other):
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def with_rank(self, rank):
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}.")
        return self

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of a shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            return TensorShape(None) if isinstance(key, slice) else None
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def __bool__(self):
        return self._dims is not None

    def __eq__(self, other):
        try:
            other = TensorShape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return hash(self._dims)

    def __add__(self, other):
        return self.concatenate(other)

    def __radd__(self, other):
        return TensorShape(other).concatenate(self)

    def __reduce__(self):
        return (TensorShape, (self.dims,))

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)})"

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"
