"""Model state <-> HDF5 in Keras 3's layout (`model.weights.h5`, `.weights.h5`).

Keras 3 addresses state by structure, not by layer names: each saveable
(layer, model, optimizer) gets a group `<path>/vars` holding datasets
`"0", "1", ...` (its own variables: trainable first, then non-trainable) and
an attribute `name`. Paths follow the object tree: a Functional or
Sequential model lists `layers/<class_name_in_snake_case>` (`dense`,
`dense_1` in order of `model.layers`) first, then its other attributes in
sorted order with private ones last (`optimizer`, a custom layer's sublayer
attributes, `<list_attr>/<class_name>` for lists). Each object is written
once, at its first path.

Loading reads and checks every value first and assigns them only when all
are valid, so a bad file never leaves a half-loaded model.
"""

import re
import warnings

import numpy as np
import torch

from capas.keras.saving import _safe_h5
from capas.keras.saving._errors import InvalidModelFileError


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
    from capas.keras.models.functional import Functional
    from capas.keras.models.sequential import Sequential

    return isinstance(obj, (Functional, Sequential)) or obj.__dict__.get("_functional_subclass", False)


def _own_variables(obj):
    from capas.keras.layers.layer import Layer, _is_trainable

    if isinstance(obj, Layer):
        own = obj._own_variables()
        return [v for v in own if _is_trainable(v)] + [v for v in own if not _is_trainable(v)]
    if isinstance(obj, torch.nn.Module):
        return list(obj.parameters(recurse=False)) + list(obj.buffers(recurse=False))
    return list(getattr(obj, "variables", []))  # an optimizer


def _children(obj):
    from capas.keras.layers.layer import Layer

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
    for key in sorted(attrs, key=_name_key):
        yield key, attrs[key]


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
    """`(path, saveable)` for every saveable of `root`, in Keras's order, each once."""
    visited = set()
    out = []

    def visit(obj, path):
        if id(obj) in visited:
            return
        visited.add(id(obj))
        out.append((path, obj))
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
    return out


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _to_numpy(v):
    t = v.detach()
    if t.dtype == torch.bfloat16:
        t = t.float()  # HDF5 has no bfloat16; Keras loads the float32 values into bfloat16 variables.
    return t.cpu().numpy()


def _keras_trainable_order(obj, seen):
    """The trainable variables of `obj` in the order Keras would list them."""
    from capas.keras.layers.layer import Layer

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


_NOT_PORTABLE = ("the optimizer state of model '{}' is {}: its branched graph lists layers in a different "
                 "order than Keras, so the optimizer slots would be misassigned. The model weights are "
                 "complete; training restarts with fresh optimizer slots.")


def write(model, h5file):
    """Write the state of `model` (and its optimizer) into the open, writable `h5file`."""
    portable = optimizer_state_portable(model)
    for path, obj in walk(model):
        if not isinstance(obj, torch.nn.Module) and not portable:
            if len(_own_variables(obj)) > 2:
                warnings.warn(_NOT_PORTABLE.format(model.name, "not saved"), stacklevel=4)
            continue
        group = h5file.require_group(_join(path, "vars"))
        name = getattr(obj, "name", None)
        if isinstance(name, str):
            group.attrs["name"] = name
        custom = getattr(type(obj), "save_own_variables", None)
        if custom is not None and isinstance(obj, torch.nn.Module):
            store = {}
            obj.save_own_variables(store)
            items = [(k, np.asarray(_to_numpy(v) if isinstance(v, torch.Tensor) else v)) for k, v in store.items()]
        else:
            items = [(str(i), _to_numpy(v)) for i, v in enumerate(_own_variables(obj))]
        for key, value in items:
            group.create_dataset(key, data=value)


