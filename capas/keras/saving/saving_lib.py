"""The `.keras` format: a zip of `config.json`, `metadata.json`, `model.weights.h5` (and `assets/`).

The layout is Keras 3's, so models of built-in layers move between capas and
Keras. Saving builds the whole archive in memory and writes it with
`atomic_write`. Loading opens only the file the caller named, reads the
members into memory with bounded sizes (`_safe_zip`), parses JSON
with a size cap, refuses bytecode in safe mode, rebuilds the model through
the registry only, validates the HDF5 tree (`_safe_h5`) and assigns the
weights and optimizer state. Every failure is an `InvalidModelFileError`.
"""

import datetime
import io
import json
import os
import tempfile

import h5py

from capas._file_utils import atomic_write
from capas.keras.saving import _build_budget, _safe_zip, serialization_lib
from capas.keras.saving import _safe_h5
from capas.keras.saving._errors import InvalidModelFileError

# The Keras release whose layout these files follow (and are tested against).
KERAS_FORMAT_VERSION = "3.15.1"
MAX_JSON_DEPTH = 512


def weights_bytes(model):
    """The state of `model` (layers and optimizer) as the bytes of a Keras 3 HDF5 file."""
    # in-function: import cycle keras.saving._weights_io -> keras.saving._saveables -> ... -> keras.saving.saving_api -> this module
    from capas.keras.saving import _weights_io

    buffer = io.BytesIO()
    with h5py.File(buffer, "w", libver="earliest", track_order=False) as h5file:
        _weights_io.write(model, h5file)
    return buffer.getvalue()


def save_model(model, filepath):
    """Write `model` to `filepath` as a `.keras` archive, atomically."""
    config = serialization_lib.serialize_keras_object(model)
    if "build_config" not in config:
        config["build_config"] = {"input_shape": None}
    metadata = {
        "keras_version": KERAS_FORMAT_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }
    members = {
        _safe_zip.METADATA_NAME: json.dumps(metadata).encode(),
        _safe_zip.CONFIG_NAME: json.dumps(config).encode(),
        _safe_zip.WEIGHTS_NAME: weights_bytes(model),
    }
    members.update(_assets_members(model))
    with atomic_write(filepath, "wb") as f:
        _safe_zip.write_archive(f, members)


def _assets_members(model):
    """`{'assets/<layer path>/<file>': bytes}` from every layer that has a `save_assets(dir_path)` (Keras 3)."""
    # in-function: import cycle keras.saving._saveables -> ... -> keras.saving.saving_api -> this module
    from capas.keras.saving._saveables import walk

    members = {}
    with tempfile.TemporaryDirectory() as root:
        for paths, obj in walk(model):
            if not callable(getattr(obj, "save_assets", None)):
                continue
            directory = os.path.join(root, *paths[0].split("/")) if paths[0] else root
            os.makedirs(directory, exist_ok=True)
            obj.save_assets(directory)
            for name in sorted(os.listdir(directory)):
                full = os.path.join(directory, name)
                if os.path.isfile(full):
                    with open(full, "rb") as f:
                        members[_safe_zip.ASSETS_PREFIX + (paths[0] + "/" if paths[0] else "") + name] = f.read()
    return members


