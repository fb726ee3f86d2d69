"""`save_model`, `load_model`, `save_weights`, `load_weights`, `model_from_json`.

Formats, by file name:

- `.keras`: the Keras 3 archive (architecture, weights, optimizer state);
  files move between capas and Keras 3 (torch backend) for built-in layers.
- `.weights.h5`: weights (and optimizer state when compiled and built) in
  Keras 3's HDF5 layout, addressed by model structure.
- `.h5` / `.hdf5`: the legacy tf.keras / Keras 2 whole-model format
  (`legacy_h5`): config, weights and compile config, no optimizer state.
  `load_weights` reads the weights of such a file too. The file is validated
  and checked for bytecode like every other format.

Loading is data, never code: classes come only from the registry, bytecode
needs `safe_mode=False`, and every bad file raises `InvalidModelFileError`.
Every write goes through `atomic_write`.
"""

import os

from capas._file_utils import atomic_write, remove_stale_temporaries
from capas.keras.saving import legacy_h5, saving_lib, serialization_lib
from capas.keras.saving._errors import InvalidModelFileError

_LEGACY_SUFFIXES = (".h5", ".hdf5")
_ZIP_MAGIC = b"PK\x03\x04"
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


def _path(filepath, what):
    if hasattr(filepath, "write") or hasattr(filepath, "read"):
        raise TypeError(f"{what}() takes a file path (str or os.PathLike); file objects are not supported.")
    try:
        return os.fspath(filepath)
    except TypeError:
        raise TypeError(f"{what}() expects a file path, received {type(filepath).__name__}: {filepath!r}.") from None


def _check_overwrite(filepath, overwrite, what):
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(
            f"{what}(): '{filepath}' already exists and overwrite=False. Pass overwrite=True to replace it. "
            "(Differs from Keras, which asks on the console.)"
        )


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Save a model (architecture, weights, optimizer state) to a `.keras` file.

    Args:
        model: the model to save.
        filepath: a path ending in `.keras`, or `.h5`/`.hdf5` for the legacy
            tf.keras HDF5 format (architecture, weights, compile config).
        overwrite: replace an existing file (the write is atomic either way).
        zipped: accepted for compatibility; only zipped `.keras` is written.

    Raises:
        ValueError: for another extension.

    Example:

    >>> import os, tempfile
    >>> from capas import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> keras.saving.save_model(model, path)
    >>> keras.saving.load_model(path).output_shape
    (None, 2)
    """
    filepath = _path(filepath, "save_model")
    kwargs.pop("include_optimizer", None)
    kwargs.pop("save_format", None)
    if kwargs:
        raise TypeError(f"save_model() got unexpected keyword argument(s) {sorted(kwargs)}.")
    if zipped is False:
        raise ValueError("save_model(zipped=False) is not supported by capas; save a zipped .keras file.")
    if filepath.endswith(".weights.h5"):
        raise ValueError(
            f"save_model(): '{filepath}' names a weights file; save the whole model to 'model.keras' or "
            "'model.h5', or weights only with model.save_weights('model.weights.h5')."
        )
    if filepath.endswith(_LEGACY_SUFFIXES):
        _check_overwrite(filepath, overwrite, "save_model")
        return legacy_h5.save_model(model, filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(
            f"save_model(): the file name must end in '.keras' (or '.h5' for the legacy format), received "
            f"'{filepath}'. E.g. model.save('model.keras')."
        )
    _check_overwrite(filepath, overwrite, "save_model")
    saving_lib.save_model(model, filepath)


def _sniff(filepath):
    try:
        with open(filepath, "rb") as f:
            return f.read(8)
    except FileNotFoundError:
        raise InvalidModelFileError(filepath, "no such file.") from None
    except IsADirectoryError:
        raise InvalidModelFileError(filepath, "it is a folder, not a model file.") from None


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model saved with `model.save('....keras')` or `model.save('....h5')` (capas, Keras 3, tf.keras).

    Args:
        filepath: the `.keras` file, or a legacy `.h5` model file.
        custom_objects: dict of names to custom classes/functions used by the model.
        compile: also restore the compile configuration and optimizer state.
        safe_mode: refuse files that would run code (Lambda bytecode). Only
            this argument can turn it off; nothing in the file can.

    Returns:
        The model.

    Raises:
        InvalidModelFileError: the file is missing, corrupt, hostile, or names
            classes outside the registry.
    """
    filepath = _path(filepath, "load_model")
    remove_stale_temporaries(filepath)
    magic = _sniff(filepath)
    if filepath.endswith(_LEGACY_SUFFIXES) or magic.startswith(_HDF5_MAGIC):
        return legacy_h5.load_model(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)
    if filepath.endswith(".keras") or magic.startswith(_ZIP_MAGIC):
        return saving_lib.load_model(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)
    raise InvalidModelFileError(
        filepath, "unknown format: load_model() reads '.keras' files (saved with model.save('model.keras'))."
    )


