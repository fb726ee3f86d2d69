"""A functional model's config in Keras 3's format, and the model rebuilt from it.

Each layer is serialized with its `inbound_nodes`: the call arguments, where
every symbolic tensor is `{"class_name": "__keras_tensor__", "config":
{"shape", "dtype", "keras_history": [layer_name, node_index, tensor_index]}}`.
Rebuilding replays those calls on new KerasTensors, in order.
"""

from capas.keras.layers import _symbolic
from capas.keras.layers.core.input_layer import InputLayer
from capas.keras.saving import serialization_lib


def _history_ref(t, node_index_map):
    layer, node_index, tensor_index = t._keras_history
    return [layer.name, node_index_map.get((id(layer), node_index), 0), tensor_index]


def functional_config(model):
    node_index_map = {}
    kept_nodes = set(id(n) for n in model._nodes)
    for layer in model._graph_layers:
        k = 0
        for i, node in enumerate(layer._inbound_nodes):
            if id(node) in kept_nodes:
                node_index_map[(id(layer), i)] = k
                k += 1

    def tensor_config(t):
        if _symbolic.is_keras_tensor(t):
            from capas.ops._convert import dtype_name

            return {"class_name": "__keras_tensor__", "config": {
                "shape": list(t.shape), "dtype": dtype_name(t.dtype),
                "keras_history": _history_ref(t, node_index_map)}}
        if isinstance(t, (list, tuple)):
            return [tensor_config(x) for x in t]
        if isinstance(t, dict):
            return {k: tensor_config(v) for k, v in t.items()}
        return serialization_lib._serialize_config_values(t)

    layers = []
    for layer in model._graph_layers:
        entry = serialization_lib.serialize_keras_object(layer)
        entry["name"] = layer.name
        nodes = []
        for node in layer._inbound_nodes:
            if id(node) not in kept_nodes or isinstance(layer, InputLayer):
                continue
            nodes.append({"args": tensor_config(list(node.args)), "kwargs": tensor_config(dict(node.kwargs))})
        entry["inbound_nodes"] = nodes
        layers.append(entry)

    def io_refs(struct):
        if isinstance(struct, dict):
            return {k: _history_ref(v, node_index_map) for k, v in struct.items()}
        if _symbolic.is_keras_tensor(struct):
            return _history_ref(struct, node_index_map)
        return [_history_ref(t, node_index_map) for t in struct]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": io_refs(model._inputs_struct),
        "output_layers": io_refs(model._outputs_struct),
    }


def functional_from_config(cls, config, custom_objects=None):
    created = {}
    outputs_of = {}
    pending = []
    for entry in config["layers"]:
        layer = serialization_lib.deserialize_keras_object(entry, custom_objects=custom_objects)
        name = entry.get("name") or layer.name
        if layer.name != name:
            layer.__dict__["name"] = name
        created[name] = layer
        outputs_of[name] = []
        if isinstance(layer, InputLayer):
            outputs_of[name].append(layer.output)
        else:
            pending.extend((name, node) for node in entry.get("inbound_nodes", []))

    def resolve(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            layer_name, node_index, tensor_index = value["config"]["keras_history"]
            produced = outputs_of[layer_name]
            if node_index >= len(produced):
                raise _NotReady()
            return _symbolic.flatten(produced[node_index])[tensor_index]
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        return value

    progress = True
    while pending and progress:
        progress = False
        remaining = []
        for name, node in pending:
            try:
                args = resolve(node.get("args", []))
                kwargs = resolve(node.get("kwargs", {}))
                if isinstance(kwargs, dict):
                    # Keras records the symbolic call's default (training=False); at run time
                    # the model's own `training` argument decides, as in Keras.
                    kwargs.pop("training", None)
            except _NotReady:
                remaining.append((name, node))
                continue
            if len(remaining) and any(r[0] == name for r in remaining):
                remaining.append((name, node))
                continue
            out = created[name](*args, **kwargs)
            outputs_of[name].append(out)
            progress = True
        pending = remaining
    if pending:
        raise ValueError(f"Cannot rebuild functional model '{config.get('name')}': unresolved layer inputs "
                         f"for {[n for n, _ in pending]}.")

    def io(refs):
        if isinstance(refs, dict):
            return {k: io(v) for k, v in refs.items()}
        if refs and isinstance(refs[0], str):
            name, node_index, tensor_index = refs
            return _symbolic.flatten(outputs_of[name][node_index])[tensor_index]
        return [io(r) for r in refs]

    inputs = io(config["input_layers"])
    outputs = io(config["output_layers"])
    model = cls.__new__(cls)
    from capas.keras.models.functional import Functional

    Functional.__init__(model, inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))
    return model


class _NotReady(Exception):
    pass
