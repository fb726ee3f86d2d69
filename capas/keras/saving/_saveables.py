"""Where each piece of a model's state lives in a Keras 3 weights file.

Keras 3 addresses state by structure, not by layer names. Paths follow the
object tree: a Functional or Sequential model lists
`layers/<class_name_in_snake_case>` (`dense`, `dense_1` in Keras's order of
`model.layers`) first, then its other attributes sorted with private ones
last (`optimizer`, a custom layer's sublayers, `<list_attr>/<class_name>`
for lists, public properties returning a sublayer). An object reachable by
several paths is written at its first.
"""

import inspect
import re

import torch

from capas.keras.layers.layer import Layer, _is_trainable


def _path_name(cls):
    """A class name as Keras's weight paths spell it: 'Conv2D' -> 'conv2d', 'MyDense' -> 'my_dense'.

    Differs from capas's layer names (naming.to_snake_case), which split digits
    from capitals; the file layout must follow Keras.
    """
    name = re.sub(r"\W+", "", cls.__name__)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _name_key(name):
    return f"~{name}" if name.startswith("_") else name


def _is_graph_model(obj):
    # in-function: import cycle keras.models.functional -> this module
    from capas.keras.models.functional import Functional

    # in-function: import cycle keras.models -> keras.models.functional -> this module
    from capas.keras.models.sequential import Sequential

    return isinstance(obj, (Functional, Sequential)) or obj.__dict__.get("_functional_subclass", False)


def _own_variables(obj):
    if isinstance(obj, Layer):
        if getattr(obj, "lora_enabled", False):  # Keras 3 layout: [kernel, bias], no LoRA variables
            return obj._lora_loaded_targets()[0]
        own = obj._own_variables()
        return [v for v in own if _is_trainable(v)] + [v for v in own if not _is_trainable(v)]
    if isinstance(obj, torch.nn.Module):
        return list(obj.parameters(recurse=False)) + list(obj.buffers(recurse=False))
    return list(getattr(obj, "variables", []))  # an optimizer


def _base_names():
    """Attribute names of capas's base classes: never saveable children (Keras's skip set)."""
    if not _BASE_NAMES:
        # in-function: import cycle keras.models.functional -> this module
        from capas.keras.models.functional import Functional

        # in-function: import cycle keras.models -> keras.models.functional -> this module
        from capas.keras.models.sequential import Sequential

        for cls in (Functional, Sequential):
            _BASE_NAMES.update(dir(cls))
    return _BASE_NAMES


_BASE_NAMES = set()


def _properties(obj, tracked):
    """Public properties a subclass defines that return one of its tracked sublayers.

    Keras walks `dir(obj)`, so a sublayer reachable as both `key_dense` (a
    property) and `_key_dense` is saved under the public name.
    """
    out = {}
    for name in dir(type(obj)):
        if name.startswith("_") or name in _base_names():
            continue
        if not isinstance(inspect.getattr_static(type(obj), name, None), property):
            continue
        try:
            value = getattr(obj, name)
        except Exception:  # noqa: BLE001 - a property may fail on a partly built layer
            continue
        if id(value) in tracked:
            out[name] = value
    return out


def _children(obj):
    if not isinstance(obj, torch.nn.Module):
        return
    graph_layers = ()
    if _is_graph_model(obj):
        graph_layers = keras_layer_order(obj)
        yield "layers", graph_layers
    attrs = {}
    if isinstance(obj, Layer):
        obj._sync_containers()
        for key, container in obj._containers.items():
            attrs[key] = list(container.values()) if isinstance(container, dict) else list(container)
    graph_ids = {id(layer) for layer in graph_layers}
    for key, module in obj._modules.items():
        if module is None or "." in key or id(module) in graph_ids:
            continue
        attrs[key] = module
    optimizer = obj.__dict__.get("optimizer")
    if optimizer is not None and hasattr(optimizer, "variables"):
        attrs["optimizer"] = optimizer
    tracked = {id(v) for v in attrs.values() if not isinstance(v, list)} - graph_ids
    attrs.update({k: v for k, v in _properties(obj, tracked).items() if k not in attrs})
    for key in sorted(attrs, key=_name_key):
        yield key, attrs[key]


