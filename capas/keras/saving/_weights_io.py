"""Model state <-> HDF5 in Keras 3's layout (`model.weights.h5`, `.weights.h5`).

Each saveable (layer, model, optimizer) gets a group `<path>/vars` holding
datasets `"0", "1", ...` (its own variables: trainable first, then
non-trainable) and an attribute `name`; `_saveables` decides the paths.

Loading reads and checks every value first and assigns them only when all
are valid, so a bad file never leaves a half-loaded model.
"""

import warnings

import numpy as np
import torch

from capas.keras.saving import _safe_h5
from capas.keras.saving._errors import InvalidModelFileError
from capas.keras.saving._saveables import _join, _own_variables, optimizer_state_portable, walk

_NOT_PORTABLE = (
    "the optimizer state of model '{}' is {}: its branched graph lists layers in a different "
    "order than Keras, so the optimizer slots would be misassigned. The model weights are "
    "complete; training restarts with fresh optimizer slots."
)


def _to_numpy(v):
    t = v.detach()
    if t.dtype == torch.bfloat16:
        t = t.float()  # HDF5 has no bfloat16; Keras loads the float32 values into bfloat16 variables.
    return t.cpu().numpy()


def write(model, h5file):
    """Write the state of `model` (and its optimizer) into the open, writable `h5file`."""
    portable = optimizer_state_portable(model)
    for paths, obj in walk(model):
        path = paths[0]
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
        elif getattr(obj, "lora_enabled", False):  # the merged kernel, as Keras 3 saves it
            items = [(str(i), _to_numpy(v)) for i, v in enumerate(obj._lora_saved_values())]
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
            filepath,
            "no Keras 3 weights layout (no 'layers' or 'vars' group). Legacy Keras 2 HDF5 files are "
            "not supported: load the model in Keras 2 and re-save it as .keras.",
        )
    assignments, custom_loads = [], []
    for paths, obj in walk(model):
        path = next((p for p in paths if _join(p, "vars") in h5file), paths[0])
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
            if getattr(obj, "lora_enabled", False):  # the file's kernel is merged: start the update at zero
                assignments.extend((v, np.zeros(tuple(v.shape), "float32")) for v in obj._lora_loaded_targets()[1])
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
        what = (
            f"{type(obj).__name__} '{getattr(obj, 'name', path)}' at '{path or '/'}' has {len(variables)} "
            f"variables, but the file holds {len(keys)} ({keys[:8]}) there."
        )
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
            message = (
                f"weight '{where}' has shape {tuple(ds.shape)} in the file, but the model expects "
                f"{tuple(variable.shape)}."
            )
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
