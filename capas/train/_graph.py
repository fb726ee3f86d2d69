"""Walking an object graph into checkpoint keys (TF's object-based naming).

A key is the attribute path from the checkpoint to a value, then
`/.ATTRIBUTES/VARIABLE_VALUE` for a variable (as TensorFlow names it), e.g.
`model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE`. What is tracked:

- `tf.Variable`s and plain torch tensors held as attributes;
- `tf.Module`s and `tf.train.Checkpoint`s (their attributes, sorted);
- Keras models (`layer_with_weights-N` per sublayer that has weights, in
  `model.layers` order) and layers (each weight under its path inside the layer);
- Keras optimizers (`_variables/i`, `iterations` first);
- any `torch.nn.Module` (its `state_dict()` names);
- lists, tuples (`name/i`) and dicts (`name/key`) of the above;
- any object with the state protocol: `_checkpoint_state() -> dict` and
  `_restore_checkpoint_state(dict)`; its entries are saved under
  `path/.ATTRIBUTES/<key>` (values: numpy arrays, ints or str).

Each object is saved once, under the first path that reaches it; the other paths to a
variable are written as aliases of that key (`aliases`), so that a checkpoint object that
reaches it only through another path (`mapped["two"]` for `listed[1]`) restores it, as TF's
object graph does.
"""

import numpy as np
import torch

from capas.module import Module

VARIABLE_SUFFIX = ".ATTRIBUTES/VARIABLE_VALUE"


class TensorLeaf:
    """A tensor slot in the graph: saved with `.numpy()`, restored in place."""

    def __init__(self, tensor):
        self.tensor = tensor

    def value(self):
        return self.tensor.detach().cpu().numpy()

    def check(self, array, key):
        if tuple(np.shape(array)) != tuple(self.tensor.shape):
            raise ValueError(
                f"Checkpoint entry '{key}' has shape {tuple(array.shape)} but the object being restored has shape "
                f"{tuple(self.tensor.shape)}. Build the model with the same configuration it was saved with."
            )

    def restore(self, array):
        with torch.no_grad():
            self.tensor.copy_(torch.from_numpy(np.array(array, order="C")).to(self.tensor.dtype))


class DeferredSlots:
    """An optimizer whose slot variables may not exist yet (TF restores them when they are created)."""

    def __init__(self, optimizer, path):
        self.optimizer = optimizer
        self.path = path

    def saved_indices(self, keys):
        """{index: key} of the saved optimizer variables this optimizer does not have yet."""
        prefix = _join(self.path, "_variables/")
        have = len(self.optimizer.variables)
        found = {}
        for key in keys:
            if key.startswith(prefix) and key.endswith("/" + VARIABLE_SUFFIX):
                index = key[len(prefix) : -len(VARIABLE_SUFFIX) - 1]
                if index.isdigit() and int(index) >= have:
                    found[int(index)] = key
        return found

    def defer(self, values):
        """Assign `values` ({index: array}) right after the optimizer builds its slots."""
        optimizer = self.optimizer
        pending = optimizer.__dict__.setdefault("_capas_pending_restore", {})
        pending.update(values)
        if "build" in optimizer.__dict__:
            return  # already wrapped
        build = optimizer.build

        def build_then_restore(var_list):
            result = build(var_list)
            del optimizer.__dict__["build"]
            for index, value in optimizer.__dict__.pop("_capas_pending_restore", {}).items():
                if index < len(optimizer.variables):
                    leaf = TensorLeaf(optimizer.variables[index])
                    leaf.check(value, _join(self.path, f"_variables/{index}"))
                    leaf.restore(value)
            return result

        optimizer.build = build_then_restore


class DeferredLayer:
    """A Keras layer or model not built yet: TF restores its saved weights when it builds them
    (`checkpoint.restore(...)` before the first call of a Sequential without an input shape)."""

    def __init__(self, layer, path):
        self.layer = layer
        self.path = path

    def saved_keys(self, keys):
        prefix = self.path + "/" if self.path else ""
        return [k for k in keys if k.startswith(prefix)]

    def defer(self, values):
        """Assign `values` ({key: array}) to the weights at those keys right after the layer builds."""
        layer = self.layer
        pending = layer.__dict__.setdefault("_capas_pending_restore", {})
        pending.update(values)
        if "build" in layer.__dict__:
            return  # already wrapped
        path = self.path
        # A Sequential builds through _maybe_make_graph on its first call, other layers through build.
        names = [n for n in ("build", "_maybe_make_graph") if callable(getattr(layer, n, None))]
        originals = {n: getattr(layer, n) for n in names}

        def restore_pending():
            if not layer.weights:
                return  # still nothing built (a lazily built subclass): wait for the next build
            for n in names:
                layer.__dict__.pop(n, None)
            values = layer.__dict__.pop("_capas_pending_restore", {})
            leaves = collect(layer, path)
            checked = []
            for key, value in values.items():
                leaf = leaves.get(key)
                if isinstance(leaf, TensorLeaf):
                    leaf.check(value, key)
                    checked.append((leaf, value))
            for leaf, value in checked:
                leaf.restore(value)

        def wrap(fn):
            def build_then_restore(*args, **kwargs):
                result = fn(*args, **kwargs)
                if "_capas_pending_restore" in layer.__dict__:
                    restore_pending()
                return result

            return build_then_restore

        for n in names:
            layer.__dict__[n] = wrap(originals[n])


