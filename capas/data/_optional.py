"""`tf.experimental.Optional`: a value that may be missing, as `Iterator.get_next_as_optional` returns."""

import torch

from capas._nest import map_structure
from capas.data._structure import spec_of
from capas.errors import InvalidArgumentError
from capas.ops._convert import convert_to_tensor


class Optional:
    """A structure of tensors, or nothing; `has_value()` says which.

    Make one with `Optional.from_value(value)` or `Optional.empty(element_spec)`;
    `Iterator.get_next_as_optional()` returns one that is empty past the end of
    the dataset, where `get_next()` would raise `OutOfRangeError`.

    Example:

    >>> import capas as tf
    >>> it = iter(tf.data.Dataset.range(1))
    >>> first = it.get_next_as_optional()
    >>> bool(first.has_value()), int(first.get_value())
    (True, 0)
    >>> bool(it.get_next_as_optional().has_value())
    False
    """

    def __init__(self, value, has_value, element_spec):
        self._value = value
        self._has_value = has_value
        self._element_spec = element_spec

    @staticmethod
    def from_value(value):
        """An `Optional` holding `value` (a tensor or a structure of tensors)."""
        value = map_structure(convert_to_tensor, value)
        return Optional(value, True, spec_of(value))

    @staticmethod
    def empty(element_spec):
        """An `Optional` with no value, whose value would match `element_spec`."""
        return Optional(None, False, element_spec)

    @property
    def element_spec(self):
        """The spec (structure of `TensorSpec`s) of the value."""
        return self._element_spec

    def has_value(self, name=None):
        """A scalar bool tensor: whether there is a value."""
        return torch.tensor(self._has_value)

    def get_value(self, name=None):
        """The value; raises `InvalidArgumentError` when there is none."""
        if not self._has_value:
            raise InvalidArgumentError(
                None,
                "OptionalGetValue",
                "The given optional does not have a value.",  # TF's words; check has_value() first
            )
        return self._value

    def __repr__(self):
        return f"<Optional has_value={self._has_value} element_spec={self._element_spec}>"