def read(model, h5file, filepath, file_size, skip_mismatch=False, load_optimizer=True):
    """Load `h5file` into `model` (validated first; nothing is assigned unless all is valid).

    A layer whose weights do not match raises InvalidModelFileError (or is
    skipped with a warning when `skip_mismatch`); optimizer state that does
    not match is skipped with a warning, as Keras does.
    """
    _safe_h5.validate(h5file, filepath, file_size)
    if "layers" not in h5file and "vars" not in h5file:
        raise InvalidModelFileError(
            filepath, "no Keras 3 weights layout (no 'layers' or 'vars' group). Legacy Keras 2 HDF5 files are "
                      "not supported: load the model in Keras 2 and re-save it as .keras.")
    assignments, custom_loads = [], []
    for path, obj in walk(model):
        group_path = _join(path, "vars")
        group = h5file.get(group_path) if group_path in h5file else None
        if group is not None and not isinstance(group, _safe_h5.h5py.Group):
            raise InvalidModelFileError(filepath, f"'{group_path}' should be a group of weights.")
        keys = sorted(group.keys(), key=_index_key) if group is not None else []
        if not isinstance(obj, torch.nn.Module):
            if load_optimizer and group is not None:
                assignments.extend(_read_optimizer(obj, model, group, keys, group_path, filepath))
            continue
        if getattr(type(obj), "load_own_variables", None) is not None and group is not None:
            store = {k: _safe_h5.read_dataset(group[k], f"{group_path}/{k}", filepath) for k in keys}
            custom_loads.append((obj, store))
            continue
        try:
            assignments.extend(_read_vars(obj, path, group, keys, filepath, skip_mismatch))
        except _Mismatch as exc:
            if not skip_mismatch:
                raise InvalidModelFileError(filepath, f"{exc} Does the file belong to this model?") from None
            warnings.warn(f"Skipping loading weights: {exc}", stacklevel=4)
    with torch.no_grad():
        for variable, value in assignments:
            variable.data.copy_(torch.as_tensor(value).to(dtype=variable.dtype, device=variable.device))
    for obj, store in custom_loads:
        obj.load_own_variables(store)


class _Mismatch(Exception):
    """The file's weights for one saveable do not fit it."""


def _read_vars(obj, path, group, keys, filepath, skip_mismatch):
    """`[(variable, array)]` for the own variables of `obj` from `group`; shapes checked before reading."""
    variables = _own_variables(obj)
    if keys != [str(i) for i in range(len(keys))] or len(keys) != len(variables):
        what = (f"{type(obj).__name__} '{getattr(obj, 'name', path)}' at '{path or '/'}' has {len(variables)} "
                f"variables, but the file holds {len(keys)} ({keys[:8]}) there.")
        if not variables and not getattr(obj, "built", True):
            what += " The layer is not built yet: call the model on data (or model.build(input_shape)) first."
        raise _Mismatch(what)
    out = []
    for key, variable in zip(keys, variables):
        where = f"{_join(path, 'vars')}/{key}"
        ds = group[key]
        if not isinstance(ds, _safe_h5.h5py.Dataset):
            raise InvalidModelFileError(filepath, f"'{where}' should be a dataset.")
        if tuple(ds.shape) != tuple(variable.shape):
            message = (f"weight '{where}' has shape {tuple(ds.shape)} in the file, but the model expects "
                       f"{tuple(variable.shape)}.")
            if not skip_mismatch:
                raise InvalidModelFileError(filepath, message)
            warnings.warn(f"Skipping {message}", stacklevel=5)
            continue
        out.append((variable, _safe_h5.read_dataset(ds, where, filepath, expected_shape=tuple(variable.shape))))
    return out


def _read_optimizer(optimizer, model, group, keys, group_path, filepath):
    """The optimizer's `[(variable, array)]`, or `[]` with a warning when the state does not fit."""
    if not optimizer_state_portable(model):
        warnings.warn(_NOT_PORTABLE.format(model.name, "not loaded"), stacklevel=5)
        return []
    if len(keys) != len(_own_variables(optimizer)):
        _build_optimizer(optimizer, model)  # a file saved after training holds the slots too
    try:
        return _read_vars(optimizer, group_path[: -len("/vars")], group, keys, filepath, skip_mismatch=False)
    except (_Mismatch, InvalidModelFileError) as exc:
        reason = exc.reason if isinstance(exc, InvalidModelFileError) else str(exc)
        if isinstance(exc, InvalidModelFileError) and "shape" not in reason:
            raise
        warnings.warn(f"Skipping the optimizer state of model '{model.name}': {reason}", stacklevel=5)
        return []


def _index_key(key):
    return (0, int(key)) if key.isdigit() else (1, key)


def _build_optimizer(optimizer, model):
    if getattr(optimizer, "built", True):
        return
    variables = model.trainable_weights
    scope = getattr(optimizer, "_name_scope", None)
    if scope is not None:
        with scope():
            optimizer.build(variables)
    else:
        optimizer.build(variables)
