"""`keras.Operation` and `keras.Function`: Keras 3's op base class and a callable graph of ops.

An `Operation` subclass defines `call` (eager math) and, optionally, `compute_output_spec`.
Called on tensors it runs `call`; called on symbolic tensors (`keras.Input`) it becomes a node
of the functional graph, as a layer does, so it can sit inside `keras.Model(inputs, outputs)`
or a `Function`. Every capas layer counts as an Operation (`isinstance(layer, keras.Operation)`),
as in Keras, where Layer subclasses Operation.

A `Function` is the graph from `inputs` to `outputs` (symbolic tensors) without the training
machinery of a model: call it on tensors, or on symbolic tensors to extend a graph.
"""

import abc

from capas.keras.layers._symbolic import any_symbolic
from capas.keras.layers.layer import Layer
from capas.keras.models.model import Model
from capas.keras.utils import naming


class Operation(abc.ABC):  # noqa: B024  (an ABC only so that layers register as operations)
    """The base class of Keras operations: implement `call(*args, **kwargs)`.

    Args:
        name: the operation's name (default: its class name in snake_case, made unique).

    Example:

    >>> import torch
    >>> from capas import keras
    >>> class Double(keras.Operation):
    ...     def call(self, x):
    ...         return 2 * x
    >>> Double()(torch.ones(2))
    tensor([2., 2.])
    >>> x = keras.Input((3,))
    >>> keras.Function(x, Double()(x))(torch.ones(1, 3))
    tensor([[2., 2., 2.]])
    >>> isinstance(keras.layers.Dense(2), keras.Operation)
    True
    """

    def __init__(self, name=None):
        self.name = name if name is not None else naming.uniquify(naming.to_snake_case(type(self).__name__))
        self._node_layer = None

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement call().")

    def __call__(self, *args, **kwargs):
        if any_symbolic(args) or any_symbolic(kwargs):
            if self._node_layer is None:
                self._node_layer = _OperationNode(self)
            return self._node_layer(*args, **kwargs)
        return self.call(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        """The symbolic outputs for symbolic inputs (traced through `call` by default)."""
        return self(*args, **kwargs)

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


Operation.register(Layer)


class _OperationNode(Layer):
    """Carries an Operation into the functional graph (the node that runs its `call`)."""

    def __init__(self, operation):
        super().__init__(name=operation.name)
        self._set_untracked(_operation=operation)

    def call(self, *args, **kwargs):
        return self._operation.call(*args, **kwargs)


class Function(Operation):
    """The computation from symbolic `inputs` to `outputs`, callable on tensors.

    Args:
        inputs: a `keras.Input`, or a list or dict of them.
        outputs: symbolic tensors computed from `inputs` (by ops, operations or layers).
        name: the function's name.

    Example:

    >>> import torch
    >>> from capas import keras
    >>> x, y = keras.Input((3,)), keras.Input((3,))
    >>> f = keras.Function([x, y], keras.ops.exp(x) * 2 + y)
    >>> f([torch.zeros(1, 3), torch.ones(1, 3)])
    tensor([[3., 3., 3.]])
    """

    def __init__(self, inputs, outputs, name=None):
        super().__init__(name=name)
        self._graph = Model(inputs, outputs, name=self.name)
        self._inputs_struct = inputs
        self._outputs_struct = outputs

    @property
    def inputs(self):
        """The input symbolic tensors, flat."""
        return self._graph.inputs

    @property
    def outputs(self):
        """The output symbolic tensors, flat."""
        return self._graph.outputs

    @property
    def operations(self):
        """The layers and operations of the graph, in the order they run."""
        return [getattr(layer, "_operation", layer) for layer in self._graph.layers]

    def call(self, inputs):
        return self._graph(inputs)

    def __call__(self, inputs):
        return self._graph(inputs)

    def compute_output_spec(self, inputs):
        return self._graph(inputs)
