"""`clone_model`: a new model with the same architecture and fresh weights."""

from capas.keras.layers import _symbolic
from capas.keras.saving import serialization_lib


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs):
    """A copy of `model`'s architecture with newly initialised weights.

    Functional and Sequential models are rebuilt from their config (each layer
    through `clone_function(layer)` when given, else `layer.__class__.from_config`);
    subclassed models through `from_config` (they need a `get_config`).

    Args:
        model: the model to clone.
        input_tensors: optional KerasTensors to build the clone's graph on.
        clone_function: callable `layer -> new layer` applied to every layer.

    Example:

    >>> from capas import keras
    >>> from capas.keras import layers
    >>> inputs = keras.Input((3,))
    >>> model = keras.Model(inputs, layers.Dense(2)(inputs))
    >>> copy = keras.models.clone_model(model)
    >>> copy.count_params() == model.count_params() and copy.layers[1] is not model.layers[1]
    True
    """
    from capas.keras.models.functional import Functional
    from capas.keras.models.sequential import Sequential

    clone_function = clone_function or (lambda layer: type(layer).from_config(layer.get_config()))
    if isinstance(model, Sequential):
        clone = Sequential(name=model.name)
        if model._input_layer is not None and input_tensors is None:
            from capas.keras.layers.core.input_layer import InputLayer

            clone.add(InputLayer(batch_shape=model._input_layer.batch_shape), rebuild=False)
        for layer in model.layers:
            clone.add(clone_function(layer), rebuild=False)
        if input_tensors is not None:
            x = input_tensors
            for layer in clone.layers:
                x = layer(x)
            return Functional(input_tensors, x, name=model.name)
        clone._maybe_make_graph()
        return clone
    if isinstance(model, Functional) or model.__dict__.get("_functional_subclass"):
        new_layers = {}

        def replace(layer):
            from capas.keras.layers.core.input_layer import InputLayer

            if isinstance(layer, InputLayer):
                return layer
            if id(layer) not in new_layers:
                new_layers[id(layer)] = clone_function(layer)
            return new_layers[id(layer)]

        tensor_map = {}
        inputs = model._flat_inputs
        new_inputs = _symbolic.flatten(input_tensors) if input_tensors is not None else None
        for i, t in enumerate(inputs):
            if new_inputs is not None:
                tensor_map[id(t)] = new_inputs[i]
            else:
                from capas.keras.layers.core.input_layer import Input

                tensor_map[id(t)] = Input(batch_shape=t.shape, dtype=t.dtype, name=t.name)
        for step in model._steps:
            node = step.node

            def sub(v):
                return tensor_map[id(v)] if _symbolic.is_keras_tensor(v) else v

            out = replace(node.layer)(*_symbolic.map_structure(sub, list(node.args)),
                                      **_symbolic.map_structure(sub, dict(node.kwargs)))
            for old, new in zip(node.flat_outputs, _symbolic.flatten(out)):
                tensor_map[id(old)] = new

        def pick(struct):
            return _symbolic.map_structure(lambda t: tensor_map[id(t)], struct)

        return Functional(pick(model._inputs_struct), pick(model._outputs_struct), name=model.name)
    config = serialization_lib.serialize_keras_object(model)
    return serialization_lib.deserialize_keras_object(config)
