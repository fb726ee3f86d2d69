"""`tf.saved_model.save` / `load` for capas Keras models and `tf.Module`s, in capas's own safe format.

A SavedModel folder holds `capas_saved_model.json` (what kind of object it
is) and either `model.keras` (a Keras model: the `.keras` zip, loaded back
through the registry, callable) or a checkpoint at `variables/variables`
plus the module's attribute layout (a `tf.Module`: loaded back as a module
whose variables, submodules, lists and dicts sit at the same attribute
paths). Differs from TF: no graph is saved. A module's methods (`__call__`,
`@tf.function`s) and `signatures=` come back only when its class is already defined in the
loading process (looked up by name in `sys.modules`, never imported: no code is loaded from
the folder); otherwise it loads as a plain `tf.Module` holding the variables. See
docs/checkpoints.md.
"""

import json
import os
import sys
import types

import numpy as np
import torch

from capas.errors import NotFoundError
from capas.ops._convert import convert_to_tensor
from capas.module import Module
from capas.train import _format, _graph
from capas.train.checkpoint import Checkpoint
from capas.variables import Variable
from capas._file_utils import atomic_write
from capas.keras.models import load_model

_META = "capas_saved_model.json"


def _is_keras_model(obj):
    return isinstance(obj, torch.nn.Module) and hasattr(obj, "save") and hasattr(obj, "get_config")


def save(obj, export_dir, signatures=None, options=None):
    """Save a Keras model or a `tf.Module` (and its variables) into the folder `export_dir`.

    Example:

    >>> import tempfile
    >>> import capas as tf
    >>> module = tf.Module(name="holder")
    >>> module.v = tf.Variable([1.0, 2.0])
    >>> folder = tempfile.mkdtemp()
    >>> tf.saved_model.save(module, folder)
    >>> tf.saved_model.load(folder).v.numpy().tolist()
    [1.0, 2.0]
    """
    export_dir = os.fspath(export_dir)
    os.makedirs(export_dir, exist_ok=True)
    if _is_keras_model(obj):
        obj.save(os.path.join(export_dir, "model.keras"))
        meta = {"format": "capas-saved-model", "version": 1, "kind": "keras"}
    elif isinstance(obj, Module):
        os.makedirs(os.path.join(export_dir, "variables"), exist_ok=True)
        Checkpoint(root=obj).write(os.path.join(export_dir, "variables", "variables"))
        meta = {
            "format": "capas-saved-model",
            "version": 1,
            "kind": "module",
            "name": _module_name(obj),
            "class": type(obj).__name__,
            "layout": _layout(obj, set()),
            "signatures": _signature_names(signatures),
        }
    else:
        raise TypeError(
            f"tf.saved_model.save: expected a Keras model or a tf.Module; received {type(obj).__name__}. "
            "Wrap plain variables in a tf.Module, or use tf.train.Checkpoint."
        )
    with atomic_write(os.path.join(export_dir, _META), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)


def _signature_names(signatures):
    """{signature key: method name} for `signatures=` (a tf.function method, or a dict of them)."""
    if signatures is None:
        return {}
    if not isinstance(signatures, dict):
        signatures = {"serving_default": signatures}
    names = {}
    for key, fn in signatures.items():
        python = getattr(fn, "python_function", fn)
        name = getattr(python, "__name__", None)
        if name is None:
            raise TypeError(f"tf.saved_model.save: signature {key!r} must be a tf.function method; received {fn!r}.")
        names[str(key)] = name
    return names


def _class_ref(cls):
    return f"{cls.__module__}:{cls.__qualname__}"