def save_weights(model, filepath, overwrite=True, **kwargs):
    """Save the model's weights (and optimizer state) to a `.weights.h5` file, atomically."""
    filepath = _path(filepath, "save_weights")
    if kwargs:
        raise TypeError(f"save_weights() got unexpected keyword argument(s) {sorted(kwargs)}.")
    if not filepath.endswith(".weights.h5"):
        raise ValueError(
            f"save_weights(): the file name must end in '.weights.h5', received '{filepath}'. "
            "E.g. model.save_weights('model.weights.h5')."
        )
    _check_overwrite(filepath, overwrite, "save_weights")
    data = saving_lib.weights_bytes(model)
    with atomic_write(filepath, "wb") as f:
        f.write(data)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Load weights from a `.weights.h5` file (Keras 3 layout) or a `.keras` archive.

    Args:
        model: the model to load into (same structure as when saved).
        filepath: the file.
        skip_mismatch: skip layers whose weight count or shapes differ (with
            a warning) instead of failing.

    Raises:
        InvalidModelFileError: the file is missing, corrupt, hostile or does
            not match the model. On error, no weight of the model has changed.
    """
    filepath = _path(filepath, "load_weights")
    remove_stale_temporaries(filepath)
    magic = _sniff(filepath)
    if filepath.endswith(".keras") or magic.startswith(_ZIP_MAGIC):
        return saving_lib.load_weights_from_archive(model, filepath, skip_mismatch=skip_mismatch)
    if filepath.endswith(".weights.h5") or filepath.endswith(_LEGACY_SUFFIXES) or magic.startswith(_HDF5_MAGIC):
        if legacy_h5.has_legacy_layout(filepath):
            return legacy_h5.load_weights(model, filepath)
        return saving_lib.load_weights_file(model, filepath, skip_mismatch=skip_mismatch)
    raise InvalidModelFileError(filepath, "unknown format: load_weights() reads '.weights.h5' and '.keras' files.")


def model_from_json(json_string, custom_objects=None):
    """Rebuild a model (without weights) from `model.to_json()`.

    Args:
        json_string: the JSON text.
        custom_objects: dict of names to custom classes/functions.

    Returns:
        The (unbuilt weights, freshly initialized) model.

    Raises:
        InvalidModelFileError: the JSON is invalid, names unknown classes, or
            carries bytecode (use `SafeModeScope(False)` only for trusted JSON).

    Example:

    >>> from capas import keras
    >>> from capas.keras.saving.saving_api import model_from_json
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model_from_json(model.to_json()).output_shape
    (None, 2)
    """
    source = "<JSON string>"
    if not isinstance(json_string, (str, bytes, bytearray)):
        raise TypeError(f"model_from_json() expects a JSON string, received {type(json_string).__name__}.")
    config = saving_lib.parse_json(json_string, source, "the JSON string")
    return saving_lib.model_from_config(
        config, source, custom_objects=custom_objects, compile=False, safe_mode=serialization_lib.in_safe_mode()
    )
