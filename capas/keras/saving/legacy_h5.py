"""The legacy whole-model HDF5 format (`model.save("m.h5")`), as tf.keras writes and reads it.

Layout (Keras 2 / tf.keras, kept by Keras 3's `legacy_h5_format`):

    /                      attrs: keras_version, backend, model_config (JSON),
                                  training_config (JSON, when compiled)
    /model_weights         attrs: layer_names, backend, keras_version
    /model_weights/<layer> attrs: weight_names; one dataset per weight name
                           (trainable weights first, then non-trainable)

Weights are matched to the model's layers by order (the layers that have
weights), as Keras does. The optimizer state (`/optimizer_weights`) is not
written and is ignored when read: a loaded model trains on with fresh
optimizer slots.

Reading is data, never code: the file is opened through our own file object,
the whole HDF5 tree is validated first (`_safe_h5`), the JSON is parsed with
size and depth limits, bytecode is refused in safe mode, classes resolve only
through the registry (the allowlist of `.keras` loading), and no weight is
assigned before all of them have been read and checked. Every failure is an
`InvalidModelFileError`.
"""

import io
import json
import os
import warnings

import numpy as np
import torch
import h5py

from capas._file_utils import atomic_write
from capas.keras.saving import _safe_h5, saving_lib, serialization_lib
from capas.keras.saving._errors import InvalidModelFileError

_ATTR_LIMIT = 64512  # HDF5's object header limit: longer name lists are split into name0, name1, ...
MAX_NAMES = 100_000


def _layers_with_weights(model):
    return [layer for layer in model.layers if _layer_weights(layer)]


def _layer_weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _save_names(group, name, values):
    data = np.array([v.encode("utf8") for v in values]) if values else np.array([])
    if data.nbytes <= _ATTR_LIMIT:
        group.attrs[name] = data
        return
    chunks = int(np.ceil(data.nbytes / _ATTR_LIMIT))
    for i, chunk in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{name}{i}"] = chunk


def _training_config(model):
    config = model.get_compile_config() if getattr(model, "compiled", False) else None
    if not config or model.optimizer is None:
        return None
    out = {
        key: serialization_lib.serialize_keras_object(config.get(key))
        for key in ("loss", "loss_weights", "metrics", "weighted_metrics")
    }
    out.update({key: config.get(key) for key in ("run_eagerly", "steps_per_execution") if key in config})
    out["jit_compile"] = config.get("jit_compile") is True
    optimizer = serialization_lib.serialize_keras_object(model.optimizer)
    out["optimizer_config"] = {"class_name": optimizer["class_name"], "config": optimizer["config"]}
    return out


def model_bytes(model):
    """The whole model (config, weights, compile config) as the bytes of a legacy `.h5` file."""
    config = serialization_lib.serialize_keras_object(model)
    training = _training_config(model)
    buffer = io.BytesIO()
    with h5py.File(buffer, "w", libver="earliest") as f:
        f.attrs["keras_version"] = saving_lib.KERAS_FORMAT_VERSION.encode("utf8")
        f.attrs["backend"] = b"torch"
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        if training is not None:
            f.attrs["training_config"] = json.dumps(training).encode("utf8")
        weights_group = f.create_group("model_weights")
        weights_group.attrs["keras_version"] = f.attrs["keras_version"]
        weights_group.attrs["backend"] = f.attrs["backend"]
        layers = list(model.layers)
        _save_names(weights_group, "layer_names", [layer.name for layer in layers])
        for layer in layers:
            group = weights_group.create_group(layer.name)
            weights = _layer_weights(layer)
            names = _weight_names(model, layer, weights)
            _save_names(group, "weight_names", names)
            for name, variable in zip(names, weights):
                value = variable.detach()
                if value.dtype == torch.bfloat16:
                    value = value.float()
                group.create_dataset(name, data=value.cpu().numpy())
        _save_names(weights_group.create_group("top_level_model_weights"), "weight_names", [])
    return buffer.getvalue()