def _defined_function(ref):
    """The module-level function `ref` names, if the running process defines it (no import)."""
    if not ref or ":" not in ref:
        return None
    module_name, qualname = ref.split(":", 1)
    obj = sys.modules.get(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj if callable(obj) else None


def _defined_class(ref):
    """The Module subclass `ref` names, if the running process already defines it (no import)."""
    if not ref or ":" not in ref:
        return None
    module_name, qualname = ref.split(":", 1)
    obj = sys.modules.get(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    if isinstance(obj, type) and issubclass(obj, Module):
        return obj
    return None


class _Signature:
    """A revived serving signature: called with keyword arguments, returns a dict of tensors."""

    def __init__(self, module, method):
        self._module = module
        self._method = method

    def __call__(self, *args, **kwargs):
        out = getattr(self._module, self._method)(*args, **kwargs)
        return out if isinstance(out, dict) else {"output_0": out}


def _module_name(module):
    """The module's name; None for a subclass whose __init__ never called tf.Module.__init__ (TF saves
    those too: the tutorials' ExportModule classes do not call super().__init__())."""
    return getattr(module, "_name", None)


def _layout(obj, seen):
    """The attribute structure of a module, as JSON: variables are named by their checkpoint path."""
    if isinstance(obj, Variable):
        return {"variable": obj.name, "trainable": bool(obj.trainable)}
    if isinstance(obj, Module):
        if id(obj) in seen:
            return None
        seen.add(id(obj))
        attrs = {}
        for key in sorted(vars(obj)):
            if key in ("_name", "_scope_name"):
                continue
            sub = _layout(vars(obj)[key], seen)
            if sub is not None:
                attrs[key] = sub
        return {"module": _module_name(obj), "class": _class_ref(type(obj)), "attrs": attrs}
    if isinstance(obj, (list, tuple)):
        items = [_layout(v, seen) for v in obj]
        return {"list" if isinstance(obj, list) else "tuple": items}
    if isinstance(obj, dict) and all(isinstance(k, str) for k in obj):
        return {"dict": {k: _layout(v, seen) for k, v in obj.items()}}
    if isinstance(obj, (int, float, str, bool)) or obj is None:
        return {"value": obj}
    if isinstance(obj, torch.Tensor):  # a constant the module holds (a mean computed at __init__)
        array = obj.detach().cpu().numpy()
        return {"tensor": array.tolist(), "dtype": str(array.dtype), "shape": list(array.shape)}
    if isinstance(obj, types.FunctionType) and "<locals>" not in obj.__qualname__:
        # A module-level function (a preprocessing step held by an export module): restored by
        # name from the loading process, as the module's own class is.
        return {"function": _class_ref(obj)}
    return None


def load(export_dir, tags=None, options=None):
    """Load what `save` wrote: a callable Keras model, or a module holding the saved variables."""
    export_dir = os.fspath(export_dir)
    meta_path = os.path.join(export_dir, _META)
    if not os.path.exists(meta_path):
        raise NotFoundError(
            None,
            None,
            f"tf.saved_model.load: '{export_dir}' is not a capas SavedModel (no {_META}). capas cannot read "
            "TensorFlow's saved_model.pb; export weights from TF to a .keras or .weights.h5 file instead.",
        )
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    if meta.get("kind") == "keras":
        return load_model(os.path.join(export_dir, "model.keras"))
    if meta.get("kind") != "module":
        raise ValueError(f"tf.saved_model.load: unknown kind {meta.get('kind')!r} in '{meta_path}'.")
    reader = _format.Reader(os.path.join(export_dir, "variables", "variables"))
    module = _revive(meta["layout"], reader, "")
    signatures = {}
    for key, method in meta.get("signatures", {}).items():
        if callable(getattr(module, method, None)):
            signatures[key] = _Signature(module, method)
    module.signatures = signatures
    return module


def _revive(node, reader, path):
    if node is None:
        return None
    if "variable" in node:
        value = reader.read(_graph._join(path, _graph.VARIABLE_SUFFIX))
        variable = Variable(torch.from_numpy(np.array(value)), trainable=node["trainable"])
        variable.name = node["variable"]
        return variable
    if "module" in node:
        cls = _defined_class(node.get("class"))
        if cls is None or cls is Module:
            module = Module(name=node["module"])
        else:
            module = cls.__new__(cls)  # the class's methods, without running its __init__
            Module.__init__(module, name=node["module"])
        for key, sub in node["attrs"].items():
            setattr(module, key, _revive(sub, reader, _graph._join(path, key)))
        return module
    if "list" in node or "tuple" in node:
        items = [_revive(v, reader, _graph._join(path, i)) for i, v in enumerate(node.get("list", node.get("tuple")))]
        return items if "list" in node else tuple(items)
    if "dict" in node:
        return {k: _revive(v, reader, _graph._join(path, k)) for k, v in node["dict"].items()}
    if "tensor" in node:
        array = np.array(node["tensor"], dtype=node["dtype"]).reshape(node["shape"])
        return convert_to_tensor(array)
    if "function" in node:
        return _defined_function(node["function"])
    return node.get("value")
