"""A functional model's config in Keras 3's format, and the model rebuilt from it.

Each layer is serialized with its `inbound_nodes`: the call arguments, where
every symbolic tensor is `{"class_name": "__keras_tensor__", "config":
{"shape", "dtype", "keras_history": [layer_name, node_index, tensor_index]}}`.
Rebuilding replays those calls on new KerasTensors, in order.
"""

from capas.keras.layers import _symbolic
from capas.keras.layers.core.input_layer import InputLayer
from capas.keras.saving import serialization_lib
from capas.keras.models.functional import Functional
from capas.keras.layers.layer import Layer


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
            return {
                "class_name": "__keras_tensor__",
                "config": {
                    "shape": list(t.shape),
                    "dtype": _symbolic.symbolic_dtype_name(t.dtype),
                    "keras_history": _history_ref(t, node_index_map),
                },
            }
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


class FunctionalConfigError(ValueError):
    """A functional config that cannot be rebuilt; the message names the layer and the field."""


def _field(mapping, key, where, kind, default=None, required=True):
    """`mapping[key]` checked to be a `kind`, or FunctionalConfigError naming `where` and `key`."""
    if not isinstance(mapping, dict):
        raise FunctionalConfigError(f"{where} should be a JSON object, received {type(mapping).__name__}.")
    if key not in mapping:
        if required:
            raise FunctionalConfigError(f"{where} has no '{key}' field.")
        return default
    value = mapping[key]
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise FunctionalConfigError(
            f"{where}: '{key}' should be a {names}, received {type(value).__name__} {_short(value)}."
        )
    return value


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _history(value, where, created):
    """A `[layer_name, node_index, tensor_index]` reference, checked against the layers defined so far."""
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 3
        or not isinstance(value[0], str)
        or not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value[1:])
    ):
        raise FunctionalConfigError(
            f"{where}: 'keras_history' should be [layer_name, node_index, tensor_index], received {_short(value)}."
        )
    if value[0] not in created:
        raise FunctionalConfigError(f"{where} refers to layer '{value[0]}', which the config does not define.")
    return value


def _pick(produced, node_index, tensor_index, where):
    if node_index >= len(produced):
        raise _NotReady()
    flat = _symbolic.flatten(produced[node_index])
    if tensor_index >= len(flat):
        raise FunctionalConfigError(
            f"{where}: tensor_index {tensor_index} is out of range; that node has {len(flat)} output(s)."
        )
    return flat[tensor_index]


def functional_from_config(cls, config, custom_objects=None):
    model_name = config.get("name") if isinstance(config, dict) else None
    here = f"the config of functional model '{model_name}'"
    entries = _field(config, "layers", here, list)
    created = {}
    outputs_of = {}
    pending = []
    for i, entry in enumerate(entries):
        where = f"layer #{i} of {here}"
        if not isinstance(entry, dict):
            raise FunctionalConfigError(f"{where} should be a JSON object, received {type(entry).__name__}.")
        name = _field(entry, "name", where, str, required=False)
        where = f"layer '{name}' ({entry.get('class_name')}) of {here}" if name else where
        try:
            layer = serialization_lib.deserialize_keras_object(entry, custom_objects=custom_objects)
        except (KeyError, AttributeError, IndexError) as exc:
            raise FunctionalConfigError(
                f"{where} cannot be rebuilt: {type(exc).__name__} {exc} (a field is missing or has the wrong type)."
            ) from exc
        if not isinstance(layer, Layer):
            raise FunctionalConfigError(
                f"{where} should describe a layer (a 'class_name' and its 'config'), "
                f"but it rebuilds to a {type(layer).__name__}."
            )
        name = name or layer.name
        if layer.name != name:
            layer._set_untracked(name=name)
        created[name] = layer
        outputs_of[name] = []
        if isinstance(layer, InputLayer):
            outputs_of[name].append(layer.output)
        else:
            nodes = _field(entry, "inbound_nodes", where, list, default=[], required=False)
            for k, node in enumerate(nodes):
                node_where = f"inbound node {k} of {where}"
                _field(node, "args", node_where, list, default=[], required=False)
                _field(node, "kwargs", node_where, dict, default={}, required=False)
                pending.append((name, node, node_where))

    def resolve(value, where):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            tensor_config = _field(value, "config", where, dict)
            layer_name, node_index, tensor_index = _history(
                _field(tensor_config, "keras_history", where, (list, tuple)), where, created
            )
            return _pick(outputs_of[layer_name], node_index, tensor_index, where)
        if isinstance(value, list):
            return [resolve(v, where) for v in value]
        if isinstance(value, dict):
            return {k: resolve(v, where) for k, v in value.items()}
        return value

    progress = True
    while pending and progress:
        progress = False
        remaining = []
        for name, node, where in pending:
            try:
                args = resolve(node.get("args", []), where)
                kwargs = resolve(node.get("kwargs", {}), where)
                # Keras records the symbolic call's default (training=False); at run time
                # the model's own `training` argument decides, as in Keras.
                kwargs.pop("training", None)
            except _NotReady:
                remaining.append((name, node, where))
                continue
            if len(remaining) and any(r[0] == name for r in remaining):
                remaining.append((name, node, where))
                continue
            try:
                out = created[name](*args, **kwargs)
            except (KeyError, AttributeError, IndexError, TypeError) as exc:
                raise FunctionalConfigError(
                    f"{where}: calling the layer on the recorded inputs failed ({type(exc).__name__}: {exc})."
                ) from exc
            outputs_of[name].append(out)
            progress = True
        pending = remaining
    if pending:
        raise FunctionalConfigError(
            f"Cannot rebuild functional model '{model_name}': unresolved layer inputs for {[n for n, _, _ in pending]}."
        )

    def io(refs, where):
        if isinstance(refs, dict):
            return {k: io(v, f"{where}['{k}']") for k, v in refs.items()}
        if isinstance(refs, list) and refs and isinstance(refs[0], str):
            name, node_index, tensor_index = _history(refs, where, created)
            try:
                return _pick(outputs_of[name], node_index, tensor_index, where)
            except _NotReady:
                raise FunctionalConfigError(f"{where}: layer '{name}' has no node {node_index}.") from None
        if isinstance(refs, list) and refs:
            return [io(r, where) for r in refs]
        raise FunctionalConfigError(
            f"{where} should be [layer_name, node_index, tensor_index] or a list or dict "
            f"of them, received {_short(refs)}."
        )

    inputs = io(_field(config, "input_layers", here, (list, dict)), f"'input_layers' of {here}")
    outputs = io(_field(config, "output_layers", here, (list, dict)), f"'output_layers' of {here}")
    model = cls.__new__(cls)
    Functional.__init__(model, inputs, outputs, name=model_name, trainable=config.get("trainable", True))
    return model


class _NotReady(Exception):
    pass