def _flatten_sorted(structure):
    if isinstance(structure, dict):
        return [t for key in sorted(structure) for t in _flatten_sorted(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [t for item in structure for t in _flatten_sorted(item)]
    return [structure]


def keras_layer_order(model):
    """`model.layers` in Keras 3's order: by graph depth (inputs first), ties by first visit from the outputs.

    Keras numbers layers of a functional model this way (`Function`'s graph
    map); the weights file addresses layers by that order, so branched graphs
    must follow it exactly.
    """
    inputs = getattr(model, "_flat_inputs", None)
    outputs = getattr(model, "_flat_outputs", None)
    if inputs is None or outputs is None:
        return list(model.layers)
    if isinstance(getattr(model, "_outputs_struct", None), dict):
        # Keras flattens a dict of outputs by sorted key (its `tree.flatten`).
        outputs = _flatten_sorted(model._outputs_struct)
    input_ids = {id(t) for t in inputs}
    index = {}
    finished, order = set(), []

    def node_of(t):
        layer, node_index, _ = t._keras_history
        return layer, layer._inbound_nodes[node_index]

    def visit(t):  # post-order walk from the outputs, numbering layers on first sight
        stack = [(t, False)]
        while stack:
            tensor, expanded = stack.pop()
            layer, node = node_of(tensor)
            if expanded:
                if id(node) not in finished:
                    finished.add(id(node))
                    order.append(node)
                continue
            if id(node) in finished:
                continue
            index.setdefault(id(layer), (len(index), layer))
            stack.append((tensor, True))
            if id(tensor) not in input_ids:
                stack.extend((parent, False) for parent in reversed(node.input_tensors))

    for t in outputs:
        visit(t)
    node_depth, layer_depth = {}, {}
    for node in reversed(order):
        depth = max(node_depth.get(id(node), 0), layer_depth.get(id(node.layer), 0))
        node_depth[id(node)] = layer_depth[id(node.layer)] = depth
        for t in node.input_tensors:
            parent = node_of(t)[1]
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for t in inputs:
        layer = t._keras_history[0]
        if id(layer) not in layer_depth:
            layer_depth[id(layer)] = 0
            index[id(layer)] = (-1, layer)
    layers = sorted(index.values(), key=lambda item: (-layer_depth[id(item[1])], item[0]))
    return [layer for _, layer in layers]


def _join(path, name):
    return f"{path}/{name}" if path else name


def walk(root):
    """`(paths, saveable)` for every saveable of `root`, in Keras's order of first visit.

    `paths[0]` is where Keras writes the object; the other paths are where it
    is also reachable (Keras retries those when loading), so a file written
    under any of them loads.
    """
    paths = {}
    out = []
    seen = set()

    def visit(obj, path):
        if (id(obj), path) in seen or len(seen) > _MAX_VISITS:
            return
        seen.add((id(obj), path))
        if id(obj) not in paths:
            paths[id(obj)] = []
            out.append(obj)
        paths[id(obj)].append(path)
        for attr, child in _children(obj):
            if isinstance(child, list):
                visit_container(child, _join(path, attr))
            else:
                visit(child, _join(path, attr))

    def visit_container(items, path):
        used = {}
        for item in items:
            if isinstance(item, (list, tuple)):
                visit_container(list(item), _join(path, _unique("container", used)))
            elif isinstance(item, torch.nn.Module) or hasattr(item, "variables"):
                visit(item, _join(path, _unique(_path_name(type(item)), used)))

    visit(root, "")
    return [(paths[id(obj)], obj) for obj in out]


_MAX_VISITS = 100_000


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _keras_trainable_order(obj, seen):
    """The trainable variables of `obj` in the order Keras would list them."""
    if not isinstance(obj, Layer):
        return [v for v in obj.parameters() if v.requires_grad and id(v) not in seen and not seen.add(id(v))]
    if not obj.trainable:
        return []
    out = [v for v in _own_variables(obj) if v.requires_grad and id(v) not in seen and not seen.add(id(v))]
    children = keras_layer_order(obj) if _is_graph_model(obj) else obj._direct_sublayers()
    for child in children:
        out.extend(_keras_trainable_order(child, seen))
    return out


def optimizer_state_portable(model):
    """Whether the optimizer's slots are in Keras's variable order (see `keras_layer_order`).

    capas orders a branched functional model's layers differently from Keras;
    its optimizer slots would then be misassigned across the two libraries,
    so they are neither written nor read (with a warning) until the orders agree.
    """
    ours = [id(v) for v in model.trainable_weights]
    return ours == [id(v) for v in _keras_trainable_order(model, set())]