def _weight_names(model, layer, weights):
    names, seen = [], set()
    for i, variable in enumerate(weights):
        path = getattr(variable, "path", None) or f"{layer.name}/{i}"
        name = f"{model.name}/{path}"
        if name in seen:
            name = f"{name}_{i}"
        seen.add(name)
        names.append(name)
    return names


def save_model(model, filepath):
    """Write `model` to `filepath` in the legacy HDF5 format, atomically (`model.save("m.h5")`).

    Example:

    >>> import os, tempfile
    >>> from capas import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.h5")
    >>> model.save(path)
    >>> keras.models.load_model(path).output_shape
    (None, 2)
    """
    data = model_bytes(model)
    with atomic_write(filepath, "wb") as f:
        f.write(data)


# ----------------------------------------------------------------- reading
def _text_attr(attrs, name, filepath):
    if name not in attrs:
        return None
    value = attrs[name]
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value
    raise InvalidModelFileError(filepath, f"the '{name}' attribute should be text, found {type(value).__name__}.")


def _load_names(group, name, filepath):
    attrs = group.attrs
    if name in attrs:
        chunks = [attrs[name]]
    else:
        chunks, i = [], 0
        while f"{name}{i}" in attrs:
            chunks.append(attrs[f"{name}{i}"])
            i += 1
        if not chunks:
            raise InvalidModelFileError(
                filepath,
                f"HDF5 group '{group.name}' has no '{name}' attribute: a broken legacy Keras 2 / tf.keras .h5 file.",
            )
    names = []
    for chunk in chunks:
        values = np.atleast_1d(np.asarray(chunk))
        if values.size and values.dtype.kind not in "SUO":
            raise InvalidModelFileError(filepath, f"'{group.name}' attribute '{name}' should hold names.")
        for value in values.tolist():
            if isinstance(value, bytes):
                value = value.decode("utf-8", errors="replace")
            if not isinstance(value, str):
                raise InvalidModelFileError(filepath, f"'{group.name}' attribute '{name}' should hold names.")
            names.append(value)
        if len(names) > MAX_NAMES:
            raise InvalidModelFileError(filepath, f"'{group.name}' lists more than {MAX_NAMES} names.")
    return names


def _read_weights(model, f, filepath):
    """Every (variable, value) pair, read and checked before anything is assigned."""
    group = f.get("model_weights", f)  # whole model, or Keras 2 save_weights('w.h5')
    if "layer_names" not in group.attrs and "layer_names0" not in group.attrs:
        raise InvalidModelFileError(filepath, "it has no 'model_weights' group with layer_names.")
    filed = []
    for name in _load_names(group, "layer_names", filepath):
        if name not in group:
            raise InvalidModelFileError(filepath, f"layer '{name}' is listed in layer_names but has no group.")
        weight_names = _load_names(group[name], "weight_names", filepath)
        if weight_names:
            filed.append((name, group[name], weight_names))
    layers = _layers_with_weights(model)
    if len(filed) != len(layers):
        raise InvalidModelFileError(
            filepath,
            f"the file holds weights for {len(filed)} layers, but model '{model.name}' has "
            f"{len(layers)} layers with weights.",
        )
    pairs = []
    for layer, (name, layer_group, weight_names) in zip(layers, filed):
        variables = _layer_weights(layer)
        if len(variables) != len(weight_names):
            raise InvalidModelFileError(
                filepath,
                f"layer '{name}' holds {len(weight_names)} weights in the file, but layer "
                f"'{layer.name}' of the model has {len(variables)}.",
            )
        for variable, weight_name in zip(variables, weight_names):
            if weight_name not in layer_group:
                raise InvalidModelFileError(filepath, f"weight '{weight_name}' of layer '{name}' is missing.")
            dataset = layer_group[weight_name]
            if not hasattr(dataset, "shape"):
                raise InvalidModelFileError(filepath, f"weight '{weight_name}' of layer '{name}' is not a dataset.")
            value = _safe_h5.read_dataset(dataset, f"{name}/{weight_name}", filepath, tuple(variable.shape))
            pairs.append((variable, value))
    return pairs


