"""`InputLayer` and `keras.Input`: where a functional graph starts."""

from capas.keras.layers._symbolic import KerasTensor, Node, symbolic_dtype_name
from capas.keras.layers.layer import Layer
from capas.keras.utils import naming
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class InputLayer(Layer):
    """The layer behind `keras.Input`: it holds the model input's shape and dtype.

    Args:
        shape: the shape without the batch dim, e.g. `(784,)`.
        batch_size: optional fixed batch size.
        dtype: input dtype, 'float32' by default; 'string' for text (string layers such as
            StringLookup, Hashing and TextVectorization turn it into numbers).
        sparse: accepted for compatibility (sparse inputs are dense here).
        batch_shape: the full shape, batch dim included (instead of shape).
        input_tensor: an existing KerasTensor to wrap.
        name: the input's name (dict inputs are matched by it).
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        **kwargs,
    ):
        kwargs.pop("ragged", None)
        if "input_shape" in kwargs and shape is None:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs and batch_shape is None:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name or naming.uniquify("input_layer"), dtype=None, **kwargs)
        if batch_shape is None:
            if shape is None:
                raise ValueError("InputLayer needs `shape` (without the batch dim) or `batch_shape`.")
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self.batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        for d in self.batch_shape:
            if d is not None and d < 0:
                raise ValueError(f"Input '{self.name}': negative dimension in shape {self.batch_shape}.")
        self.input_dtype = dtype or "float32"
        self.sparse = bool(sparse)
        self.optional = optional
        self.built = True
        if input_tensor is None:
            input_tensor = KerasTensor(self.batch_shape, dtype=self.input_dtype, sparse=self.sparse, name=self.name)
        self._input_tensor = input_tensor
        Node(self, (), {}, input_tensor)

    @property
    def dtype(self):
        return symbolic_dtype_name(self.input_dtype)

    @property
    def output(self):
        return self._input_tensor

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {
            "batch_shape": list(self.batch_shape),
            "dtype": self.dtype,
            "sparse": self.sparse,
            "ragged": False,
            "name": self.name,
            "optional": bool(self.optional),
        }


def Input(
    shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None, tensor=None, optional=False
):
    """A symbolic input of a functional model.

    Args:
        shape: the shape of one sample, e.g. `(784,)`; `None` dims are free.
        batch_size: optional fixed batch size.
        dtype: 'float32' by default.
        name: the input's name; dict inputs to the model are matched by it.

    Returns:
        A `KerasTensor` with shape `(None,) + shape`.

    Example:

    >>> from capas import keras
    >>> keras.Input(shape=(784,), name="digits").shape
    (None, 784)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        batch_shape=batch_shape,
        name=name,
        input_tensor=tensor,
        optional=optional,
    )
    return layer.output
