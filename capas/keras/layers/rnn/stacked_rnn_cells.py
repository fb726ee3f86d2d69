"""`StackedRNNCells`: several cells acting as one (each feeds the next at every step)."""

import torch

from capas.keras.layers.layer import Layer, _signature
from capas.keras.saving.object_registration import register_builtin
from capas.keras.saving.serialization_lib import serialize_keras_object
from capas.keras.saving.serialization_lib import deserialize_keras_object


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    state_size = cell.state_size
    return state_size[0] if isinstance(state_size, (list, tuple)) else state_size


@register_builtin("layers")
class StackedRNNCells(Layer):
    """Wrapper allowing a stack of RNN cells to behave as a single cell.

    Args:
        cells: list of RNN cell instances.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> cells = [layers.LSTMCell(4), layers.GRUCell(3)]
    >>> layers.RNN(layers.StackedRNNCells(cells))(tf.ones((2, 5, 6))).shape
    torch.Size([2, 3])
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not callable(getattr(cell, "call", None)):
                raise ValueError(f"StackedRNNCells '{self.name}': every cell needs a `call` method; received {cell!r}.")
            if getattr(cell, "state_size", None) is None:
                raise ValueError(f"StackedRNNCells '{self.name}': every cell needs a `state_size`; received {cell!r}.")
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        states = []
        device = self._weights_device()
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                states.append(fn(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(torch.zeros((batch_size, cell.state_size), device=device))
            else:
                states.append([torch.zeros((batch_size, d), device=device) for d in cell.state_size])
        return states

    def build(self, input_shape):
        # in-function: import cycle keras.layers.rnn.rnn -> this module
        from capas.keras.layers.rnn.rnn import _ShapeOnly

        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell._maybe_build((_ShapeOnly(input_shape),), {})
            input_shape = (input_shape[0], _output_size(cell))

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            was_list = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if was_list else [cell_states]
            kwargs = {}
            if isinstance(cell, Layer) and _signature(type(cell))[0].has_training:
                kwargs["training"] = training
            inputs, cell_states = cell.call(inputs, cell_states, **kwargs)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not was_list:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def get_config(self):
        config = super().get_config()
        config["cells"] = [serialize_keras_object(c) for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [deserialize_keras_object(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