class StateLeaf:
    """An object implementing the checkpoint state protocol."""

    def __init__(self, obj):
        self.obj = obj


def _join(path, name):
    return f"{path}/{name}" if path else str(name)


def _is_keras_layer(obj):
    return isinstance(obj, torch.nn.Module) and hasattr(obj, "weights") and hasattr(obj, "built")


def _is_optimizer(obj):
    return hasattr(obj, "iterations") and hasattr(obj, "variables") and hasattr(obj, "apply_gradients")


def collect(obj, path="", out=None, seen=None, aliases=None):
    """{key: TensorLeaf} plus {path: StateLeaf} for everything reachable from `obj`.

    `aliases`, when given, gets {other key: first key} for the variables reached twice.
    """
    from capas.train.checkpoint import Checkpoint  # in-function: import cycle train.checkpoint -> this module

    out = {} if out is None else out
    seen = set() if seen is None else seen
    if isinstance(obj, (str, bytes, int, float, bool)) or obj is None:
        return out
    if id(obj) in seen:
        if aliases is not None and isinstance(obj, torch.Tensor):
            first = aliases.setdefault("", {}).get(id(obj))
            if first is not None:
                aliases[_join(path, VARIABLE_SUFFIX)] = first
        return out
    if isinstance(obj, torch.Tensor):
        seen.add(id(obj))
        out[_join(path, VARIABLE_SUFFIX)] = TensorLeaf(obj)
        if aliases is not None:
            aliases.setdefault("", {})[id(obj)] = _join(path, VARIABLE_SUFFIX)
        return out
    if isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            collect(item, _join(path, i), out, seen, aliases)
        return out
    if isinstance(obj, dict):
        for key in sorted(obj, key=str):
            collect(obj[key], _join(path, key), out, seen, aliases)
        return out
    seen.add(id(obj))
    if callable(getattr(obj, "_checkpoint_state", None)):
        out[_join(path, ".ATTRIBUTES")] = StateLeaf(obj)
    elif isinstance(obj, Checkpoint):
        for name in sorted(obj._children):
            collect(obj._children[name], _join(path, name), out, seen, aliases)
        if obj._save_counter is not None:
            collect(obj._save_counter, _join(path, "save_counter"), out, seen, aliases)
    elif isinstance(obj, Module):
        for name in sorted(vars(obj)):
            if name not in ("_name", "_scope_name"):
                collect(vars(obj)[name], _join(path, name), out, seen, aliases)
    elif _is_keras_layer(obj):
        if not obj.built and not obj.weights:
            out[_join(path, ".DEFERRED")] = DeferredLayer(obj, path)
        else:
            _collect_layer(obj, path, out, seen, aliases)
    elif _is_optimizer(obj):
        for i, variable in enumerate(obj.variables):
            collect(variable, _join(path, f"_variables/{i}"), out, seen, aliases)
        if not getattr(obj, "built", True):
            out[_join(path, "_variables")] = DeferredSlots(obj, path)
    elif isinstance(obj, torch.nn.Module):
        for name, tensor in obj.state_dict(keep_vars=True).items():
            collect(tensor, _join(path, name.replace(".", "/")), out, seen, aliases)
    return out


def _collect_layer(layer, path, out, seen, aliases):
    sublayers = list(getattr(layer, "layers", None) or [])
    covered = set()
    k = 0
    for sub in sublayers:
        if sub.weights:
            collect(sub, _join(path, f"layer_with_weights-{k}"), out, seen, aliases)
            covered.update(id(w) for w in sub.weights)
            k += 1
    prefix = f"{layer.name}/"
    for i, weight in enumerate(layer.weights):
        if id(weight) in covered:
            continue
        wpath = getattr(weight, "path", None) or f"weight-{i}"
        name = wpath[len(prefix) :] if wpath.startswith(prefix) else wpath.rsplit("/", 1)[-1]
        key = _join(path, name)
        if _join(key, VARIABLE_SUFFIX) in out:
            key = _join(path, f"{name}-{i}")
        collect(weight, key, out, seen, aliases)