def _compile_from_training_config(model, text, filepath, custom_objects):
    config = saving_lib.parse_json(text, filepath, "the training_config attribute")
    try:
        serialization_lib.check_safe(config, what="training config")
    except serialization_lib.UnsafeConfigError as exc:
        raise InvalidModelFileError(filepath, str(exc)) from None
    wanted = {key: config.get(key) for key in ("loss", "loss_weights", "metrics", "weighted_metrics")}
    wanted["optimizer"] = config.get("optimizer_config")
    try:
        kwargs = serialization_lib.deserialize_compile_config(wanted, custom_objects)
        model.compile(**{k: v for k, v in kwargs.items() if v is not None})
    except Exception as exc:  # noqa: BLE001 - a model whose compile config cannot be rebuilt still loads
        warnings.warn(
            f"load_model('{filepath}'): the model loads uncompiled; its training config could not be restored "
            f"({type(exc).__name__}: {exc}). Call model.compile(...) before training.",
            stacklevel=4,
        )


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Read a legacy `.h5` model file (see the module doc) and return the model."""
    try:
        f = open(filepath, "rb")  # noqa: SIM115 - closed by the `with f` below
    except IsADirectoryError:
        raise InvalidModelFileError(filepath, "it is a folder, not a model file.") from None
    with f:
        size = os.fstat(f.fileno()).st_size
        with _safe_h5.open_h5(f, filepath) as h5file:
            _safe_h5.validate(h5file, filepath, size)
            text = _text_attr(h5file.attrs, "model_config", filepath)
            if text is None:
                raise InvalidModelFileError(
                    filepath,
                    "it holds no model_config: it is a weights-only HDF5 file. Build the model and call "
                    "model.load_weights() instead.",
                )
            config = saving_lib.parse_json(text, filepath, "the model_config attribute")
            with serialization_lib.SafeModeScope(safe_mode):
                model = saving_lib.model_from_config(
                    config,
                    filepath,
                    custom_objects=custom_objects,
                    compile=False,
                    safe_mode=safe_mode,
                    weights_size=size,
                )
                try:
                    pairs = _read_weights(model, h5file, filepath)
                except InvalidModelFileError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a corrupt HDF5 tree raises many kinds
                    raise InvalidModelFileError(
                        filepath, f"the weights cannot be read ({type(exc).__name__}: {exc})."
                    ) from None
                training = _text_attr(h5file.attrs, "training_config", filepath)
                if compile and training is not None:
                    _compile_from_training_config(model, training, filepath, custom_objects)
    with torch.no_grad():
        for variable, value in pairs:
            variable.assign(value)
    return model


def _open_validated(filepath):
    try:
        f = open(filepath, "rb")  # noqa: SIM115 - the caller closes it (with f, h5file)
    except IsADirectoryError:
        raise InvalidModelFileError(filepath, "it is a folder, not a weights file.") from None
    size = os.fstat(f.fileno()).st_size
    h5file = _safe_h5.open_h5(f, filepath)
    try:
        _safe_h5.validate(h5file, filepath, size)
    except BaseException:
        h5file.close()
        f.close()
        raise
    return f, h5file


def has_legacy_layout(filepath):
    """Whether an HDF5 file holds weights in the legacy layout (`layer_names` lists)."""
    f, h5file = _open_validated(filepath)
    with f, h5file:
        group = h5file.get("model_weights", h5file)
        return "layer_names" in group.attrs or "layer_names0" in group.attrs


def load_weights(model, filepath):
    """`model.load_weights('m.h5')` for a legacy file: its weights, by layer order (nothing else)."""
    f, h5file = _open_validated(filepath)
    with f, h5file:
        try:
            pairs = _read_weights(model, h5file, filepath)
        except InvalidModelFileError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise InvalidModelFileError(
                filepath, f"the weights cannot be read ({type(exc).__name__}: {exc})."
            ) from None
    with torch.no_grad():
        for variable, value in pairs:
            variable.assign(value)
