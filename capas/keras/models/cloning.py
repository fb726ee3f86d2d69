"""`clone_model`: a new model with the same architecture and fresh weights."""

from capas.keras.layers import _symbolic
from capas.keras.saving import serialization_lib
from capas.keras.models.functional import Functional
from capas.keras.models.sequential import Sequential
from capas.keras.layers.core.input_layer import Input, InputLayer


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs):
    """A copy of `model`'s architecture with newly initialised weights.

    Functional and Sequential models are rebuilt from their config (each layer
    through `clone_function(layer)` when given, else `layer.__class__.from_config`);
    subclassed models through `from_config` (they need a `get_config`).

    Args:
        model: the model to clone.
        input_tensors: optional KerasTensors to build the clone's graph on.
        clone_function: callable `layer -> new layer` applied to every layer
            (except inputs); a layer shared in the model is cloned once.
        call_function: callable `fn(layer, *args, **kwargs)` that replaces
            each layer call while the functional graph is replayed (e.g. to
            add a Dropout after every Dense). Functional models only.
        recursive: clone nested Sequential/Functional models with
            `clone_model` and the same arguments (`call_function` is not
            passed to Sequential ones); when False they go through
            `clone_function`.

    Raises:
        ValueError: `call_function` with a Sequential model; `clone_function`,
            `call_function` or `input_tensors` with a subclassed model; an
            unknown keyword argument.

    Example:

    >>> from capas import keras
    >>> from capas.keras import layers
    >>> inputs = keras.Input((3,))
    >>> model = keras.Model(inputs, layers.Dense(2)(inputs))
    >>> copy = keras.models.clone_model(model)
    >>> copy.count_params() == model.count_params() and copy.layers[1] is not model.layers[1]
    True
    """
    cache = kwargs.pop("cache", None)
    if kwargs:
        raise ValueError(
            f"clone_model() got unexpected keyword argument(s) {sorted(kwargs)}; it accepts "
            "input_tensors, clone_function, call_function, recursive."
        )
    cache = {} if cache is None else cache
    user_clone = clone_function or (lambda layer: type(layer).from_config(layer.get_config()))

    def clone_layer(layer):
        if id(layer) in cache:
            return cache[id(layer)]
        if recursive and isinstance(layer, Sequential):
            clone = clone_model(layer, clone_function=clone_function, recursive=True, cache=cache)
        elif recursive and isinstance(layer, Functional):
            clone = clone_model(
                layer, clone_function=clone_function, call_function=call_function, recursive=True, cache=cache
            )
        else:
            clone = user_clone(layer)
        cache[id(layer)] = clone
        return clone

    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError(
                f"clone_model(): call_function is not supported for the Sequential model "
                f"'{model.name}' (its layers are listed, not called); use it with functional models."
            )
        clone = Sequential(name=model.name)
        if model._input_layer is not None and input_tensors is None:
            clone.add(InputLayer(batch_shape=model._input_layer.batch_shape), rebuild=False)
        for layer in model.layers:
            clone.add(clone_layer(layer), rebuild=False)
        if input_tensors is not None:
            x = input_tensors
            for layer in clone.layers:
                x = layer(x)
            return Functional(input_tensors, x, name=model.name)
        clone._maybe_make_graph()
        return clone
    if isinstance(model, Functional) or model.__dict__.get("_functional_subclass"):
        return _clone_functional(model, input_tensors, clone_layer, call_function)
    if clone_function is not None or call_function is not None or input_tensors is not None:
        raise ValueError(
            f"clone_model(): clone_function, call_function and input_tensors apply to Functional and "
            f"Sequential models; '{model.name}' is a subclassed {type(model).__name__}. Clone it with "
            "model.__class__.from_config(model.get_config())."
        )
    config = serialization_lib.serialize_keras_object(model)
    return serialization_lib.deserialize_keras_object(config)


def _clone_functional(model, input_tensors, clone_layer, call_function):
    def replace(layer):
        return layer if isinstance(layer, InputLayer) else clone_layer(layer)

    tensor_map = {}
    inputs = model._flat_inputs
    new_inputs = _symbolic.flatten(input_tensors) if input_tensors is not None else None
    for i, t in enumerate(inputs):
        if new_inputs is not None:
            tensor_map[id(t)] = new_inputs[i]
        else:
            tensor_map[id(t)] = Input(batch_shape=t.shape, dtype=t.dtype, name=t.name)

    def sub(v):
        return tensor_map[id(v)] if _symbolic.is_keras_tensor(v) else v

    for step in model._steps:
        node = step.node
        layer = replace(node.layer)
        args = _symbolic.map_structure(sub, list(node.args))
        kwargs = _symbolic.map_structure(sub, dict(node.kwargs))
        out = call_function(layer, *args, **kwargs) if call_function is not None else layer(*args, **kwargs)
        for old, new in zip(node.flat_outputs, _symbolic.flatten(out)):
            tensor_map[id(old)] = new

    def pick(struct):
        return _symbolic.map_structure(lambda t: tensor_map[id(t)], struct)

    return Functional(pick(model._inputs_struct), pick(model._outputs_struct), name=model.name)