def _load_assets(model, members):
    """Give each layer with `load_assets(dir_path)` the folder of its files from the archive's `assets/`."""
    # in-function: import cycle keras.saving._saveables -> ... -> keras.saving.saving_api -> this module
    from capas.keras.saving._saveables import walk

    assets = {
        name[len(_safe_zip.ASSETS_PREFIX) :]: data
        for name, data in members.items()
        if name.startswith(_safe_zip.ASSETS_PREFIX)
    }
    if not assets:
        return
    with tempfile.TemporaryDirectory() as root:
        for name, data in assets.items():
            full = os.path.join(root, *name.split("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
        for paths, obj in walk(model):
            if not callable(getattr(obj, "load_assets", None)):
                continue
            for path in paths:
                directory = os.path.join(root, *path.split("/")) if path else root
                if path and os.path.isdir(directory):
                    obj.load_assets(directory)
                    break


def parse_json(data, filepath, what):
    """`data` (bytes or str) -> a JSON object, or InvalidModelFileError naming `what`."""
    if len(data) > _safe_zip.MAX_JSON_BYTES:
        raise InvalidModelFileError(
            filepath, f"{what} is {len(data)} bytes, over the {_safe_zip.MAX_JSON_BYTES}-byte limit."
        )
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        value = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidModelFileError(filepath, f"{what} is not valid JSON ({type(exc).__name__}: {exc}).") from None
    if not isinstance(value, dict):
        raise InvalidModelFileError(filepath, f"{what} should be a JSON object, found {type(value).__name__}.")
    if _depth(value) > MAX_JSON_DEPTH:
        raise InvalidModelFileError(filepath, f"{what} is nested deeper than {MAX_JSON_DEPTH} levels.")
    return value


def _depth(value):
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def model_from_config(config, filepath, custom_objects=None, compile=True, safe_mode=True, weights_size=None):
    """Rebuild a model from a parsed config, turning every failure into InvalidModelFileError.

    Building may allocate at most `_build_budget.budget_for(weights_size)` bytes of tensors.
    """
    if not isinstance(config.get("class_name"), str):
        raise InvalidModelFileError(filepath, "the model config has no 'class_name'; is it a Keras model config?")
    with serialization_lib.SafeModeScope(safe_mode):
        try:
            serialization_lib.check_safe(config, what="model config")
        except serialization_lib.UnsafeConfigError as exc:
            raise InvalidModelFileError(filepath, str(exc)) from None
        try:
            with _build_budget.BuildBudget(_build_budget.budget_for(weights_size), filepath):
                model = serialization_lib.deserialize_keras_object(
                    config, custom_objects=custom_objects, compile=compile
                )
        except InvalidModelFileError:
            raise
        except RecursionError:
            raise InvalidModelFileError(filepath, "the model config is nested too deeply to rebuild.") from None
        except Exception as exc:  # noqa: BLE001 - any failure to rebuild means a bad file
            raise InvalidModelFileError(
                filepath, f"the model cannot be rebuilt from its config ({type(exc).__name__}: {exc})"
            ) from exc
    # A model, or another saveable layer with its own save() (keras.utils.FeatureSpace), as Keras loads.
    if not hasattr(model, "save") or not (hasattr(model, "layers") or hasattr(model, "save_own_variables")):
        raise InvalidModelFileError(filepath, f"the config describes a {type(model).__name__}, not a model.")
    return model


def _open_archive(filepath):
    try:
        with open(filepath, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            return _safe_zip.read_members(f, filepath, size)
    except IsADirectoryError:
        raise InvalidModelFileError(filepath, "it is a folder, not a .keras file.") from None


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Read a `.keras` archive (see the module doc) and return the model."""
    members = _open_archive(filepath)
    parse_json(members[_safe_zip.METADATA_NAME], filepath, "metadata.json")
    config = parse_json(members[_safe_zip.CONFIG_NAME], filepath, "config.json")
    weights = members.get(_safe_zip.WEIGHTS_NAME)
    if weights is None:
        # Keras 3 raises too: a model rebuilt without its weights would hold random values.
        raise InvalidModelFileError(
            filepath,
            f"the archive holds no '{_safe_zip.WEIGHTS_NAME}', so the model's weights are missing. "
            "Re-save the model with model.save('model.keras'); to rebuild only the architecture, "
            "use model_from_json() on its config.",
        )
    model = model_from_config(
        config, filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode, weights_size=len(weights)
    )
    load_weights_bytes(model, weights, filepath, load_optimizer=compile)
    try:
        _load_assets(model, members)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidModelFileError(
            filepath, f"a layer's assets cannot be loaded ({type(exc).__name__}: {exc})."
        ) from exc
    return model


def load_weights_bytes(model, data, filepath, skip_mismatch=False, load_optimizer=True):
    """Assign the Keras 3 HDF5 weights held in `data` to `model`."""
    with _safe_h5.open_h5(io.BytesIO(data), filepath) as h5file:
        _load_h5(model, h5file, filepath, len(data), skip_mismatch, load_optimizer)


def _load_h5(model, h5file, filepath, size, skip_mismatch, load_optimizer):
    # in-function: import cycle keras.saving._weights_io -> keras.saving._saveables -> ... -> keras.saving.saving_api -> this module
    from capas.keras.saving import _weights_io

    try:
        _weights_io.read(model, h5file, filepath, size, skip_mismatch=skip_mismatch, load_optimizer=load_optimizer)
    except InvalidModelFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - corrupt HDF5 raises many kinds
        raise InvalidModelFileError(filepath, f"the weights cannot be loaded ({type(exc).__name__}: {exc}).") from exc


def load_weights_file(model, filepath, skip_mismatch=False):
    """Load a `.weights.h5` file (Keras 3 layout) into `model`, reading it through our own file object."""
    try:
        f = open(filepath, "rb")
    except IsADirectoryError:
        raise InvalidModelFileError(filepath, "it is a folder, not a weights file.") from None
    with f:
        size = os.fstat(f.fileno()).st_size
        with _safe_h5.open_h5(f, filepath) as h5file:
            _load_h5(model, h5file, filepath, size, skip_mismatch, True)


def load_weights_from_archive(model, filepath, skip_mismatch=False):
    """Load only the weights of a `.keras` archive into `model`."""
    members = _open_archive(filepath)
    weights = members.get(_safe_zip.WEIGHTS_NAME)
    if weights is None:
        raise InvalidModelFileError(filepath, "the archive holds no model.weights.h5.")
    load_weights_bytes(model, weights, filepath, skip_mismatch=skip_mismatch)
